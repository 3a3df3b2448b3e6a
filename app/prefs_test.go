package app

import (
	"context"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kapok/app/citymap"
)

// againOn builds a second console on the first one's mirror and the same
// app (its preferences), in a new window, in English as a fresh start is
// before it reads them.
func againOn(t *testing.T, c *Console) *Console {
	t.Helper()
	UseLanguage("")
	city, err := citymap.LoadAt(context.Background(), c.M, "events", testNow)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(WindowSize(fyne.CurrentApp().Preferences()))
	c2, err := NewConsoleAt(w, c.M, city, c.User, c.Now)
	if err != nil {
		t.Fatal(err)
	}
	settle(t, c2)
	return c2
}

// The window remembers across restarts: its size, the three splits, the
// map theme, the language and the region chosen last; a second console
// on the same preferences comes back to each.
func TestConsoleRemembersAcrossRestarts(t *testing.T) {
	t.Cleanup(func() { UseLanguage("en") })
	first := newTestConsole(t, "leader")
	prefs := fyne.CurrentApp().Preferences()
	if got := WindowSize(prefs); got != defaultWindowSize {
		t.Fatalf("first start: window %v, want the default %v", got, defaultWindowSize)
	}
	// A window of its own, to close as the user would.
	w := test.NewWindow(nil)
	w.Resize(defaultWindowSize)
	c, err := NewConsoleAt(w, first.M, first.City, first.User, first.Now)
	if err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	c.Win.Resize(fyne.NewSize(1300, 760))
	c.splits.nav.SetOffset(0.25)
	c.splits.mapPane.SetOffset(0.55)
	c.splits.details.SetOffset(0.5)
	c.SetTheme("overdue")
	c.SetLanguage("zh-CN") // rebuilds the window: the splits stay where they were put
	if c.splits.nav.Offset != 0.25 || c.splits.mapPane.Offset != 0.55 || c.splits.details.Offset != 0.5 {
		t.Fatalf("after a change of language the splits are at %.2f %.2f %.2f",
			c.splits.nav.Offset, c.splits.mapPane.Offset, c.splits.details.Offset)
	}
	c.Choose("990102001")
	c.Win.Close() // saves the window's state

	c2 := againOn(t, c)
	if got := WindowSize(prefs); got != fyne.NewSize(1300, 760) {
		t.Errorf("window size %v, want 1300×760", got)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
	if s := c2.splits; !near(s.nav.Offset, 0.25) || !near(s.mapPane.Offset, 0.55) || !near(s.details.Offset, 0.5) {
		t.Errorf("splits %.3f %.3f %.3f, want 0.25 0.55 0.5", s.nav.Offset, s.mapPane.Offset, s.details.Offset)
	}
	if c2.theme != "overdue" || c2.ThemeSel.Selected != "超期事件" {
		t.Errorf("map theme %q (%q shown), want overdue", c2.theme, c2.ThemeSel.Selected)
	}
	if got := c2.Win.MainMenu().Items[0].Label; got != "文件" {
		t.Errorf("language: the File menu is %q, want 文件", got)
	}
	if c2.selRegion != "990102001" || c2.focus != "990102001" || len(c2.selected) == 0 {
		t.Errorf("region %q (details of %q, %d grids selected), want 990102001", c2.selRegion, c2.focus, len(c2.selected))
	}

	// The Schedules tab shrinks the details for itself: what is saved is
	// where the user left them.
	c2.RightTabs.SelectIndex(3)
	if c2.splits.details.Offset > 0.2 {
		t.Fatalf("the Schedules tab left the details at %.2f", c2.splits.details.Offset)
	}
	c2.SaveWindowState()
	if got := prefs.Float(SplitDetailsPref); !near(got, 0.5) {
		t.Errorf("saved the details' split at %.2f while the Schedules tab was shown, want 0.5", got)
	}
}

// A region the mirror no longer has, an unknown theme and splits out of
// reach (a hand-edited file) are not restored: the defaults stand.
func TestConsoleIgnoresStalePreferences(t *testing.T) {
	c := newTestConsole(t, "leader")
	prefs := fyne.CurrentApp().Preferences()
	prefs.SetString(RegionPref, "990199")
	prefs.SetString(MapThemePref, "no such theme")
	prefs.SetFloat(SplitNavPref, 3)
	prefs.SetFloat(WindowWidthPref, 20)
	prefs.SetFloat(WindowHeightPref, 20)
	c2 := againOn(t, c)
	if c2.selRegion != "" || c2.theme != "events" || c2.splits.nav.Offset != defaultLayout.nav {
		t.Errorf("region %q, theme %q, navigation split %.2f: want none, events, %.2f", c2.selRegion, c2.theme, c2.splits.nav.Offset, defaultLayout.nav)
	}
	if got := WindowSize(prefs); got != defaultWindowSize {
		t.Errorf("window %v, want the default", got)
	}
}
