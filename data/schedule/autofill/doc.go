// Package autofill proposes a week's patrol assignments for a plan
// (schedule.Plan): Fill adds to the plan's kept assignments, never
// changes them, and returns the new ones, what is still missing and why,
// and the new ones' travel.
//
// # What it optimizes
//
// A slot is one required patrol of a grid in a shift (the rules' count
// for the grid's kind and the shift, plus the high-risk extra, less the
// kept assignments there: a kept walk of a route counts in every grid the
// route crosses, a unit once in a grid and shift, as schedule.Cover
// counts). An assignment is a unit patrolling one grid in a shift, or
// walking a patrol route (Plan.Routes), which patrols every grid the route
// crosses. Fill keeps every rule schedule.Check enforces — a unit in one
// area (grid or route) a shift, at most Rules.MaxShifts distinct shifts a
// week (kept ones counted; none set, no limit), at least Rules.MinRest
// between the spans of any two of its shifts (adjacent shifts have none),
// never in a shift it is unavailable in, a route only in the shifts it is
// walked in (data.RouteWalkable), grids, routes (by their street) and
// units only inside Plan.Jurisdiction, a unit in its own street (the
// grid's, or the route's) unless lending is allowed — and, in this order:
//
//  1. covers as many slots as it can (a walk fills a slot in each grid it
//     crosses that still misses one);
//  2. lends as few units as it can (a lent unit stands in only where the
//     area's street has no unit to cover it: no unit of that street is
//     idle in the shift and able to take it);
//  3. travels as little as it can: the sum over new assignments of the
//     distance from the unit's home to the grid, or to the route's start
//     (Distance);
//  4. spreads its patrols over the week: a slot filled weighs the share
//     of its shift's required patrols still missing, and of two choices
//     equal so far the one filling the thinner shifts wins. Travel rarely
//     ties between grids, but it does between shifts — a unit's nearest
//     open grid is the same in most of them — and the slots, lending and
//     travel above are indifferent to which shifts a unit works.
//
// No new assignment fills nothing: a walk crosses grids that need no
// more patrols (it cannot skip them), but every new walk or grid patrol
// fills some slot that would be open without it.
//
// The problem is NP-hard in general (units' weeks are constrained paths
// through the shifts: rest and the most shifts tie a unit's choices across
// the week; and choosing walks alone, in one shift, is a maximum coverage
// problem), so Fill is a heuristic, checked against an exhaustive search
// on small plans (see the tests: on thousands of random plans of up to six
// units, five grids and six open shifts it covered and lent exactly as the
// optimum, its travel within 7% of the least; with one to three routes
// too, it covered as the optimum on 2,998 plans of 3,000 — the two others
// one slot short — lent as the optimum on all but one of those, and
// travelled within 8% of the least).
//
// # How
//
// Walks. First, over the whole week, a lazy greedy chooses walks: the
// (route, shift) whose walk fills the most open slots is walked by its
// cheapest unit that may (own street before lent, then nearest to the
// route's start), and again, while a walk fills at least two slots (one a
// unit fills as well at a grid) and a unit is left to make it. Walks only
// lower each other's worth (they share grids), so a queued count is an
// upper bound and only the top of the queue is recounted. Choosing walks
// in one shift is maximum coverage (each walk covers its grids' open
// patrols; a budget of units): for a given number of walks the greedy
// fills at least 1 − 1/e (63%) of what the best walks of that number
// would, the best guarantee a polynomial algorithm has unless P = NP
// (Feige 1998); across the week, where rest and the most shifts tie a
// unit's shifts, it has none, and the improvement below makes up what it
// misses. Walks come before grids, and over the whole week, because each
// fills several slots: built in time order, single grids would have used
// up the units' shifts before the later days' walks came up.
//
// Construction. Then shifts in time order; in each, the units that may take it
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
//     some unit has room for another shift. Walks stay where they are in
//     a chain (a unit walking is busy, and its walk's shift is not given
//     up), and a hole a walk covers meanwhile is no hole;
//   - each shift solved again given all the others, walks then grids (the
//     rest they now allow differs from what construction saw);
//   - each unit's week chosen again given everyone else's, exactly, by a
//     dynamic programme over the shifts (most slots, then cheapest, then
//     thinnest shifts), each shift at its best area: its cheapest open
//     grid, or the route whose walk fills most — this trades a grid for a
//     walk, a walk others' walks have made worth one slot for a cheaper
//     grid, moves a walk, and moves a unit's shifts from the start of the
//     week, where construction put them, to where the week is thin;
//   - ejection chains from the dearest assignments (in big plans the lent
//     ones and the dearest twentieth), looking for a cheaper way to fill
//     the hole they leave; a walk that fills one slot only is tried as
//     the grid of that slot;
//   - in small plans (up to eight units, a community's roster), every set
//     of up to three units' weeks chosen again jointly and exactly, each
//     unit idle, at an open grid or walking a route, in each shift.
//
// Each move is made only when it leaves the plan strictly better in the
// order above (the fourth level by the re-choices of units' weeks only:
// the chains and the shift re-solve weigh the first three). Last, assignments that fill nothing
// (a grid or a walk that later walks cover) are dropped, and a lent unit
// gives its slot (grid or walk) to any unit of the area's street still
// idle and able.
//
// # Cost
//
// A district (2,000 grids and units, 21 shifts, default rules, 60 routes
// or none) takes about a second and the whole city (20,000 grids, 21,590
// units, 600 routes or none) about ten on the benchmark machine, a busy
// two-core VM (bench_test.go; figures in docs/benchmarks.md). Fill checks its context between
// steps and inside the long ones, and calls progress after the week's
// walks (when the plan has routes), after each shift of construction and
// of each round's re-solve.
//
// # What it does not do
//
// Under the default rules a district has about a quarter of the unit
// shifts its slots ask for (6 shifts a unit, every other shift at most);
// routes take its coverage from about 26% to about 62%, spread evenly
// over the week (every day within a point of the others on the
// benchmark), but no rule makes a floor per shift: the fourth level only
// settles ties of the first three, and a plan whose units are cheaper to
// send early in the week would still cover the start of it better.
//
// A walk is never split or shortened (a unit walks the whole route), and
// chains do not move walks: a walk is changed by the re-choice of its
// unit's week or its shift's re-solve only.
package autofill
