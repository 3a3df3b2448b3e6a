package autofill

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/schedule"
)

// addRandomRoutes gives a small random plan n routes, each of a random
// street and time, crossing a random half of the plan's grids (now and
// then one the plan lacks too), and a few kept walks that keep the rules.
func addRandomRoutes(rng *rand.Rand, p *schedule.Plan, n, active int) {
	streets := []string{"440103001", "440103002"}
	times := []string{data.RouteByDay, data.RouteByNight, data.RouteAllDay}
	for i := range n {
		st := streets[rng.IntN(len(streets))]
		var gs []string
		for _, g := range p.Grids {
			if rng.IntN(2) == 0 {
				gs = append(gs, g.Code)
			}
		}
		if rng.IntN(4) == 0 {
			gs = append(gs, st+"999999")
		}
		slices.Sort(gs)
		p.Routes = append(p.Routes, schedule.Route{Code: fmt.Sprintf("R%d", i+1), Street: st, Times: times[rng.IntN(3)],
			Grids: gs, At: orb.Point{113.30 + (rng.Float64()-0.5)*0.05, 23.12 + (rng.Float64()-0.5)*0.05}})
	}
	shifts := data.WeekShifts(p.Week, p.Shifts)
	for range rng.IntN(3) {
		if len(p.Units) == 0 {
			break
		}
		u := p.Units[rng.IntN(len(p.Units))]
		rt := p.Routes[rng.IntN(len(p.Routes))]
		s := shifts[rng.IntN(active)]
		if u.Unavailable[s.String()] || u.Street != rt.Street && !p.Rules.AllowLending ||
			!data.RouteWalkable(rt.Times, shiftDef(p, s)) {
			continue
		}
		a := data.Assignment{Unit: u.Code, Route: rt.Code, Shift: s, Lent: u.Street != rt.Street}
		var mine []data.Assignment
		for _, k := range p.Assignments {
			if k.Unit == u.Code {
				mine = append(mine, k)
			}
		}
		if keptOK(p, append(mine, a)) {
			p.Assignments = append(p.Assignments, a)
		}
	}
}

func shiftDef(p *schedule.Plan, s data.Shift) data.ShiftDef {
	for _, d := range p.Shifts {
		if d.Name == s.Name {
			return d
		}
	}
	return data.ShiftDef{}
}

// TestExactRoutes compares Fill with the exhaustive search on small random
// plans with one to three routes (and kept walks): the plans of TestExact,
// their units free to walk a route instead of patrolling a grid.
//
// The per-shift choice of walks is a maximum coverage problem, which the
// construction's greedy solves to within 1 − 1/e only; the improvement
// rounds then re-choose units' weeks exactly (one unit, and up to three
// together in plans this small). Measured on 3,000 seeds: coverage optimal
// on 2,998 (the two others one slot short: 7 of 8, 21 of 22), lending
// then optimal on all but one, travel at worst 1.074 times the least
// (mean 1.0000); on the 500 run here all optimal. Asserted: never more
// than the optimum (compareExact), never below 1 − 1/e of it nor more
// than one slot short, optimal coverage on at least 98% of the plans and
// lending on 98% of those, travel within 1.2 of the least.
func TestExactRoutes(t *testing.T) {
	n := 500
	if testing.Short() || raceEnabled {
		n = 100
	}
	st := compareExact(t, n, func(seed int) (*schedule.Plan, int) { return smallPlan(seed, true) })
	if st.worstCover < 1-1/2.718281828 || st.maxShort > 1 {
		t.Fatalf("coverage %.3f of the most (seed %d), %d slots short", st.worstCover, st.worstCoverS, st.maxShort)
	}
	if st.coverOpt < n*98/100 {
		t.Fatalf("optimal coverage on %d of %d plans, want 98%%", st.coverOpt, n)
	}
	if st.lentOpt < st.coverOpt*98/100 {
		t.Fatalf("optimal lending on %d of the %d with optimal coverage, want 98%%", st.lentOpt, st.coverOpt)
	}
	if st.worstTravel > 1.2 {
		t.Fatalf("travel ratio %.3f over 1.2 (seed %d)", st.worstTravel, st.worstTravelS)
	}
}

