package maps

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// What EncodePNG writes decodes, with the standard decoder, to the same
// pixels.
func TestEncodePNGRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, 300, 700)) // several IDAT chunks
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(rng.IntN(256)), uint8(i/1000), 7, 255
	}
	var buf bytes.Buffer
	if err := EncodePNG(&buf, img); err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 700; y++ {
		for x := 0; x < 300; x++ {
			r, g, b, _ := back.At(x, y).RGBA()
			want := img.RGBAAt(x, y)
			if (color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}) != want {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, back.At(x, y), want)
			}
		}
	}
}
