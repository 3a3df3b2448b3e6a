package mirror

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"

	"kapok/data"
	"kapok/data/gpkg"
)

func init() { goSteps[5] = journalAndKeys }

// journalAndKeys is the Go part of migration 5: the mirror's console id,
// globally unique keys for the orders and targets already there, and the
// audit log carried into the journal's chain, entry by entry, in its order.
func journalAndKeys(ctx context.Context, tx *sql.Tx) error {
	if err := setMetaTx(ctx, tx, "console_id", uuid.NewString()); err != nil {
		return err
	}
	orderUID := map[int64]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM orders ORDER BY id`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		uid, err := newUID(tx)
		if err != nil {
			return err
		}
		orderUID[id] = uid
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders_v5 (uid, number, order_type, task, priority, state, issued_by,
			issued_at, start_at, end_at, event_code, updated_at)
			SELECT ?, id, order_type, task, priority, state, issued_by, issued_at, start_at, end_at, event_code, updated_at
			FROM orders WHERE id = ?`, uid, id); err != nil {
			return err
		}
		targets, err := tx.QueryContext(ctx, `SELECT target_kind, target_code FROM order_targets WHERE order_id = ? ORDER BY target_kind, target_code`, id)
		if err != nil {
			return err
		}
		var ts []data.Target
		for targets.Next() {
			var t data.Target
			if err := targets.Scan(&t.Kind, &t.Code); err != nil {
				targets.Close()
				return err
			}
			ts = append(ts, t)
		}
		targets.Close()
		if err := targets.Err(); err != nil {
			return err
		}
		for _, t := range ts {
			tuid, err := newUID(tx)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO order_targets_v5 (uid, order_uid, target_kind, target_code) VALUES (?, ?, ?, ?)`,
				tuid, uid, t.Kind, t.Code); err != nil {
				return err
			}
		}
	}
	if err := auditIntoJournal(ctx, tx, orderUID); err != nil {
		return err
	}
	for _, stmt := range []string{
		`DROP TABLE order_targets`, `DROP TABLE orders`,
		`ALTER TABLE orders_v5 RENAME TO orders`, `ALTER TABLE order_targets_v5 RENAME TO order_targets`,
		`CREATE INDEX order_targets_code ON order_targets(target_code)`,
		`CREATE INDEX orders_event ON orders(event_code)`,
		`CREATE INDEX orders_user ON orders(issued_by)`,
		`DROP TABLE audit_log`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// auditIntoJournal appends every audit-log row to the journal as an "audit"
// entry: who, when, what it said; an order's number becomes its new key.
func auditIntoJournal(ctx context.Context, tx *sql.Tx, orderUID map[int64]string) error {
	type row struct {
		id                          int64
		at                          gpkg.Time
		login                       string
		action, entity, key, detail string
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.at, u.login, a.action, a.entity, a.entity_key, a.detail
		FROM audit_log a JOIN users u ON u.id = a.user_id ORDER BY a.id`)
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.at, &r.login, &r.action, &r.entity, &r.key, &r.detail); err != nil {
			rows.Close()
			return fmt.Errorf("audit log: %w", err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		subject := r.key
		if r.entity == "order" {
			var n int64
			if _, err := fmt.Sscan(r.key, &n); err == nil && orderUID[n] != "" {
				subject = orderUID[n]
			}
		}
		payload := map[string]any{"audit_id": r.id, "action": r.action, "entity": r.entity, "key": r.key, "detail": r.detail}
		if _, err := journalAppend(ctx, tx, change{Kind: data.KindAudit, Subject: subject, Actor: r.login, At: r.at.Time, Payload: payload}); err != nil {
			return fmt.Errorf("audit log entry %d: %w", r.id, err)
		}
	}
	return nil
}
