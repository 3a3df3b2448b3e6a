package app

import (
	"image/color"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/schedule"
	kmaps "kapok/maps"
)

func init() { background = func(work func()) { work() } }

// rosterCell renders one cell of the week grid as the table would: its
// text and fill.
func rosterCell(c *Console, row, col int) (string, color.Color) {
	o := c.Sched.Table.CreateCell()
	c.Sched.Table.UpdateCell(widget.TableCellID{Row: row, Col: col}, o)
	box := o.(*fyne.Container)
	return box.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text).Text, box.Objects[0].(*canvas.Rectangle).FillColor
}

// gridShare is the share of a grid's pixels drawn in a colour, in a frame
// fitted to it (markers and labels may cover a few).
func gridShare(t *testing.T, c *Console, code string, want color.NRGBA) float64 {
	t.Helper()
	pos := c.City.Pos[code]
	ix := c.City.Map.FillIndex()
	v := kmaps.NewViewport(200, 200).Fit(ix.Feature(pos).Geom.Bound(), 20)
	img, err := c.City.Map.Render(bg, v)
	if err != nil {
		t.Fatal(err)
	}
	in, hit := 0, 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if id, ok := ix.At(v.ToWorld(float64(x)+0.5, float64(y)+0.5)); !ok || id != pos {
				continue
			}
			in++
			if p := img.RGBAAt(x, y); p.R == want.R && p.G == want.G && p.B == want.B {
				hit++
			}
		}
	}
	if in == 0 {
		t.Fatalf("grid %s has no pixels in its frame", code)
	}
	return float64(hit) / float64(in)
}

