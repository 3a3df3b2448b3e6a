package autofill

// Spreading over the week. Units are short (a district has about a
// quarter of the unit shifts its slots ask for), and slots, lending and
// travel are indifferent to which shifts the units work: construction in
// time order takes every unit free in each shift in turn, and the units'
// most shifts are spent by midweek. The re-choice of each unit's week
// (improveUnits) would move them, but at equal cost it kept the first
// shifts found — and costs tie often: a unit's nearest open grid is the
// same grid in most shifts. So the objective has a fourth level, after
// slots, lending and travel: a slot filled weighs the share of its shift's
// required patrols still missing (slotWeight), and of two weeks equal
// otherwise a unit takes the one whose shifts are thinnest. On the
// district benchmark every shift then ends within a point of the week's
// coverage, where the first day had had ten times the last's.
//
// (Pacing construction instead — each unit allowed by each shift only its
// share of its remaining shifts — was tried: with the fourth level it
// changed nothing measurable, and without it the re-choice undid it.)

// initShiftCounts counts each shift's required patrols and those still
// missing once the kept assignments are in.
func (s *solver) initShiftCounts() {
	S := s.S
	s.shiftReq = make([]int32, S)
	s.shiftOpen = make([]int32, S)
	p := s.p
	for g := range s.gRow {
		pg := &p.Grids[s.gRow[g]]
		for c := range S {
			s.shiftReq[c] += int32(max(p.Rules.RequiredPatrols(pg.Kind, s.shifts[c].Name, pg.HighRisk), 0))
			s.shiftOpen[c] += max(s.need[g*S+c], 0)
		}
	}
}

// slotWeight is what a slot filled in shift c now weighs on the fourth
// level: the share of the shift's required patrols still missing, in
// 2⁻²⁰ (a week's sum of them stays far inside int64).
func (s *solver) slotWeight(c int) int64 {
	if s.shiftReq[c] == 0 {
		return 0
	}
	return int64(s.shiftOpen[c]) << 20 / int64(s.shiftReq[c])
}

// areaValue is one more patrol of area a in shift c, at cost, now: the
// slots it would fill, the cost, and their weight.
func (s *solver) areaValue(a, c int, cost int64) value {
	n := 0
	switch {
	case a >= s.G:
		n = int(s.rOpen[(a-s.G)*s.S+c])
	case s.need[a*s.S+c] > 0:
		n = 1
	}
	return value{n, cost, int64(n) * s.slotWeight(c)}
}
