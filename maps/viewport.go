package maps

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// TileSize is the side of a map tile in device pixels; zoom 0 shows the
// whole Web Mercator world in one tile.
const TileSize = 256

// worldSize is the width of the Web Mercator world in metres.
const worldSize = 2 * math.Pi * orb.EarthRadius

// Project converts a WGS84 lon/lat geometry to Web Mercator metres, in place.
func Project(g orb.Geometry) orb.Geometry { return project.Geometry(g, project.WGS84.ToMercator) }

// ProjectBound converts a lon/lat multipolygon to Web Mercator metres in
// place and returns its bound, in one pass over the points: loading a
// city's grids does this 20,000 times.
func ProjectBound(mp orb.MultiPolygon) orb.Bound {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, poly := range mp {
		for _, ring := range poly {
			for i, p := range ring {
				p = project.WGS84.ToMercator(p)
				ring[i] = p
				b.Min[0], b.Min[1] = min(b.Min[0], p[0]), min(b.Min[1], p[1])
				b.Max[0], b.Max[1] = max(b.Max[0], p[0]), max(b.Max[1], p[1])
			}
		}
	}
	if b.Min[0] > b.Max[0] {
		return orb.Bound{} // no points: orb's bound of an empty geometry
	}
	return b
}

// ProjectPoint converts one lon/lat point to Web Mercator metres.
func ProjectPoint(p orb.Point) orb.Point { return project.WGS84.ToMercator(p) }

// Unproject converts Web Mercator metres to lon/lat.
func Unproject(p orb.Point) orb.Point { return project.Mercator.ToWGS84(p) }

// Viewport is what the map shows: a centre in Web Mercator metres, a
// fractional zoom, a size in logical pixels and the device scale (device
// pixels per logical pixel). Screen coordinates are device pixels from the
// top-left corner.
type Viewport struct {
	Center        orb.Point
	Zoom          float64
	Width, Height int
	Scale         float64
}

// NewViewport is a viewport of w×h logical pixels at device scale 1.
func NewViewport(w, h int) Viewport { return Viewport{Width: w, Height: h, Scale: 1} }

func (v Viewport) scale() float64 {
	if v.Scale <= 0 {
		return 1
	}
	return v.Scale
}

// PixelWidth and PixelHeight are the size in device pixels.
func (v Viewport) PixelWidth() int  { return int(math.Round(float64(v.Width) * v.scale())) }
func (v Viewport) PixelHeight() int { return int(math.Round(float64(v.Height) * v.scale())) }

// Resolution is the number of metres one device pixel covers (at the equator
// of the projection; Mercator metres, not ground metres).
func (v Viewport) Resolution() float64 {
	return worldSize / (TileSize * math.Exp2(v.Zoom) * v.scale())
}

// ToScreen maps a Web Mercator point to device pixels.
func (v Viewport) ToScreen(p orb.Point) (x, y float64) {
	r := v.Resolution()
	return (p[0]-v.Center[0])/r + float64(v.PixelWidth())/2, (v.Center[1]-p[1])/r + float64(v.PixelHeight())/2
}

// ToWorld maps device pixels to a Web Mercator point.
func (v Viewport) ToWorld(x, y float64) orb.Point {
	r := v.Resolution()
	return orb.Point{v.Center[0] + (x-float64(v.PixelWidth())/2)*r, v.Center[1] - (y-float64(v.PixelHeight())/2)*r}
}

// Bounds is the Web Mercator box the viewport shows.
func (v Viewport) Bounds() orb.Bound {
	a, b := v.ToWorld(0, float64(v.PixelHeight())), v.ToWorld(float64(v.PixelWidth()), 0)
	return orb.Bound{Min: a, Max: b}
}

// Fit centres the viewport on b (Web Mercator) at the largest zoom that shows
// all of it with padding logical pixels to spare on every side.
func (v Viewport) Fit(b orb.Bound, padding float64) Viewport {
	v.Center = b.Center()
	w := math.Max(float64(v.Width)-2*padding, 1)
	h := math.Max(float64(v.Height)-2*padding, 1)
	mw, mh := math.Max(b.Max[0]-b.Min[0], 1e-9), math.Max(b.Max[1]-b.Min[1], 1e-9)
	// metres per logical pixel needed on each axis; zoom from the larger.
	need := math.Max(mw/w, mh/h)
	v.Zoom = math.Log2(worldSize / (TileSize * need))
	return v
}

// ZoomAbout changes the zoom by dz keeping the world point under device
// pixel (x, y) where it is, as a wheel zoom about the cursor does.
func (v Viewport) ZoomAbout(x, y, dz float64) Viewport {
	anchor := v.ToWorld(x, y)
	v.Zoom += dz
	after := v.ToWorld(x, y)
	v.Center = orb.Point{v.Center[0] + anchor[0] - after[0], v.Center[1] + anchor[1] - after[1]}
	return v
}

// Pan moves the map content by (dx, dy) device pixels, as a drag does.
func (v Viewport) Pan(dx, dy float64) Viewport {
	r := v.Resolution()
	v.Center = orb.Point{v.Center[0] - dx*r, v.Center[1] + dy*r}
	return v
}
