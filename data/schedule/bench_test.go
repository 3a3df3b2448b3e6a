package schedule

import (
	"sync"
	"testing"
)

// The whole city (Cover's target: 100 ms, aimed at 10-20) and a district
// (Check's: 50 ms, aimed at a few), each beside the naive implementation on
// the same plan, so that one run measures the speed-up like for like.

var (
	city     = sync.OnceValue(func() *Plan { return syntheticCity(20031, 20000, 100000) })
	district = sync.OnceValue(func() *Plan { return syntheticCity(2000, 2000, 20000) })
)

func BenchmarkCoverCity(b *testing.B) {
	p := city()
	b.ReportAllocs()
	for b.Loop() {
		Cover(p)
	}
}

func BenchmarkCoverCityNaive(b *testing.B) {
	p := city()
	b.ReportAllocs()
	for b.Loop() {
		naiveCover(p)
	}
}

func BenchmarkCheckDistrict(b *testing.B) {
	p := district()
	b.ReportAllocs()
	for b.Loop() {
		Check(p)
	}
}

func BenchmarkCheckDistrictNaive(b *testing.B) {
	p := district()
	b.ReportAllocs()
	for b.Loop() {
		naiveCheck(p)
	}
}

// The synthetic plans agree with the naive implementations too, and are
// what they say they are: checked once, outside the timers.
func TestSyntheticPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("city-sized")
	}
	p := city()
	if len(p.Grids) != 20031 || len(p.Units) != 20000 || len(p.Assignments) != 100000 {
		t.Fatalf("city: %d grids, %d units, %d assignments", len(p.Grids), len(p.Units), len(p.Assignments))
	}
	c := Cover(p)
	if len(c.Shifts) != 21 {
		t.Fatalf("%d shifts", len(c.Shifts))
	}
	n := naiveCover(p)
	for i := range c.Cells {
		if c.Cells[i] != n.Cells[i] {
			t.Fatalf("cell %d: %+v, naive %+v", i, c.Cells[i], n.Cells[i])
		}
	}
	s := c.Summary()
	t.Logf("city: %+v", s)
	if s.Covered == 0 || s.Under == 0 || s.Uncovered == 0 {
		t.Errorf("a city plan with no covered, under-covered or uncovered cells: %+v", s)
	}

	d := district()
	got, want := Check(d), naiveCheck(d)
	if len(got) != len(want) {
		t.Fatalf("district: %d conflicts, naive %d", len(got), len(want))
	}
	kinds := map[ConflictKind]int{}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("district conflict %d: %+v, naive %+v", i, got[i], want[i])
		}
		kinds[got[i].Kind]++
	}
	t.Logf("district: %d conflicts %v", len(got), kinds)
}
