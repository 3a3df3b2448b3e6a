package maps

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// highlight is the selection overlay: features drawn over everything with
// an anti-aliased translucent fill and outline.
type highlight struct {
	feats        []Feature
	fill, stroke color.NRGBA
	width        float64
}

// SetHighlight sets the selection overlay (nil or empty clears it). It is
// drawn per frame, not tiled, so selecting never invalidates a tile.
func (m *Map) SetHighlight(feats []Feature, fill, stroke color.NRGBA, width float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.highlight = &highlight{feats: feats, fill: fill, stroke: stroke, width: width}
}

func (h *highlight) draw(dst *image.RGBA, v Viewport) {
	if h == nil || len(h.feats) == 0 {
		return
	}
	// Rasterize only the screen box the selection covers.
	vb := v.Bounds()
	var box orb.Bound
	first := true
	for _, f := range h.feats {
		b := f.Geom.Bound()
		if !b.Intersects(vb) {
			continue
		}
		if first {
			box, first = b, false
		}
		box = box.Union(b)
	}
	if first {
		return
	}
	x0, y1 := v.ToScreen(box.Min)
	x1, y0 := v.ToScreen(box.Max)
	pad := h.width + 2
	r := image.Rect(int(math.Floor(x0-pad)), int(math.Floor(y0-pad)), int(math.Ceil(x1+pad)), int(math.Ceil(y1+pad))).Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	res := v.Resolution()
	origin := v.ToWorld(float64(r.Min.X), float64(r.Min.Y))
	var rings [][]float64
	paint := func(stroke bool, c color.NRGBA) {
		z := vector.NewRasterizer(r.Dx(), r.Dy())
		for _, f := range h.feats {
			rings = ringsInPixels(f.Geom, origin[0], origin[1], res, rings)
			if stroke {
				for _, ring := range rings {
					strokePath(z, ring, h.width*v.scale())
				}
			} else {
				fillPath(z, rings)
			}
		}
		z.DrawOp = draw.Over
		z.Draw(dst, r, image.NewUniform(c), image.Point{})
	}
	if h.fill.A > 0 {
		paint(false, h.fill)
	}
	if h.stroke.A > 0 && h.width > 0 {
		paint(true, h.stroke)
	}
}
