package schedule

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"kapok/data"
)

// Check lists every conflict of the plan's assignments, each with its kind
// and whether it is hard (blocks publishing). An assignment made twice
// (the same unit, grid and shift) is one assignment: checked once, and no
// conflict in itself.
//
// An assignment's area is its grid, or its route (Assignment.Route): what
// is said of grids below is said of routes alike, with the route's street
// for the grid's.
//
// Of each assignment: its unit, grid or route is unknown (UnknownUnit,
// UnknownGrid, UnknownRoute; a code repeated in the plan is its first
// one); it walks a route in a shift the route is not walked in
// (RouteOffShift, data.RouteWalkable);
// its shift is not one of the week's (ShiftOutsideWeek: another week, a
// Day not at 00:00 Beijing time, or a name not in p.Shifts); its shift is
// among the unit's Unavailable (UnitUnavailable); another draft roster has
// the unit in that shift (BookedElsewhere, soft, Roster that roster: by the
// unit's Booked); its grid or the unit's
// home grid does not start with p.Jurisdiction when that is set
// (OutsideJurisdiction, one conflict for either or both; an unknown
// route's place is not known, its unit's is checked); the unit's street
// is not the grid's (Lent, hard only when the rules forbid lending). What
// is unknown is not checked further: an unknown unit has no street to lend
// it from.
//
// Of each unit, over its assignments in the week's shifts (one outside the
// week is a conflict already and has no place in the week's time):
//   - DoubleBooked: in two or more areas in one shift (two grids, a grid
//     and a route, two routes), one conflict per area, Other the same
//     shift;
//   - TooLittleRest: two of its shifts less than p.Rules.MinRest apart (from
//     the end of the earlier to the start of the later; adjacent shifts are
//     0 apart, across midnight too), one conflict per pair, on the later
//     shift with Other the earlier;
//   - TooManyShifts: more distinct shifts than p.Rules.MaxShifts (none when
//     that is 0 or less: rules that do not set it set no limit), one
//     conflict with Count the unit's shifts, on the first shift over the
//     limit.
//
// A conflict of a shift rather than an assignment (rest, too many) names
// the area of that shift, the first in area order (grid code, then route
// code: a route's grid is "") when the unit has several. In-week shifts are given as the week's own (data.WeekShifts),
// whatever zone the assignment's Day was in.
//
// The order is by unit code, then shift start, then kind (in the order of
// the constants), then area, then the other shift and the count: the same
// plan gives the same list. A district's roster (2,000 units, 20,000
// assignments) takes under 10 ms, even with a conflict for most
// assignments (the benchmark's random roster): the assignments are grouped by
// unit once, each unit's handful sorted and checked among themselves, and
// what is found kept in small records without pointers (sorted and grown
// without the garbage collector's write barriers) until the list is made
// at the end in one allocation.
func Check(p *Plan) []Conflict {
	ck := checker{p: p, x: newWeekIndex(p.Week, p.Shifts)}
	return ck.run()
}

// Publishable is whether a roster with these conflicts may be published:
// none of them hard.
func Publishable(cs []Conflict) bool {
	for _, c := range cs {
		if c.Hard {
			return false
		}
	}
	return true
}

type checker struct {
	p     *Plan
	x     *weekIndex
	found []found // all units' conflicts, each unit's sorted
	cols  []int   // the unit's distinct shifts, reused from unit to unit
}

// entry is one assignment of the unit being checked.
type entry struct {
	a     int32 // index in p.Assignments
	col   int32 // column in the week, -1 outside it
	grid  int32 // row in p.Grids, -1 when unknown or a route
	route int32 // row in p.Routes, -1 when unknown or a grid
	// When the shift starts (Unix seconds and nanoseconds: a time.Time
	// holds a pointer); set outside the week only.
	sec  int64
	nsec int32
}

// found is a conflict before it is made a Conflict.
type found struct {
	sec   int64 // when its shift starts, as in entry
	nsec  int32
	kind  uint8 // index in kinds
	hard  bool
	unit  int32 // unit id (see run)
	a     int32 // the assignment: its grid, and its shift outside the week
	col   int32 // its shift's column, -1 outside the week
	other int32 // the other shift's column, -1 for none
	count int32
}

// kinds are the conflict kinds in the order of the constants, the order a
// shift's conflicts are listed in.
var kinds = [...]ConflictKind{DoubleBooked, TooLittleRest, TooManyShifts, UnitUnavailable, OutsideJurisdiction,
	UnknownUnit, UnknownGrid, UnknownRoute, ShiftOutsideWeek, RouteOffShift, Lent, BookedElsewhere}

const (
	kDoubleBooked uint8 = iota
	kTooLittleRest
	kTooManyShifts
	kUnitUnavailable
	kOutsideJurisdiction
	kUnknownUnit
	kUnknownGrid
	kUnknownRoute
	kShiftOutsideWeek
	kRouteOffShift
	kLent
	kBookedElsewhere
)

