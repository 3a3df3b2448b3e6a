package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kapok/app/citymap"
	"kapok/assets"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The charts and sparklines drawn in the background, and the watcher's
// refreshes, are handed to the test's goroutine like the map's frames.
func init() { deliverUI = func(f func()) { frames <- f } }

// newConsoleOn opens a console on a mirror in a test window, in English,
// as the user, at the clock.
func newConsoleOn(t *testing.T, m *mirror.Mirror, login string, now func() time.Time) *Console {
	t.Helper()
	a := test.NewTempApp(t)
	UseLanguage("en")
	a.Settings().SetTheme(NewTheme())
	city, err := citymap.LoadAt(context.Background(), m, "events", now())
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1400, 900))
	c, err := NewConsoleAt(w, m, city, login, now)
	if err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1400, 900))
	settle(t, c)
	t.Cleanup(func() {
		c.StopLive()
		// The pictures still being drawn are shown before the mirror closes.
		pump(t, 20*time.Second, func() bool { return c.Mon.busy == 0 })
	})
	return c
}

// evaluatedConsole is the fixture city evaluated at testNow, in a console
// showing the Monitoring tab.
func evaluatedConsole(t *testing.T, login string) *Console {
	t.Helper()
	m := fixture.City(t)
	if _, err := m.EvaluateIndicators(bg, testNow); err != nil {
		t.Fatal(err)
	}
	c := newConsoleOn(t, m, login, func() time.Time { return testNow })
	c.RightTabs.Select(c.Mon.Tab)
	settle(t, c)
	return c
}

// pump runs what the background hands over until done says so, failing
// after the timeout.
func pump(t *testing.T, timeout time.Duration, done func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := time.After(timeout)
	for !done() {
		select {
		case f := <-frames:
			f()
		case <-deadline:
			t.Fatalf("not done within %v", timeout)
		case <-time.After(5 * time.Millisecond):
		}
	}
	return time.Since(start)
}

// drain runs what was handed over until nothing comes for a while.
func drain() {
	for {
		select {
		case f := <-frames:
			f()
		case <-time.After(200 * time.Millisecond):
			return
		}
	}
}

func codesOf(st []data.IndicatorStatus) []string {
	var out []string
	for _, s := range st {
		out = append(out, s.Indicator.Code+"@"+s.Region)
	}
	return out
}

