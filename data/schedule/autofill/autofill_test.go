package autofill

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"kapok/data"
	"kapok/data/schedule"
)

var testWeek = data.Week{Year: 2026, Num: 49}

// checkResult is an independent check of a fill against every rule,
// written from the rules rather than from the solver: the new assignments
// name known units and grids and shifts of the week; no unit is twice in
// a shift, short of rest, over its most shifts, unavailable, outside the
// jurisdiction or lent without leave; no grid gets more than it misses;
// a lent unit stands in only where no unit of the grid's street was idle
// and able; Travel is the sum of the distances; Uncovered lists exactly
// what is still missing.
func checkResult(t *testing.T, p *schedule.Plan, r Result) {
	t.Helper()
	shifts := data.WeekShifts(p.Week, p.Shifts)
	col := map[string]int{}
	for i, s := range shifts {
		col[s.String()] = i
	}
	units := map[string]*schedule.Unit{}
	for i := range p.Units {
		if _, ok := units[p.Units[i].Code]; !ok {
			units[p.Units[i].Code] = &p.Units[i]
		}
	}
	grids := map[string]*schedule.Grid{}
	for i := range p.Grids {
		if _, ok := grids[p.Grids[i].Code]; !ok {
			grids[p.Grids[i].Code] = &p.Grids[i]
		}
	}
	// Every unit's shifts (kept in the week, and new) by column → grids.
	type key struct {
		unit string
		c    int
	}
	busy := map[key][]string{}
	kept := map[[3]string]bool{}
	planned := map[[2]string]int{}
	for _, a := range p.Assignments {
		c, ok := col[a.Shift.String()]
		if !ok || kept[[3]string{a.Unit, a.Grid, a.Shift.String()}] {
			continue
		}
		kept[[3]string{a.Unit, a.Grid, a.Shift.String()}] = true
		busy[key{a.Unit, c}] = append(busy[key{a.Unit, c}], a.Grid)
		planned[[2]string{a.Grid, a.Shift.String()}]++
	}
	keptAt := map[[2]string]int{}
	for k, n := range planned {
		keptAt[k] = n
	}
	var travel float64
	for _, a := range r.Assignments {
		u, g := units[a.Unit], grids[a.Grid]
		c, ok := col[a.Shift.String()]
		if u == nil || g == nil || !ok {
			t.Fatalf("%+v: unknown unit, grid or shift", a)
		}
		if kept[[3]string{a.Unit, a.Grid, a.Shift.String()}] {
			t.Fatalf("%+v: made again though kept", a)
		}
		if u.Unavailable[a.Shift.String()] {
			t.Fatalf("%+v: unit unavailable", a)
		}
		if !strings.HasPrefix(a.Grid, p.Jurisdiction) || !strings.HasPrefix(u.Grid, p.Jurisdiction) {
			t.Fatalf("%+v: outside the jurisdiction %q", a, p.Jurisdiction)
		}
		if lent := u.Street != g.Street; lent != a.Lent || lent && !p.Rules.AllowLending {
			t.Fatalf("%+v: lent %v (lending %v)", a, lent, p.Rules.AllowLending)
		}
		busy[key{a.Unit, c}] = append(busy[key{a.Unit, c}], a.Grid)
		planned[[2]string{a.Grid, a.Shift.String()}]++
		travel += geo.Distance(u.At, g.At)
	}
	if math.Abs(travel-r.Travel) > 1e-6*math.Max(1, travel) {
		t.Fatalf("travel %.3f, the assignments' distances add to %.3f", r.Travel, travel)
	}
	// Per unit with a new assignment: one grid a shift, rest, most shifts.
	newUnits := map[string]bool{}
	newAt := map[key]bool{}
	for _, a := range r.Assignments {
		newUnits[a.Unit] = true
		newAt[key{a.Unit, col[a.Shift.String()]}] = true
	}
	shiftsOf := func(unit string) []int {
		var cs []int
		for c := range shifts {
			if len(busy[key{unit, c}]) > 0 {
				cs = append(cs, c)
			}
		}
		return cs
	}
	restOK := func(a, b int) bool {
		sa, ea := shifts[a].Span(p.Shifts)
		sb, eb := shifts[b].Span(p.Shifts)
		if sb.Before(sa) {
			sa, ea, sb, eb = sb, eb, sa, ea
		}
		_ = ea
		_ = eb
		return sb.Sub(ea) >= p.Rules.MinRest
	}
	for unit := range newUnits {
		cs := shiftsOf(unit)
		for _, c := range cs {
			if len(busy[key{unit, c}]) > 1 && newAt[key{unit, c}] {
				t.Fatalf("%s twice in %s: %v", unit, shifts[c], busy[key{unit, c}])
			}
		}
		for i, a := range cs {
			for _, b := range cs[:i] {
				if (newAt[key{unit, a}] || newAt[key{unit, b}]) && !restOK(a, b) {
					t.Fatalf("%s: too little rest between %s and %s", unit, shifts[b], shifts[a])
				}
			}
		}
		if m := p.Rules.MaxShifts; m > 0 && len(cs) > m {
			t.Fatalf("%s: %d shifts, at most %d", unit, len(cs), m)
		}
	}
	// Per grid and shift: never more than required; Uncovered exact.
	missing := map[[2]string]int{}
	for _, g := range grids {
		for _, s := range shifts {
			req := p.Rules.RequiredPatrols(g.Kind, s.Name, g.HighRisk)
			pl := planned[[2]string{g.Code, s.String()}]
			keptHere := keptAt[[2]string{g.Code, s.String()}]
			if pl > max(req, keptHere) {
				t.Fatalf("%s %s: %d planned, %d required", g.Code, s, pl, req)
			}
			if req > pl {
				missing[[2]string{g.Code, s.String()}] = req - pl
			}
		}
	}
	for _, u := range r.Uncovered {
		k := [2]string{u.Grid, u.Shift.String()}
		if missing[k] != u.Missing {
			t.Fatalf("uncovered %+v: missing %d", u, missing[k])
		}
		switch u.Why {
		case WhyNoUnitFree, WhyNoUnitInStreet, WhyOutsideJurisdiction:
		default:
			t.Fatalf("uncovered %+v: unknown reason", u)
		}
		delete(missing, k)
	}
	if len(missing) > 0 {
		t.Fatalf("missing but not listed: %v", missing)
	}
	// Lending only where no own-street unit was idle and able.
	if p.Rules.AllowLending {
		for _, a := range r.Assignments {
			if !a.Lent {
				continue
			}
			g := grids[a.Grid]
			c := col[a.Shift.String()]
			for code, v := range units {
				if v != units[code] || v.Street != g.Street || !strings.HasPrefix(v.Grid, p.Jurisdiction) ||
					v.Unavailable[a.Shift.String()] || len(busy[key{code, c}]) > 0 {
					continue
				}
				cs := shiftsOf(code)
				if m := p.Rules.MaxShifts; m > 0 && len(cs) >= m {
					continue
				}
				ok := true
				for _, o := range cs {
					ok = ok && restOK(o, c)
				}
				if ok {
					t.Fatalf("%+v lent, but %s of the grid's street was idle and able", a, code)
				}
			}
		}
	}
}

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

