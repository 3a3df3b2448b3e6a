package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule"
)

// Patrol rosters (issue 10): planned as drafts for a district or a street
// and a week, changed one assignment at a time, each change with its
// history row and journal entry in one transaction and the roster's version
// bumped (a change made on an older version is refused: the roster changed
// meanwhile).

// PlanRoster makes a draft roster for a region (a district or a street
// code) and an ISO week, with the district's shift table.
func (m *Mirror) PlanRoster(ctx context.Context, region, week, actor string, now time.Time) (data.Roster, error) {
	var r data.Roster
	w, err := data.ParseWeek(week)
	if err != nil {
		return r, err
	}
	if len(region) != 6 && len(region) != 9 {
		return r, data.Refuse(data.CodeRosterRegion, "region", data.Value("code", region))
	}
	err = m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, actor, data.ActRosterEdit)
		if err != nil {
			return err
		}
		if err := regionExists(ctx, tx, region); err != nil {
			return err
		}
		if !user.Covers(region) {
			return data.Refuse(data.CodeRosterOutsideJurisdiction, "region", data.Value("region", region), data.Value("jurisdiction", user.Jurisdiction))
		}
		shifts, err := districtShifts(ctx, tx, region[:6])
		if err != nil {
			return err
		}
		js, err := json.Marshal(shiftsJSON(shifts))
		if err != nil {
			return err
		}
		if r.ID, err = newUID(tx); err != nil {
			return err
		}
		// Versions start at 1: a change made with version 0 is not checked.
		r.Region, r.Week, r.State, r.Shifts, r.Version = region, w, data.RosterDraft, shifts, 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO rosters (uid, region_code, week, state, version, shifts, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`, r.ID, region, w.String(), r.State, string(js), userID, gpkg.Time{Time: now}, gpkg.Time{Time: now}); err != nil {
			return err
		}
		if err := rosterHistory(ctx, tx, r.ID, now, userID, "plan", historyRow{}); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindRosterPlan, Subject: r.ID, Actor: user.Login, At: now,
			Payload: map[string]any{"uid": r.ID, "region": region, "week": w.String(), "shifts": shiftsJSON(shifts)}})
		return err
	})
	return r, err
}

// AssignPatrol adds a unit patrolling an area — a grid, or a patrol route
// (c.Grid or c.Route, exactly one) — in a shift to a roster. Conflicts
// with other assignments (double booking, rest, shifts per week,
// availability, a route walked out of its time) are the check's to list;
// what is refused here is what can never be right: an unknown roster,
// unit, grid, route or shift, neither or both of a grid and a route, a
// grid or route outside the roster's region, a shift outside its week, a
// unit or region outside the actor's jurisdiction.
//
// On a published roster the change is an amendment: its patrol order is
// issued at once, and it is refused if it would bring a hard conflict (a
// published roster never has one).
func (m *Mirror) AssignPatrol(ctx context.Context, c data.RosterChange, now time.Time) (data.Roster, error) {
	return m.changeRoster(ctx, c, now, true)
}

// UnassignPatrol takes an assignment off a roster.
func (m *Mirror) UnassignPatrol(ctx context.Context, c data.RosterChange, now time.Time) (data.Roster, error) {
	return m.changeRoster(ctx, c, now, false)
}

func (m *Mirror) changeRoster(ctx context.Context, c data.RosterChange, now time.Time, add bool) (data.Roster, error) {
	var r data.Roster
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, c.Actor, data.ActRosterEdit)
		if err != nil {
			return err
		}
		if r, err = rosterBy(ctx, tx, c.Roster); err != nil {
			return err
		}
		if !user.Covers(r.Region) {
			return data.Refuse(data.CodeRosterOutsideJurisdiction, "roster", data.Value("region", r.Region), data.Value("jurisdiction", user.Jurisdiction))
		}
		if c.Version != 0 && c.Version != r.Version {
			return data.Refuse(data.CodeRosterChanged, "roster", data.Value("roster", r.ID))
		}
		shift, err := data.ParseShift(c.Shift, r.Shifts)
		if err != nil {
			return err
		}
		if data.WeekOf(shift.Day) != r.Week {
			return data.Refuse(data.CodeShiftOutsideWeek, "shift", data.Value("shift", c.Shift), data.Value("week", r.Week.String()))
		}
		var unitGrid string
		err = tx.QueryRowContext(ctx, `SELECT grid_code FROM units WHERE code = ?`, c.Unit).Scan(&unitGrid)
		if errors.Is(err, sql.ErrNoRows) {
			return data.Refuse(data.CodeUnitUnknown, "unit", data.Value("unit", c.Unit))
		}
		if err != nil {
			return err
		}
		// Putting a unit on a roster needs the unit within the actor's
		// jurisdiction; taking one off needs only the roster's region (a
		// district's planner may remove a unit a city planner lent to it).
		if add && !user.Covers(unitGrid) {
			return data.Refuse(data.CodeUnitOutsideJurisdiction, "unit", data.Value("unit", c.Unit), data.Value("jurisdiction", user.Jurisdiction))
		}
		street, err := areaStreet(ctx, tx, c, r.Region)
		if err != nil {
			return err
		}
		area := c.Grid + c.Route // one of them is ""
		action, kind := "assign", data.KindRosterAssign
		lent := unitGrid[:9] != street
		var orderUID sql.NullString
		var routes []schedule.Route // the plan's, for an amendment's order
		if add && r.State == data.RosterPublished {
			// An amendment: checked here, inside the transaction, on the
			// committed state no other writer can change meanwhile.
			p, err := m.RosterPlan(ctx, r.ID, c.Actor, now)
			if err != nil {
				return err
			}
			before := schedule.Check(p)
			p.Assignments = append(p.Assignments, data.Assignment{Unit: c.Unit, Grid: c.Grid, Route: c.Route, Shift: shift})
			if added := newHardConflicts(before, schedule.Check(p)); len(added) > 0 {
				return data.Refuse(data.CodeRosterHasConflicts, "roster", data.Value("roster", r.ID), data.Value("count", len(added)))
			}
			routes = p.Routes
		}
		if add {
			uid, err := newUID(tx)
			if err != nil {
				return err
			}
			// Adding what is there already changes nothing and is no error.
			res, err := tx.ExecContext(ctx, `INSERT INTO roster_assignments (uid, roster_uid, unit_code, grid_code, route_code, shift, lent)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (roster_uid, unit_code, area_code, shift) DO NOTHING`,
				uid, r.ID, c.Unit, nullIfEmpty(c.Grid), nullIfEmpty(c.Route), shift.String(), lent)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if k == 0 {
				// There already: nothing to do, unless the roster is
				// published and the patrol's order was cancelled meanwhile
				// (elsewhere): then it is issued again.
				if r.State != data.RosterPublished {
					return nil
				}
				var live int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM roster_assignments a JOIN orders o ON o.uid = a.order_uid
					WHERE a.roster_uid = ? AND a.unit_code = ? AND a.area_code = ? AND a.shift = ? AND o.state != 'cancelled'`,
					r.ID, c.Unit, area, shift.String()).Scan(&live); err != nil {
					return err
				}
				if live > 0 {
					return nil
				}
			}
		} else {
			action, kind = "unassign", data.KindRosterUnassign
			if err := tx.QueryRowContext(ctx, `SELECT order_uid FROM roster_assignments WHERE roster_uid = ? AND unit_code = ? AND area_code = ? AND shift = ?`,
				r.ID, c.Unit, area, shift.String()).Scan(&orderUID); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM roster_assignments WHERE roster_uid = ? AND unit_code = ? AND area_code = ? AND shift = ?`,
				r.ID, c.Unit, area, shift.String())
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil {
				return err
			} else if k == 0 {
				return data.Refuse(data.CodeAssignmentUnknown, "assignment", data.Value("unit", c.Unit), data.Value("grid", area), data.Value("shift", shift.String()))
			}
		}
		amended := r.State == data.RosterPublished
		if amended {
			if err := amendPublished(ctx, tx, r, routes, c, shift.String(), add, orderUID.String, user, now); err != nil {
				return err
			}
		}
		r.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE rosters SET version = ?, updated_at = ? WHERE uid = ?`, r.Version, gpkg.Time{Time: now}, r.ID); err != nil {
			return err
		}
		count := 0 // an amendment says what it did: +1 an order issued, -1 one cancelled
		if amended {
			action, count = "amend", 1
			if !add {
				count = -1
			}
		}
		if err := rosterHistory(ctx, tx, r.ID, now, userID, action, historyRow{c.Unit, c.Grid, c.Route, shift.String(), count}); err != nil {
			return err
		}
		payload := map[string]any{"roster": r.ID, "unit": c.Unit, "grid": c.Grid, "shift": shift.String(), "lent": lent && add, "amendment": amended}
		if c.Route != "" {
			payload["route"] = c.Route
		}
		_, err = journalAppend(ctx, tx, change{Kind: kind, Subject: r.ID, Actor: user.Login, At: now, Payload: payload})
		return err
	})
	return r, err
}

