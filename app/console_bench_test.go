package app

import (
	"context"
	"os"
	"runtime"
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
	city, err := citymap.Load(context.Background(), m, "events")
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
// district zoom over Tianhe. A pan is a 100-pixel drag (new tiles at one
// edge), back and forth; a zoom is a quarter-level wheel step about the
// cursor (every tile new), in and out.
func BenchmarkPanStep(b *testing.B) {
	stepBench(b, func(c *Console, i int) {
		c.Map.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(float32(100*(1-2*(i/6%2))), 0)})
	})
}

func BenchmarkZoomStep(b *testing.B) {
	stepBench(b, func(c *Console, i int) {
		// A new zoom is a new resolution: no cached tile fits. Coming back
		// to a zoom seen before would find them, so the cache is emptied.
		b.StopTimer()
		c.City.Map.ClearCache()
		b.StartTimer()
		c.Map.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(500, 400)},
			Scrolled: fyne.NewDelta(0, float32(5*(1-2*(i/6%2))))})
	})
}

func stepBench(b *testing.B, step func(c *Console, i int)) {
	fixture.GuangzhouPath(b)
	test.NewTempApp(b)
	UseLanguage("en")
	c, m := openConsole(b)
	defer func() { _ = m.Close() }()
	c.Choose("440106") // Tianhe
	settle(b, c)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step(c, i)
		settle(b, c)
	}
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
		runtime.GC()
		b.ReportMetric(residentMB(b), "MB-resident")
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
