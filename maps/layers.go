package maps

import (
	"image/color"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// fillLayer is the polygons filled through the palette: the grids, coloured
// by status. Tiles keep an id raster of it, so a status change recolours
// pixels without rasterizing anything again.
type fillLayer struct {
	index *Index
	lod   *lodBands
	pos   map[int]int32 // caller id → position; nil when ids are positions
}

// position is the fill position of a caller's id.
func (fl *fillLayer) position(id int) (int32, bool) {
	if fl.pos == nil {
		return int32(id), id >= 0 && id < len(fl.index.feats)
	}
	p, ok := fl.pos[id]
	return p, ok
}

// outlineLayer is polygon boundaries or lines stroked in one style. Its
// features are made on first use (see AddOutlinesFunc).
type outlineLayer struct {
	name             string
	once             sync.Once
	make             func() []Feature
	index            *Index
	lod              *lodBands
	color            color.NRGBA
	width            float64 // logical pixels
	minZoom, maxZoom float64
	// minPixels skips features smaller than this on screen: a city-wide
	// frame does not stroke grids that are a pixel or two across.
	minPixels float64
	hidden    atomic.Bool // read by frames being drawn
}

// pointLayer is markers, one colour per feature, made on first use.
type pointLayer struct {
	name    string
	once    sync.Once
	make    func() ([]Feature, func(id int) color.NRGBA)
	index   *Index
	colors  func(id int) color.NRGBA
	radius  float64 // logical pixels
	minZoom float64
	shape   Shape
	hidden  atomic.Bool
}

// ready builds the layer's features and index once.
func (l *outlineLayer) ready() {
	l.once.Do(func() {
		feats := l.make()
		l.index, l.lod = NewIndex(feats), newLODBands(feats)
	})
}

// OutlineStyle says how and when an outline layer is drawn.
type OutlineStyle struct {
	Color            color.NRGBA
	Width            float64 // logical pixels
	MinZoom, MaxZoom float64 // drawn for MinZoom ≤ zoom < MaxZoom (0 = no upper limit)
	MinPixels        float64 // features smaller on screen are not stroked
}

// ringsInPixels converts a polygonal or linear geometry to flat pixel
// coordinates relative to a tile origin, reusing out's slices: it runs for
// every feature in every tile.
func ringsInPixels(g orb.Geometry, ox, oy, res float64, out [][]float64) [][]float64 {
	n := 0
	inv := 1 / res
	add := func(pts []orb.Point, out [][]float64) [][]float64 {
		switch {
		case n < len(out):
		case n < cap(out):
			out = out[:n+1]
		default:
			out = append(out, nil)
		}
		r := out[n]
		if cap(r) < 2*len(pts) {
			r = make([]float64, 2*len(pts), 4*len(pts))
		}
		r = r[:2*len(pts)]
		for k, p := range pts {
			r[2*k] = clampPx((p[0] - ox) * inv)
			r[2*k+1] = clampPx((oy - p[1]) * inv)
		}
		out[n] = r
		n++
		return out
	}
	switch t := g.(type) {
	case orb.MultiPolygon:
		for _, p := range t {
			for _, r := range p {
				out = add(r, out)
			}
		}
	case orb.Polygon:
		for _, r := range t {
			out = add(r, out)
		}
	case orb.LineString:
		out = add(t, out)
	case orb.MultiLineString:
		for _, l := range t {
			out = add(l, out)
		}
	}
	return out[:n]
}

// clampPx keeps pixel coordinates where the rasterizers stay fast: a vertex
// a million pixels away is off screen whatever its exact place.
func clampPx(x float64) float64 {
	const far = 1 << 20
	if x >= -far && x <= far {
		return x
	}
	if x > 0 {
		return far
	}
	return -far // also NaN
}

func (l *pointLayer) ready() {
	l.once.Do(func() {
		feats, colors := l.make()
		l.index, l.colors = NewIndex(feats), colors
	})
}
