package mirror_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"kapok/internal/fixture"
)

// BenchmarkTimelineLoadGuangzhou: the last 7 days of the demo city read
// for replay (every case open in them with all its steps, the holds, the
// orders, the journal checked), state cold: a mirror just opened.
func BenchmarkTimelineLoadGuangzhou(b *testing.B) {
	m := fixture.Guangzhou(b)
	for b.Loop() {
		if _, err := m.Timeline(ctx, fixture.AsOf.Add(-7*24*time.Hour), fixture.AsOf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTimelineAtGuangzhou: the whole city as of a random moment of the
// last 7 days (open cases with their clocks, counts per grid, units,
// orders), the timeline loaded (warm).
func BenchmarkTimelineAtGuangzhou(b *testing.B) {
	m := fixture.Guangzhou(b)
	from := fixture.AsOf.Add(-7 * 24 * time.Hour)
	tl, err := m.Timeline(ctx, from, fixture.AsOf)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	open := 0
	for b.Loop() {
		s := tl.At(from.Add(time.Duration(rng.Int64N(int64(7 * 24 * time.Hour)))))
		open += len(s.Open)
	}
	b.ReportMetric(float64(open)/float64(b.N), "open-cases")
	b.ReportMetric(float64(len(tl.Cases)), "cases-loaded")
}
