package autofill

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/schedule"
)

var testWeek = data.Week{Year: 2026, Num: 49}

// randomPlan is a small plan: a few units and grids in two streets, a
// shift table, rules and kept assignments drawn at random, and only the
// first `active` shifts of the week open (every unit is unavailable in
// the others), so that an exhaustive search can solve it.
func randomPlan(rng *rand.Rand, nUnits, nGrids, active int) *schedule.Plan {
	tables := [][]data.ShiftDef{
		data.DefaultShifts,
		{{Name: "a", Start: 0, End: 6}, {Name: "b", Start: 6, End: 12}, {Name: "c", Start: 12, End: 18}, {Name: "d", Start: 18, End: 24}},
		{{Name: "long", Start: 8, End: 20}, {Name: "late", Start: 20, End: 24}},
	}
	defs := tables[rng.IntN(len(tables))]
	kinds := []string{"residential", "village", "commercial", "industrial", "special"}
	req := map[string]map[string]int{}
	for _, k := range kinds {
		req[k] = map[string]int{}
		for _, d := range defs {
			req[k][d.Name] = rng.IntN(3)
		}
	}
	rules := data.PatrolRules{
		Required:      req,
		HighRiskExtra: rng.IntN(2),
		MaxShifts:     rng.IntN(4),
		MinRest:       []time.Duration{0, 4 * time.Hour, 8 * time.Hour, 12 * time.Hour, 16 * time.Hour}[rng.IntN(5)],
		AllowLending:  rng.IntN(2) == 0,
	}
	p := &schedule.Plan{Week: testWeek, Shifts: defs, Rules: rules}
	streets := []string{"440103001", "440103002"}
	centre := orb.Point{113.30, 23.12}
	jitter := func() orb.Point {
		return orb.Point{centre[0] + (rng.Float64()-0.5)*0.05, centre[1] + (rng.Float64()-0.5)*0.05}
	}
	for i := range nGrids {
		st := streets[rng.IntN(2)]
		p.Grids = append(p.Grids, schedule.Grid{Code: fmt.Sprintf("%s%03d%03d", st, 1, i+1), Street: st,
			Kind: kinds[rng.IntN(len(kinds))], HighRisk: rng.IntN(4) == 0, At: jitter()})
	}
	shifts := data.WeekShifts(testWeek, defs)
	for i := range nUnits {
		st := streets[rng.IntN(2)]
		home := fmt.Sprintf("%s%03d%03d", st, 2, i+1) // a grid of its street, maybe not in the plan
		un := map[string]bool{}
		for c, s := range shifts {
			if c >= active || rng.IntN(5) == 0 {
				un[s.String()] = true
			}
		}
		p.Units = append(p.Units, schedule.Unit{Code: fmt.Sprintf("U%02d", i+1), Street: st, Grid: home,
			At: jitter(), Unavailable: un})
	}
	switch rng.IntN(4) {
	case 0:
		p.Jurisdiction = streets[rng.IntN(2)]
	case 1:
		p.Jurisdiction = "440103"
	}
	// Kept assignments that keep the rules themselves.
	for range rng.IntN(4) {
		if len(p.Units) == 0 || len(p.Grids) == 0 {
			break
		}
		u := p.Units[rng.IntN(len(p.Units))]
		g := p.Grids[rng.IntN(len(p.Grids))]
		s := shifts[rng.IntN(active)]
		if u.Unavailable[s.String()] || u.Street != g.Street && !rules.AllowLending {
			continue
		}
		a := data.Assignment{Unit: u.Code, Grid: g.Code, Shift: s, Lent: u.Street != g.Street}
		q := *p
		q.Assignments = nil
		var mine []data.Assignment
		for _, k := range p.Assignments {
			if k.Unit == u.Code {
				mine = append(mine, k)
			}
		}
		if keptOK(&q, append(mine, a)) {
			p.Assignments = append(p.Assignments, a)
		}
	}
	return p
}

// keptOK is whether one unit's assignments keep rest, one grid a shift
// and the most shifts among themselves.
func keptOK(p *schedule.Plan, as []data.Assignment) bool {
	for i, a := range as {
		for _, b := range as[:i] {
			if a.Shift == b.Shift {
				return false
			}
			sa, ea := a.Shift.Span(p.Shifts)
			sb, eb := b.Shift.Span(p.Shifts)
			if sb.Before(sa) {
				sa, ea, sb, eb = sb, eb, sa, ea
			}
			_, _ = sa, eb
			if sb.Sub(ea) < p.Rules.MinRest {
				return false
			}
		}
	}
	return p.Rules.MaxShifts <= 0 || len(as) <= p.Rules.MaxShifts
}

