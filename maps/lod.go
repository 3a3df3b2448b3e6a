package maps

import (
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Level of detail: each polygon or line is kept simplified for a few zoom
// bands, so a city-wide frame walks a fraction of the vertices and never
// draws sub-pixel wiggles. Band b is used at zooms below lodZooms[b]; the
// last band is the full geometry.
var lodZooms = []float64{10, 11, 12, 13, 14, 16, math.Inf(1)}

func bandFor(zoom float64) int {
	for b, z := range lodZooms {
		if zoom < z {
			return b
		}
	}
	return len(lodZooms) - 1
}

// lodTolerance is the simplification tolerance in metres for a band: half a
// pixel at the band's finest zoom, so no simplified edge strays visibly.
func lodTolerance(band int) float64 {
	if band == len(lodZooms)-1 {
		return 0
	}
	return worldSize / (TileSize * math.Exp2(lodZooms[band])) / 2
}

// lodBands holds a layer's geometry at every band, each band simplified on
// first use: a city-wide frame never pays for street-level detail.
type lodBands struct {
	full  []orb.Geometry
	once  [7]sync.Once
	bands [7][]orb.Geometry
}

func newLODBands(feats []Feature) *lodBands {
	full := make([]orb.Geometry, len(feats))
	for i, f := range feats {
		full[i] = f.Geom
	}
	return &lodBands{full: full}
}

// band returns the geometries simplified for band b.
func (l *lodBands) band(b int) []orb.Geometry {
	tol := lodTolerance(b)
	if tol == 0 {
		return l.full
	}
	l.once[b].Do(func() {
		// On every core: the first frame at a new zoom band waits for this.
		out := make([]orb.Geometry, len(l.full))
		workers := runtime.GOMAXPROCS(0)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var sc dpScratch
				for i := w; i < len(out); i += workers {
					out[i] = simplifyKeepingShape(l.full[i], tol, &sc)
				}
			}()
		}
		wg.Wait()
		l.bands[b] = out
	})
	return l.bands[b]
}

// simplifyKeepingShape simplifies with Douglas-Peucker but keeps any ring or
// line that would collapse, so no feature vanishes. What the simplification
// leaves whole is shared with g, not copied: at city zoom most grids keep
// every corner.
func simplifyKeepingShape(g orb.Geometry, tol float64, sc *dpScratch) orb.Geometry {
	switch t := g.(type) {
	case orb.MultiPolygon:
		var out orb.MultiPolygon // nil until a ring changes
		for i, p := range t {
			for j, r := range p {
				s := r
				if n := sc.keep(r, tol); n >= 4 && n < len(r) {
					s = sc.kept(r, n)
				}
				if out == nil && len(s) != len(r) {
					out = make(orb.MultiPolygon, len(t))
					for k := range t {
						out[k] = slices.Clone(t[k])
					}
				}
				if out != nil {
					out[i][j] = s
				}
			}
		}
		if out == nil {
			return t
		}
		return out
	case orb.Polygon:
		return simplifyKeepingShape(orb.MultiPolygon{t}, tol, sc).(orb.MultiPolygon)[0]
	case orb.LineString:
		if n := sc.keep(t, tol); n >= 2 && n < len(t) {
			return orb.LineString(sc.kept(t, n))
		}
	}
	return g
}

// dpScratch is one worker's Douglas-Peucker buffers.
type dpScratch struct {
	mask  []bool
	stack []int
}

// keep marks the points Douglas-Peucker keeps of pts at tolerance tol and
// returns how many. It is orb/simplify's algorithm step for step (the same
// scan, the same ties, so the same points), written out because orb's
// simplifier allocates a mask and a stack for every line and works in
// place (so each ring had to be copied first): for a city's 20,000 small
// rings that cost more than the simplification.
func (sc *dpScratch) keep(pts []orb.Point, tol float64) int {
	if len(pts) <= 2 {
		return len(pts)
	}
	mask := slices.Grow(sc.mask[:0], len(pts))[:len(pts)]
	clear(mask)
	mask[0], mask[len(pts)-1] = true, true
	found := 2
	stack := append(sc.stack[:0], 0, len(pts)-1)
	for len(stack) > 0 {
		start, end := stack[len(stack)-2], stack[len(stack)-1]
		maxDist, maxIndex := 0.0, 0
		for i := start + 1; i < end; i++ {
			if d := planar.DistanceFromSegmentSquared(pts[start], pts[end], pts[i]); d > maxDist {
				maxDist, maxIndex = d, i
			}
		}
		if maxDist > tol*tol {
			found++
			mask[maxIndex] = true
			stack[len(stack)-1] = maxIndex
			stack = append(stack, maxIndex, end)
		} else {
			stack = stack[:len(stack)-2]
		}
	}
	sc.mask, sc.stack = mask, stack
	return found
}

// kept copies the n points keep marked.
func (sc *dpScratch) kept(pts []orb.Point, n int) []orb.Point {
	out := make([]orb.Point, 0, n)
	for i, p := range pts {
		if sc.mask[i] {
			out = append(out, p)
		}
	}
	return out
}