// TestExact compares Fill with an exhaustive search on small random plans
// (up to 6 units, 5 grids, 3-6 open shifts; random shift tables, rules,
// streets, jurisdiction, availability and kept assignments): it must cover
// exactly as many slots and lend exactly as few units as the optimum, and
// travel no less than the sum of each covered slot's nearest eligible unit
// and at most maxRatio times the optimum's least travel. Measured: on
// 3,000 seeds coverage and lending were always the optimum's and travel
// at worst 1.066 times the least (mean 1.0000); on the 500 run here at
// worst 1.009. The problem is NP-hard and Fill a heuristic with no
// approximation guarantee, so the bound asserted, 1.2, is the margin over
// what was seen, not a theorem.
func TestExact(t *testing.T) {
	const maxRatio = 1.2
	n := 500
	if testing.Short() || raceEnabled {
		n = 100
	}
	worst, worstSeed := 1.0, -1
	var sumRatio float64
	ratios := 0
	for seed := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), 49))
		active := 3 + rng.IntN(4)
		p := randomPlan(rng, 1+rng.IntN(6), 1+rng.IntN(5), active)
		r := fill(t, p)
		ex := exact(p, active)
		covered := len(r.Assignments)
		if covered != ex.cover {
			t.Errorf("seed %d: covered %d, the most is %d", seed, covered, ex.cover)
			continue
		}
		if l := lentCount(r); l != ex.lent {
			t.Errorf("seed %d: %d lent, the fewest is %d", seed, l, ex.lent)
			continue
		}
		if lb := lowerBound(p, r); r.Travel < lb-1e-6 {
			t.Fatalf("seed %d: travel %.1f under the lower bound %.1f", seed, r.Travel, lb)
		}
		if ex.travel > 0 {
			ratio := r.Travel / ex.travel
			sumRatio += ratio
			ratios++
			if ratio > worst {
				worst, worstSeed = ratio, seed
			}
		} else if r.Travel > 1e-6 {
			t.Fatalf("seed %d: travel %.1f where none is needed", seed, r.Travel)
		}
	}
	t.Logf("%d plans: travel / least travel: worst %.4f (seed %d), mean %.4f", n, worst, worstSeed, sumRatio/float64(max(ratios, 1)))
	if worst > maxRatio {
		t.Fatalf("travel ratio %.3f over %.2f", worst, maxRatio)
	}
}

