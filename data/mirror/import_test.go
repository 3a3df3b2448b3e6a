package mirror_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// snapshot is what must not change when an import is refused.
func snapshot(t *testing.T, m *mirror.Mirror) string {
	t.Helper()
	var s string
	err := m.DB.QueryRow(`SELECT (SELECT count(*) FROM grids) || '/' || (SELECT count(*) FROM journal) || '/' ||
		(SELECT group_concat(hex(geom) || population, ',') FROM grids) || '/' || (SELECT count(*) FROM rtree_grids_geom)`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const goodGrid = `{"type":"Feature","properties":{"code":"990101001001901","community_code":"990101001001","kind":"residential","population":10,"households":4},
 "geometry":{"type":"Polygon","coordinates":[[[%s]]]}}`

func gridInside(m *mirror.Mirror, t *testing.T) string {
	// A small square around a point inside community 990101001001.
	var x, y float64
	if err := m.DB.QueryRow(`SELECT (minx + maxx) / 2, (miny + maxy) / 2 FROM rtree_grids_geom r JOIN grids g ON g.fid = r.id
		WHERE g.code = '990101001001001'`).Scan(&x, &y); err != nil {
		t.Fatal(err)
	}
	return strings.Join([]string{ptxt(x, y), ptxt(x+1e-5, y), ptxt(x+1e-5, y+1e-5), ptxt(x, y+1e-5), ptxt(x, y)}, "],[")
}

func ptxt(x, y float64) string {
	return strings.TrimSpace(strings.Join([]string{ftoa(x), ftoa(y)}, ","))
}

func ftoa(f float64) string { return strings.TrimRight(strings.TrimRight(fmtFloat(f), "0"), ".") }

func TestImportRefusesBadInputAndWritesNothing(t *testing.T) {
	m := fixture.City(t)
	ring := gridInside(m, t)
	feature := func(geometry string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"990101001001901","community_code":"990101001001","kind":"residential"},"geometry":` + geometry + `}]}`
	}
	good := `{"type":"FeatureCollection","features":[` + strings.Replace(goodGrid, "%s", ring, 1) + `]}`
	cases := []struct {
		name, file, body, want string
	}{
		{"not JSON", "a.geojson", "grid,code\n1,2", "not valid JSON"},
		{"truncated", "a.geojson", good[:len(good)/2], "truncated JSON"},
		{"wrong geometry type", "a.geojson", feature(`{"type":"Point","coordinates":[113.01,23.01]}`), "wrong geometry type Point"},
		{"null geometry", "a.geojson", feature(`null`), "null geometry"},
		{"ring not closed", "a.geojson", feature(`{"type":"Polygon","coordinates":[[[113.01,23.01],[113.02,23.01],[113.02,23.02],[113.01,23.02]]]}`), "not closed"},
		{"ring under 4 points", "a.geojson", feature(`{"type":"Polygon","coordinates":[[[113.01,23.01],[113.02,23.01],[113.01,23.01]]]}`), "needs at least 4"},
		{"non-numeric coordinate", "a.geojson", feature(`{"type":"Polygon","coordinates":[[["x",23.01],[113.02,23.01],[113.02,23.02],["x",23.01]]]}`), "geometry"},
		{"non-finite coordinate", "a.geojson", feature(`{"type":"Polygon","coordinates":[[[1e999,23.01],[113.02,23.01],[113.02,23.02],[1e999,23.01]]]}`), "geometry"},
		{"out of range", "a.geojson", feature(`{"type":"Polygon","coordinates":[[[213.01,23.01],[213.02,23.01],[213.02,23.02],[213.01,23.01]]]}`), "out of range"},
		{"self-intersecting", "a.geojson", feature(`{"type":"Polygon","coordinates":[[[113.01,23.01],[113.02,23.02],[113.02,23.01],[113.01,23.02],[113.01,23.01]]]}`), "Self-intersection"},
		{"duplicate codes", "a.geojson", `{"type":"FeatureCollection","features":[` + strings.Replace(goodGrid, "%s", ring, 1) + "," + strings.Replace(goodGrid, "%s", ring, 1) + `]}`, "duplicate code 990101001001901"},
		{"unknown parent", "a.geojson", strings.Replace(good, `"community_code":"990101001001"`, `"community_code":"990101001999"`, 1), "unknown parent"},
		{"grid outside its community", "a.geojson", feature(`{"type":"Polygon","coordinates":[[[113.15,23.05],[113.16,23.05],[113.16,23.06],[113.15,23.05]]]}`), "outside its community 990101001001"},
		{"invalid UTF-8", "a.geojson", strings.Replace(good, `"kind":"residential"`, "\"kind\":\"res\xffidential\"", 1), "invalid UTF-8"},
		{"CSV ragged row", "a.csv", "code,community_code,kind,wkt\n990101001001901,990101001001\n", "malformed CSV"},
		{"CSV bad WKT", "a.csv", "code,community_code,kind,wkt\n990101001001901,990101001001,residential,POLYGON((1 2\n", "wkt"},
		{"CSV invalid UTF-8", "a.csv", "code,community_code,kind,wkt\n990101001001901,990101001001,res\xffidential,POINT(1 2)\n", "invalid UTF-8"},
		{"enum violated", "a.geojson", strings.Replace(good, `"kind":"residential"`, `"kind":"palace"`, 1), "value not allowed"},
	}
	before := snapshot(t, m)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.ImportFile(ctx, "grids", c.file, strings.NewReader(c.body), data.SystemLogin)
			if err == nil {
				t.Fatal("accepted")
			}
			var ie *data.InputError
			if !errors.As(err, &ie) || ie.File != c.file || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.file+": ") {
				t.Fatalf("error %q: want the file name and %q", err, c.want)
			}
			if after := snapshot(t, m); after != before {
				t.Fatal("a refused import changed the mirror")
			}
		})
	}
	// Feature-level errors name the feature's index and code.
	_, err := m.ImportFile(ctx, "grids", "a.geojson", strings.NewReader(feature(`null`)), data.SystemLogin)
	if err == nil || !strings.Contains(err.Error(), "feature 0 (code 990101001001901)") {
		t.Fatalf("error %v does not name the feature", err)
	}
	// And the good file lands, with one journal entry.
	res, err := m.ImportFile(ctx, "grids", "good.geojson", strings.NewReader(good), data.SystemLogin)
	if err != nil || res.Added != 1 {
		t.Fatalf("good import: %+v, %v", res, err)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'import' AND subject = 'grids'
		AND entry ->> '$.payload.file' = 'good.geojson' AND entry ->> '$.payload.added' = 1`); n != 1 {
		t.Fatalf("%d journal entries for the import", n)
	}
	if n := count(t, m, `SELECT count(*) FROM rtree_grids_geom r JOIN grids g ON g.fid = r.id WHERE g.code = '990101001001901'`); n != 1 {
		t.Fatal("imported grid is not in the R-tree")
	}
}

