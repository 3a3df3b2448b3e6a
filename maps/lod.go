package maps

import (
	"math"
	"runtime"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
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
				for i := w; i < len(out); i += workers {
					out[i] = simplifyKeepingShape(l.full[i], tol)
				}
			}()
		}
		wg.Wait()
		l.bands[b] = out
	})
	return l.bands[b]
}

// simplifyKeepingShape simplifies with Douglas-Peucker (orb/simplify) but
// keeps any ring or line that would collapse, so no feature vanishes.
func simplifyKeepingShape(g orb.Geometry, tol float64) orb.Geometry {
	dp := simplify.DouglasPeucker(tol)
	switch t := g.(type) {
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(t))
		for i, p := range t {
			out[i] = make(orb.Polygon, len(p))
			for j, r := range p {
				s := dp.Ring(r.Clone())
				if len(s) < 4 {
					s = r
				}
				out[i][j] = s
			}
		}
		return out
	case orb.Polygon:
		return simplifyKeepingShape(orb.MultiPolygon{t}, tol).(orb.MultiPolygon)[0]
	case orb.LineString:
		if s := dp.LineString(t.Clone()); len(s) >= 2 {
			return s
		}
	}
	return g
}
