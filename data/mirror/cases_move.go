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

// caseStep is what every change of a case shares: the actor permitted the
// action, the case read under the write lock, its version and jurisdiction
// checked.
func caseStep(ctx context.Context, tx *sql.Tx, code, actor string, action data.Action, version int64) (data.User, caseRow, error) {
	user, _, err := permitted(ctx, tx, actor, action)
	if err != nil {
		return user, caseRow{}, err
	}
	c, err := readCase(ctx, tx, code)
	if err != nil {
		return user, c, err
	}
	if version != 0 && version != c.version {
		return user, c, data.Refuse(data.CodeCaseChanged, "case", data.Value("case", code))
	}
	if !user.Covers(c.grid) {
		return user, c, data.Refuse(data.CodeCaseOutsideJurisdiction, "case", data.Value("case", code), data.Value("grid", c.grid),
			data.Value("jurisdiction", user.Jurisdiction))
	}
	return user, c, nil
}

// stepAction is the action a step of the workflow is: feeding back is a
// grid's (its workers may), every other step the command post's.
func stepAction(to data.EventState) data.Action {
	if to == data.EventFedBack {
		return data.ActCaseFeedback
	}
	return data.ActCaseHandle
}

// MoveCase moves a case one step through the workflow. Dispatching holds
// the units given (each must be available and within the actor's
// jurisdiction) and starts the clock; feedback, closing, returning and
// parking release them.
func (m *Mirror) MoveCase(ctx context.Context, mv data.CaseMove, now time.Time) (data.CaseRow, error) {
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, c, err := caseStep(ctx, tx, mv.Case, mv.Actor, stepAction(mv.To), mv.Version)
		if err != nil {
			return err
		}
		if f := data.CheckMove(c.code, c.state, mv); f != nil {
			return f
		}
		units := data.NonEmpty(mv.Units)
		matter, err := matterBy(ctx, tx, c.matter)
		if err != nil {
			return err
		}
		dispatched, deadline, closed := c.dispatched, c.deadline, c.closed
		set := []string{"state = ?", "version = version + 1"}
		args := []any{mv.To}
		note := strings.TrimSpace(mv.Reason)
		switch mv.To {
		case data.EventDispatched:
			if err := holdUnits(ctx, tx, units, user, "case", c.code, now); err != nil {
				return err
			}
			d := deadlineFor(now, matter, c.extensions)
			dispatched, deadline = &now, &d
			set = append(set, "dispatched_at = ?", "deadline = ?", "department = ?")
			args = append(args, gpkg.Time{Time: now}, gpkg.Time{Time: d}, matter.Department)
			note = strings.Join(units, ",")
		case data.EventFedBack:
			set = append(set, "result = ?")
			args = append(args, strings.TrimSpace(mv.Result))
			note = strings.TrimSpace(mv.Result)
		case data.EventClosed:
			closed = &now
			set = append(set, "closed_at = ?")
			args = append(args, gpkg.Time{Time: now})
		}
		switch mv.To {
		case data.EventFedBack, data.EventClosed, data.EventReturned, data.EventParked, data.EventCancelled:
			if err := releaseUnits(ctx, tx, "case", c.code, now); err != nil {
				return err
			}
		}
		args = append(args, c.code)
		if _, err := tx.ExecContext(ctx, `UPDATE events SET `+strings.Join(set, ", ")+` WHERE code = ?`, args...); err != nil {
			return err
		}
		action := data.ActionOf(c.state, mv.To)
		if err := addStep(ctx, tx, c.code, action, mv.To, user.Login, now, note,
			clockFor(dispatched, deadline, closed, matter, now)); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindCaseMove, Subject: c.code, Actor: user.Login, At: now,
			Payload: map[string]any{"case": c.code, "action": action, "from": c.state, "to": mv.To, "units": units,
				"reason": strings.TrimSpace(mv.Reason), "result": strings.TrimSpace(mv.Result), "version": c.version + 1}})
		return err
	})
	if err != nil {
		return data.CaseRow{}, err
	}
	return m.caseRowAfter(ctx, mv.Case, now)
}

