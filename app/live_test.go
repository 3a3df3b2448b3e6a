package app

import (
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// twoHandles opens the fixture city twice: the console's handle and
// another's (its own connections, as another process would write).
func twoHandles(t *testing.T) (*mirror.Mirror, *mirror.Mirror) {
	t.Helper()
	path := fixture.CityPath(t)
	var out [2]*mirror.Mirror
	for i := range out {
		m, err := mirror.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = m.Close() })
		out[i] = m
	}
	return out[0], out[1]
}

// liveConsole is a console on the first handle, watching it, its
// indicators evaluated at start.
func liveConsole(t *testing.T, m *mirror.Mirror, now func() time.Time) *Console {
	t.Helper()
	c := newConsoleOn(t, m, "leader", now)
	c.RightTabs.Select(c.Mon.Tab)
	if err := c.StartLive(); err != nil {
		t.Fatal(err)
	}
	pump(t, 5*time.Second, func() bool { return c.Mon.live.Refreshes > 0 })
	if len(c.MonitorShown()) != 211 {
		t.Fatalf("after the evaluation at start the city shows %d indicators", len(c.MonitorShown()))
	}
	return c
}

// A new alarm fed through another handle shows the notice naming the
// indicator and the region within 2 s; tapping it shows the alarm in the
// Monitoring tab; dismissing it hides it.
func TestLiveNewAlarmNotice(t *testing.T) {
	m, other := twoHandles(t)
	c := liveConsole(t, m, func() time.Time { return testNow })
	if c.NoticeText() != "" {
		t.Fatalf("a notice at start: %q", c.NoticeText())
	}
	c.RightTabs.SelectIndex(0)
	start := time.Now()
	res, err := other.Feed(bg, "test", []data.Reading{{Indicator: "transport-03H", Region: "990101", At: testNow, Value: 3}}, "operator", testNow)
	// The district's alarm, and the city's (its districts' mean).
	if err != nil || res.Evaluation.Opened != 2 {
		t.Fatalf("feed: %+v %v", res, err)
	}
	pump(t, 2*time.Second, func() bool { return c.NoticeText() != "" })
	t.Logf("the notice %v after the other handle's write", time.Since(start).Round(time.Millisecond))
	if len(c.Mon.noticed) != 2 {
		t.Fatalf("the notice holds %d alarms, want 2", len(c.Mon.noticed))
	}
	first := c.Mon.noticed[0]
	text := c.NoticeText()
	if first.Indicator.Code != "transport-03H" || !strings.Contains(text, "road congestion index") ||
		!strings.Contains(text, " in "+c.regionName(first.Region)+" — ") || !strings.Contains(text, "(and 1 more)") {
		t.Fatalf("notice %q", text)
	}
	test.Tap(c.Mon.NoticeBtn)
	if c.RightTabs.Selected() != c.Mon.Tab || c.MonitorRegion() != first.Region || c.Mon.chosen != "transport-03H" {
		t.Fatalf("tapped: tab %q, region %q, indicator %q", c.RightTabs.Selected().Text, c.MonitorRegion(), c.Mon.chosen)
	}
	if a, ok := c.selectedAlert(); !ok || a.UID != first.UID || a.Severity != data.Alarm {
		t.Fatalf("the alert chosen: %+v %v", a, ok)
	}
	if st, ok := c.chosenStatus(); !ok || st.Severity != data.Alarm || st.Value != first.OpenedValue {
		t.Fatalf("the status charted: %+v", st)
	}
	// The notice names the other now; tapped, it goes.
	if second := c.NoticeText(); second == "" || strings.Contains(second, "more)") {
		t.Fatalf("the notice after showing the first: %q", second)
	}
	test.Tap(c.Mon.NoticeBtn)
	if c.NoticeText() != "" || c.MonitorRegion() == first.Region {
		t.Fatalf("the notice stays after showing both alarms: %q (region %s)", c.NoticeText(), c.MonitorRegion())
	}
	// Two more: the notice names the newest and counts the other; dismissed, it goes.
	for _, r := range []data.Reading{{Indicator: "transport-03H", Region: "990102", At: testNow, Value: 3},
		{Indicator: "transport-04H", Region: "990101", At: testNow, Value: 10}} {
		if _, err := other.Feed(bg, "test", []data.Reading{r}, "operator", testNow); err != nil {
			t.Fatal(err)
		}
		n := c.Mon.live.Refreshes
		pump(t, 3*time.Second, func() bool { return c.Mon.live.Refreshes > n && c.NoticeText() != "" })
	}
	pump(t, 3*time.Second, func() bool { return strings.Contains(c.NoticeText(), "more)") })
	c.DismissNotice()
	if c.NoticeText() != "" || c.Mon.Notice.Visible() {
		t.Fatal("dismissed, the notice stays")
	}
}

