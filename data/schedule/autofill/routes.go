package autofill

import (
	"cmp"
	"container/heap"
	"slices"
	"strings"

	"kapok/data"
)

// Patrol routes. A unit walking a route in a shift patrols every grid the
// route crosses, once each: one walk may fill a slot in each of a dozen
// grids where a unit at a grid fills one. In the solver a walk is an
// assignment like a grid's, to area G+r; the grids' need falls by one
// along the route, and may fall below zero where the route crosses a
// grid that needed nothing more (a walk cannot skip a grid).

// routes is the solver's state of the plan's routes.
type routes struct {
	R      int
	rRow   []int32   // row in p.Routes (a code repeated is its first)
	rGrids [][]int32 // the grids it crosses, each once; those the plan lacks left out
	// rWalk (r*S+c) is whether route r may be walked in shift c at all:
	// walkable then (data.RouteWalkable), inside the jurisdiction, and
	// crossing some grid of the plan.
	rWalk   []bool
	gRoutes [][]int32 // per grid, the routes crossing it
	// rOpen (r*S+c): the grids route r crosses that still miss patrols in
	// shift c — the slots one more walk would fill. rHeld: those not
	// over-covered (need ≥ 0) — the slots a walk made there would open
	// again if taken out.
	rOpen, rHeld []int32
	// Per route the units that may walk it, cheapest first (every unit
	// of its street, and with lending the nearest of others); per unit
	// the routes it may walk, with the same costs.
	routeCands [][]cand
	unitRoutes [][]cand
}

// minWalkGain is the fewest slots a walk must fill for construction to
// make it: one slot a unit fills as well at a grid.
const minWalkGain = 2

// kRouteLent is how many units of other streets a route's candidates
// hold when lending (its own street's are all there).
const kRouteLent = 32

// addRoutes numbers the plan's routes as areas G.. (after the grids, so
// that gStreet, gIn, gX and gY are by area) and returns their ids by code.
func (s *solver) addRoutes(street func(string) int32, gridRow map[string]int32, kx, ky float64) map[string]int32 {
	p, S := s.p, s.S
	defs := make([]data.ShiftDef, S)
	for c, sh := range s.shifts {
		for _, d := range p.Shifts {
			if d.Name == sh.Name {
				defs[c] = d
			}
		}
	}
	routeID := make(map[string]int32, len(p.Routes))
	mark := make([]int32, s.G) // the route that last listed each grid, +1
	for i := range p.Routes {
		rt := &p.Routes[i]
		if _, ok := routeID[rt.Code]; ok {
			continue
		}
		r := int32(len(s.rRow))
		routeID[rt.Code] = r
		s.rRow = append(s.rRow, int32(i))
		var gs []int32
		for _, code := range rt.Grids {
			if g, ok := gridRow[code]; ok && mark[g] != r+1 {
				mark[g] = r + 1
				gs = append(gs, g)
			}
		}
		s.rGrids = append(s.rGrids, gs)
		in := strings.HasPrefix(rt.Street, p.Jurisdiction)
		s.gStreet = append(s.gStreet, street(rt.Street))
		s.gIn = append(s.gIn, in)
		s.gX = append(s.gX, rt.At[0]*kx)
		s.gY = append(s.gY, rt.At[1]*ky)
		for c := range S {
			s.rWalk = append(s.rWalk, in && len(gs) > 0 && data.RouteWalkable(rt.Times, defs[c]))
		}
	}
	s.R = len(s.rRow)
	if s.R > 0 {
		s.gRoutes = make([][]int32, s.G)
		for r, gs := range s.rGrids {
			for _, g := range gs {
				s.gRoutes[g] = append(s.gRoutes[g], int32(r))
			}
		}
	}
	return routeID
}

