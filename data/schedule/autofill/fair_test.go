package autofill

import (
	"testing"

	"kapok/data/schedule"
)

// TestSpreadOverWeek: units short (500 for 600 grids, 6 shifts each under
// the default rules), with and without routes, every day of the week ends
// within maxSpread of every other in the share of its required patrols
// planned. Measured 21.5–21.6% without routes and 61.3–61.5% with; before
// the fourth level the first day had 45% and the last 5% (the district
// benchmark's figures: see docs/benchmarks.md).
func TestSpreadOverWeek(t *testing.T) {
	const maxSpread = 0.03
	for _, routes := range []bool{false, true} {
		p := synthPlan(synthConfig{seed: 12, grids: 600, units: 500, streets: 4, km: 6, unavailable: 0.1, routes: routes})
		r := fill(t, p)
		lo, hi := dayCoverage(schedule.Cover(withNew(p, r)))
		t.Logf("routes %v: days %.1f%%–%.1f%%", routes, 100*lo, 100*hi)
		if hi-lo > maxSpread {
			t.Errorf("routes %v: days covered from %.1f%% to %.1f%%, more than %.0f points apart", routes, 100*lo, 100*hi, 100*maxSpread)
		}
	}
}
