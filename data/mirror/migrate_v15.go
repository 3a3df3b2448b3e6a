package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// undoTables are the tables the shared operations write: the ones sync's
// undo log follows. Migration 15 made the undo log for the first ones;
// migration 18 for the innovation program's.
var (
	syncUndoTables = []string{"orders", "order_targets", "events", "event_history", "unit_holds", "units", "rosters",
		"roster_assignments", "roster_history", "unit_leave", "center_duty", "district_schedule_rules"}
	innovationUndoTables = []string{"projects", "project_history", "milestones", "project_indicators", "contest_rounds",
		"contest_criteria", "contest_entries", "contest_scores", "project_rollouts", "project_rollout_history"}
	undoTables = append(slices.Clone(syncUndoTables), innovationUndoTables...)
)

func init() { goSteps[15] = makeUndoTriggers }

// undoShape is how the undo log names a table's rows: its columns, and the
// key that finds a row again (rowid, or the primary key of a table
// WITHOUT ROWID); ipk when rowid is a column of its own.
type undoShape struct {
	table   string
	columns []string
	key     []string // primary key columns of a table WITHOUT ROWID; nil for rowid tables
	ipk     bool     // an INTEGER PRIMARY KEY column aliases rowid
}

func readUndoShape(ctx context.Context, q querier, table string) (undoShape, error) {
	s := undoShape{table: table}
	var ddl string
	if err := q.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&ddl); err != nil {
		return s, fmt.Errorf("table %s: %w", table, err)
	}
	withoutRowid := strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID")
	rows, err := q.QueryContext(ctx, `SELECT name, upper(type), pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid`, table)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	type pkCol struct {
		name string
		typ  string
	}
	var pks []pkCol
	for rows.Next() {
		var name, typ string
		var pk, hidden int
		if err := rows.Scan(&name, &typ, &pk, &hidden); err != nil {
			return s, err
		}
		if hidden != 0 {
			continue // generated: follows the others
		}
		s.columns = append(s.columns, name)
		if pk > 0 {
			pks = append(pks, pkCol{name, typ})
		}
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	if withoutRowid {
		for _, p := range pks {
			s.key = append(s.key, p.name)
		}
	} else {
		s.ipk = len(pks) == 1 && pks[0].typ == "INTEGER"
	}
	return s, nil
}

func (s undoShape) shadow() string { return "sync_undo_" + s.table }

func prefixed(prefix string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = prefix + c
	}
	return out
}

// makeUndoTriggers creates each followed table's shadow (the row before
// and after, by column) and its three triggers.
func makeUndoTriggers(ctx context.Context, tx *sql.Tx) error {
	// Changes made before this step have no undo log: sync never takes
	// them back, and hands them to the upstream for the record only.
	var head string
	err := tx.QueryRowContext(ctx, `SELECT value FROM kapok_meta WHERE key = 'journal_head'`).Scan(&head)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	seq, _, err := parseHead(head)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO kapok_meta (key, value) VALUES ('sync_base', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.FormatInt(seq, 10)); err != nil {
		return err
	}
	return makeUndoTriggersFor(ctx, tx, syncUndoTables)
}

// makeUndoTriggersFor creates the shadow and the triggers of each table.
func makeUndoTriggersFor(ctx context.Context, tx *sql.Tx, tables []string) error {
	for _, t := range tables {
		s, err := readUndoShape(ctx, tx, t)
		if err != nil {
			return err
		}
		olds, news := prefixed("o_", s.columns), prefixed("n_", s.columns)
		ddl := fmt.Sprintf(`CREATE TABLE %s (n INTEGER PRIMARY KEY REFERENCES sync_undo(n) ON DELETE CASCADE, rid INTEGER, %s, %s)`,
			s.shadow(), strings.Join(olds, ", "), strings.Join(news, ", "))
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return err
		}
		for _, op := range []struct{ name, event, rid, cols, vals string }{
			{"I", "INSERT", "NEW.rowid", strings.Join(news, ", "), strings.Join(prefixed("NEW.", s.columns), ", ")},
			{"U", "UPDATE", "NEW.rowid", strings.Join(olds, ", ") + ", " + strings.Join(news, ", "),
				strings.Join(prefixed("OLD.", s.columns), ", ") + ", " + strings.Join(prefixed("NEW.", s.columns), ", ")},
			{"D", "DELETE", "OLD.rowid", strings.Join(olds, ", "), strings.Join(prefixed("OLD.", s.columns), ", ")},
		} {
			rid := op.rid
			if s.key != nil {
				rid = "NULL"
			}
			trig := fmt.Sprintf(`CREATE TRIGGER %s_%s AFTER %s ON %s WHEN NOT EXISTS (SELECT 1 FROM sync_capture_off) BEGIN
  INSERT INTO sync_undo (tbl, op) VALUES ('%s', '%s');
  INSERT INTO %s (n, rid, %s) VALUES (last_insert_rowid(), %s, %s);
END`, s.shadow(), strings.ToLower(op.event), op.event, t, t, op.name, s.shadow(), op.cols, rid, op.vals)
			if _, err := tx.ExecContext(ctx, trig); err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
		}
	}
	return nil
}
