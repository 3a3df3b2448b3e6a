// Package autofill proposes a week's patrol assignments for a plan
// (schedule.Plan): Fill adds to the plan's kept assignments, never
// changes them, and returns the new ones, what is still missing and why,
// and the new ones' travel.
//
// # What it optimizes
//
// A slot is one required patrol of a grid in a shift (the rules' count
// for the grid's kind and the shift, plus the high-risk extra, less the
// kept assignments there). Fill keeps every rule — a unit in one grid a
// shift, at most Rules.MaxShifts distinct shifts a week (kept ones
// counted; none set, no limit), at least Rules.MinRest between the spans
// of any two of its shifts (adjacent shifts have none), never in a shift
// it is unavailable in, grids and units only inside Plan.Jurisdiction, a
// unit in its own street unless lending is allowed — and, in this order:
//
//  1. covers as many slots as it can;
//  2. lends as few units as it can (a lent unit stands in only where the
//     grid's street has no unit to cover it: no unit of that street is
//     idle in the shift and able to take it);
//  3. travels as little as it can: the sum over new assignments of the
//     distance from the unit's home to the grid (Distance).
//
// The problem is NP-hard in general (units' weeks are constrained paths
// through the shifts: rest and the most shifts tie a unit's choices across
// the week), so Fill is a heuristic, checked against an exhaustive search
// on small plans (see the tests: on thousands of random plans of up to six
// units, five grids and six open shifts it covered and lent exactly as the
// optimum, its travel within 7% of the least).
//
// # How
//
// Construction. Shifts in time order; in each, the units that may take it
// given the shifts already decided (free, rested, under their most
// shifts, available) are matched to the open slots by a min-cost
// transportation problem (transport): the cost of a pair is its travel in
// decimetres plus, for a lent pair, a constant larger than any shift's
// total travel, so that the optimum lends least and then travels least.
// The graph is sparse — each open grid is joined to its 24 nearest
// eligible units of its street (and, lending, its 12 nearest of any), and
// each unit to its nearest open grids likewise, found with a bucket
// index — and the smaller side is processed copy by copy with successive
// shortest paths, which makes the flow maximum and least-cost among
// maximum ones on that graph. Slots the sparse graph left over get further
// rounds among the leftovers only. Without lending each street is solved
// on its own.
//
// Improvement, in up to two rounds while anything improves:
//
//   - ejection chains from every missing patrol: a unit fills the hole,
//     leaving the slot it gave up (another grid of the shift, or a shift
//     that kept it from resting or was over its most) to be filled in
//     turn, until a unit fills one outright (coverage +1) or, at the same
//     coverage, the chain has made things cheaper; in big plans only when
//     some unit has room for another shift;
//   - each shift solved again given all the others (the rest they now
//     allow differs from what construction saw);
//   - each unit's week chosen again given everyone else's, exactly, by a
//     dynamic programme over the shifts (most shifts, then cheapest);
//   - ejection chains from the dearest assignments (in big plans the lent
//     ones and the dearest twentieth), looking for a cheaper way to fill
//     the hole they leave;
//   - in small plans (up to eight units, a community's roster), every set
//     of up to three units' weeks chosen again jointly and exactly.
//
// Each move is made only when it leaves the plan strictly better in the
// order above, so the rounds end. Last, a lent unit gives its slot to any
// unit of the grid's street still idle and able.
//
// # Cost
//
// A district (2,000 grids and units, 21 shifts, default rules) takes
// under a second and the whole city (20,000 grids, 21,590 units) about
// eight on the benchmark machine (see bench_test.go). Fill checks its
// context between steps and inside the long ones, and calls progress
// after each shift of construction and of each round's re-solve.
//
// # What it does not do
//
// Under the default rules a district has about a quarter of the unit
// shifts its slots ask for (6 shifts a unit, every other shift at most);
// the objective above is indifferent to which quarter is covered, and a
// construction in time order fills the start of the week first: the
// weekend is thinly covered. Spreading coverage over the week is a rule
// the plan does not state yet (a floor per shift, or fairness as a fourth
// criterion); it would go in as another cost level.
package autofill
