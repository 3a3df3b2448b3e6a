package schedule

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"kapok/data"
)

// The naive implementations below are the oracles Cover and Check are
// compared with on random plans, and the anchors their benchmarks are
// measured against. They are written to be plainly right, not fast: maps
// only where a whole city would not finish otherwise (looking a grid up by
// code), and otherwise loops within loops, Shift.String, Span and
// allocation per cell or per unit as they come.

func naiveCover(p *Plan) Coverage {
	shifts := data.WeekShifts(p.Week, p.Shifts)
	type at struct {
		grid, name string
		sec        int64
		nsec       int
	}
	units := map[at][]string{}
	for _, a := range p.Assignments {
		grids := []string{a.Grid}
		if a.Route != "" {
			grids = nil
			if r := naiveRoute(p, a.Route); r != nil {
				grids = r.Grids
			}
		}
		for _, g := range grids {
			k := at{g, a.Shift.Name, a.Shift.Day.Unix(), a.Shift.Day.Nanosecond()}
			if !slices.Contains(units[k], a.Unit) {
				units[k] = append(units[k], a.Unit)
			}
		}
	}
	c := Coverage{Shifts: shifts, Grids: make([]string, len(p.Grids)), Cells: make([]Cell, len(p.Grids)*len(shifts))}
	for g, gr := range p.Grids {
		c.Grids[g] = gr.Code
		for s, sh := range shifts {
			c.Cells[g*len(shifts)+s] = Cell{
				Required: p.Rules.RequiredPatrols(gr.Kind, sh.Name, gr.HighRisk),
				Planned:  len(units[at{gr.Code, sh.Name, sh.Day.Unix(), sh.Day.Nanosecond()}]),
			}
		}
	}
	return c
}

func naiveGaps(c Coverage) []Gap {
	var out []Gap
	for g := range c.Grids {
		for s := range c.Shifts {
			cell := c.Cells[g*len(c.Shifts)+s]
			if cell.Required > cell.Planned {
				out = append(out, Gap{c.Grids[g], c.Shifts[s], cell.Required - cell.Planned})
			}
		}
	}
	return out
}

func naiveSummary(c Coverage) Summary {
	var s Summary
	for _, cell := range c.Cells {
		s.Required += cell.Required
		s.Planned += min(cell.Planned, cell.Required)
		switch {
		case cell.Required == 0:
		case cell.Planned >= cell.Required:
			s.Covered++
		case cell.Planned == 0:
			s.Uncovered++
		default:
			s.Under++
		}
	}
	s.Gaps = len(naiveGaps(c))
	return s
}

func naiveShiftAt(c Coverage, t time.Time, defs []data.ShiftDef) (int, bool) {
	for i, s := range c.Shifts {
		start, end := s.Span(defs)
		if !t.Before(start) && t.Before(end) {
			return i, true
		}
	}
	return -1, false
}

var kindOrder = []ConflictKind{DoubleBooked, TooLittleRest, TooManyShifts, UnitUnavailable, OutsideJurisdiction,
	UnknownUnit, UnknownGrid, UnknownRoute, ShiftOutsideWeek, RouteOffShift, Lent, BookedElsewhere}

// naiveRoute is the plan's first route of the code, nil for none.
func naiveRoute(p *Plan, code string) *Route {
	for i := range p.Routes {
		if p.Routes[i].Code == code {
			return &p.Routes[i]
		}
	}
	return nil
}

// areaLess orders assignments by grid code, then route code.
func areaLess(a, b data.Assignment) bool {
	if a.Grid != b.Grid {
		return a.Grid < b.Grid
	}
	return a.Route < b.Route
}

