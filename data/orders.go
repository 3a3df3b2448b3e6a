package data

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// OrderRequest is an order as a leader issues it.
type OrderRequest struct {
	Type, Task, Priority string
	Start, End           time.Time
	Targets              []string // grid codes (15 digits), center codes (C…), unit codes (U…)
	EventCode            string   // optional linked event
	IssuedBy             int64    // user id
}

// OrderError is an order refused before anything was written; Field names
// the input at fault, for the dialog to point at.
type OrderError struct {
	Field, Reason string
}

func (e *OrderError) Error() string { return e.Field + ": " + e.Reason }

// IssueOrder validates the request and writes the order, its targets and an
// audit entry in one transaction. Nothing is written when it is refused.
func (m *Mirror) IssueOrder(req OrderRequest, now time.Time) (int64, error) {
	if req.Type == "" {
		req.Type = "dispatch"
	}
	if req.Priority == "" {
		req.Priority = "normal"
	}
	switch {
	case !slices.Contains(OrderTypes, req.Type):
		return 0, &OrderError{"type", fmt.Sprintf("%q is not one of %s", req.Type, strings.Join(OrderTypes, ", "))}
	case !slices.Contains(Priorities, req.Priority):
		return 0, &OrderError{"priority", fmt.Sprintf("%q is not one of %s", req.Priority, strings.Join(Priorities, ", "))}
	case strings.TrimSpace(req.Task) == "":
		return 0, &OrderError{"task", "the task is empty"}
	case req.Start.IsZero() || req.End.IsZero():
		return 0, &OrderError{"time window", "start and end are both required"}
	case !req.End.After(req.Start):
		return 0, &OrderError{"time window", fmt.Sprintf("the end %s is not after the start %s", FormatTime(req.End), FormatTime(req.Start))}
	case len(req.Targets) == 0:
		return 0, &OrderError{"targets", "no targets: choose grids, centers or units"}
	}
	var id int64
	err := m.InTx(func(tx *sql.Tx) error {
		var jurisdiction, login string
		if err := tx.QueryRow(`SELECT jurisdiction_code, login FROM users WHERE id = ?`, req.IssuedBy).Scan(&jurisdiction, &login); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return &OrderError{"user", fmt.Sprintf("no user with id %d", req.IssuedBy)}
			}
			return err
		}
		targets, err := resolveTargets(tx, req.Targets, jurisdiction)
		if err != nil {
			return err
		}
		var event any
		if req.EventCode != "" {
			var n int
			tx.QueryRow(`SELECT count(*) FROM events WHERE code = ?`, req.EventCode).Scan(&n)
			if n == 0 {
				return &OrderError{"event", fmt.Sprintf("unknown event %s", req.EventCode)}
			}
			event = req.EventCode
		}
		res, err := tx.Exec(`INSERT INTO orders (order_type, task, priority, state, issued_by, issued_at, start_at, end_at, event_code, updated_at)
			VALUES (?, ?, ?, 'issued', ?, ?, ?, ?, ?, ?)`, req.Type, strings.TrimSpace(req.Task), req.Priority, req.IssuedBy,
			FormatTime(now), FormatTime(req.Start), FormatTime(req.End), event, FormatTime(now))
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		for _, t := range targets {
			if _, err := tx.Exec(`INSERT INTO order_targets (order_id, target_kind, target_code) VALUES (?, ?, ?)`, id, t.Kind, t.Code); err != nil {
				return err
			}
		}
		return Audit(tx, now, req.IssuedBy, "issue", "order", fmt.Sprint(id),
			fmt.Sprintf("%s %s by %s to %d targets: %s", req.Priority, req.Type, login, len(targets), strings.TrimSpace(req.Task)))
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// resolveTargets turns codes into targets, refusing unknown codes and codes
// outside the user's jurisdiction (a region code prefix; empty for all).
func resolveTargets(tx *sql.Tx, codes []string, jurisdiction string) ([]Target, error) {
	seen := map[string]bool{}
	var out []Target
	for _, raw := range codes {
		code := strings.TrimSpace(raw)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		var kind, region string
		var err error
		switch {
		case len(code) == GridCodeLength && allDigits(code):
			kind, region = "grid", code
			err = tx.QueryRow(`SELECT code FROM grids WHERE code = ?`, code).Scan(&region)
		case strings.HasPrefix(code, "C"):
			kind = "center"
			err = tx.QueryRow(`SELECT region_code FROM centers WHERE code = ?`, code).Scan(&region)
		case strings.HasPrefix(code, "U"):
			kind = "unit"
			err = tx.QueryRow(`SELECT grid_code FROM units WHERE code = ?`, code).Scan(&region)
		default:
			return nil, &OrderError{"targets", fmt.Sprintf("%q is not a grid, center or unit code", code)}
		}
		if errors.Is(err, sql.ErrNoRows) {
			return nil, &OrderError{"targets", fmt.Sprintf("unknown %s %s", kind, code)}
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(region, jurisdiction) {
			return nil, &OrderError{"targets", fmt.Sprintf("%s %s is outside your jurisdiction %s", kind, code, jurisdiction)}
		}
		out = append(out, Target{Kind: kind, Code: code})
	}
	if len(out) == 0 {
		return nil, &OrderError{"targets", "no targets: choose grids, centers or units"}
	}
	return out, nil
}

// Responsible lists who answers for a set of grids, to pre-fill an order:
// the governance centers of their community, street and district, and the
// units stationed in them.
func (m *Mirror) Responsible(grids []string) (centers, units []string, err error) {
	seenC := map[string]bool{}
	for _, g := range grids {
		if len(g) != GridCodeLength {
			return nil, nil, &OrderError{"targets", fmt.Sprintf("%q is not a grid code", g)}
		}
		for _, region := range []string{g[:12], g[:9], g[:6]} {
			if !seenC["C"+region] {
				seenC["C"+region] = true
				centers = append(centers, "C"+region)
			}
		}
		rows, err := m.DB.Query(`SELECT code FROM units WHERE grid_code = ? ORDER BY code`, g)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var u string
			rows.Scan(&u)
			units = append(units, u)
		}
		rows.Close()
	}
	return centers, units, nil
}

// Orders lists orders, newest first, with their targets.
func (m *Mirror) Orders() ([]Order, error) {
	rows, err := m.DB.Query(`SELECT id, order_type, task, priority, state, issued_by, issued_at, start_at, end_at, coalesce(event_code, '')
		FROM orders ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	var out []Order
	for rows.Next() {
		var o Order
		var issued, start, end string
		if err := rows.Scan(&o.ID, &o.Type, &o.Task, &o.Priority, &o.State, &o.IssuedBy, &issued, &start, &end, &o.EventCode); err != nil {
			rows.Close()
			return nil, err
		}
		o.IssuedAt, _ = ParseTime(issued)
		o.Start, _ = ParseTime(start)
		o.End, _ = ParseTime(end)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		trows, err := m.DB.Query(`SELECT target_kind, target_code FROM order_targets WHERE order_id = ? ORDER BY target_kind, target_code`, out[i].ID)
		if err != nil {
			return nil, err
		}
		for trows.Next() {
			var t Target
			trows.Scan(&t.Kind, &t.Code)
			out[i].Targets = append(out[i].Targets, t)
		}
		trows.Close()
	}
	return out, nil
}

// UserID finds a user by login.
func (m *Mirror) UserID(login string) (int64, error) {
	var id int64
	err := m.DB.QueryRow(`SELECT id FROM users WHERE login = ?`, login).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &OrderError{"user", fmt.Sprintf("no user %q", login)}
	}
	return id, err
}

// MoveOrder moves an order to a new state (acknowledged, in_progress, done,
// cancelled, overdue) if the order workflow allows it, with an audit entry,
// in one transaction.
func (m *Mirror) MoveOrder(id int64, to string, user int64, now time.Time) error {
	return m.InTx(func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRow(`SELECT state FROM orders WHERE id = ?`, id).Scan(&from); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return &OrderError{"order", fmt.Sprintf("no order #%d", id)}
			}
			return err
		}
		if !CanMoveOrder(from, to) {
			return &OrderError{"state", fmt.Sprintf("order #%d cannot go from %s to %s", id, from, to)}
		}
		if _, err := tx.Exec(`UPDATE orders SET state = ?, updated_at = ? WHERE id = ?`, to, FormatTime(now), id); err != nil {
			return err
		}
		return Audit(tx, now, user, "move", "order", fmt.Sprint(id), from+" → "+to)
	})
}

// MarkOverdue moves every order whose window has ended without it being
// done or cancelled to overdue, and returns how many it moved.
func (m *Mirror) MarkOverdue(now time.Time) (int, error) {
	n := 0
	err := m.InTx(func(tx *sql.Tx) error {
		rows, err := tx.Query(`SELECT id FROM orders WHERE state IN ('issued','acknowledged','in_progress') AND end_at < ?`, FormatTime(now))
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if _, err := tx.Exec(`UPDATE orders SET state = 'overdue', updated_at = ? WHERE id = ?`, FormatTime(now), id); err != nil {
				return err
			}
			if err := Audit(tx, now, SystemUser, "move", "order", fmt.Sprint(id), "window ended → overdue"); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}
