package upstream

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Table is one reference table as Load copies it: its columns other than
// geom and version (the key first: code, a user's login), their PostgreSQL
// types, and whether its geometry is a MultiPolygon (else a Point), or
// whether it has none (NoGeom: users).
type Table struct {
	Name    string
	Columns []string
	Types   []string
	Polygon bool
	NoGeom  bool
}

// geomSelect is what a query of the table selects for its geometry: WKB,
// or NULL for a table without one, so every row has its geometry last.
func (t Table) geomSelect() string {
	if t.NoGeom {
		return "NULL::bytea"
	}
	return "ST_AsBinary(geom)"
}

// ReferenceTables are the reference tables, parents before children (the
// order Load fills them in, for the foreign keys).
var ReferenceTables = []Table{
	{"cities", []string{"code", "name", "pinyin", "area_km2"}, []string{"text", "text", "text", "double precision"}, true, false},
	{"districts", []string{"code", "name", "pinyin", "city_code", "area_km2"}, []string{"text", "text", "text", "text", "double precision"}, true, false},
	{"streets", []string{"code", "name", "pinyin", "district_code", "kind", "area_km2"}, []string{"text", "text", "text", "text", "text", "double precision"}, true, false},
	{"communities", []string{"code", "name", "pinyin", "street_code", "kind", "area_km2", "demo_point"},
		[]string{"text", "text", "text", "text", "text", "double precision", "boolean"}, true, false},
	{"grids", []string{"code", "community_code", "kind", "area_m2", "population", "households"},
		[]string{"text", "text", "text", "double precision", "integer", "integer"}, true, false},
	{"centers", []string{"code", "level", "region_code", "name", "duty_phone", "staff_on_duty", "status"},
		[]string{"text", "text", "text", "text", "text", "integer", "text"}, false, false},
	{"units", []string{"code", "name", "unit_type", "grid_code", "capabilities", "status"},
		[]string{"text", "text", "text", "text", "text", "text"}, false, false},
}

// Users are the people who log in at the consoles (no geometry), keyed by
// login: the mirror's users but the built-in system user and each
// console's own failed-login counter and lock.
var Users = Table{"users", []string{"login", "name", "role", "jurisdiction_code", "password_hash", "disabled_at"},
	[]string{"text", "text", "text", "text", "text", "text"}, false, true}

// Published are the tables Load publishes and a sync pulls: the reference
// tables, then the users.
var Published = append(append([]Table{}, ReferenceTables...), Users)

// Source gives a reference table's rows: per row the values of t.Columns in
// order (string, float64, int64 or bool, as the mirror's driver reads them),
// then the geometry (an orb.Geometry, or nil).
type Source func(ctx context.Context, t Table) ([][]any, error)

// Counts is what Load did to one table.
type Counts struct {
	Table                     string
	Added, Updated, Unchanged int
}

// Load publishes reference data (Published: the reference tables and the
// users) into the upstream, in one transaction (LoadWithBase: and the base):
// each table's rows are copied (COPY) into a temporary table, then upserted
// by code with one INSERT … ON CONFLICT (code) DO UPDATE that touches only
// the rows that differ, so an unchanged row keeps its version. Rows the
// upstream holds and the source does not are left as they are.
func Load(ctx context.Context, db Beginner, src Source) ([]Counts, error) {
	out, _, err := LoadWithBase(ctx, db, src, nil)
	return out, err
}

// LoadWithBase is Load, and in the same transaction the base (BaseTables,
// read from base; none when nil) the first time: not when a base is there
// or a console has pushed to the journal (BaseResult.Kept says which), as
// the consoles' changes are built on what the upstream held.
func LoadWithBase(ctx context.Context, db Beginner, src Source, base BaseSource) ([]Counts, BaseResult, error) {
	var res BaseResult
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, res, err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	var out []Counts
	for _, t := range Published {
		rows, err := src(ctx, t)
		if err != nil {
			return nil, res, fmt.Errorf("reading %s: %w", t.Name, err)
		}
		c, err := loadTable(ctx, tx, t, rows)
		if err != nil {
			return nil, res, fmt.Errorf("loading %s: %w", t.Name, err)
		}
		out = append(out, c)
	}
	if base != nil {
		if res, err = publishBase(ctx, tx, base); err != nil {
			return nil, res, err
		}
	}
	return out, res, tx.Commit(ctx)
}

