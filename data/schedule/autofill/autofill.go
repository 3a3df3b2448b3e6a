package autofill

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"kapok/data"
	"kapok/data/schedule"
)

// Result is what Fill proposes.
type Result struct {
	// Assignments are the new ones only (the plan's are kept as they
	// are), by shift in time order; in each shift the grid patrols first,
	// by grid in the plan's order, then the route walks (Route set, Grid
	// empty), by route in the plan's order; then unit code.
	Assignments []data.Assignment
	// Uncovered are the grids still short of patrols in a shift, by shift
	// in time order, then grid in the plan's order.
	Uncovered []Uncovered
	// Travel is the new assignments' total distance in metres from each
	// unit's home to its grid, or to its route's start (Distance).
	Travel float64
}

// Uncovered is a grid short of patrols in a shift after the fill, and why.
type Uncovered struct {
	Grid    string
	Shift   data.Shift
	Missing int
	Why     string // one of the Why… codes
}

// Why a slot stays uncovered.
const (
	// WhyNoUnitFree: units could patrol the grid, but each is taken in
	// that shift, resting, at its most shifts, or unavailable — or none
	// is left that is not needed more elsewhere.
	WhyNoUnitFree = "no_unit_free"
	// WhyNoUnitInStreet: lending is off and the grid's street has no unit.
	WhyNoUnitInStreet = "no_unit_in_street"
	// WhyOutsideJurisdiction: the grid is outside the acting user's
	// jurisdiction, or every unit that could patrol it is.
	WhyOutsideJurisdiction = "outside_jurisdiction"
)

// Distance is the travel metric: metres between two lon/lat points on the
// equirectangular projection at their mean latitude (orb's geo.Distance).
// Within a city it is the great-circle distance to well under 0.1%, at a
// fraction of haversine's cost, and the solver computes it for every
// candidate pair.
func Distance(a, b orb.Point) float64 { return geo.Distance(a, b) }

// Slot states of a unit in a shift (solver.st); a state ≥ 0 is the area of
// a new assignment: a grid (below solver.G) or a route (G + its index).
const (
	stFree = -1 // may be assigned, rules permitting
	stKept = -2 // a kept assignment in this shift
	stOff  = -3 // unavailable, or too close to a kept shift
)

// lentCost is added to the cost (decimetres) of a lent unit: more than any
// shift's total travel (10⁵ assignments × 10⁶ dm), so that fewer lent
// assignments always win over less travel — lending is used only when the
// grid's own street has no unit to cover it. It is no larger than that
// needs: the transport's potentials drift by up to a path's cost per
// augmentation, and must stay far inside int64.
const lentCost = int64(1) << 40

// Fill proposes assignments for the plan's week: see the package comment
// for what it optimizes and how. The plan is read, never changed. progress,
// when not nil, is called after each step with the steps done and the
// total; ctx is checked between steps and inside long ones, and its error
// returned when it is done.
func Fill(ctx context.Context, p *schedule.Plan, progress func(done, total int)) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	s := newSolver(ctx, p)
	steps := s.S * (1 + improveRounds)
	if s.R > 0 {
		steps++ // the week's route walks
	}
	done := 0
	step := func() {
		done++
		if progress != nil {
			progress(done, steps)
		}
	}
	if s.R > 0 {
		// Walks first, over the whole week: each fills several slots, and
		// a construction in time order would have spent the units on single
		// grids of the first days before the later days' walks came up.
		s.walkRoutes(nil)
		if err := s.checkCtx(); err != nil {
			return Result{}, err
		}
		step()
	}
	for c := range s.S {
		if err := s.checkCtx(); err != nil {
			return Result{}, err
		}
		s.solveShift(c)
		step()
	}
	for round := range improveRounds {
		if err := s.checkCtx(); err != nil {
			return Result{}, err
		}
		better := s.augmentCoverage()
		for c := range s.S {
			if err := s.checkCtx(); err != nil {
				return Result{}, err
			}
			if s.resolveShift(c) {
				better = true
			}
			step()
		}
		if s.improveUnits() {
			better = true
		}
		if s.ejectChains() {
			better = true
		}
		if s.improveSubsets() {
			better = true
		}
		if !better {
			for range (improveRounds - 1 - round) * s.S {
				step()
			}
			break
		}
	}
	if err := s.checkCtx(); err != nil {
		return Result{}, err
	}
	s.dropIdle()
	s.repairLending()
	return s.result(), nil
}

