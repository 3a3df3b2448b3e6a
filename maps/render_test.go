package maps

import (
	"bytes"
	"context"
	"image/color"
	"testing"

	"github.com/paulmach/orb"
)

// A frame is the same whether its tiles come through the cache or are
// drawn straight into it (NewMap(0), `kapok render`), and whether the fill
// polygons were found through the R-tree or by a pass over their bounds:
// at zooms where cells are a few pixels or under one, and with the frame
// cutting through tiles.
func TestFramesDoNotDependOnCacheOrIndex(t *testing.T) {
	feats := hexCity(120, 24000, 5)
	var polys []orb.Geometry
	for _, f := range feats {
		polys = append(polys, f.Geom)
	}
	colorOf := func(id int) color.NRGBA { return color.NRGBA{uint8(id * 37), uint8(id * 11), 200, 255} }
	build := func(cache int) *Map {
		m := NewMap(cache)
		m.SetFill(feats, colorOf)
		m.AddOutlines("cells", lines(NewLinework(polys, nil)), OutlineStyle{Color: color.NRGBA{40, 40, 40, 200}, Width: 1, MinPixels: 6})
		return m
	}
	ext := orb.Bound{Max: orb.Point{24000, 24000}}
	for _, v := range []Viewport{
		NewViewport(301, 207).Fit(ext, 6),              // cells of about 2 px
		NewViewport(120, 90).Fit(ext, 6),               // cells under a pixel
		NewViewport(333, 250).Fit(ext, 6).Pan(97, -61), // off centre
		NewViewport(640, 480).Fit(orb.Bound{Min: orb.Point{3000, 3000}, Max: orb.Point{9000, 8000}}, 6),
	} {
		direct, err := build(0).Render(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		cached := build(16)
		binned, err := cached.Render(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		cached.ClearCache()
		cached.FillIndex().At(orb.Point{1, 1}) // builds the R-tree
		viaTree, err := cached.Render(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(direct.Pix, binned.Pix) || !bytes.Equal(binned.Pix, viaTree.Pix) {
			t.Fatalf("zoom %.2f: frames differ (direct = binned %v, binned = via tree %v)", v.Zoom,
				bytes.Equal(direct.Pix, binned.Pix), bytes.Equal(binned.Pix, viaTree.Pix))
		}
	}
}