// Roster reads a roster with its assignments (shift order, then unit).
func (m *Mirror) Roster(ctx context.Context, id string) (data.RosterView, error) {
	var v data.RosterView
	r, err := rosterBy(ctx, m.DB, id)
	if err != nil {
		return v, err
	}
	v.Roster = r
	// A week has a handful of shifts and a district roster thousands of
	// assignments: each shift is parsed once, and sorted by its place.
	order := map[string]int{}
	byName := map[string]data.Shift{}
	for i, s := range data.WeekShifts(r.Week, r.Shifts) {
		order[s.String()], byName[s.String()] = i, s
	}
	// One row for all: go-sqlite3 costs more per row handed to Go than
	// SQLite reading it (a district's week is ~17,000 rows: 30 ms as rows).
	var all sql.NullString
	// (Codes have no spaces; "-" stands for the area kind not set.)
	if err := m.DB.QueryRowContext(ctx, `SELECT group_concat(unit_code || ' ' || ifnull(grid_code, '-') || ' ' || ifnull(route_code, '-')
		|| ' ' || shift || ' ' || lent, char(10))
		FROM roster_assignments WHERE roster_uid = ?`, r.ID).Scan(&all); err != nil {
		return v, err
	}
	var keys []int
	for line := range strings.Lines(all.String) {
		f := strings.Fields(line)
		if len(f) != 5 {
			return v, fmt.Errorf("roster %s: assignment %q", r.ID, line)
		}
		unset := func(code string) string {
			if code == "-" {
				return ""
			}
			return code
		}
		a := data.Assignment{Unit: f[0], Grid: unset(f[1]), Route: unset(f[2]), Lent: f[4] == "1"}
		shift := f[3]
		s, ok := byName[shift]
		if !ok {
			// Not a shift of the roster's week (written by hand): read it
			// as it is; the check reports it.
			var err error
			if s, err = data.ParseShift(shift, r.Shifts); err != nil {
				return v, err
			}
			order[shift] = len(order)
		}
		a.Shift = s
		v.Assignments = append(v.Assignments, a)
		keys = append(keys, order[shift])
	}
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool {
		a, b := idx[i], idx[j]
		if keys[a] != keys[b] {
			return keys[a] < keys[b]
		}
		if ua, ub := v.Assignments[a].Unit, v.Assignments[b].Unit; ua != ub {
			return ua < ub
		}
		return v.Assignments[a].Area() < v.Assignments[b].Area()
	})
	sorted := make([]data.Assignment, len(idx))
	for i, k := range idx {
		sorted[i] = v.Assignments[k]
	}
	v.Assignments = sorted
	return v, nil
}

