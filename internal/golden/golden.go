package golden

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Compare checks img against testdata/golden/name: at most 0.5% of the
// pixels may differ by more than 24 in a channel (anti-aliasing may move
// between library versions; a wrong colour, shape or place may not). With
// UPDATE_GOLDEN=1 it rewrites the golden file instead (then look at it). A
// failing image is written to testdata/failed/ to be looked at.
func Compare(t testing.TB, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDEN=1 creates it; then look at it)", err)
	}
	defer func() { _ = f.Close() }()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	bad := 0
	if want.Bounds() != b {
		bad = b.Dx() * b.Dy()
	} else {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r1, g1, b1, _ := img.At(x, y).RGBA()
				r2, g2, b2, _ := want.At(x, y).RGBA()
				if far(r1, r2) || far(g1, g2) || far(b1, b2) {
					bad++
				}
			}
		}
	}
	if limit := b.Dx() * b.Dy() / 200; bad > limit {
		if err := os.MkdirAll(filepath.Join("testdata", "failed"), 0o755); err != nil {
			t.Error(err)
		}
		if out, err := os.Create(filepath.Join("testdata", "failed", name)); err == nil {
			if err := png.Encode(out, img); err != nil {
				t.Error(err)
			}
			if err := out.Close(); err != nil {
				t.Error(err)
			}
		}
		t.Fatalf("%s: %d pixels differ (limit %d); see testdata/failed/%s", name, bad, limit, name)
	}
}

func far(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > 24 || d < -24
}
