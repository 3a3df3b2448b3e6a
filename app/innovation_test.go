package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/internal/fixture"
)

// newInnovationConsole is a console on the fixture city with the demo's
// innovation program (the fixture leaves it out).
func newInnovationConsole(t *testing.T, login string) *Console {
	t.Helper()
	a := test.NewTempApp(t)
	UseLanguage("en")
	a.Settings().SetTheme(NewTheme())
	opt := fixture.Options()
	opt.Innovation = true
	m := fixture.CityWith(t, opt)
	city, err := citymap.LoadAt(context.Background(), m, "events", testNow)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1400, 900))
	c, err := NewConsoleAt(w, m, city, login, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	return c
}

// The tab lists the demo program's forty projects, the stage filter
// counting each stage as the demo wrote them; choosing a stage shows its
// projects only; each row's overdue count is the store's.
func TestInnovationTabListsTheProgramByStage(t *testing.T) {
	c := newInnovationConsole(t, "leader")
	tab := c.Innovation()
	want := map[data.Stage]string{"": "40", data.StageProposed: "6", data.StageIncubating: "8", data.StagePiloting: "9",
		data.StageEvaluated: "6", data.StageRolledOut: "7", data.StageStopped: "4"}
	got := tab.StageCounts()
	for s, n := range want {
		if got[s] != n {
			t.Errorf("stage %q: %s, want %s (filter %v)", s, got[s], n, tab.Stage.Options)
		}
	}
	if tab.Stage.Options[slices.Index(stageChoices, data.StagePiloting)] != "piloting (9)" {
		t.Errorf("options %v", tab.Stage.Options)
	}
	if len(tab.rows) != 40 || tableText(tab.List, 0, 2) != "proposed" {
		t.Fatalf("%d rows, first at %q", len(tab.rows), tableText(tab.List, 0, 2))
	}
	c.ChooseStage(data.StagePiloting)
	if len(tab.rows) != 9 {
		t.Fatalf("%d piloting rows", len(tab.rows))
	}
	overdue := 0
	for r, p := range tab.rows {
		if p.Stage != data.StagePiloting || tableText(tab.List, r, 2) != "piloting" || tableText(tab.List, r, 0) != p.Title ||
			tableText(tab.List, r, 1) != c.regionName(p.Region) {
			t.Errorf("row %d: %+v shown as %q", r, p, tableText(tab.List, r, 0))
		}
		full, err := c.M.Project(bg, p.Key, testNow)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ms := range full.Milestones {
			if ms.Overdue {
				n++
			}
		}
		if tab.overdue[p.Key] != n || (n > 0) != (tableText(tab.List, r, 3) != "") {
			t.Errorf("%s: %d overdue shown (%q), the store %d", p.Title, tab.overdue[p.Key], tableText(tab.List, r, 3), n)
		}
		overdue += n
	}
	c.ChooseStage("")
	if len(tab.rows) != 40 {
		t.Fatalf("all stages: %d rows", len(tab.rows))
	}
}

// overdueProject is a project of the program with an overdue milestone.
func overdueProject(t *testing.T, c *Console) data.Project {
	t.Helper()
	for _, p := range c.Innovation().all {
		if c.Innovation().overdue[p.Key] > 0 {
			return p
		}
	}
	t.Fatal("no project with an overdue milestone")
	return data.Project{}
}

