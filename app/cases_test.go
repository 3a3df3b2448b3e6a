package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/mirror"
)

// tapButton taps the selected case's button with this label.
func tapButton(t *testing.T, c *Console, label string) {
	t.Helper()
	for _, o := range c.CaseActions.Objects {
		if b := o.(*widget.Button); b.Text == label {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q; the case shows %v", label, c.CaseButtons())
}

// cellLabel renders one cell of the queue as the table would.
func cellLabel(c *Console, row, col int) *widget.Label {
	o := c.CaseTable.CreateCell()
	c.CaseTable.UpdateCell(widget.TableCellID{Row: row, Col: col}, o)
	return o.(*fyne.Container).Objects[0].(*widget.Label)
}

// The queue lists what the store lists at the console's clock, coloured by
// clock; the filters and the sorting narrow and order it.
func TestCaseQueueFiltersAndColours(t *testing.T) {
	c := newTestConsole(t, "leader")
	want, err := c.M.Cases(bg, data.CaseFilter{}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	shown := c.CasesShown()
	if len(shown) == 0 || len(shown) != len(want) {
		t.Fatalf("queue lists %d cases, the store %d", len(shown), len(want))
	}
	for i := range shown {
		if shown[i].Code != want[i].Code {
			t.Fatalf("row %d: %s, want %s (by remaining time)", i, shown[i].Code, want[i].Code)
		}
		l := cellLabel(c, i, 0)
		switch shown[i].Clock.State {
		case data.ClockOverdue:
			if l.Importance != widget.DangerImportance || !strings.HasPrefix(l.Text, "overdue") {
				t.Fatalf("overdue row %d: %q, importance %v", i, l.Text, l.Importance)
			}
		case data.ClockWarning:
			if l.Importance != widget.WarningImportance {
				t.Fatalf("warning row %d: importance %v", i, l.Importance)
			}
		default:
			if l.Importance != widget.MediumImportance {
				t.Fatalf("%s row %d: importance %v", shown[i].Clock.State, i, l.Importance)
			}
		}
	}
	for _, f := range []data.CaseFilter{
		{States: []data.EventState{data.EventHandling}},
		{Overdue: true},
		{Region: "990102"},
		{Source: data.SourceHotline},
		{Category: shown[0].Category},
		{All: true},
	} {
		c.FilterCases(f)
		want, err := c.M.Cases(bg, f, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.CasesShown(); len(got) != len(want) || len(got) > 0 && got[0].Code != want[0].Code {
			t.Fatalf("filter %+v: %d rows, want %d", f, len(got), len(want))
		}
		// The filter widgets say what is in force, and choosing them again
		// gives the same filter.
		c.caseFiltersChanged()
		if got := c.CasesShown(); len(got) != len(want) {
			t.Fatalf("filter %+v read back from the widgets: %d rows, want %d", f, len(got), len(want))
		}
	}
	c.FilterCases(data.CaseFilter{All: true})
	c.SortCases("priority")
	rows := c.CasesShown()
	rank := map[data.Priority]int{data.PriorityUrgent: 0, data.PriorityHigh: 1, data.PriorityNormal: 2, data.PriorityLow: 3}
	if !slices.IsSortedFunc(rows, func(a, b data.CaseRow) int { return rank[a.Priority] - rank[b.Priority] }) {
		t.Fatal("not sorted by priority")
	}
}

// A case from the map to closed at the console: reported by a click with
// the matter found by its pinyin initials, filed, dispatched to the
// recommended unit, handled, fed back, verified. After each step the
// queue, the buttons, the tree's badges, the board, the map's counts and
// the units layer show it at once.
func TestACaseThroughTheConsole(t *testing.T) {
	c := newTestConsole(t, "leader")
	const grid = "990101001001001"
	openIn := func() (inGrid, tree, board int) {
		_, open, _ := c.nodeText(grid[:12])
		for _, r := range c.BoardRows() {
			if r.Code == grid[:6] {
				board = r.Open
			}
		}
		return c.City.Events[grid].Open, open, board
	}
	g0, t0, b0 := openIn()

	c.Choose(grid)
	settle(t, c)
	test.Tap(c.ReportBtn)
	if !c.picking {
		t.Fatal("Report case does not wait for a click on the map")
	}
	c.Map.Tapped(&fyne.PointEvent{Position: screenPos(c, gridCentre(c, grid))})
	d := c.Reporting()
	if d == nil || !strings.HasPrefix(d.Where.Text, grid) {
		t.Fatalf("report form: %+v", d)
	}
	test.Type(d.Matter, "xftd")
	if d.matter != "XF01" || !strings.Contains(d.Chosen.Text, "Blocked fire lane") {
		t.Fatalf("matter by initials: %q, %q", d.matter, d.Chosen.Text)
	}
	test.Tap(d.Report) // no description
	if !d.Error.Visible() || !strings.Contains(d.Error.Text, "the description is empty") || c.Reporting() == nil {
		t.Fatalf("empty description: %q", d.Error.Text)
	}
	test.Type(d.Description, "消防通道被电动车堵塞")
	test.Tap(d.Report)
	if c.Reporting() != nil {
		t.Fatalf("report refused: %s", d.Error.Text)
	}
	r, ok := c.selectedCase()
	if !ok || r.State != data.EventCollected || r.GridCode != grid || r.MatterCode != "XF01" {
		t.Fatalf("reported: %+v", r)
	}
	if g, tr, b := openIn(); g != g0+1 || tr != t0+1 || b != b0+1 {
		t.Fatalf("open in the grid %d→%d, tree %d→%d, board %d→%d", g0, g, t0, tr, b0, b)
	}
	if got := c.CaseButtons(); !slices.Equal(got, []string{"File", "Do not file…", "Escalate…"}) {
		t.Fatalf("buttons of a reported case: %v", got)
	}

	tapButton(t, c, "File")
	if got := c.CaseButtons(); !slices.Equal(got, []string{"Cancel the case…", "Dispatch…", "Escalate…"}) {
		t.Fatalf("buttons of a filed case: %v", got)
	}
	tapButton(t, c, "Dispatch…")
	dd := c.Dispatching()
	if dd == nil || len(dd.Recs) == 0 || dd.Recs[0].Unit.Code != "U9901010010010011" || !dd.Checks[0].Checked {
		t.Fatalf("dispatch form: %+v", dd)
	}
	if !strings.Contains(find(c.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.HasPrefix(l.Text, "same grid · ")
	}).(*widget.Label).Text, "can do fire fighting") {
		t.Fatal("the top recommendation does not say why")
	}
	linesBefore, err := c.M.LoadOverlay(bg, "dispatch", c.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(dd.Dispatch)
	if c.Dispatching() != nil {
		t.Fatalf("dispatch refused: %s", dd.Error.Text)
	}
	r, _ = c.selectedCase()
	if r.State != data.EventDispatched || r.Clock.State != data.ClockRunning {
		t.Fatalf("dispatched: %+v", r)
	}
	ul, err := c.City.Units()
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(ul.Units, func(u data.Unit) bool { return u.Code == "U9901010010010011" }); ul.Units[i].Status != data.UnitDispatched {
		t.Fatalf("units layer: %s", ul.Units[i].Status)
	}
	// One more line on the dispatch layer, from the unit just sent (the
	// demo's cases in hand hold units of their own).
	lines, err := c.M.LoadOverlay(bg, "dispatch", c.AsOf)
	if err != nil || len(lines) != len(linesBefore)+1 || !slices.ContainsFunc(lines, func(f data.MapFeature) bool { return f.Code == "U9901010010010011" }) {
		t.Fatalf("dispatch lines before %v, after %v %v", linesBefore, lines, err)
	}
	// XF01 (8 hours) allows no extension: none is offered, even to a leader.
	if got := c.CaseButtons(); !slices.Equal(got, []string{"Start handling", "Return…", "Escalate…"}) {
		t.Fatalf("buttons of a dispatched case: %v", got)
	}

	tapButton(t, c, "Start handling")
	tapButton(t, c, "Feed back…")
	ask := c.AskingText()
	if ask == nil {
		t.Fatal("Feed back asks for no result")
	}
	test.Tap(ask.OK)
	if !ask.Error.Visible() || !strings.Contains(ask.Error.Text, "result") || c.AskingText() == nil {
		t.Fatalf("feedback without a result: %q", ask.Error.Text)
	}
	test.Type(ask.Entry, "已清理通道")
	test.Tap(ask.OK)
	r, _ = c.selectedCase()
	if c.AskingText() != nil || r.State != data.EventFedBack {
		t.Fatalf("fed back: %+v", r)
	}
	if i := slices.IndexFunc(ul.Units, func(u data.Unit) bool { return u.Code == "U9901010010010011" }); i < 0 {
		t.Fatal("unit gone")
	}
	if ul, _ = c.City.Units(); ul.Units[slices.IndexFunc(ul.Units, func(u data.Unit) bool { return u.Code == "U9901010010010011" })].Status != data.UnitAvailable {
		t.Fatal("feedback did not free the unit on the map")
	}
	tapButton(t, c, "Verify: close")
	if g, tr, b := openIn(); g != g0 || tr != t0 || b != b0 {
		t.Fatalf("closed, still counted open: grid %d, tree %d, board %d", g, tr, b)
	}
	if slices.ContainsFunc(c.CasesShown(), func(x data.CaseRow) bool { return x.Code == r.Code }) {
		t.Fatal("a closed case is still in the open queue")
	}
	if !strings.Contains(c.DetailText(), "closed in time") || !strings.Contains(c.DetailText(), "已清理通道") {
		t.Fatalf("detail after closing:\n%s", c.DetailText())
	}
	if got := c.CaseButtons(); !slices.Equal(got, []string{"Evaluate"}) {
		t.Fatalf("buttons of a closed case: %v", got)
	}
}

// A step on a case someone else changed meanwhile is refused, and the
// console shows the case as it is now; extensions are offered only to
// those who approve them.
func TestCaseChangedMeanwhileAndWhoMayExtend(t *testing.T) {
	c := newTestConsole(t, "operator")
	r, err := c.M.ReportCase(bg, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "噪音", Actor: "leader"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	c.CasesChanged(r.Code)
	other, err := mirror.Open(c.M.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	if _, err := other.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventFiled, Actor: "leader", Version: r.Version}, testNow); err != nil {
		t.Fatal(err)
	}
	shown, _ := c.selectedCase()
	err = c.step(shown, caseSteps[0], "") // File, on the version shown
	if !isRefusal(err, data.CodeCaseChanged) {
		t.Fatalf("step on a stale case: %v", err)
	}
	if now, _ := c.selectedCase(); now.State != data.EventFiled {
		t.Fatalf("after the refusal the console shows %s", now.State)
	}
	d, err := c.M.Case(bg, r.Code, testNow)
	if err != nil || len(d.Steps) != 2 {
		t.Fatalf("steps: %v %v", d, err)
	}
	// Dispatched: an operator may not extend, a leader may.
	recs, err := c.M.Recommend(bg, r.Code, "operator", 1, testNow)
	if err != nil || len(recs) == 0 {
		t.Fatalf("recommend: %v", err)
	}
	now, _ := c.selectedCase()
	if _, err := c.M.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventDispatched, Units: []string{recs[0].Unit.Code}, Actor: "operator", Version: now.Version}, testNow); err != nil {
		t.Fatal(err)
	}
	c.CasesChanged(r.Code)
	if slices.Contains(c.CaseButtons(), "Extend…") {
		t.Fatalf("an operator is offered an extension: %v", c.CaseButtons())
	}
	c.user.Role = data.RoleLeader
	c.updateCaseActions()
	if !slices.Contains(c.CaseButtons(), "Extend…") {
		t.Fatalf("a leader is not offered an extension: %v", c.CaseButtons())
	}
}

// The minute's tick moves the clocks: a case overdue past its matter's
// grace is escalated one level and shows red everywhere.
func TestTickEscalatesAndRecolours(t *testing.T) {
	c := newTestConsole(t, "leader")
	r, err := c.M.ReportCase(bg, data.CaseReport{Grid: "990101001001001", Matter: "XF01", Description: "堵塞", Actor: "leader"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	r, err = c.M.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventFiled, Actor: "leader", Version: r.Version}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.M.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventDispatched, Units: []string{"U9901010010010011"}, Actor: "leader", Version: r.Version}, testNow); err != nil {
		t.Fatal(err)
	}
	c.CasesChanged(r.Code)
	_, _, overdue0 := c.nodeText("990101001001")
	c.Now = func() time.Time { return testNow.Add(8*time.Hour + 4*time.Hour + time.Minute) } // XF01: 8 h, grace 4 h
	if err := c.Tick(); err != nil {
		t.Fatal(err)
	}
	now, _ := c.selectedCase()
	if now.Clock.State != data.ClockOverdue || now.Level != "street" {
		t.Fatalf("after the tick: clock %s, level %s", now.Clock.State, now.Level)
	}
	if _, _, overdue := c.nodeText("990101001001"); overdue <= overdue0 {
		t.Fatalf("tree: %d overdue, was %d", overdue, overdue0)
	}
	if !strings.HasPrefix(cellLabel(c, slices.IndexFunc(c.CasesShown(), func(x data.CaseRow) bool { return x.Code == r.Code }), 0).Text, "overdue") {
		t.Fatal("the queue does not show it overdue")
	}
}

// The queue lists the first queueRows cases in the order chosen, says how
// many there are in all, and a header sorts by reading the first ones in
// the new order again (not by sorting the ones listed).
func TestQueueListsTheFirstCases(t *testing.T) {
	defer func(n int) { queueRows = n }(queueRows)
	queueRows = 3
	c := newTestConsole(t, "leader")
	c.FilterCases(data.CaseFilter{All: true})
	for _, by := range []string{"remaining", "priority", "reported"} {
		c.SortCases(by)
		all, err := c.M.Cases(bg, data.CaseFilter{All: true, Sort: by}, c.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		shown := c.CasesShown()
		if len(all) <= 3 || len(shown) != 3 {
			t.Fatalf("%d cases in all, %d listed", len(all), len(shown))
		}
		for i := range shown {
			if shown[i].Code != all[i].Code {
				t.Fatalf("by %s, row %d: %s, the first cases are %s %s %s", by, i, shown[i].Code, all[0].Code, all[1].Code, all[2].Code)
			}
		}
		if want := fmt.Sprintf("%d cases", len(all)); !strings.HasPrefix(c.CaseCount.Text, want) || !strings.HasSuffix(c.CaseCount.Text, "the first 3 listed") {
			t.Fatalf("heading %q, want %q … the first 3 listed", c.CaseCount.Text, want)
		}
	}
}

// A center's details show its duty roster; a center with nobody on duty
// now says so, and the board counts it under "No one on duty".
func TestDutyInCenterDetailsAndBoard(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.ShowDetail("C990101001001")
	if txt := c.DetailText(); !strings.Contains(txt, "Duty roster") || !strings.Contains(txt, "duty officer") || strings.Contains(txt, "Nobody on duty now") {
		t.Fatalf("a staffed center: %q", txt)
	}
	if _, err := c.M.DB.Exec(`DELETE FROM center_duty WHERE center_code = 'C990101001001'`); err != nil {
		t.Fatal(err)
	}
	c.ShowDetail("C990101001001")
	if txt := c.DetailText(); !strings.Contains(txt, "Nobody on duty now") {
		t.Fatalf("an unstaffed center: %q", txt)
	}
	c.ShowBoard("")
	for _, r := range c.BoardRows() {
		if r.Code == "990101" && (r.Unstaffed == 0 || !strings.HasPrefix(boardCell(r, len(boardColumns)-1), "⚠")) {
			t.Fatalf("board row %+v", r)
		}
	}
}
