package data

import (
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

func TestGeometryBlobRoundTrip(t *testing.T) {
	geoms := []orb.Geometry{
		orb.Point{113.26, 23.13},
		orb.LineString{{113, 23}, {113.1, 23.05}, {113.2, 23}},
		orb.MultiPolygon{{{{113, 23}, {113.1, 23}, {113.1, 23.1}, {113, 23}}}},
	}
	for _, g := range geoms {
		b, err := EncodeGeom(g)
		if err != nil {
			t.Fatal(err)
		}
		if string(b[:2]) != "GP" || b[2] != 0 {
			t.Fatalf("%s: header % x", g.GeoJSONType(), b[:4])
		}
		back, err := DecodeGeom(b)
		if err != nil {
			t.Fatal(err)
		}
		if !orb.Equal(g, back) {
			t.Fatalf("%s: got %v back", g.GeoJSONType(), back)
		}
	}
	if _, err := DecodeGeom([]byte("XP\x00\x01\x00\x00\x00\x00")); err == nil {
		t.Fatal("a blob without the GP magic decoded")
	}
	if _, err := DecodeGeom([]byte("GP\x00\x03")); err == nil {
		t.Fatal("a truncated header decoded")
	}
}

// The R-tree triggers call the ST_ functions; the index must agree with the
// geometry after inserts, updates and deletes.
func TestRTreeFollowsWrites(t *testing.T) {
	m, err := Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	line := orb.LineString{{113, 23}, {113.5, 23.25}}
	b, _ := EncodeGeom(line)
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
	p, _ := EncodeGeom(orb.LineString{{114, 24}, {114.1, 24.1}})
	mustExec(t, m, `UPDATE patrol_routes SET geom = ? WHERE code = 'R1'`, p)
	if n := count(t, m, `SELECT count(*) FROM rtree_patrol_routes_geom WHERE minx >= 113.99`); n != 1 {
		t.Fatal("R-tree not updated with the geometry")
	}
	mustExec(t, m, `DELETE FROM patrol_routes`)
	if n := count(t, m, `SELECT count(*) FROM rtree_patrol_routes_geom`); n != 0 {
		t.Fatal("R-tree entry outlived its feature")
	}
}

func mustExec(t *testing.T, m *Mirror, q string, args ...any) {
	t.Helper()
	if _, err := m.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
