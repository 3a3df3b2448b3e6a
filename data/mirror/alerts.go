package mirror

import (
	"context"
	"database/sql"
	"math"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// EvaluateIndicators judges every series' latest value up to now against
// its indicator's thresholds (with hysteresis from the severity it had)
// and keeps the alerts in step, in one transaction: a severity that rises
// opens an alert at the new one (clearing the warn alert an alarm
// replaces), one that falls clears the open alert (and opens a warn alert
// when alarm falls to warn). Alerts open and clear at the time of the
// value that did it.
func (m *Mirror) EvaluateIndicators(ctx context.Context, now time.Time) (data.EvaluationResult, error) {
	var res data.EvaluationResult
	err := m.update(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = evaluateTx(ctx, tx, now, &m.archive)
		return err
	})
	return res, err
}

func evaluateTx(ctx context.Context, tx *sql.Tx, now time.Time, cache *archiveCache) (data.EvaluationResult, error) {
	var res data.EvaluationResult
	defs, err := indicatorDefs(ctx, tx)
	if err != nil {
		return res, err
	}
	byID := make(map[int]*data.Indicator, len(defs))
	for i := range defs {
		byID[defs[i].ID] = &defs[i]
	}
	samples, err := latestSamples(ctx, tx, defs, now, cache)
	if err != nil {
		return res, err
	}
	type status struct {
		at       string
		severity data.Severity
	}
	before := make(map[series]status, len(samples))
	rows, err := tx.QueryContext(ctx, `SELECT indicator_id, region_code, at, severity FROM indicator_status`)
	if err != nil {
		return res, err
	}
	for rows.Next() {
		var s series
		var st status
		var sev string
		if err := rows.Scan(&s.id, &s.region, &st.at, &sev); err != nil {
			_ = rows.Close()
			return res, err
		}
		st.severity, _ = data.ParseSeverity(sev)
		before[s] = st
	}
	if err := closeRows(rows); err != nil {
		return res, err
	}
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO indicator_status (indicator_id, region_code, at, value, baseline, severity)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, region_code) DO UPDATE SET at = excluded.at, value = excluded.value,
		baseline = excluded.baseline, severity = excluded.severity`)
	if err != nil {
		return res, err
	}
	defer upsert.Close()
	for s, v := range samples {
		d := byID[s.id]
		if d == nil {
			continue
		}
		res.Series++
		prev := before[s]
		at := gpkg.Time{Time: v.at}
		sev := judge(d, v, prev.severity)
		if prev.at == gpkg.FormatTime(v.at) && sev == prev.severity {
			continue // judged already
		}
		var baseline sql.NullFloat64
		if !math.IsNaN(v.baseline) {
			baseline = sql.NullFloat64{Float64: v.baseline, Valid: true}
		}
		if _, err := upsert.ExecContext(ctx, s.id, s.region, at, v.value, baseline, sev.String()); err != nil {
			return res, err
		}
		res.Changed++
		if sev == prev.severity {
			continue
		}
		if prev.severity > data.Normal {
			if _, err := tx.ExecContext(ctx, `UPDATE alerts SET cleared_at = ?, cleared_value = ? WHERE indicator_id = ? AND region_code = ?
				AND cleared_at IS NULL`, at, v.value, s.id, s.region); err != nil {
				return res, err
			}
			res.Cleared++
		}
		if sev > data.Normal {
			uid, err := newUID(tx)
			if err != nil {
				return res, err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO alerts (uid, indicator_id, region_code, severity, opened_at, opened_value)
				VALUES (?, ?, ?, ?, ?, ?)`, uid, s.id, s.region, sev.String(), at, v.value); err != nil {
				return res, err
			}
			res.Opened++
		}
	}
	return res, nil
}