// initRoutes counts the routes' open and held grids once the kept
// assignments are in, and finds their candidate units.
func (s *solver) initRoutes() {
	if s.R == 0 {
		return
	}
	S := s.S
	s.rOpen = make([]int32, s.R*S)
	s.rHeld = make([]int32, s.R*S)
	for r, gs := range s.rGrids {
		for _, g := range gs {
			for c := range S {
				if n := s.need[int(g)*S+c]; n > 0 {
					s.rOpen[r*S+c]++
				}
				s.rHeld[r*S+c]++ // kept ones never take need below 0
			}
		}
	}
	byStreet := make([][]int32, len(s.streets))
	var all []int32
	for u := range s.uRow {
		byStreet[s.uStreet[u]] = append(byStreet[s.uStreet[u]], int32(u))
		all = append(all, int32(u))
	}
	var others *bucketIndex
	if s.lending {
		others = newBucketIndex(all, s.uX, s.uY)
	}
	s.routeCands = make([][]cand, s.R)
	s.unitRoutes = make([][]cand, len(s.uRow))
	var nb []neighbor
	for r := range s.R {
		if !slices.Contains(s.rWalk[r*S:(r+1)*S], true) {
			continue
		}
		a := s.G + r
		var cs []cand
		for _, u := range byStreet[s.gStreet[a]] {
			cs = append(cs, cand{u, s.cost(int(u), a)})
		}
		if others != nil {
			nb = others.nearest(s.gX[a], s.gY[a], kRouteLent, nb[:0])
			for _, n := range nb {
				if s.uStreet[n.id] != s.gStreet[a] {
					cs = append(cs, cand{n.id, s.cost(int(n.id), a)})
				}
			}
		}
		slices.SortFunc(cs, func(x, y cand) int { return cmp.Or(cmp.Compare(x.cost, y.cost), cmp.Compare(x.id, y.id)) })
		s.routeCands[r] = cs
		for _, cd := range cs {
			s.unitRoutes[cd.id] = append(s.unitRoutes[cd.id], cand{int32(r), cd.cost})
		}
	}
}

// routeNeedChanged keeps the counts of the routes crossing grid g when
// its need in shift c went from was to now (one apart).
func (s *solver) routeNeedChanged(g, c int, was, now int32) {
	var dOpen, dHeld int32
	switch {
	case was == 1 && now == 0:
		dOpen = -1
	case was == 0 && now == 1:
		dOpen = 1
	case was == 0 && now == -1:
		dHeld = -1
	case was == -1 && now == 0:
		dHeld = 1
	default:
		return
	}
	for _, r := range s.gRoutes[g] {
		i := int(r)*s.S + c
		s.rOpen[i] += dOpen
		s.rHeld[i] += dHeld
	}
}

// unitRoutesOf is the routes unit u may walk, with their costs.
func (s *solver) unitRoutesOf(u int) []cand {
	if s.unitRoutes == nil {
		return nil
	}
	return s.unitRoutes[u]
}

// walker is the cheapest unit that may walk route r in shift c now (own
// street first: lent ones cost lentCost more), or -1.
func (s *solver) walker(r, c int) int {
	for _, cd := range s.routeCands[r] {
		if s.canTake(int(cd.id), c) {
			return int(cd.id)
		}
	}
	return -1
}

