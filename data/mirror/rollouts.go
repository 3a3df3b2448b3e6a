package mirror

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// Pilots and rollouts (issue 16): the regions a project is piloted in,
// rolled out to or planned for, set through the one path (permitted with
// data.ActProjectEdit, the region in the actor's jurisdiction, the
// project's stage allowing the state, then the row, its history row and
// its journal entry in one transaction), and its indicators before and
// after in each region.

// SetRollout sets the project's state in a region (a district, street or
// community of the mirror, in actor's jurisdiction) at now, its Since. The
// state a region has already is left as it is (nothing written).
func (m *Mirror) SetRollout(ctx context.Context, key, region string, state data.RolloutState, actor string, now time.Time) (data.Rollout, error) {
	r := data.Rollout{Region: strings.TrimSpace(region), State: state, Since: now.UTC().Truncate(time.Millisecond)}
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, actor, data.ActProjectEdit)
		if err != nil {
			return err
		}
		p, err := projectRow(ctx, tx, key)
		if err != nil {
			return err
		}
		r.Project = p.Key
		if err := programRegion(ctx, tx, user, r.Region); err != nil {
			return err
		}
		if err := data.CheckRollout(p.Key, p.Stage, state); err != nil {
			return err
		}
		var from data.RolloutState
		var since gpkg.Time
		switch err := tx.QueryRowContext(ctx, `SELECT state, +since FROM project_rollouts WHERE project_uid = ? AND region_code = ?`,
			p.Key, r.Region).Scan(&from, &since); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case from == state:
			r.Since = since.Time
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_rollouts (project_uid, region_code, state, since) VALUES (?, ?, ?, ?)
			ON CONFLICT (project_uid, region_code) DO UPDATE SET state = excluded.state, since = excluded.since`,
			p.Key, r.Region, state, gpkg.Time{Time: r.Since}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_rollout_history (project_uid, region_code, seq, at, actor, from_state, to_state)
			VALUES (?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM project_rollout_history WHERE project_uid = ?1 AND region_code = ?2), ?3, ?4, ?5, ?6)`,
			p.Key, r.Region, gpkg.Time{Time: r.Since}, userID, from, state); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindProjectRollout, Subject: p.Key, Actor: user.Login, At: now,
			Payload: map[string]any{"uid": p.Key, "region": r.Region, "from": string(from), "to": string(state)}})
		return err
	})
	return r, err
}

// Rollouts lists a project's regions (its key or a prefix of at least 8
// characters naming one), pilots first, then rolled out, then planned,
// each by region code.
func (m *Mirror) Rollouts(ctx context.Context, key string) ([]data.Rollout, error) {
	p, err := projectRow(ctx, m.DB, key)
	if err != nil {
		return nil, err
	}
	return m.rollouts(ctx, `WHERE project_uid = ?`, p.Key)
}

// RolloutsAt lists a project's regions as they stood at at, in Rollouts'
// order: each region's last state set by then (from the rollouts'
// history), since when it was set; a region set only later is not there.
func (m *Mirror) RolloutsAt(ctx context.Context, key string, at time.Time) ([]data.Rollout, error) {
	p, err := projectRow(ctx, m.DB, key)
	if err != nil {
		return nil, err
	}
	return m.rolloutsFrom(ctx, rolloutsThen, `WHERE project_uid = ?2`, gpkg.Time{Time: at}, p.Key)
}

// rolloutsThen are the rollouts as they stood at ?1, of project_rollouts'
// columns: each region's last state set by then (its history's last row).
const rolloutsThen = `(SELECT h.project_uid, h.region_code, h.to_state AS state, h.at AS since FROM project_rollout_history h
	WHERE h.seq = (SELECT max(seq) FROM project_rollout_history
		WHERE project_uid = h.project_uid AND region_code = h.region_code AND at <= ?1))`

func (m *Mirror) rollouts(ctx context.Context, where string, args ...any) ([]data.Rollout, error) {
	return m.rolloutsFrom(ctx, `project_rollouts`, where, args...)
}