// improveRounds bounds the passes of coverage and travel improvement; each
// pass is as dear as the first construction, and the gains of a third
// round were found negligible on the benchmarks.
const improveRounds = 2

type solver struct {
	ctx   context.Context
	ticks int
	err   error

	p       *schedule.Plan
	shifts  []data.Shift
	S       int
	conflct [][]int32 // per shift: the others too close to it for rest
	clash   []bool    // S×S: too close for rest (or the same)
	K       int32     // most shifts a unit may have; S when the rules set none
	lending bool

	// Areas: the plan's grids (a code repeated is its first), the ones
	// outside the jurisdiction included (for Uncovered) but never filled,
	// then its routes (see routes.go): area G+r is route r. gStreet, gIn,
	// gX and gY are by area, so that cost, lending and candidates treat a
	// route's start like a grid's point.
	G       int
	gRow    []int32 // row in p.Grids, per grid
	gStreet []int32
	gIn     []bool
	gX, gY  []float64
	// need (g*S+c) is the patrols grid g still misses in shift c: what
	// the rules require less the kept assignments (never below 0), less
	// the new ones. A walk patrols grids that need nothing more, so it
	// may fall below 0: the cell is over-covered.
	need []int32
	// covered is the slots the new assignments fill: Σ over cells of what
	// was missing before them less what is missing now (need above 0).
	covered int
	routes
	// Units inside the jurisdiction (a code repeated is its first).
	uRow    []int32
	uStreet []int32
	uX, uY  []float64
	st      []int32 // u*S+c: stFree, stKept, stOff or a grid
	cnt     []int32 // distinct shifts: kept and new

	streets     []string
	streetUnits []int // all plan units of each street, in the jurisdiction or not
	streetIn    []int // those in the jurisdiction

	// Each shift's required patrols and those still missing (fair.go).
	shiftReq, shiftOpen []int32

	// Candidates: each grid's nearest eligible units and each unit's
	// nearest eligible grids, cheapest first, for the improvement moves.
	gridCands [][]cand
	unitCands [][]cand

	scratch []neighbor
	stampU  []int32 // per unit, for deduplicating; -1 between uses

	// Chain search (augmentCoverage): the holes seen in this search, the
	// work left and the deepest chain.
	seen             []int32
	stamp            int32
	budget, maxDepth int
}

// cand is a candidate partner and the cost of the pair.
type cand struct {
	id   int32
	cost int64
}

func (s *solver) checkCtx() error {
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}

// tick checks the context every so many calls from inner loops.
func (s *solver) tick() bool {
	s.ticks++
	if s.ticks&1023 == 0 {
		return s.checkCtx() != nil // the error is kept in s.err
	}
	return s.err != nil
}

