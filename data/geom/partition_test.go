package geom

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// The parts must be true Voronoi cells: an L-shaped parent cut in 12 should
// give 12 parts that are not all axis-aligned boxes (the fallback cut).
func TestPartitionUsesVoronoiCells(t *testing.T) {
	ctx := geos.NewContext()
	l := orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}}
	g, _ := ToGEOS(ctx, l)
	parts, err := Partition(ctx, g, 12, rand.New(rand.NewPCG(1, 2)), 2)
	if err != nil || len(parts) != 12 {
		t.Fatalf("%d parts, %v", len(parts), err)
	}
	slanted := 0
	for _, p := range parts {
		mp, _ := Polygons(p)
		for _, r := range mp[0] {
			for i := 1; i < len(r); i++ {
				if r[i][0] != r[i-1][0] && r[i][1] != r[i-1][1] {
					slanted++
				}
			}
		}
	}
	if slanted < 12 {
		t.Fatalf("only %d slanted edges: the parts are fallback cuts, not Voronoi cells", slanted)
	}
}
