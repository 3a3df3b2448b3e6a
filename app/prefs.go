package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"kapok/app/citymap"
	"kapok/data"
)

// What the console remembers across restarts, in the app's preferences
// (Fyne keeps them per app id: cn.kapok.console, set in Run). The language
// is LanguagePref (i18n.go).
const (
	WindowWidthPref  = "window_width"  // the window's size, in Fyne's units
	WindowHeightPref = "window_height" //
	SplitNavPref     = "split_navigation"
	SplitMapPref     = "split_map"     // the map against the right-hand panes
	SplitDetailsPref = "split_details" // the details against the tabs below them
	MapThemePref     = "map_theme"     // one of citymap.Themes
	RegionPref       = "last_region"   // the region or grid last chosen
)

// defaultWindowSize is the window's size on a first start.
var defaultWindowSize = fyne.NewSize(1560, 960)

// splitLayout is where the window's splits stand: the navigation against the
// rest, the map against the right-hand panes, the details against the
// tabs. Each is the leading part's share.
type splitLayout struct{ nav, mapPane, details float64 }

var defaultLayout = splitLayout{nav: 0.19, mapPane: 0.6, details: 0.36}

// WindowSize is the window's size as last closed, or the default; a size
// too small to use (a broken file) is not restored.
func WindowSize(p fyne.Preferences) fyne.Size {
	w, h := p.Float(WindowWidthPref), p.Float(WindowHeightPref)
	if w < 640 || h < 400 {
		return defaultWindowSize
	}
	return fyne.NewSize(float32(w), float32(h))
}

// savedLayout is the splits as last saved; an offset missing or out of
// reach falls back to the default.
func savedLayout(p fyne.Preferences) splitLayout {
	at := func(key string, def float64) float64 {
		v := p.FloatWithFallback(key, def)
		if v < 0.05 || v > 0.95 {
			return def
		}
		return v
	}
	return splitLayout{nav: at(SplitNavPref, defaultLayout.nav), mapPane: at(SplitMapPref, defaultLayout.mapPane),
		details: at(SplitDetailsPref, defaultLayout.details)}
}

// consoleSplits are the window's splits (made by Build).
type consoleSplits struct{ nav, mapPane, details *container.Split }

// keepLayout notes where the splits stand now (before a rebuild, a save).
func (c *Console) keepLayout() {
	if s := c.splits; s.nav != nil {
		c.layout = splitLayout{nav: s.nav.Offset, mapPane: s.mapPane.Offset, details: s.details.Offset}
		if c.Sched.roomy {
			// The Schedules tab has shrunk the details for now.
			c.layout.details = c.Sched.detailsAt
		}
	}
}

// SaveWindowState remembers the window's size and where its splits stand
// (on closing the window and on quitting; the map theme, the language and
// the region are remembered when chosen).
func (c *Console) SaveWindowState() {
	p := fyne.CurrentApp().Preferences()
	c.keepLayout()
	if size := c.Win.Canvas().Size(); size.Width >= 640 && size.Height >= 400 {
		p.SetFloat(WindowWidthPref, float64(size.Width))
		p.SetFloat(WindowHeightPref, float64(size.Height))
	}
	p.SetFloat(SplitNavPref, c.layout.nav)
	p.SetFloat(SplitMapPref, c.layout.mapPane)
	p.SetFloat(SplitDetailsPref, c.layout.details)
}

// restoreChoices brings back the map theme and the region chosen last
// time, the region only if the mirror still has it.
func (c *Console) restoreChoices() {
	p := fyne.CurrentApp().Preferences()
	if i := slices.Index(citymap.Themes, p.String(MapThemePref)); i >= 0 && citymap.Themes[i] != c.theme && i < len(c.ThemeSel.Options) {
		c.ThemeSel.SetSelectedIndex(i) // through SetTheme, as if picked
	}
	if code := p.String(RegionPref); code != "" && c.exists(code) {
		c.Choose(code)
		c.revealInTree(code)
	}
}

// exists reports whether the mirror has a region or grid of this code.
func (c *Console) exists(code string) bool {
	if len(code) == data.GridCodeLength {
		_, ok := c.City.Pos[code]
		return ok
	}
	_, ok := c.byCode[code]
	return ok
}

// remember stores one of the console's choices.
func remember(key, value string) {
	fyne.CurrentApp().Preferences().SetString(key, value)
}
