package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// IssueOrder checks the request and writes the order, its targets and its
// journal entry in one transaction. Nothing is written when it is refused.
func (m *Mirror) IssueOrder(ctx context.Context, req data.OrderRequest, now time.Time) (data.Order, error) {
	if err := req.Check(); err != nil {
		return data.Order{}, err
	}
	var o data.Order
	err := m.update(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = issueOrderTx(ctx, tx, req, now)
		return err
	})
	if err != nil {
		return data.Order{}, err
	}
	return o, nil
}

// issueOrderTx writes a checked order request, its targets and its journal
// entry inside the caller's transaction (an order of its own, or one of
// the patrol orders a roster is published as).
func issueOrderTx(ctx context.Context, tx *sql.Tx, req data.OrderRequest, now time.Time) (data.Order, error) {
	var o data.Order
	user, userID, err := permitted(ctx, tx, req.Actor, data.ActOrderIssue)
	if err != nil {
		return o, err
	}
	targets, err := resolveTargets(ctx, tx, req.Targets, user)
	if err != nil {
		return o, err
	}
	var event any
	if req.EventCode != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE code = ?`, req.EventCode).Scan(&n); err != nil {
			return o, err
		}
		if n == 0 {
			return o, data.Refuse(data.CodeEventUnknown, "event", data.Value("event", req.EventCode))
		}
		event = req.EventCode
	}
	if o.UID, err = newUID(tx); err != nil {
		return o, err
	}
	if o.Number, err = nextOrderNumber(ctx, tx); err != nil {
		return o, err
	}
	o.Type, o.Task, o.Priority, o.State, o.IssuedBy = req.Type, req.Task, req.Priority, data.OrderIssued, user.Login
	o.IssuedAt, o.Start, o.End, o.EventCode = now, req.Start, req.End, req.EventCode
	if _, err := tx.ExecContext(ctx, `INSERT INTO orders (uid, number, order_type, task, priority, state, issued_by, issued_at,
		start_at, end_at, event_code, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.UID, o.Number, o.Type, o.Task, o.Priority, o.State, userID, gpkg.Time{Time: now},
		gpkg.Time{Time: o.Start}, gpkg.Time{Time: o.End}, event, gpkg.Time{Time: now}); err != nil {
		return o, err
	}
	type payloadTarget struct {
		UID  string `json:"uid"`
		Kind string `json:"kind"`
		Code string `json:"code"`
	}
	var pts []payloadTarget
	for _, t := range targets {
		if t.UID, err = newUID(tx); err != nil {
			return o, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_targets (uid, order_uid, target_kind, target_code) VALUES (?, ?, ?, ?)`,
			t.UID, o.UID, t.Kind, t.Code); err != nil {
			return o, err
		}
		o.Targets = append(o.Targets, t)
		pts = append(pts, payloadTarget{t.UID, string(t.Kind), t.Code})
	}
	_, err = journalAppend(ctx, tx, change{Kind: data.KindOrderIssue, Subject: o.UID, Actor: user.Login, At: now,
		Payload: map[string]any{"uid": o.UID, "number": o.Number, "type": o.Type, "task": o.Task, "priority": o.Priority,
			"start": gpkg.FormatTime(o.Start), "end": gpkg.FormatTime(o.End), "event": o.EventCode, "targets": pts}})
	return o, err
}

// nextOrderNumber is the number (#12) a new order gets. Numbers are this
// console's own, beside the key everyone shares: an order made here keeps
// its number when sync takes it back and applies it again, and an order
// another console made, arriving meanwhile, takes a number after those of
// this console's orders not yet confirmed.
func nextOrderNumber(ctx context.Context, tx *sql.Tx) (int64, error) {
	if r := replayOf(ctx); r != nil && r.own {
		var p struct {
			Number int64 `json:"number"`
		}
		if err := json.Unmarshal([]byte(r.entry.Payload), &p); err != nil {
			return 0, err
		}
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE number = ?)`, p.Number).Scan(&taken); err != nil {
			return 0, err
		}
		if p.Number > 0 && !taken {
			return p.Number, nil
		}
	}
	// The numbers of this console's orders not confirmed yet and not in
	// the table are reserved: outside a sync those are the ones kept out
	// (sync_refused_local) until their arrival decides; while sync has
	// taken the pending changes back, every unconfirmed one. Only then is
	// the journal read past the last confirmed entry: reading it at every
	// order cost a scan of the whole journal on a mirror never synced
	// (1,106 patrol orders of a roster published in 41 s).
	phase, err := metaTx(ctx, tx, "sync_phase")
	if err != nil {
		return 0, err
	}
	reserved := `SELECT coalesce(max(json_extract(entry, '$.payload.number')), 0) FROM journal
		WHERE seq IN (SELECT seq FROM sync_refused_local) AND kind = 'order.issue'`
	if phase != "" {
		reserved = `SELECT coalesce(max(json_extract(entry, '$.payload.number')), 0) FROM journal
		  WHERE seq > (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM kapok_meta WHERE key = 'sync_confirmed')
		    AND kind = 'order.issue'`
	}
	var n int64
	err = tx.QueryRowContext(ctx, `SELECT max((SELECT coalesce(max(number), 0) FROM orders), (`+reserved+`)) + 1`).Scan(&n)
	return n, err
}

