package dispatch

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"kapok/data"
	"kapok/maps"

	"github.com/paulmach/orb"
)

// TierGrid is the tier of a unit stationed in the case's own grid: one
// level below the community (data.Recommendation.Tier).
const TierGrid = data.LevelCommunity + 1

// The weights of the rule, in metres (see the package comment).
const (
	lackPenalty = 5000.0 // per capability the matter needs and the unit lacks
	loadPenalty = 1000.0 // per case or running order the unit is on
)

// tierPenalty is indexed by tier: city (elsewhere), district, street,
// community, grid.
var tierPenalty = [...]float64{
	data.LevelCity:      10000,
	data.LevelDistrict:  4000,
	data.LevelStreet:    1500,
	data.LevelCommunity: 500,
	TierGrid:            0,
}

// Ranker ranks a city's units for cases. Make one with NewRanker.
type Ranker struct {
	mu sync.RWMutex

	units  []data.Unit // as given (capabilities copied); Status is not kept up to date here
	status []data.UnitStatus
	load   []int
	byCode map[string]int

	pts   []orb.Point // Web Mercator; zero for a unit with no location (not indexed)
	index *maps.Index // over the located units, feature ID = slot

	capBit map[string]int // capability → bit
	words  int            // uint64 words of capability bits per unit
	caps   []uint64       // unit i's bits at [i*words, (i+1)*words)

	byGrid []int32 // slots of located units, ordered by grid code then code
}

// NewRanker indexes the units (their statuses as given) with their current
// loads (unit code → cases and running orders it is on; a unit missing from
// the map has none). Unit codes are unique (they are the store's keys): of
// units sharing a code only the first is kept. The ranker keeps its own
// copy: later changes to units or loads are not seen, use SetStatus and
// SetLoad.
func NewRanker(units []data.Unit, loads map[string]int) *Ranker {
	r := &Ranker{units: make([]data.Unit, 0, len(units)), byCode: make(map[string]int, len(units)), capBit: map[string]int{}}
	for _, u := range units {
		if _, dup := r.byCode[u.Code]; dup {
			continue
		}
		r.byCode[u.Code] = len(r.units)
		u.Capabilities = slices.Clone(u.Capabilities)
		r.units = append(r.units, u)
		for _, c := range u.Capabilities {
			if _, ok := r.capBit[c]; !ok {
				r.capBit[c] = len(r.capBit)
			}
		}
	}
	n := len(r.units)
	r.status = make([]data.UnitStatus, n)
	r.load = make([]int, n)
	r.pts = make([]orb.Point, n)
	r.words = max(1, (len(r.capBit)+63)/64)
	r.caps = make([]uint64, n*r.words)
	feats := make([]maps.Feature, 0, n)
	r.byGrid = make([]int32, 0, n)
	for i, u := range r.units {
		r.status[i] = u.Status
		r.load[i] = max(0, loads[u.Code])
		for _, c := range u.Capabilities {
			b := r.capBit[c]
			r.caps[i*r.words+b/64] |= 1 << (b % 64)
		}
		if p, ok := project(u.Location); ok {
			r.pts[i] = p
			feats = append(feats, maps.Feature{ID: i, Geom: p})
			r.byGrid = append(r.byGrid, int32(i))
		}
	}
	sort.Slice(r.byGrid, func(a, b int) bool {
		ua, ub := &r.units[r.byGrid[a]], &r.units[r.byGrid[b]]
		if ua.GridCode != ub.GridCode {
			return ua.GridCode < ub.GridCode
		}
		return ua.Code < ub.Code
	})
	r.index = maps.NewIndex(feats)
	r.index.InRect(orb.Bound{}) // builds the R-tree now, not in the first recommendation
	return r
}

// project is a lon/lat point in Web Mercator, or false for a point that
// cannot be placed (zero, not finite, or beyond the Mercator's latitudes).
func project(ll orb.Point) (orb.Point, bool) {
	if ll == (orb.Point{}) || !finite(ll[0]) || !finite(ll[1]) || math.Abs(ll[1]) > 85 || math.Abs(ll[0]) > 180 {
		return orb.Point{}, false
	}
	p := maps.ProjectPoint(ll)
	return p, finite(p[0]) && finite(p[1])
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// SetStatus records a unit's new status; false for an unknown unit.
func (r *Ranker) SetStatus(unit string, s data.UnitStatus) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.byCode[unit]
	if ok {
		r.status[i] = s
	}
	return ok
}