// Another connection's writes — a case reported, values fed — show in the
// console (case queue, board, map counts, indicator list, alerts) within
// 2 s of the write, by the watcher alone. The figure is logged.
func TestLiveSeesAnotherWriteWithin2s(t *testing.T) {
	m, other := twoHandles(t)
	var clock atomic.Int64
	clock.Store(testNow.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	c := liveConsole(t, m, now)
	c.ShowMonitorRegion("990102")
	var took []time.Duration
	for i := range 5 {
		clock.Add(int64(time.Minute))
		at := now()
		before := c.regions[c.byCode["990102"]].Open
		grid := c.City.Grids[i].Code
		if !strings.HasPrefix(grid, "990102") {
			grid = c.City.Grids[len(c.City.Grids)-1-i].Code
		}
		value := 1.0 + float64(i)/10
		start := time.Now()
		kase, err := other.ReportCase(bg, data.CaseReport{Grid: grid, Matter: c.matters[0].Code, Description: "live test",
			Source: data.SourceHotline, Actor: "operator"}, at)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.Feed(bg, "test", []data.Reading{{Indicator: "transport-03H", Region: "990102", At: at, Value: value}}, "operator", at); err != nil {
			t.Fatal(err)
		}
		seen := func() bool {
			i := slices.IndexFunc(c.MonitorShown(), func(s data.IndicatorStatus) bool { return s.Indicator.Code == "transport-03H" })
			return i >= 0 && c.MonitorShown()[i].Value == value &&
				slices.ContainsFunc(c.CasesShown(), func(r data.CaseRow) bool { return r.Code == kase.Code })
		}
		pump(t, 2*time.Second, seen)
		took = append(took, time.Since(start))
		if after := c.regions[c.byCode["990102"]].Open; after != before+1 || c.City.Events[grid].Open == 0 {
			t.Fatalf("the district's open cases %d → %d, the grid's %d", before, after, c.City.Events[grid].Open)
		}
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	t.Logf("another connection's write seen by the console in %v (median %v, most %v; polling every %v)",
		took, took[len(took)/2].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond), livePoll)
}

// The demo is known by its seed: the live feed is on there by default, is
// switched off in the tab (and stays off), and --live forces it on any
// mirror. While it runs the console shows what it feeds.
func TestLiveDemoFeed(t *testing.T) {
	m, _ := twoHandles(t)
	var clock atomic.Int64
	clock.Store(testNow.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	c := newConsoleOn(t, m, "leader", now)
	c.RightTabs.Select(c.Mon.Tab)
	defer func(d time.Duration) { liveFeedEvery = d }(liveFeedEvery)
	liveFeedEvery = 200 * time.Millisecond
	tick := make(chan struct{})
	go func() { // the clock moves on a second each 10 ms while the test runs
		for {
			select {
			case <-tick:
				return
			case <-time.After(10 * time.Millisecond):
				clock.Add(int64(time.Second))
			}
		}
	}()
	defer close(tick)
	if err := c.ConfigureLive(false); err != nil {
		t.Fatal(err)
	}
	if !c.LiveFeeding() || !c.Mon.LiveFeed.Visible() || !c.Mon.LiveFeed.Checked {
		t.Fatalf("the demo: feeding %v, switch shown %v, on %v", c.LiveFeeding(), c.Mon.LiveFeed.Visible(), c.Mon.LiveFeed.Checked)
	}
	fed := func() int64 {
		return fixture.Count(t, m, `SELECT count(*) FROM indicator_readings`)
	}
	pump(t, 10*time.Second, func() bool { return fed() > 0 })
	// What the console shows is what the store has after the feed.
	c.ShowMonitorRegion("990101")
	pump(t, 20*time.Second, func() bool {
		i := slices.IndexFunc(c.MonitorShown(), func(s data.IndicatorStatus) bool { return s.Indicator.Code == "transport-03H" })
		return i >= 0 && c.MonitorShown()[i].At.After(testNow)
	})
	c.Mon.LiveFeed.SetChecked(false)
	if c.LiveFeeding() || fyne.CurrentApp().Preferences().Bool(LiveFeedPref) {
		t.Fatal("switched off, the feed runs on or is not remembered")
	}
	n := fed()
	time.Sleep(100 * time.Millisecond)
	if fed() != n {
		t.Fatal("values fed after the feed was switched off")
	}
	c.StopLive()
	if err := c.ConfigureLive(false); err != nil {
		t.Fatal(err)
	}
	if c.LiveFeeding() {
		t.Fatal("switched off before, the feed started again")
	}
	// The Settings dialog switches it too, and its check follows the tab's.
	st := c.settingsForm()
	if st.feed == nil || st.feed.Checked {
		t.Fatalf("Settings on the demo with the feed off: %+v", st.feed)
	}
	st.feed.SetChecked(true)
	st.apply()
	if !c.LiveFeeding() || !c.Mon.LiveFeed.Checked || !fyne.CurrentApp().Preferences().Bool(LiveFeedPref) {
		t.Fatal("switched on in Settings: not feeding, or the tab's check or the preference not following")
	}
	st = c.settingsForm()
	st.feed.SetChecked(false)
	st.apply()
	if c.LiveFeeding() {
		t.Fatal("switched off in Settings, still feeding")
	}
	c.StopLive()
	// Not the demo: no switch, no feed, unless forced.
	if _, err := m.DB.Exec(`DELETE FROM kapok_meta WHERE key = 'demo_seed'`); err != nil {
		t.Fatal(err)
	}
	fyne.CurrentApp().Preferences().SetBool(LiveFeedPref, true)
	if err := c.ConfigureLive(false); err != nil {
		t.Fatal(err)
	}
	if c.LiveFeeding() || c.Mon.LiveFeed.Visible() {
		t.Fatal("the feed offered on a mirror that is not the demo")
	}
	if c.settingsForm().feed != nil {
		t.Fatal("Settings offer the feed on a mirror that is not the demo")
	}
	c.StopLive()
	if err := c.ConfigureLive(true); err != nil {
		t.Fatal(err)
	}
	if !c.LiveFeeding() || !c.Mon.LiveFeed.Visible() {
		t.Fatal("--live did not start the feed")
	}
	c.StopLive()
	drain()
}
