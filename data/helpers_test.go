package data

import (
	"github.com/paulmach/orb"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// testCity reads the small fixture city in testdata/city: two districts
// (one a multipolygon with an island), plus inputs that must be skipped.
func testCity(t testing.TB) *CitySource {
	t.Helper()
	open := func(name string) (io.ReadCloser, error) { return os.Open(filepath.Join("testdata", "city", name)) }
	src, err := ReadCitySource(open, "districts.geojson", "streets.csv", "villages.csv", "测试市")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func testOptions() DemoOptions {
	opt := DefaultDemoOptions()
	opt.Grids, opt.Units, opt.Days, opt.DemoPoint = 40, 50, 3, "990102001201"
	return opt
}

// buildTestCity writes the fixture city to a mirror in a temporary folder.
func buildTestCity(t testing.TB) (*Mirror, *DemoReport) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "city.gpkg")
	rep, err := BuildDemo(path, testCity(t), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, rep
}

func count(t testing.TB, m *Mirror, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := m.DB.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func orbPoint(x, y float64) orb.Point { return orb.Point{x, y} }
