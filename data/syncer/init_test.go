package syncer_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/data/upstream"
	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

// emptyUpstream is a new upstream with its schema and nothing published.
func emptyUpstream(t testing.TB) *pgx.Conn {
	t.Helper()
	bg := context.Background()
	conn, err := pgx.Connect(bg, pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if _, _, err := upstream.Init(bg, conn); err != nil {
		t.Fatal(err)
	}
	return conn
}

// sameReference fails t unless a and b hold the same rows of every
// published table (reference tables and users): the same keys, values and
// geometry (a one-polygon multipolygon equal to its polygon).
func sameReference(t *testing.T, a, b *mirror.Mirror) {
	t.Helper()
	bg := context.Background()
	for _, tb := range upstream.Published {
		ra, err := a.ReferenceRows(bg, tb.Name, tb.Columns)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.ReferenceRows(bg, tb.Name, tb.Columns)
		if err != nil {
			t.Fatal(err)
		}
		if len(ra) == 0 || len(ra) != len(rb) {
			t.Errorf("%s: %d rows, the source %d", tb.Name, len(rb), len(ra))
			continue
		}
		byKey := map[string][]any{}
		for _, r := range rb {
			byKey[fmt.Sprint(r[0])] = r
		}
		bad := 0
		for _, r := range ra {
			o, ok := byKey[fmt.Sprint(r[0])]
			if !ok {
				t.Errorf("%s %v: missing", tb.Name, r[0])
				bad++
			} else if why := rowDiff(r, o); why != "" {
				t.Errorf("%s %v: %s", tb.Name, r[0], why)
				bad++
			}
			if bad > 5 {
				t.Fatalf("%s: more differences", tb.Name)
			}
		}
	}
}

func rowDiff(a, b []any) string {
	n := len(a) - 1
	for i := range n {
		if fmt.Sprint(a[i]) != fmt.Sprint(b[i]) {
			return fmt.Sprintf("column %d: %v, the source %v", i, b[i], a[i])
		}
	}
	ga, _ := a[n].(orb.Geometry)
	gb, _ := b[n].(orb.Geometry)
	if (ga == nil) != (gb == nil) || ga != nil && !orb.Equal(onePolygon(ga), onePolygon(gb)) {
		return "geometry differs"
	}
	return ""
}

func onePolygon(g orb.Geometry) orb.Geometry {
	if mp, ok := g.(orb.MultiPolygon); ok && len(mp) == 1 {
		return mp[0]
	}
	return g
}

func refusalCode(err error) data.Code {
	var r *data.Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}

// noFilesBeside fails t when anything but the file named keep is in dir.
func noFilesBeside(t *testing.T, dir string, keep ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if !strings.Contains(" "+strings.Join(keep, " ")+" ", " "+e.Name()+" ") {
			t.Errorf("%s left in %s", e.Name(), dir)
		}
	}
}

