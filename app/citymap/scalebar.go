package citymap

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	kmaps "kapok/maps"
)

// scaleBarMax is the longest the bar may be, in logical pixels; its label
// goes to its right, the whole within 200 × 30 pixels of the bottom-left
// corner.
const scaleBarMax = 120

var scaleFont struct {
	once sync.Once
	lb   *kmaps.Labeler
}

// scaleLabeler is the bundled font's labeler for the bar's label (nil if
// the font cannot be read: the bar is drawn without its label).
func scaleLabeler() *kmaps.Labeler {
	scaleFont.once.Do(func() {
		scaleFont.lb, _ = Font()
	})
	return scaleFont.lb
}

// DrawScaleBar draws a scale bar of a round ground length (1, 2 or 5 times
// a power of ten: kmaps.ScaleBar) in the bottom-left corner, its length
// written to its right ("500 m", "2 km"). Sizes follow the view's device
// scale.
func DrawScaleBar(img *image.RGBA, v kmaps.Viewport) {
	s := v.Scale
	if s <= 0 {
		s = 1
	}
	d := func(x float64) int { return int(math.Round(x * s)) }
	_, length, label := kmaps.ScaleBar(kmaps.GroundResolution(v), scaleBarMax*s)
	px := int(math.Round(length))
	ink := color.NRGBA{30, 30, 30, 255}
	paper := color.NRGBA{255, 255, 255, 200}
	var text *image.RGBA
	if lb := scaleLabeler(); lb != nil {
		text = lb.Text(11*s, label, ink, color.NRGBA{255, 255, 255, 0})
	}
	x0, y0 := d(16), img.Bounds().Max.Y-d(16)
	right := x0 + px + d(2)
	if text != nil {
		right = x0 + px + d(3) + text.Bounds().Dx()
	}
	bar := func(r image.Rectangle, c color.NRGBA) {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Over)
	}
	bar(image.Rect(x0-d(4), y0-d(10), right, y0+d(4)), paper)
	bar(image.Rect(x0, y0-d(1), x0+px, y0+d(2)), ink)
	bar(image.Rect(x0, y0-d(5), x0+d(2), y0+d(2)), ink)
	bar(image.Rect(x0+px-d(2), y0-d(5), x0+px, y0+d(2)), ink)
	if text != nil {
		at := image.Pt(x0+px+d(3), y0-d(3)-text.Bounds().Dy()/2)
		draw.Draw(img, text.Bounds().Add(at), text, image.Point{}, draw.Over)
	}
}