// ExtendCase pushes a case's deadline by one more limit of its matter: with
// a reason, by a role that approves extensions, within the matter's
// allowance, while the case is dispatched or being handled.
func (m *Mirror) ExtendCase(ctx context.Context, code, reason, actor string, version int64, now time.Time) (data.CaseRow, error) {
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, c, err := caseStep(ctx, tx, code, actor, data.ActCaseExtend, version)
		if err != nil {
			return err
		}
		matter, err := matterBy(ctx, tx, c.matter)
		if err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		switch {
		case c.state != data.EventDispatched && c.state != data.EventHandling || c.dispatched == nil:
			return data.Refuse(data.CodeExtensionNotOpen, "case", data.Value("case", code), data.Term("state", c.state))
		case reason == "":
			return data.Refuse(data.CodeExtensionReasonRequired, "reason")
		case c.extensions >= matter.Extensions:
			return data.Refuse(data.CodeExtensionBeyondAllowance, "case", data.Value("case", code), data.Value("allowed", matter.Extensions))
		}
		deadline := deadlineFor(*c.dispatched, matter, c.extensions+1)
		if _, err := tx.ExecContext(ctx, `UPDATE events SET extensions = extensions + 1, deadline = ?, version = version + 1 WHERE code = ?`,
			gpkg.Time{Time: deadline}, code); err != nil {
			return err
		}
		if err := addStep(ctx, tx, code, data.ActExtend, c.state, user.Login, now, reason,
			clockFor(c.dispatched, &deadline, nil, matter, now)); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindCaseExtend, Subject: code, Actor: user.Login, At: now,
			Payload: map[string]any{"case": code, "reason": reason, "extensions": c.extensions + 1,
				"deadline": gpkg.FormatTime(deadline), "version": c.version + 1}})
		return err
	})
	if err != nil {
		return data.CaseRow{}, err
	}
	return m.caseRowAfter(ctx, code, now)
}

// EscalateCase hands an open case to the center one level up.
func (m *Mirror) EscalateCase(ctx context.Context, code, reason, actor string, version int64, now time.Time) (data.CaseRow, error) {
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, c, err := caseStep(ctx, tx, code, actor, data.ActCaseHandle, version)
		if err != nil {
			return err
		}
		if !c.state.Open() {
			return data.Refuse(data.CodeCaseMoveNotAllowed, "state", data.Value("case", code), data.Term("from", c.state), data.Term("to", c.state))
		}
		matter, err := matterBy(ctx, tx, c.matter)
		if err != nil {
			return err
		}
		return escalate(ctx, tx, c, matter, user.Login, strings.TrimSpace(reason), now)
	})
	if err != nil {
		return data.CaseRow{}, err
	}
	return m.caseRowAfter(ctx, code, now)
}