// lowerBound is the sum over the fill's assignments of the distance from
// the grid to its nearest unit that may ever patrol it in that shift.
func lowerBound(p *schedule.Plan, r Result) float64 {
	grids := map[string]schedule.Grid{}
	for _, g := range p.Grids {
		grids[g.Code] = g
	}
	lb := 0.0
	for _, a := range r.Assignments {
		g := grids[a.Grid]
		best := math.Inf(1)
		for _, u := range p.Units {
			if u.Unavailable[a.Shift.String()] || !strings.HasPrefix(u.Grid, p.Jurisdiction) ||
				u.Street != g.Street && !p.Rules.AllowLending {
				continue
			}
			best = math.Min(best, geo.Distance(u.At, g.At))
		}
		lb += best
	}
	return lb
}

// exactBest is the lexicographic optimum: most covered, fewest lent, least
// travel.
type exactBest struct {
	cover, lent int
	travel      float64
}

func (a exactBest) better(b exactBest) bool {
	if a.cover != b.cover {
		return a.cover > b.cover
	}
	if a.lent != b.lent {
		return a.lent < b.lent
	}
	return a.travel < b.travel-1e-9
}

// exact solves the plan exhaustively over its first `active` shifts (the
// only ones any unit is available in): shift by shift in time order, each
// subset of the units working it (its best in-shift assignment found by
// enumeration once per shift), memoized on every unit's shifts so far and
// last shift worked (in a valid shift table rest from the last is rest
// from all).
func exact(p *schedule.Plan, active int) exactBest {
	shifts := data.WeekShifts(p.Week, p.Shifts)
	active = min(active, len(shifts))
	nU := len(p.Units)
	gridIdx := map[string]int{}
	for i, g := range p.Grids {
		gridIdx[g.Code] = i
	}
	rest := func(a, b int) bool { // a before b
		_, ea := shifts[a].Span(p.Shifts)
		sb, _ := shifts[b].Span(p.Shifts)
		return sb.Sub(ea) >= p.Rules.MinRest
	}
	// Static: need per grid and shift after kept; a unit's kept shifts.
	need := make([][]int, active)
	for c := range active {
		need[c] = make([]int, len(p.Grids))
		for g, gr := range p.Grids {
			need[c][g] = p.Rules.RequiredPatrols(gr.Kind, shifts[c].Name, gr.HighRisk)
		}
	}
	keptCount := make([]int, nU)
	open := make([][]bool, nU) // may work shift c at all
	for u, un := range p.Units {
		open[u] = make([]bool, active)
		var keptCols []int
		for c, s := range shifts {
			for _, a := range p.Assignments {
				if a.Unit == un.Code && a.Shift == s {
					keptCols = append(keptCols, c)
					break
				}
			}
		}
		keptCount[u] = len(keptCols)
		for c := range active {
			ok := !un.Unavailable[shifts[c].String()] && strings.HasPrefix(un.Grid, p.Jurisdiction)
			for _, k := range keptCols {
				if k == c || k < c && !rest(k, c) || c < k && !rest(c, k) {
					ok = false
				}
			}
			open[u][c] = ok
		}
	}
	for _, a := range p.Assignments {
		for c := range active {
			if a.Shift == shifts[c] {
				if g, ok := gridIdx[a.Grid]; ok && need[c][g] > 0 {
					need[c][g]--
				}
			}
		}
	}
	// Per shift and subset of units: the best full assignment of that
	// subset (lent, travel), by enumerating every unit's grid or none.
	type inShift struct {
		ok     bool
		lent   int
		travel float64
	}
	best := make([][]inShift, active)
	for c := range active {
		best[c] = make([]inShift, 1<<nU)
		left := append([]int(nil), need[c]...)
		var rec func(u, mask, lent int, travel float64)
		rec = func(u, mask, lent int, travel float64) {
			if u == nU {
				b := &best[c][mask]
				if !b.ok || lent < b.lent || lent == b.lent && travel < b.travel {
					*b = inShift{true, lent, travel}
				}
				return
			}
			rec(u+1, mask, lent, travel)
			if !open[u][c] {
				return
			}
			un := p.Units[u]
			for g, gr := range p.Grids {
				if left[g] == 0 || !strings.HasPrefix(gr.Code, p.Jurisdiction) ||
					un.Street != gr.Street && !p.Rules.AllowLending {
					continue
				}
				l := 0
				if un.Street != gr.Street {
					l = 1
				}
				left[g]--
				rec(u+1, mask|1<<u, lent+l, travel+geo.Distance(un.At, gr.At))
				left[g]++
			}
		}
		rec(0, 0, 0, 0)
	}
	maxShifts := p.Rules.MaxShifts
	if maxShifts <= 0 {
		maxShifts = len(shifts)
	}
	memo := map[string]exactBest{}
	count := make([]int, nU)
	last := make([]int, nU)
	for u := range last {
		count[u] = keptCount[u]
		last[u] = -1
	}
	var solve func(c int) exactBest
	solve = func(c int) exactBest {
		if c == active {
			return exactBest{}
		}
		key := fmt.Sprint(c, count, last)
		if v, ok := memo[key]; ok {
			return v
		}
		var avail int
		for u := range nU {
			if count[u] < maxShifts && (last[u] < 0 || rest(last[u], c)) {
				avail |= 1 << u
			}
		}
		out := exactBest{cover: -1}
		for mask := avail; ; mask = (mask - 1) & avail {
			if b := best[c][mask]; b.ok {
				saved := append([]int(nil), last...)
				for u := range nU {
					if mask&(1<<u) != 0 {
						count[u]++
						last[u] = c
					}
				}
				sub := solve(c + 1)
				for u := range nU {
					if mask&(1<<u) != 0 {
						count[u]--
					}
				}
				copy(last, saved)
				v := exactBest{sub.cover + popcount(mask), sub.lent + b.lent, sub.travel + b.travel}
				if v.better(out) {
					out = v
				}
			}
			if mask == 0 {
				break
			}
		}
		memo[key] = out
		return out
	}
	return solve(0)
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// TestRulesMedium fills medium random plans (a few hundred units and
// grids, the whole week) and checks every rule of the result.
func TestRulesMedium(t *testing.T) {
	n := 12
	if testing.Short() || raceEnabled {
		n = 4
	}
	for seed := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		p := synthPlan(synthConfig{seed: uint64(seed), grids: 150 + rng.IntN(150), units: 100 + rng.IntN(250),
			streets: 1 + rng.IntN(6), unavailable: 0.1})
		p.Rules.AllowLending = seed%2 == 0
		p.Rules.MaxShifts = rng.IntN(8)
		p.Rules.MinRest = time.Duration(rng.IntN(17)) * time.Hour
		if seed%3 == 0 {
			p.Jurisdiction = p.Grids[0].Street
		}
		r := fill(t, p)
		t.Logf("seed %d: %d grids, %d units: %d new, %d uncovered entries, %.0f m", seed, len(p.Grids), len(p.Units),
			len(r.Assignments), len(r.Uncovered), r.Travel)
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
