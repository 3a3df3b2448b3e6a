package maps

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// drawOutlines rasterizes one outline layer's coverage in a tile,
// anti-aliased, or returns nil when the layer has nothing there.
func drawOutlines(l *outlineLayer, tb orb.Bound, ox, oy, res float64, band int, sc *scratch) *image.Alpha {
	width := l.width
	pad := width * res
	lo, hi := orb.Point{tb.Min[0] - pad, tb.Min[1] - pad}, orb.Point{tb.Max[0] + pad, tb.Max[1] + pad}
	z := sc.z
	z.Reset(tilePx, tilePx)
	any := false
	geoms := l.lod.band(band)
	l.index.rtreeReady().Search(lo, hi, func(_, _ [2]float64, i int32) bool {
		b := l.index.bounds[i]
		if l.minPixels > 0 && (b.Max[0]-b.Min[0])/res < l.minPixels && (b.Max[1]-b.Min[1])/res < l.minPixels {
			return true
		}
		sc.rings = ringsInPixels(geoms[i], ox, oy, res, sc.rings)
		for _, r := range sc.rings {
			strokePath(z, r, width)
		}
		any = true
		return true
	})
	if !any {
		return nil
	}
	// Coverage into an alpha mask takes x/image/vector's SIMD path.
	mask := maskPool.Get().(*image.Alpha)
	z.DrawOp = draw.Src
	z.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	return mask
}

// drawPoints stamps the marker layers visible at this zoom onto the frame.
func (m *Map) drawPoints(frame *image.RGBA, v Viewport) {
	m.mu.Lock()
	layers := m.points
	m.mu.Unlock()
	b := v.Bounds()
	for _, l := range layers {
		if v.Zoom < l.minZoom || l.hidden.Load() {
			continue
		}
		l.ready()
		r := l.radius * v.scale()
		mask := markerMask(l.shape, r)
		off := mask.Bounds().Dx() / 2
		l.index.rtreeReady().Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool {
			f := l.index.feats[i]
			x, y := v.ToScreen(f.Geom.(orb.Point))
			stamp(frame, mask, int(x)-off, int(y)-off, l.colors(f.ID))
			return true
		})
	}
}

// stamp lays colour c through mask at (x, y) on an opaque frame: the hot
// loop of marker drawing, where image/draw's generic path allocates and
// dispatches per marker.
func stamp(dst *image.RGBA, mask *image.Alpha, x, y int, c color.NRGBA) {
	n := mask.Rect.Dx()
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	for my := 0; my < n; my++ {
		py := y + my
		if py < 0 || py >= h {
			continue
		}
		for mx := 0; mx < n; mx++ {
			px := x + mx
			m := uint32(mask.Pix[my*mask.Stride+mx])
			if px < 0 || px >= w || m == 0 {
				continue
			}
			a := uint32(c.A) * m / 255
			ia := 255 - a
			p := dst.Pix[py*dst.Stride+4*px : py*dst.Stride+4*px+4 : py*dst.Stride+4*px+4]
			p[0] = uint8((uint32(c.R)*a + uint32(p[0])*ia) / 255)
			p[1] = uint8((uint32(c.G)*a + uint32(p[1])*ia) / 255)
			p[2] = uint8((uint32(c.B)*a + uint32(p[2])*ia) / 255)
		}
	}
}

// Shape is a marker's symbol.
type Shape int

// Marker symbols: the four center levels get one each.
const (
	Disc Shape = iota
	Square
	Diamond
	Triangle
)

// MarkerIcon is a marker as the map draws it, on a transparent square: for
// legends.
func MarkerIcon(s Shape, radius float64, c color.NRGBA) *image.NRGBA {
	mask := markerMask(s, radius)
	img := image.NewNRGBA(mask.Rect)
	for i, a := range mask.Pix {
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2] = c.R, c.G, c.B
		img.Pix[4*i+3] = uint8(uint32(a) * uint32(c.A) / 255)
	}
	return img
}

// markerMask is the coverage of a marker of radius r.
func markerMask(s Shape, r float64) *image.Alpha {
	if s == Disc {
		return discMask(r)
	}
	n := int(2*r) + 3
	c, rr := float32(n)/2, float32(r)
	z := vector.NewRasterizer(n, n)
	switch s {
	case Square:
		k := rr * 0.85
		z.MoveTo(c-k, c-k)
		z.LineTo(c+k, c-k)
		z.LineTo(c+k, c+k)
		z.LineTo(c-k, c+k)
	case Diamond:
		z.MoveTo(c, c-rr)
		z.LineTo(c+rr, c)
		z.LineTo(c, c+rr)
		z.LineTo(c-rr, c)
	case Triangle:
		z.MoveTo(c, c-rr)
		z.LineTo(c+rr*0.87, c+rr*0.5)
		z.LineTo(c-rr*0.87, c+rr*0.5)
	}
	z.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, n, n))
	z.Draw(mask, mask.Bounds(), image.NewUniform(color.Alpha{255}), image.Point{})
	return mask
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