// rosterBy reads a roster by its key or a prefix of it (at least 8
// characters, as people copy it from a listing).
func rosterBy(ctx context.Context, q querier, id string) (data.Roster, error) {
	var r data.Roster
	var week, shifts string
	if len(id) < 8 {
		return r, data.Refuse(data.CodeRosterUnknown, "roster", data.Value("roster", id))
	}
	// The key itself, or the one key it begins (compared as text, not LIKE:
	// no wildcards); a prefix two keys share is refused, as keys made in
	// the same minute share their first characters (UUIDv7).
	rows, err := q.QueryContext(ctx, `SELECT uid, region_code, week, state, version, shifts FROM rosters
		WHERE uid = ?1 OR substr(uid, 1, length(?1)) = ?1 ORDER BY uid = ?1 DESC LIMIT 2`, id)
	if err != nil {
		return r, err
	}
	n, exact := 0, false
	for rows.Next() {
		n++
		if n == 1 {
			if err := rows.Scan(&r.ID, &r.Region, &week, &r.State, &r.Version, &shifts); err != nil {
				_ = rows.Close()
				return r, err
			}
			exact = r.ID == id
		}
	}
	if err := closeRows(rows); err != nil {
		return r, err
	}
	switch {
	case n == 0:
		return r, data.Refuse(data.CodeRosterUnknown, "roster", data.Value("roster", id))
	case n > 1 && !exact:
		return data.Roster{}, data.Refuse(data.CodeRosterAmbiguous, "roster", data.Value("roster", id))
	}
	if r.Week, err = data.ParseWeek(week); err != nil {
		return r, err
	}
	var sj []shiftJSON
	if err := json.Unmarshal([]byte(shifts), &sj); err != nil {
		return r, err
	}
	for _, s := range sj {
		r.Shifts = append(r.Shifts, data.ShiftDef{Name: s.Name, Start: s.Start, End: s.End})
	}
	return r, nil
}

