package autofill

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"kapok/data"
	"kapok/data/schedule"
)

// checkResult is an independent check of a fill against every rule,
// written from the rules rather than from the solver: the new assignments
// name known units, areas (a grid, or a route walkable in the shift) and
// shifts of the week; no unit is twice in a shift, short of rest, over
// its most shifts, unavailable, outside the jurisdiction or lent without
// leave; schedule.Check finds no hard conflict the kept assignments did
// not have already; every new assignment fills a slot that would be open
// without it (none is wasted, a grid over-covered or a walk whose grids
// others cover); a lent unit stands in only where no unit of the area's
// street was idle and able; Travel is the sum of the distances; Uncovered
// lists exactly what schedule.Cover finds missing; the assignments come in
// Result's order.
func checkResult(t *testing.T, p *schedule.Plan, r Result) {
	t.Helper()
	shifts := data.WeekShifts(p.Week, p.Shifts)
	col := map[string]int{}
	for i, s := range shifts {
		col[s.String()] = i
	}
	defOf := func(name string) data.ShiftDef {
		for _, d := range p.Shifts {
			if d.Name == name {
				return d
			}
		}
		t.Fatalf("no shift %q", name)
		return data.ShiftDef{}
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
	routes := map[string]*schedule.Route{}
	for i := range p.Routes {
		if _, ok := routes[p.Routes[i].Code]; !ok {
			routes[p.Routes[i].Code] = &p.Routes[i]
		}
	}
	// Every unit's shifts (kept in the week, and new) by column → areas.
	type key struct {
		unit string
		c    int
	}
	busy := map[key][]string{}
	kept := map[[3]string]bool{}
	for _, a := range p.Assignments {
		c, ok := col[a.Shift.String()]
		if !ok || kept[[3]string{a.Unit, a.Area(), a.Shift.String()}] {
			continue
		}
		kept[[3]string{a.Unit, a.Area(), a.Shift.String()}] = true
		busy[key{a.Unit, c}] = append(busy[key{a.Unit, c}], a.Area())
	}
	var travel float64
	streetOf := map[data.Assignment]string{}
	for _, a := range r.Assignments {
		u := units[a.Unit]
		c, ok := col[a.Shift.String()]
		if u == nil || !ok {
			t.Fatalf("%+v: unknown unit or shift", a)
		}
		var street, place string
		var at orb.Point
		if a.Route != "" {
			rt := routes[a.Route]
			if rt == nil || a.Grid != "" {
				t.Fatalf("%+v: unknown route, or a route and a grid", a)
			}
			if !data.RouteWalkable(rt.Times, defOf(a.Shift.Name)) {
				t.Fatalf("%+v: route %s is not walked in that shift", a, rt.Times)
			}
			street, place, at = rt.Street, rt.Street, rt.At
		} else {
			g := grids[a.Grid]
			if g == nil {
				t.Fatalf("%+v: unknown grid", a)
			}
			street, place, at = g.Street, g.Code, g.At
		}
		streetOf[a] = street
		if kept[[3]string{a.Unit, a.Area(), a.Shift.String()}] {
			t.Fatalf("%+v: made again though kept", a)
		}
		if u.Unavailable[a.Shift.String()] {
			t.Fatalf("%+v: unit unavailable", a)
		}
		if !strings.HasPrefix(place, p.Jurisdiction) || !strings.HasPrefix(u.Grid, p.Jurisdiction) {
			t.Fatalf("%+v: outside the jurisdiction %q", a, p.Jurisdiction)
		}
		if lent := u.Street != street; lent != a.Lent || lent && !p.Rules.AllowLending {
			t.Fatalf("%+v: lent %v (lending %v)", a, lent, p.Rules.AllowLending)
		}
		busy[key{a.Unit, c}] = append(busy[key{a.Unit, c}], a.Area())
		travel += geo.Distance(u.At, at)
	}
	if math.Abs(travel-r.Travel) > 1e-6*math.Max(1, travel) {
		t.Fatalf("travel %.3f, the assignments' distances add to %.3f", r.Travel, travel)
	}
	// Per unit with a new assignment: one area a shift, rest, most shifts.
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
		_, ea := shifts[min(a, b)].Span(p.Shifts)
		sb, _ := shifts[max(a, b)].Span(p.Shifts)
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

	checkOrder(t, p, r, col)
	filled := withNew(p, r)
	checkNoNewHardConflict(t, p, filled)
	checkCoverage(t, p, filled, r)

	// Lending only where no own-street unit was idle and able.
	if p.Rules.AllowLending {
		for _, a := range r.Assignments {
			if !a.Lent {
				continue
			}
			c := col[a.Shift.String()]
			for code, v := range units {
				if v.Street != streetOf[a] || !strings.HasPrefix(v.Grid, p.Jurisdiction) ||
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
					t.Fatalf("%+v lent, but %s of the area's street was idle and able", a, code)
				}
			}
		}
	}
}

