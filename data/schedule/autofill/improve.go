package autofill

import (
	"cmp"
	"slices"
)

// Ejection chains. A chain starts at a hole — a missing patrol, or the
// slot of an assignment taken out (eject) — and moves it: a unit fills
// the hole, leaving the slot it gave up as the next hole, and so on. The
// steps:
//
//   - a unit free in the shift and rested fills the hole: one more slot
//     covered, and the chain may close;
//   - a unit patrolling another grid in the shift moves: its grid is the
//     next hole;
//   - a unit free in the shift but blocked by exactly one of its new
//     shifts (too little rest, or its most shifts) gives that one up: it is
//     the next hole — and the unit, now freer, may at once fill some other
//     hole (one shift given up for two).
//
// A chain closes when it leaves the plan better than it found it: more
// slots covered, or as many and cheaper (fewer lent, then less travel). A
// chain from a missing patrol may so end by leaving its last hole open
// (the same coverage, cheaper — as when a lent unit goes home to its
// street's hole and a unit of the grid's own street takes its place,
// giving up a shift where it was needed less); one from an ejected
// assignment must fill its last hole. Each step is made on the live state
// and undone when the chain beneath it fails, so every rule is checked
// against the assignments as they then are. Depth and work per chain are
// bounded: this repairs what the shift-by-shift construction and the
// single-unit and single-shift moves cannot reach, it does not search the
// whole week.
//
// Walks take no part in chains: a unit walking a route stays on it, and
// a shift it walks in blocks it like a kept one. A hole a walk covers
// meanwhile (the unit that left a grid was not needed there) is no hole:
// the chain gains the slot and may close.

// chainLimits are the work and depth allowed for one chain: small plans
// get a near-exhaustive search, big ones a bounded one.
func (s *solver) chainLimits() (perChain, depth int) {
	if len(s.uRow) <= 16 {
		return 1 << 16, 12
	}
	return 64, 4
}

// augmentCoverage runs chains from every missing patrol. In a big plan
// where no unit has room for another shift none can cover more, and the
// cheaper-at-equal-coverage chains are left to ejectChains, which starts
// from the dear assignments rather than from every hole.
func (s *solver) augmentCoverage() bool {
	S := s.S
	if s.seen == nil {
		s.seen = make([]int32, len(s.gRow)*S)
	}
	perChain, depth := s.chainLimits()
	if perChain < 1<<16 && !s.anyRoom() {
		return false
	}
	s.maxDepth = depth
	total := 200_000 + 64*len(s.uRow)
	improved := false
	for c := range S {
		for g := range s.gRow {
			for s.gIn[g] && s.need[g*S+c] > 0 && len(s.gridCands[g]) > 0 && total > 0 {
				if s.tick() {
					return improved
				}
				s.stamp++
				s.budget = perChain
				ok := s.fill(g, c, 0, 0, 0)
				total -= perChain - s.budget
				if !ok {
					break
				}
				improved = true
			}
		}
	}
	return improved
}

// anyRoom is whether some unit may take some shift now.
func (s *solver) anyRoom() bool {
	for u := range s.uRow {
		if s.cnt[u] < s.K {
			for c := range s.S {
				if s.canTake(u, c) {
					return true
				}
			}
		}
	}
	return false
}

// ejectChains takes assignments out one at a time, dearest first, and
// looks for a chain that fills the hole more cheaply. In big plans only
// the lent ones and the dearest twentieth are tried. A walk that fills
// one slot only (others cover the rest of its route) is tried like a
// grid: taken out, it leaves that one hole.
func (s *solver) ejectChains() bool {
	S := s.S
	if s.seen == nil {
		s.seen = make([]int32, len(s.gRow)*S)
	}
	type start struct {
		u, c int32
		cost int64
	}
	var starts []start
	for u := range s.uRow {
		for c := range S {
			if a := s.st[u*S+c]; a >= 0 && s.held(u, c) == 1 {
				starts = append(starts, start{int32(u), int32(c), s.cost(u, int(a))})
			}
		}
	}
	slices.SortFunc(starts, func(a, b start) int {
		return cmp.Or(cmp.Compare(b.cost, a.cost), cmp.Compare(a.u, b.u), cmp.Compare(a.c, b.c))
	})
	perChain, depth := s.chainLimits()
	s.maxDepth = depth
	if perChain < 1<<16 {
		n := len(starts) / 20
		for n < len(starts) && starts[n].cost >= lentCost {
			n++
		}
		starts = starts[:n]
	}
	total := 200_000 + 64*len(s.uRow)
	improved := false
	for _, st := range starts {
		u, c := int(st.u), int(st.c)
		a := int(s.st[u*S+c])
		if a < 0 || total <= 0 || s.held(u, c) != 1 {
			continue // moved, or its walk changed, by an earlier chain
		}
		if s.tick() {
			return improved
		}
		s.stamp++
		s.budget = perChain
		s.unassign(u, c)
		g := a
		if a >= s.G {
			g = s.openGrid(a-s.G, c)
		}
		// u may not simply come back: mark it so while the chain runs.
		s.st[u*S+c] = stOff
		ok := s.fill(g, c, 0, -1, -s.cost(u, a))
		s.st[u*S+c] = stFree
		total -= perChain - s.budget
		if ok {
			improved = true
		} else {
			s.assign(u, a, c)
		}
	}
	return improved
}