func (ck *checker) run() []Conflict {
	p, x := ck.p, ck.x
	gridRow := make(map[string]int32, len(p.Grids))
	for i := range p.Grids {
		if _, ok := gridRow[p.Grids[i].Code]; !ok {
			gridRow[p.Grids[i].Code] = int32(i)
		}
	}
	routeRow := make(map[string]int32, len(p.Routes))
	for i := range p.Routes {
		if _, ok := routeRow[p.Routes[i].Code]; !ok {
			routeRow[p.Routes[i].Code] = int32(i)
		}
	}
	// Unit ids: a known unit's index in p.Units, then the unknown codes
	// assignments name, numbered on.
	unitID := make(map[string]int32, len(p.Units))
	for i := range p.Units {
		if _, ok := unitID[p.Units[i].Code]; !ok {
			unitID[p.Units[i].Code] = int32(i)
		}
	}
	var unknown []string
	ids := make([]int32, len(p.Assignments))
	for i := range p.Assignments {
		code := p.Assignments[i].Unit
		id, ok := unitID[code]
		if !ok {
			id = int32(len(p.Units) + len(unknown))
			unknown = append(unknown, code)
			unitID[code] = id
		}
		ids[i] = id
	}
	code := func(id int32) string {
		if int(id) < len(p.Units) {
			return p.Units[id].Code
		}
		return unknown[int(id)-len(p.Units)]
	}

	// Group the assignments by unit with a counting sort: two passes, no
	// map of slices.
	nid := len(p.Units) + len(unknown)
	first := make([]int32, nid+1)
	for _, id := range ids {
		first[id+1]++
	}
	var active []int32 // units with assignments
	for id := range nid {
		if first[id+1] > 0 {
			active = append(active, int32(id))
		}
		first[id+1] += first[id]
	}
	byUnit := make([]int32, len(ids))
	fill := slices.Clone(first[:nid])
	for i, id := range ids {
		byUnit[fill[id]] = int32(i)
		fill[id]++
	}
	slices.SortFunc(active, func(a, b int32) int { return strings.Compare(code(a), code(b)) })

	var es []entry
	for _, id := range active {
		es = es[:0]
		for _, i := range byUnit[first[id]:first[id+1]] {
			a := &p.Assignments[i]
			e := entry{a: i, col: int32(x.col(a.Shift)), grid: -1, route: -1}
			if a.Route != "" {
				if r, ok := routeRow[a.Route]; ok {
					e.route = r
				}
			} else if g, ok := gridRow[a.Grid]; ok {
				e.grid = g
			}
			if e.col < 0 {
				start := startOf(a.Shift, p.Shifts)
				e.sec, e.nsec = start.Unix(), int32(start.Nanosecond())
			}
			es = append(es, e)
		}
		var u *Unit
		if int(id) < len(p.Units) {
			u = &p.Units[id]
		}
		n := len(ck.found)
		ck.unit(id, u, ck.dedup(es))
		ck.sort(ck.found[n:])
	}

	if len(ck.found) == 0 {
		return nil
	}
	out := make([]Conflict, len(ck.found))
	for i, f := range ck.found {
		a := &p.Assignments[f.a]
		c := &out[i]
		c.Kind, c.Hard, c.Unit, c.Grid, c.Route, c.Count = kinds[f.kind], f.hard, code(f.unit), a.Grid, a.Route, int(f.count)
		if f.col >= 0 {
			c.Shift = x.shifts[f.col]
		} else {
			c.Shift = a.Shift
		}
		if f.other >= 0 {
			c.Other = x.shifts[f.other]
		}
		if f.kind == kBookedElsewhere {
			c.Roster = p.Units[f.unit].Booked[c.Shift.String()]
		}
	}
	return out
}

// dedup sorts a unit's assignments (the week's shifts in time order, then
// those outside it; grids in code order within a shift) and drops the
// repeated ones, keeping the first made.
func (ck *checker) dedup(es []entry) []entry {
	as := ck.p.Assignments
	slices.SortFunc(es, func(a, b entry) int {
		if a.col >= 0 != (b.col >= 0) {
			if a.col >= 0 {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.col, b.col); c != 0 {
			return c
		}
		if a.col < 0 {
			if c := cmp.Compare(a.sec, b.sec); c != 0 {
				return c
			}
			if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
				return c
			}
			if c := strings.Compare(as[a.a].Shift.Name, as[b.a].Shift.Name); c != 0 {
				return c
			}
		}
		if c := compareArea(&as[a.a], &as[b.a]); c != 0 {
			return c
		}
		return cmp.Compare(a.a, b.a)
	})
	// Outside the week, equal starts and names are the same shift: a known
	// name fixes the Day from the start, and an unknown one starts at Day.
	same := func(a, b entry) bool {
		return a.col == b.col && compareArea(&as[a.a], &as[b.a]) == 0 &&
			(a.col >= 0 || a.sec == b.sec && a.nsec == b.nsec && as[a.a].Shift.Name == as[b.a].Shift.Name)
	}
	kept := es[:0]
	for i, e := range es {
		if i == 0 || !same(es[i-1], e) {
			kept = append(kept, e)
		}
	}
	return kept
}

