package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"

	"kapok/data"
	"kapok/data/geom"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/twpayne/go-geos"
)

// regionRand is the random source for one region: the same seed and code
// give the same shapes whatever order the workers run in.
func regionRand(seed int64, code string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(code))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// parallel runs fn(i) for i in [0, n) on every core, each worker with its own
// GEOS context, and returns the first error.
func parallel(n int, fn func(ctx *geos.Context, i int) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := geos.NewContext()
			for i := range next {
				if err := fn(ctx, i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// tile splits parent into len(children) parts and gives them to the children
// in code order, the parts in reading order (north→south bands, west→east),
// so neighbouring codes are neighbours on the map.
func tile(ctx *geos.Context, parent orb.MultiPolygon, n int, rng *rand.Rand, relax int) ([]orb.MultiPolygon, error) {
	pg, err := geom.ToGEOS(ctx, parent)
	if err != nil {
		return nil, err
	}
	cells, err := geom.Partition(ctx, pg, n, rng, relax)
	if err != nil {
		return nil, err
	}
	parts := make([]orb.MultiPolygon, len(cells))
	for i, c := range cells {
		if parts[i], err = geom.Polygons(c); err != nil {
			return nil, err
		}
	}
	sortReadingOrder(parts, parent.Bound())
	return parts, nil
}

func sortReadingOrder(parts []orb.MultiPolygon, parent orb.Bound) {
	band := math.Sqrt((parent.Max[0] - parent.Min[0]) * (parent.Max[1] - parent.Min[1]) / float64(len(parts)))
	type key struct{ row, x float64 }
	keys := make(map[*orb.Polygon]key, len(parts))
	for i := range parts {
		c := parts[i].Bound().Center()
		keys[&parts[i][0]] = key{math.Floor((parent.Max[1] - c[1]) / band), c[0]}
	}
	sort.SliceStable(parts, func(i, j int) bool {
		a, b := keys[&parts[i][0]], keys[&parts[j][0]]
		if a.row != b.row {
			return a.row < b.row
		}
		return a.x < b.x
	})
}

// tileRegions gives every child region a boundary that tiles its parent.
func tileRegions(seed int64, parents []data.Region, children []data.Region, relax int) error {
	byParent := map[string][]int{}
	for i, c := range children {
		byParent[c.ParentCode] = append(byParent[c.ParentCode], i)
	}
	return parallel(len(parents), func(ctx *geos.Context, i int) error {
		p := parents[i]
		kids := byParent[p.Code]
		parts, err := tile(ctx, p.Boundary, len(kids), regionRand(seed, p.Code), relax)
		if err != nil {
			return err
		}
		for k, ci := range kids {
			children[ci].Boundary = parts[k]
			children[ci].AreaKm2 = geo.Area(parts[k]) / 1e6
		}
		return nil
	})
}

// gridCounts shares total grids among communities by estimated population,
// at least one each (largest-remainder apportionment), so grids are small
// and many in the dense urban core and few and large in the countryside.
func gridCounts(communities []data.Region, density func(data.Region) float64, total int) []int {
	counts := make([]int, len(communities))
	weights := make([]float64, len(communities))
	sum := 0.0
	for i, c := range communities {
		weights[i] = c.AreaKm2 * density(c)
		sum += weights[i]
	}
	rest := total - len(communities)
	if rest < 0 {
		rest = 0
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(communities))
	given := 0
	for i, w := range weights {
		share := float64(rest) * w / sum
		counts[i] = 1 + int(share)
		given += int(share)
		rems[i] = rem{i, share - math.Floor(share)}
	}
	sort.Slice(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; given < rest; k++ {
		counts[rems[k%len(rems)].i]++
		given++
	}
	return counts
}

// tileGrids cuts every community into its grids, coded community code +
// 3-digit sequence in reading order.
func tileGrids(seed int64, communities []data.Region, counts []int) ([][]data.Grid, error) {
	out := make([][]data.Grid, len(communities))
	err := parallel(len(communities), func(ctx *geos.Context, i int) error {
		c := communities[i]
		parts, err := tile(ctx, c.Boundary, counts[i], regionRand(seed, c.Code+"g"), 2)
		if err != nil {
			return err
		}
		grids := make([]data.Grid, len(parts))
		for k, p := range parts {
			grids[k] = data.Grid{Code: c.Code + pad3(k+1), CommunityCode: c.Code, Boundary: p, AreaM2: geo.Area(p)}
		}
		out[i] = grids
		return nil
	})
	return out, err
}

func pad3(n int) string {
	return string([]byte{byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}
