// Package dispatch recommends units for a case: of a city's minimum
// emergency disposal units, which to send to a case, best first, each with
// what it was ranked on (data.Recommendation).
//
// # Candidates
//
// Only units whose status is data.UnitAvailable are candidates; a unit
// dispatched, busy or offline never is. A unit with no location (zero or not
// finite) cannot be measured and is never proposed.
//
// # The rule
//
// Each candidate u gets a cost in metres, lower is better:
//
//	cost(u) = distance(u) + tier penalty + 5,000 m × capabilities lacked + 1,000 m × load
//
// with the tier penalty by the smallest region u shares with the case:
//
//	same grid 0 · same community 500 m · same street 1,500 m · same district 4,000 m · elsewhere 10,000 m
//
// Units are ranked by cost, then by unit code (a stable tie-break: equal
// costs always come out in the same order, whatever the order of the input).
//
//   - distance is the straight line from the unit to the case, in metres;
//   - a tier (grid, community, street, district) is read off the codes: a
//     grid's code starts with its community's 12 digits, its street's 9 and
//     its district's 6, and a unit's region is its grid's;
//   - capabilities lacked are those of the matter's Capabilities the unit
//     does not have (a matter that names none: 0 for every unit);
//   - load is the number of cases and running orders the unit is on.
//
// Why a cost and not a strict order (say capable first, then tier, then
// distance): every criterion the operators weigh is then traded against
// the others in one unit anyone can read, metres. The weights say how much
// further a unit may be and still be preferred: the grid's own unit up to
// 500 m further than one of another grid of the community, the
// community's up to 1 km further than one of another community of the
// street, the street's up to 2.5 km further than one of another street,
// the district's up to 6 km further than one across the district line
// (属地: the region's own unit knows the place and answers to its
// center; another district's unit answers to another command). Lacking a
// capability the matter needs counts as 5 km: about one unit in three has
// any one capability, so in the city a capable unit is nearly always
// nearer than that and capable units come first in practice, but a case
// with no capable unit within reach still gets the nearest units that are
// there. A case or order the unit is already on counts as 1 km. A strict
// order puts each criterion wholly before the next: tier first sends the
// district's unit 20 km away before the neighbouring district's 500 m away
// across the line; capability first sends a unit from the far end of the
// city before the grid's own unit next door that lacks one of the two
// capabilities a flood needs; and load, last, would never count, as two
// distances are hardly ever equal.
//
// A worked example: a fire (the matter needs fire_fighting) in grid G.
//
//	unit  where            distance  fire  load  cost
//	B     G's community    650 m     yes   1     650 + 500 + 0 + 1,000    = 2,150
//	C     G's street       900 m     yes   0     900 + 1,500              = 2,400
//	A     G itself         320 m     no    0     320 + 0 + 5,000          = 5,320
//	D     next district    700 m     yes   0     700 + 10,000             = 10,700
//
// The ranking is B, C, A, D. Each recommendation carries these reasons
// (tier, same grid, distance, capabilities had and lacked, load), which the
// edges print, say "同网格 · 320 m · 缺消防能力" for A.
//
// # Distance
//
// Distances are measured in Web Mercator (maps.ProjectPoint) and scaled by
// the cosine of the case's latitude, which is the Mercator scale there:
// within 0.01 % of the great-circle distance over the few kilometres that
// decide a ranking, 0.3 % across all of Guangzhou (90 km, 1.5° of
// latitude), and the ranker's order stays the map index's order.
//
// A case with no location (zero, or not finite) is placed at the mean
// location of the units stationed in its grid, else of those in its
// community, street or district (the smallest region that has any unit,
// whatever their status); its distances are measured from there, so an
// edge showing them for such a case should mark them as approximate. A case
// with neither a location nor a grid that places it gets no recommendation.
//
// # Speed
//
// NewRanker indexes the units once (the map engine's R-tree, maps.Index).
// Recommend walks the available units nearest first and stops as soon as
// the next unit is further away than the cost of the n-th best found so
// far: every penalty is at least zero, so no unit further away can do
// better. A case in the city thus looks at the units of its surroundings,
// never at the whole city (see BenchmarkRecommend against the naive sort of
// every unit).
//
// Statuses and loads change as cases move: SetStatus and SetLoad change one
// unit in place, without rebuilding the index. A Ranker is safe for
// concurrent use: recommendations share a read lock (the index is only
// read once built, and NewRanker builds it), SetStatus and SetLoad take the
// write lock. Units added or removed, or moved, need a new Ranker (about
// 30 ms for the demo city's 21,590 units).
package dispatch