// A project's details: its region, unit, stage and since when, its
// indicators; an overdue milestone in red with how many days late, the
// others not; its rollouts compared before and after.
func TestInnovationDetailsFlagOverdueMilestones(t *testing.T) {
	c := newInnovationConsole(t, "leader")
	tab := c.Innovation()
	p := overdueProject(t, c)
	c.ChooseProject(p.Key)
	text := tab.Detail.String()
	for _, want := range []string{p.Title, c.regionName(p.Region), "Owner region", "Stage: " + T(p.Stage.Term()) + " since " +
		p.StageAt.In(beijing).Format("2006-01-02"), "Indicators it should move"} {
		if !strings.Contains(text, want) {
			t.Errorf("details lack %q:\n%s", want, text)
		}
	}
	full, _ := c.M.Project(bg, p.Key, testNow)
	if len(tab.Milestones.Objects) != len(full.Milestones) {
		t.Fatalf("%d milestone rows, %d milestones", len(tab.Milestones.Objects), len(full.Milestones))
	}
	red := 0
	for i, ms := range full.Milestones {
		l := milestoneLabel(tab.Milestones.Objects[i])
		if ms.Overdue != (l.Importance == widget.DangerImportance) {
			t.Errorf("milestone %q overdue %v shown %q (importance %v)", ms.Title, ms.Overdue, l.Text, l.Importance)
		}
		if ms.Overdue {
			red++
			late := int(testNow.Sub(ms.Due) / (24 * time.Hour))
			if !strings.Contains(l.Text, "overdue, "+strconv.Itoa(max(1, late))+" days late") {
				t.Errorf("overdue milestone reads %q (%d days late)", l.Text, late)
			}
		}
	}
	if red != tab.overdue[p.Key] || red == 0 {
		t.Errorf("%d shown red, %d overdue", red, tab.overdue[p.Key])
	}

	// The demonstration point's project: its rollouts, each indicator
	// before and after as the store compares them.
	key := demoPointProject(t, c)
	c.ChooseProject(key)
	rs, _ := c.M.Rollouts(bg, key)
	full, _ = c.M.Project(bg, key, testNow)
	if len(tab.compare) != len(rs)*len(full.Indicators) || len(tab.compare) == 0 {
		t.Fatalf("%d comparison rows for %d rollouts × %d indicators", len(tab.compare), len(rs), len(full.Indicators))
	}
	for i, r := range tab.compare {
		want, err := c.M.RolloutIndicators(bg, key, r.Indicator, r.Region)
		if err != nil || want != r.RolloutComparison {
			t.Errorf("row %d: %+v, the store %+v (%v)", i, r.RolloutComparison, want, err)
		}
		if got := c.rolloutCell(r, 3); got != rolloutChange(want) || c.rolloutCell(r, 0) != c.innovationIndicator(r.Indicator) {
			t.Errorf("row %d change %q", i, got)
		}
	}
	first := tab.compare[0]
	head := tab.RolloutBox.Objects[0].(*widget.Label).Text
	if first.State != data.RolloutPilot || !strings.HasPrefix(head, c.regionName(first.Region)+" · pilot since "+first.Since.In(beijing).Format("2006-01-02")) {
		t.Errorf("first rollout region: %q", head)
	}
	// A rollout a day and a half ago to the demonstration point's
	// district, whose indicators are measured: each indicator's means
	// before and after side by side with the change, under its heading.
	district := fixture.Options().DemoPoint[:6]
	if _, err := c.M.SetRollout(bg, key, district, data.RolloutRolledOut, "leader", testNow.Add(-36*time.Hour)); err != nil {
		t.Fatal(err)
	}
	c.ChooseProject(key)
	at := slices.IndexFunc(tab.RolloutBox.Objects, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.HasPrefix(l.Text, c.regionName(district)+" · rolled out since ")
	})
	if at < 0 || at+1 >= len(tab.RolloutBox.Objects) {
		t.Fatalf("no heading of %s among the rollouts", district)
	}
	var cells []string
	for _, o := range tab.RolloutBox.Objects[at+1].(*fyne.Container).Objects {
		cells = append(cells, o.(*widget.Label).Text)
	}
	var want []string
	for _, r := range tab.compare {
		if r.Region == district {
			if r.BeforeN == 0 || r.AfterN == 0 {
				t.Errorf("%s in %s: %d before, %d after", r.Indicator, district, r.BeforeN, r.AfterN)
			}
			for col := range rolloutColumns {
				want = append(want, c.rolloutCell(r, col))
			}
		}
	}
	if len(want) == 0 || !slices.Equal(cells[len(rolloutColumns):], want) {
		t.Errorf("the comparison shows %q, want %q", cells, want)
	}
	if rolloutChange(data.RolloutComparison{Before: 10, After: 12, BeforeN: 3, AfterN: 3}) != "+2 (+20.0%)" ||
		rolloutChange(data.RolloutComparison{Before: 10, After: 12, BeforeN: 3}) != "–" {
		t.Error("the change's text")
	}
}