func escalate(ctx context.Context, tx *sql.Tx, c caseRow, matter data.MatterType, actor, reason string, now time.Time) error {
	up, ok := data.NextLevel(c.level)
	if !ok {
		return data.Refuse(data.CodeEscalationAtTop, "case", data.Value("case", c.code))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE events SET level = ?, version = version + 1 WHERE code = ?`, up, c.code); err != nil {
		return err
	}
	if err := addStep(ctx, tx, c.code, data.ActEscalate, c.state, actor, now, strings.TrimSpace(c.level+" → "+up+" "+reason),
		clockFor(c.dispatched, c.deadline, c.closed, matter, now)); err != nil {
		return err
	}
	_, err := journalAppend(ctx, tx, change{Kind: data.KindCaseEscalate, Subject: c.code, Actor: actor, At: now,
		Payload: map[string]any{"case": c.code, "from": c.level, "to": up, "reason": reason, "version": c.version + 1}})
	return err
}

// EscalateOverdue escalates, as the system, every open case overdue longer
// than its matter's grace, once per grace period (a case escalated within
// the last grace is left), and returns how many it escalated.
func (m *Mirror) EscalateOverdue(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := m.update(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT e.code, e.dispatched_at, e.deadline, e.extensions, `+matterColumnsOf("t")+`,
			(SELECT max(h.at) FROM event_history h WHERE h.event_code = e.code AND h.action = 'escalate')
			FROM events e JOIN matter_types t ON t.code = e.matter_code
			WHERE e.state IN `+openStates+` AND e.deadline < ? AND e.level != 'city'`, gpkg.Time{Time: now})
		if err != nil {
			return err
		}
		type dueCase struct {
			code   string
			matter data.MatterType
		}
		var due []dueCase
		for rows.Next() {
			var code string
			var dispatched, deadline, last gpkg.NullTime
			var ext int
			var mt data.MatterType
			var grace int
			var caps string
			if err := rows.Scan(&code, &dispatched, &deadline, &ext, &mt.Code, &mt.NameZh, &mt.NameEn, &mt.Category, &mt.Department,
				&mt.HandlingLevel, &mt.Limit, &mt.LimitUnit, &mt.Extensions, &grace, &caps, &last); err != nil {
				_ = rows.Close()
				return err
			}
			mt.Grace = time.Duration(grace) * time.Hour
			clock := clockFor(dispatched.Ptr(), deadline.Ptr(), nil, mt, now)
			if escalationDue(clock, mt, now) && (!last.Valid || now.Sub(last.Time) > mt.Grace) {
				due = append(due, dueCase{code, mt})
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range due {
			c, err := readCase(ctx, tx, d.code)
			if err != nil {
				return err
			}
			if err := escalate(ctx, tx, c, d.matter, data.SystemLogin, "overdue past its grace", now); err != nil && !isRefusal(err, data.CodeEscalationAtTop) {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}

func isRefusal(err error, code data.Code) bool {
	var r *data.Refusal
	return errors.As(err, &r) && r.Code == code
}

func matterColumnsOf(alias string) string {
	cols := strings.Split(strings.ReplaceAll(matterColumns, "\n", " "), ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// holdUnits holds units for a case or an order: each must exist, be
// available and lie within the actor's jurisdiction.
func holdUnits(ctx context.Context, tx *sql.Tx, units []string, user data.User, kind, holder string, now time.Time) error {
	for _, u := range units {
		var grid string
		var status data.UnitStatus
		err := tx.QueryRowContext(ctx, `SELECT grid_code, status FROM units WHERE code = ?`, u).Scan(&grid, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return data.Refuse(data.CodeUnitUnknown, "units", data.Value("unit", u))
		}
		if err != nil {
			return err
		}
		if !user.Covers(grid) {
			return data.Refuse(data.CodeUnitOutsideJurisdiction, "units", data.Value("unit", u), data.Value("jurisdiction", user.Jurisdiction))
		}
		if status != data.UnitAvailable {
			return data.Refuse(data.CodeUnitNotAvailable, "units", data.Value("unit", u), data.Term("status", status))
		}
		uid, err := newUID(tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_holds (uid, unit_code, holder_kind, holder, since) VALUES (?, ?, ?, ?, ?)`,
			uid, u, kind, holder, gpkg.Time{Time: now}); err != nil {
			return err
		}
		to := data.UnitDispatched
		if kind == "order" {
			to = data.UnitBusy
		}
		if _, err := tx.ExecContext(ctx, `UPDATE units SET status = ? WHERE code = ?`, to, u); err != nil {
			return err
		}
	}
	return nil
}

// releaseUnits releases what a case or an order holds; a unit with no other
// open hold becomes available again.
func releaseUnits(ctx context.Context, tx *sql.Tx, kind, holder string, now time.Time) error {
	units, err := queryColumn[string](ctx, tx, `SELECT unit_code FROM unit_holds WHERE holder_kind = ? AND holder = ? AND released_at IS NULL`, kind, holder)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE unit_holds SET released_at = ? WHERE holder_kind = ? AND holder = ? AND released_at IS NULL`,
		gpkg.Time{Time: now}, kind, holder); err != nil {
		return err
	}
	for _, u := range units {
		if _, err := tx.ExecContext(ctx, `UPDATE units SET status = coalesce(
			(SELECT CASE WHEN holder_kind = 'case' THEN 'dispatched' ELSE 'busy' END FROM unit_holds
			 WHERE unit_code = ?1 AND released_at IS NULL ORDER BY holder_kind LIMIT 1), 'available') WHERE code = ?1`, u); err != nil {
			return err
		}
	}
	return nil
}