// shiftJSON is a shift as a roster and a district's rules store it.
type shiftJSON struct {
	Name  string `json:"name"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

func shiftsJSON(defs []data.ShiftDef) []shiftJSON {
	out := make([]shiftJSON, len(defs))
	for i, d := range defs {
		out[i] = shiftJSON{d.Name, d.Start, d.End}
	}
	return out
}

// districtShifts is a district's shift table: its own if it set one, else
// the default.
func districtShifts(ctx context.Context, q queryRower, district string) ([]data.ShiftDef, error) {
	var js sql.NullString
	err := q.QueryRowContext(ctx, `SELECT shifts FROM district_schedule_rules WHERE district_code = ?`, district).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !js.Valid {
		return append([]data.ShiftDef(nil), data.DefaultShifts...), nil
	}
	if err != nil {
		return nil, err
	}
	var sj []shiftJSON
	if err := json.Unmarshal([]byte(js.String), &sj); err != nil {
		return nil, err
	}
	out := make([]data.ShiftDef, len(sj))
	for i, s := range sj {
		out[i] = data.ShiftDef{Name: s.Name, Start: s.Start, End: s.End}
	}
	return out, data.CheckShifts(out)
}

// regionExists refuses a region code the mirror does not have.
func regionExists(ctx context.Context, q queryRower, code string) error {
	table, kind, err := regionTable(code)
	if err != nil {
		return err
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE code = ?`, code).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return data.Refuse(data.CodeRegionUnknown, "region", data.Term("kind", kind), data.Value("code", code))
	}
	return nil
}

// historyRow is what a roster's history row says beyond who and when: the
// unit, its area (grid or route), the shift, and a count.
type historyRow struct {
	unit, grid, route, shift string
	count                    int
}

func rosterHistory(ctx context.Context, tx *sql.Tx, roster string, at time.Time, actor int64, action string, h historyRow) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO roster_history (roster_uid, seq, at, actor, action, unit_code, grid_code, route_code, shift, count)
		VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM roster_history WHERE roster_uid = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
		roster, gpkg.Time{Time: at}, actor, action, h.unit, h.grid, h.route, h.shift, h.count)
	return err
}

// rosterHistoryRows writes many history rows of one action with one
// prepared statement, numbered on from the roster's last.
func rosterHistoryRows(ctx context.Context, tx *sql.Tx, roster string, at time.Time, actor int64, action string, hs []historyRow) error {
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM roster_history WHERE roster_uid = ?`, roster).Scan(&last); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO roster_history (roster_uid, seq, at, actor, action, unit_code, grid_code, route_code, shift, count)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	when := gpkg.Time{Time: at}
	for i, h := range hs {
		if _, err := ins.ExecContext(ctx, roster, last+int64(i)+1, when, actor, action, h.unit, h.grid, h.route, h.shift, h.count); err != nil {
			return err
		}
	}
	return nil
}

// areaStreet checks the area of a change — a grid or a route, exactly one,
// known, inside the roster's region — and gives its street.
func areaStreet(ctx context.Context, q queryRower, c data.RosterChange, region string) (string, error) {
	if (c.Grid == "") == (c.Route == "") {
		return "", data.Refuse(data.CodeAreaEither, "area")
	}
	if c.Route != "" {
		var street string
		err := q.QueryRowContext(ctx, `SELECT street_code FROM patrol_routes WHERE code = ?`, c.Route).Scan(&street)
		if errors.Is(err, sql.ErrNoRows) {
			return "", data.Refuse(data.CodeRouteUnknown, "route", data.Value("route", c.Route))
		}
		if err != nil {
			return "", err
		}
		if !strings.HasPrefix(street, region) {
			return "", data.Refuse(data.CodeRouteOutsideRoster, "route", data.Value("route", c.Route), data.Value("region", region))
		}
		return street, nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM grids WHERE code = ?`, c.Grid).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		return "", data.Refuse(data.CodeGridUnknown, "grid", data.Value("grid", c.Grid))
	}
	if !strings.HasPrefix(c.Grid, region) {
		return "", data.Refuse(data.CodeGridOutsideRoster, "grid", data.Value("grid", c.Grid), data.Value("region", region))
	}
	return c.Grid[:min(9, len(c.Grid))], nil
}

// nullIfEmpty is NULL for "", for optional references.
func nullIfEmpty(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
