package maps

import (
	"context"
	"image/color"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

var (
	denseOnce sync.Once
	denseMap  *Map
	denseExt  orb.Bound
)

// denseCity is a synthetic city ten times as dense as the demo: 450×450 =
// 202,500 grids over 150 km, with district-like and grid outlines.
func denseCity() (*Map, orb.Bound) {
	denseOnce.Do(func() {
		const size = 150000.0
		origin := ProjectPoint(orb.Point{112.96, 22.52})
		grids := hexCity(450, size, 11)
		for i := range grids {
			mp := grids[i].Geom.(orb.MultiPolygon)
			for _, r := range mp[0] {
				for k := range r {
					r[k] = orb.Point{r[k][0] + origin[0], r[k][1] + origin[1]}
				}
			}
		}
		districts := hexCity(4, size, 12)
		for i := range districts {
			for _, r := range districts[i].Geom.(orb.MultiPolygon)[0] {
				for k := range r {
					r[k] = orb.Point{r[k][0] + origin[0], r[k][1] + origin[1]}
				}
			}
		}
		m := NewMap(160)
		m.SetFill(grids, func(id int) color.NRGBA { return color.NRGBA{uint8(id), 200, 100, 255} })
		var polys []orb.Geometry
		for _, g := range grids {
			polys = append(polys, g.Geom)
		}
		var dpolys []orb.Geometry
		for _, d := range districts {
			dpolys = append(dpolys, d.Geom)
		}
		dl := NewLinework(dpolys, nil)
		gl := NewLinework(polys, dl)
		m.AddOutlines("grids", lines(gl), OutlineStyle{Color: color.NRGBA{255, 255, 255, 200}, Width: 0.6, MinZoom: 11.5, MinPixels: 6})
		m.AddOutlines("districts", lines(dl), OutlineStyle{Color: color.NRGBA{40, 40, 40, 255}, Width: 1.8})
		denseMap = m
		denseExt = orb.Bound{Min: origin, Max: orb.Point{origin[0] + size, origin[1] + size}}
	})
	return denseMap, denseExt
}

func lines(lw *Linework) []Feature {
	fs := make([]Feature, len(lw.Lines))
	for i, l := range lw.Lines {
		fs[i] = Feature{ID: i, Geom: l}
	}
	return fs
}

// Target: whole city of 200k grids at 1920×1080, cold, ≤ 80 ms: at that zoom
// the work is bounded by pixels, not polygons.
func BenchmarkDenseCityCold(b *testing.B) {
	m, ext := denseCity()
	v := NewViewport(1920, 1080).Fit(ext, 12)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.ClearCache()
		if _, err := m.Render(context.Background(), v); err != nil {
			b.Fatal(err)
		}
	}
}

// Point → grid among 200k grids.
func BenchmarkDenseCityPointToGrid(b *testing.B) {
	m, ext := denseCity()
	ix := m.FillIndex()
	w, h := ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := float64(i%9973) / 9973
		ix.At(orb.Point{ext.Min[0] + f*w, ext.Min[1] + float64(i%7919)/7919*h})
	}
}