// The list shows the statuses the store has for the region chosen in the
// tree (alarms first), narrowed by category; a street without values
// shows none.
func TestMonitorListFollowsTheTreeAndCategory(t *testing.T) {
	c := evaluatedConsole(t, "leader")
	if c.MonitorRegion() != "9901" {
		t.Fatalf("the tab shows %q at start, want the city", c.MonitorRegion())
	}
	c.Tree.Select("990102")
	if c.MonitorRegion() != "990102" {
		t.Fatalf("after choosing a district in the tree the tab shows %q", c.MonitorRegion())
	}
	want, err := c.M.IndicatorStatuses(bg, data.IndicatorFilter{Region: "990102"})
	if err != nil {
		t.Fatal(err)
	}
	shown := c.MonitorShown()
	if len(shown) != 211 || len(want) != len(shown) {
		t.Fatalf("the list shows %d statuses, the store has %d", len(shown), len(want))
	}
	a, b := codesOf(shown), codesOf(want)
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Fatal("the list and the store differ")
	}
	for i := 1; i < len(shown); i++ {
		if shown[i].Severity > shown[i-1].Severity {
			t.Fatalf("row %d (%s) is worse than the row before", i, shown[i].Severity)
		}
	}
	if shown[0].Severity == data.Normal {
		t.Fatal("the fixture district has no warning to put first")
	}
	// Each row as the store has it: value, severity.
	for _, w := range want {
		i := slices.IndexFunc(shown, func(s data.IndicatorStatus) bool { return s.Indicator.Code == w.Indicator.Code })
		if shown[i].Value != w.Value || shown[i].Severity != w.Severity {
			t.Fatalf("%s: shown %v %s, stored %v %s", w.Indicator.Code, shown[i].Value, shown[i].Severity, w.Value, w.Severity)
		}
	}
	c.Mon.Category.SetSelectedIndex(1 + slices.Index(data.IndicatorCategories, "environment"))
	envs, err := c.M.IndicatorStatuses(bg, data.IndicatorFilter{Region: "990102", Category: "environment"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.MonitorShown(); len(got) != len(envs) || len(got) == 0 || slices.ContainsFunc(got, func(s data.IndicatorStatus) bool {
		return s.Indicator.Category != "environment"
	}) {
		t.Fatalf("environment: %d rows shown, the store %d", len(got), len(envs))
	}
	c.Mon.Category.SetSelectedIndex(0)
	// A street: followed, the demo's street inputs (the Red Cotton
	// Index's) shown as the store has them.
	c.Tree.Select("990102001")
	street, err := c.M.IndicatorStatuses(bg, data.IndicatorFilter{Region: "990102001"})
	if err != nil {
		t.Fatal(err)
	}
	if c.MonitorRegion() != "990102001" || len(c.MonitorShown()) != len(street) || len(street) == 0 {
		t.Fatalf("street: region %q, %d rows, the store %d, %q", c.MonitorRegion(), len(c.MonitorShown()), len(street), c.Mon.Region.Text)
	}
	// A grid chosen: its street.
	c.Tree.Select("990101")
	c.Choose("990101001201001")
	c.RightTabs.SelectIndex(0)
	c.RightTabs.Select(c.Mon.Tab)
	if c.MonitorRegion() != "990101001" {
		t.Fatalf("a grid chosen: the tab shows %q, want its street", c.MonitorRegion())
	}
}

// Sparklines are drawn in the background for the rows the list shows, not
// for all 211, and kept: showing the list again draws nothing new.
func TestMonitorSparklinesLazy(t *testing.T) {
	c := evaluatedConsole(t, "leader")
	asked := c.Mon.SparksDrawn
	if asked == 0 || asked >= 60 {
		t.Fatalf("%d sparklines asked for with the list shown (211 rows)", asked)
	}
	pump(t, 20*time.Second, func() bool { return len(c.Mon.drawing) == 0 })
	if len(c.Mon.sparks) != asked {
		t.Fatalf("%d sparklines drawn, %d asked for", len(c.Mon.sparks), asked)
	}
	for k, s := range c.Mon.sparks {
		if s.img == nil || s.img.Bounds().Dx() != sparkW {
			t.Fatalf("%v: sparkline %v", k, s.img)
		}
	}
	c.Mon.List.Refresh()
	if c.Mon.SparksDrawn != asked {
		t.Fatalf("refreshing the list asked for %d more", c.Mon.SparksDrawn-asked)
	}
	// A new evaluation: the rows shown are drawn again (the old pictures
	// stay until then).
	c.loadMonitor()
	if c.Mon.SparksDrawn <= asked || c.Mon.SparksDrawn > 2*asked {
		t.Fatalf("after a new reading %d asked for, first %d", c.Mon.SparksDrawn, asked)
	}
	drain()
}

// Choosing an indicator draws its 24-hour chart off the UI goroutine,
// with its definition; the 30-day toggle draws the month.
func TestMonitorChartAndDefinition(t *testing.T) {
	c := evaluatedConsole(t, "leader")
	c.Tree.Select("990102")
	c.ChooseIndicator("transport-03H")
	if c.ChartShown() != nil || c.Mon.ChartNote.Text != "Drawing the chart…" {
		t.Fatalf("the chart was drawn on the UI goroutine (%q)", c.Mon.ChartNote.Text)
	}
	pump(t, 20*time.Second, func() bool { return c.ChartShown() != nil })
	if b := c.ChartShown().Bounds(); b.Dx() != chartW || b.Dy() != chartH {
		t.Fatalf("chart %v", b)
	}
	def := c.Mon.Definition.Text
	for _, w := range []string{"transport-03H", "transport", "lower is better", "≥ 1.8 index", "≥ 2.1 index", "absolute values", "市交通运输局", "1 min"} {
		if !strings.Contains(def, w) {
			t.Fatalf("the definition lacks %q:\n%s", w, def)
		}
	}
	if !strings.Contains(c.Mon.ChartNote.Text, "last 24 hours") {
		t.Fatalf("note %q", c.Mon.ChartNote.Text)
	}
	day := c.ChartShown()
	c.Mon.Month.SetChecked(true)
	pump(t, 20*time.Second, func() bool { return c.ChartShown() != nil && c.ChartShown() != day })
	if !strings.Contains(c.Mon.ChartNote.Text, "last 30 days") {
		t.Fatalf("note %q", c.Mon.ChartNote.Text)
	}
	// A baseline indicator names its baseline.
	c.ChooseIndicator("transport-01H")
	if !strings.Contains(c.Mon.Definition.Text, "× baseline") {
		t.Fatalf("baseline definition:\n%s", c.Mon.Definition.Text)
	}
	drain()
}

// The catalogue's categories, directions, modes, rollups, severities and
// units are translated both ways.
func TestMonitorTermsTranslated(t *testing.T) {
	defs, err := data.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	keys := append([]string{"higher_better", "lower_better", "absolute", "baseline", "sum", "mean", "normal", "warn", "alarm"},
		data.IndicatorCategories...)
	for _, d := range defs {
		if unitText(d.Unit) != d.Unit || strings.ContainsFunc(d.Unit, func(r rune) bool { return r > 0x2e80 }) {
			keys = append(keys, "unit."+d.Unit)
		}
	}
	for _, file := range []string{"i18n/zh-CN.json", "i18n/en.json"} {
		var texts map[string]string
		if b, err := assets.FS.ReadFile(file); err != nil || json.Unmarshal(b, &texts) != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, k := range keys {
			if texts[k] == "" {
				t.Errorf("%s: no %q", file, k)
			}
		}
	}
}