// closes is whether a chain that changed coverage by cov and cost by acc
// leaves the plan better.
func closes(cov int, acc int64) bool { return cov > 0 || cov == 0 && acc < 0 }

// fill moves the hole at grid g, shift c, on: cov and acc are the
// coverage and cost the chain has changed so far, this hole left open.
func (s *solver) fill(g, c, depth, cov int, acc int64) bool {
	S := s.S
	if s.need[g*S+c] <= 0 {
		return closes(cov+1, acc) // a walk covers it: no hole
	}
	if depth > 0 && closes(cov, acc) {
		return true // leave this hole open
	}
	if depth > s.maxDepth || s.budget <= 0 || s.seen[g*S+c] == s.stamp {
		return false
	}
	s.seen[g*S+c] = s.stamp
	s.budget--
	for _, cd := range s.gridCands[g] {
		u := int(cd.id)
		st := s.st[u*S+c]
		switch {
		case st == stKept || st == stOff || st == int32(g) || st >= int32(s.G):
			continue
		case st >= 0: // in another grid of the shift: move it
			g2 := s.unassign(u, c)
			s.assign(u, g, c)
			if s.fill(g2, c, depth+1, cov, acc+cd.cost-s.cost(u, g2)) {
				return true
			}
			s.unassign(u, c)
			s.assign(u, g2, c)
			continue
		}
		// Free in the shift: which of its new shifts block it?
		var blockers [2]int
		nb := 0
		for _, o := range s.conflct[c] {
			if a := s.st[u*S+int(o)]; a >= int32(s.G) {
				nb = len(blockers) + 1 // a walk is not given up
				break
			} else if a >= 0 {
				if nb == len(blockers) {
					nb++
					break
				}
				blockers[nb] = int(o)
				nb++
			}
		}
		over := s.cnt[u]-int32(nb) >= s.K
		switch {
		case nb > len(blockers):
		case nb == 0 && !over:
			if s.take(u, g, c, cov, acc+cd.cost) {
				return true
			}
		case nb > 0 && !over:
			if s.giveUp(u, blockers[:nb], g, c, depth, cov, acc+cd.cost) {
				return true
			}
		case nb == 0 && over:
			for c2 := range S {
				if a := s.st[u*S+c2]; a >= 0 && a < int32(s.G) && s.giveUp(u, []int{c2}, g, c, depth, cov, acc+cd.cost) {
					return true
				}
			}
		}
		if s.budget <= 0 {
			return false
		}
	}
	return false
}

// take closes a chain by unit u filling the hole (acc counts the pair's
// cost already), when that, or that and another hole it may then fill,
// leaves the plan better.
func (s *solver) take(u, g, c, cov int, acc int64) bool {
	if closes(cov+1, acc) {
		s.assign(u, g, c)
		return true
	}
	s.assign(u, g, c)
	if hc, hg, hcost := s.anyHole(u); hc >= 0 && closes(cov+2, acc+hcost) {
		s.assign(u, hg, hc)
		return true
	}
	s.unassign(u, c)
	return false
}

// giveUp moves unit u from its shifts drop (one, or two on either side
// for rest) to grid g in shift c (acc counts the new pair's cost already)
// and carries the chain on from a slot it left; undone when the chain
// fails. The unit, freer, may fill some other hole at once; a second
// slot given up stays open unless a later step fills it.
func (s *solver) giveUp(u int, drop []int, g, c, depth, cov int, acc int64) bool {
	var gs [2]int
	for i, c2 := range drop {
		gs[i] = s.unassign(u, c2)
		acc -= s.cost(u, gs[i])
	}
	s.assign(u, g, c)
	cov -= len(drop) - 1
	if hc, hg, hcost := s.anyHole(u); hc >= 0 && closes(cov+1, acc+hcost) {
		s.assign(u, hg, hc)
		return true
	}
	for i, c2 := range drop {
		if s.fill(gs[i], c2, depth+1, cov, acc) {
			return true
		}
	}
	s.unassign(u, c)
	for i, c2 := range drop {
		s.assign(u, gs[i], c2)
	}
	return false
}

// anyHole is the cheapest missing patrol unit u may take now in any
// shift: its shift, grid and cost, or -1.
func (s *solver) anyHole(u int) (int, int, int64) {
	S := s.S
	bestC, bestG := -1, -1
	var best int64
	if s.cnt[u] >= s.K {
		return -1, -1, 0
	}
	s.budget-- // a scan of the week: as dear as a step
	for c := range S {
		if !s.canTake(u, c) {
			continue
		}
		for _, cd := range s.unitCands[u] {
			if s.need[int(cd.id)*S+c] > 0 {
				if bestC < 0 || cd.cost < best {
					bestC, bestG, best = c, int(cd.id), cd.cost
				}
				break
			}
		}
	}
	return bestC, bestG, best
}

