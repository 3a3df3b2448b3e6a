package maps

import (
	"context"
	"image"
	"image/color"
	"testing"

	"github.com/paulmach/orb"

	"kapok/internal/golden"
)

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
	golden.Compare(t, "engine.png", img)
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
	golden.Compare(t, "engine-selected.png", img3)
	cx, cy := v.ToScreen(feats[10].Geom.Bound().Center())
	if img3.RGBAAt(int(cx), int(cy)) == img2.RGBAAt(int(cx), int(cy)) {
		t.Fatal("the selected cell looks unselected")
	}
	if img3.RGBAAt(2, 2) != img2.RGBAAt(2, 2) {
		t.Fatal("the overlay changed a pixel far from the selection")
	}
}

func TestDilate(t *testing.T) {
	src := image.NewAlpha(image.Rect(0, 0, 7, 5))
	src.Pix[2*7+3] = 200
	d := dilate(src, 1)
	for y := 0; y < 5; y++ {
		for x := 0; x < 7; x++ {
			want := uint8(0)
			if x >= 2 && x <= 4 && y >= 1 && y <= 3 {
				want = 200
			}
			if got := d.AlphaAt(x, y).A; got != want {
				t.Fatalf("(%d,%d) = %d, want %d", x, y, got, want)
			}
		}
	}
}
