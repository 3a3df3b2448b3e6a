package citymap

import (
	"context"
	"image/color"
	"math/rand/v2"
	"runtime"

	"sync"
	"testing"

	"github.com/paulmach/orb"

	"kapok/data/mirror"
	"kapok/internal/fixture"
	kmaps "kapok/maps"
)

var (
	cityOnce sync.Once
	cityMap  *CityMap
	cityErr  error
	cityPath string
)

// guangzhouMap loads the demo Guangzhou (built once per test binary) into
// a city map.
func guangzhouMap(b testing.TB) *CityMap {
	cityOnce.Do(func() {
		cityPath = fixture.GuangzhouPath(b)
		// Left open for the test binary's life: units and fine boundaries
		// load on first use.
		m, err := mirror.Open(cityPath)
		if err != nil {
			cityErr = err
			return
		}
		cityMap, cityErr = LoadAt(context.Background(), m, "events", fixture.AsOf)
	})
	if cityErr != nil {
		b.Fatal(cityErr)
	}
	return cityMap
}

// Target: whole city at 1920×1080, every cache cold, ≤ 40 ms.
func BenchmarkWholeCityCold(b *testing.B) {
	cm := guangzhouMap(b)
	v := kmaps.NewViewport(1920, 1080).Fit(cm.Extent, 12)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cm.Map.ClearCache()
		if _, err := cm.Map.Render(context.Background(), v); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: ≤ 8 ms to show a frame after 100 grids change status.
func BenchmarkRecolor100(b *testing.B) {
	cm := guangzhouMap(b)
	v := kmaps.NewViewport(1920, 1080).Fit(cm.Extent, 12)
	ctx := context.Background()
	if _, err := cm.Map.Render(ctx, v); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		changes := map[int]color.NRGBA{}
		for len(changes) < 100 {
			changes[rng.IntN(len(cm.Grids))] = color.NRGBA{uint8(i), 30, 30, 255}
		}
		cm.Map.SetFillColors(changes)
		if _, err := cm.Map.Render(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: ≤ 8 ms for a frame after a 100-pixel pan, tiles warm. At zoom 12
// (street zoom, grid outlines drawn) the view starts on the north of the
// city and moves south 100 pixels a step, so every step shows ground not
// drawn before and draws the tiles it exposes, never one already drawn;
// after 30 steps (115 km) it starts again with the tile cache emptied
// (untimed). tiles/step is how many tiles a step drew.
func BenchmarkPan100Warm(b *testing.B) {
	cm := guangzhouMap(b)
	ctx := context.Background()
	v := kmaps.NewViewport(1920, 1080)
	v.Zoom = 12
	// The frame's top edge on the city's north edge, centred east-west.
	v.Center = orb.Point{(cm.Extent.Min[0] + cm.Extent.Max[0]) / 2, cm.Extent.Max[1] - 540*v.Resolution()}
	start := v
	var tiles uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%30 == 0 {
			b.StopTimer()
			cm.Map.ClearCache()
			v = start
			if _, err := cm.Map.Render(ctx, v); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		drawn := cm.Map.TilesDrawn()
		v = v.Pan(0, -100)
		if _, err := cm.Map.Render(ctx, v); err != nil {
			b.Fatal(err)
		}
		tiles += cm.Map.TilesDrawn() - drawn
	}
	b.ReportMetric(float64(tiles)/float64(b.N), "tiles/step")
}

// Target: one district filling the window (street zoom), cold, ≤ 30 ms.
func BenchmarkDistrictCold(b *testing.B) {
	cm := guangzhouMap(b)
	var ext orb.Bound
	first := true
	for i, g := range cm.Grids {
		if g.Code[:6] == "440106" { // Tianhe
			gb := cm.Map.FillIndex().Feature(i).Geom.Bound()
			if first {
				ext, first = gb, false
			}
			ext = ext.Union(gb)
		}
	}
	v := kmaps.NewViewport(1920, 1080).Fit(ext, 12)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cm.Map.ClearCache()
		if _, err := cm.Map.Render(context.Background(), v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(v.Zoom, "zoom")
}

// Target: point → grid ≤ 2 µs.
func BenchmarkPointToGrid(b *testing.B) {
	cm := guangzhouMap(b)
	ix, pts := cm.Map.FillIndex(), randomPoints(cm.Extent, 1<<16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.At(pts[i&(len(pts)-1)])
	}
}

// Target: 1 million random points assigned to grids on one core ≤ 1.5 s.
func BenchmarkMillionPointsOneCore(b *testing.B) {
	cm := guangzhouMap(b)
	ix, pts := cm.Map.FillIndex(), randomPoints(cm.Extent, 1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		hits := 0
		for _, p := range pts {
			if _, ok := ix.At(p); ok {
				hits++
			}
		}
		b.ReportMetric(float64(hits), "in-grid")
	}
}

// Target: display geometry of the whole city, all zoom bands, ≤ 150 MB.
func BenchmarkLoadCityMapMemory(b *testing.B) {
	guangzhouMap(b) // the mirror
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := mirror.Open(cityPath)
		if err != nil {
			b.Fatal(err)
		}
		cm, err := LoadAt(context.Background(), m, "events", fixture.AsOf)
		if err != nil {
			b.Fatal(err)
		}
		cm.Map.Prepare() // every layer, every zoom band
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-heap")
		runtime.KeepAlive(cm)
	}
}

func randomPoints(b orb.Bound, n int) []orb.Point {
	rng := rand.New(rand.NewPCG(9, 9))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
	}
	return pts
}

// What `kapok render` does after the process has started: open the mirror,
// load the city, draw the whole city at 1920×1080 and write the PNG.
func BenchmarkRenderCommand(b *testing.B) {
	guangzhouMap(b)
	out := b.TempDir() + "/city.png"
	for i := 0; i < b.N; i++ {
		m, err := mirror.OpenExisting(cityPath)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Render(context.Background(), m, out, RenderOptions{Width: 1920, Height: 1080, Theme: "events", AsOf: fixture.AsOf}); err != nil {
			b.Fatal(err)
		}
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
