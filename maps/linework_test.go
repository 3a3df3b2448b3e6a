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
	// The outer square as one long-edged polygon shares no edge with the
	// cells (skip works on identical edges only): nothing is left out.
	outer := orb.MultiPolygon{{{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}}
	if fine := NewLinework(polys, NewLinework([]orb.Geometry{outer}, nil)); len(fine.edges) != 220 {
		t.Fatalf("%d edges with a non-matching coarse level, want 220", len(fine.edges))
	}
	// The same square through the cells' border vertices (the lattice
	// border is not jittered) is a coarser level with the border's 40
	// edges: those are left out, the 180 inner ones kept.
	var border orb.Ring
	for k := 0; k < 40; k++ {
		side, step := k/10, float64(k%10)*100
		border = append(border, [4]orb.Point{{step, 0}, {1000, step}, {1000 - step, 1000}, {0, 1000 - step}}[side])
	}
	border = append(border, border[0])
	coarse := NewLinework([]orb.Geometry{orb.Polygon{border}}, nil)
	if len(coarse.edges) != 40 {
		t.Fatalf("border linework has %d edges, want 40", len(coarse.edges))
	}
	fine := NewLinework(polys, coarse)
	if len(fine.edges) != 180 {
		t.Fatalf("%d edges left after the border level, want 180", len(fine.edges))
	}
	for e := range coarse.edges {
		if _, ok := fine.edges[e]; ok {
			t.Fatalf("border edge %v drawn again", e)
		}
	}
	same := NewLinework(polys, lw)
	if len(same.edges) != 0 || len(same.Lines) != 0 {
		t.Fatalf("skipping the same linework left %d edges", len(same.edges))
	}
}

// The same polygons give the same lines, chained from the same places, so
// frames repeat pixel for pixel (lines were once chained in map order).
func TestLineworkIsRepeatable(t *testing.T) {
	feats := hexCity(30, 3000, 9)
	polys := make([]orb.Geometry, len(feats))
	for i, f := range feats {
		polys[i] = f.Geom
	}
	first := NewLinework(polys, nil)
	for range 5 {
		again := NewLinework(polys, nil)
		if len(again.Lines) != len(first.Lines) {
			t.Fatalf("%d lines, then %d", len(first.Lines), len(again.Lines))
		}
		for i := range again.Lines {
			if !orb.Equal(again.Lines[i], first.Lines[i]) {
				t.Fatalf("line %d differs between two builds", i)
			}
		}
	}
}