func fill(t *testing.T, p *schedule.Plan) Result {
	t.Helper()
	r, err := Fill(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, p, r)
	return r
}

func lentCount(r Result) int {
	n := 0
	for _, a := range r.Assignments {
		if a.Lent {
			n++
		}
	}
	return n
}

// TestRulesMedium fills medium random plans (a few hundred units and
// grids, the whole week; half of them with patrol routes) and checks every
// rule of the result, schedule.Check's among them.
func TestRulesMedium(t *testing.T) {
	n := 12
	if testing.Short() || raceEnabled {
		n = 4
	}
	for seed := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		p := synthPlan(synthConfig{seed: uint64(seed), grids: 150 + rng.IntN(150), units: 100 + rng.IntN(250),
			streets: 1 + rng.IntN(6), unavailable: 0.1, routes: seed%4 < 2})
		p.Rules.AllowLending = seed%2 == 0
		p.Rules.MaxShifts = rng.IntN(8)
		p.Rules.MinRest = time.Duration(rng.IntN(17)) * time.Hour
		if seed%3 == 0 {
			p.Jurisdiction = p.Grids[0].Street
		}
		r := fill(t, p)
		t.Logf("seed %d: %d grids, %d units, %d routes: %d new, %d slots filled, %d uncovered entries, %.0f m", seed,
			len(p.Grids), len(p.Units), len(p.Routes), len(r.Assignments), slotsFilled(p, r), len(r.Uncovered), r.Travel)
	}
}

// TestKept: kept assignments stay out of the result, cover their grid,
// count toward the unit's most shifts and rest, and block their shift.
func TestKept(t *testing.T) {
	shifts := data.WeekShifts(testWeek, data.DefaultShifts)
	rules := data.DefaultPatrolRules()
	rules.MaxShifts = 2
	rules.AllowLending = false
	p := &schedule.Plan{Week: testWeek, Shifts: data.DefaultShifts, Rules: rules,
		Grids: []schedule.Grid{{Code: "A001", Street: "A", Kind: "residential", At: orb.Point{113.3, 23.1}}},
		Units: []schedule.Unit{
			{Code: "U1", Street: "A", Grid: "A001", At: orb.Point{113.3, 23.1}},
			{Code: "U2", Street: "A", Grid: "A001", At: orb.Point{113.31, 23.1}},
		},
		Assignments: []data.Assignment{
			{Unit: "U1", Grid: "A001", Shift: shifts[1]},
			{Unit: "U1", Grid: "A001", Shift: shifts[1]}, // made twice: once
			{Unit: "U2", Grid: "A001", Shift: shifts[5]},
		},
	}
	r := fill(t, p)
	perUnit := map[string]int{}
	for _, a := range r.Assignments {
		perUnit[a.Unit]++
		if a.Shift == shifts[1] || a.Shift == shifts[5] {
			t.Fatalf("%+v: the kept one covers that shift", a)
		}
		if a.Unit == "U1" && (a.Shift == shifts[0] || a.Shift == shifts[2]) {
			t.Fatalf("%+v: no rest from the kept %s", a, shifts[1])
		}
	}
	// Each unit has one kept shift and may have two: one new each.
	if perUnit["U1"] != 1 || perUnit["U2"] != 1 {
		t.Fatalf("new per unit %v, want 1 each (kept ones count)", perUnit)
	}
	for _, u := range r.Uncovered {
		if u.Grid == "A001" && (u.Shift == shifts[1] || u.Shift == shifts[5]) {
			t.Fatalf("%+v: covered by a kept assignment", u)
		}
	}
}