// IndicatorStatuses lists how the indicators stand after the last
// evaluation, by indicator then region code.
func (m *Mirror) IndicatorStatuses(ctx context.Context, f data.IndicatorFilter) ([]data.IndicatorStatus, error) {
	if err := checkPrefix(f.Region); err != nil {
		return nil, err
	}
	byID, err := m.indicatorsByID(ctx)
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	switch {
	case f.Within:
		where, args = append(where, `s.region_code LIKE ? || '%'`), append(args, f.Region)
	case f.Region != "":
		where, args = append(where, `s.region_code = ?`), append(args, f.Region)
	default:
		where = append(where, `s.region_code = (SELECT code FROM cities LIMIT 1)`)
	}
	if f.Category != "" {
		where, args = append(where, `d.category = ?`), append(args, f.Category)
	}
	if f.Indicator != "" {
		where, args = append(where, `d.code = ?`), append(args, f.Indicator)
	}
	switch f.AtLeast {
	case data.Warn:
		where = append(where, `s.severity IN ('warn', 'alarm')`)
	case data.Alarm:
		where = append(where, `s.severity = 'alarm'`)
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT s.indicator_id, s.region_code, +s.at, s.value, s.baseline, s.severity
		FROM indicator_status s JOIN indicator_defs d ON d.id = s.indicator_id WHERE `+strings.Join(where, " AND ")+`
		ORDER BY s.indicator_id, s.region_code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.IndicatorStatus
	for rows.Next() {
		var st data.IndicatorStatus
		var id int
		var at gpkg.Time
		var baseline sql.NullFloat64
		var sev string
		if err := rows.Scan(&id, &st.Region, &at, &st.Value, &baseline, &sev); err != nil {
			return nil, err
		}
		st.Indicator, st.At, st.Baseline = byID[id], at.Time, baseline.Float64
		st.Severity, _ = data.ParseSeverity(sev)
		out = append(out, st)
	}
	return out, rows.Err()
}

// Alerts lists alerts, the latest opened first.
func (m *Mirror) Alerts(ctx context.Context, f data.AlertFilter) ([]data.Alert, error) {
	if err := checkPrefix(f.Region); err != nil {
		return nil, err
	}
	byID, err := m.indicatorsByID(ctx)
	if err != nil {
		return nil, err
	}
	where, args := []string{"1"}, []any{}
	if f.OpenOnly {
		where = append(where, `a.cleared_at IS NULL`)
	}
	if !f.OpenAt.IsZero() {
		at := gpkg.Time{Time: f.OpenAt}
		where, args = append(where, `a.opened_at <= ? AND (a.cleared_at IS NULL OR a.cleared_at > ?)`), append(args, at, at)
	}
	if f.Unacked {
		where = append(where, `a.acked_at IS NULL`)
	}
	if f.Severity > data.Normal {
		where, args = append(where, `a.severity = ?`), append(args, f.Severity.String())
	}
	if f.Region != "" {
		where, args = append(where, `a.region_code LIKE ? || '%'`), append(args, f.Region)
	}
	if f.Category != "" {
		where, args = append(where, `d.category = ?`), append(args, f.Category)
	}
	if f.Indicator != "" {
		where, args = append(where, `d.code = ?`), append(args, f.Indicator)
	}
	limit := ""
	if f.Limit > 0 {
		limit, args = ` LIMIT ?`, append(args, f.Limit)
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT a.uid, a.indicator_id, a.region_code, a.severity, +a.opened_at, a.opened_value,
		+a.cleared_at, +a.acked_at, ifnull(u.login, '')
		FROM alerts a JOIN indicator_defs d ON d.id = a.indicator_id LEFT JOIN users u ON u.id = a.acked_by
		WHERE `+strings.Join(where, " AND ")+` ORDER BY a.opened_at DESC, a.uid DESC`+limit, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Alert
	for rows.Next() {
		var a data.Alert
		var id int
		var sev string
		var opened gpkg.Time
		var cleared, acked gpkg.NullTime
		if err := rows.Scan(&a.UID, &id, &a.Region, &sev, &opened, &a.OpenedValue, &cleared, &acked, &a.AckedBy); err != nil {
			return nil, err
		}
		a.Indicator, a.OpenedAt, a.ClearedAt, a.AckedAt = byID[id], opened.Time, cleared.Time, acked.Time
		a.Severity, _ = data.ParseSeverity(sev)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AckAlert acknowledges an alert (by its key or a prefix of 8 or more of
// its characters), journaled; one already acknowledged is refused, and so
// is an unknown one.
func (m *Mirror) AckAlert(ctx context.Context, uid, actor string, now time.Time) (data.Alert, error) {
	var a data.Alert
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, actor, data.ActAlertAck)
		if err != nil {
			return err
		}
		var region string
		var ackedAt sql.NullString
		var opened gpkg.Time
		if len(uid) < 8 {
			return data.Refuse(data.CodeAlertUnknown, "alert", data.Value("alert", uid))
		}
		// The key, or the one key it begins: keys made in the same minute
		// share their first characters (UUIDv7), so a prefix two share is
		// refused.
		matches, err := queryColumn[string](ctx, tx, `SELECT uid FROM alerts WHERE substr(uid, 1, length(?1)) = ?1
			ORDER BY uid = ?1 DESC LIMIT 2`, uid)
		switch {
		case err != nil:
			return err
		case len(matches) == 0:
			return data.Refuse(data.CodeAlertUnknown, "alert", data.Value("alert", uid))
		case len(matches) == 2 && matches[0] != uid:
			return data.Refuse(data.CodeAlertAmbiguous, "alert", data.Value("alert", uid))
		}
		if err := tx.QueryRowContext(ctx, `SELECT uid, region_code, +opened_at, acked_at FROM alerts WHERE uid = ?`, matches[0]).
			Scan(&a.UID, &region, &opened, &ackedAt); err != nil {
			return err
		}
		if !user.Covers(region) {
			return data.Refuse(data.CodeAlertOutsideJurisdiction, "alert", data.Value("alert", a.UID), data.Value("jurisdiction", user.Jurisdiction))
		}
		if ackedAt.Valid {
			return data.Refuse(data.CodeAlertAcked, "alert", data.Value("alert", a.UID))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE alerts SET acked_at = ?, acked_by = ? WHERE uid = ?`, gpkg.Time{Time: now}, userID, a.UID); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindAlertAck, Subject: a.UID, Actor: user.Login, At: now,
			Payload: map[string]any{"alert": a.UID, "region": region, "opened_at": gpkg.FormatTime(opened.Time),
				"seconds_to_ack": int64(now.Sub(opened.Time).Seconds())}})
		return err
	})
	if err != nil {
		return a, err
	}
	as, err := m.Alerts(ctx, data.AlertFilter{})
	if err != nil {
		return a, err
	}
	for _, x := range as {
		if x.UID == a.UID {
			return x, nil
		}
	}
	return a, nil
}

// indicatorsByID is the mirror's indicator definitions by their ID.
func (m *Mirror) indicatorsByID(ctx context.Context) (map[int]data.Indicator, error) {
	defs, err := m.IndicatorDefs(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int]data.Indicator, len(defs))
	for _, d := range defs {
		byID[d.ID] = d
	}
	return byID, nil
}
