package maps

import (
	"math"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// Feature is one geometry of a layer, in Web Mercator metres. ID is the
// caller's, unique within the layer.
type Feature struct {
	ID   int
	Geom orb.Geometry
}

// Index answers spatial questions about one layer's features: which polygon
// holds a point, what lies under the cursor, in a rectangle or lasso, or
// nearest to a point.
//
// The R-tree is built on the first question, not with the index: a frame
// finds what to draw without it (see fillCandidates), and building it for
// 20,000 grids cost `kapok render` some 25 ms on the way to its one frame.
type Index struct {
	feats  []Feature
	bounds []orb.Bound
	once   sync.Once
	built  atomic.Bool
	tree   rtree.RTreeG[int32]
}

// NewIndex indexes the features (kept by reference, not copied).
func NewIndex(feats []Feature) *Index {
	bounds := make([]orb.Bound, len(feats))
	for i, f := range feats {
		bounds[i] = f.Geom.Bound()
	}
	return NewIndexBounds(feats, bounds)
}

// NewIndexBounds indexes features whose bounds the caller already has
// (from ProjectBound, say); bounds[i] must be feats[i]'s.
func NewIndexBounds(feats []Feature, bounds []orb.Bound) *Index {
	return &Index{feats: feats, bounds: bounds}
}

// drawable reports whether feature i can be found or drawn: empty or
// non-finite geometry is kept out of the tree and out of frames.
func (ix *Index) drawable(i int) bool {
	b := ix.bounds[i]
	return finite(b.Min[0], b.Min[1], b.Max[0], b.Max[1]) && !isEmptyGeom(ix.feats[i].Geom)
}

// rtreeReady returns the R-tree, building it on first use.
func (ix *Index) rtreeReady() *rtree.RTreeG[int32] {
	ix.once.Do(func() {
		for i := range ix.feats {
			if ix.drawable(i) {
				ix.tree.Insert(ix.bounds[i].Min, ix.bounds[i].Max, int32(i))
			}
		}
		ix.built.Store(true)
	})
	return &ix.tree
}

// Len is the number of features.
func (ix *Index) Len() int { return len(ix.feats) }

// Feature returns the i-th indexed feature.
func (ix *Index) Feature(i int) Feature { return ix.feats[i] }

// At returns the id of the polygon that contains p (exactly: boundary points
// count as inside), or false.
func (ix *Index) At(p orb.Point) (int, bool) {
	id, found := 0, false
	ix.rtreeReady().Search(p, p, func(_, _ [2]float64, i int32) bool {
		if containsPoint(ix.feats[i].Geom, p) {
			id, found = ix.feats[i].ID, true
			return false
		}
		return true
	})
	return id, found
}

func containsPoint(g orb.Geometry, p orb.Point) bool {
	switch t := g.(type) {
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(t, p)
	case orb.Polygon:
		return planar.PolygonContains(t, p)
	}
	return false
}

// Hit returns the ids of features within tol metres of p (inside a polygon,
// or near its edge, a line or a point), nearest first.
func (ix *Index) Hit(p orb.Point, tol float64) []int {
	type hit struct {
		id int
		d  float64
	}
	var hits []hit
	lo, hi := orb.Point{p[0] - tol, p[1] - tol}, orb.Point{p[0] + tol, p[1] + tol}
	ix.rtreeReady().Search(lo, hi, func(_, _ [2]float64, i int32) bool {
		if d := distanceTo(ix.feats[i].Geom, p); d <= tol {
			hits = append(hits, hit{ix.feats[i].ID, d})
		}
		return true
	})
	// Few hits: insertion sort keeps this allocation-free.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].d < hits[j-1].d; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	ids := make([]int, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	return ids
}

// distanceTo is 0 inside a polygon, else the distance to the geometry.
func distanceTo(g orb.Geometry, p orb.Point) float64 {
	switch t := g.(type) {
	case orb.Point:
		return planar.Distance(t, p)
	case orb.MultiPolygon, orb.Polygon:
		if containsPoint(g, p) {
			return 0
		}
	}
	return planar.DistanceFrom(g, p)
}

// InRect returns the ids of features whose representative point (a point,
// a line's middle vertex, a polygon's bound centre when inside it, else its
// first vertex) lies in b: what a rubber-band selection picks.
func (ix *Index) InRect(b orb.Bound) []int {
	var ids []int
	ix.rtreeReady().Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool {
		if b.Contains(ix.anchor(int(i))) {
			ids = append(ids, ix.feats[i].ID)
		}
		return true
	})
	return ids
}

// InLasso returns the ids of features whose representative point lies in
// the closed lasso ring.
func (ix *Index) InLasso(lasso orb.Ring) []int {
	if len(lasso) < 3 {
		return nil
	}
	if !lasso.Closed() {
		lasso = append(append(orb.Ring{}, lasso...), lasso[0])
	}
	var ids []int
	b := lasso.Bound()
	ix.rtreeReady().Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool {
		if planar.RingContains(lasso, ix.anchor(int(i))) {
			ids = append(ids, ix.feats[i].ID)
		}
		return true
	})
	return ids
}

func (ix *Index) anchor(i int) orb.Point {
	switch g := ix.feats[i].Geom.(type) {
	case orb.Point:
		return g
	case orb.LineString:
		return g[len(g)/2]
	}
	c := ix.bounds[i].Center()
	if containsPoint(ix.feats[i].Geom, c) {
		return c
	}
	return firstVertex(ix.feats[i].Geom)
}

func firstVertex(g orb.Geometry) orb.Point {
	switch t := g.(type) {
	case orb.MultiPolygon:
		return t[0][0][0]
	case orb.Polygon:
		return t[0][0]
	}
	return g.Bound().Center()
}

// Nearest returns up to k ids nearest to p among features keep accepts
// (nil keeps all), nearest first.
func (ix *Index) Nearest(p orb.Point, k int, keep func(id int) bool) []int {
	var ids []int
	if k <= 0 {
		return ids
	}
	// rtree's box distance is squared; the item distance must be too.
	dist := rtree.BoxDist[float64, int32](p, p, func(_, _ [2]float64, i int32) float64 {
		d := distanceTo(ix.feats[i].Geom, p)
		return d * d
	})
	ix.rtreeReady().Nearby(dist, func(_, _ [2]float64, i int32, _ float64) bool {
		if keep == nil || keep(ix.feats[i].ID) {
			ids = append(ids, ix.feats[i].ID)
		}
		return len(ids) < k
	})
	return ids
}

// MetresPerPixelTolerance turns a pixel tolerance into metres at viewport v.
func MetresPerPixelTolerance(v Viewport, px float64) float64 { return math.Abs(px) * v.Resolution() }

func isEmptyGeom(g orb.Geometry) bool {
	switch t := g.(type) {
	case orb.MultiPolygon:
		return len(t) == 0
	case orb.Polygon:
		return len(t) == 0
	case orb.LineString:
		return len(t) == 0
	}
	return g == nil
}
