package maps

import (
	"image/color"
	"math"

	"github.com/paulmach/orb"
)

// fillLayer is the polygons filled through the palette: the grids, coloured
// by status. Tiles keep an id raster of it, so a status change recolours
// pixels without rasterizing anything again.
type fillLayer struct {
	index *Index
	lod   []lodSet
	pos   map[int]int32 // caller id → position
}

// outlineLayer is polygon boundaries or lines stroked in one style.
type outlineLayer struct {
	name             string
	index            *Index
	lod              []lodSet
	color            color.RGBA
	width            float64 // logical pixels
	minZoom, maxZoom float64
	// minPixels skips features smaller than this on screen: a city-wide
	// frame does not stroke grids that are a pixel or two across.
	minPixels float64
}

// pointLayer is markers, one colour per feature.
type pointLayer struct {
	name    string
	index   *Index
	colors  func(id int) color.RGBA
	radius  float64 // logical pixels
	minZoom float64
}

func lodSets(feats []Feature) []lodSet {
	out := make([]lodSet, len(feats))
	for i, f := range feats {
		out[i] = newLODSet(f.Geom)
	}
	return out
}

// OutlineStyle says how and when an outline layer is drawn.
type OutlineStyle struct {
	Color            color.RGBA
	Width            float64 // logical pixels
	MinZoom, MaxZoom float64 // drawn for MinZoom ≤ zoom < MaxZoom (0 = no upper limit)
	MinPixels        float64 // features smaller on screen are not stroked
}

// ringsInPixels converts a polygonal or linear geometry to flat pixel
// coordinates relative to a tile origin.
func ringsInPixels(g orb.Geometry, ox, oy, res float64, out [][]float64) [][]float64 {
	n := 0
	add := func(pts []orb.Point) {
		// Reuse the slices of the previous call: this runs per feature per tile.
		switch {
		case n < len(out):
		case n < cap(out):
			out = out[:n+1]
		default:
			out = append(out, nil)
		}
		r := out[n][:0]
		for _, p := range pts {
			r = append(r, clampPx((p[0]-ox)/res), clampPx((oy-p[1])/res))
		}
		out[n] = r
		n++
	}
	switch t := g.(type) {
	case orb.MultiPolygon:
		for _, p := range t {
			for _, r := range p {
				add(r)
			}
		}
	case orb.Polygon:
		for _, r := range t {
			add(r)
		}
	case orb.LineString:
		add(t)
	case orb.MultiLineString:
		for _, l := range t {
			add(l)
		}
	}
	return out[:n]
}

// clampPx keeps pixel coordinates where the rasterizers stay fast: a vertex
// a million pixels away is off screen whatever its exact place.
func clampPx(x float64) float64 {
	const far = 1 << 20
	if x > far || x < -far || math.IsNaN(x) {
		if x > 0 {
			return far
		}
		return -far
	}
	return x
}