func loadTable(ctx context.Context, tx pgx.Tx, t Table, rows [][]any) (Counts, error) {
	c := Counts{Table: t.Name}
	tmp := "load_" + t.Name
	var defs []string
	for i, col := range t.Columns {
		defs = append(defs, col+" "+t.Types[i])
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE `+tmp+` (`+strings.Join(defs, ", ")+`, geom bytea) ON COMMIT DROP`); err != nil {
		return c, err
	}
	vals := make([][]any, len(rows))
	for i, r := range rows {
		v, err := rowValues(t, r)
		if err != nil {
			return c, err
		}
		vals[i] = v
	}
	cols := append(append([]string{}, t.Columns...), "geom")
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{tmp}, cols, pgx.CopyFromRows(vals)); err != nil {
		return c, err
	}
	geom := `ST_GeomFromWKB(geom, 4326)`
	if t.Polygon {
		geom = `ST_Multi(` + geom + `)`
	}
	var set, olds, news []string
	for _, col := range t.Columns[1:] {
		set = append(set, col+" = EXCLUDED."+col)
		olds = append(olds, "t."+col)
		news = append(news, "EXCLUDED."+col)
	}
	list := strings.Join(t.Columns, ", ")
	ins, sel := list+", version", list+", 0"
	if !t.NoGeom {
		set = append(set, "geom = EXCLUDED.geom")
		olds = append(olds, "ST_AsBinary(t.geom)")
		news = append(news, "ST_AsBinary(EXCLUDED.geom)")
		ins, sel = list+", geom, version", list+", CASE WHEN geom IS NULL THEN NULL ELSE "+geom+" END, 0"
	}
	q := `WITH up AS (
		INSERT INTO ` + t.Name + ` AS t (` + ins + `)
		SELECT ` + sel + ` FROM ` + tmp + `
		ON CONFLICT (` + t.Columns[0] + `) DO UPDATE SET ` + strings.Join(set, ", ") + `
		WHERE (` + strings.Join(olds, ", ") + `) IS DISTINCT FROM (` + strings.Join(news, ", ") + `)
		RETURNING (xmax = 0) AS added)
	SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM up`
	if err := tx.QueryRow(ctx, q).Scan(&c.Added, &c.Updated); err != nil {
		return c, err
	}
	c.Unchanged = len(rows) - c.Added - c.Updated
	return c, nil
}

// rowValues converts a source row to what COPY sends: the columns as their
// PostgreSQL types want them, the geometry as WKB.
func rowValues(t Table, r []any) ([]any, error) {
	if len(r) != len(t.Columns)+1 {
		return nil, fmt.Errorf("a row of %d values, want %d", len(r), len(t.Columns)+1)
	}
	out := make([]any, len(r))
	for i, typ := range t.Types {
		v := r[i]
		switch typ {
		case "boolean":
			if n, ok := v.(int64); ok {
				v = n != 0
			}
		case "double precision":
			if n, ok := v.(int64); ok {
				v = float64(n)
			}
		}
		out[i] = v
	}
	g, _ := r[len(r)-1].(orb.Geometry)
	if g == nil {
		return out, nil
	}
	if p, ok := g.(orb.Polygon); ok && t.Polygon {
		g = orb.MultiPolygon{p}
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", r[0], err)
	}
	out[len(r)-1] = b
	return out, nil
}

// Summary is Load's counts and time as the command line prints them.
func Summary(counts []Counts, took time.Duration) string {
	var b strings.Builder
	for _, c := range counts {
		fmt.Fprintf(&b, "%-12s %6d added, %6d updated, %6d unchanged\n", c.Table, c.Added, c.Updated, c.Unchanged)
	}
	fmt.Fprintf(&b, "loaded in %.2f s\n", took.Seconds())
	return b.String()
}