// routeStreet is street A: five residential grids in a row (one patrol a
// shift each), a day route and a night route each crossing all five, and
// the units given.
func routeStreet(units ...schedule.Unit) *schedule.Plan {
	rules := data.DefaultPatrolRules()
	p := &schedule.Plan{Week: testWeek, Shifts: data.DefaultShifts, Rules: rules, Units: units}
	var codes []string
	for i := range 5 {
		code := fmt.Sprintf("A%03d", i+1)
		codes = append(codes, code)
		p.Grids = append(p.Grids, schedule.Grid{Code: code, Street: "A", Kind: "residential",
			At: orb.Point{113.30 + 0.002*float64(i), 23.10}})
	}
	p.Routes = []schedule.Route{
		{Code: "RD", Street: "A", Times: data.RouteByDay, Grids: codes, At: orb.Point{113.30, 23.10}},
		{Code: "RN", Street: "A", Times: data.RouteByNight, Grids: codes, At: orb.Point{113.308, 23.10}},
	}
	return p
}

// TestWalks: one unit, a street whose five grids two routes cross: each
// of its six shifts is a walk (five slots) rather than a grid (one), by
// day on the day route and by night on the night one.
func TestWalks(t *testing.T) {
	p := routeStreet(schedule.Unit{Code: "U1", Street: "A", Grid: "A001", At: orb.Point{113.30, 23.10}})
	r := fill(t, p)
	if len(r.Assignments) != 6 {
		t.Fatalf("%d assignments, want the unit's 6 shifts: %+v", len(r.Assignments), r.Assignments)
	}
	for _, a := range r.Assignments {
		want := "RN"
		if a.Shift.Name == "day" {
			want = "RD"
		}
		if a.Route != want || a.Grid != "" {
			t.Fatalf("%+v: want a walk of %s", a, want)
		}
	}
	if got := slotsFilled(p, r); got != 30 {
		t.Fatalf("%d slots filled, want 6 walks × 5 grids", got)
	}
}

// TestKeptWalks: a kept walk patrols every grid its route crosses in its
// shift (a unit there on the grid too counts once), takes the unit's shift
// (its most shifts, its rest) and is never proposed again; a kept walk
// of a route the plan lacks patrols nothing but still takes the shift.
func TestKeptWalks(t *testing.T) {
	shifts := data.WeekShifts(testWeek, data.DefaultShifts)
	u1 := schedule.Unit{Code: "U1", Street: "A", Grid: "A001", At: orb.Point{113.30, 23.10}}
	u2 := schedule.Unit{Code: "U2", Street: "A", Grid: "A002", At: orb.Point{113.302, 23.10}}
	p := routeStreet(u1, u2)
	p.Rules.MaxShifts = 2
	p.Assignments = []data.Assignment{
		{Unit: "U1", Route: "RD", Shift: shifts[1]},
		{Unit: "U1", Grid: "A001", Shift: shifts[1]}, // double booked: A001 once
		{Unit: "U2", Route: "R9", Shift: shifts[4]},
	}
	r := fill(t, p)
	perUnit := map[string]int{}
	for _, a := range r.Assignments {
		perUnit[a.Unit]++
		if a.Shift == shifts[1] && a.Route == "RD" {
			t.Fatalf("%+v: the kept walk covers that shift's grids", a)
		}
		if a.Unit == "U1" && (a.Shift == shifts[0] || a.Shift == shifts[1] || a.Shift == shifts[2]) {
			t.Fatalf("%+v: no rest from the kept walk in %s", a, shifts[1])
		}
		if a.Unit == "U2" && a.Shift == shifts[4] {
			t.Fatalf("%+v: U2 walks an unknown route then", a)
		}
	}
	if perUnit["U1"] != 1 || perUnit["U2"] != 1 {
		t.Fatalf("new per unit %v, want 1 each: the kept ones count toward 2", perUnit)
	}
	for _, u := range r.Uncovered {
		if u.Shift == shifts[1] {
			t.Fatalf("%+v: the kept walk covers it", u)
		}
	}
}
