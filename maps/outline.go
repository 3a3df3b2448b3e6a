package maps

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// drawOutlines strokes one outline layer into a tile's overlay, anti-aliased.
func drawOutlines(dst *image.RGBA, l *outlineLayer, tb orb.Bound, ox, oy, res float64, band int, sc *scratch) {
	width := l.width
	pad := width * res
	lo, hi := orb.Point{tb.Min[0] - pad, tb.Min[1] - pad}, orb.Point{tb.Max[0] + pad, tb.Max[1] + pad}
	z := sc.z
	z.Reset(TileSize, TileSize)
	any := false
	l.index.tree.Search(lo, hi, func(_, _ [2]float64, i int32) bool {
		b := l.index.bounds[i]
		if l.minPixels > 0 && (b.Max[0]-b.Min[0])/res < l.minPixels && (b.Max[1]-b.Min[1])/res < l.minPixels {
			return true
		}
		sc.rings = ringsInPixels(l.lod[i][band], ox, oy, res, sc.rings)
		for _, r := range sc.rings {
			strokePath(z, r, width)
		}
		any = true
		return true
	})
	if any {
		z.DrawOp = draw.Over
		z.Draw(dst, dst.Bounds(), image.NewUniform(l.color), image.Point{})
	}
}

// drawPoints stamps the marker layers visible at this zoom onto the frame.
func (m *Map) drawPoints(frame *image.RGBA, v Viewport) {
	m.mu.Lock()
	layers := m.points
	m.mu.Unlock()
	b := v.Bounds()
	for _, l := range layers {
		if v.Zoom < l.minZoom {
			continue
		}
		r := l.radius * v.scale()
		mask := discMask(r)
		off := mask.Bounds().Dx() / 2
		l.index.tree.Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool {
			f := l.index.feats[i]
			x, y := v.ToScreen(f.Geom.(orb.Point))
			at := image.Pt(int(x)-off, int(y)-off)
			draw.DrawMask(frame, mask.Bounds().Add(at), image.NewUniform(l.colors(f.ID)), image.Point{}, mask, image.Point{}, draw.Over)
			return true
		})
	}
}

// discMask is an anti-aliased disc with a one-pixel darker rim left to the
// caller's colour: just the coverage.
func discMask(r float64) *image.Alpha {
	n := int(2*r) + 3
	z := vector.NewRasterizer(n, n)
	c := float32(n) / 2
	const k = 0.5523 // cubic Bézier circle constant
	rr := float32(r)
	z.MoveTo(c+rr, c)
	z.CubeTo(c+rr, c+rr*k, c+rr*k, c+rr, c, c+rr)
	z.CubeTo(c-rr*k, c+rr, c-rr, c+rr*k, c-rr, c)
	z.CubeTo(c-rr, c-rr*k, c-rr*k, c-rr, c, c-rr)
	z.CubeTo(c+rr*k, c-rr, c+rr, c-rr*k, c+rr, c)
	z.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, n, n))
	z.Draw(mask, mask.Bounds(), image.NewUniform(color.Alpha{255}), image.Point{})
	return mask
}
