package main

import (
	"context"
	"fmt"
	"maps"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/upstream"
	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

// kapok upstream init on a real PostgreSQL: the schema applied, then up to
// date; misuses and an unreachable upstream refused.
func TestUpstreamInitCommand(t *testing.T) {
	dsn := pgtest.Start(t)
	code, out, errOut := cli(t, "upstream", "init", "--dsn", dsn)
	if code != 0 || out != "upstream schema at version 4: applied 0001_reference.sql, 0002_journal.sql, 0003_users.sql, 0004_base.sql\n" || errOut != "" {
		t.Fatalf("first init: %d %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, "upstream", "init", "--dsn", dsn)
	if code != 0 || out != "upstream schema at version 4: up to date\n" || errOut != "" {
		t.Fatalf("second init: %d %q %q", code, out, errOut)
	}
	for _, args := range [][]string{
		{"upstream"}, {"upstream", "load"}, {"upstream", "init"}, {"upstream", "init", "--dsn", dsn, "extra"},
		{"upstream", "init", "--dsn", "postgres://a b:c@"},
	} {
		if code, _, errOut := cli(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: %d %q, want a misuse", args, code, errOut)
		}
	}
	if code, out, _ := cli(t, "upstream", "init", "--help"); code != 0 || !strings.Contains(out, "--dsn") {
		t.Errorf("--help: %d %q", code, out)
	}
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = cli(t, "upstream", "init", "--dsn", "postgres://postgres@127.0.0.1:"+port+"/x?connect_timeout=2")
	if code != 1 || !strings.Contains(errOut, "kapok upstream: the upstream cannot be reached: ") {
		t.Errorf("an upstream that is not there: %d %q", code, errOut)
	}
}

// kapok upstream load on a real PostgreSQL with the fixture city: every
// reference row published, geometry intact; loading again changes no
// version; one grid changed in the mirror bumps that row's version alone.
func TestUpstreamLoadCommand(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Start(t)
	path := fixture.CityPath(t)
	if code, out, errOut := cli(t, "upstream", "init", "--dsn", dsn); code != 0 {
		t.Fatalf("init: %d %q %q", code, out, errOut)
	}
	m, err := mirror.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	mirrorCount := map[string]int{}
	for _, tb := range upstream.ReferenceTables {
		var n int
		if err := m.DB.QueryRowContext(ctx, `SELECT count(*) FROM `+tb.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatalf("the fixture city has no %s", tb.Name)
		}
		mirrorCount[tb.Name] = n
	}
	loads := 0
	load := func(want func(table string) (added, updated, unchanged int)) {
		t.Helper()
		code, out, errOut := cli(t, "upstream", "load", "--dsn", dsn, "--mirror", path)
		if code != 0 || errOut != "" {
			t.Fatalf("load: %d %q %q", code, out, errOut)
		}
		for _, tb := range upstream.ReferenceTables {
			a, u, n := want(tb.Name)
			line := fmt.Sprintf("%-12s %6d added, %6d updated, %6d unchanged\n", tb.Name, a, u, n)
			if !strings.Contains(out, line) {
				t.Errorf("load: want %q in\n%s", line, out)
			}
		}
		// The base the first time, kept as it was after.
		if base := fmt.Sprintf("base: published, %d tables, ", len(upstream.BaseTables)); strings.Contains(out, base) != (loads == 0) ||
			loads > 0 && !strings.Contains(out, "base: kept as it was (a base is there, published ") {
			t.Errorf("load %d: the base in\n%s", loads+1, out)
		}
		loads++
		if !strings.Contains(out, "loaded in ") {
			t.Errorf("load: no time in %q", out)
		}
	}
	load(func(tb string) (int, int, int) { return mirrorCount[tb], 0, 0 })

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	for tb, n := range mirrorCount {
		var got int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+tb).Scan(&got); err != nil || got != n {
			t.Errorf("%s: %d rows upstream, %v; the mirror has %d", tb, got, err, n)
		}
	}
	grids, err := m.LoadGrids(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := grids[len(grids)/2]
	var b []byte
	if err := conn.QueryRow(ctx, `SELECT ST_AsBinary(geom) FROM grids WHERE code = $1`, g.Code).Scan(&b); err != nil {
		t.Fatal(err)
	}
	back, err := wkb.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !orb.Equal(back, g.Boundary) {
		t.Errorf("grid %s's boundary did not come back as it went", g.Code)
	}
	var unit orb.Point
	units, err := m.LoadUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT ST_X(geom), ST_Y(geom) FROM units WHERE code = $1`, units[0].Code).Scan(&unit[0], &unit[1]); err != nil || unit != units[0].Location {
		t.Errorf("unit %s at %v upstream, %v; %v in the mirror", units[0].Code, unit, err, units[0].Location)
	}

	versions := func() map[string]int64 {
		rows, err := conn.Query(ctx, `SELECT 'city ' || code, version FROM cities UNION ALL SELECT 'district ' || code, version FROM districts
			UNION ALL SELECT 'street ' || code, version FROM streets UNION ALL SELECT 'community ' || code, version FROM communities
			UNION ALL SELECT 'grid ' || code, version FROM grids UNION ALL SELECT 'center ' || code, version FROM centers
			UNION ALL SELECT 'unit ' || code, version FROM units`)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for rows.Next() {
			var k string
			var v int64
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			out[k] = v
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := versions()
	load(func(tb string) (int, int, int) { return 0, 0, mirrorCount[tb] })
	if after := versions(); !maps.Equal(before, after) {
		t.Error("loading again changed versions")
	}

	// Grids have no name: change one's population in the mirror.
	if _, err := m.DB.ExecContext(ctx, `UPDATE grids SET population = population + 1 WHERE code = ?`, g.Code); err != nil {
		t.Fatal(err)
	}
	load(func(tb string) (int, int, int) {
		if tb == "grids" {
			return 0, 1, mirrorCount[tb] - 1
		}
		return 0, 0, mirrorCount[tb]
	})
	after := versions()
	for k, v := range after {
		if changed := v != before[k]; changed != (k == "grid "+g.Code) {
			t.Errorf("%s: version %d, was %d", k, v, before[k])
		}
	}
	if after["grid "+g.Code] <= before["grid "+g.Code] {
		t.Errorf("the changed grid's version went from %d to %d", before["grid "+g.Code], after["grid "+g.Code])
	}
	var pop int
	if err := conn.QueryRow(ctx, `SELECT population FROM grids WHERE code = $1`, g.Code).Scan(&pop); err != nil || pop != g.Population+1 {
		t.Errorf("the changed grid's population upstream: %d, %v; want %d", pop, err, g.Population+1)
	}
	if code, _, errOut := cli(t, "upstream", "load", "--dsn", dsn); code != 2 || errOut == "" {
		t.Errorf("load without --mirror: %d %q", code, errOut)
	}
}

// Publishing the demo Guangzhou (20,031 grids, 21,590 units): into a new
// upstream, and again into one that already holds it (nothing to write).
func BenchmarkUpstreamLoadGuangzhou(b *testing.B) {
	ctx := context.Background()
	m, err := mirror.OpenExisting(fixture.GuangzhouPath(b))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	src := func(ctx context.Context, t upstream.Table) ([][]any, error) {
		return m.ReferenceRows(ctx, t.Name, t.Columns)
	}
	base := func(ctx context.Context, table string) (upstream.BaseRows, error) { return m.ReadBase(ctx, table) }
	fresh := func() *pgx.Conn {
		conn, err := pgx.Connect(ctx, pgtest.Start(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = conn.Close(context.Background()) })
		if _, _, err := upstream.Init(ctx, conn); err != nil {
			b.Fatal(err)
		}
		return conn
	}
	b.Run("new", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			conn := fresh()
			b.StartTimer()
			if _, res, err := upstream.LoadWithBase(ctx, conn, src, base); err != nil || len(res.Tables) == 0 {
				b.Fatal(res, err)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		conn := fresh()
		if _, _, err := upstream.LoadWithBase(ctx, conn, src, base); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, res, err := upstream.LoadWithBase(ctx, conn, src, base); err != nil || res.Kept == "" {
				b.Fatal(res, err)
			}
		}
	})
}

// A mirror holding shared changes of its own (an order issued) publishes
// its reference data but no base: the consoles made from the upstream
// would hold the order in their base, then replay it when the mirror
// pushes it. Loaded from a mirror without any, the base is published.
func TestUpstreamLoadNoBaseWithSharedChanges(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Start(t)
	if code, out, errOut := cli(t, "upstream", "init", "--dsn", dsn); code != 0 {
		t.Fatalf("init: %d %q %q", code, out, errOut)
	}
	path, clean := fixture.CityPath(t), fixture.CityPath(t)
	m, err := mirror.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	at := fixture.AsOf.Add(time.Hour)
	if _, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: at, End: at.Add(time.Hour), Targets: []string{"990101001001001"},
		Actor: "commander"}, at); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "upstream", "load", "--dsn", dsn, "--mirror", path)
	if code != 0 || errOut != "" || !strings.Contains(out, "base: not published: the mirror holds 1 shared changes") ||
		!strings.Contains(out, "grids ") {
		t.Fatalf("load: %d %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, "upstream", "load", "--dsn", dsn, "--mirror", clean)
	if code != 0 || errOut != "" || !strings.Contains(out, fmt.Sprintf("base: published, %d tables, ", len(upstream.BaseTables))) {
		t.Fatalf("load from a mirror without shared changes: %d %q %q", code, out, errOut)
	}
}
