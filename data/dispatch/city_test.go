package dispatch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"kapok/data"

	"github.com/paulmach/orb"
)

// A synthetic city shaped like the demo Guangzhou (which this package may
// not depend on): 11 districts, 178 streets, 2,851 communities, 20,031 grids
// and 21,590 units, with the official code structure (district 6 digits,
// street +3, community +3, grid +3, unit U<grid><n>). Each region is a box
// cut into its children's boxes by area in proportion to their grids, so
// children tile their parent and a grid's units lie inside their
// community's, street's and district's boxes; the boxes are then warped
// toward the centre, so grids are small and many in the core and large in
// the outskirts, as in the demo.
const (
	cityDistricts   = 11
	cityStreets     = 178
	cityCommunities = 2851
	cityGrids       = 20031
	cityUnits       = 21590
)

type synthCity struct {
	units []data.Unit
	loads map[string]int
	grids []synthGrid
}

type synthGrid struct {
	code string
	box  orb.Bound // in the unit square, before the warp
}

// split shares total among k parts, each at least one, at random.
func split(rng *rand.Rand, total, k int) []int {
	w := make([]float64, k)
	sum := 0.0
	for i := range w {
		w[i] = 0.5 + rng.Float64()
		sum += w[i]
	}
	out := make([]int, k)
	left := total - k
	given := 0
	for i := range out {
		out[i] = 1 + int(float64(left)*w[i]/sum)
		given += out[i]
	}
	for i := 0; given < total; i = (i + 1) % k {
		out[i]++
		given++
	}
	return out
}

// region is a node of the code tree with the number of grids under it.
type region struct {
	code     string
	grids    int
	children []*region
}

// tile cuts box among the children in proportion to their grids
// (alternating the longer side), recursively, down to the grids.
func tile(reg *region, box orb.Bound, out *[]synthGrid) {
	if len(reg.children) == 0 {
		*out = append(*out, synthGrid{code: reg.code, box: box})
		return
	}
	var cut func(kids []*region, box orb.Bound)
	cut = func(kids []*region, box orb.Bound) {
		if len(kids) == 1 {
			tile(kids[0], box, out)
			return
		}
		half := len(kids) / 2
		a, all := 0, 0
		for i, k := range kids {
			if i < half {
				a += k.grids
			}
			all += k.grids
		}
		f := float64(a) / float64(all)
		b1, b2 := box, box
		if box.Max[0]-box.Min[0] >= box.Max[1]-box.Min[1] {
			x := box.Min[0] + f*(box.Max[0]-box.Min[0])
			b1.Max[0], b2.Min[0] = x, x
		} else {
			y := box.Min[1] + f*(box.Max[1]-box.Min[1])
			b1.Max[1], b2.Min[1] = y, y
		}
		cut(kids[:half], b1)
		cut(kids[half:], b2)
	}
	cut(reg.children, box)
}

// warp takes a point of the unit square to lon/lat over Guangzhou's extent,
// pulling points toward the centre (r → r^1.7): density is highest in the
// core, as in the city.
func warp(p orb.Point) orb.Point {
	x, y := 2*p[0]-1, 2*p[1]-1
	r := math.Hypot(x, y)
	if r > 0 {
		s := math.Pow(r/math.Sqrt2, 1.7) * math.Sqrt2 / r
		x, y = x*s, y*s
	}
	return orb.Point{113.50 + x*0.55, 23.25 + y*0.70}
}

func (g synthGrid) pointIn(rng *rand.Rand) orb.Point {
	return warp(orb.Point{g.box.Min[0] + rng.Float64()*(g.box.Max[0]-g.box.Min[0]),
		g.box.Min[1] + rng.Float64()*(g.box.Max[1]-g.box.Min[1])})
}

