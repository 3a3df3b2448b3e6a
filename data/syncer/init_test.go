package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
	defer func() { _ = rows.Close() }()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
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
