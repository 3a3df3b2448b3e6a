package maps

import (
	"math"

	"golang.org/x/image/vector"
)

// strokePath adds a polyline of the given width (pixels) to an anti-aliasing
// rasterizer as one quad per segment. Every quad winds the same way, so where
// they overlap at joints the rasterizer's clamped coverage fills them once.
func strokePath(z *vector.Rasterizer, pts []float64, width float64) {
	hw := width / 2
	for i := 0; i+3 < len(pts); i += 2 {
		ax, ay, bx, by := pts[i], pts[i+1], pts[i+2], pts[i+3]
		dx, dy := bx-ax, by-ay
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		// Extend each segment by half the width so joints close.
		ex, ey := dx/l*hw, dy/l*hw
		nx, ny := -dy/l*hw, dx/l*hw
		ax, ay, bx, by = ax-ex, ay-ey, bx+ex, by+ey
		z.MoveTo(float32(ax+nx), float32(ay+ny))
		z.LineTo(float32(bx+nx), float32(by+ny))
		z.LineTo(float32(bx-nx), float32(by-ny))
		z.LineTo(float32(ax-nx), float32(ay-ny))
		z.ClosePath()
	}
}

// fillPath adds closed rings to the rasterizer for an anti-aliased fill.
func fillPath(z *vector.Rasterizer, rings [][]float64) {
	for _, r := range rings {
		if len(r) < 6 {
			continue
		}
		z.MoveTo(float32(r[0]), float32(r[1]))
		for i := 2; i+1 < len(r); i += 2 {
			z.LineTo(float32(r[i]), float32(r[i+1]))
		}
		z.ClosePath()
	}
}