// rolloutsFrom reads rollouts from a table or subquery of project_rollouts'
// columns.
func (m *Mirror) rolloutsFrom(ctx context.Context, from, where string, args ...any) ([]data.Rollout, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT project_uid, region_code, state, +since FROM `+from+` `+where+`
		ORDER BY CASE state WHEN 'pilot' THEN 0 WHEN 'rolled_out' THEN 1 ELSE 2 END, region_code, project_uid`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Rollout
	for rows.Next() {
		var r data.Rollout
		var since gpkg.Time
		if err := rows.Scan(&r.Project, &r.Region, &r.State, &since); err != nil {
			return nil, err
		}
		r.Since = since.Time
		out = append(out, r)
	}
	return out, rows.Err()
}

// RolloutStates maps every region some project is piloted in, rolled out
// to or planned for to its state, for the map's theme: where projects
// differ, a pilot outranks a rollout, which outranks a plan.
func (m *Mirror) RolloutStates(ctx context.Context) (map[string]data.RolloutState, error) {
	return statesByRegion(m.rollouts(ctx, ``))
}

// RolloutStatesAt are RolloutStates as they stood at at (RolloutsAt's
// rollouts of every project), for a replay's map.
func (m *Mirror) RolloutStatesAt(ctx context.Context, at time.Time) (map[string]data.RolloutState, error) {
	return statesByRegion(m.rolloutsFrom(ctx, rolloutsThen, ``, gpkg.Time{Time: at}))
}

// statesByRegion maps the regions of rollouts read in rollouts' order
// (pilots first) to a state each.
func statesByRegion(all []data.Rollout, err error) (map[string]data.RolloutState, error) {
	if err != nil {
		return nil, err
	}
	out := map[string]data.RolloutState{}
	for _, r := range all { // pilots first: the first state a region gets stands
		if _, ok := out[r.Region]; !ok {
			out[r.Region] = r.State
		}
	}
	return out, nil
}

// RolloutIndicators compares an indicator in a region of the project's
// rollout: its mean over data.RolloutWindow before the rollout's Since and
// over the one after (Since included), from the hourly archive and the
// values fed (IndicatorSeries). A community's values are its street's.
func (m *Mirror) RolloutIndicators(ctx context.Context, key, indicator, region string) (data.RolloutComparison, error) {
	p, err := projectRow(ctx, m.DB, key)
	if err != nil {
		return data.RolloutComparison{Indicator: indicator}, err
	}
	all, err := m.rollouts(ctx, `WHERE project_uid = ? AND region_code = ?`, p.Key, region)
	if err != nil {
		return data.RolloutComparison{Indicator: indicator}, err
	}
	if len(all) == 0 {
		return data.RolloutComparison{Indicator: indicator},
			data.Refuse(data.CodeRolloutUnknown, "region", data.Value("project", p.Key), data.Value("region", region))
	}
	return m.CompareRollout(ctx, all[0], indicator, time.Time{})
}

// CompareRollout compares an indicator around a rollout as RolloutIndicators
// does, for a rollout as given (one as it stood at a past moment,
// RolloutsAt), with the side after ending at until when that is earlier
// than the window's end (a replay: the values measured by then); zero
// until: the whole window.
func (m *Mirror) CompareRollout(ctx context.Context, r data.Rollout, indicator string, until time.Time) (data.RolloutComparison, error) {
	c := data.RolloutComparison{Indicator: indicator, Rollout: r, MeasuredIn: r.Region}
	if len(r.Region) == data.LevelCommunity.CodeLength() {
		c.MeasuredIn = r.Region[:data.LevelStreet.CodeLength()]
	}
	c.From, c.Until = c.Since.Add(-data.RolloutWindow), c.Since.Add(data.RolloutWindow)
	if !until.IsZero() && until.Before(c.Until) {
		c.Until = until
	}
	if !c.Until.After(c.From) {
		return c, nil // nothing measured yet
	}
	s, err := m.IndicatorSeries(ctx, indicator, c.MeasuredIn, c.From, c.Until)
	if err != nil {
		return c, err
	}
	for _, pt := range s.Points {
		switch {
		case pt.At.After(c.Until):
		case pt.At.Before(c.Since):
			c.Before += pt.Value
			c.BeforeN++
		default:
			c.After += pt.Value
			c.AfterN++
		}
	}
	if c.BeforeN > 0 {
		c.Before /= float64(c.BeforeN)
	}
	if c.AfterN > 0 {
		c.After /= float64(c.AfterN)
	}
	return c, nil
}
