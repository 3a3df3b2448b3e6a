package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"kapok/app/citymap"
)

// At 1366×768 the console fits whatever the map's theme, in English (the
// longer labels): no theme's legend widens the window's content past the
// screen (it pushed the right-hand panel off it).
func TestConsoleFits1366WithEveryTheme(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.Win.Resize(fyne.NewSize(1366, 768))
	for _, th := range citymap.Themes {
		c.SetTheme(th)
		settle(t, c)
		if w := c.Win.Content().MinSize().Width; w > 1366 {
			t.Errorf("theme %s: the content needs %.0f pixels", th, w)
		}
	}
	// In replay too: its bar over the window.
	enterReplay(t, c, testNow.Add(-time.Hour))
	if w := c.Win.Content().MinSize().Width; w > 1366 {
		t.Errorf("in replay the content needs %.0f pixels", w)
	}
}
