package autofill

import "slices"

// A small plan (a community's handful of units) can afford an exact
// neighbourhood the chains only sample: every set of up to three units is
// taken out together and their weeks chosen again jointly and exactly,
// everyone else's kept. This is what finds the moves that involve three
// units over several shifts at once (one takes another's early shift so
// that the second can work two later ones the third could not). Its cost
// grows with the cube of the units, so big plans do without it.
const subsetMaxUnits = 8

// improveSubsets runs the exact re-choice over every set of k units (k =
// min(3, units)) and reports whether any week improved.
func (s *solver) improveSubsets() bool {
	U := len(s.uRow)
	if U > subsetMaxUnits || U == 0 {
		return false
	}
	k := min(3, U)
	improved := false
	set := make([]int, k)
	var rec func(i, from int)
	rec = func(i, from int) {
		if i == k {
			if s.tick() {
				return
			}
			if s.resolveUnits(set) {
				improved = true
			}
			return
		}
		for u := from; u < U; u++ {
			set[i] = u
			rec(i+1, u+1)
		}
	}
	rec(0, 0)
	return improved
}

// resolveUnits takes the units' new assignments out and gives them the
// best joint weeks: a search over the shifts in time order, each unit
// idle, at a grid still short of patrols or walking a route that fills
// some (the units' choices in a shift counted together: two walks
// crossing a grid that misses one patrol fill it once), memoized on every unit's
// shift count and last shift (in a valid shift table rest from the last
// is rest from all, checked again on the way out all the same).
func (s *solver) resolveUnits(units []int) bool {
	S := s.S
	type old struct{ u, c, g int }
	var olds []old
	oldVal := value{cov: s.covered}
	openBefore := slices.Clone(s.shiftOpen)
	for _, u := range units {
		for c := range S {
			if g := int(s.st[u*S+c]); g >= 0 {
				olds = append(olds, old{u, c, g})
				oldVal.cost += s.cost(u, g)
				s.unassign(u, c)
			}
		}
	}
	oldVal.cov -= s.covered
	// Each shift's weight as the units' assignments left it, for the old
	// and every new choice alike.
	weight := make([]int64, S)
	for c := range S {
		weight[c] = s.slotWeight(c)
		oldVal.fair += int64(s.shiftOpen[c]-openBefore[c]) * weight[c]
	}
	k := len(units)
	count := make([]int32, k)
	last := make([]int, k)
	for i, u := range units {
		count[i] = s.cnt[u]
		last[i] = -1
	}
	type memoVal struct {
		v      value
		choice [3]int32 // grid per unit in this shift, -1 idle
	}
	memo := map[uint64]memoVal{}
	keyOf := func(c int) uint64 {
		key := uint64(c)
		for i := range k {
			key = key<<16 | uint64(count[i])<<8 | uint64(last[i]+1)
		}
		return key
	}
	var solve func(c int) value
	solve = func(c int) value {
		if c == S {
			return value{}
		}
		key := keyOf(c)
		if m, ok := memo[key]; ok {
			return m.v
		}
		best := memoVal{v: value{cov: -1}}
		var choice [3]int32
		var enum func(i int, acc value)
		enum = func(i int, acc value) {
			if i == k {
				saved := last
				savedCount := count
				last = append([]int(nil), last...)
				count = append([]int32(nil), count...)
				for j := range k {
					if choice[j] >= 0 {
						count[j]++
						last[j] = c
					}
				}
				sub := solve(c + 1)
				last, count = saved, savedCount
				v := acc.plus(sub)
				if v.better(best.v) {
					best = memoVal{v, choice}
				}
				return
			}
			choice[i] = -1
			enum(i+1, acc)
			u := units[i]
			if s.st[u*S+c] != stFree || count[i] >= s.K || last[i] >= 0 && s.clash[last[i]*S+c] {
				return
			}
			for _, cd := range s.unitCands[u] {
				g := int(cd.id)
				if s.need[g*S+c] <= 0 {
					continue
				}
				s.addNeed(g, c, -1)
				choice[i] = int32(g)
				enum(i+1, acc.plus(value{1, cd.cost, weight[c]}))
				s.addNeed(g, c, 1)
			}
			for _, cd := range s.unitRoutesOf(u) {
				r := int(cd.id)
				gain := int(s.rOpen[r*S+c])
				if !s.rWalk[r*S+c] || gain == 0 {
					continue
				}
				a := s.G + r
				s.patrol(a, c, -1)
				choice[i] = int32(a)
				enum(i+1, acc.plus(value{gain, cd.cost, int64(gain) * weight[c]}))
				s.patrol(a, c, 1)
			}
			choice[i] = -1
		}
		enum(0, value{})
		memo[key] = best
		return best.v
	}
	newVal := solve(0)
	if newVal.better(oldVal) {
		// Replay the choices from the memo.
		type made struct{ u, c, g int }
		var mades []made
		for c := range S {
			m := memo[keyOf(c)]
			for i := range k {
				if g := m.choice[i]; g >= 0 {
					mades = append(mades, made{units[i], c, int(g)})
					count[i]++
					last[i] = c
				}
			}
		}
		ok := true
		for i, a := range mades {
			for _, b := range mades[:i] {
				if a.u == b.u && s.clash[a.c*S+b.c] {
					ok = false
				}
			}
		}
		if ok {
			for _, m := range mades {
				s.assign(m.u, m.g, m.c)
			}
			return true
		}
	}
	for _, o := range olds {
		s.assign(o.u, o.g, o.c)
	}
	return false
}