// improveUnits gives each unit in turn its best week given everyone
// else's: its new assignments are taken out, and a dynamic programme over
// the week's shifts in time order chooses the most slots (shifts rested
// from each other, within its most shifts), then the cheapest, then the
// thinnest shifts (fair.go: a unit's nearest open grid is often the same
// in most shifts, and ties went to the first), each shift at the unit's best area then (bestArea: its cheapest grid still
// short of patrols, or the route whose walk fills most). The old week
// comes back unless the new one is strictly better. This is what moves a
// unit's patrol from a shift where it was the only one near to one where
// another can stand in, what turns one shift into two where rest allowed
// it, and what trades a grid for a walk (or a walk that others' walks
// have made idle for a grid).
func (s *solver) improveUnits() bool {
	S := s.S
	improved := false
	bestA := make([]int32, S)
	bestV := make([]value, S)
	var dp []value
	var from []int16
	type old struct{ c, a int32 }
	var olds []old
	none := value{cov: -1}
	for u := range s.uRow {
		if s.tick() {
			return improved
		}
		olds = olds[:0]
		for c := range S {
			if a := s.st[u*S+c]; a >= 0 {
				olds = append(olds, old{int32(c), a})
				s.unassign(u, c)
			}
		}
		// The old week valued as the new: against the state without it,
		// shift by shift (one area a shift, so each alone).
		var oldV value
		for _, o := range olds {
			oldV = oldV.plus(s.areaValue(int(o.a), int(o.c), s.cost(u, int(o.a))))
		}
		room := int(s.K - s.cnt[u])
		if room <= 0 {
			for _, o := range olds {
				s.assign(u, int(o.a), int(o.c))
			}
			continue
		}
		for c := range S {
			bestA[c], bestV[c] = s.bestArea(u, c)
		}
		// dp[c*(room+1)+k]: the best k shifts, the last being c.
		w := room + 1
		dp = resize(dp, S*w)
		from = resize(from, S*w)
		for i := range dp {
			dp[i] = none
		}
		bestK, bestAt := 0, -1
		var bestTotal value
		for c := range S {
			if bestA[c] < 0 {
				continue
			}
			dp[c*w+1] = bestV[c]
			from[c*w+1] = -1
			for k := 2; k <= room; k++ {
				for c0 := range c {
					if s.clash[c0*S+c] || dp[c0*w+k-1] == none {
						continue
					}
					if v := dp[c0*w+k-1].plus(bestV[c]); v.better(dp[c*w+k]) {
						dp[c*w+k] = v
						from[c*w+k] = int16(c0)
					}
				}
			}
			for k := 1; k <= room; k++ {
				if v := dp[c*w+k]; v != none && (bestAt < 0 || v.better(bestTotal)) {
					bestK, bestAt, bestTotal = k, c, v
				}
			}
		}
		if bestAt >= 0 && bestTotal.better(oldV) {
			// Rest between consecutive choices implies it between all in
			// a valid shift table; check all the same, a table may be odd.
			var chosen []int
			for c, k := bestAt, bestK; k > 0; c, k = int(from[c*w+k]), k-1 {
				chosen = append(chosen, c)
			}
			ok := true
			for i := range chosen {
				for j := range i {
					if s.clash[chosen[i]*S+chosen[j]] {
						ok = false
					}
				}
			}
			if ok {
				for _, c := range chosen {
					s.assign(u, int(bestA[c]), c)
				}
				improved = true
				continue
			}
		}
		for _, o := range olds {
			s.assign(u, int(o.a), int(o.c))
		}
	}
	return improved
}

func resize[T any](xs []T, n int) []T {
	if cap(xs) < n {
		return make([]T, n)
	}
	return xs[:n]
}

// repairLending gives a lent unit's slot (a grid, or a walk) to a unit of
// the area's own street that is idle in the shift and may take it,
// wherever one is left: lending is for when the street has none.
func (s *solver) repairLending() {
	if !s.lending {
		return
	}
	S := s.S
	byStreet := make([][]int32, len(s.streets))
	for u := range s.uRow {
		byStreet[s.uStreet[u]] = append(byStreet[s.uStreet[u]], int32(u))
	}
	for u := range s.uRow {
		for c := range S {
			g := int(s.st[u*S+c])
			if g < 0 || s.uStreet[u] == s.gStreet[g] {
				continue
			}
			best, bestCost := -1, int64(0)
			for _, v := range byStreet[s.gStreet[g]] {
				if s.canTake(int(v), c) {
					if cost := s.cost(int(v), g); best < 0 || cost < bestCost {
						best, bestCost = int(v), cost
					}
				}
			}
			if best >= 0 {
				s.unassign(u, c)
				s.assign(best, g, c)
			}
		}
	}
}
