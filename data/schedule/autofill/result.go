package autofill

import (
	"cmp"
	"slices"

	"kapok/data"
)

// result reads the new assignments and what is still missing off the
// state, in a stable order: areas are numbered grids first, then routes,
// each in the plan's order.
func (s *solver) result() Result {
	S := s.S
	p := s.p
	type made struct{ c, a, u int32 }
	var ms []made
	for u := range s.uRow {
		for c := range S {
			if a := s.st[u*S+c]; a >= 0 {
				ms = append(ms, made{int32(c), a, int32(u)})
			}
		}
	}
	slices.SortFunc(ms, func(a, b made) int {
		return cmp.Or(cmp.Compare(a.c, b.c), cmp.Compare(a.a, b.a),
			cmp.Compare(p.Units[s.uRow[a.u]].Code, p.Units[s.uRow[b.u]].Code))
	})
	var r Result
	r.Assignments = make([]data.Assignment, 0, len(ms))
	for _, m := range ms {
		pu := &p.Units[s.uRow[m.u]]
		a := data.Assignment{Unit: pu.Code, Shift: s.shifts[m.c]}
		if int(m.a) < s.G {
			pg := &p.Grids[s.gRow[m.a]]
			a.Grid, a.Lent = pg.Code, pu.Street != pg.Street
			r.Travel += Distance(pu.At, pg.At)
		} else {
			pr := &p.Routes[s.rRow[int(m.a)-s.G]]
			a.Route, a.Lent = pr.Code, pu.Street != pr.Street
			r.Travel += Distance(pu.At, pr.At)
		}
		r.Assignments = append(r.Assignments, a)
	}
	for c := range S {
		for g := range s.gRow {
			if n := s.need[g*S+c]; n > 0 {
				r.Uncovered = append(r.Uncovered, Uncovered{Grid: p.Grids[s.gRow[g]].Code,
					Shift: s.shifts[c], Missing: int(n), Why: s.why(g)})
			}
		}
	}
	return r
}

// why a grid still misses patrols: outside the jurisdiction (the grid, or
// every unit of its street when only they may patrol it), no unit in its
// street without lending, or else none free.
func (s *solver) why(g int) string {
	if !s.gIn[g] {
		return WhyOutsideJurisdiction
	}
	st := s.gStreet[g]
	if !s.lending {
		switch {
		case s.streetIn[st] > 0:
			return WhyNoUnitFree
		case s.streetUnits[st] > 0:
			return WhyOutsideJurisdiction
		}
		return WhyNoUnitInStreet
	}
	if len(s.uRow) == 0 && len(s.p.Units) > 0 {
		return WhyOutsideJurisdiction
	}
	return WhyNoUnitFree
}
