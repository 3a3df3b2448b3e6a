package citymap

import (
	"image"
	"image/color"
	"math"
	"os"
	"testing"

	"github.com/paulmach/orb"

	kmaps "kapok/maps"
)

// inked is the first run of row y darker than mid-grey, as [first, last]
// (-1, -1 for none).
func inked(img *image.RGBA, y int) (first, last int) {
	first, last = -1, -1
	for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
		dark := img.RGBAAt(x, y).R < 128
		if dark && first < 0 {
			first = x
		}
		if !dark && first >= 0 {
			break
		}
		if dark {
			last = x
		}
	}
	return first, last
}

// The map's bar: the round length its pixels span on the ground at the
// view's centre, its label to its right, all within 200 × 30 pixels of the
// bottom-left corner; twice the pixels at device scale 2.
func TestDrawScaleBar(t *testing.T) {
	for _, scale := range []float64{1, 2} {
		v := kmaps.NewViewport(400, 300)
		v.Scale = scale
		v.Center = kmaps.ProjectPoint(orb.Point{113.26, 23.13})
		v.Zoom = 14 // 8.8 m a logical pixel: 120 px are 1,054 m
		w, h := v.PixelWidth(), v.PixelHeight()
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		DrawScaleBar(img, v)
		y := h - int(16*scale) // the bar's line
		first, last := inked(img, y)
		barPx := float64(1000) / kmaps.GroundResolution(v) // "1 km"
		if first != int(16*scale) || math.Abs(float64(last-first+1)-barPx) > 1.5 {
			t.Errorf("scale %g: bar from x=%d to %d, want %g px from %d", scale, first, last, barPx, int(16*scale))
		}
		// The label: ink right of the bar, in the bar's band.
		labelInk := 0
		for yy := h - int(30*scale); yy < h; yy++ {
			for x := last + 2; x < w; x++ {
				if c := img.RGBAAt(x, yy); c.R < 128 {
					labelInk++
					if x >= int(200*scale) {
						t.Fatalf("scale %g: ink at x=%d, beyond 200 px", scale, x)
					}
				}
			}
		}
		if labelInk < 20 {
			t.Errorf("scale %g: no label beside the bar (%d dark pixels)", scale, labelInk)
		}
		for yy := 0; yy < h-int(30*scale); yy++ {
			if f, _ := inked(img, yy); f >= 0 || img.RGBAAt(0, yy) != (color.RGBA{255, 255, 255, 255}) {
				t.Fatalf("scale %g: drawn over row %d, above the bottom 30 px", scale, yy)
			}
		}
		if os.Getenv("KAPOK_SCALEBAR_PNG") != "" && scale == 2 {
			if err := writePNG(os.Getenv("KAPOK_SCALEBAR_PNG"), img); err != nil {
				t.Fatal(err)
			}
		}
	}
}
