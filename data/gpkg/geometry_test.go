package gpkg

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

func TestGeometryAsSQLValue(t *testing.T) {
	db, err := sql.Open(DriverName, URI(filepath.Join(t.TempDir(), "g.db"), nil))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if _, err := db.Exec(`CREATE TABLE t (g BLOB)`); err != nil {
		t.Fatal(err)
	}
	poly := orb.MultiPolygon{{{{113, 23}, {113.1, 23}, {113.1, 23.1}, {113, 23}}}}
	if _, err := db.Exec(`INSERT INTO t VALUES (?), (?)`, Geometry{poly}, Geometry{}); err != nil {
		t.Fatal(err)
	}
	// The registered functions read the blob's envelope, as the R-tree
	// triggers do.
	var minx, maxy float64
	if err := db.QueryRow(`SELECT ST_MinX(g), ST_MaxY(g) FROM t WHERE g IS NOT NULL`).Scan(&minx, &maxy); err != nil || minx != 113 || maxy != 23.1 {
		t.Fatalf("ST_MinX %v ST_MaxY %v, %v", minx, maxy, err)
	}
	rows, err := db.Query(`SELECT g FROM t ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []orb.Geometry
	for rows.Next() {
		var g Geometry
		if err := rows.Scan(&g); err != nil {
			t.Fatal(err)
		}
		got = append(got, g.Geometry)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !orb.Equal(got[0], poly) || got[1] != nil {
		t.Fatalf("read back %v", got)
	}
}
