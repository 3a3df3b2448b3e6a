package citymap

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	kmaps "kapok/maps"
)

// DrawScaleBar draws a scale bar of a round ground length in the bottom-left
// corner. Ground metres per pixel shrink with the cosine of the latitude in
// Web Mercator.
func DrawScaleBar(img *image.RGBA, v kmaps.Viewport) {
	lat := kmaps.Unproject(v.Center)[1] * math.Pi / 180
	mpp := v.Resolution() * math.Cos(lat)
	maxPx := 160.0
	length := NiceLength(mpp * maxPx)
	px := int(length / mpp)
	x0, y0 := 16, img.Bounds().Dy()-20
	bar := func(r image.Rectangle, c color.NRGBA) {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Over)
	}
	bar(image.Rect(x0-2, y0-6, x0+px+2, y0+4), color.NRGBA{255, 255, 255, 200})
	bar(image.Rect(x0, y0-1, x0+px, y0+2), color.NRGBA{30, 30, 30, 255})
	bar(image.Rect(x0, y0-5, x0+2, y0+2), color.NRGBA{30, 30, 30, 255})
	bar(image.Rect(x0+px-2, y0-5, x0+px, y0+2), color.NRGBA{30, 30, 30, 255})
}

// NiceLength rounds a length down to 1, 2 or 5 times a power of ten (the
// scale bars' lengths: the map's and a briefing's).
func NiceLength(m float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(m)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= m {
			return f * p
		}
	}
	return p
}