func TestImportNeverDeletes(t *testing.T) {
	m := fixture.City(t)
	before := count(t, m, `SELECT count(*) FROM grids`)
	out := filepath.Join(t.TempDir(), "one.csv")
	if _, err := m.Export(ctx, "grids", "csv", out); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(body), "\n", 3)
	one := lines[0] + "\n" + strings.Replace(lines[1], ",residential,", ",commercial,", 1) + "\n"
	res, err := m.ImportFile(ctx, "grids", "one.csv", strings.NewReader(one), data.SystemLogin)
	if err != nil || res.Updated != 1 || res.Added != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if after := count(t, m, `SELECT count(*) FROM grids`); after != before {
		t.Fatalf("%d grids after importing one, had %d", after, before)
	}
}

// Every layer exported as GeoJSON or CSV imports into an empty mirror and
// gives back the same rows.
func TestExportImportRoundTrip(t *testing.T) {
	src := fixture.City(t)
	for _, format := range []string{"geojson", "csv"} {
		t.Run(format, func(t *testing.T) {
			dst, err := mirror.Open(filepath.Join(t.TempDir(), "copy #1?.gpkg")) // any file name works
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = dst.Close() }()
			// Catalogue rows the layers refer to.
			mustExec(t, dst, `ATTACH ? AS src`, src.Path)
			mustExec(t, dst, `INSERT INTO matter_types SELECT * FROM src.matter_types`)
			mustExec(t, dst, `DETACH src`)
			for _, layer := range mirror.FeatureLayers {
				file := filepath.Join(t.TempDir(), layer+"."+format)
				n, err := src.Export(ctx, layer, format, file)
				if err != nil {
					t.Fatal(err)
				}
				if st, err := os.Stat(file); err != nil || st.Mode().Perm() != mirror.FileMode {
					t.Fatalf("%s: the export's mode %v (%v), want %v: layers hold personal data", layer, st.Mode().Perm(), err, mirror.FileMode)
				}
				f, err := os.Open(file)
				if err != nil {
					t.Fatal(err)
				}
				res, err := dst.ImportFile(ctx, layer, file, f, data.SystemLogin)
				_ = f.Close()
				if err != nil {
					t.Fatalf("%s: %v", layer, err)
				}
				if res.Added != n {
					t.Fatalf("%s: exported %d, imported %d", layer, n, res.Added)
				}
				q := `SELECT group_concat(hex(geom) || '|' || ` + columnList(t, src, layer) + `, ',') FROM (SELECT * FROM ` + layer + ` ORDER BY code)`
				var a, b string
				if err := src.DB.QueryRow(q).Scan(&a); err != nil {
					t.Fatal(err)
				}
				if err := dst.DB.QueryRow(q).Scan(&b); err != nil {
					t.Fatal(err)
				}
				if a == "" || a != b {
					t.Fatalf("%s differs after the round trip:\n%.300s\n%.300s", layer, a, b)
				}
			}
		})
	}
}

func columnList(t *testing.T, m *mirror.Mirror, layer string) string {
	l, err := m.LayerInfo(ctx, layer)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, c := range l.Columns {
		cols = append(cols, "coalesce("+c.Name+", '')")
	}
	return strings.Join(cols, " || '|' || ")
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', 10, 64) }