func naiveCheck(p *Plan) []Conflict {
	week := data.WeekShifts(p.Week, p.Shifts)
	same := func(a, b data.Shift) bool { return a.Name == b.Name && a.Day.Equal(b.Day) }
	canon := func(s data.Shift) (data.Shift, bool) {
		for _, w := range week {
			if same(w, s) {
				return w, true
			}
		}
		return s, false
	}
	unitAt, gridAt := map[string]int{}, map[string]int{}
	for i := len(p.Units) - 1; i >= 0; i-- { // the first of a code repeated
		unitAt[p.Units[i].Code] = i
	}
	for i := len(p.Grids) - 1; i >= 0; i-- {
		gridAt[p.Grids[i].Code] = i
	}
	byUnit := map[string][]data.Assignment{}
	for _, a := range p.Assignments {
		dup := false
		for _, b := range byUnit[a.Unit] {
			dup = dup || b.Grid == a.Grid && b.Route == a.Route && same(a.Shift, b.Shift)
		}
		if !dup {
			byUnit[a.Unit] = append(byUnit[a.Unit], a)
		}
	}

	var out []Conflict
	for code, as := range byUnit {
		ui, known := unitAt[code]
		for _, a := range as {
			s, in := canon(a.Shift)
			gi, gridKnown := gridAt[a.Grid]
			route := naiveRoute(p, a.Route)
			c := Conflict{Hard: true, Unit: code, Grid: a.Grid, Route: a.Route, Shift: s}
			with := func(k ConflictKind, hard bool) Conflict { c.Kind, c.Hard = k, hard; return c }
			if !known {
				out = append(out, with(UnknownUnit, true))
			}
			areaKnown, street, place := false, "", a.Grid
			if a.Route != "" {
				place = "?" // an unknown route's place is not checked
				if route != nil {
					areaKnown, street, place = true, route.Street, route.Street
				} else {
					out = append(out, with(UnknownRoute, true))
				}
			} else if gridKnown {
				areaKnown, street = true, p.Grids[gi].Street
			} else {
				out = append(out, with(UnknownGrid, true))
			}
			if !in {
				out = append(out, with(ShiftOutsideWeek, true))
			} else if route != nil {
				for _, d := range p.Shifts {
					if d.Name == s.Name && !data.RouteWalkable(route.Times, d) {
						out = append(out, with(RouteOffShift, true))
						break
					}
				}
			}
			if known && p.Units[ui].Unavailable[s.String()] {
				out = append(out, with(UnitUnavailable, true))
			}
			if known {
				if other, ok := p.Units[ui].Booked[s.String()]; ok {
					b := with(BookedElsewhere, false)
					b.Roster = other
					out = append(out, b)
					c.Roster = ""
				}
			}
			if j := p.Jurisdiction; j != "" && (place != "?" && !strings.HasPrefix(place, j) || known && !strings.HasPrefix(p.Units[ui].Grid, j)) {
				out = append(out, with(OutsideJurisdiction, true))
			}
			if known && areaKnown && p.Units[ui].Street != street {
				out = append(out, with(Lent, !p.Rules.AllowLending))
			}
			if !in {
				continue
			}
			for _, b := range as {
				if bs, bin := canon(b.Shift); bin && same(bs, s) && (b.Grid != a.Grid || b.Route != a.Route) {
					out = append(out, Conflict{Kind: DoubleBooked, Hard: true, Unit: code, Grid: a.Grid, Route: a.Route, Shift: s, Other: s})
					break
				}
			}
		}

		var shifts []data.Shift
		for _, a := range as {
			if s, in := canon(a.Shift); in && !slices.ContainsFunc(shifts, func(t data.Shift) bool { return same(s, t) }) {
				shifts = append(shifts, s)
			}
		}
		sort.SliceStable(shifts, func(i, j int) bool { return startOf(shifts[i], p.Shifts).Before(startOf(shifts[j], p.Shifts)) })
		areaOf := func(s data.Shift) data.Assignment {
			var first *data.Assignment
			for i, a := range as {
				if same(a.Shift, s) && (first == nil || areaLess(a, *first)) {
					first = &as[i]
				}
			}
			return *first
		}
		for j := range shifts {
			for i := range j {
				_, end := shifts[i].Span(p.Shifts)
				start, _ := shifts[j].Span(p.Shifts)
				if start.Sub(end) < p.Rules.MinRest {
					f := areaOf(shifts[j])
					out = append(out, Conflict{Kind: TooLittleRest, Hard: true, Unit: code, Grid: f.Grid, Route: f.Route, Shift: shifts[j], Other: shifts[i]})
				}
			}
		}
		if m := p.Rules.MaxShifts; m > 0 && len(shifts) > m {
			f := areaOf(shifts[m])
			out = append(out, Conflict{Kind: TooManyShifts, Hard: true, Unit: code, Grid: f.Grid, Route: f.Route, Shift: shifts[m], Count: len(shifts)})
		}
	}

	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		if sa, sb := startOf(a.Shift, p.Shifts), startOf(b.Shift, p.Shifts); !sa.Equal(sb) {
			return sa.Before(sb)
		}
		if a.Shift.Name != b.Shift.Name {
			return a.Shift.Name < b.Shift.Name
		}
		if ka, kb := slices.Index(kindOrder, a.Kind), slices.Index(kindOrder, b.Kind); ka != kb {
			return ka < kb
		}
		if a.Grid != b.Grid || a.Route != b.Route {
			return areaLess(data.Assignment{Grid: a.Grid, Route: a.Route}, data.Assignment{Grid: b.Grid, Route: b.Route})
		}
		if oa, ob := startOf(a.Other, p.Shifts), startOf(b.Other, p.Shifts); !oa.Equal(ob) {
			return oa.Before(ob)
		}
		if a.Other.Name != b.Other.Name {
			return a.Other.Name < b.Other.Name
		}
		return a.Count < b.Count
	})
	return out
}

