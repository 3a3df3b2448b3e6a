package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule"
)

// Publishing turns a roster into patrol orders through the orders path: one
// order per assignment (the unit and the grid as targets — for a route
// walk, the grids of the roster's region the route crosses —, the shift as
// the window), each with its journal entry. A published roster is changed only
// by amendments: an assignment added issues its order at once, one taken
// off cancels its order; nothing is rewritten silently.

// CheckRoster lists a roster's conflicts as the actor would publish it.
func (m *Mirror) CheckRoster(ctx context.Context, id, actor string, now time.Time) ([]schedule.Conflict, *schedule.Plan, error) {
	p, err := m.RosterPlan(ctx, id, actor, now)
	if err != nil {
		return nil, nil, err
	}
	return schedule.Check(p), p, nil
}

// PublishRoster issues the patrol orders of a roster read at version (0:
// not checked) and marks it published; refused while a hard conflict
// remains. It returns the roster and how many orders it issued (a roster
// published again issues only those of assignments added since).
//
// The roster is checked inside the write transaction, before it writes:
// the plan is read from the committed state, which no other writer can
// change while this one holds the file's lock, so what is checked is what
// is published (another roster published meanwhile, a unit put on leave,
// are seen).
func (m *Mirror) PublishRoster(ctx context.Context, id, actor string, version int64, now time.Time) (data.Roster, int, error) {
	var r data.Roster
	issued := 0
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, actor, data.ActRosterPublish)
		if err != nil {
			return err
		}
		if r, err = rosterBy(ctx, tx, id); err != nil {
			return err
		}
		if version != 0 && version != r.Version {
			return data.Refuse(data.CodeRosterChanged, "roster", data.Value("roster", r.ID))
		}
		if !user.Covers(r.Region) {
			return data.Refuse(data.CodeRosterOutsideJurisdiction, "roster", data.Value("region", r.Region), data.Value("jurisdiction", user.Jurisdiction))
		}
		conflicts, p, err := m.CheckRoster(ctx, r.ID, actor, now)
		if err != nil {
			return err
		}
		if hard := hardCount(conflicts); hard > 0 {
			return data.Refuse(data.CodeRosterHasConflicts, "roster", data.Value("roster", r.ID), data.Value("count", hard))
		}
		if issued, err = issueRosterOrders(ctx, tx, r, p, user.Login, now); err != nil {
			return err
		}
		r.Version++
		r.State = data.RosterPublished
		if _, err := tx.ExecContext(ctx, `UPDATE rosters SET state = ?, version = ?, published_at = ?, updated_at = ? WHERE uid = ?`,
			r.State, r.Version, gpkg.Time{Time: now}, gpkg.Time{Time: now}, r.ID); err != nil {
			return err
		}
		if err := rosterHistory(ctx, tx, r.ID, now, userID, "publish", historyRow{count: issued}); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindRosterPublish, Subject: r.ID, Actor: user.Login, At: now,
			Payload: map[string]any{"roster": r.ID, "orders": issued}})
		return err
	})
	return r, issued, err
}

// newHardConflicts are the hard conflicts of after that before does not
// have (a unit further over its limit counts as new: its count changed).
func newHardConflicts(before, after []schedule.Conflict) []schedule.Conflict {
	key := func(c schedule.Conflict) string {
		return fmt.Sprint(c.Kind, "|", c.Unit, "|", c.Grid, "|", c.Route, "|", c.Shift.String(), "|", c.Other.String(), "|", c.Count)
	}
	seen := map[string]bool{}
	for _, c := range before {
		if c.Hard {
			seen[key(c)] = true
		}
	}
	var out []schedule.Conflict
	for _, c := range after {
		if c.Hard && !seen[key(c)] {
			out = append(out, c)
		}
	}
	return out
}

