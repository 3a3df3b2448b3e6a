package schedule

import (
	"sort"
	"time"

	"kapok/data"
)

// Cover is the grid × shift matrix of the plan's week: in each cell the
// patrols the rules require of the grid in the shift and the patrols
// planned there. A unit counts once in a cell however often the same
// assignment was made. Assignments to grids the plan lacks or to shifts
// outside its week are left out here: Check reports them. An assignment of
// a unit the plan lacks still counts: the cell is planned, and Check
// reports the unit.
//
// An assignment to a route is planned in every grid the route crosses
// (an unknown route's in none), in its shift whichever shifts the route
// is walked in: Check reports a route walked out of its time.
//
// Grid codes are keys and expected unique; a code the plan repeats has
// every one of its rows planned alike.
//
// It is built for a whole city in one call (20,031 grids × 21 shifts,
// 100,000 assignments): a map from grid codes to rows and the shift's
// column by arithmetic, one matrix allocated whole, and the required
// patrols of a row worked out once per grid kind rather than per cell.
func Cover(p *Plan) Coverage {
	as := routeGrids(p)
	x := newWeekIndex(p.Week, p.Shifts)
	ns := len(x.shifts)
	c := Coverage{
		Shifts: x.shifts,
		Grids:  make([]string, len(p.Grids)),
		Cells:  make([]Cell, len(p.Grids)*ns),
	}

	rows := make(map[string]int32, len(p.Grids))
	type rowKind struct {
		kind     string
		highRisk bool
	}
	required := map[rowKind][]Cell{} // a city has a handful of kinds
	var repeated []int               // rows whose code an earlier row has
	for g := range p.Grids {
		gr := &p.Grids[g]
		c.Grids[g] = gr.Code
		if _, ok := rows[gr.Code]; ok {
			repeated = append(repeated, g)
		} else {
			rows[gr.Code] = int32(g)
		}
		k := rowKind{gr.Kind, gr.HighRisk}
		row, ok := required[k]
		if !ok {
			row = make([]Cell, ns)
			for s := range row {
				row[s].Required = p.Rules.RequiredPatrols(gr.Kind, x.shifts[s].Name, gr.HighRisk)
			}
			required[k] = row
		}
		copy(c.Cells[g*ns:(g+1)*ns], row)
	}

	// Each cell chains the assignments counted in it (head and next hold an
	// index + 1, so that the zeroed arrays start empty), and a unit already
	// on the chain is not counted again: no map entry per assignment, and
	// a cell's chain is as long as its patrols, a few.
	head := make([]int32, len(c.Cells))
	next := make([]int32, len(as))
	var crowded map[cellUnit]struct{} // cells whose chain grew long: see below
	for i := range as {
		a := &as[i]
		g, ok := rows[a.Grid]
		if !ok {
			continue
		}
		s := x.col(a.Shift)
		if s < 0 {
			continue
		}
		cell := int(g)*ns + s
		if head[cell] == crowdedCell {
			k := cellUnit{int32(cell), a.Unit}
			if _, dup := crowded[k]; !dup {
				crowded[k] = struct{}{}
				c.Cells[cell].Planned++
			}
			continue
		}
		dup, n := false, 0
		for j := head[cell]; j != 0; j = next[j-1] {
			if as[j-1].Unit == a.Unit {
				dup = true
				break
			}
			n++
		}
		if dup {
			continue
		}
		c.Cells[cell].Planned++
		if n < maxChain {
			next[i] = head[cell]
			head[cell] = int32(i + 1)
			continue
		}
		// A cell with many units in it (a mistake, or an import) would make
		// the walk quadratic: from here on its units are looked up in a map.
		if crowded == nil {
			crowded = map[cellUnit]struct{}{}
		}
		for j := head[cell]; j != 0; j = next[j-1] {
			crowded[cellUnit{int32(cell), as[j-1].Unit}] = struct{}{}
		}
		crowded[cellUnit{int32(cell), a.Unit}] = struct{}{}
		head[cell] = crowdedCell
	}

	for _, g := range repeated {
		first := int(rows[p.Grids[g].Code])
		for s := range ns {
			c.Cells[g*ns+s].Planned = c.Cells[first*ns+s].Planned
		}
	}
	return c
}

