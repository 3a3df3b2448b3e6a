package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/timeline"
)

// Timeline loads what the mirror kept of how the city changed over
// [from, to], for data/timeline to reconstruct any moment of it: the cases
// reported by to and not closed before from, with all their steps; the
// holds of units that overlap the span; every order with its moves (from
// the journal, checked first: a broken chain is said in Broken); the units
// offline now; the matters. One read snapshot.
func (m *Mirror) Timeline(ctx context.Context, from, to time.Time) (*timeline.Timeline, error) {
	check, err := m.VerifyJournal(ctx)
	if err != nil {
		return nil, err
	}
	matters, err := m.mattersByCode(ctx)
	if err != nil {
		return nil, err
	}
	tl := &timeline.Timeline{From: from, To: to, Matters: matters, Offline: map[string]bool{}, Broken: check.Fault}
	tx, err := m.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	f, t := gpkg.Time{Time: from}, gpkg.Time{Time: to}
	if err := loadCases(ctx, tx, tl, f, t); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT unit_code, holder_kind, holder, since, released_at FROM unit_holds
		WHERE since <= ? AND (released_at IS NULL OR released_at >= ?) ORDER BY since, uid`, t, f)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var h timeline.Hold
		var since gpkg.Time
		var released gpkg.NullTime
		if err := rows.Scan(&h.Unit, &h.Kind, &h.Holder, &since, &released); err != nil {
			_ = rows.Close()
			return nil, err
		}
		h.Since, h.Released = since.Time, released.Time
		tl.Holds = append(tl.Holds, h)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	offline, err := queryColumn[string](ctx, tx, `SELECT code FROM units WHERE status = 'offline'`)
	if err != nil {
		return nil, err
	}
	for _, u := range offline {
		tl.Offline[u] = true
	}
	if err := loadOrders(ctx, tx, tl); err != nil {
		return nil, err
	}
	return tl, tx.Commit()
}

// loadCases reads the span's cases and their steps, in one pass over the
// history (clustered by case, in step order).
func loadCases(ctx context.Context, tx *sql.Tx, tl *timeline.Timeline, from, to gpkg.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT e.code, e.grid_code, e.matter_code, e.reported_at, h.step = 1, h.at, h.state, h.action,
		CASE WHEN h.step = 1 THEN e.geom END
		FROM events e JOIN event_history h ON h.event_code = e.code
		WHERE e.reported_at <= ?1 AND (e.closed_at IS NULL OR e.closed_at >= ?2)
		ORDER BY e.code, h.step`, to, from)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code, grid, matter, state, action string
		var reported, at gpkg.Time
		var first bool
		var gb sql.RawBytes
		if err := rows.Scan(&code, &grid, &matter, &reported, &first, &at, &state, &action, &gb); err != nil {
			_ = rows.Close()
			return err
		}
		if n := len(tl.Cases); n == 0 || tl.Cases[n-1].Code != code {
			c := timeline.Case{Code: code, Grid: grid, Matter: matter, Reported: reported.Time}
			if first && gb != nil {
				g, err := gpkg.DecodeGeom(gb)
				if err != nil {
					_ = rows.Close()
					return fmt.Errorf("events %s: %w", code, err)
				}
				c.Location, _ = g.(orb.Point)
			}
			tl.Cases = append(tl.Cases, c)
		}
		c := &tl.Cases[len(tl.Cases)-1]
		c.Steps = append(c.Steps, timeline.Step{At: at.Time, State: data.EventState(state), Action: action})
	}
	return closeRows(rows)
}

// loadOrders reads every order, its grid targets and its moves: issued at
// its issue, then each move the journal holds.
func loadOrders(ctx context.Context, tx *sql.Tx, tl *timeline.Timeline) error {
	rows, err := tx.QueryContext(ctx, `SELECT uid, number, task, start_at, end_at, issued_at FROM orders ORDER BY number`)
	if err != nil {
		return err
	}
	byUID := map[string]int{}
	for rows.Next() {
		var o timeline.Order
		var start, end, issued gpkg.Time
		if err := rows.Scan(&o.UID, &o.Number, &o.Task, &start, &end, &issued); err != nil {
			_ = rows.Close()
			return err
		}
		o.Start, o.End = start.Time, end.Time
		o.Moves = []timeline.OrderMove{{At: issued.Time, To: data.OrderIssued}}
		byUID[o.UID] = len(tl.Orders)
		tl.Orders = append(tl.Orders, o)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	if rows, err = tx.QueryContext(ctx, `SELECT t.order_uid, coalesce(u.grid_code, t.target_code) FROM order_targets t
		LEFT JOIN units u ON t.target_kind = 'unit' AND u.code = t.target_code
		WHERE t.target_kind IN ('grid', 'unit') ORDER BY t.order_uid, t.target_code`); err != nil {
		return err
	}
	for rows.Next() {
		var uid, grid string
		if err := rows.Scan(&uid, &grid); err != nil {
			_ = rows.Close()
			return err
		}
		if i, ok := byUID[uid]; ok {
			tl.Orders[i].Grids = append(tl.Orders[i].Grids, grid)
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	// The journal's order of entries is the order the moves were made in.
	if rows, err = tx.QueryContext(ctx, `SELECT subject, at, json_extract(entry, '$.payload.to') FROM journal
		WHERE kind = 'order.move' ORDER BY seq`); err != nil {
		return err
	}
	for rows.Next() {
		var uid, to string
		var at gpkg.Time
		if err := rows.Scan(&uid, &at, &to); err != nil {
			_ = rows.Close()
			return err
		}
		if i, ok := byUID[uid]; ok {
			tl.Orders[i].Moves = append(tl.Orders[i].Moves, timeline.OrderMove{At: at.Time, To: data.OrderState(to)})
		}
	}
	return closeRows(rows)
}
