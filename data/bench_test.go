package data

import (
	"io"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"kapok/assets"
)

// The benchmarks run on the whole demo Guangzhou, built once per run.
var (
	gzOnce sync.Once
	gzPath string
	gzErr  error
)

func guangzhou(b *testing.B) *Mirror {
	b.Helper()
	gzOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kapok-bench")
		if err != nil {
			gzErr = err
			return
		}
		gzPath = filepath.Join(dir, "gz.gpkg")
		_, gzErr = BuildDemo(gzPath, guangzhouSource(b), DefaultDemoOptions())
	})
	if gzErr != nil {
		b.Fatal(gzErr)
	}
	m, err := Open(gzPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	return m
}

func guangzhouSource(b testing.TB) *CitySource {
	open := func(n string) (io.ReadCloser, error) { return assets.FS.Open(path.Join("guangzhou", n)) }
	src, err := ReadCitySource(open, "districts.geojson", "streets.csv", "villages.csv", "广州市")
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// Target: ≤ 10 s wall on the 2-core machine, mirror ≤ 100 MB.
func BenchmarkDemoGuangzhou(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(dir, "gz.gpkg")
		if _, err := BuildDemo(out, guangzhouSource(b), DefaultDemoOptions()); err != nil {
			b.Fatal(err)
		}
		fi, _ := os.Stat(out)
		b.ReportMetric(float64(fi.Size())/1e6, "MB-file")
	}
}

// Target: ≤ 150 ms, ≤ 150 MB.
func BenchmarkLoadGrids(b *testing.B) {
	m := guangzhou(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		grids, err := m.LoadGrids()
		if err != nil || len(grids) < 19800 {
			b.Fatalf("%d grids, %v", len(grids), err)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-heap")
		runtime.KeepAlive(grids)
	}
}

// Target: ≤ 20 µs.
func BenchmarkGridByCode(b *testing.B) {
	m := guangzhou(b)
	var codes []string
	rows, _ := m.DB.Query(`SELECT code FROM grids`)
	for rows.Next() {
		var c string
		rows.Scan(&c)
		codes = append(codes, c)
	}
	rows.Close()
	l, err := m.NewGridLookup()
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := l.Grid(codes[rng.IntN(len(codes))]); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: ≤ 1 ms for a district-sized box (Yuexiu's bounds, the densest).
func BenchmarkGridsInDistrictBox(b *testing.B) {
	m := guangzhou(b)
	var bx orb.Bound
	m.DB.QueryRow(`SELECT minx, miny, maxx, maxy FROM rtree_districts_geom r JOIN districts d ON d.fid = r.id WHERE d.code = '440104'`).
		Scan(&bx.Min[0], &bx.Min[1], &bx.Max[0], &bx.Max[1])
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		ids, err := m.GridsInBox(bx)
		if err != nil || len(ids) == 0 {
			b.Fatal(err)
		}
		n = len(ids)
	}
	b.ReportMetric(float64(n), "grids")
}