func newSynthCity(seed uint64) *synthCity {
	rng := rand.New(rand.NewPCG(seed, 7))
	districtCodes := []string{"440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115", "440117", "440118"}
	city := &region{code: "4401", grids: cityGrids}
	streetsPer := split(rng, cityStreets, cityDistricts)
	communitiesPer := split(rng, cityCommunities, cityStreets)
	gridsPer := split(rng, cityGrids, cityCommunities)
	s, c := 0, 0
	for d, code := range districtCodes {
		dist := &region{code: code}
		for i := 1; i <= streetsPer[d]; i++ {
			st := &region{code: fmt.Sprintf("%s%03d", code, i)}
			for j := 1; j <= communitiesPer[s]; j++ {
				cm := &region{code: fmt.Sprintf("%s%03d", st.code, j)}
				for k := 1; k <= gridsPer[c]; k++ {
					cm.children = append(cm.children, &region{code: fmt.Sprintf("%s%03d", cm.code, k), grids: 1})
				}
				cm.grids = gridsPer[c]
				st.grids += cm.grids
				st.children = append(st.children, cm)
				c++
			}
			dist.grids += st.grids
			dist.children = append(dist.children, st)
			s++
		}
		city.children = append(city.children, dist)
	}
	sc := &synthCity{loads: map[string]int{}}
	tile(city, orb.Bound{Max: orb.Point{1, 1}}, &sc.grids)
	perGrid := make([]int, len(sc.grids))
	for i := range perGrid {
		perGrid[i] = 1
	}
	for k := len(sc.grids); k < cityUnits; k++ {
		perGrid[rng.IntN(len(sc.grids))]++
	}
	for i, g := range sc.grids {
		for k := 1; k <= perGrid[i]; k++ {
			u := data.Unit{Code: fmt.Sprintf("U%s%d", g.code, k), Name: "unit", UnitType: "community", GridCode: g.code,
				Location: g.pointIn(rng), Status: data.UnitAvailable}
			switch x := rng.Float64(); {
			case x < 0.03:
				u.Status = data.UnitOffline
			case x < 0.12:
				u.Status = data.UnitDispatched
			case x < 0.20:
				u.Status = data.UnitBusy
			}
			for _, t := range rng.Perm(len(data.Capabilities))[:2+rng.IntN(3)] {
				u.Capabilities = append(u.Capabilities, data.Capabilities[t])
			}
			sort.Strings(u.Capabilities)
			switch x := rng.Float64(); {
			case x < 0.1:
				sc.loads[u.Code] = 2
			case x < 0.3:
				sc.loads[u.Code] = 1
			}
			sc.units = append(sc.units, u)
		}
	}
	return sc
}

// The matters of the benchmark: none, one, two and three capabilities.
var benchMatters = []data.MatterType{
	{Code: "NONE"},
	{Code: "FIRE", Capabilities: []string{"fire_fighting"}},
	{Code: "FLOOD", Capabilities: []string{"flood_control", "evacuation"}},
	{Code: "CHEM", Capabilities: []string{"hazmat", "evacuation", "first_aid"}},
}

// cases are n cases at random places of random grids.
func (sc *synthCity) cases(seed uint64, n int) []data.Event {
	rng := rand.New(rand.NewPCG(seed, 11))
	out := make([]data.Event, n)
	for i := range out {
		g := sc.grids[rng.IntN(len(sc.grids))]
		out[i] = data.Event{Code: fmt.Sprintf("E%d", i), GridCode: g.code, Location: g.pointIn(rng)}
	}
	return out
}

// naive is the baseline: score every available unit and sort them all, by
// the same rule.
func (r *Ranker) naive(c data.Event, m data.MatterType, n int, region string) []data.Recommendation {
	if n <= 0 {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	at, lat, ok := r.place(c)
	if !ok {
		return nil
	}
	scale := math.Cos(lat * math.Pi / 180)
	needs := r.needs(m)
	var all []candidate
	for _, id := range r.byGrid {
		i := int(id)
		if r.status[i] != data.UnitAvailable || !strings.HasPrefix(r.units[i].GridCode, region) {
			continue
		}
		dx, dy := r.pts[i][0]-at[0], r.pts[i][1]-at[1]
		all = append(all, r.score(i, math.Sqrt(dx*dx+dy*dy)*scale, c.GridCode, needs))
	}
	slices.SortFunc(all, func(a, b candidate) int {
		switch {
		case r.worse(b, a):
			return -1
		case r.worse(a, b):
			return 1
		}
		return 0
	})
	return r.recommendations(all[:min(n, len(all))], needs)
}

// scan is the other baseline: every available unit scored, the n best
// kept as the ranker keeps them, without the index.
func (r *Ranker) scan(c data.Event, m data.MatterType, n int) []data.Recommendation {
	r.mu.RLock()
	defer r.mu.RUnlock()
	at, lat, ok := r.place(c)
	if !ok || n <= 0 {
		return nil
	}
	scale := math.Cos(lat * math.Pi / 180)
	needs := r.needs(m)
	best := make([]candidate, 0, n)
	for _, id := range r.byGrid { // the units with a location
		i := int(id)
		if r.status[i] != data.UnitAvailable {
			continue
		}
		dx, dy := r.pts[i][0]-at[0], r.pts[i][1]-at[1]
		cd := r.score(i, math.Sqrt(dx*dx+dy*dy)*scale, c.GridCode, needs)
		switch {
		case len(best) < n:
			best = append(best, cd)
			r.up(best, len(best)-1)
		case r.worse(best[0], cd):
			best[0] = cd
			r.down(best, 0)
		}
	}
	slices.SortFunc(best, func(a, b candidate) int {
		if r.worse(a, b) {
			return 1
		}
		return -1
	})
	return r.recommendations(best, needs)
}

func sameRecs(a, b []data.Recommendation) bool {
	return slices.EqualFunc(a, b, func(x, y data.Recommendation) bool {
		return x.Unit.Code == y.Unit.Code && x.Tier == y.Tier && x.SameGrid == y.SameGrid && x.DistanceM == y.DistanceM &&
			slices.Equal(x.Has, y.Has) && slices.Equal(x.Lacks, y.Lacks) && x.Load == y.Load
	})
}

func codes(recs []data.Recommendation) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Unit.Code
	}
	return out
}

