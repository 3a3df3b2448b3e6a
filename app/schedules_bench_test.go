package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/internal/fixture"
)

// districtRoster opens a copy of the demo Guangzhou in a console showing a
// roster of 天河区 (2,565 grids) for the fixture's next week, auto-filled.
func districtRoster(b *testing.B) *Console {
	test.NewTempApp(b)
	UseLanguage("en")
	m := fixture.WritableGuangzhou(b)
	city, err := citymap.LoadAt(context.Background(), m, "events", fixture.AsOf)
	if err != nil {
		b.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1560, 960))
	b.Cleanup(w.Close)
	c, err := NewConsoleAt(w, m, city, "leader", func() time.Time { return fixture.AsOf })
	if err != nil {
		b.Fatal(err)
	}
	week := data.WeekOf(fixture.AsOf.AddDate(0, 0, 7))
	r, err := m.PlanRoster(bg, "440106", week.String(), "leader", fixture.AsOf)
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := m.AutoFill(bg, r.ID, "leader", r.Version, fixture.AsOf, nil); err != nil {
		b.Fatal(err)
	}
	c.ChooseSchedule("440106", week)
	if rows, _ := c.Sched.Table.Length(); rows < 2000 || len(c.Sched.roster.Assignments) == 0 {
		b.Fatalf("%d rows, %d assignments", rows, len(c.Sched.roster.Assignments))
	}
	return c
}

// A district's roster read, checked, covered and indexed for the week
// grid: what the tab does after every change.
func BenchmarkShowDistrictRoster(b *testing.B) {
	c := districtRoster(b)
	id := c.Sched.roster.ID
	b.ResetTimer()
	for b.Loop() {
		c.ShowRoster(id)
	}
}

// A screenful of the week grid's cells drawn (30 rows × 21 shifts): O(1)
// per cell, from the precomputed matrix.
func BenchmarkDrawRosterCells(b *testing.B) {
	c := districtRoster(b)
	t := c.Sched.Table
	o := t.CreateCell()
	rows, cols := t.Length()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		base := (i * 30) % (rows - 30)
		for r := base; r < base+30; r++ {
			for col := range cols {
				t.UpdateCell(widget.TableCellID{Row: r, Col: col}, o)
			}
		}
	}
}
