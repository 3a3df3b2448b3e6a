package maps

import (
	"context"
	"image/color"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// Geometry from outside (a mirror edited elsewhere) may be empty, degenerate
// or absurdly large: indexing, hit-testing and drawing must never panic.
func FuzzRenderGeometry(f *testing.F) {
	f.Add(0.0, 0.0, 10.0, 10.0, 5.0, 3.0, 12.0)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)            // all one point
	f.Add(1e300, -1e300, 1e308, 1e-300, 0.0, 0.0, 30.0) // huge
	f.Add(math.NaN(), 1.0, math.Inf(1), 2.0, 3.0, 4.0, 5.0)
	f.Fuzz(func(t *testing.T, x0, y0, x1, y1, x2, y2, zoom float64) {
		ring := orb.Ring{{x0, y0}, {x1, y1}, {x2, y2}, {x0, y0}}
		feats := []Feature{{1, orb.MultiPolygon{{ring}}}, {2, orb.MultiPolygon{}}, {3, orb.LineString{{x0, y0}, {x1, y1}}}}
		m := NewMap(16)
		m.SetFill(feats[:2], func(int) color.NRGBA { return color.NRGBA{200, 0, 0, 255} })
		m.AddOutlines("o", feats, OutlineStyle{Color: color.NRGBA{0, 0, 0, 255}, Width: 1})
		m.AddPoints("p", []Feature{{1, orb.Point{x2, y2}}}, func(int) color.NRGBA { return color.NRGBA{0, 0, 255, 255} }, 3, 0)
		if math.IsNaN(zoom) || math.IsInf(zoom, 0) {
			zoom = 0
		}
		v := Viewport{Center: orb.Point{x0, y0}, Zoom: math.Mod(math.Abs(zoom), 24), Width: 64, Height: 48, Scale: 1}
		if _, err := m.Render(context.Background(), v); err != nil {
			t.Fatalf("render: %v", err)
		}
		ix := m.FillIndex()
		ix.At(orb.Point{x1, y1})
		ix.Hit(orb.Point{x2, y2}, 5)
		ix.Nearest(orb.Point{x2, y2}, 2, nil)
		ix.InLasso(orb.Ring{{x0, y0}, {x1, y1}, {x2, y2}})
	})
}
