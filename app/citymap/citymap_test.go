package citymap

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	kmaps "kapok/maps"
)

// The map's point → grid answer agrees exactly with brute force over every
// demo grid for 10,000 random points.
func TestPointToGridAgreesWithBruteForceOnDemoCity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole city")
	}
	cm := guangzhouMap(t)
	ix := cm.Map.FillIndex()
	rng := rand.New(rand.NewPCG(5, 5))
	b := cm.Extent
	inside := 0
	bounds := make([]orb.Bound, ix.Len())
	for i := range bounds {
		bounds[i] = ix.Feature(i).Geom.Bound()
	}
	for k := 0; k < 10000; k++ {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		var want []int
		// Every grid is tested (a bound that misses the point cannot contain it).
		for i := 0; i < ix.Len(); i++ {
			if bounds[i].Contains(p) && planar.MultiPolygonContains(ix.Feature(i).Geom.(orb.MultiPolygon), p) {
				want = append(want, ix.Feature(i).ID)
			}
		}
		got, ok := ix.At(p)
		if ok != (len(want) > 0) {
			t.Fatalf("point %v: index says %d,%v; brute force %v", p, got, ok, want)
		}
		if ok {
			inside++
			found := false
			for _, w := range want {
				found = found || w == got
			}
			if !found {
				t.Fatalf("point %v: index says grid %d; brute force %v", p, got, want)
			}
		}
	}
	if inside < 2000 {
		t.Fatalf("only %d of 10,000 points fell in a grid: the test is not testing", inside)
	}
}

// A cancelled frame stops early and says so.
func TestRenderCancels(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole city")
	}
	cm := guangzhouMap(t)
	cm.Map.ClearCache()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v := kmaps.NewViewport(1920, 1080).Fit(cm.Extent, 12)
	if _, err := cm.Map.Render(ctx, v); err != context.Canceled {
		t.Fatalf("cancelled render returned %v", err)
	}
	if img, err := cm.Map.Render(context.Background(), v); err != nil || img.Bounds().Dx() != 1920 {
		t.Fatalf("render after a cancelled one: %v", err)
	}
}
