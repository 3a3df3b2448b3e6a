package maps

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestLineworkDrawsEachEdgeOnce(t *testing.T) {
	feats := hexCity(10, 1000, 4)
	polys := make([]orb.Geometry, len(feats))
	for i, f := range feats {
		polys[i] = f.Geom
	}
	lw := NewLinework(polys, nil)
	// A 10×10 lattice of cells has 2·10·11 edges.
	if len(lw.edges) != 220 {
		t.Fatalf("%d unique edges, want 220", len(lw.edges))
	}
	segs := 0
	for _, l := range lw.Lines {
		segs += len(l) - 1
	}
	if segs != 220 {
		t.Fatalf("lines hold %d segments, want 220", segs)
	}
	// The outer square as a coarser level: its 40 edges are left out.
	outer := orb.MultiPolygon{{{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}}
	var border []orb.Geometry
	for _, f := range feats {
		border = append(border, f.Geom)
	}
	coarse := NewLinework([]orb.Geometry{outer}, nil)
	_ = border
	// The square's own edges are 4 long segments, not the cells' 40 short
	// ones, so nothing matches: skip works on identical edges only.
	fine := NewLinework(polys, coarse)
	if len(fine.edges) != 220 {
		t.Fatalf("%d edges with a non-matching coarse level", len(fine.edges))
	}
	same := NewLinework(polys, lw)
	if len(same.edges) != 0 || len(same.Lines) != 0 {
		t.Fatalf("skipping the same linework left %d edges", len(same.edges))
	}
}
