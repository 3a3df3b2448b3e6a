package upstream_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"kapok/data/upstream"
	"kapok/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// initialized is a new upstream database, Init applied, and a connection to it.
func initialized(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	v, applied, err := upstream.Init(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	migs, err := upstream.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if v != len(migs) || len(applied) != len(migs) {
		t.Fatalf("Init: version %d, applied %v; want %d, all", v, applied, len(migs))
	}
	return conn
}

func TestInitTwiceChangesNothing(t *testing.T) {
	conn := initialized(t)
	ctx := context.Background()
	schema := func() []string {
		rows, err := conn.Query(ctx, `SELECT table_name || '.' || column_name || ' ' || data_type
			FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return cols
	}
	before := schema()
	v, applied, err := upstream.Init(ctx, conn)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Init: version %d, applied %v, %v", v, applied, err)
	}
	if after := schema(); !slices.Equal(before, after) {
		t.Errorf("the second Init changed the schema:\n%v\n%v", before, after)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM kapok_schema`).Scan(&n); err != nil || n != v {
		t.Errorf("kapok_schema: %d rows, %v; want %d", n, err, v)
	}
}

func TestInitRefusesANewerSchema(t *testing.T) {
	conn := initialized(t)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `INSERT INTO kapok_schema (version, name) VALUES (999, '0999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := upstream.Init(ctx, conn); err == nil {
		t.Error("Init took a schema newer than itself")
	}
}

func TestReferenceTablesHaveGeometryAndVersions(t *testing.T) {
	conn := initialized(t)
	ctx := context.Background()
	want := map[string]string{
		"cities": "MULTIPOLYGON", "districts": "MULTIPOLYGON", "streets": "MULTIPOLYGON", "communities": "MULTIPOLYGON",
		"grids": "MULTIPOLYGON", "centers": "POINT", "units": "POINT",
	}
	rows, err := conn.Query(ctx, `SELECT f_table_name, type, srid FROM geometry_columns WHERE f_geometry_column = 'geom'`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for rows.Next() {
		var table, typ string
		var srid int
		if err := rows.Scan(&table, &typ, &srid); err != nil {
			t.Fatal(err)
		}
		if srid != 4326 {
			t.Errorf("%s.geom: SRID %d, want 4326", table, srid)
		}
		got[table] = typ
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for table, typ := range want {
		if got[table] != typ {
			t.Errorf("%s.geom: %q, want %s", table, got[table], typ)
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.columns
			WHERE table_name = $1 AND column_name = 'version' AND data_type = 'bigint' AND is_nullable = 'NO'`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s.version: %d, %v", table, n, err)
		}
	}
	for _, table := range []string{"journal", "console_heads", "kapok_schema"} {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s: %v, %v", table, ok, err)
		}
	}
}