// kapok sync --init's work: a new mirror made from the upstream holds the
// same reference rows and users as the mirror they were published from, is
// a valid GeoPackage, lets its users log in, and receives another
// console's changes, made before it and after.
func TestInitMakesAWholeMirror(t *testing.T) {
	bg := context.Background()
	src := fixture.City(t)
	conn := upstreamOf(t, src)
	at := fixture.AsOf.Add(time.Hour)

	// A second console changes something before the new one exists.
	other := fixture.City(t)
	before, err := other.IssueOrder(bg, data.OrderRequest{Task: "巡查", Start: at, End: at.Add(time.Hour),
		Targets: []string{"990101001001001"}, Actor: "commander"}, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncer.Run(bg, other, conn, time.Now); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "new.gpkg")
	res, err := syncer.Init(bg, path, conn, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	noFilesBeside(t, dir, "new.gpkg", "new.gpkg.sync-lock")
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the new mirror: %v %v, want mode 0600", fi, err)
	}
	if res.Matters != 109 || res.Indicators != 211 || res.Version == 0 || res.Sync.Applied.Applied != 1 {
		t.Errorf("init: %+v", res)
	}
	m, err := mirror.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	counts, err := m.LayerCounts(bg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if r.Table != "users" && counts[r.Table] != r.Rows {
			t.Errorf("%s: %d rows said, %d there", r.Table, r.Rows, counts[r.Table])
		}
	}
	sameReference(t, src, m)
	for _, table := range []string{"matter_types", "indicator_defs"} {
		if a, b := tableText(t, src, table), tableText(t, m, table); a != b || b == "" {
			t.Errorf("%s: not as the demo wrote it:\n%.300s\nthe demo's:\n%.300s", table, b, a)
		}
	}
	if name, err := m.Meta(bg, "city_name"); err != nil || name != "测试市" {
		t.Errorf("city_name %q %v", name, err)
	}
	gdalReads(t, m, counts)

	// Its users log in offline, with the passwords the upstream holds.
	if _, err := m.Authenticate(bg, "commander", demo.Password, at); err != nil {
		t.Errorf("commander's login: %v", err)
	}
	if _, err := m.Authenticate(bg, "operator", "wrong", at); refusalCode(err) == "" {
		t.Errorf("a wrong password: %v", err)
	}
	// The order made before it, pulled by its first sync, under the
	// commander's permission.
	orders, err := m.Orders(bg)
	if err != nil || len(orders) != 1 || orders[0].UID != before.UID {
		t.Fatalf("orders after init: %+v %v", orders, err)
	}

	// Another change, and a user renamed upstream: the next sync brings
	// both; the console's own failed-login count is kept.
	after, err := other.IssueOrder(bg, data.OrderRequest{Task: "复查", Start: at, End: at.Add(time.Hour),
		Targets: []string{"990101001001001"}, Actor: "commander"}, at.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncer.Run(bg, other, conn, time.Now); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(bg, `UPDATE users SET name = name || '（改）' WHERE login = 'operator'`); err != nil {
		t.Fatal(err)
	}
	r, err := syncer.Run(bg, m, conn, time.Now)
	if err != nil || r.Applied.Applied != 1 || r.RefUpdated != 1 {
		t.Fatalf("sync after init: %+v %v", r, err)
	}
	orders, err = m.Orders(bg)
	if err != nil || len(orders) != 2 || orders[0].UID != after.UID && orders[1].UID != after.UID {
		t.Errorf("orders after the next sync: %+v %v", orders, err)
	}
	var name string
	var failed int
	if err := m.DB.QueryRow(`SELECT name, failed_logins FROM users WHERE login = 'operator'`).Scan(&name, &failed); err != nil ||
		!strings.HasSuffix(name, "（改）") || failed != 1 {
		t.Errorf("operator after the sync: %q, %d failed logins, %v", name, failed, err)
	}
}

// tableText is every row of table, every column, in rowid order, as text.
func tableText(t *testing.T, m *mirror.Mirror, table string) string {
	t.Helper()
	rows, err := m.DB.Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, vals := range allRows(t, rows) {
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}

// allRows reads every row of rows, each its columns' values, and closes it.
func allRows(t *testing.T, rows *sql.Rows) [][]any {
	t.Helper()
	defer func() { _ = rows.Close() }()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// gdalReads runs GDAL on the mirror: every reference layer read with its
// count, and the GeoPackage validator, where they are installed.
func gdalReads(t *testing.T, m *mirror.Mirror, counts map[string]int64) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Log("GDAL (ogrinfo) not installed; `make test` installs gdal-bin: GDAL's check skipped")
		return
	}
	for _, tb := range upstream.ReferenceTables {
		out, err := exec.Command("ogrinfo", "-ro", "-so", m.Path, tb.Name).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", tb.Name, err, out)
		}
		got := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out)
		if got == nil || string(got[1]) != fmt.Sprint(counts[tb.Name]) || !strings.Contains(string(out), "Extent: (") {
			t.Errorf("%s: ogrinfo says %q, Kapok %d rows\n%s", tb.Name, got, counts[tb.Name], out)
		}
	}
	const validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
	if _, err := os.Stat(validator); err != nil {
		t.Log("validate_gpkg.py not installed (python3-gdal): validator skipped")
		return
	}
	if out, err := exec.Command("/usr/bin/python3", validator, m.Path).CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("validate_gpkg.py: %v\n%s", err, out)
	}
}