// TestWhy: hand-made plans with one reason each.
func TestWhy(t *testing.T) {
	shifts := data.WeekShifts(testWeek, data.DefaultShifts)
	at := orb.Point{113.3, 23.1}
	rules := data.DefaultPatrolRules()
	grid := func(code, street string) schedule.Grid {
		return schedule.Grid{Code: code, Street: street, Kind: "residential", At: at}
	}
	unit := func(code, street, home string) schedule.Unit {
		return schedule.Unit{Code: code, Street: street, Grid: home, At: at}
	}
	why := func(r Result, g string, s data.Shift) string {
		for _, u := range r.Uncovered {
			if u.Grid == g && u.Shift == s {
				return u.Why
			}
		}
		return ""
	}

	// No unit in the street, lending off; lending on, the other street's
	// unit stands in (lent), and the rest are for want of a free unit.
	noLend := rules
	noLend.AllowLending = false
	p := &schedule.Plan{Week: testWeek, Shifts: data.DefaultShifts, Rules: noLend,
		Grids: []schedule.Grid{grid("A001", "A"), grid("B001", "B")},
		Units: []schedule.Unit{unit("U1", "A", "A001")}}
	r := fill(t, p)
	if w := why(r, "B001", shifts[0]); w != WhyNoUnitInStreet {
		t.Fatalf("B001 without lending: %q", w)
	}
	// With lending, U1 serves its own street first: A001 is a village
	// (no day patrol), so U1, free to work every shift, is lent to B001 in
	// day shifts only, and B001 misses the others for want of a free unit.
	p.Rules = rules
	p.Rules.MaxShifts, p.Rules.MinRest = 0, 0
	p.Grids[0].Kind = "village"
	r = fill(t, p)
	if w := why(r, "B001", shifts[0]); w != WhyNoUnitFree {
		t.Fatalf("B001 with lending: %q", w)
	}
	for _, a := range r.Assignments {
		if a.Lent != (a.Shift.Name == "day") {
			t.Fatalf("%+v: lent only in day shifts, when its street needs no patrol", a)
		}
	}
	if lentCount(r) == 0 {
		t.Fatal("lending on: U1 should have stood in for street B in a day shift")
	}

	// Outside the jurisdiction: the grid, or the only units of its street.
	p = &schedule.Plan{Week: testWeek, Shifts: data.DefaultShifts, Rules: noLend, Jurisdiction: "A",
		Grids: []schedule.Grid{grid("A001", "A"), grid("B001", "B")},
		Units: []schedule.Unit{unit("U1", "A", "A001"), unit("U2", "A", "B001")}}
	r = fill(t, p)
	if w := why(r, "B001", shifts[0]); w != WhyOutsideJurisdiction {
		t.Fatalf("grid outside: %q", w)
	}
	for _, a := range r.Assignments {
		if a.Unit == "U2" || a.Grid == "B001" {
			t.Fatalf("%+v: outside the jurisdiction", a)
		}
	}
	// A street whose only unit lives outside the jurisdiction "A0".
	p = &schedule.Plan{Week: testWeek, Shifts: data.DefaultShifts, Rules: noLend, Jurisdiction: "A0",
		Grids: []schedule.Grid{grid("A001", "A")},
		Units: []schedule.Unit{unit("U1", "A", "A101")}}
	r = fill(t, p)
	if w := why(r, "A001", shifts[0]); w != WhyOutsideJurisdiction || len(r.Assignments) != 0 {
		t.Fatalf("the street's unit outside: %q, %d assigned", w, len(r.Assignments))
	}

	// No unit free: unavailable, resting, at its most.
	p = &schedule.Plan{Week: testWeek, Shifts: data.DefaultShifts, Rules: noLend,
		Grids: []schedule.Grid{grid("A001", "A")},
		Units: []schedule.Unit{unit("U1", "A", "A001")}}
	p.Units[0].Unavailable = map[string]bool{shifts[0].String(): true}
	p.Rules.MaxShifts = 1
	r = fill(t, p)
	if len(r.Assignments) != 1 || r.Assignments[0].Shift == shifts[0] {
		t.Fatalf("one unit, one shift at most, unavailable in the first: %+v", r.Assignments)
	}
	for _, u := range r.Uncovered {
		if u.Why != WhyNoUnitFree {
			t.Fatalf("%+v: want %s", u, WhyNoUnitFree)
		}
	}
}

// TestCancel: a done context stops Fill before and during the work, and
// progress rises to its total.
func TestCancel(t *testing.T) {
	p := synthPlan(synthConfig{seed: 1, grids: 400, units: 400, streets: 4})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fill(ctx, p, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := Fill(ctx, p, func(done, total int) {
		calls++
		if done == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || calls != 3 {
		t.Fatalf("cancelled during: %v after %d steps", err, calls)
	}
	last, total := 0, 0
	_, err = Fill(context.Background(), p, func(done, tot int) {
		if done != last+1 || total != 0 && tot != total {
			t.Fatalf("progress %d/%d after %d/%d", done, tot, last, total)
		}
		last, total = done, tot
	})
	if err != nil || last != total || total == 0 {
		t.Fatalf("progress ended at %d/%d: %v", last, total, err)
	}
}
