package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The monitoring benchmarks (issue 11), on a copy of the demo Guangzhou
// as of fixture.AsOf (Wednesday 09:00 in Beijing): 211 indicators in 11
// districts and the city, 7 days of hourly archive. Each evaluates once
// before the timer starts, so the statuses exist and the timed evaluation
// judges every series against them, as the console's minute tick does.

// evaluated opens a copy of the demo Guangzhou and evaluates it once.
func evaluated(b *testing.B) *mirror.Mirror {
	b.Helper()
	m := fixture.WritableGuangzhou(b)
	if _, err := m.EvaluateIndicators(ctx, fixture.AsOf); err != nil {
		b.Fatal(err)
	}
	return m
}

// Target: ≤ 50 ms for an evaluation of every series with the hour's
// archive cache held (the districts' latest archived values and their
// baselines, kept per mirror handle until the hour or the archive
// changes): the values fed read, the city rolled up, every series judged
// and nothing to write. "demo" is the demo as built (no values fed);
// "fed-100k" after the 100,000 values of BenchmarkFeed100k, which the
// evaluation reads the latest of each series from.
func BenchmarkEvaluateIndicatorsWarm(b *testing.B) {
	m := evaluated(b)
	for _, c := range []struct {
		name string
		fed  int
	}{{"demo", 0}, {"fed-100k", 100_000}} {
		if c.fed > 0 {
			if _, err := m.Feed(ctx, "bench.csv", feedValues(b, m, c.fed, fixture.AsOf), "operator", fixture.AsOf); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			var res data.EvaluationResult
			for i := 0; i < b.N; i++ {
				var err error
				if res, err = m.EvaluateIndicators(ctx, fixture.AsOf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Series), "series")
			if res.Changed != 0 {
				b.Fatalf("evaluated again at the same instant: %+v", res)
			}
		})
	}
}

// The same evaluation with the cache empty: each iteration opens a new
// Mirror handle (untimed) and evaluates at the same instant, so the
// districts' latest values and the week's baselines are read from the
// hourly archive again. (Moving the hour would empty it too, but would
// also judge new values and write statuses and alerts: not the same
// work.)
func BenchmarkEvaluateIndicatorsCold(b *testing.B) {
	path := evaluated(b).Path
	b.ResetTimer()
	var res data.EvaluationResult
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m, err := mirror.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if res, err = m.EvaluateIndicators(ctx, fixture.AsOf); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(res.Series), "series")
}

// feedValues are n values of the transport indicators in the 11 districts
// and the city, one a minute per series back from 30 s before now (never
// on the hour, where the districts' archive has its values).
func feedValues(b *testing.B, m *mirror.Mirror, n int, now time.Time) []data.Reading {
	b.Helper()
	defs, err := m.IndicatorDefs(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for _, d := range defs {
		if d.Category == "transport" {
			codes = append(codes, d.Code)
		}
	}
	regions := []string{"4401", "440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115", "440117", "440118"}
	out := make([]data.Reading, 0, n)
	for k := 0; len(out) < n; k++ {
		at := now.Add(-30*time.Second - time.Duration(k)*time.Minute)
		for _, c := range codes {
			for j, r := range regions {
				if len(out) < n {
					out = append(out, data.Reading{Indicator: c, Region: r, At: at, Value: float64(10 + (k+j)%7)})
				}
			}
		}
	}
	return out
}

// Target: ≤ 2 s for 100,000 values in one Feed (one transaction: every
// value checked and written, the journal entry, every series evaluated).
// Each iteration feeds a fresh copy of the demo, evaluated once and with
// its archive cache warm (untimed).
func BenchmarkFeed100k(b *testing.B) {
	const n = 100_000
	var series int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m := evaluated(b)
		rs := feedValues(b, m, n, fixture.AsOf)
		b.StartTimer()
		res, err := m.Feed(ctx, "bench.csv", rs, "operator", fixture.AsOf)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Values != n {
			b.Fatalf("%d values fed", res.Values)
		}
		series = res.Evaluation.Series
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(series), "series")
}