func TestVersionIncreasesOnEveryChange(t *testing.T) {
	conn := initialized(t)
	ctx := context.Background()
	version := func(table, code string) int64 {
		var v int64
		if err := conn.QueryRow(ctx, `SELECT version FROM `+table+` WHERE code = $1`, code).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	square := `ST_Multi(ST_GeomFromText('POLYGON((113 23,113.1 23,113.1 23.1,113 23.1,113 23))', 4326))`
	for _, q := range []string{
		`INSERT INTO cities (code, name, pinyin, geom) VALUES ('9901', '测试市', 'ceshi', ` + square + `)`,
		`INSERT INTO districts (code, name, pinyin, city_code, geom) VALUES ('990101', '一区', 'yiqu', '9901', ` + square + `)`,
		// A version given is not kept: the trigger sets it.
		`INSERT INTO centers (code, level, region_code, name, duty_phone, status, geom, version)
			VALUES ('C990101', 'district', '990101', '一区中心', '020-1', 'normal', ST_SetSRID(ST_MakePoint(113.05, 23.05), 4326), 0)`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	city, district, center := version("cities", "9901"), version("districts", "990101"), version("centers", "C990101")
	if city <= 0 || district <= city || center <= district {
		t.Fatalf("versions in order of insertion: %d, %d, %d", city, district, center)
	}
	if _, err := conn.Exec(ctx, `UPDATE cities SET name = '测试市 (新)', version = 1 WHERE code = '9901'`); err != nil {
		t.Fatal(err)
	}
	if v := version("cities", "9901"); v <= center {
		t.Errorf("the city's version after an update: %d, want more than %d", v, center)
	}
	if v := version("districts", "990101"); v != district {
		t.Errorf("the district's version moved with the city's: %d, was %d", v, district)
	}
	var changed []string
	rows, err := conn.Query(ctx, `SELECT code FROM cities WHERE version > $1 UNION ALL SELECT code FROM districts WHERE version > $1 ORDER BY 1`, center)
	if err != nil {
		t.Fatal(err)
	}
	if changed, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || !slices.Equal(changed, []string{"9901"}) {
		t.Errorf("changed since %d: %v, %v", center, changed, err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO cities (code, name, pinyin, geom) VALUES ('9902', 'x', 'x',
		ST_GeomFromText('POINT(113 23)', 4326))`); err == nil {
		t.Error("a point taken as a city's outline")
	}
}

const entryA = `{"actor":"leader","at":"2026-11-25T01:00:00Z","console":"c1","id":"0193a000-0000-7000-8000-000000000001","kind":"order.issue","payload":{},"subject":"o1"}`

func hash(c byte) string {
	b := make([]byte, 64)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

func TestJournalIsIdempotentByEntryID(t *testing.T) {
	conn := initialized(t)
	ctx := context.Background()
	push := `INSERT INTO journal (entry, console_seq, prev_hash, hash) VALUES ($1, $2, $3, $4)`
	if _, err := conn.Exec(ctx, push, entryA, 1, "", hash('a')); err != nil {
		t.Fatal(err)
	}
	var id, console string
	var arrival int64
	if err := conn.QueryRow(ctx, `SELECT arrival, entry_id, console FROM journal`).Scan(&arrival, &id, &console); err != nil {
		t.Fatal(err)
	}
	if arrival != 1 || id != "0193a000-0000-7000-8000-000000000001" || console != "c1" {
		t.Errorf("the entry: arrival %d, id %q, console %q", arrival, id, console)
	}
	var stored string
	if err := conn.QueryRow(ctx, `SELECT entry FROM journal`).Scan(&stored); err != nil || stored != entryA {
		t.Errorf("the entry was not kept byte for byte: %q, %v", stored, err)
	}
	_, err := conn.Exec(ctx, push, entryA, 2, hash('a'), hash('b'))
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" || pgErr.ConstraintName != "journal_entry_id_key" {
		t.Errorf("the same entry id pushed again: %v, want a unique violation of journal_entry_id_key", err)
	}
	// What a retried push does: nothing, and says so.
	tag, err := conn.Exec(ctx, push+` ON CONFLICT (entry_id) DO NOTHING`, entryA, 1, "", hash('a'))
	if err != nil || tag.RowsAffected() != 0 {
		t.Errorf("a retried push: %v rows, %v", tag.RowsAffected(), err)
	}
	for _, q := range []string{`UPDATE journal SET console_seq = 5`, `DELETE FROM journal`, `TRUNCATE journal`} {
		if _, err := conn.Exec(ctx, q); err == nil {
			t.Errorf("%s: allowed on the append-only journal", q)
		}
	}
	if _, err := conn.Exec(ctx, `UPDATE journal SET entry_id = 'other'`); err == nil {
		t.Error("an entry's id edited apart from the entry")
	}
	if _, err := conn.Exec(ctx, push, `{"id":"","console":"c1"}`, 3, "", hash('c')); err == nil {
		t.Error("an entry without an id taken")
	}
	if _, err := conn.Exec(ctx, `INSERT INTO console_heads (console, seq, hash) VALUES ('c1', 1, $1)`, hash('a')); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO console_heads (console, seq, hash) VALUES ('c1', 2, $1)`, hash('b')); err == nil {
		t.Error("two heads for one console")
	}
}
