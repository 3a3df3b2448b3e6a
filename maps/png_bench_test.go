package maps

import (
	"image"
	"image/png"
	"io"
	"os"
	"testing"
)

// The whole-city frame as written by kapok render.
func BenchmarkEncodePNG(b *testing.B) {
	f, err := os.Open("testdata/golden/engine.png")
	if err != nil {
		b.Fatal(err)
	}
	src, err := png.Decode(f)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	// Tile the small golden image over a 1920×1080 frame: flat map colours.
	img := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	sb := src.Bounds()
	for y := 0; y < 1080; y++ {
		for x := 0; x < 1920; x++ {
			img.Set(x, y, src.At(x%sb.Dx(), y%sb.Dy()))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := EncodePNG(io.Discard, img); err != nil {
			b.Fatal(err)
		}
	}
}