func newSolver(ctx context.Context, p *schedule.Plan) *solver {
	s := &solver{ctx: ctx, p: p, lending: p.Rules.AllowLending}
	s.shifts = data.WeekShifts(p.Week, p.Shifts)
	S := len(s.shifts)
	s.S = S
	starts := make([]int64, S)
	ends := make([]int64, S)
	for c, sh := range s.shifts {
		a, b := sh.Span(p.Shifts)
		starts[c], ends[c] = a.Unix(), b.Unix()
	}
	rest := int64(p.Rules.MinRest / time.Second)
	s.clash = make([]bool, S*S)
	s.conflct = make([][]int32, S)
	for a := range S {
		for b := range S {
			// Rest runs from the end of the earlier to the start of the
			// later; overlapping spans have less than none.
			gap := starts[b] - ends[a]
			if starts[a] > starts[b] || starts[a] == starts[b] && a > b {
				gap = starts[a] - ends[b]
			}
			if a == b || gap < rest {
				s.clash[a*S+b] = true
				if a != b {
					s.conflct[a] = append(s.conflct[a], int32(b))
				}
			}
		}
	}
	s.K = int32(p.Rules.MaxShifts)
	if s.K <= 0 || int(s.K) > S {
		s.K = int32(S)
	}

	streetID := map[string]int32{}
	street := func(name string) int32 {
		id, ok := streetID[name]
		if !ok {
			id = int32(len(s.streets))
			streetID[name] = id
			s.streets = append(s.streets, name)
			s.streetUnits = append(s.streetUnits, 0)
			s.streetIn = append(s.streetIn, 0)
		}
		return id
	}
	jur := p.Jurisdiction

	// A planar projection for the indexes: metres east and north at the
	// plan's mean latitude.
	lat0 := 0.0
	for i := range p.Grids {
		lat0 += p.Grids[i].At[1]
	}
	if len(p.Grids) > 0 {
		lat0 /= float64(len(p.Grids))
	}
	kx := orb.EarthRadius * math.Pi / 180 * math.Cos(lat0*math.Pi/180)
	ky := orb.EarthRadius * math.Pi / 180

	gridRow := make(map[string]int32, len(p.Grids))
	for i := range p.Grids {
		g := &p.Grids[i]
		if _, ok := gridRow[g.Code]; ok {
			continue
		}
		gridRow[g.Code] = int32(len(s.gRow))
		s.gRow = append(s.gRow, int32(i))
		s.gStreet = append(s.gStreet, street(g.Street))
		s.gIn = append(s.gIn, strings.HasPrefix(g.Code, jur))
		s.gX = append(s.gX, g.At[0]*kx)
		s.gY = append(s.gY, g.At[1]*ky)
	}
	G := len(s.gRow)
	s.G = G
	routeID := s.addRoutes(street, gridRow, kx, ky)
	s.need = make([]int32, G*S)
	for g := range G {
		pg := &p.Grids[s.gRow[g]]
		for c := range S {
			s.need[g*S+c] = int32(max(p.Rules.RequiredPatrols(pg.Kind, s.shifts[c].Name, pg.HighRisk), 0))
		}
	}

	unitRow := make(map[string]int32, len(p.Units))
	seenUnit := make(map[string]bool, len(p.Units))
	for i := range p.Units {
		u := &p.Units[i]
		if seenUnit[u.Code] {
			continue
		}
		seenUnit[u.Code] = true
		st := street(u.Street)
		s.streetUnits[st]++
		if !strings.HasPrefix(u.Grid, jur) {
			continue
		}
		s.streetIn[st]++
		unitRow[u.Code] = int32(len(s.uRow))
		s.uRow = append(s.uRow, int32(i))
		s.uStreet = append(s.uStreet, st)
		s.uX = append(s.uX, u.At[0]*kx)
		s.uY = append(s.uY, u.At[1]*ky)
	}
	U := len(s.uRow)
	s.st = make([]int32, U*S)
	s.cnt = make([]int32, U)
	for i := range s.st {
		s.st[i] = stFree
	}
	keys := make([]string, S)
	for c, sh := range s.shifts {
		keys[c] = sh.String()
	}
	for u := range U {
		if un := p.Units[s.uRow[u]].Unavailable; len(un) > 0 {
			for c := range S {
				if un[keys[c]] {
					s.st[u*S+c] = stOff
				}
			}
		}
	}

	// Kept assignments: a unit counts once in a grid and shift (made twice,
	// or a grid and a route crossing it, is once: as schedule.Cover
	// counts), a route in every grid it crosses, and the shift is the
	// unit's whatever its area, known or not. Those outside the week have
	// no place in its time and count for nothing.
	col := weekColumns(p.Week, p.Shifts, s.shifts)
	type key struct {
		unit string
		g    int32
		c    int
	}
	seen := make(map[key]bool, len(p.Assignments))
	count := func(unit string, g int32, c int) {
		if seen[key{unit, g, c}] {
			return
		}
		seen[key{unit, g, c}] = true
		if s.need[int(g)*S+c] > 0 {
			s.need[int(g)*S+c]--
		}
	}
	for _, a := range p.Assignments {
		c := col(a.Shift)
		if c < 0 {
			continue
		}
		if a.Route != "" {
			if r, ok := routeID[a.Route]; ok {
				for _, g := range s.rGrids[r] {
					count(a.Unit, g, c)
				}
			}
		} else if g, ok := gridRow[a.Grid]; ok {
			count(a.Unit, g, c)
		}
		if u, ok := unitRow[a.Unit]; ok && s.st[int(u)*S+c] != stKept {
			s.st[int(u)*S+c] = stKept
			s.cnt[u]++
		}
	}
	// A kept shift puts the shifts too close to it off; kept ones stay
	// kept (two kept shifts too close are Check's to report).
	for u := range U {
		for c := range S {
			if s.st[u*S+c] != stKept {
				continue
			}
			for _, o := range s.conflct[c] {
				if s.st[u*S+int(o)] == stFree {
					s.st[u*S+int(o)] = stOff
				}
			}
		}
	}
	s.buildCandidates()
	s.initRoutes()
	s.initShiftCounts()
	return s
}