// walkRoutes makes walks in the given shifts (nil: the whole week) by
// lazy greedy: the walk filling the most open slots first (each by its
// cheapest free unit), again and again while one fills at least
// minWalkGain and has a unit to walk it. A walk only lowers what the
// others would fill (they share grids, never add to each other), so a
// walk's count when queued bounds it from above and a stale one is only
// queued again with its count now: the greedy's choices at a fraction of
// recounting every route after every walk.
func (s *solver) walkRoutes(shifts []int) {
	if s.R == 0 {
		return
	}
	S := s.S
	if shifts == nil {
		for c := range S {
			shifts = append(shifts, c)
		}
	}
	var q walkQueue
	for _, c := range shifts {
		for r := range s.R {
			if i := r*S + c; s.rWalk[i] && s.rOpen[i] >= minWalkGain && len(s.routeCands[r]) > 0 {
				q = append(q, walk{s.rOpen[i], int32(r), int32(c)})
			}
		}
	}
	heap.Init(&q)
	for q.Len() > 0 {
		if s.tick() {
			return
		}
		w := heap.Pop(&q).(walk)
		r, c := int(w.r), int(w.c)
		gain := s.rOpen[r*S+c]
		if gain < minWalkGain {
			continue
		}
		if gain < w.gain {
			heap.Push(&q, walk{gain, w.r, w.c})
			continue
		}
		u := s.walker(r, c)
		if u < 0 {
			continue // units only get busier here: none will come free
		}
		s.assign(u, s.G+r, c)
		if g := s.rOpen[r*S+c]; g >= minWalkGain {
			heap.Push(&q, walk{g, w.r, w.c})
		}
	}
}

// walk is a route and shift queued with the slots it filled when queued.
type walk struct{ gain, r, c int32 }

// walkQueue is a max-heap of walks by gain, then shift and route (for a
// result that does not depend on the heap's history).
type walkQueue []walk

func (q walkQueue) Len() int { return len(q) }
func (q walkQueue) Less(i, j int) bool {
	a, b := q[i], q[j]
	return a.gain > b.gain || a.gain == b.gain && (a.c < b.c || a.c == b.c && a.r < b.r)
}
func (q walkQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *walkQueue) Push(x any)   { *q = append(*q, x.(walk)) }
func (q *walkQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	*q = old[:len(old)-1]
	return w
}

// held is how many slots unit u's new assignment in shift c fills that
// would open again without it: a grid not over-covered, or a route's
// held grids.
func (s *solver) held(u, c int) int {
	a := int(s.st[u*s.S+c])
	if a < s.G {
		if s.need[a*s.S+c] >= 0 {
			return 1
		}
		return 0
	}
	return int(s.rHeld[(a-s.G)*s.S+c])
}

// openGrid is the first grid route r crosses that misses patrols in
// shift c (-1 when none does): after a walk holding one slot is taken out,
// that slot's grid.
func (s *solver) openGrid(r, c int) int {
	for _, g := range s.rGrids[r] {
		if s.need[int(g)*s.S+c] > 0 {
			return int(g)
		}
	}
	return -1
}

// dropIdle takes out the new assignments that fill nothing — a grid a
// walk made later covers, a walk whose grids others cover — one at a
// time on the live state (of two walks covering each other's grids, one
// stays). Coverage is unchanged and travel falls.
func (s *solver) dropIdle() {
	S := s.S
	for u := range s.uRow {
		for c := range S {
			if s.st[u*S+c] >= 0 && s.held(u, c) == 0 {
				s.unassign(u, c)
			}
		}
	}
}

// bestArea is unit u's best new assignment in shift c given everyone
// else's: an open grid among its candidates or a route it may walk, by
// slots filled, then cost, then the shift's thinness; -1 when it may take none (it is not free in
// the shift, or nothing open is near).
func (s *solver) bestArea(u, c int) (int32, value) {
	S := s.S
	best, bestV := int32(-1), value{}
	if s.st[u*S+c] != stFree {
		return best, bestV
	}
	w := s.slotWeight(c)
	for _, cd := range s.unitCands[u] {
		if s.need[int(cd.id)*S+c] > 0 {
			best, bestV = cd.id, value{1, cd.cost, w}
			break
		}
	}
	for _, cd := range s.unitRoutesOf(u) {
		i := int(cd.id)*S + c
		if !s.rWalk[i] || s.rOpen[i] == 0 {
			continue
		}
		if v := (value{int(s.rOpen[i]), cd.cost, int64(s.rOpen[i]) * w}); best < 0 || v.better(bestV) {
			best, bestV = int32(s.G)+cd.id, v
		}
	}
	return best, bestV
}
