package autofill

import (
	"cmp"
	"slices"
)

// solveShift fills shift c as well as it can with the units that may take
// it now: the most slots, then the fewest lent, then the least travel,
// over a sparse graph of near pairs.
func (s *solver) solveShift(c int) {
	var grids, units []int32
	for g := range s.gRow {
		if s.gIn[g] && s.need[g*s.S+c] > 0 {
			grids = append(grids, int32(g))
		}
	}
	for u := range s.uRow {
		if s.canTake(u, c) {
			units = append(units, int32(u))
		}
	}
	// A slot left over by the sparse graph (its near units all taken)
	// gets another round among the leftovers only, with their own near
	// pairs: cheap, and it recovers what sparsity lost of the count.
	for round := 0; round < 4 && len(grids) > 0 && len(units) > 0; round++ {
		if s.solveSet(c, grids, units) == 0 {
			break
		}
		grids = slicesFilter(grids, func(g int32) bool { return s.need[int(g)*s.S+c] > 0 })
		units = slicesFilter(units, func(u int32) bool { return s.canTake(int(u), c) })
	}
}

func slicesFilter(xs []int32, keep func(int32) bool) []int32 {
	out := xs[:0]
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// solveSet matches the given open grids and free units of shift c, one
// transport problem per component (a street when lending is off, all of
// them when it is on), and returns the assignments made.
func (s *solver) solveSet(c int, grids, units []int32) int {
	pairs := s.nearPairs(grids, units) // by grid
	if len(pairs) == 0 {
		return 0
	}
	made := 0
	if s.lending {
		return s.solveComponent(c, pairs)
	}
	// Without lending, pairs are within streets: cut them by street (a
	// unit must be in one component only, or it could be matched twice).
	slices.SortStableFunc(pairs, func(a, b [2]int32) int {
		return cmp.Compare(s.gStreet[a[0]], s.gStreet[b[0]])
	})
	start := 0
	for i := 1; i <= len(pairs); i++ {
		if i == len(pairs) || s.gStreet[pairs[i][0]] != s.gStreet[pairs[start][0]] {
			made += s.solveComponent(c, pairs[start:i])
			start = i
		}
	}
	return made
}

// solveComponent solves one connected set of (grid, unit) pairs of shift c.
// The smaller side is the left, processed copy by copy, so that every
// left copy finds a partner and the flow is least-cost among the maximum
// ones (see transport).
func (s *solver) solveComponent(c int, pairs [][2]int32) int {
	S := s.S
	// Local numbering of the grids (pairs are sorted by grid) and units.
	gLoc := make([]int32, 0, 64)
	uLoc := make([]int32, 0, 64)
	if len(s.stampU) < len(s.uRow) {
		s.stampU = make([]int32, len(s.uRow))
		for i := range s.stampU {
			s.stampU[i] = -1
		}
	}
	uIdx := s.stampU // local number of a unit, -1 when it has none yet
	defer func() {
		for _, u := range uLoc {
			uIdx[u] = -1
		}
	}()
	gOf := make([]int32, len(pairs))
	uOf := make([]int32, len(pairs))
	for i, pr := range pairs {
		if i == 0 || pairs[i-1][0] != pr[0] {
			gLoc = append(gLoc, pr[0])
		}
		gOf[i] = int32(len(gLoc) - 1)
		id := uIdx[pr[1]]
		if id < 0 {
			id = int32(len(uLoc))
			uIdx[pr[1]] = id
			uLoc = append(uLoc, pr[1])
		}
		uOf[i] = id
	}
	demand := 0
	for _, g := range gLoc {
		demand += int(s.need[int(g)*S+c])
	}
	unitsLeft := len(uLoc) <= demand

	var nL, nR int
	var leftOf, rightOf []int32
	var capR []int32
	if unitsLeft {
		nL, nR = len(uLoc), len(gLoc)
		leftOf, rightOf = uOf, gOf
		capR = make([]int32, nR)
		for i, g := range gLoc {
			capR[i] = s.need[int(g)*S+c]
		}
	} else {
		nL, nR = len(gLoc), len(uLoc)
		leftOf, rightOf = gOf, uOf
		capR = make([]int32, nR)
		for i := range capR {
			capR[i] = 1
		}
	}
	// CSR by left node.
	head := make([]int32, nL+1)
	for _, l := range leftOf {
		head[l+1]++
	}
	for l := range nL {
		head[l+1] += head[l]
	}
	to := make([]int32, len(pairs))
	cost := make([]int64, len(pairs))
	fill := append([]int32(nil), head[:nL]...)
	for i := range pairs {
		l := leftOf[i]
		e := fill[l]
		fill[l]++
		to[e] = rightOf[i]
		cost[e] = s.cost(int(pairs[i][1]), int(pairs[i][0]))
	}
	t := newTransport(nL, nR, capR, head, to, cost)
	for l := range nL {
		copies := 1
		if !unitsLeft {
			copies = int(s.need[int(gLoc[l])*S+c])
		}
		for range copies {
			if s.tick() {
				return 0
			}
			if !t.augment(l) {
				break // a copy that finds no path now never will
			}
		}
	}
	made := 0
	for e, f := range t.eFlow {
		if !f {
			continue
		}
		l, r := t.eFrom[e], t.eTo[e]
		var g, u int32
		if unitsLeft {
			g, u = gLoc[r], uLoc[l]
		} else {
			g, u = gLoc[l], uLoc[r]
		}
		s.assign(int(u), int(g), c)
		made++
	}
	return made
}

// resolveShift takes shift c's new assignments out and solves the shift
// again given every other shift — its walks (walkRoutes), then its grids
// — the units that rest or shifts elsewhere now allow may fill it better.
// The old assignments come back unless the new ones are strictly better
// (sparsity can make a solve miss a pair the old one had).
func (s *solver) resolveShift(c int) bool {
	S := s.S
	type old struct{ u, a int32 }
	var olds []old
	oldV := value{cov: s.covered}
	for u := range s.uRow {
		if a := s.st[u*S+c]; a >= 0 {
			olds = append(olds, old{int32(u), a})
			oldV.cost += s.cost(u, int(a))
			s.unassign(u, c)
		}
	}
	base := s.covered
	oldV.cov -= base
	s.walkRoutes([]int{c})
	s.solveShift(c)
	newV := value{cov: s.covered - base}
	for u := range s.uRow {
		if a := s.st[u*S+c]; a >= 0 {
			newV.cost += s.cost(u, int(a))
		}
	}
	if newV.better(oldV) {
		return true
	}
	for u := range s.uRow {
		if s.st[u*S+c] >= 0 {
			s.unassign(u, c)
		}
	}
	for _, o := range olds {
		s.assign(int(o.u), int(o.a), c)
	}
	return false
}
