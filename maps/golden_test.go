package maps

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

// CompareGolden compares img with testdata/golden/name: at most 0.5% of the
// pixels may differ by more than 24 in a channel (anti-aliasing may move
// between library versions; a wrong colour, shape or place may not). With
// UPDATE_GOLDEN=1 it rewrites the golden file. A failing image goes to
// testdata/failed/ to be looked at.
func CompareGolden(t *testing.T, name string, img *image.RGBA) {
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
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it, then look at it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("size %v, golden %v", img.Bounds(), want.Bounds())
	}
	bad := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			if diff(r1, r2) > 24 || diff(g1, g2) > 24 || diff(b1, b2) > 24 {
				bad++
			}
		}
	}
	if limit := b.Dx() * b.Dy() / 200; bad > limit {
		os.MkdirAll(filepath.Join("testdata", "failed"), 0o755)
		out, _ := os.Create(filepath.Join("testdata", "failed", name))
		png.Encode(out, img)
		out.Close()
		t.Fatalf("%s: %d pixels differ (limit %d); see testdata/failed/%s", name, bad, limit, name)
	}
}

func diff(a, b uint32) uint32 {
	a, b = a>>8, b>>8
	if a > b {
		return a - b
	}
	return b - a
}

func TestGoldenEngine(t *testing.T) {
	feats := hexCity(8, 8000, 3)
	m := NewMap(16)
	m.SetFill(feats, func(id int) color.NRGBA {
		return []color.NRGBA{{232, 236, 226, 255}, {253, 224, 139, 255}, {249, 164, 74, 255}, {214, 60, 44, 255}}[id%4]
	})
	var polys []orb.Geometry
	for _, f := range feats {
		polys = append(polys, f.Geom)
	}
	m.AddOutlines("cells", lines(NewLinework(polys, nil)), OutlineStyle{Color: color.NRGBA{60, 60, 60, 255}, Width: 1.2})
	m.AddPoints("dots", []Feature{{1, orb.Point{2000, 2000}}, {2, orb.Point{6000, 5000}}},
		func(int) color.NRGBA { return color.NRGBA{30, 100, 200, 255} }, 4, 0)
	v := NewViewport(200, 160).Fit(orb.Bound{Max: orb.Point{8000, 8000}}, 4)
	img, err := m.Render(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	CompareGolden(t, "engine.png", img)
	// Recolouring one cell changes its pixels and nothing else.
	m.SetFillColors(map[int]color.NRGBA{1: {0, 0, 255, 255}})
	img2, _ := m.Render(context.Background(), v)
	changed, blue := 0, 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] != img2.Pix[i] || img.Pix[i+2] != img2.Pix[i+2] {
			changed++
			if img2.Pix[i+2] == 255 && img2.Pix[i] == 0 {
				blue++
			}
		}
	}
	if blue == 0 || changed > 2*blue+200 {
		t.Fatalf("recolouring one cell changed %d pixels, %d of them to its colour", changed, blue)
	}
	// Selecting two cells draws the overlay on them only.
	m.SetHighlight([]Feature{feats[10], feats[11]}, color.NRGBA{0, 200, 255, 120}, color.NRGBA{0, 90, 200, 255}, 2.5)
	img3, _ := m.Render(context.Background(), v)
	CompareGolden(t, "engine-selected.png", img3)
	cx, cy := v.ToScreen(feats[10].Geom.Bound().Center())
	if img3.RGBAAt(int(cx), int(cy)) == img2.RGBAAt(int(cx), int(cy)) {
		t.Fatal("the selected cell looks unselected")
	}
	if img3.RGBAAt(2, 2) != img2.RGBAAt(2, 2) {
		t.Fatal("the overlay changed a pixel far from the selection")
	}
}
