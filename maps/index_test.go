package maps

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// hexCity is a field of irregular quadrilaterals that tile a square: each
// cell's corners are shared jittered lattice points, so the cells meet edge
// to edge like grids do.
func hexCity(n int, size float64, seed uint64) []Feature {
	rng := rand.New(rand.NewPCG(seed, 7))
	step := size / float64(n)
	pts := make([][]orb.Point, n+1)
	for i := range pts {
		pts[i] = make([]orb.Point, n+1)
		for j := range pts[i] {
			jx, jy := 0.0, 0.0
			if i > 0 && i < n && j > 0 && j < n {
				jx, jy = (rng.Float64()-0.5)*step*0.6, (rng.Float64()-0.5)*step*0.6
			}
			pts[i][j] = orb.Point{float64(i)*step + jx, float64(j)*step + jy}
		}
	}
	var out []Feature
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			ring := orb.Ring{pts[i][j], pts[i+1][j], pts[i+1][j+1], pts[i][j+1], pts[i][j]}
			out = append(out, Feature{ID: i*n + j + 1, Geom: orb.MultiPolygon{{ring}}})
		}
	}
	return out
}

func TestAtAgreesWithBruteForce(t *testing.T) {
	feats := hexCity(60, 6000, 1)
	ix := NewIndex(feats)
	rng := rand.New(rand.NewPCG(2, 2))
	for k := 0; k < 10000; k++ {
		p := orb.Point{rng.Float64()*6200 - 100, rng.Float64()*6200 - 100}
		want, wantOK := 0, false
		for _, f := range feats {
			if planar.MultiPolygonContains(f.Geom.(orb.MultiPolygon), p) {
				want, wantOK = f.ID, true
				break
			}
		}
		got, ok := ix.At(p)
		if ok != wantOK || (ok && got != want && !containsPoint(feats[got-1].Geom, p)) {
			t.Fatalf("At(%v) = %d,%v; brute force %d,%v", p, got, ok, want, wantOK)
		}
	}
}

func TestHitRectLassoNearest(t *testing.T) {
	feats := []Feature{
		{1, orb.MultiPolygon{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}}},
		{2, orb.LineString{{20, 0}, {20, 10}}},
		{3, orb.Point{30, 5}},
		{4, orb.Point{33, 5}},
	}
	ix := NewIndex(feats)
	if got := ix.Hit(orb.Point{5, 5}, 0); len(got) != 1 || got[0] != 1 {
		t.Errorf("inside polygon: %v", got)
	}
	if got := ix.Hit(orb.Point{12, 5}, 2.5); len(got) != 1 || got[0] != 1 {
		t.Errorf("2 from the polygon edge with tolerance 2.5: %v", got)
	}
	if got := ix.Hit(orb.Point{12, 5}, 1.5); len(got) != 0 {
		t.Errorf("2 from the edge with tolerance 1.5: %v", got)
	}
	if got := ix.Hit(orb.Point{31, 5}, 3); len(got) != 2 || got[0] != 3 || got[1] != 4 {
		t.Errorf("two points, nearest first: %v", got)
	}
	got := ix.InRect(orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{25, 11}})
	sort.Ints(got)
	if len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Errorf("rect: %v", got)
	}
	if got := ix.InLasso(orb.Ring{{28, 0}, {32, 0}, {32, 10}, {28, 10}}); len(got) != 1 || got[0] != 3 {
		t.Errorf("lasso: %v", got)
	}
	if got := ix.Nearest(orb.Point{40, 5}, 2, nil); len(got) != 2 || got[0] != 4 || got[1] != 3 {
		t.Errorf("nearest 2: %v", got)
	}
	if got := ix.Nearest(orb.Point{40, 5}, 1, func(id int) bool { return id != 4 }); len(got) != 1 || got[0] != 3 {
		t.Errorf("nearest with filter: %v", got)
	}
}

func TestNearestMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var feats []Feature
	for i := 0; i < 5000; i++ {
		feats = append(feats, Feature{ID: i, Geom: orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}})
	}
	ix := NewIndex(feats)
	even := func(id int) bool { return id%2 == 0 }
	for k := 0; k < 200; k++ {
		p := orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
		got := ix.Nearest(p, 5, even)
		var all []Feature
		for _, f := range feats {
			if even(f.ID) {
				all = append(all, f)
			}
		}
		sort.Slice(all, func(i, j int) bool {
			return planar.Distance(all[i].Geom.(orb.Point), p) < planar.Distance(all[j].Geom.(orb.Point), p)
		})
		for i := range got {
			if math.Abs(planar.Distance(feats[got[i]].Geom.(orb.Point), p)-planar.Distance(all[i].Geom.(orb.Point), p)) > 1e-9 {
				t.Fatalf("nearest %d of %v: got %v", i, p, got)
			}
		}
	}
}
