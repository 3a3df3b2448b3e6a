package mirror_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

func TestOpenAppliesEveryMigrationOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.gpkg")
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	migs, err := mirror.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	v, err := m.SchemaVersion(ctx)
	if err != nil || v != len(migs) || v < 5 {
		t.Fatalf("schema version %d, %v; want %d", v, err, len(migs))
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening applies nothing twice.
	m, err = mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	if n := count(t, m, `SELECT count(*) FROM kapok_schema`); n != int64(len(migs)) {
		t.Fatalf("%d migration rows after reopening, want %d", n, len(migs))
	}
}

func TestEveryConnectionHasForeignKeysAndWAL(t *testing.T) {
	m, err := mirror.Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	m.DB.SetMaxIdleConns(0) // force fresh connections
	for i := 0; i < 3; i++ {
		if n := count(t, m, `PRAGMA foreign_keys`); n != 1 {
			t.Fatalf("foreign_keys = %d on connection %d", n, i)
		}
	}
	var mode string
	if err := m.DB.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q, %v", mode, err)
	}
	_, err = m.DB.Exec(`INSERT INTO districts (code, name, pinyin, city_code) VALUES ('440199', 'x', 'x', '9999')`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("district with unknown city: %v, want a foreign key error", err)
	}
}

func TestGeoPackageHeader(t *testing.T) {
	m, err := mirror.Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	if id := count(t, m, `PRAGMA application_id`); id != 0x47504B47 {
		t.Fatalf("application_id %#x", id)
	}
	if uv := count(t, m, `PRAGMA user_version`); uv != 10200 {
		t.Fatalf("user_version %d, want 10200", uv)
	}
	for _, l := range mirror.FeatureLayers {
		if n := count(t, m, `SELECT count(*) FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name)
			JOIN gpkg_extensions e USING (table_name) WHERE table_name = ? AND e.extension_name = 'gpkg_rtree_index'`, l); n != 1 {
			t.Errorf("layer %s is not registered with an R-tree", l)
		}
	}
}

func TestStrictTablesRejectWrongTypes(t *testing.T) {
	m, err := mirror.Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	_, err = m.DB.Exec(`INSERT INTO matter_types VALUES ('X1', 'a', 'b', 'c', 'd', 'soon', 'grid')`)
	if err == nil {
		t.Fatal("text in an INTEGER column of a STRICT table was accepted")
	}
}

func TestDefaultMirrorPathIsInTheDataDirectory(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	if p, err := mirror.DefaultPath(); err != nil || p != "/srv/data/kapok/mirror.gpkg" {
		t.Fatalf("%s, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/leader")
	if p, err := mirror.DefaultPath(); err != nil || p != "/home/leader/.local/share/kapok/mirror.gpkg" {
		t.Fatalf("%s, %v", p, err)
	}
}

// The R-tree triggers call the ST_ functions; the index must agree with the
// geometry after inserts, updates and deletes.
func TestRTreeFollowsWrites(t *testing.T) {
	m := emptyMirror(t)
	line := orb.LineString{{113, 23}, {113.5, 23.25}}
	b, err := gpkg.EncodeGeom(line)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, m, `INSERT INTO cities (code, name, pinyin) VALUES ('4401', 'c', 'c')`)
	mustExec(t, m, `INSERT INTO districts (code, name, pinyin, city_code) VALUES ('440101', 'd', 'd', '4401')`)
	mustExec(t, m, `INSERT INTO streets (code, name, pinyin, district_code, kind) VALUES ('440101001', 's', 's', '440101', 'street')`)
	mustExec(t, m, `INSERT INTO patrol_routes (geom, code, name, street_code, shift) VALUES (?, 'R1', 'r', '440101001', 'day')`, b)
	var minx, maxx, miny, maxy float64
	if err := m.DB.QueryRow(`SELECT minx, maxx, miny, maxy FROM rtree_patrol_routes_geom`).Scan(&minx, &maxx, &miny, &maxy); err != nil {
		t.Fatal(err)
	}
	// The R-tree stores 32-bit floats rounded outward.
	if minx > 113 || maxx < 113.5 || miny > 23 || maxy < 23.25 || maxx > 113.5001 {
		t.Fatalf("rtree box %v %v %v %v", minx, maxx, miny, maxy)
	}
	p, err := gpkg.EncodeGeom(orb.LineString{{114, 24}, {114.1, 24.1}})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, m, `UPDATE patrol_routes SET geom = ? WHERE code = 'R1'`, p)
	if n := count(t, m, `SELECT count(*) FROM rtree_patrol_routes_geom WHERE minx >= 113.99`); n != 1 {
		t.Fatal("R-tree not updated with the geometry")
	}
	mustExec(t, m, `DELETE FROM patrol_routes`)
	if n := count(t, m, `SELECT count(*) FROM rtree_patrol_routes_geom`); n != 0 {
		t.Fatal("R-tree entry outlived its feature")
	}
}

// A mirror and its -wal and -shm are readable by their owner only.
func TestMirrorFilesArePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.gpkg")
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	mustExec(t, m, `INSERT INTO kapok_meta (key, value) VALUES ('x', 'y')`) // makes the -wal
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
	}
}

// The journal refuses UPDATE and DELETE (the triggers stop accidents; the
// hash chain shows deliberate tampering, see journal_test.go).
func TestJournalIsAppendOnly(t *testing.T) {
	m := fixture.City(t)
	for _, q := range []string{`UPDATE journal SET entry = replace(entry, 'leader', 'forged')`, `DELETE FROM journal`} {
		if _, err := m.DB.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refusal", q, err)
		}
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'demo.build'`); n != 1 {
		t.Fatalf("%d demo.build entries", n)
	}
}

// The default mirror's folder is made readable by its owner only.
func TestPrepareDirIsPrivate(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "share", "kapok", "mirror.gpkg")
	if err := mirror.PrepareDir(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("data folder %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	if err := mirror.PrepareDir(path); err != nil { // again: it exists
		t.Fatal(err)
	}
}