// Init refuses a file already there and an upstream with nothing to build
// from, and leaves nothing behind when refused or cut.
func TestInitRefuses(t *testing.T) {
	bg := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "new.gpkg")
	if _, err := syncer.Init(bg, path, emptyUpstream(t), time.Now); refusalCode(err) != data.CodeUpstreamEmpty {
		t.Errorf("an empty upstream: %v", err)
	}
	noFilesBeside(t, dir)

	conn := upstreamOf(t, fixture.City(t))
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := syncer.Init(bg, path, conn, time.Now)
	if refusalCode(err) != data.CodeMirrorExists {
		t.Errorf("a file there: %v", err)
	}
	var r *data.Refusal
	if errors.As(err, &r) && (len(r.Args) != 1 || r.Args[0].Value != path) {
		t.Errorf("the refusal does not name the file: %+v", r.Args)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "mine" {
		t.Errorf("the file there: %q %v", b, err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}

	// Cut: a build left over from a killed init is replaced; a cancelled
	// one leaves nothing.
	if err := os.WriteFile(path+".building", []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	cut, cancel := context.WithCancel(bg)
	cancel()
	if _, err := syncer.Init(cut, path, conn, time.Now); err == nil {
		t.Error("a cancelled init made a mirror")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled init left %s: %v", path, err)
	}
	if _, err := syncer.Init(bg, path, conn, time.Now); err != nil {
		t.Fatal(err)
	}
	noFilesBeside(t, dir, "new.gpkg", "new.gpkg.sync-lock")
}

// publishedUpstream is a new upstream with m's reference data and its base
// published, as `kapok upstream load` publishes them.
func publishedUpstream(t testing.TB, m *mirror.Mirror) (*pgx.Conn, upstream.BaseResult) {
	t.Helper()
	conn := emptyUpstream(t)
	_, base, err := upstream.LoadWithBase(context.Background(), conn, referenceOf(m), baseOf(m))
	if err != nil {
		t.Fatal(err)
	}
	return conn, base
}

func referenceOf(m *mirror.Mirror) upstream.Source {
	return func(ctx context.Context, tb upstream.Table) ([][]any, error) {
		return m.ReferenceRows(ctx, tb.Name, tb.Columns)
	}
}

func baseOf(m *mirror.Mirror) upstream.BaseSource {
	return func(ctx context.Context, table string) (upstream.BaseRows, error) { return m.ReadBase(ctx, table) }
}

// Every table of a new mirror is in the upstream's base or said to be left
// out of it: a table added to the mirror fails here until it is one or the
// other.
func TestEveryMirrorTableBaseOrNot(t *testing.T) {
	m, err := mirror.Open(filepath.Join(t.TempDir(), "fresh.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	rows, err := m.DB.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range allRows(t, rows) {
		have[r[0].(string)] = true
	}
	inBase := map[string]bool{}
	for _, n := range upstream.BaseTables {
		if inBase[n] {
			t.Errorf("%s twice in the base", n)
		}
		inBase[n] = true
		if _, out := upstream.NotBase[n]; out {
			t.Errorf("%s both in the base and left out", n)
		}
	}
	for n := range have {
		prefixed := slices.ContainsFunc(upstream.NotBasePrefixes, func(p string) bool { return strings.HasPrefix(n, p) })
		_, out := upstream.NotBase[n]
		if !inBase[n] && !out && !prefixed {
			t.Errorf("the mirror's table %s is neither in upstream.BaseTables nor in upstream.NotBase", n)
		}
	}
	for n := range inBase {
		if !have[n] {
			t.Errorf("the base's %s is not a mirror table", n)
		}
	}
	for n := range upstream.NotBase {
		if !have[n] {
			t.Errorf("%s, left out of the base, is not a mirror table", n)
		}
	}
}

// A mirror made by --init holds the same shared state as the mirror the
// upstream's base was published from, every base table row for row (values
// the JSON of the base cannot carry plainly among them: a blob, NUL,
// invalid UTF-8, extreme reals); a case step on one of the source's cases,
// synced, applies there (not rejected as a step on a case it lacks), and
// the states stay equal. A second load keeps the base.
func TestInitHoldsTheBase(t *testing.T) {
	src := fixture.City(t)
	// Values the base must carry exactly.
	err := src.Update(ctx, func(tx *sql.Tx) error {
		return mirror.WithoutUndo(ctx, tx, func() error {
			_, err := tx.Exec(`UPDATE events SET description = ? WHERE fid = (SELECT min(fid) FROM events)`, "a\x00b\xffc\"\\\n<&>")
			if err != nil {
				return err
			}
			for i, v := range []float64{1e300, 5e-324, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 0.1, 1} {
				if _, err := tx.Exec(`INSERT INTO indicator_readings (indicator_id, region_code, at, value)
					SELECT min(id), '9901', ?, ? FROM indicator_defs`, fmt.Sprintf("2026-01-01T00:00:%02d.000Z", i), v); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	conn, base := publishedUpstream(t, src)
	if base.Kept != "" || len(base.Tables) != len(upstream.BaseTables) {
		t.Fatalf("base: %+v", base)
	}
	if _, err := syncer.Run(ctx, src, conn, time.Now); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "new.gpkg")
	res, err := syncer.Init(ctx, path, conn, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mirror.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	sameState(t, "after init", src, m)
	if len(res.Base) != len(upstream.BaseTables) {
		t.Errorf("init wrote %d base tables, want %d", len(res.Base), len(upstream.BaseTables))
	}
	var total int64
	for i, tb := range res.Base {
		n := fixture.Count(t, src, `SELECT count(*) FROM `+tb.Table)
		if tb.Table != upstream.BaseTables[i] || tb.Rows != n || fixture.Count(t, m, `SELECT count(*) FROM `+tb.Table) != n {
			t.Errorf("%s: %d rows written, the source %d", tb.Table, tb.Rows, n)
		}
		if a, b := baseText(t, src, tb.Table), baseText(t, m, tb.Table); a != b {
			t.Errorf("%s differs from the source's", tb.Table)
		}
		total += n
	}
	if fixture.Count(t, m, `SELECT count(*) FROM events`) == 0 || total < 1000 {
		t.Errorf("the base is thin: %d rows", total)
	}
	for _, table := range []string{"indicator_latest", "rtree_events_geom"} {
		if a, b := fixture.Count(t, src, `SELECT count(*) FROM `+table), fixture.Count(t, m, `SELECT count(*) FROM `+table); a != b || a == 0 {
			t.Errorf("%s: %d rows, the source %d", table, b, a)
		}
	}

	// A step on a case of the source's, made there and synced.
	var code string
	if err := src.DB.QueryRow(`SELECT code FROM events WHERE state = 'handling' AND grid_code LIKE '990101%' ORDER BY code LIMIT 1`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	if _, err := src.MoveCase(ctx, data.CaseMove{Case: code, To: data.EventFedBack, Result: "已处理", Actor: "leader_990101"}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := syncer.Run(ctx, src, conn, time.Now); err != nil {
		t.Fatal(err)
	}
	r, err := syncer.Run(ctx, m, conn, time.Now)
	if err != nil || r.Applied.Applied != 1 || r.Applied.Rejected != 0 {
		t.Fatalf("the step at the new console: %+v %v", r.Applied, err)
	}
	if _, err := syncer.Run(ctx, src, conn, time.Now); err != nil {
		t.Fatal(err)
	}
	sameState(t, "after the step", src, m)

	// Loaded again: the reference rows as before, the base kept.
	_, again, err := upstream.LoadWithBase(ctx, conn, referenceOf(src), baseOf(src))
	if err != nil || again.Kept == "" || len(again.Tables) != 0 {
		t.Errorf("a second load: %+v %v", again, err)
	}
}

// An upstream loaded without a base, where a console has pushed: a load
// does not publish one under the consoles' changes.
func TestBaseNotUnderPushedChanges(t *testing.T) {
	src := fixture.City(t)
	conn := upstreamOf(t, src)
	issue(t, src, "巡查", t0)
	if _, err := syncer.Run(ctx, src, conn, time.Now); err != nil {
		t.Fatal(err)
	}
	_, res, err := upstream.LoadWithBase(ctx, conn, referenceOf(src), baseOf(src))
	if err != nil || !strings.Contains(res.Kept, "pushed") || len(res.Tables) != 0 {
		t.Errorf("load after a push: %+v %v", res, err)
	}
	tables, err := upstream.Base(ctx, conn)
	if err != nil || len(tables) != 0 {
		t.Errorf("base: %+v %v", tables, err)
	}
}

// baseText is every row of table, each stored column's value with its type
// (read as an expression, so that the driver leaves DATETIME text as it
// is), the rows sorted.
func baseText(t *testing.T, m *mirror.Mirror, table string) string {
	t.Helper()
	var cols []string
	rows, err := m.DB.Query(`SELECT 'coalesce("' || name || '", NULL)' FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid`, table)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range allRows(t, rows) {
		cols = append(cols, c[0].(string))
	}
	rows, err = m.DB.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, vals := range allRows(t, rows) {
		var b strings.Builder
		for _, v := range vals {
			switch v := v.(type) {
			case []byte:
				fmt.Fprintf(&b, "blob:%x ", v)
			case string:
				fmt.Fprintf(&b, "text:%q ", v)
			default:
				fmt.Fprintf(&b, "%T:%v ", v, v)
			}
		}
		lines = append(lines, b.String())
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