// SetLoad records how many cases and running orders a unit is on (below
// zero counts as zero); false for an unknown unit.
func (r *Ranker) SetLoad(unit string, n int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.byCode[unit]
	if ok {
		r.load[i] = max(0, n)
	}
	return ok
}

// Recommend returns the best n available units for case c of matter m,
// best first (fewer when fewer are available), ranked by the package's rule.
// c.GridCode and c.Location are read; a zero Location is estimated from the
// units of the case's grid (see the package comment).
func (r *Ranker) Recommend(c data.Event, m data.MatterType, n int) []data.Recommendation {
	recs, _ := r.recommend(c, m, n, "")
	return recs
}

// RecommendWithin is Recommend among the units stationed in one region
// (a district, street or community code, or a grid code): the actor's
// jurisdiction, outside which a unit cannot be dispatched. An empty region
// is the whole city.
func (r *Ranker) RecommendWithin(c data.Event, m data.MatterType, n int, region string) []data.Recommendation {
	recs, _ := r.recommend(c, m, n, region)
	return recs
}

// need is one capability a matter needs: where its bit lies, or known =
// false for a capability no unit has.
type need struct {
	name  string
	word  int
	mask  uint64
	known bool
}

func (r *Ranker) needs(m data.MatterType) []need {
	var out []need
	for _, c := range m.Capabilities {
		if slices.ContainsFunc(out, func(n need) bool { return n.name == c }) {
			continue // named twice: counted once
		}
		b, ok := r.capBit[c]
		out = append(out, need{name: c, word: b / 64, mask: 1 << (b % 64), known: ok})
	}
	return out
}

// candidate is a unit under consideration.
type candidate struct {
	slot  int32
	tier  data.Level
	lacks int32
	d     float64 // metres
	cost  float64
}

// score ranks the unit in slot i at distance d (metres) from a case in
// grid caseGrid: the one cost function of the rule. The caller holds the
// read lock.
func (r *Ranker) score(i int, d float64, caseGrid string, needs []need) candidate {
	tier := tierOf(caseGrid, r.units[i].GridCode)
	lacks := 0
	for _, nd := range needs {
		if !nd.known || r.caps[i*r.words+nd.word]&nd.mask == 0 {
			lacks++
		}
	}
	cost := d + tierPenalty[tier] + lackPenalty*float64(lacks) + loadPenalty*float64(r.load[i])
	return candidate{slot: int32(i), tier: tier, lacks: int32(lacks), d: d, cost: cost}
}

// tierOf is the smallest region two grid codes share: TierGrid for the same
// grid, then community, street, district; data.LevelCity when they share
// none of these.
func tierOf(caseGrid, unitGrid string) data.Level {
	if caseGrid != "" && caseGrid == unitGrid {
		return TierGrid
	}
	for _, l := range [...]data.Level{data.LevelCommunity, data.LevelStreet, data.LevelDistrict} {
		k := l.CodeLength()
		if len(caseGrid) >= k && len(unitGrid) >= k && caseGrid[:k] == unitGrid[:k] {
			return l
		}
	}
	return data.LevelCity
}

// worse reports whether a ranks after b: higher cost, then later code.
func (r *Ranker) worse(a, b candidate) bool {
	if a.cost != b.cost {
		return a.cost > b.cost
	}
	return r.units[a.slot].Code > r.units[b.slot].Code
}

