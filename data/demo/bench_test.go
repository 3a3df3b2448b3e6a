package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kapok/data/demo"
	"kapok/internal/fixture"
)

// Target: ≤ 10 s wall on the 2-core machine, mirror ≤ 100 MB.
func BenchmarkDemoGuangzhou(b *testing.B) {
	dir := b.TempDir()
	src := fixture.GuangzhouSource(b)
	for i := 0; i < b.N; i++ {
		out := filepath.Join(dir, "gz.gpkg")
		if _, err := demo.Build(context.Background(), out, src, fixture.GuangzhouOptions()); err != nil {
			b.Fatal(err)
		}
		fi, err := os.Stat(out)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(fi.Size())/1e6, "MB-file")
	}
}