// Shift tables the random plans draw from: the default, a district's two
// 12-hour shifts, and one with hours no shift covers, listed out of order.
var (
	twelveHours = []data.ShiftDef{{Name: "am", Start: 0, End: 12}, {Name: "pm", Start: 12, End: 24}}
	withBreaks  = []data.ShiftDef{{Name: "late", Start: 14, End: 22}, {Name: "early", Start: 6, End: 10}}
	tables      = [][]data.ShiftDef{data.DefaultShifts, twelveHours, withBreaks}
)

// randomPlan is a small plan meant to collide: few codes, repeated
// assignments, unknown units and grids, shifts outside the week, a code or
// two listed twice.
func randomPlan(r *rand.Rand) *Plan {
	weeks := []data.Week{{Year: 2026, Num: 49}, {Year: 2026, Num: 53}, {Year: 2027, Num: 1}}
	p := &Plan{Week: weeks[r.IntN(len(weeks))], Shifts: tables[r.IntN(len(tables))]}
	kinds := []string{"commercial", "residential", "village", "unlisted"}
	p.Rules = data.PatrolRules{
		Required:      map[string]map[string]int{},
		HighRiskExtra: r.IntN(2),
		MaxShifts:     r.IntN(5),
		MinRest:       []time.Duration{0, 8 * time.Hour, 12 * time.Hour, 16 * time.Hour, 30 * time.Hour}[r.IntN(5)],
		AllowLending:  r.IntN(2) == 0,
	}
	for _, k := range kinds[:3] {
		p.Rules.Required[k] = map[string]int{}
		for _, d := range p.Shifts {
			p.Rules.Required[k][d.Name] = r.IntN(3)
		}
	}
	p.Jurisdiction = []string{"", "A", "B"}[r.IntN(3)]
	gridCodes := []string{"A01", "A02", "A03", "B01", "B02"}
	for range r.IntN(6) {
		p.Grids = append(p.Grids, Grid{Code: gridCodes[r.IntN(len(gridCodes))], Street: []string{"A", "B"}[r.IntN(2)],
			Kind: kinds[r.IntN(len(kinds))], HighRisk: r.IntN(3) == 0})
	}
	routeCodes := []string{"R1", "R2", "R3"}
	for range r.IntN(4) {
		rt := Route{Code: routeCodes[r.IntN(len(routeCodes))], Street: []string{"A", "B"}[r.IntN(2)],
			Times: []string{data.RouteByDay, data.RouteByNight, data.RouteAllDay}[r.IntN(3)]}
		for _, g := range append(gridCodes, "Z99") {
			if r.IntN(3) == 0 {
				rt.Grids = append(rt.Grids, g)
			}
		}
		p.Routes = append(p.Routes, rt)
	}
	shifts := data.WeekShifts(p.Week, p.Shifts)
	unitCodes := []string{"u1", "u2", "u3", "u4", "u5"}
	assignedUnits, assignedGrids := append(unitCodes, "x9"), append(gridCodes, "Z99")
	for range r.IntN(5) {
		u := Unit{Code: unitCodes[r.IntN(len(unitCodes))], Street: []string{"A", "B"}[r.IntN(2)], Grid: gridCodes[r.IntN(len(gridCodes))]}
		for range r.IntN(3) {
			if u.Unavailable == nil {
				u.Unavailable = map[string]bool{}
			}
			u.Unavailable[shifts[r.IntN(len(shifts))].String()] = true
		}
		for range r.IntN(3) {
			if u.Booked == nil {
				u.Booked = map[string]string{}
			}
			u.Booked[shifts[r.IntN(len(shifts))].String()] = []string{"roster-a", "roster-b"}[r.IntN(2)]
		}
		p.Units = append(p.Units, u)
	}
	for range r.IntN(30) {
		s := shifts[r.IntN(len(shifts))]
		switch r.IntN(12) {
		case 0: // the week before or after
			s.Day = s.Day.AddDate(0, 0, []int{-7, 7}[r.IntN(2)])
		case 1: // not at midnight
			s.Day = s.Day.Add(8 * time.Hour)
		case 2: // a name the table lacks
			s.Name = "noon"
		case 3, 4: // the same instant in another zone
			s.Day = s.Day.UTC()
		}
		a := data.Assignment{Unit: assignedUnits[r.IntN(len(assignedUnits))], Grid: assignedGrids[r.IntN(len(assignedGrids))], Shift: s}
		if r.IntN(4) == 0 { // a route, maybe unknown ("R9")
			a.Grid, a.Route = "", append(routeCodes, "R9")[r.IntN(len(routeCodes)+1)]
		}
		p.Assignments = append(p.Assignments, a)
		if r.IntN(5) == 0 {
			p.Assignments = append(p.Assignments, a)
		}
	}
	// Units in only a handful of shifts would rarely meet: crowd one unit.
	if len(p.Assignments) > 0 && r.IntN(2) == 0 {
		u := p.Assignments[0].Unit
		for range r.IntN(8) {
			p.Assignments = append(p.Assignments, data.Assignment{Unit: u, Grid: gridCodes[r.IntN(len(gridCodes))], Shift: shifts[r.IntN(len(shifts))]})
		}
	}
	return p
}

