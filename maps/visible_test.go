package maps

import (
	"context"
	"image"
	"image/color"
	"testing"

	"github.com/paulmach/orb"
)

// Hiding a layer draws the frame as if it had never been added; showing it
// again brings it back.
func TestSetVisibleHidesOutlinesAndMarkers(t *testing.T) {
	feats := hexCity(6, 6000, 2)
	grey := func(int) color.NRGBA { return color.NRGBA{220, 220, 220, 255} }
	var polys []orb.Geometry
	for _, f := range feats {
		polys = append(polys, f.Geom)
	}
	red := func(int) color.NRGBA { return color.NRGBA{200, 0, 0, 255} }
	build := func(withLayers bool) *Map {
		m := NewMap(16)
		m.SetFill(feats, grey)
		if withLayers {
			m.AddOutlines("cells", lines(NewLinework(polys, nil)), OutlineStyle{Color: color.NRGBA{0, 0, 0, 255}, Width: 2})
			for i, s := range []Shape{Disc, Square, Diamond, Triangle} {
				p := orb.Point{1000 + float64(i)*1200, 3000}
				m.AddMarkersFunc("marks", func() ([]Feature, func(int) color.NRGBA) { return []Feature{{ID: i, Geom: p}}, red },
					MarkerStyle{Radius: 6, Shape: s})
			}
		}
		return m
	}
	v := NewViewport(160, 120).Fit(orb.Bound{Max: orb.Point{6000, 6000}}, 4)
	render := func(m *Map) *image.RGBA {
		img, err := m.Render(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	bare, m := render(build(false)), build(true)
	full := render(m)
	if same(bare, full) {
		t.Fatal("the layers drew nothing")
	}
	if !m.SetVisible("cells", false) || !m.SetVisible("marks", false) || m.Visible("marks") {
		t.Fatal("layers not found or still visible")
	}
	if !same(bare, render(m)) {
		t.Fatal("hidden layers still drawn")
	}
	if m.SetVisible("roads", false) {
		t.Fatal("a layer that does not exist was found")
	}
	m.SetVisible("cells", true)
	m.SetVisible("marks", true)
	if !same(full, render(m)) {
		t.Fatal("shown again, the layers look different")
	}
	// Reload builds a layer's features again from its (changed) source.
	shown := []Feature{{ID: 0, Geom: orb.Point{3000, 5000}}}
	m.AddMarkersFunc("live", func() ([]Feature, func(int) color.NRGBA) { return shown, red }, MarkerStyle{Radius: 5})
	before := render(m)
	shown = []Feature{{ID: 0, Geom: orb.Point{3000, 1000}}}
	if !same(before, render(m)) {
		t.Fatal("the layer was rebuilt without Reload")
	}
	m.Reload("live")
	if same(before, render(m)) {
		t.Fatal("Reload did not rebuild the layer")
	}
	if n := len(m.Markers("marks")); n != 4 {
		t.Fatalf("%d marker indexes", n)
	}
	// The four shapes cover different pixel counts: they are distinct symbols.
	seen := map[int]bool{}
	for _, s := range []Shape{Disc, Square, Diamond, Triangle} {
		n := 0
		for _, a := range markerMask(s, 6).Pix {
			n += int(a)
		}
		seen[n] = true
	}
	if len(seen) != 4 {
		t.Fatalf("marker shapes not distinct: %v", seen)
	}
	// A legend icon is the marker's coverage in its colour.
	icon := MarkerIcon(Diamond, 6, color.NRGBA{200, 0, 0, 255})
	mask := markerMask(Diamond, 6)
	for i, a := range mask.Pix {
		if icon.Pix[4*i+3] != a || a > 0 && icon.Pix[4*i] != 200 {
			t.Fatalf("icon pixel %d: %v, coverage %d", i, icon.Pix[4*i:4*i+4], a)
		}
	}
}

func same(a, b *image.RGBA) bool {
	if len(a.Pix) != len(b.Pix) {
		return false
	}
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			return false
		}
	}
	return true
}
