package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"kapok/internal/fixture"
)

// Target: playback at 3600× keeps ≥ 20 frames per second on the demo city.
// One frame is what playback does 25 times a second at 3600×: the clock
// moved on 144 s, the steps passed listed (Between), the city as of then
// (Timeline.At), the map recoloured and its markers, units and orders
// marked for reloading, the tree's badges and the board summed again, the
// orders of then, the queue asked for on its goroutine (CasesAt). "step"
// is the frame's work on the UI goroutine; "with-frame" adds the map frame
// drawn after it (in the console on its own goroutine; here waited for),
// and the hand-overs the frame left queued (the queue read again). In a
// 1560×960 console on the demo Guangzhou, over the last 7 days before its
// as-of, a day into them.
func BenchmarkReplayPlayback3600x(b *testing.B) {
	test.NewTempApp(b)
	UseLanguage("en")
	c, m := openConsole(b)
	b.Cleanup(func() { _ = m.Close() })
	now := fixture.AsOf
	ld, err := loadReplay(bg, m, now)
	if err != nil {
		b.Fatal(err)
	}
	start := now.Add(-6 * 24 * time.Hour)
	c.EnterReplay(ld, start)
	settle(b, c)
	step := time.Duration(3600) * replayFrameEvery
	// Playing (as TogglePlayback sets it, the ticker aside: the benchmark
	// makes the frames).
	p := &c.replay.play
	p.on, p.speed, p.until, p.stop = true, 3600, now, make(chan struct{})
	for _, withFrame := range []bool{false, true} {
		name := "step"
		if withFrame {
			name = "with-frame"
		}
		b.Run(name, func(b *testing.B) {
			changes := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t := c.ReplayAt().Add(step)
				if !t.Before(now) {
					c.ShowReplayAt(start)
					t = start.Add(step)
				}
				before := len(c.Changes())
				c.advancePlayback(t)
				changes += len(c.Changes()) - before
				if withFrame {
					settle(b, c)
				} else {
					b.StopTimer()
					settle(b, c)
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}
