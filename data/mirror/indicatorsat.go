package mirror

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// IndicatorStatusesAt is how the indicators stood at a past moment, for a
// replay, writing nothing (EvaluateIndicators writes the statuses and the
// alerts of now): each series' latest value up to then, with its baseline,
// judged against its thresholds with the hysteresis of the severity it had
// just before that value — the alert open then, as the alerts table
// records it (alerts open and clear at the time of the value that did it).
// The same filter as IndicatorStatuses.
func (m *Mirror) IndicatorStatusesAt(ctx context.Context, f data.IndicatorFilter, at time.Time) ([]data.IndicatorStatus, error) {
	if err := checkPrefix(f.Region); err != nil {
		return nil, err
	}
	defs, err := m.IndicatorDefs(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int]*data.Indicator, len(defs))
	for i := range defs {
		byID[defs[i].ID] = &defs[i]
	}
	samples, err := latestSamples(ctx, m.DB, defs, at, &m.archive)
	if err != nil {
		return nil, err
	}
	city, err := m.Meta(ctx, "city_code")
	if err != nil {
		return nil, err
	}
	// The alerts of each series open at some point up to then, to find
	// the one open just before each series' latest value.
	type alert struct {
		opened, cleared time.Time
		severity        data.Severity
	}
	open := map[series][]alert{}
	rows, err := m.DB.QueryContext(ctx, `SELECT indicator_id, region_code, severity, opened_at, cleared_at FROM alerts WHERE opened_at <= ?`,
		gpkg.Time{Time: at})
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s series
		var sev string
		var opened gpkg.Time
		var cleared gpkg.NullTime
		if err := rows.Scan(&s.id, &s.region, &sev, &opened, &cleared); err != nil {
			_ = rows.Close()
			return nil, err
		}
		a := alert{opened: opened.Time, cleared: cleared.Time}
		a.severity, _ = data.ParseSeverity(sev)
		open[s] = append(open[s], a)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	var out []data.IndicatorStatus
	for s, v := range samples {
		d := byID[s.id]
		switch {
		case d == nil,
			f.Within && !strings.HasPrefix(s.region, f.Region),
			!f.Within && f.Region != "" && s.region != f.Region,
			!f.Within && f.Region == "" && s.region != city,
			f.Category != "" && d.Category != f.Category,
			f.Indicator != "" && d.Code != f.Indicator:
			continue
		}
		before := data.Normal
		for _, a := range open[s] {
			if a.opened.Before(v.at) && (a.cleared.IsZero() || !a.cleared.Before(v.at)) {
				before = a.severity
			}
		}
		st := data.IndicatorStatus{Indicator: *d, Region: s.region, At: v.at.UTC(), Value: v.value, Severity: judge(d, v, before)}
		if !math.IsNaN(v.baseline) {
			st.Baseline = v.baseline
		}
		if f.AtLeast > data.Normal && st.Severity < f.AtLeast {
			continue
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b data.IndicatorStatus) int {
		if a.Indicator.ID != b.Indicator.ID {
			return a.Indicator.ID - b.Indicator.ID
		}
		return strings.Compare(a.Region, b.Region)
	})
	return out, nil
}
