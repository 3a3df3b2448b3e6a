package mirror

import (
	"context"
	"database/sql"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule"
	"kapok/data/schedule/autofill"
)

// AutoFill proposes assignments for a roster read at version (0: not
// checked) with data/schedule/autofill and adds them, all in one
// transaction with one history row and one journal entry (the count); a
// roster changed since it was read, or since the proposal was computed, is
// refused. On a published roster the new assignments are amendments: their
// orders are issued at once. progress (may be nil) follows the proposal.
func (m *Mirror) AutoFill(ctx context.Context, id, actor string, version int64, now time.Time, progress func(done, total int)) (data.Roster, autofill.Result, error) {
	p, err := m.RosterPlan(ctx, id, actor, now)
	if err != nil {
		return data.Roster{}, autofill.Result{}, err
	}
	r, err := rosterBy(ctx, m.DB, id)
	if err != nil {
		return r, autofill.Result{}, err
	}
	if version != 0 && version != r.Version {
		return r, autofill.Result{}, data.Refuse(data.CodeRosterChanged, "roster", data.Value("roster", r.ID))
	}
	// A unit another draft has in a shift is not proposed for it: the
	// fill would make a conflict of its own.
	for i := range p.Units {
		u := &p.Units[i]
		for shift := range u.Booked {
			if u.Unavailable == nil {
				u.Unavailable = map[string]bool{}
			}
			u.Unavailable[shift] = true
		}
	}
	res, err := autofill.Fill(ctx, p, progress)
	if err != nil {
		return r, res, err
	}
	r, err = m.applyFill(ctx, r, actor, res, now)
	return r, res, err
}

// applyFill writes a fill's proposal (made outside the transaction, on the
// roster r as it was read) with its history and journal entry, checked
// again on the committed state. Sync replays a fill from its entry through
// here: the assignments it made, not a new proposal.
func (m *Mirror) applyFill(ctx context.Context, r data.Roster, actor string, res autofill.Result, now time.Time) (data.Roster, error) {
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, actor, data.ActRosterEdit)
		if err != nil {
			return err
		}
		cur, err := rosterBy(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if cur.Version != r.Version {
			return data.Refuse(data.CodeRosterChanged, "roster", data.Value("roster", r.ID))
		}
		// The proposal was made outside this transaction: checked again on
		// the committed state (no other writer can change it meanwhile),
		// it must bring no hard conflict — another roster published, a unit
		// put on leave since would refuse it as changed meanwhile.
		now2, err := m.RosterPlan(ctx, r.ID, actor, now)
		if err != nil {
			return err
		}
		before := schedule.Check(now2)
		now2.Assignments = append(now2.Assignments, res.Assignments...)
		if len(newHardConflicts(before, schedule.Check(now2))) > 0 {
			return data.Refuse(data.CodeRosterChanged, "roster", data.Value("roster", r.ID))
		}
		if !user.Covers(r.Region) {
			return data.Refuse(data.CodeRosterOutsideJurisdiction, "roster", data.Value("region", r.Region), data.Value("jurisdiction", user.Jurisdiction))
		}
		// A district's week is thousands of rows: one prepared statement
		// for them all (preparing each took a third of the write).
		ins, err := tx.PrepareContext(ctx, `INSERT INTO roster_assignments (uid, roster_uid, unit_code, grid_code, route_code, shift, lent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, a := range res.Assignments {
			uid, err := newUID(tx)
			if err != nil {
				return err
			}
			if _, err := ins.ExecContext(ctx, uid, r.ID, a.Unit, nullIfEmpty(a.Grid), nullIfEmpty(a.Route), a.Shift.String(), a.Lent); err != nil {
				return err
			}
		}
		if r.State == data.RosterPublished {
			if _, err := issueRosterOrders(ctx, tx, r, now2, user.Login, now); err != nil {
				return err
			}
		}
		r.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE rosters SET version = ?, updated_at = ? WHERE uid = ?`, r.Version, gpkg.Time{Time: now}, r.ID); err != nil {
			return err
		}
		// A history row per assignment added, and all of them in the
		// journal entry: what the fill did is on record, not just how much
		// (grid patrols as added, route walks as walked: unit, area, shift).
		added, walked := [][3]string{}, [][3]string{}
		rows := make([]historyRow, len(res.Assignments))
		for i, a := range res.Assignments {
			rows[i] = historyRow{a.Unit, a.Grid, a.Route, a.Shift.String(), 1}
		}
		if err := rosterHistoryRows(ctx, tx, r.ID, now, userID, "autofill", rows); err != nil {
			return err
		}
		for _, a := range res.Assignments {
			if a.Route != "" {
				walked = append(walked, [3]string{a.Unit, a.Route, a.Shift.String()})
			} else {
				added = append(added, [3]string{a.Unit, a.Grid, a.Shift.String()})
			}
		}
		payload := map[string]any{"roster": r.ID, "added": added, "uncovered": len(res.Uncovered), "travel_m": int64(res.Travel)}
		if len(walked) > 0 {
			payload["walked"] = walked
		}
		var lent []string // "unit area shift" of the lent ones, so a replay lends the same
		for _, a := range res.Assignments {
			if a.Lent {
				lent = append(lent, a.Unit+" "+a.Grid+a.Route+" "+a.Shift.String())
			}
		}
		if len(lent) > 0 {
			payload["lent_units"] = lent
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindRosterAutofill, Subject: r.ID, Actor: user.Login, At: now, Payload: payload})
		return err
	})
	return r, err
}