// The index search gives exactly the naive sort's answer, on the synthetic
// city, for random cases, matters, n, regions and status and load changes.
func TestMatchesNaiveSort(t *testing.T) {
	sc := newSynthCity(1)
	r := NewRanker(sc.units, sc.loads)
	rng := rand.New(rand.NewPCG(3, 3))
	cases := sc.cases(2, 600)
	if raceEnabled {
		cases = cases[:100]
	}
	statuses := data.UnitStatuses
	for i, c := range cases {
		for k := 0; k < 20; k++ {
			u := sc.units[rng.IntN(len(sc.units))].Code
			r.SetStatus(u, statuses[rng.IntN(len(statuses))])
			r.SetLoad(u, rng.IntN(4))
		}
		m := benchMatters[i%len(benchMatters)]
		n := 1 + rng.IntN(20)
		region := ""
		switch i % 5 {
		case 3:
			region = c.GridCode[:6] // the district
		case 4:
			region = c.GridCode[:9] // the street
		}
		if i%7 == 0 {
			c.Location = orb.Point{} // placed by its grid's units
		}
		got, want := r.RecommendWithin(c, m, n, region), r.naive(c, m, n, region)
		if len(want) != n {
			t.Fatalf("case %d: the naive sort found %d units of %d", i, len(want), n)
		}
		if region == "" && !sameRecs(r.scan(c, m, n), want) {
			t.Fatalf("case %d: the scan baseline differs", i)
		}
		if !sameRecs(got, want) {
			t.Fatalf("case %d (%s, matter %s, n %d, region %q):\n got %v\nwant %v", i, c.GridCode, m.Code, n, region, codes(got), codes(want))
		}
	}
}

// BenchmarkRecommend is one recommendation of 5 units on the synthetic
// city, per number of capabilities the matter needs and mixed; visited/op
// is how many units the search looked at.
func BenchmarkRecommend(b *testing.B) {
	benchRecommend(b, func(r *Ranker, c data.Event, m data.MatterType) int {
		_, v := r.recommend(c, m, 5, "")
		return v
	})
}

// BenchmarkRecommendNaive is the baseline: every unit scored and all of
// them sorted.
func BenchmarkRecommendNaive(b *testing.B) {
	benchRecommend(b, func(r *Ranker, c data.Event, m data.MatterType) int {
		r.naive(c, m, 5, "")
		return len(r.units)
	})
}

func benchRecommend(b *testing.B, rec func(*Ranker, data.Event, data.MatterType) int) {
	sc := newSynthCity(1)
	r := NewRanker(sc.units, sc.loads)
	cases := sc.cases(2, 4096)
	run := func(b *testing.B, matters []data.MatterType) {
		visited := 0
		i := 0
		for b.Loop() {
			visited += rec(r, cases[i%len(cases)], matters[i%len(matters)])
			i++
		}
		b.ReportMetric(float64(visited)/float64(i), "visited/op")
	}
	for _, m := range benchMatters {
		b.Run(fmt.Sprintf("caps=%d", len(m.Capabilities)), func(b *testing.B) { run(b, []data.MatterType{m}) })
	}
	b.Run("mixed", func(b *testing.B) { run(b, benchMatters) })
}

// BenchmarkRecommendScan is the baseline without the index: every unit
// scored, the 5 best kept in a heap.
func BenchmarkRecommendScan(b *testing.B) {
	benchRecommend(b, func(r *Ranker, c data.Event, m data.MatterType) int {
		r.scan(c, m, 5)
		return len(r.units)
	})
}

// BenchmarkNewRanker is indexing the synthetic city's units.
func BenchmarkNewRanker(b *testing.B) {
	sc := newSynthCity(1)
	for b.Loop() {
		NewRanker(sc.units, sc.loads)
	}
}

// BenchmarkSetStatus is one status change (a case dispatched).
func BenchmarkSetStatus(b *testing.B) {
	sc := newSynthCity(1)
	r := NewRanker(sc.units, sc.loads)
	i := 0
	for b.Loop() {
		r.SetStatus(sc.units[i%len(sc.units)].Code, data.UnitDispatched)
		i++
	}
}
