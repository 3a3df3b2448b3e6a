package app

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kapok/app/citymap"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// openConsole opens the demo mirror in a console in a 1560×960 test window:
// what `kapok run` does between start and the first map frame.
func openConsole(b *testing.B) (*Console, *mirror.Mirror) {
	m, err := mirror.Open(fixture.GuangzhouPath(b))
	if err != nil {
		b.Fatal(err)
	}
	user, err := m.User(bg, "leader")
	if err != nil {
		b.Fatal(err)
	}
	city, err := citymap.LoadAt(context.Background(), m, "events", fixture.AsOf)
	if err != nil {
		b.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1560, 960))
	c, err := NewConsole(w, m, city, user.Login)
	if err != nil {
		b.Fatal(err)
	}
	settle(b, c)
	return c, m
}

// Target: launch to first drawn map on the demo mirror ≤ 1.5 s: open the
// mirror, load the city map, build the console, draw the first frame.
func BenchmarkLaunchToFirstMap(b *testing.B) {
	fixture.GuangzhouPath(b) // builds the demo mirror once
	test.NewTempApp(b)
	UseLanguage("en")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, m := openConsole(b)
		if c.Map.Pending() || c.Map.img.Image == nil {
			b.Fatal("no frame on screen")
		}
		b.StopTimer()
		c.Win.Close()
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// Target: a pan or zoom step, engine plus widget refresh, ≤ 33 ms, at
// district zoom over Tianhe. A pan is a 100-pixel drag that moves the view
// north, so every step shows ground not drawn before (it never pans back
// over drawn tiles); after 40 steps (about 70 km) the view goes back to
// Tianhe with the tile cache emptied, untimed. tiles/step is how many
// tiles a step drew. A zoom is a quarter-level wheel step about the
// cursor (every tile new), in and out.
func BenchmarkPanStep(b *testing.B) {
	c, m := stepConsole(b)
	defer func() { _ = m.Close() }()
	start := c.Map.View()
	var tiles uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%40 == 0 {
			b.StopTimer()
			c.City.Map.ClearCache()
			c.Map.SetView(start)
			settle(b, c)
			b.StartTimer()
		}
		drawn := c.City.Map.TilesDrawn()
		c.Map.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, 100)})
		settle(b, c)
		tiles += c.City.Map.TilesDrawn() - drawn
	}
	b.ReportMetric(float64(tiles)/float64(b.N), "tiles/step")
}

func BenchmarkZoomStep(b *testing.B) {
	c, m := stepConsole(b)
	defer func() { _ = m.Close() }()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A new zoom is a new resolution: no cached tile fits. Coming back
		// to a zoom seen before would find them, so the cache is emptied.
		b.StopTimer()
		c.City.Map.ClearCache()
		b.StartTimer()
		c.Map.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(500, 400)},
			Scrolled: fyne.NewDelta(0, float32(5*(1-2*(i/6%2))))})
		settle(b, c)
	}
}

// stepConsole is the demo city in a console, the map over Tianhe.
func stepConsole(b *testing.B) (*Console, *mirror.Mirror) {
	fixture.GuangzhouPath(b)
	test.NewTempApp(b)
	UseLanguage("en")
	c, m := openConsole(b)
	c.Choose("440106") // Tianhe
	settle(b, c)
	return c, m
}

// Target: ≤ 400 MB resident with the whole city loaded (every layer, every
// zoom band). Run alone (`make bench` does); the process also holds the
// benchmarks' own copy of the city map, so the figure is an upper bound.
func BenchmarkConsoleResident(b *testing.B) {
	fixture.GuangzhouPath(b)
	test.NewTempApp(b)
	UseLanguage("en")
	for i := 0; i < b.N; i++ {
		c, m := openConsole(b)
		c.City.Map.Prepare()
		for _, l := range citymap.MapLayers {
			c.City.Map.SetVisible(l, true)
		}
		c.City.Map.Markers("centers")
		c.City.Map.Markers("events")
		// Collected, and what was freed given back to the system, so the
		// figure is what stays live, not garbage not yet returned.
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(residentMB(b), "MB-resident")
		b.ReportMetric(float64(ms.HeapAlloc)/1e6, "MB-heap")
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// residentMB is this process's resident set (VmRSS) in MB.
func residentMB(b *testing.B) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
