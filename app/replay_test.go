package app

import (
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/timeline"
)

// runUntil runs the hand-overs to the UI goroutine on the test's until
// cond holds.
func runUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for !cond() {
		select {
		case f := <-frames:
			f()
		case <-deadline:
			t.Fatalf("no %s within 20 s", what)
		}
	}
}

// enterReplay opens replay as the menu does (the span read on a
// goroutine) and moves to at.
func enterReplay(t *testing.T, c *Console, at time.Time) *timeline.Timeline {
	t.Helper()
	c.OpenReplay()
	runUntil(t, "replay", c.Replaying)
	c.moveReplay(at)
	return c.replay.tl
}

func sumGrids(g map[string]data.GridEvents) (open, overdue int) {
	for _, e := range g {
		open += e.Open
		overdue += e.Overdue
	}
	return open, overdue
}

// Replay shows the counts of then on the map, the tree and the board, the
// orders and queue of then, hides the controls that change data and refuses
// a change; leaving it shows now again.
func TestReplayShowsThenReadOnlyAndLeaves(t *testing.T) {
	c := newTestConsole(t, "leader")
	liveOpen, liveOverdue := sumGrids(c.City.Events)
	var at time.Time
	var then timeline.State
	// A moment whose counts are not now's, so that the test tells them apart.
	tl := enterReplay(t, c, testNow.Add(-time.Hour))
	for h := 1; h < 72; h++ {
		at = testNow.Add(-time.Duration(h) * time.Hour)
		then = tl.At(at)
		if o, _ := sumGrids(then.Grids); o != liveOpen {
			break
		}
	}
	c.moveReplay(at)
	settle(t, c)
	runUntil(t, "queue", func() bool { return !c.replay.queueBusy })
	open, overdue := sumGrids(then.Grids)
	if open == liveOpen {
		t.Fatalf("no moment of the last 3 days with other counts than now's (%d open)", open)
	}
	if c.AsOf != at || !c.ReplayAt().Equal(at) {
		t.Fatalf("console at %v, replay at %v; want %v", c.AsOf, c.ReplayAt(), at)
	}
	// The Monitoring tab: the indicators as they stood then.
	monitorThen, err := c.M.IndicatorStatusesAt(bg, data.IndicatorFilter{Region: c.MonitorRegion()}, at)
	if err != nil {
		t.Fatal(err)
	}
	if shown := c.MonitorShown(); len(shown) != len(monitorThen) || len(shown) == 0 {
		t.Fatalf("the Monitoring tab shows %d indicators, %d stood then", len(shown), len(monitorThen))
	}
	for _, st := range c.MonitorShown() {
		if st.At.After(at) {
			t.Fatalf("the Monitoring tab shows %s's value of %v, after then (%v)", st.Indicator.Code, st.At, at)
		}
	}
	// The map's counts, the tree's (the city's summary) and the board's.
	if o, d := sumGrids(c.City.Events); o != open || d != overdue {
		t.Fatalf("map: %d open, %d overdue; then %d, %d (now %d, %d)", o, d, open, overdue, liveOpen, liveOverdue)
	}
	for _, r := range c.regions {
		if r.Parent == "" && (r.Open != open || r.Overdue != overdue) {
			t.Fatalf("tree: city %s %d open, %d overdue; then %d, %d", r.Code, r.Open, r.Overdue, open, overdue)
		}
	}
	bo, bd := 0, 0
	for _, r := range c.boardRows {
		bo, bd = bo+r.Open, bd+r.Overdue
	}
	if bo != open || bd != overdue {
		t.Fatalf("board: %d open, %d overdue; then %d, %d", bo, bd, open, overdue)
	}
	// The queue: the cases open then, with their clocks then.
	if len(c.cases) != min(len(then.Open), queueRows) {
		t.Fatalf("queue lists %d cases; %d were open then", len(c.cases), len(then.Open))
	}
	for i, r := range c.cases {
		if r.State != then.Open[slicesIndex(then.Open, r.Code)].State {
			t.Fatalf("queue row %d: %s %s", i, r.Code, r.State)
		}
	}
	if !strings.Contains(c.CaseCount.Text, "cases") {
		t.Fatalf("queue count: %q", c.CaseCount.Text)
	}
	// Marked: the banner says replay and the moment, in Beijing time.
	want := "回放 / Replay — " + at.In(beijing).Format("2006-01-02 15:04")
	if got := c.replay.bar.Banner.Text; !strings.HasPrefix(got, want) || !strings.Contains(got, "(Beijing time)") {
		t.Fatalf("banner %q, want %q…", got, want)
	}
	if strings.Contains(c.Status.Text, testNow.In(beijing).Format("15:04")) {
		t.Fatalf("status bar shows now: %q", c.Status.Text)
	}
	// Read-only: the controls that change data are gone, a change is
	// refused and nothing is written.
	for name, hidden := range map[string]bool{"Issue order": !c.IssueBtn.Visible(), "Report case": !c.ReportBtn.Visible(),
		"order moves": !c.Actions.Visible()} {
		if !hidden {
			t.Errorf("%s shown in replay", name)
		}
	}
	for _, a := range []data.Action{data.ActCaseHandle, data.ActOrderIssue, data.ActRosterEdit, data.ActAlertAck, data.ActDutyEdit} {
		if c.may(a) {
			t.Errorf("replay permits %s", a)
		}
	}
	entries := countRows(t, c.M, "journal")
	c.OpenOrderDialog()
	c.StartReport()
	if c.dialog != nil || c.picking {
		t.Fatal("replay opened the order dialog or waits for a report's click")
	}
	if len(c.cases) > 0 {
		if err := c.step(c.cases[0], caseStep{kind: "move", to: data.EventClosed}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(c.Status.Text, "read-only") {
		t.Fatalf("status after a refused change: %q", c.Status.Text)
	}
	if n := countRows(t, c.M, "journal"); n != entries {
		t.Fatalf("replay wrote %d journal entries", n-entries)
	}
	// A write meanwhile by someone else leaves the view at then.
	c.LiveChanged()
	if o, _ := sumGrids(c.City.Events); o != open {
		t.Fatalf("a live refresh in replay shows %d open", o)
	}

	// A grid's details are now's: not shown in replay.
	c.ShowDetail("990101001001001")
	if d := c.DetailText(); !strings.Contains(d, "details are not shown") {
		t.Fatalf("the detail panel in replay: %q", d)
	}

	// Leaving shows now again, with the controls.
	c.LeaveReplay()
	settle(t, c)
	c.ShowDetail("990101001001001")
	if d := c.DetailText(); strings.Contains(d, "details are not shown") {
		t.Fatalf("the detail panel after replay: %q", d)
	}
	if c.Replaying() || c.AsOf != testNow {
		t.Fatalf("still in replay, at %v", c.AsOf)
	}
	if o, d := sumGrids(c.City.Events); o != liveOpen || d != liveOverdue {
		t.Fatalf("after replay the map shows %d open, %d overdue; now %d, %d", o, d, liveOpen, liveOverdue)
	}
	live, err := c.M.RegionSummaries(bg, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range live {
		if c.regions[i].Open != r.Open || c.regions[i].Overdue != r.Overdue {
			t.Fatalf("tree after replay: %s %+v, now %+v", r.Code, c.regions[i], r)
		}
	}
	if !c.IssueBtn.Visible() || !c.ReportBtn.Visible() {
		t.Fatal("the controls did not come back")
	}
}

func slicesIndex(open []timeline.CaseAt, code string) int {
	for i, c := range open {
		if c.Code == code {
			return i
		}
	}
	return -1
}

// Playback: a step goes to the next change and lists it; playing moves the
// clock on from a ticker and lists the steps passed, newest on top; pause
// stops it.
func TestReplayPlayback(t *testing.T) {
	c := newTestConsole(t, "leader")
	tl := enterReplay(t, c, testNow.Add(-48*time.Hour))
	start := c.ReplayAt()
	all := tl.Between(start, tl.To)
	if len(all) < 3 {
		t.Fatalf("only %d changes in the last 2 days", len(all))
	}
	c.StepReplay()
	if !c.ReplayAt().Equal(all[0].At) {
		t.Fatalf("step went to %v; the next change is at %v", c.ReplayAt(), all[0].At)
	}
	if got := c.Changes(); len(got) == 0 || got[len(got)-1] != all[0] {
		t.Fatalf("steps listed after a step: %v", got)
	}
	clock := c.replay.bar.Clock.Text
	if clock != c.ReplayAt().In(beijing).Format("2006-01-02 15:04:05") {
		t.Fatalf("clock %q at %v", clock, c.ReplayAt())
	}
	// Play at 3600×: an hour of then a second.
	c.SetReplaySpeed(3600)
	before := c.ReplayAt()
	c.TogglePlayback()
	if !strings.Contains(c.replay.bar.Banner.Text, "playing at 3600×") {
		t.Fatalf("banner while playing: %q", c.replay.bar.Banner.Text)
	}
	runUntil(t, "playback past 2 hours", func() bool { return c.ReplayAt().Sub(before) > 2*time.Hour })
	c.TogglePlayback()
	if c.replay.play.on {
		t.Fatal("pause did not stop playback")
	}
	at := c.ReplayAt()
	if c.replay.bar.Clock.Text == clock {
		t.Fatal("the running clock did not move")
	}
	want := tl.Between(start, at)
	got := c.Changes()
	if len(got) != len(want) {
		t.Fatalf("%d steps listed; %d happened between %v and %v", len(got), len(want), start, at)
	}
	for i := range got {
		if got[i] != want[len(want)-1-i] {
			t.Fatalf("step %d listed %+v, want %+v (newest first)", i, got[i], want[len(want)-1-i])
		}
	}
	if line := ChangeLine(got[0]); !strings.Contains(line, got[0].Subject) {
		t.Fatalf("list line %q", line)
	}
	// Paused, the clock stays.
	time.Sleep(3 * replayFrameEvery)
	for len(frames) > 0 {
		(<-frames)()
	}
	if !c.ReplayAt().Equal(at) {
		t.Fatal("the clock moved while paused")
	}
	// Played to the period's end, it stops there.
	c.replay.bar.Until.SetText(at.Add(30 * time.Minute).In(beijing).Format(timeLayout))
	c.TogglePlayback()
	runUntil(t, "the period's end", func() bool { return !c.replay.play.on })
	if end := at.Add(30 * time.Minute).Truncate(time.Minute); !c.ReplayAt().Equal(end) {
		t.Fatalf("stopped at %v, want %v", c.ReplayAt(), end)
	}
	c.LeaveReplay()
}

// A mirror whose journal chain is broken replays with a banner saying so.
func TestReplayOfABrokenJournalSaysSo(t *testing.T) {
	c := newTestConsole(t, "leader")
	for _, q := range []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET entry = replace(entry, 'system', 'mallory') WHERE seq = 1`} {
		if _, err := c.M.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	enterReplay(t, c, testNow.Add(-5*time.Hour))
	got := c.replay.bar.Banner.Text
	if !strings.Contains(got, "The journal's chain is broken: entry 1 does not match its hash") {
		t.Fatalf("banner: %q", got)
	}
	c.SetLanguage("zh-CN")
	if got := c.replay.bar.Banner.Text; !strings.Contains(got, "变更日志的哈希链已断开") || !strings.HasPrefix(got, "回放 / Replay") {
		t.Fatalf("banner in Chinese: %q", got)
	}
	c.SetLanguage("en")
}