// checkOrder: by shift in time order, then grids in the plan's order, then
// routes in the plan's order, then unit code.
func checkOrder(t *testing.T, p *schedule.Plan, r Result, col map[string]int) {
	t.Helper()
	rank := map[string]int{}
	for i, g := range p.Grids {
		if _, ok := rank["g"+g.Code]; !ok {
			rank["g"+g.Code] = i
		}
	}
	for i, rt := range p.Routes {
		if _, ok := rank["r"+rt.Code]; !ok {
			rank["r"+rt.Code] = len(p.Grids) + i
		}
	}
	key := func(a data.Assignment) [2]int {
		area := rank["g"+a.Grid]
		if a.Route != "" {
			area = rank["r"+a.Route]
		}
		return [2]int{col[a.Shift.String()], area}
	}
	for i := 1; i < len(r.Assignments); i++ {
		a, b := r.Assignments[i-1], r.Assignments[i]
		ka, kb := key(a), key(b)
		if ka[0] > kb[0] || ka[0] == kb[0] && (ka[1] > kb[1] || ka[1] == kb[1] && a.Unit >= b.Unit) {
			t.Fatalf("%+v before %+v: out of order", a, b)
		}
	}
}

// withNew is the plan with the fill's assignments added to its own.
func withNew(p *schedule.Plan, r Result) *schedule.Plan {
	q := *p
	q.Assignments = append(slices.Clone(p.Assignments), r.Assignments...)
	return &q
}

// checkNoNewHardConflict: every hard conflict schedule.Check finds in the
// filled plan is one the plan's own assignments had already.
func checkNoNewHardConflict(t *testing.T, p, filled *schedule.Plan) {
	t.Helper()
	had := map[string]bool{}
	for _, cf := range schedule.Check(p) {
		had[fmt.Sprint(cf)] = true
	}
	for _, cf := range schedule.Check(filled) {
		if cf.Hard && !had[fmt.Sprint(cf)] {
			t.Fatalf("hard conflict after the fill: %+v", cf)
		}
	}
}

// checkCoverage: by schedule.Cover of the filled plan, each new assignment
// patrols some cell planned no more than it requires (taking it out would
// open a slot), and Uncovered is exactly the cells short of patrols.
func checkCoverage(t *testing.T, p, filled *schedule.Plan, r Result) {
	t.Helper()
	cov := schedule.Cover(filled)
	row := map[string]int{}
	for g, code := range cov.Grids {
		if _, ok := row[code]; !ok {
			row[code] = g
		}
	}
	col := map[data.Shift]int{}
	for c, s := range cov.Shifts {
		col[s] = c
	}
	for _, a := range r.Assignments {
		gs := []string{a.Grid}
		if a.Route != "" {
			for _, rt := range p.Routes {
				if rt.Code == a.Route {
					gs = rt.Grids
					break
				}
			}
		}
		needed := false
		for _, code := range gs {
			if g, ok := row[code]; ok {
				cell := cov.At(g, col[a.Shift])
				needed = needed || cell.Planned <= cell.Required
			}
		}
		if !needed {
			t.Fatalf("%+v fills nothing: every grid it patrols is covered without it", a)
		}
	}
	missing := map[[2]string]int{}
	for _, gap := range cov.Gaps() {
		missing[[2]string{gap.Grid, gap.Shift.String()}] = gap.Missing
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
}

// slotsFilled is how many required patrols the fill's assignments add to
// the plan's, as schedule.Cover counts them.
func slotsFilled(p *schedule.Plan, r Result) int {
	return schedule.Cover(withNew(p, r)).Summary().Planned - schedule.Cover(p).Summary().Planned
}
