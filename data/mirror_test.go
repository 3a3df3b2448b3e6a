package data

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenAppliesEveryMigrationOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.gpkg")
	m, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	migs, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	v, err := m.SchemaVersion()
	if err != nil || v != len(migs) || v < 3 {
		t.Fatalf("schema version %d, %v; want %d", v, err, len(migs))
	}
	m.Close()
	// Reopening applies nothing twice.
	m, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if n := count(t, m, `SELECT count(*) FROM kapok_schema`); n != int64(len(migs)) {
		t.Fatalf("%d migration rows after reopening, want %d", n, len(migs))
	}
}

func TestEveryConnectionHasForeignKeysAndWAL(t *testing.T) {
	m, err := Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
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
	m, err := Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if id := count(t, m, `PRAGMA application_id`); id != 0x47504B47 {
		t.Fatalf("application_id %#x", id)
	}
	if uv := count(t, m, `PRAGMA user_version`); uv != 10200 {
		t.Fatalf("user_version %d, want 10200", uv)
	}
	for _, l := range FeatureLayers {
		if n := count(t, m, `SELECT count(*) FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name)
			JOIN gpkg_extensions e USING (table_name) WHERE table_name = ? AND e.extension_name = 'gpkg_rtree_index'`, l); n != 1 {
			t.Errorf("layer %s is not registered with an R-tree", l)
		}
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	m, err := Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	tx, _ := m.DB.Begin()
	if err := Audit(tx, time.Now(), SystemUser, "test", "x", "1", ""); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	for _, q := range []string{`UPDATE audit_log SET action = 'forged'`, `DELETE FROM audit_log`} {
		if _, err := m.DB.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refusal", q, err)
		}
	}
	if n := count(t, m, `SELECT count(*) FROM audit_log WHERE action = 'test'`); n != 1 {
		t.Fatalf("%d audit rows", n)
	}
}

func TestStrictTablesRejectWrongTypes(t *testing.T) {
	m, err := Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	_, err = m.DB.Exec(`INSERT INTO matter_types VALUES ('X1', 'a', 'b', 'c', 'd', 'soon', 'grid')`)
	if err == nil {
		t.Fatal("text in an INTEGER column of a STRICT table was accepted")
	}
}

func TestDefaultMirrorPathIsInTheDataDirectory(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	if p, err := DefaultMirrorPath(); err != nil || p != "/srv/data/kapok/mirror.gpkg" {
		t.Fatalf("%s, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/leader")
	if p, err := DefaultMirrorPath(); err != nil || p != "/home/leader/.local/share/kapok/mirror.gpkg" {
		t.Fatalf("%s, %v", p, err)
	}
}
