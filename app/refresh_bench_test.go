package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/internal/fixture"
)

// Target: ≤ 50 ms from a case action to the board, the tree's badges and
// the map's colours up to date (CasesChanged: the regions' counts, the
// board, the grids' open and overdue counts recoloured, markers, dispatch
// lines and units marked for reloading, the queue and the detail read
// again), on the demo Guangzhou in a 1560×960 console. Warm: the console is
// open and has drawn. Each iteration's action (a case reported in another
// grid, through the store) is untimed; the refresh after it is timed.
// "with-frame" adds the map frame drawn after the refresh (in the
// background in the console; here waited for), with its tile cache warm.
func BenchmarkRefreshAfterAction(b *testing.B) {
	test.NewTempApp(b)
	UseLanguage("en")
	m := fixture.WritableGuangzhou(b)
	now := fixture.AsOf.Add(time.Hour)
	user, err := m.User(bg, "leader")
	if err != nil {
		b.Fatal(err)
	}
	city, err := citymap.LoadAt(context.Background(), m, "events", now)
	if err != nil {
		b.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1560, 960))
	c, err := NewConsoleAt(w, m, city, user.Login, func() time.Time { return now })
	if err != nil {
		b.Fatal(err)
	}
	c.RightTabs.SelectIndex(1) // the Cases tab, as an operator works
	settle(b, c)
	grids, err := m.LoadGrids(bg)
	if err != nil {
		b.Fatal(err)
	}
	reported := 0
	report := func() string { // in a grid after the last one's, far from it
		reported++
		g := grids[(reported*7919)%len(grids)].Code
		r, err := m.ReportCase(bg, data.CaseReport{Grid: g, Matter: "MD01", Description: "邻居噪音纠纷", Source: data.SourceHotline, Actor: user.Login}, now)
		if err != nil {
			b.Fatal(err)
		}
		return r.Code
	}
	for _, withFrame := range []bool{false, true} {
		name := "refresh"
		if withFrame {
			name = "with-frame"
		}
		b.Run(name, func(b *testing.B) {
			c.CasesChanged(report()) // warm
			settle(b, c)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				code := report()
				b.StartTimer()
				c.CasesChanged(code)
				if withFrame {
					settle(b, c)
				}
				b.StopTimer()
				if c.caseSel != code {
					b.Fatalf("the queue shows %q, not the case just reported %s", c.caseSel, code)
				}
				if !withFrame {
					settle(b, c)
				}
				b.StartTimer()
			}
		})
	}
}