// resolveTargets turns codes into targets, refusing unknown codes and codes
// outside the user's jurisdiction.
func resolveTargets(ctx context.Context, tx *sql.Tx, codes []string, user data.User) ([]data.Target, error) {
	seen := map[string]bool{}
	var out []data.Target
	for _, raw := range codes {
		code := strings.TrimSpace(raw)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		kind, ok := data.KindOfTarget(code)
		if !ok {
			return nil, data.Refuse(data.CodeTargetNotACode, "targets", data.Value("target", code))
		}
		region, err := targetRegion(ctx, tx, kind, code)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, data.Refuse(data.CodeTargetUnknown, "targets", data.Term("kind", kind), data.Value("target", code))
		}
		if err != nil {
			return nil, err
		}
		if !user.Covers(region) {
			return nil, data.Refuse(data.CodeTargetOutsideJurisdiction, "targets", data.Term("kind", kind), data.Value("target", code),
				data.Value("jurisdiction", user.Jurisdiction))
		}
		out = append(out, data.Target{Kind: kind, Code: code})
	}
	if len(out) == 0 {
		return nil, data.Refuse(data.CodeTargetsEmpty, "targets")
	}
	return out, nil
}

// targetRegion is the region or grid code a target lies in: a grid's own
// code, a center's region, a unit's grid (sql.ErrNoRows for none).
func targetRegion(ctx context.Context, tx *sql.Tx, kind data.TargetKind, code string) (string, error) {
	q := map[data.TargetKind]string{
		data.TargetGrid:   `SELECT code FROM grids WHERE code = ?`,
		data.TargetCenter: `SELECT region_code FROM centers WHERE code = ?`,
		data.TargetUnit:   `SELECT grid_code FROM units WHERE code = ?`,
	}[kind]
	var region string
	err := tx.QueryRowContext(ctx, q, code).Scan(&region)
	return region, err
}

