package mirror_test

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/paulmach/orb"

	"kapok/internal/fixture"
)

// Target: ≤ 150 ms, ≤ 150 MB. MB-live is the heap the loaded grids hold
// (after a GC on both sides); MB-alloc what loading them allocated.
func BenchmarkLoadGrids(b *testing.B) {
	m := fixture.Guangzhou(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		grids, err := m.LoadGrids(ctx)
		if err != nil || len(grids) < 19800 {
			b.Fatalf("%d grids, %v", len(grids), err)
		}
		b.StopTimer()
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-live")
		b.ReportMetric(float64(alloc)/1e6, "MB-alloc")
		runtime.KeepAlive(grids)
		b.StartTimer()
	}
}

// Target: ≤ 20 µs.
func BenchmarkGridByCode(b *testing.B) {
	m := fixture.Guangzhou(b)
	var codes []string
	rows, err := m.DB.Query(`SELECT code FROM grids`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			b.Fatal(err)
		}
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	l, err := m.NewGridLookup(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := l.Grid(ctx, codes[rng.IntN(len(codes))]); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: ≤ 1 ms for a district-sized box (Yuexiu's bounds, the densest).
func BenchmarkGridsInDistrictBox(b *testing.B) {
	m := fixture.Guangzhou(b)
	var bx orb.Bound
	if err := m.DB.QueryRow(`SELECT minx, miny, maxx, maxy FROM rtree_districts_geom r JOIN districts d ON d.fid = r.id WHERE d.code = '440104'`).
		Scan(&bx.Min[0], &bx.Min[1], &bx.Max[0], &bx.Max[1]); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		ids, err := m.GridsInBox(ctx, bx)
		if err != nil || len(ids) == 0 {
			b.Fatal(err)
		}
		n = len(ids)
	}
	b.ReportMetric(float64(n), "grids")
}
