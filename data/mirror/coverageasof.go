package mirror

import (
	"context"
	"slices"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// RosterTimesBy are when each roster was planned and when it was published,
// by its history, for the rosters planned (published) by at: what a replay
// counts as there then. The history, not the journal: a roster another
// console made comes by sync with its history, not into this journal.
func (m *Mirror) RosterTimesBy(ctx context.Context, at time.Time) (planned, published map[string]time.Time, err error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT roster_uid, action, min(at) FROM roster_history
		WHERE action IN ('plan', 'publish') AND at <= ? GROUP BY roster_uid, action`, gpkg.Time{Time: at})
	if err != nil {
		return nil, nil, err
	}
	planned, published = map[string]time.Time{}, map[string]time.Time{}
	for rows.Next() {
		var uid, action string
		var when gpkg.Time
		if err := rows.Scan(&uid, &action, &when); err != nil {
			_ = rows.Close()
			return nil, nil, err
		}
		if action == "plan" {
			planned[uid] = when.Time
		} else {
			published[uid] = when.Time
		}
	}
	return planned, published, closeRows(rows)
}

// assignmentKey is one patrol of a roster: a unit, the grid or route it
// patrols, the shift.
type assignmentKey struct{ unit, grid, route, shift string }

func queryAssignments(ctx context.Context, q querier, query string, args ...any) ([]assignmentKey, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []assignmentKey
	for rows.Next() {
		var k assignmentKey
		if err := rows.Scan(&k.unit, &k.grid, &k.route, &k.shift); err != nil {
			_ = rows.Close()
			return nil, err
		}
		out = append(out, k)
	}
	return out, closeRows(rows)
}

// assignmentsAsOf are the patrols of the week's rosters published by at,
// to the region's grids and its streets' routes, as they were at at: the
// rosters' assignments now, with each history row after at taken back
// (newest first) — an assignment added since (assign, autofill, an
// amendment adding) removed, one removed since (unassign, an amendment
// removing) put back.
func (m *Mirror) assignmentsAsOf(ctx context.Context, region string, week data.Week, at time.Time) ([]assignmentKey, error) {
	when := gpkg.Time{Time: at}
	_, published, err := m.RosterTimesBy(ctx, at)
	if err != nil {
		return nil, err
	}
	ofWeek, err := queryColumn[string](ctx, m.DB, `SELECT uid FROM rosters WHERE week = ? ORDER BY uid`, week.String())
	if err != nil {
		return nil, err
	}
	var rosters []string
	for _, r := range ofWeek {
		if _, ok := published[r]; ok {
			rosters = append(rosters, r)
		}
	}
	var routes map[string]bool
	if rs, err := queryColumn[string](ctx, m.DB, `SELECT code FROM patrol_routes WHERE street_code LIKE ? || '%'`, region); err != nil {
		return nil, err
	} else {
		routes = make(map[string]bool, len(rs))
		for _, r := range rs {
			routes[r] = true
		}
	}
	var out []assignmentKey
	for _, r := range rosters {
		set, err := queryAssignments(ctx, m.DB, `SELECT unit_code, ifnull(grid_code, ''), ifnull(route_code, ''), shift
			FROM roster_assignments WHERE roster_uid = ?`, r)
		if err != nil {
			return nil, err
		}
		rows, err := m.DB.QueryContext(ctx, `SELECT action, unit_code, grid_code, route_code, shift, count FROM roster_history
			WHERE roster_uid = ? AND at > ? ORDER BY seq DESC`, r, when)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var action string
			var k assignmentKey
			var count int
			if err := rows.Scan(&action, &k.unit, &k.grid, &k.route, &k.shift, &count); err != nil {
				_ = rows.Close()
				return nil, err
			}
			switch {
			case action == "assign", action == "autofill", action == "amend" && count > 0:
				if i := slices.Index(set, k); i >= 0 {
					set = slices.Delete(set, i, i+1)
				}
			case action == "unassign", action == "amend" && count < 0:
				set = append(set, k)
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
		for _, k := range set {
			if k.grid != "" && strings.HasPrefix(k.grid, region) || k.route != "" && routes[k.route] {
				out = append(out, k)
			}
		}
	}
	return out, nil
}