// weekColumns returns the column of a shift among the week's, or -1: by
// its day's offset from Monday and its name, as Check places shifts.
func weekColumns(w data.Week, defs []data.ShiftDef, shifts []data.Shift) func(data.Shift) int {
	monday := w.Monday().Unix()
	perDay := 0
	if len(shifts) > 0 {
		perDay = len(shifts) / 7
	}
	return func(sh data.Shift) int {
		if perDay == 0 || sh.Day.Nanosecond() != 0 {
			return -1
		}
		d := sh.Day.Unix() - monday
		if d < 0 || d%86400 != 0 || d/86400 >= 7 {
			return -1
		}
		day := int(d / 86400)
		for i := range perDay {
			if shifts[day*perDay+i].Name == sh.Name {
				return day*perDay + i
			}
		}
		return -1
	}
}

// Costs are decimetres of travel on the plan's planar projection, plus
// lentCost for a lent pair. The projection (one standard parallel, the
// plan's mean latitude) is within 0.3% of Distance across a city and
// needs no trigonometry: the solver prices millions of pairs. Result
// travel is Distance itself.
func (s *solver) cost(u, g int) int64 {
	dx, dy := s.uX[u]-s.gX[g], s.uY[u]-s.gY[g]
	c := int64(math.Sqrt(dx*dx+dy*dy)*10 + 0.5)
	if s.uStreet[u] != s.gStreet[g] {
		c += lentCost
	}
	return c
}

// value is what a change is worth: slots covered, then cost (lent, then
// travel: see cost), then how thin the shifts it fills were (fair.go).
type value struct {
	cov  int
	cost int64
	fair int64
}

func (a value) better(b value) bool {
	if a.cov != b.cov {
		return a.cov > b.cov
	}
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	return a.fair > b.fair
}

func (a value) plus(b value) value { return value{a.cov + b.cov, a.cost + b.cost, a.fair + b.fair} }

// canTake is whether unit u may be given shift c now: free in it, under
// its most shifts, and rested from its other new shifts (kept ones are
// folded into stOff).
func (s *solver) canTake(u, c int) bool {
	S := s.S
	if s.st[u*S+c] != stFree || s.cnt[u] >= s.K {
		return false
	}
	for _, o := range s.conflct[c] {
		if s.st[u*S+int(o)] >= 0 {
			return false
		}
	}
	return true
}

// assign gives unit u area a (a grid, or G + a route) in shift c.
func (s *solver) assign(u, a, c int) {
	s.st[u*s.S+c] = int32(a)
	s.cnt[u]++
	s.patrol(a, c, -1)
}

// unassign takes unit u's new assignment in shift c out and returns its
// area.
func (s *solver) unassign(u, c int) int {
	a := int(s.st[u*s.S+c])
	s.st[u*s.S+c] = stFree
	s.cnt[u]--
	s.patrol(a, c, 1)
	return a
}

// patrol changes the need of the grids area a patrols in shift c by d:
// -1 for one more patrol, +1 for one fewer.
func (s *solver) patrol(a, c int, d int32) {
	if a < s.G {
		s.addNeed(a, c, d)
		return
	}
	for _, g := range s.rGrids[a-s.G] {
		s.addNeed(int(g), c, d)
	}
}

// addNeed changes grid g's need in shift c by d (±1) and keeps what
// depends on it: the slots covered and the routes' counts.
func (s *solver) addNeed(g, c int, d int32) {
	i := g*s.S + c
	was := s.need[i]
	now := was + d
	s.need[i] = now
	if d < 0 && was > 0 {
		s.covered++
		s.shiftOpen[c]--
	} else if d > 0 && now > 0 {
		s.covered--
		s.shiftOpen[c]++
	}
	if len(s.gRoutes) > 0 && len(s.gRoutes[g]) > 0 {
		s.routeNeedChanged(g, c, was, now)
	}
}

// Candidate list sizes: a grid's nearest units of its own street, and with
// lending its nearest of any street. 24 own keeps every shift's matching
// within a few hundred metres of the greedy-free optimum on the
// benchmarks; the lent ones are a fallback, fewer suffice.
const (
	kOwn = 24
	kAll = 12
)

