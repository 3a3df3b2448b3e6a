package mirror_test

import (
	"fmt"
	"testing"

	"kapok/data/schedule"
	"kapok/internal/fixture"
)

// Target: ≤ 50 ms for a check of a district roster, as `kapok roster check`
// and the console do it: the roster's plan read from the store (the
// district's grids, units and what they cannot patrol, the assignments)
// and checked. On the demo Guangzhou, Tianhe (440106), a week auto-filled
// beforehand (untimed); warm. "check-only" is the anchor: schedule.Check
// alone on the plan read once.
func BenchmarkCheckDistrictRoster(b *testing.B) {
	m := fixture.WritableGuangzhou(b)
	r, err := m.PlanRoster(ctx, "440106", "2026-W49", "leader", demoNow)
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := m.AutoFill(ctx, r.ID, "leader", r.Version, demoNow, nil); err != nil {
		b.Fatal(err)
	}
	b.Run("plan-and-check", func(b *testing.B) {
		var n, a int
		for i := 0; i < b.N; i++ {
			cs, p, err := m.CheckRoster(ctx, r.ID, "leader", demoNow)
			if err != nil {
				b.Fatal(err)
			}
			n, a = len(cs), len(p.Assignments)
		}
		b.ReportMetric(float64(a), "assignments")
		b.ReportMetric(float64(n), "conflicts")
	})
	b.Run("check-only", func(b *testing.B) {
		p, err := m.RosterPlan(ctx, r.ID, "leader", demoNow)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			schedule.Check(p)
		}
		b.ReportMetric(float64(len(p.Grids)), "grids")
		b.ReportMetric(float64(len(p.Units)), "units")
	})
}

// The whole city's coverage matrix (20,031 grids × 21 shifts) as the
// coverage theme reads it (CoverageAt: every grid and unit of the city with
// what they cannot patrol, the week's published rosters, Cover). Target:
// ≤ 100 ms. Warm.
func BenchmarkCoverageCity(b *testing.B) {
	m := fixture.Guangzhou(b)
	if _, _, err := m.CoverageAt(ctx, "4401", "leader", demoNow, demoNow); err != nil { // warm
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := m.CoverageAt(ctx, "4401", "leader", demoNow, demoNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublishStreetWeek: a street's week auto-filled (Dayuan street,
// about 1,100 assignments) published, its patrol orders issued, on the
// demo Guangzhou (state warm: the mirror open; each iteration a week of
// its own, planned and filled outside the timer).
func BenchmarkPublishStreetWeek(b *testing.B) {
	m := fixture.WritableGuangzhou(b)
	week := 49
	var orders int
	for b.Loop() {
		b.StopTimer()
		r, err := m.PlanRoster(ctx, "440111021", fmt.Sprintf("2026-W%02d", week), "leader", demoNow)
		if err != nil {
			b.Fatal(err)
		}
		week++
		if _, _, err := m.AutoFill(ctx, r.ID, "leader", r.Version, demoNow, nil); err != nil {
			b.Fatal(err)
		}
		before := count(b, m, `SELECT count(*) FROM orders`)
		b.StartTimer()
		if _, _, err := m.PublishRoster(ctx, r.ID, "leader", 0, demoNow); err != nil {
			b.Fatal(err)
		}
		orders = int(count(b, m, `SELECT count(*) FROM orders`) - before)
	}
	b.ReportMetric(float64(orders), "orders")
}