// checkOrderJurisdiction refuses an actor whose jurisdiction does not cover
// every target of the order (a target no longer in the mirror counts as
// outside it, unless the actor covers the whole city).
func checkOrderJurisdiction(ctx context.Context, tx *sql.Tx, o data.Order, user data.User) error {
	if user.Jurisdiction == "" {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT target_kind, target_code FROM order_targets WHERE order_uid = ? ORDER BY target_kind, target_code`, o.UID)
	if err != nil {
		return err
	}
	var targets []data.Target
	for rows.Next() {
		var t data.Target
		if err := rows.Scan(&t.Kind, &t.Code); err != nil {
			_ = rows.Close()
			return err
		}
		targets = append(targets, t)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range targets {
		region, err := targetRegion(ctx, tx, t.Kind, t.Code)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err != nil || !user.Covers(region) {
			return data.Refuse(data.CodeOrderOutsideJurisdiction, "order", data.Value("order", o.Number), data.Term("kind", t.Kind),
				data.Value("target", t.Code), data.Value("jurisdiction", user.Jurisdiction))
		}
	}
	return nil
}

// Responsible lists who answers for a set of grids, to pre-fill an order:
// the governance centers of their community, street and district, and the
// units stationed in them.
func (m *Mirror) Responsible(ctx context.Context, grids []string) (centers, units []string, err error) {
	seenC := map[string]bool{}
	for _, g := range grids {
		if !data.IsGridCode(g) {
			return nil, nil, data.Refuse(data.CodeNotAGridCode, "targets", data.Value("code", g))
		}
		for _, region := range []string{g[:12], g[:9], g[:6]} {
			if c := data.CenterCode(region); !seenC[c] {
				seenC[c] = true
				centers = append(centers, c)
			}
		}
		if units, err = appendUnitsOf(ctx, m.DB, g, units); err != nil {
			return nil, nil, err
		}
	}
	return centers, units, nil
}

func appendUnitsOf(ctx context.Context, db *sql.DB, grid string, units []string) ([]string, error) {
	more, err := queryColumn[string](ctx, db, `SELECT code FROM units WHERE grid_code = ? ORDER BY code`, grid)
	return append(units, more...), err
}

const orderColumns = `o.uid, o.number, o.order_type, o.task, o.priority, o.state, u.login, o.issued_at, o.start_at, o.end_at,
	coalesce(o.event_code, '')`

func scanOrder(sc interface{ Scan(...any) error }) (data.Order, error) {
	var o data.Order
	var issued, start, end gpkg.Time
	err := sc.Scan(&o.UID, &o.Number, &o.Type, &o.Task, &o.Priority, &o.State, &o.IssuedBy, &issued, &start, &end, &o.EventCode)
	o.IssuedAt, o.Start, o.End = issued.Time, start.Time, end.Time
	return o, err
}

// Orders lists orders, newest first, with their targets.
func (m *Mirror) Orders(ctx context.Context) ([]data.Order, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders o JOIN users u ON u.id = o.issued_by ORDER BY o.number DESC`)
	if err != nil {
		return nil, err
	}
	var out []data.Order
	byUID := map[string]int{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byUID[o.UID] = len(out)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	trows, err := m.DB.QueryContext(ctx, `SELECT order_uid, uid, target_kind, target_code FROM order_targets ORDER BY order_uid, target_kind, target_code`)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		var ou string
		var t data.Target
		if err := trows.Scan(&ou, &t.UID, &t.Kind, &t.Code); err != nil {
			return nil, err
		}
		if i, ok := byUID[ou]; ok {
			out[i].Targets = append(out[i].Targets, t)
		}
	}
	return out, trows.Err()
}

// findOrder finds the order a reference names: its number ("12" or "#12"),
// its UID, or a unique prefix of its UID of eight characters or more.
func findOrder(ctx context.Context, tx *sql.Tx, ref string) (data.Order, error) {
	ref = strings.TrimPrefix(strings.TrimSpace(ref), "#")
	q := `SELECT ` + orderColumns + ` FROM orders o JOIN users u ON u.id = o.issued_by WHERE `
	var arg any
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q, arg = q+`o.number = ?`, n
	} else if len(ref) >= 8 {
		q, arg = q+`o.uid >= ?1 AND o.uid < ?1 || '~' LIMIT 2`, ref
	} else {
		return data.Order{}, data.Refuse(data.CodeOrderUnknown, "order", data.Value("order", ref))
	}
	rows, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return data.Order{}, err
	}
	defer rows.Close()
	var found []data.Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return data.Order{}, err
		}
		found = append(found, o)
	}
	if err := rows.Err(); err != nil {
		return data.Order{}, err
	}
	switch len(found) {
	case 0:
		return data.Order{}, data.Refuse(data.CodeOrderUnknown, "order", data.Value("order", ref))
	case 1:
		return found[0], nil
	}
	return data.Order{}, data.Refuse(data.CodeOrderAmbiguous, "order", data.Value("order", ref))
}