// buildCandidates fills gridCands and unitCands: for each grid in the
// jurisdiction its nearest own-street units (and, lending, nearest of
// any), and the same from each unit to grids, merged both ways so that a
// pair one side found is known to the other.
func (s *solver) buildCandidates() {
	G, U := len(s.gRow), len(s.uRow)
	var gIDs, uIDs []int32
	for g := range G {
		if s.gIn[g] {
			gIDs = append(gIDs, int32(g))
		}
	}
	for u := range U {
		uIDs = append(uIDs, int32(u))
	}
	pairs := s.nearPairs(gIDs, uIDs)
	s.gridCands = make([][]cand, G)
	s.unitCands = make([][]cand, U)
	for _, pr := range pairs {
		c := s.cost(int(pr[1]), int(pr[0]))
		s.gridCands[pr[0]] = append(s.gridCands[pr[0]], cand{pr[1], c})
		s.unitCands[pr[1]] = append(s.unitCands[pr[1]], cand{pr[0], c})
	}
	byCost := func(a, b cand) int {
		if a.cost != b.cost {
			if a.cost < b.cost {
				return -1
			}
			return 1
		}
		return int(a.id - b.id)
	}
	for _, l := range s.gridCands {
		slices.SortFunc(l, byCost)
	}
	for _, l := range s.unitCands {
		slices.SortFunc(l, byCost)
	}
}

// nearPairs returns the eligible (grid, unit) pairs where either is among
// the other's nearest (kOwn of its street, and kAll of any when lending),
// each once, sorted by grid then unit.
func (s *solver) nearPairs(grids, units []int32) [][2]int32 {
	nS := len(s.streets)
	gBy := make([][]int32, nS)
	uBy := make([][]int32, nS)
	for _, g := range grids {
		gBy[s.gStreet[g]] = append(gBy[s.gStreet[g]], g)
	}
	for _, u := range units {
		uBy[s.uStreet[u]] = append(uBy[s.uStreet[u]], u)
	}
	gIdx := make([]*bucketIndex, nS)
	uIdx := make([]*bucketIndex, nS)
	for st := range nS {
		if len(gBy[st]) > 0 && len(uBy[st]) > 0 {
			gIdx[st] = newBucketIndex(gBy[st], s.gX, s.gY)
			uIdx[st] = newBucketIndex(uBy[st], s.uX, s.uY)
		}
	}
	var gAll, uAll *bucketIndex
	if s.lending {
		gAll = newBucketIndex(grids, s.gX, s.gY)
		uAll = newBucketIndex(units, s.uX, s.uY)
	}
	// Pairs found from both sides, grouped by grid with a counting sort
	// and deduplicated with a stamp per unit: the sets are big (a city's
	// shift has a million pairs) and a comparison sort was a third of the
	// solve.
	var found [][2]int32
	nb := s.scratch[:0]
	for _, g := range grids {
		nb = nb[:0]
		if ix := uIdx[s.gStreet[g]]; ix != nil {
			nb = ix.nearest(s.gX[g], s.gY[g], kOwn, nb)
		}
		if uAll != nil {
			nb = uAll.nearest(s.gX[g], s.gY[g], kAll, nb)
		}
		for _, n := range nb {
			found = append(found, [2]int32{g, n.id})
		}
	}
	for _, u := range units {
		nb = nb[:0]
		if ix := gIdx[s.uStreet[u]]; ix != nil {
			nb = ix.nearest(s.uX[u], s.uY[u], kOwn, nb)
		}
		if gAll != nil {
			nb = gAll.nearest(s.uX[u], s.uY[u], kAll, nb)
		}
		for _, n := range nb {
			found = append(found, [2]int32{n.id, u})
		}
	}
	s.scratch = nb
	G := len(s.gRow)
	head := make([]int32, G+1)
	for _, pr := range found {
		head[pr[0]+1]++
	}
	for g := range G {
		head[g+1] += head[g]
	}
	sorted := make([][2]int32, len(found))
	for _, pr := range found {
		sorted[head[pr[0]]] = pr
		head[pr[0]]++
	}
	if len(s.stampU) < len(s.uRow) {
		s.stampU = make([]int32, len(s.uRow))
		for i := range s.stampU {
			s.stampU[i] = -1
		}
	}
	out := sorted[:0]
	for _, pr := range sorted { // grids ascending: a grid's pairs are together
		if s.stampU[pr[1]] != pr[0] {
			s.stampU[pr[1]] = pr[0]
			out = append(out, pr)
		}
	}
	for _, pr := range out {
		s.stampU[pr[1]] = -1
	}
	return out
}
