package citymap

import (
	"context"
	"runtime"
	"sync"

	"github.com/paulmach/orb"

	"kapok/data"
	kmaps "kapok/maps"
)

// gridGeometry is a store that reads the grids' codes, kinds and
// boundaries alone, in bulk and on every core (data/mirror does): what a
// frame needs, without the attributes the console shows.
type gridGeometry interface {
	GridGeometry(ctx context.Context, transform func(orb.Point) orb.Point) (codes, kinds []string, boundaries []orb.MultiPolygon, err error)
}

// loadGrids reads every grid with its boundary projected to Web Mercator:
// attributes by position in grids, boundaries as features numbered by
// position, and their bounds. Without all only the codes and kinds are
// read, when the store can do that.
func loadGrids(ctx context.Context, m data.MapService, all bool) ([]data.Grid, []kmaps.Feature, []orb.Bound, error) {
	if g, ok := m.(gridGeometry); ok && !all {
		codes, kinds, boundaries, err := g.GridGeometry(ctx, kmaps.ProjectPoint)
		if err != nil {
			return nil, nil, nil, err
		}
		grids := make([]data.Grid, len(codes))
		for i := range grids {
			grids[i].Code, grids[i].Kind = codes[i], kinds[i]
		}
		feats, bounds := features(boundaries, false)
		return grids, feats, bounds, nil
	}
	grids, err := m.LoadGrids(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	// The map owns the boundaries from here on; Grids keeps codes and
	// attributes only.
	boundaries := make([]orb.MultiPolygon, len(grids))
	for i := range grids {
		boundaries[i], grids[i].Boundary = grids[i].Boundary, nil
	}
	feats, bounds := features(boundaries, true)
	return grids, feats, bounds, nil
}

// features makes boundaries features numbered by position, with their
// bounds, on every core; with project it first projects them from
// longitude/latitude to Web Mercator, in place.
func features(boundaries []orb.MultiPolygon, project bool) ([]kmaps.Feature, []orb.Bound) {
	feats, bounds := make([]kmaps.Feature, len(boundaries)), make([]orb.Bound, len(boundaries))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * len(boundaries) / workers; i < (w+1)*len(boundaries)/workers; i++ {
				if project {
					bounds[i] = kmaps.ProjectBound(boundaries[i])
				} else {
					bounds[i] = bound(boundaries[i])
				}
				feats[i] = kmaps.Feature{ID: i, Geom: boundaries[i]}
			}
		}()
	}
	wg.Wait()
	return feats, bounds
}

// bound is mp's bound, in a plain pass over the points (orb's Bound is a
// few times slower, which shows for 20,000 grids).
func bound(mp orb.MultiPolygon) orb.Bound {
	if len(mp) == 0 || len(mp[0]) == 0 || len(mp[0][0]) == 0 {
		return orb.Bound{}
	}
	b := orb.Bound{Min: mp[0][0][0], Max: mp[0][0][0]}
	for _, poly := range mp {
		for _, ring := range poly {
			for _, p := range ring {
				b.Min[0], b.Min[1] = min(b.Min[0], p[0]), min(b.Min[1], p[1])
				b.Max[0], b.Max[1] = max(b.Max[0], p[0]), max(b.Max[1], p[1])
			}
		}
	}
	return b
}