// milestoneLabel is a milestone row's label (the row may carry a button).
func milestoneLabel(o fyne.CanvasObject) *widget.Label {
	if l, ok := o.(*widget.Label); ok {
		return l
	}
	for _, x := range o.(*fyne.Container).Objects {
		if l, ok := x.(*widget.Label); ok {
			return l
		}
	}
	return nil
}

// demoPointProject is the project piloted at the demonstration point.
func demoPointProject(t *testing.T, c *Console) string {
	t.Helper()
	for _, p := range c.Innovation().all {
		rs, err := c.M.Rollouts(bg, p.Key)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Region == fixture.Options().DemoPoint && r.State == data.RolloutPilot {
				return p.Key
			}
		}
	}
	t.Fatal("no project piloted at the demonstration point")
	return ""
}

// The contest: round 2021 chosen, its twenty entries in the store's
// order, the top ten marked city innovation projects.
func TestInnovationContestRanking(t *testing.T) {
	c := newInnovationConsole(t, "leader")
	tab := c.Innovation()
	if tab.Round.Selected != "2021" || len(tab.rounds) != 1 {
		t.Fatalf("rounds %v, chosen %q", tab.rounds, tab.Round.Selected)
	}
	want, err := c.M.Ranking(bg, 2021)
	if err != nil || len(want) != 20 || len(tab.ranking) != 20 {
		t.Fatalf("ranking: %d shown, %d in the store (%v)", len(tab.ranking), len(want), err)
	}
	for r, e := range want {
		if tableText(tab.Ranking, r, 0) != strconv.Itoa(r+1) || tableText(tab.Ranking, r, 1) != e.Title || tableText(tab.Ranking, r, 4) != strconv.Itoa(e.Judges) {
			t.Errorf("row %d: %q %q", r, tableText(tab.Ranking, r, 0), tableText(tab.Ranking, r, 1))
		}
		city := tableText(tab.Ranking, r, 5)
		if (r < data.TopProjects) != (city == "★ City innovation project") {
			t.Errorf("rank %d marked %q", r+1, city)
		}
	}
	// Choosing an entry shows its project.
	tab.Ranking.Select(widget.TableCellID{Row: 0, Col: 1})
	if tab.project.Key != want[0].Project {
		t.Errorf("chose the first entry: the details show %q", tab.project.Key)
	}
	// A judge's score through the tab goes through the store's path: the
	// judge's own region refused, another's recorded.
	if !tab.ScoreBtn.Visible() {
		t.Error("a leader (contest.judge) has no score button")
	}
}