// recommend is Recommend, also counting the units the search looked at.
func (r *Ranker) recommend(c data.Event, m data.MatterType, n int, region string) ([]data.Recommendation, int) {
	if n <= 0 {
		return nil, 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	at, lat, ok := r.place(c)
	if !ok {
		return nil, 0
	}
	scale := math.Cos(lat * math.Pi / 180)
	needs := r.needs(m)
	// best is a max-heap of the n best so far: best[0] is the worst of them.
	best := make([]candidate, 0, min(n, len(r.units)))
	visited := 0
	// The walk: Nearest hands its filter the indexed units nearest first
	// (tidwall/rtree's ordered kNN search, ties in any order), and stops at
	// the first one the filter accepts (k = 1). The filter does the work
	// and accepts only the unit that ends the search. Should the index
	// ever hand units out of order, TestMatchesNaiveSort fails.
	r.index.Nearest(at, 1, func(id int) bool {
		visited++
		dx, dy := r.pts[id][0]-at[0], r.pts[id][1]-at[1]
		d := math.Sqrt(dx*dx+dy*dy) * scale
		// Units come nearest first, and a unit's cost is at least its
		// distance: once one lies beyond the n-th best cost, none further
		// can enter. (A margin of a micrometre absorbs rounding between
		// the index's squared distances and these.)
		if len(best) == n && d > best[0].cost+1e-6 {
			return true // the search ends
		}
		if r.status[id] != data.UnitAvailable || !strings.HasPrefix(r.units[id].GridCode, region) {
			return false
		}
		cd := r.score(id, d, c.GridCode, needs)
		switch {
		case len(best) < n:
			best = append(best, cd)
			r.up(best, len(best)-1)
		case r.worse(best[0], cd):
			best[0] = cd
			r.down(best, 0)
		}
		return false
	})
	slices.SortFunc(best, func(a, b candidate) int {
		switch {
		case r.worse(b, a):
			return -1
		case r.worse(a, b):
			return 1
		}
		return 0
	})
	return r.recommendations(best, needs), visited
}

// up and down keep best a max-heap by worse.
func (r *Ranker) up(h []candidate, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !r.worse(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (r *Ranker) down(h []candidate, i int) {
	for {
		w, l, rt := i, 2*i+1, 2*i+2
		if l < len(h) && r.worse(h[l], h[w]) {
			w = l
		}
		if rt < len(h) && r.worse(h[rt], h[w]) {
			w = rt
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// recommendations turns ranked candidates into what the edges show.
func (r *Ranker) recommendations(best []candidate, needs []need) []data.Recommendation {
	out := make([]data.Recommendation, len(best))
	for k, cd := range best {
		i := int(cd.slot)
		u := r.units[i]
		u.Capabilities = slices.Clone(u.Capabilities)
		u.Status = r.status[i]
		rec := data.Recommendation{Unit: u, Tier: cd.tier, SameGrid: cd.tier == TierGrid, DistanceM: cd.d, Load: r.load[i]}
		for _, nd := range needs {
			if nd.known && r.caps[i*r.words+nd.word]&nd.mask != 0 {
				rec.Has = append(rec.Has, nd.name)
			} else {
				rec.Lacks = append(rec.Lacks, nd.name)
			}
		}
		out[k] = rec
	}
	return out
}

// place is where case c is, in Web Mercator, with its latitude: its
// location, else the mean location of the units of its grid, community,
// street or district (the smallest that has any); false when neither
// places it.
func (r *Ranker) place(c data.Event) (orb.Point, float64, bool) {
	if p, ok := project(c.Location); ok {
		return p, c.Location[1], true
	}
	g := c.GridCode
	for _, k := range [...]int{len(g), data.LevelCommunity.CodeLength(), data.LevelStreet.CodeLength(), data.LevelDistrict.CodeLength()} {
		if k < data.LevelDistrict.CodeLength() || k > len(g) {
			continue // not even a district: a city's code, or none
		}
		prefix := g[:k]
		lo := sort.Search(len(r.byGrid), func(j int) bool { return r.units[r.byGrid[j]].GridCode >= prefix })
		var sum orb.Point
		cnt := 0
		for j := lo; j < len(r.byGrid) && strings.HasPrefix(r.units[r.byGrid[j]].GridCode, prefix); j++ {
			loc := r.units[r.byGrid[j]].Location
			sum[0] += loc[0]
			sum[1] += loc[1]
			cnt++
		}
		if cnt > 0 {
			ll := orb.Point{sum[0] / float64(cnt), sum[1] / float64(cnt)}
			if p, ok := project(ll); ok {
				return p, ll[1], true
			}
		}
	}
	return orb.Point{}, 0, false
}
