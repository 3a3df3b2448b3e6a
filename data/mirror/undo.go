package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
)

// captureOff stops the undo triggers for the rest of tx (a row in
// sync_capture_off; the returned func takes it out again).
// (An enclosing captureOff's stays: the undo log stays off for it.)
func captureOff(ctx context.Context, tx *sql.Tx) (func() error, error) {
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO sync_capture_off (one) VALUES (1)`)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return func() error { return nil }, err
	}
	return func() error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sync_capture_off`)
		return err
	}, nil
}

// WithoutUndo runs fn in tx with the undo log off: for writes that are not
// a person's change to take back (the demo's build).
func WithoutUndo(ctx context.Context, tx *sql.Tx, fn func() error) error {
	on, err := captureOff(ctx, tx)
	if err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	return on()
}

// undoStatements are, per followed table, the statements that take one
// logged row change back, made once from the table's columns.
type undoStatements struct{ insert, update, delete string }

var (
	undoSQLOnce sync.Once
	undoSQL     map[string]undoStatements
	undoSQLErr  error
)

func undoSQLFor(ctx context.Context, q querier) (map[string]undoStatements, error) {
	undoSQLOnce.Do(func() {
		undoSQL = map[string]undoStatements{}
		for _, t := range undoTables {
			s, err := readUndoShape(ctx, q, t)
			if err != nil {
				undoSQLErr = err
				return
			}
			var where string // finds the row a logged change left
			if s.key != nil {
				var ks []string
				for _, k := range s.key {
					ks = append(ks, fmt.Sprintf("%s = (SELECT n_%s FROM %s WHERE n = ?1)", k, k, s.shadow()))
				}
				where = strings.Join(ks, " AND ")
			} else {
				where = fmt.Sprintf("rowid = (SELECT rid FROM %s WHERE n = ?1)", s.shadow())
			}
			// An update is taken back column by column, and only where the
			// column still holds what the change wrote: a later write no
			// change here made (reference rows pulled) is kept.
			var sets []string
			for _, c := range s.columns {
				sets = append(sets, fmt.Sprintf("%s = CASE WHEN %s IS u.n_%s THEN u.o_%s ELSE %s END", c, c, c, c, c))
			}
			cols := strings.Join(s.columns, ", ")
			olds := strings.Join(prefixed("o_", s.columns), ", ")
			ins := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s WHERE n = ?1", t, cols, olds, s.shadow())
			if s.key == nil && !s.ipk {
				ins = fmt.Sprintf("INSERT INTO %s (rowid, %s) SELECT rid, %s FROM %s WHERE n = ?1", t, cols, olds, s.shadow())
			}
			var upd string
			if s.key != nil {
				var ks []string
				for _, k := range s.key {
					ks = append(ks, fmt.Sprintf("%s.%s = u.n_%s", t, k, k))
				}
				upd = fmt.Sprintf("UPDATE %s SET %s FROM (SELECT * FROM %s WHERE n = ?1) AS u WHERE %s", t, strings.Join(sets, ", "), s.shadow(), strings.Join(ks, " AND "))
			} else {
				upd = fmt.Sprintf("UPDATE %s SET %s FROM (SELECT * FROM %s WHERE n = ?1) AS u WHERE %s.rowid = u.rid", t, strings.Join(sets, ", "), s.shadow(), t)
			}
			undoSQL[t] = undoStatements{insert: "DELETE FROM " + t + " WHERE " + where, update: upd, delete: ins}
		}
	})
	return undoSQL, undoSQLErr
}

// undoFrom takes back, newest first, every logged change of this console's
// entries from position from on, inside tx, and empties their log.
func undoFrom(ctx context.Context, tx *sql.Tx, from int64) (int, error) {
	stmts, err := undoSQLFor(ctx, tx)
	if err != nil {
		return 0, err
	}
	type step struct {
		n       int64
		tbl, op string
	}
	steps, err := func() ([]step, error) {
		rows, err := tx.QueryContext(ctx, `SELECT n, tbl, op FROM sync_undo WHERE seq >= ? ORDER BY n DESC`, from)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []step
		for rows.Next() {
			var s step
			if err := rows.Scan(&s.n, &s.tbl, &s.op); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, rows.Err()
	}()
	if err != nil {
		return 0, err
	}
	on, err := captureOff(ctx, tx)
	if err != nil {
		return 0, err
	}
	// A row put back before the row it refers to: the keys are checked at
	// the commit, when all are back.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return 0, err
	}
	for _, s := range steps {
		st, ok := stmts[s.tbl]
		if !ok {
			return 0, fmt.Errorf("undo log: table %s is not followed", s.tbl)
		}
		q := map[string]string{"I": st.insert, "U": st.update, "D": st.delete}[s.op]
		if _, err := tx.ExecContext(ctx, q, s.n); err != nil {
			return 0, fmt.Errorf("undo log %d (%s %s): %w", s.n, s.op, s.tbl, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_undo WHERE seq >= ?`, from); err != nil {
		return 0, err
	}
	return len(steps), on()
}