// syntheticCity is a city-sized plan, the same every time: grids in
// streets of 100, units homed among them, and assignments to grids near a
// unit's home in random shifts, some repeated.
func syntheticCity(grids, units, assignments int) *Plan {
	r := rand.New(rand.NewPCG(20260101, 49))
	p := &Plan{Week: data.Week{Year: 2026, Num: 49}, Shifts: data.DefaultShifts, Rules: data.DefaultPatrolRules()}
	kinds := []string{"commercial", "special", "residential", "industrial", "village"}
	for g := range grids {
		p.Grids = append(p.Grids, Grid{
			Code:     fmt.Sprintf("4401%02d%03d%03d", g/100000, g/100%1000, g%100),
			Street:   fmt.Sprintf("4401%02d%03d", g/100000, g/100%1000),
			Kind:     kinds[r.IntN(len(kinds))],
			HighRisk: r.IntN(10) == 0,
		})
	}
	shifts := data.WeekShifts(p.Week, p.Shifts)
	homes := make([]int, units)
	for u := range units {
		homes[u] = r.IntN(grids)
		home := p.Grids[homes[u]]
		unit := Unit{Code: fmt.Sprintf("U%06d", u), Street: home.Street, Grid: home.Code}
		if r.IntN(5) == 0 {
			unit.Unavailable = map[string]bool{shifts[r.IntN(len(shifts))].String(): true}
		}
		p.Units = append(p.Units, unit)
	}
	for range assignments {
		u := r.IntN(units)
		g := r.IntN(grids)
		if r.IntN(10) != 0 { // mostly its own street
			g = min(homes[u]/100*100+r.IntN(100), grids-1)
		}
		p.Assignments = append(p.Assignments, data.Assignment{Unit: p.Units[u].Code, Grid: p.Grids[g].Code, Shift: shifts[r.IntN(len(shifts))]})
	}
	return p
}