// A roster through the Schedules tab: planned for the district chosen in
// the tree, a unit assigned by tapping a cell (picked from the
// suggestions), the cell and the summary showing it; the same unit in
// another grid of the shift is a double booking, badged and listed, and
// publishing is refused; taken off again, the roster publishes its patrol
// order; the coverage theme colours the grid covered once its slider is at
// the shift.
func TestScheduleTabPlanAssignPublishAndCoverage(t *testing.T) {
	c := newTestConsole(t, "leader")
	s := &c.Sched
	const district, grid, other, unit = "990101", "990101001001001", "990101001001002", "U9901010010010011"
	c.Choose(district)
	c.RightTabs.SelectIndex(3)
	if s.region != district {
		t.Fatalf("the tab shows %q, not the district chosen in the tree", s.region)
	}
	week := data.Week{Year: 2026, Num: 49} // next week at testNow
	if len(s.weeks) != schedWeeks || s.weeks[0] != data.WeekOf(testNow) || !slices.Contains(s.weeks, week) {
		t.Fatalf("week choices %v", s.weeks)
	}
	s.Week.SetSelectedIndex(slices.Index(s.weeks, week))
	if s.roster.ID != "" || !strings.HasPrefix(s.State.Text, "No roster") || !s.PublishBtn.Disabled() {
		t.Fatalf("before planning: roster %q, %q", s.roster.ID, s.State.Text)
	}

	test.Tap(s.PlanBtn)
	if len(s.rosters) != 1 || s.roster.ID != s.rosters[0].ID || s.roster.State != data.RosterDraft {
		t.Fatalf("planned: list %v, shown %+v (%s)", s.rosters, s.roster.Roster, s.Message.Text)
	}
	grids := 0
	for _, g := range c.City.Grids {
		if strings.HasPrefix(g.Code, district) {
			grids++
		}
	}
	rows, cols := s.Table.Length()
	if rows != grids || cols != 21 {
		t.Fatalf("week grid %d × %d, want %d grids × 21 shifts", rows, cols, grids)
	}
	row, row2 := s.rowOf[grid], s.rowOf[other]
	// A shift both grids need patrols in.
	col := slices.IndexFunc(s.cov.Shifts, func(sh data.Shift) bool {
		i := slices.Index(s.cov.Shifts, sh)
		return s.cov.At(row, i).Required > 0 && s.cov.At(row2, i).Required > 0
	})
	if col < 0 {
		t.Fatal("no shift needs patrols in both grids")
	}
	required := s.cov.At(row, col).Required
	if text, fill := rosterCell(c, row, col); text != "0/"+strconv.Itoa(required) || fill != color.Color(citymap.CoverageColor(citymap.Uncovered)) {
		t.Fatalf("cell before: %q %v", text, fill)
	}
	before := s.cov.Summary()

	// Tapping the cell asks for a unit, suggesting the nearest free ones of
	// the grid's street.
	s.Table.Select(widget.TableCellID{Row: row, Col: col})
	d := c.Assigning()
	if d == nil || d.Grid != grid || d.Shift != s.cov.Shifts[col] || len(d.Suggest) == 0 {
		t.Fatalf("cell dialog: %+v", d)
	}
	for _, b := range d.Suggest {
		if !strings.HasPrefix(b.Text, "U"+grid[:9]) {
			t.Fatalf("suggested %q: not of the grid's street", b.Text)
		}
	}
	i := slices.IndexFunc(d.Suggest, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, unit) })
	if i < 0 {
		t.Fatalf("%s (the grid's own unit, free) not suggested: %v", unit, d.Suggest)
	}
	test.Tap(d.Suggest[i])
	if d.Unit.Text != unit {
		t.Fatalf("picking a suggestion typed %q", d.Unit.Text)
	}
	test.Tap(d.Assign)
	if c.Assigning() != nil {
		t.Fatalf("the dialog stayed: %s", d.Error.Text)
	}
	want := citymap.Covered
	if required > 1 {
		want = citymap.UnderCovered
	}
	if text, fill := rosterCell(c, row, col); text != "1/"+strconv.Itoa(required) || fill != color.Color(citymap.CoverageColor(want)) {
		t.Fatalf("cell after assigning: %q %v", text, fill)
	}
	if after := s.cov.Summary(); after.Planned != before.Planned+1 || !strings.Contains(s.Summary.Text, strconv.Itoa(after.Planned)+" planned") {
		t.Fatalf("summary %+v → %+v, shown %q", before, after, s.Summary.Text)
	}
	if s.hard != 0 || s.Hard.Text != "No hard conflicts" || s.roster.Version != 2 {
		t.Fatalf("after one assignment: %q, version %d", s.Hard.Text, s.roster.Version)
	}

	// Nor is it suggested for the next shift: it would not rest.
	if sugg := s.suggestions(row, s.cov.Shifts[col+1], 50); slices.ContainsFunc(sugg, func(g suggestion) bool { return g.unit == unit }) {
		t.Fatal("a unit without rest before the next shift is suggested for it")
	}

	// The same unit in another grid of the same shift: typed in, since it
	// is not suggested any more.
	s.Table.Select(widget.TableCellID{Row: row2, Col: col})
	d = c.Assigning()
	if slices.ContainsFunc(d.Suggest, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, unit) }) {
		t.Fatal("a unit booked in the shift is still suggested")
	}
	d.Unit.SetText(unit)
	test.Tap(d.Assign)
	if s.hard != 2 || s.Hard.Text != "Hard conflicts: 2" || s.Hard.Importance != widget.DangerImportance {
		t.Fatalf("double booking: %d hard, badge %q", s.hard, s.Hard.Text)
	}
	if s.marks[row*cols+col] != markHard || s.marks[row2*cols+col] != markHard {
		t.Fatal("the double-booked cells are not marked")
	}
	k := slices.IndexFunc(s.conflicts, func(k schedule.Conflict) bool { return k.Grid == other })
	if k < 0 || !strings.Contains(c.conflictText(s.conflicts[k]), "double booked") {
		t.Fatalf("conflicts: %+v", s.conflicts)
	}
	s.Conflicts.Select(k)
	settle(t, c)
	if sel := c.Selected(); len(sel) != 1 || sel[0] != other {
		t.Fatalf("choosing the conflict selected %v on the map", sel)
	}
	if s.focus != row2*cols+col {
		t.Fatalf("choosing the conflict focused cell %d, want %d", s.focus, row2*cols+col)
	}

	// Publishing is refused while they remain.
	orders := len(c.OrdersShown())
	test.Tap(s.PublishBtn)
	if !strings.Contains(s.Message.Text, "2 hard conflicts") || s.Message.Importance != widget.DangerImportance || s.roster.State != data.RosterDraft {
		t.Fatalf("publish with conflicts: %q, %s", s.Message.Text, s.roster.State)
	}

	// A second tap on the cell offers to take the unit off.
	s.Table.Select(widget.TableCellID{Row: row2, Col: col})
	d = c.Assigning()
	if len(d.TakeOff) != 1 || !slices.Equal(d.Assigned, []string{unit}) {
		t.Fatalf("the cell offers to take off %v", d.Assigned)
	}
	test.Tap(d.TakeOff[0])
	if s.hard != 0 || len(s.conflicts) != 0 {
		t.Fatalf("after taking it off: %v", s.conflicts)
	}
	if text, _ := rosterCell(c, row2, col); text != "0/"+strconv.Itoa(s.cov.At(row2, col).Required) {
		t.Fatalf("the cell taken off shows %q", text)
	}
	test.Tap(s.PublishBtn)
	if s.roster.State != data.RosterPublished || !strings.Contains(s.Message.Text, "1 patrol orders") || !s.PublishBtn.Disabled() {
		t.Fatalf("published: %s, %q", s.roster.State, s.Message.Text)
	}
	if !strings.Contains(s.State.Text, "published") || len(c.OrdersShown()) != orders+1 {
		t.Fatalf("state %q; %d orders, were %d", s.State.Text, len(c.OrdersShown()), orders)
	}

	// The coverage theme: the week's first shift, then the assigned one.
	c.SelectGrids(nil, false)
	c.ThemeSel.SetSelected("Coverage")
	if c.theme != "coverage" || !s.CoverageBar.Visible() || len(c.Legend.Objects) != 2*len(citymap.Legend("coverage")) {
		t.Fatalf("theme %s, slider shown %v", c.theme, s.CoverageBar.Visible())
	}
	if s.mapShift != 0 || len(s.mapCov.Shifts) != 21 || !strings.HasPrefix(s.ShiftLabel.Text, "2026-11-30 (Mon) night 00–08") {
		t.Fatalf("slider at %d of %d: %q", s.mapShift, len(s.mapCov.Shifts), s.ShiftLabel.Text)
	}
	first := citymap.CoverageOf(s.mapCov.At(slices.Index(s.mapCov.Grids, grid), 0))
	if f := gridShare(t, c, grid, citymap.CoverageColor(first)); f < 0.8 {
		t.Fatalf("grid %s at the first shift: %.0f%% in its colour", grid, 100*f)
	}
	c.CoverageShift(col)
	if s.mapShift != col || !strings.HasPrefix(s.ShiftLabel.Text, shiftLabel(s.cov.Shifts[col], data.DefaultShifts)) {
		t.Fatalf("slider moved to %d: %q", s.mapShift, s.ShiftLabel.Text)
	}
	if f := gridShare(t, c, grid, citymap.CoverageColor(want)); f < 0.8 {
		t.Fatalf("grid %s at the assigned shift: %.0f%% %v", grid, 100*f, want)
	}
	if f := gridShare(t, c, "990102001201001", citymap.CoverageColor(citymap.Uncovered)); f > 0 {
		t.Fatal("a grid outside the region is coloured as uncovered")
	}
}

