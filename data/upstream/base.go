package upstream

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// BaseTables are the tables of the base (migration 4): every domain table
// of a mirror that is neither reference data (Published) nor in NotBase,
// parents before children (the order Init writes them in, for the foreign
// keys). Published once, by the first Load: the ground every console
// starts from, which their changes are built on.
var BaseTables = []string{
	"events", "event_history", "unit_holds",
	"responders", "grid_workers", "cameras", "checkpoints", "patrol_routes",
	"center_duty", "district_schedule_rules",
	"orders", "order_targets",
	"rosters", "roster_assignments", "roster_history", "unit_leave",
	"indicator_values", "indicator_readings",
	"red_cotton_index", "red_cotton_street_index",
	"projects", "project_history", "milestones", "project_indicators", "project_rollouts", "project_rollout_history",
	"contest_rounds", "contest_criteria", "contest_entries", "contest_scores",
}

// NotBase are a mirror's tables the base leaves out, and why; also every
// table whose name starts with one of NotBasePrefixes.
var NotBase = map[string]string{
	"cities": "reference", "districts": "reference", "streets": "reference", "communities": "reference",
	"grids": "reference", "centers": "reference", "units": "reference", "users": "reference",
	"matter_types":     "catalogue: init writes it from the assets",
	"indicator_defs":   "catalogue: init writes it from the assets",
	"alerts":           "each console judges its own indicators",
	"indicator_status": "each console judges its own indicators",
	"indicator_latest": "kept by a trigger from indicator_readings",
	"kapok_count_gens": "each mirror's own cache generations, moved by triggers",
	"journal":          "each console's own chain",
	"kapok_meta":       "each mirror's own settings and sync state",
	"kapok_schema":     "each mirror's migrations",
	"sqlite_sequence":  "SQLite's",
}

// NotBasePrefixes: tables of the machinery (sync, GeoPackage, spatial indexes).
var NotBasePrefixes = []string{"sync_", "gpkg_", "rtree_"}

// BaseRows are one table's rows as the mirror gives them: its stored
// columns, then each row a JSON array of their values (the mirror's exact
// encoding, which the upstream keeps as it is: data/mirror's baserows.go).
type BaseRows interface {
	Columns() []string
	Next() bool
	Row() ([]byte, error)
	Err() error
	Close() error
}

// BaseSource opens a base table's rows.
type BaseSource func(ctx context.Context, table string) (BaseRows, error)

// BaseTable is one table of the base as the upstream holds it.
type BaseTable struct {
	Name    string
	Columns []string
	Rows    int64
}

// BaseResult is what Load did with the base: published (Tables), or kept
// as it was (Kept says why).
type BaseResult struct {
	Tables []BaseTable
	Kept   string
}

// publishBase publishes the base in Load's transaction, unless one is there
// or a console has pushed to the journal (their changes are built on what
// the upstream held): under the push lock, so no push comes in between.
func publishBase(ctx context.Context, tx pgx.Tx, base BaseSource) (BaseResult, error) {
	var res BaseResult
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pushLock)); err != nil {
		return res, err
	}
	var tables, entries int64
	var at *time.Time
	if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM base_tables), (SELECT max(published_at) FROM base_tables),
		(SELECT count(*) FROM (SELECT 1 FROM journal LIMIT 1) j)`).Scan(&tables, &at, &entries); err != nil {
		return res, err
	}
	switch {
	case tables > 0:
		res.Kept = "a base is there, published " + at.UTC().Format(time.RFC3339)
		return res, nil
	case entries > 0:
		res.Kept = "consoles have pushed changes built on what the upstream held"
		return res, nil
	}
	for _, name := range BaseTables {
		t, err := publishBaseTable(ctx, tx, base, name)
		if err != nil {
			return res, fmt.Errorf("the base's %s: %w", name, err)
		}
		res.Tables = append(res.Tables, t)
	}
	return res, nil
}

func publishBaseTable(ctx context.Context, tx pgx.Tx, base BaseSource, name string) (BaseTable, error) {
	t := BaseTable{Name: name}
	rows, err := base(ctx, name)
	if err != nil {
		return t, err
	}
	defer func() { _ = rows.Close() }()
	t.Columns = rows.Columns()
	cols, err := json.Marshal(t.Columns)
	if err != nil {
		return t, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO base_tables (name, columns, row_count) VALUES ($1, $2, 0)`, name, string(cols)); err != nil {
		return t, err
	}
	src := &baseCopy{table: name, rows: rows}
	if t.Rows, err = tx.CopyFrom(ctx, pgx.Identifier{"base_rows"}, []string{"table_name", "n", "vals"}, src); err != nil {
		return t, err
	}
	if err := rows.Err(); err != nil {
		return t, err
	}
	_, err = tx.Exec(ctx, `UPDATE base_tables SET row_count = $2 WHERE name = $1`, name, t.Rows)
	return t, err
}

// baseCopy feeds COPY a table's base rows, numbered from 1.
type baseCopy struct {
	table string
	rows  BaseRows
	n     int64
	row   []byte
	err   error
}

func (c *baseCopy) Next() bool {
	if c.err != nil || !c.rows.Next() {
		return false
	}
	c.n++
	c.row, c.err = c.rows.Row()
	return c.err == nil
}

func (c *baseCopy) Values() ([]any, error) {
	// The row is the reader's buffer: text, which COPY encodes at once.
	return []any{c.table, c.n, string(c.row)}, nil
}

func (c *baseCopy) Err() error { return c.err }

// Base lists the tables of the upstream's base in the order to write them
// (BaseTables' order; any this Kapok does not know, of a newer one, last):
// none when no base was published.
func Base(ctx context.Context, db DB) ([]BaseTable, error) {
	rows, err := db.Query(ctx, `SELECT name, columns, row_count FROM base_tables ORDER BY name`)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (BaseTable, error) {
		var t BaseTable
		var cols []byte
		if err := r.Scan(&t.Name, &cols, &t.Rows); err != nil {
			return t, err
		}
		return t, json.Unmarshal(cols, &t.Columns)
	})
	if err != nil {
		return nil, err
	}
	pos := func(name string) int {
		if i := slices.Index(BaseTables, name); i >= 0 {
			return i
		}
		return len(BaseTables)
	}
	slices.SortStableFunc(out, func(a, b BaseTable) int { return pos(a.Name) - pos(b.Name) })
	return out, nil
}

// BaseRowsOf reads a base table's rows in order, handing each (a JSON
// array, valid only during the call) to fn.
func BaseRowsOf(ctx context.Context, db DB, table string, fn func(row []byte) error) error {
	rows, err := db.Query(ctx, `SELECT vals::text FROM base_rows WHERE table_name = $1 ORDER BY n`, table)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		raw := rows.RawValues()
		if len(raw) != 1 || raw[0] == nil {
			return fmt.Errorf("base row of %s: %d values", table, len(raw))
		}
		if err := fn(raw[0]); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BaseSummary is what Load did with the base, as the command line prints it.
func BaseSummary(r BaseResult) string {
	if r.Kept != "" {
		return "base: kept as it was (" + r.Kept + "): not replaced\n"
	}
	var b strings.Builder
	var total int64
	for _, t := range r.Tables {
		fmt.Fprintf(&b, "base %-24s %8d rows\n", t.Name, t.Rows)
		total += t.Rows
	}
	fmt.Fprintf(&b, "base: published, %d tables, %d rows\n", len(r.Tables), total)
	return b.String()
}