// MoveOrder moves an order to a new state if the order workflow allows it
// and the actor's jurisdiction covers all its targets, with its journal
// entry, in one transaction. Overdue is the sweep's to set (MarkOverdue): by
// hand only once the window has ended.
func (m *Mirror) MoveOrder(ctx context.Context, ref string, to data.OrderState, actor string, now time.Time) (data.Order, error) {
	if !slices.Contains(data.OrderStates, to) {
		return data.Order{}, data.Refuse(data.CodeOrderStateUnknown, "state", data.Value("state", string(to)),
			data.Value("allowed", strings.Join(stateNames(data.OrderStates), ", ")))
	}
	var o data.Order
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, actor, data.ActOrderMove)
		if err != nil {
			return err
		}
		if o, err = findOrder(ctx, tx, ref); err != nil {
			return err
		}
		o, err = moveOrderTx(ctx, tx, o, to, user, now, "")
		return err
	})
	return o, err
}

// moveOrderTx moves an order read in the caller's transaction, with its
// journal entry (why, if given, says why: a roster amended).
func moveOrderTx(ctx context.Context, tx *sql.Tx, o data.Order, to data.OrderState, user data.User, now time.Time, why string) (data.Order, error) {
	if err := checkOrderJurisdiction(ctx, tx, o, user); err != nil {
		return o, err
	}
	from := o.State
	if !from.CanMoveTo(to) {
		return o, data.Refuse(data.CodeOrderMoveNotAllowed, "state", data.Value("order", o.Number),
			data.Term("from", from), data.Term("to", to))
	}
	if to == data.OrderOverdue && !now.After(o.End) {
		return o, data.Refuse(data.CodeOrderNotDue, "state", data.Value("order", o.Number), data.Time("end", o.End))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET state = ?, updated_at = ? WHERE uid = ?`, to, gpkg.Time{Time: now}, o.UID); err != nil {
		return o, err
	}
	// A started order keeps its units busy until it ends.
	if to == data.OrderInProgress {
		if err := holdOrderUnits(ctx, tx, o.UID, now); err != nil {
			return o, err
		}
	}
	if from == data.OrderInProgress {
		if err := releaseUnits(ctx, tx, "order", o.UID, now); err != nil {
			return o, err
		}
	}
	o.State = to
	payload := map[string]any{"uid": o.UID, "number": o.Number, "from": from, "to": to}
	if why != "" {
		payload["why"] = why
	}
	_, err := journalAppend(ctx, tx, change{Kind: data.KindOrderMove, Subject: o.UID, Actor: user.Login, At: now, Payload: payload})
	return o, err
}

func stateNames[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// MarkOverdue moves every order whose window has ended without it being
// done or cancelled to overdue, each with its journal entry (by the system
// user), and returns how many it moved.
func (m *Mirror) MarkOverdue(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := m.update(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT uid, number, state FROM orders WHERE state IN `+dueOrders+` AND end_at < ?`, gpkg.Time{Time: now})
		if err != nil {
			return err
		}
		type due struct {
			uid    string
			number int64
			state  data.OrderState
		}
		var list []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.uid, &d.number, &d.state); err != nil {
				rows.Close()
				return err
			}
			list = append(list, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE orders SET state = ?, updated_at = ? WHERE uid = ?`, data.OrderOverdue, gpkg.Time{Time: now}, d.uid); err != nil {
				return err
			}
			if err := releaseUnits(ctx, tx, "order", d.uid, now); err != nil {
				return err
			}
			if _, err := journalAppend(ctx, tx, change{Kind: data.KindOrderMove, Subject: d.uid, Actor: data.SystemLogin, At: now,
				Payload: map[string]any{"uid": d.uid, "number": d.number, "from": d.state, "to": data.OrderOverdue, "why": "window ended"}}); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}

// holdOrderUnits marks the available units an order names busy while it is
// in progress; units already busy elsewhere, dispatched or offline are left
// as they are (the order still reaches them).
func holdOrderUnits(ctx context.Context, tx *sql.Tx, order string, now time.Time) error {
	units, err := queryColumn[string](ctx, tx, `SELECT u.code FROM order_targets t JOIN units u ON u.code = t.target_code
		WHERE t.order_uid = ? AND t.target_kind = 'unit' AND u.status = 'available' ORDER BY u.code`, order)
	if err != nil {
		return err
	}
	return holdUnits(ctx, tx, units, data.User{}, "order", order, now)
}
