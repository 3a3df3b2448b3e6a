package maps

import (
	"bytes"
	"context"
	"image/color"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
)

// Frames drawn while the UI recolours the grids (a theme change, a case
// turning overdue) and while a newer frame is drawn beside a cancelled one:
// under -race nothing is read and written at once, and once both stop the
// next frame shows every last colour (no recolouring is lost to a tile
// composed with the palette before it).
func TestRecolourWhileRendering(t *testing.T) {
	feats := hexCity(60, 24000, 9)
	var polys []orb.Geometry
	for _, f := range feats {
		polys = append(polys, f.Geom)
	}
	base := func(id int) color.NRGBA { return color.NRGBA{uint8(id * 37), uint8(id * 11), 200, 255} }
	m := NewMap(32)
	m.SetFill(feats, base)
	m.AddOutlines("cells", lines(NewLinework(polys, nil)), OutlineStyle{Color: color.NRGBA{40, 40, 40, 200}, Width: 1, MinPixels: 6})
	ext := orb.Bound{Max: orb.Point{24000, 24000}}
	views := []Viewport{
		NewViewport(300, 200).Fit(ext, 6),
		NewViewport(300, 200).Fit(orb.Bound{Min: orb.Point{4000, 4000}, Max: orb.Point{12000, 10000}}, 6),
	}

	final := map[int]color.NRGBA{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var frames atomic.Int64
	for r := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithCancel(context.Background())
				if i%3 == r {
					cancel() // a frame the UI gave up on
				}
				_, _ = m.Render(ctx, views[(i+r)%len(views)])
				cancel()
				frames.Add(1)
			}
		}()
	}
	rng := rand.New(rand.NewPCG(3, 4))
	// Recolour until the renderers have drawn a good many frames meanwhile.
	for n := 0; n < 200 || frames.Load() < 60; n++ {
		changes := map[int]color.NRGBA{}
		for range 5 {
			id := feats[rng.IntN(len(feats))].ID
			c := color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
			changes[id], final[id] = c, c
		}
		m.SetFillColors(changes)
	}
	close(stop)
	wg.Wait()

	want := NewMap(0)
	want.SetFill(feats, func(id int) color.NRGBA {
		if c, ok := final[id]; ok {
			return c
		}
		return base(id)
	})
	want.AddOutlines("cells", lines(NewLinework(polys, nil)), OutlineStyle{Color: color.NRGBA{40, 40, 40, 200}, Width: 1, MinPixels: 6})
	for _, v := range views {
		got, err := m.Render(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		exp, err := want.Render(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Pix, exp.Pix) {
			t.Fatalf("zoom %.2f: the frame after recolouring under load differs from one drawn with the final colours", v.Zoom)
		}
	}
}