// unit finds the conflicts of one unit (u nil when unknown), its
// assignments deduplicated and in dedup's order.
func (ck *checker) unit(id int32, u *Unit, es []entry) {
	p, x := ck.p, ck.x
	for _, e := range es {
		a := &p.Assignments[e.a]
		f := found{sec: e.sec, nsec: e.nsec, hard: true, unit: id, a: e.a, col: e.col, other: -1}
		if e.col >= 0 {
			f.sec = x.starts[e.col]
		}
		if u == nil {
			ck.add(f, kUnknownUnit)
		}
		var street string // of the area; "" when unknown
		switch {
		case a.Route != "" && e.route < 0:
			ck.add(f, kUnknownRoute)
		case a.Route != "":
			street = p.Routes[e.route].Street
		case e.grid < 0:
			ck.add(f, kUnknownGrid)
		default:
			street = p.Grids[e.grid].Street
		}
		if e.col < 0 {
			ck.add(f, kShiftOutsideWeek)
		} else if e.route >= 0 && !data.RouteWalkable(p.Routes[e.route].Times, x.order[int(e.col)%len(x.order)]) {
			ck.add(f, kRouteOffShift)
		}
		if u != nil && len(u.Unavailable)+len(u.Booked) > 0 {
			var key string
			if e.col >= 0 {
				key = x.key(int(e.col))
			} else {
				key = a.Shift.String()
			}
			if u.Unavailable[key] {
				ck.add(f, kUnitUnavailable)
			}
			if _, ok := u.Booked[key]; ok {
				soft := f
				soft.hard = false
				ck.add(soft, kBookedElsewhere)
			}
		}
		// A grid's code starts with its street's; a route's place is its
		// street.
		place := a.Grid
		if a.Route != "" {
			place = street
		}
		areaOut := (a.Route == "" || e.route >= 0) && !strings.HasPrefix(place, p.Jurisdiction)
		if j := p.Jurisdiction; j != "" && (areaOut || u != nil && !strings.HasPrefix(u.Grid, j)) {
			ck.add(f, kOutsideJurisdiction)
		}
		if u != nil && (e.grid >= 0 || e.route >= 0) && u.Street != street {
			f.hard = !p.Rules.AllowLending
			ck.add(f, kLent)
		}
	}

	// The week's shifts come first in es, in time order: a run of one
	// column is one shift in several areas.
	inWeek := 0
	for inWeek < len(es) && es[inWeek].col >= 0 {
		inWeek++
	}
	ck.cols = ck.cols[:0]
	for i := 0; i < inWeek; {
		j := i + 1
		for j < inWeek && es[j].col == es[i].col {
			j++
		}
		ck.cols = append(ck.cols, i)
		if j-i > 1 {
			for _, e := range es[i:j] {
				ck.add(found{sec: x.starts[e.col], hard: true, unit: id, a: e.a, col: e.col, other: e.col}, kDoubleBooked)
			}
		}
		i = j
	}

	// Rest and count, between the distinct shifts; each names the shift's
	// first entry, whose area is the first in area order.
	for k, j := range ck.cols {
		later := es[j]
		for _, i := range ck.cols[:k] {
			earlier := es[i]
			// Whole seconds: shift tables are in hours.
			rest := time.Duration(x.starts[later.col]-x.ends[earlier.col]) * time.Second
			if rest < p.Rules.MinRest {
				ck.add(found{sec: x.starts[later.col], hard: true, unit: id, a: later.a, col: later.col, other: earlier.col}, kTooLittleRest)
			}
		}
	}
	if m := p.Rules.MaxShifts; m > 0 && len(ck.cols) > m {
		over := es[ck.cols[m]]
		ck.add(found{sec: x.starts[over.col], hard: true, unit: id, a: over.a, col: over.col, other: -1, count: int32(len(ck.cols))}, kTooManyShifts)
	}
}

func (ck *checker) add(f found, kind uint8) {
	f.kind = kind
	ck.found = append(ck.found, f)
}

// sort orders one unit's conflicts by shift start (then name: a name the
// table lacks starts at its Day and may tie with one it has), kind, grid,
// then the other shift and the count.
func (ck *checker) sort(fs []found) {
	if len(fs) < 2 {
		return
	}
	as, x := ck.p.Assignments, ck.x
	name := func(f found) string {
		if f.col >= 0 {
			return x.shifts[f.col].Name
		}
		return as[f.a].Shift.Name
	}
	slices.SortFunc(fs, func(a, b found) int {
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		if a.col < 0 || a.col != b.col {
			if c := strings.Compare(name(a), name(b)); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		if c := compareArea(&as[a.a], &as[b.a]); c != 0 {
			return c
		}
		// Columns are in time order; only in-week shifts are ever other.
		if c := cmp.Compare(a.other, b.other); c != 0 {
			return c
		}
		return cmp.Compare(a.count, b.count)
	})
}

// compareArea orders assignments by area: grid code, then route code (a
// route's grid is "", so routes come before grids).
func compareArea(a, b *data.Assignment) int {
	if c := strings.Compare(a.Grid, b.Grid); c != 0 {
		return c
	}
	return strings.Compare(a.Route, b.Route)
}