// routeGrids is the plan's assignments with each to a route replaced by
// one to each grid the route crosses; the plan's own slice when none is.
func routeGrids(p *Plan) []data.Assignment {
	n := 0
	for i := range p.Assignments {
		if p.Assignments[i].Route != "" {
			n++
		}
	}
	if n == 0 {
		return p.Assignments
	}
	routes := make(map[string]*Route, len(p.Routes))
	for i := len(p.Routes) - 1; i >= 0; i-- { // the first of a code repeated
		routes[p.Routes[i].Code] = &p.Routes[i]
	}
	out := make([]data.Assignment, 0, len(p.Assignments)+n*8)
	for _, a := range p.Assignments {
		if a.Route == "" {
			out = append(out, a)
			continue
		}
		if r := routes[a.Route]; r != nil {
			for _, g := range r.Grids {
				out = append(out, data.Assignment{Unit: a.Unit, Grid: g, Shift: a.Shift, Lent: a.Lent})
			}
		}
	}
	return out
}

// maxChain is how many units a cell chains before it is looked up in a map
// instead; crowdedCell marks such a cell's head.
const (
	maxChain    = 32
	crowdedCell = -1
)

type cellUnit struct {
	cell int32
	unit string
}

// At is the cell of the g-th grid in the s-th shift (indices into c.Grids
// and c.Shifts; out of range panics, as a slice does).
func (c Coverage) At(g, s int) Cell {
	if s < 0 || s >= len(c.Shifts) {
		panic("schedule: shift index out of range")
	}
	return c.Cells[g*len(c.Shifts)+s]
}

// Gaps are the cells planned fewer patrols than required, grid by grid in
// the plan's order and each grid's shifts in time order.
func (c Coverage) Gaps() []Gap {
	n := 0
	for _, cell := range c.Cells {
		if cell.Planned < cell.Required {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Gap, 0, n) // counted first: one allocation for the city's gaps
	ns := len(c.Shifts)
	for i, cell := range c.Cells {
		if cell.Planned < cell.Required {
			out = append(out, Gap{Grid: c.Grids[i/ns], Shift: c.Shifts[i%ns], Missing: cell.Required - cell.Planned})
		}
	}
	return out
}

// Summary is a coverage in figures. Cells that require no patrol are in
// none of Covered, Under and Uncovered, however many are planned there.
type Summary struct {
	Required int // patrols required, all cells together
	// Planned are the planned patrols that count: each cell's up to what it
	// requires, so that a grid patrolled twice over does not hide another
	// left bare.
	Planned   int
	Gaps      int // cells short of patrols (Under + Uncovered), as Gaps lists them
	Covered   int // cells planned at least what they require
	Under     int // cells planned some patrols but fewer than required
	Uncovered int // cells requiring patrols and planned none
}

// Summary adds up the coverage.
func (c Coverage) Summary() Summary {
	var s Summary
	for _, cell := range c.Cells {
		if cell.Required <= 0 {
			continue
		}
		s.Required += cell.Required
		switch {
		case cell.Planned >= cell.Required:
			s.Planned += cell.Required
			s.Covered++
		case cell.Planned > 0:
			s.Planned += cell.Planned
			s.Under++
		default:
			s.Uncovered++
		}
	}
	s.Gaps = s.Under + s.Uncovered
	return s
}

// ShiftAt is the index in c.Shifts of the shift whose span, under the
// shift table defs (the plan's), holds the instant t: from its start up to
// but not including its end, so that 16:00 is the evening's and not the
// day's. It is false outside the week and in the hours no shift covers.
func (c Coverage) ShiftAt(t time.Time, defs []data.ShiftDef) (int, bool) {
	// The shifts are in time order and do not overlap (CheckShifts): the
	// first one ending after t is the only one that may hold it.
	i := sort.Search(len(c.Shifts), func(i int) bool {
		_, end := c.Shifts[i].Span(defs)
		return end.After(t)
	})
	if i == len(c.Shifts) {
		return -1, false
	}
	if start, _ := c.Shifts[i].Span(defs); t.Before(start) {
		return -1, false
	}
	return i, true
}