// issueRosterOrders issues a patrol order for each assignment of the roster
// that has none yet, and links them.
func issueRosterOrders(ctx context.Context, tx *sql.Tx, r data.Roster, p *schedule.Plan, actor string, now time.Time) (int, error) {
	defer within(tx, "roster")() // the orders are part of the roster's change: sync replays that
	rows, err := tx.QueryContext(ctx, `SELECT uid, unit_code, ifnull(grid_code, ''), ifnull(route_code, ''), shift FROM roster_assignments
		WHERE roster_uid = ? AND order_uid IS NULL ORDER BY shift, unit_code, area_code`, r.ID)
	if err != nil {
		return 0, err
	}
	type pending struct {
		uid string
		a   data.RosterChange
	}
	var todo []pending
	for rows.Next() {
		var a pending
		if err := rows.Scan(&a.uid, &a.a.Unit, &a.a.Grid, &a.a.Route, &a.a.Shift); err != nil {
			_ = rows.Close()
			return 0, err
		}
		todo = append(todo, a)
	}
	if err := closeRows(rows); err != nil {
		return 0, err
	}
	for _, a := range todo {
		o, err := issueAssignmentOrder(ctx, tx, r, p.Shifts, p.Routes, a.a, actor, now)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE roster_assignments SET order_uid = ? WHERE uid = ?`, o.UID, a.uid); err != nil {
			return 0, err
		}
	}
	return len(todo), nil
}

// issueAssignmentOrder is the patrol order of one assignment (a's Unit,
// Grid or Route, and Shift); routes are the roster's plan's.
func issueAssignmentOrder(ctx context.Context, tx *sql.Tx, r data.Roster, shifts []data.ShiftDef, routes []schedule.Route, a data.RosterChange, actor string, now time.Time) (data.Order, error) {
	s, err := data.ParseShift(a.Shift, shifts)
	if err != nil {
		return data.Order{}, err
	}
	start, end := s.Span(shifts)
	targets, task := []string{a.Unit, a.Grid}, fmt.Sprintf("巡逻 %s · 排班 %s %s", a.Grid, r.Week, a.Shift)
	if a.Route != "" {
		// The route's grids in the roster's region: the order's targets are
		// what the unit patrols, within what the planner may order.
		targets = []string{a.Unit}
		for _, rt := range routes {
			if rt.Code == a.Route {
				for _, g := range rt.Grids {
					if strings.HasPrefix(g, r.Region) {
						targets = append(targets, g)
					}
				}
			}
		}
		task = fmt.Sprintf("巡逻路线 %s · 排班 %s %s", a.Route, r.Week, a.Shift)
	}
	req := data.OrderRequest{Type: data.OrderPatrol, Priority: data.PriorityNormal, Start: start, End: end,
		Task: task, Targets: targets, Actor: actor}
	if err := req.Check(); err != nil {
		return data.Order{}, err
	}
	return issueOrderTx(ctx, tx, req, now)
}

// amendPublished keeps a published roster's orders in step with a change
// made in the caller's transaction: an assignment added issues its order,
// one taken off cancels its order (uid: the assignment's order, if any;
// routes: the roster's plan's).
func amendPublished(ctx context.Context, tx *sql.Tx, r data.Roster, routes []schedule.Route, c data.RosterChange, shift string, add bool, orderUID string, user data.User, now time.Time) error {
	defer within(tx, "roster")()
	if add {
		c.Shift = shift
		o, err := issueAssignmentOrder(ctx, tx, r, r.Shifts, routes, c, user.Login, now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE roster_assignments SET order_uid = ? WHERE roster_uid = ? AND unit_code = ? AND area_code = ? AND shift = ?`,
			o.UID, r.ID, c.Unit, c.Grid+c.Route, shift)
		return err
	}
	if orderUID == "" {
		return nil
	}
	o, err := findOrder(ctx, tx, orderUID)
	if err != nil {
		return err
	}
	// An order already cancelled, done or overdue stays as it is: the
	// assignment is taken off, the order's record kept.
	if !o.State.CanMoveTo(data.OrderCancelled) {
		return nil
	}
	_, err = moveOrderTx(ctx, tx, o, data.OrderCancelled, user, now, "roster "+r.ID+" amended")
	return err
}

func hardCount(cs []schedule.Conflict) int {
	n := 0
	for _, c := range cs {
		if c.Hard {
			n++
		}
	}
	return n
}