// Auto-fill fills the roster shown without a hard conflict and says what
// it added; the tab keeps its region, week and roster through a change of
// language, and follows a street chosen in the tree when shown again.
func TestScheduleTabAutoFillAndLanguage(t *testing.T) {
	c := newTestConsole(t, "leader_990101")
	s := &c.Sched
	if s.region != "990101" {
		t.Fatalf("a district's leader sees %q first", s.region)
	}
	c.RightTabs.SelectIndex(3)
	test.Tap(s.PlanBtn)
	if s.roster.ID == "" || s.FillBtn.Disabled() {
		t.Fatalf("planned: %q (%s)", s.roster.ID, s.Message.Text)
	}
	gaps := s.cov.Summary().Gaps
	test.Tap(s.FillBtn)
	sum := s.cov.Summary()
	if len(s.roster.Assignments) == 0 || sum.Gaps >= gaps || s.hard != 0 || !strings.HasPrefix(s.Message.Text, "Auto-fill added "+strconv.Itoa(len(s.roster.Assignments))+" assignments") {
		t.Fatalf("auto-fill: %d assignments, gaps %d → %d, %d hard; %q", len(s.roster.Assignments), gaps, sum.Gaps, s.hard, s.Message.Text)
	}
	id := s.roster.ID
	c.SetLanguage("zh-CN")
	if c.RightTabs.Selected().Text != "排班" || c.Sched.roster.ID != id || c.Sched.PublishBtn.Text != "发布" || !strings.Contains(c.Sched.Summary.Text, "应巡") {
		t.Fatalf("in zh-CN: tab %q, roster %q, %q", c.RightTabs.Selected().Text, c.Sched.roster.ID, c.Sched.Summary.Text)
	}
	if rows, _ := c.Sched.Table.Length(); rows != len(s.cov.Grids) || rows == 0 {
		t.Fatalf("rebuilt table has %d rows", rows)
	}
	c.SetLanguage("en")

	// A street chosen in the tree is followed when the tab is shown again.
	c.RightTabs.SelectIndex(0)
	c.Choose("990101001")
	c.RightTabs.SelectIndex(3)
	if s.region != "990101001" || s.roster.ID != "" || !strings.HasPrefix(s.State.Text, "No roster") {
		t.Fatalf("after choosing a street: region %q, roster %q", s.region, s.roster.ID)
	}
	for _, g := range s.cov.Grids {
		t.Fatalf("a street without a roster shows grid %s", g)
	}
}

// planWeek49 shows the Schedules tab, on the region it opens on, and plans
// a roster of week 2026-W49 there (next week at testNow).
func planWeek49(t *testing.T, c *Console) *SchedulesTab {
	t.Helper()
	s := &c.Sched
	c.RightTabs.SelectIndex(3)
	s.Week.SetSelectedIndex(slices.Index(s.weeks, data.Week{Year: 2026, Num: 49}))
	test.Tap(s.PlanBtn)
	if s.roster.ID == "" {
		t.Fatalf("no roster planned: %s", s.Message.Text)
	}
	return s
}