// A stage moved through the tab is journalled, and the list and its
// counts show it; a stop without a reason is refused in the console's
// language, nothing written.
func TestInnovationStageMoveJournalsAndRefreshes(t *testing.T) {
	c := newInnovationConsole(t, "leader")
	tab := c.Innovation()
	if !tab.Edit.Visible() {
		t.Fatal("a leader has no project controls")
	}
	c.ChooseStage(data.StageProposed)
	p := tab.rows[0]
	tab.List.Select(widget.TableCellID{Row: 0, Col: 0})
	if tab.project.Key != p.Key {
		t.Fatalf("chose %s, the details show %s", p.Key, tab.project.Key)
	}
	before := countRows(t, c.M, `journal WHERE kind = 'project.move'`)
	err := c.MoveProject(data.StageStopped, "")
	if err == nil || !strings.Contains(c.text(err), "reason") {
		t.Fatalf("a stop without a reason: %v", err)
	}
	if n := countRows(t, c.M, `journal WHERE kind = 'project.move'`); n != before {
		t.Fatalf("a refused move journalled (%d → %d)", before, n)
	}
	// Through the dialog: OK moves to the next stage.
	c.OpenMoveProject()
	ok := findButton(t, c.Win.Canvas().Overlays().Top(), "OK")
	if ok == nil {
		t.Fatal("no OK in the move dialog")
	}
	test.Tap(ok)
	if n := countRows(t, c.M, `journal WHERE kind = 'project.move'`); n != before+1 {
		t.Fatalf("journal: %d project.move entries, want %d", n, before+1)
	}
	got := tab.StageCounts()
	if got[data.StageProposed] != "5" || got[data.StageIncubating] != "9" || len(tab.rows) != 5 {
		t.Errorf("after the move: counts %v, %d proposed rows", got, len(tab.rows))
	}
	if tab.project.Stage != data.StageIncubating || !strings.Contains(tab.Detail.String(), "incubating since 2026-11-25") {
		t.Errorf("details after the move: %s", tab.Detail.String())
	}
	// A milestone added and marked done through the tab.
	if err := c.AddMilestone("调研完成", testNow.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if tab.overdue[p.Key] != 1 || milestoneLabel(tab.Milestones.Objects[0]).Importance != widget.DangerImportance {
		t.Fatalf("a milestone due two days ago: %d overdue", tab.overdue[p.Key])
	}
	done := findButton(t, tab.Milestones.Objects[0], "Done")
	if done == nil {
		t.Fatal("no Done button")
	}
	test.Tap(done)
	if tab.overdue[p.Key] != 0 || countRows(t, c.M, `journal WHERE kind = 'project.milestone'`) != 2 {
		t.Errorf("after done: %d overdue", tab.overdue[p.Key])
	}
}

// findButton is the button with a text under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, k := range x.Objects {
			if b := findButton(t, k, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, x)
		for _, k := range r.Objects() {
			if b := findButton(t, k, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// A role without project.edit (an analyst) sees no project controls nor
// Done buttons, but may judge; in replay no write control shows.
func TestInnovationControlsHiddenWithoutPermissionAndInReplay(t *testing.T) {
	c := newInnovationConsole(t, "analyst_9901")
	tab := c.Innovation()
	c.ChooseProject(overdueProject(t, c).Key)
	if tab.Edit.Visible() || findButton(t, tab.Milestones, "Done") != nil {
		t.Error("an analyst is shown the project controls")
	}
	if !tab.ScoreBtn.Visible() {
		t.Error("an analyst (contest.judge) has no score button")
	}

	l := newInnovationConsole(t, "leader")
	lt := l.Innovation()
	l.ChooseProject(overdueProject(t, l).Key)
	if !lt.Edit.Visible() || findButton(t, lt.Milestones, "Done") == nil {
		t.Fatal("a leader live has no project controls")
	}
	// A project moved now; the replay an hour ago shows it at its stage
	// then, the counts as they stood.
	l.ChooseStage(data.StageProposed)
	moved := lt.rows[0].Key
	l.ChooseProject(moved)
	if err := l.MoveProject(data.StageIncubating, ""); err != nil || lt.StageCounts()[data.StageProposed] != "5" {
		t.Fatalf("move: %v, counts %v", err, lt.StageCounts())
	}
	enterReplay(t, l, testNow.Add(-time.Hour))
	lt = l.Innovation()
	l.RefreshInnovation() // the tab's Refresh, or choosing the tab: at the moment shown
	l.ChooseProject(moved)
	if got := lt.StageCounts(); got[data.StageProposed] != "6" || got[data.StageIncubating] != "8" || lt.project.Stage != data.StageProposed {
		t.Errorf("replay an hour ago: counts %v, the project %s", got, lt.project.Stage)
	}
	if lt.Edit.Visible() || lt.ScoreBtn.Visible() || findButton(t, lt.Milestones, "Done") != nil {
		t.Error("write controls shown in replay")
	}
	before := countRows(t, l.M, `journal WHERE kind LIKE 'project.%'`)
	if err := l.MoveProject(data.StageStopped, "x"); err != nil || countRows(t, l.M, `journal WHERE kind LIKE 'project.%'`) != before {
		t.Error("a move in replay went through")
	}
	// The tab shown, the time control moved past the move: read again at
	// the new moment, with no Refresh asked.
	l.RightTabs.Select(l.innovationTab)
	l.ShowReplayAt(testNow.Add(-2 * time.Hour))
	if got := lt.StageCounts(); got[data.StageProposed] != "6" {
		t.Fatalf("replay two hours ago: counts %v", got)
	}
	l.ShowReplayAt(testNow.Add(time.Minute))
	if got := lt.StageCounts(); got[data.StageProposed] != "5" || got[data.StageIncubating] != "9" {
		t.Errorf("the time control moved past the move (to %s): counts %v", l.clock(), got)
	}
}

// The rollout theme: the demonstration point's project colours its pilot
// community, the streets it was rolled out to and those planned by their
// state (the finest region's), the legend names them; the tab's button
// chooses the theme.
func TestRolloutThemeInTheConsole(t *testing.T) {
	c := newInnovationConsole(t, "leader")
	c.SelectGrids(nil, false)
	states, err := c.M.RolloutStates(bg)
	if err != nil {
		t.Fatal(err)
	}
	c.ThemeSel.SetSelected("Innovation rollout")
	if c.theme != "rollout" {
		t.Fatalf("theme %q", c.theme)
	}
	seen := map[data.RolloutState]int{}
	for i, g := range c.City.Grids {
		s := citymap.RolloutOf(states, g.Code)
		want := citymap.RolloutNone
		if s != "" {
			want = citymap.RolloutColor[s]
		}
		if got := c.City.RolloutGridColor(i); got != want {
			t.Errorf("grid %s: %v, want %v (%q)", g.Code, got, want, s)
		}
		seen[s]++
	}
	demoPoint := fixture.Options().DemoPoint
	if states[demoPoint] != data.RolloutPilot || seen[data.RolloutPilot] == 0 || seen[data.RolloutRolledOut] == 0 {
		t.Errorf("states %v, grids by state %v", states, seen)
	}
	var labels []string
	for _, o := range c.Legend.Objects {
		if l, ok := o.(*widget.Label); ok {
			labels = append(labels, l.Text)
		}
	}
	if strings.Join(labels, ",") != "pilot,rolled out,planned,no innovation project" {
		t.Errorf("legend %v", labels)
	}
}

// A district leader (contest.judge) scores another district's entry
// through the tab: recorded and journalled; their own district's is
// refused in the console's language, nothing written.
func TestInnovationScoreEntry(t *testing.T) {
	c := newInnovationConsole(t, "leader_990101")
	tab := c.Innovation()
	if !tab.ScoreBtn.Visible() {
		t.Fatal("a leader has no score button")
	}
	criteria, err := c.M.Criteria(bg, 2021)
	if err != nil {
		t.Fatal(err)
	}
	var own, other string
	for _, e := range tab.ranking {
		if strings.HasPrefix(e.Region, "990101") {
			own = e.Project
		} else {
			other = e.Project
		}
	}
	if own == "" || other == "" {
		t.Fatalf("entries of both districts wanted: %+v", tab.ranking)
	}
	before := countRows(t, c.M, `journal WHERE kind = 'contest.score'`)
	err = c.ScoreEntry(own, criteria[0].Code, 80)
	if err == nil || !strings.Contains(c.text(err), "a judge does not score their own region's entries") {
		t.Fatalf("own district's entry: %v", err)
	}
	if err := c.ScoreEntry(other, criteria[0].Code, 80); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, c.M, `journal WHERE kind = 'contest.score'`); n != before+1 {
		t.Errorf("journal: %d contest.score entries, want %d", n, before+1)
	}
}

// A refusal in an innovation dialog gets room of its own: the dialog grows
// and the text sits under the form, not over it.
func TestInnovationDialogRefusalHasRoom(t *testing.T) {
	c := newTestConsole(t, "leader")
	entry := widget.NewEntry()
	form := widget.NewForm(widget.NewFormItem("Score", entry))
	c.innovationDialog("Score an entry", form, func() error {
		return errors.New("score 90 is out of 0..40 for the criterion innovation: choose a value in range, then press OK again")
	})
	ok := find(c.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == "OK" })
	if ok == nil {
		t.Fatal("no OK button")
	}
	test.Tap(ok.(*widget.Button))
	refusal := find(c.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Visible() && strings.HasPrefix(l.Text, "score 90")
	})
	if refusal == nil {
		t.Fatal("the refusal is not shown")
	}
	d := fyne.CurrentApp().Driver()
	formBottom := d.AbsolutePositionForObject(form).Y + form.Size().Height
	if top := d.AbsolutePositionForObject(refusal).Y; top < formBottom || refusal.Size().Height < refusal.MinSize().Height {
		t.Fatalf("the refusal at %.0f (height %.0f of %.0f) over the form ending at %.0f", top, refusal.Size().Height,
			refusal.MinSize().Height, formBottom)
	}
}
