package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/schedule"
)

// The Schedules tab: a region's patrol rosters of a week, the chosen
// roster's week grid (grids × shifts, each cell its patrols planned of
// those required, coloured by coverage), its conflicts and publishing.
// Tapping a cell assigns a unit there or takes one off.

// SchedulesTab is the Schedules tab's widgets and what they show. Its
// state outlives the widgets, which are made again with the window (a
// change of language).
type SchedulesTab struct {
	Region     *widget.Select
	Week       *widget.Select
	PlanBtn    *widget.Button
	Rosters    *widget.List
	State      *widget.Label
	PublishBtn *widget.Button
	FillBtn    *widget.Button
	Summary    *widget.Label
	Hard, Soft *widget.Label
	Conflicts  *widget.List
	Table      *widget.Table
	// Message is the last step's outcome: a refusal (in red) or what was
	// done.
	Message *widget.Label
	// Views are the week grid and the coverage by street (StreetShift
	// chooses its shift, Streets lists the streets).
	Views       *container.AppTabs
	StreetShift *widget.Select
	Streets     *widget.Table
	LeaveBtn    *widget.Button // a unit's leave
	RulesBtn    *widget.Button // the district's shift table and patrol rules

	rosterBox   *fyne.Container   // the list of rosters, hidden while there is none
	rosterRows  *canvas.Rectangle // holds the list open to its rows (two at most)
	conflictBox *fyne.Container   // the conflicts' list, hidden while there is none
	roomy       bool              // the details shrunk while the tab is shown
	detailsAt   float64           // the details' share before

	regions []string    // the region choices' codes
	weeks   []data.Week // the week choices
	region  string      // the region shown ("" before the tab is first built)
	week    data.Week
	synced  string // the console's selected region when last followed
	setting bool   // choices being set from the state: no reload

	rosters   []data.Roster
	roster    data.RosterView // the roster shown (ID "" for none)
	plan      *schedule.Plan
	conflicts []schedule.Conflict
	cov       schedule.Coverage
	// Precomputed for the table, so that drawing a cell is O(1): each
	// row's header, and per cell (row-major, as cov.Cells) the conflicts'
	// mark and the units assigned.
	rowText  []string
	rowOf    map[string]int // grid code → row
	colOf    map[string]int // shift ("2026-12-01/day") → column
	marks    []uint8        // 0 none, markSoft, markHard
	assigned map[int][]string
	walks    map[int][]walk // per cell: the walks of routes crossing its grid in its shift
	nwalks   int            // the roster's walks (assignments to a route)
	routeAt  map[string]int // route code → its index in plan.Routes
	shown    string         // the route last shown on the map
	hard     int
	soft     int
	focus    int // the cell chosen from the conflicts (-1: none)
	picking  bool
	dialog   *AssignDialog
	names    map[string]string // unit code → name, read on first use

	view       int              // the view shown: 0 the week grid, 1 by street
	streets    []StreetCoverage // the roster's coverage by street, worst first
	streetPick int              // the street table's shift: 0 the whole week, i+1 the i-th shift
	leave      *LeaveDialog     // the leave dialog on show
	rules      *RulesDialog     // the rules dialog on show
	duty       *DutyDialog      // a center's duty roster dialog on show (a schedule too)

	// The coverage theme: the region and week it was read for, the week's
	// coverage by published rosters, the shift shown and the district's
	// shift table.
	CoverageBar   *fyne.Container
	Slider        *widget.Slider
	ShiftLabel    *widget.Label
	CoverageLabel *widget.Label
	mapRegion     string
	mapWeek       data.Week
	mapCov        schedule.Coverage
	mapDefs       []data.ShiftDef
	mapShift      int
}

// Conflict marks of a cell.
const (
	markSoft uint8 = 1
	markHard uint8 = 2
)

// schedWeeks is how many weeks the week picker offers: this one and the
// next ones.
const schedWeeks = 5

// schedCell is the size of a cell of the week grid.
var schedCell = fyne.NewSize(46, 26)

// schedulesPane makes the tab's widgets and lays them out.
func (c *Console) schedulesPane() fyne.CanvasObject {
	s := &c.Sched
	s.focus = -1
	s.Region = newSelect(nil, func(string) { c.scheduleChoicesChanged() })
	s.Week = newSelect(nil, func(string) { c.scheduleChoicesChanged() })
	s.PlanBtn = widget.NewButtonWithIcon(T("Plan roster"), theme.ContentAddIcon(), c.PlanRoster)
	s.Rosters = widget.NewList(
		func() int { return len(s.rosters) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.rosters) {
				o.(*widget.Label).SetText(rosterLine(s.rosters[i]))
			}
		})
	s.Rosters.OnSelected = func(i widget.ListItemID) {
		if !s.picking && i < len(s.rosters) && s.rosters[i].ID != s.roster.ID {
			c.ShowRoster(s.rosters[i].ID)
		}
	}
	s.State = widget.NewLabel("")
	s.State.Wrapping = fyne.TextWrapWord
	s.PublishBtn = widget.NewButtonWithIcon(T("Publish"), theme.MailSendIcon(), c.PublishRoster)
	s.PublishBtn.Importance = widget.HighImportance
	s.FillBtn = widget.NewButtonWithIcon(T("Auto-fill"), theme.MediaFastForwardIcon(), c.AutoFill)
	s.LeaveBtn = widget.NewButtonWithIcon(T("Leave…"), theme.CalendarIcon(), func() { c.OpenLeaveDialog(c.leaveUnitGuess(), nil) })
	s.RulesBtn = widget.NewButtonWithIcon(T("Rules…"), theme.SettingsIcon(), c.OpenRulesDialog)
	for _, b := range []*widget.Button{s.PlanBtn, s.FillBtn, s.LeaveBtn, s.RulesBtn} {
		c.showIf(b, data.ActRosterEdit)
	}
	c.showIf(s.PublishBtn, data.ActRosterPublish)
	s.Summary = widget.NewLabel("")
	s.Summary.Wrapping = fyne.TextWrapWord
	s.Hard = widget.NewLabel("")
	s.Hard.TextStyle.Bold = true
	s.Soft = widget.NewLabel("")
	s.Message = widget.NewLabel("")
	s.Message.Wrapping = fyne.TextWrapWord
	s.Message.Hide()
	s.Conflicts = widget.NewList(
		func() int { return len(s.conflicts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.conflicts) {
				return
			}
			l := o.(*widget.Label)
			k := s.conflicts[i]
			l.Importance = widget.WarningImportance
			if k.Hard {
				l.Importance = widget.DangerImportance
			}
			l.SetText(c.conflictText(k))
		})
	s.Conflicts.OnSelected = func(i widget.ListItemID) {
		if i < len(s.conflicts) {
			c.FocusConflict(s.conflicts[i])
		}
	}
	s.rosterRows = fixedHeight(0)
	s.rosterBox = container.NewStack(s.rosterRows, s.Rosters)
	s.conflictBox = container.NewBorder(widget.NewLabelWithStyle(T("Conflicts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.Conflicts)
	s.roomy = false
	c.buildRosterTable()
	s.Views = container.NewAppTabs(
		// (In a stack: the tabs show their content, and the grid stays
		// hidden while there is no roster.)
		container.NewTabItem(T("Week grid"), container.NewStack(s.Table)),
		container.NewTabItem(T("By street"), c.streetsPane()),
	)
	s.Views.SelectIndex(s.view)
	s.Views.OnSelected = func(*container.TabItem) { s.view = s.Views.SelectedIndex() }
	c.setScheduleChoices()
	c.loadRosters()

	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, s.PlanBtn, container.NewGridWithColumns(2, s.Region, s.Week)),
		s.rosterBox,
		container.NewBorder(nil, nil, nil, container.NewHBox(s.FillBtn, s.PublishBtn), s.State),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.LeaveBtn, s.RulesBtn), container.NewHBox(s.Hard, s.Soft)),
		s.Summary,
		s.Message,
	)
	split := container.NewVSplit(s.Views, s.conflictBox)
	split.Offset = 0.75
	// In a scroll, so that the pane asks nothing of the window's layout
	// (the splits keep their places with the tab or without it): it
	// scrolls as a whole only when made smaller than its controls.
	return container.NewScroll(container.NewBorder(top, nil, nil, nil, split))
}

// fixedHeight is a transparent spacer holding a list open to a height.
func fixedHeight(h float32) *canvas.Rectangle {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(1, h))
	return r
}

// buildRosterTable makes the week grid: a row per grid of the roster's
// region, a column per shift of its week.
func (c *Console) buildRosterTable() {
	s := &c.Sched
	s.Table = widget.NewTable(
		func() (int, int) { return len(s.cov.Grids), len(s.cov.Shifts) },
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(color.Transparent)
			bg.SetMinSize(schedCell)
			text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			text.TextSize = theme.CaptionTextSize()
			text.Alignment = fyne.TextAlignCenter
			bar := canvas.NewRectangle(walkColor)
			bar.SetMinSize(fyne.NewSize(1, 4))
			bar.Hide()
			return container.NewStack(bg, container.NewCenter(text), container.NewBorder(nil, bar, nil, nil))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			ns := len(s.cov.Shifts)
			if id.Row >= len(s.cov.Grids) || id.Col >= ns {
				return
			}
			i := id.Row*ns + id.Col
			box := o.(*fyne.Container)
			bg, text := box.Objects[0].(*canvas.Rectangle), box.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
			cell := s.cov.Cells[i]
			t := cellText(cell)
			fill := color.Color(color.Transparent)
			if k := citymap.CoverageOf(cell); k != citymap.NoneRequired {
				fill = citymap.CoverageColor(k)
			}
			stroke, width := color.Color(color.Transparent), float32(0)
			switch {
			case i == s.focus:
				stroke, width = color.NRGBA{0, 90, 220, 255}, 3
			case s.marks[i] == markHard:
				stroke, width = color.NRGBA{150, 20, 20, 255}, 2
			case s.marks[i] == markSoft:
				stroke, width = color.NRGBA{200, 120, 0, 255}, 1.5
			}
			if bg.FillColor != fill || bg.StrokeColor != stroke || bg.StrokeWidth != width {
				bg.FillColor, bg.StrokeColor, bg.StrokeWidth = fill, stroke, width
				bg.Refresh()
			}
			if text.Text != t {
				text.Text = t
				text.Refresh()
			}
			// A unit walking a route through the grid in the shift.
			if bar := box.Objects[2].(*fyne.Container).Objects[0]; (len(s.walks[i]) > 0) != bar.Visible() {
				bar.Show()
				if len(s.walks[i]) == 0 {
					bar.Hide()
				}
			}
		})
	s.Table.ShowHeaderRow = true
	s.Table.ShowHeaderColumn = true
	// A header is a label for the rows (grid code and name) and two short
	// lines without padding for the columns (day, shift), so that a
	// column is as narrow as its cells.
	s.Table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.SizeName = theme.SizeNameCaptionText
		l.Truncation = fyne.TextTruncateEllipsis
		line := func() *canvas.Text {
			t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			t.TextSize = theme.CaptionTextSize()
			t.Alignment = fyne.TextAlignCenter
			return t
		}
		return container.NewStack(l, container.NewCenter(container.NewVBox(line(), line())))
	}
	s.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		box := o.(*fyne.Container)
		l, col := box.Objects[0].(*widget.Label), box.Objects[1].(*fyne.Container)
		lines := col.Objects[0].(*fyne.Container).Objects
		day, shift := lines[0].(*canvas.Text), lines[1].(*canvas.Text)
		switch {
		case id.Col < 0 && id.Row >= 0 && id.Row < len(s.rowText):
			col.Hide()
			l.SetText(s.rowText[id.Row])
			l.Show()
		case id.Row < 0 && id.Col >= 0 && id.Col < len(s.cov.Shifts):
			l.Hide()
			sh := s.cov.Shifts[id.Col]
			day.Text = weekday(sh.Day) + " " + sh.Day.In(data.BeijingTime).Format("02")
			day.TextStyle.Bold = sh.Name == s.cov.Shifts[0].Name // a day's first shift starts it
			shift.Text = shiftName(sh.Name)
			day.Refresh()
			shift.Refresh()
			col.Show()
		default:
			l.SetText("")
			col.Hide()
		}
	}
	s.Table.SetColumnWidth(-1, 180)
	s.Table.SetRowHeight(-1, 40)
	s.Table.OnSelected = func(id widget.TableCellID) {
		s.Table.UnselectAll() // so that tapping the same cell again opens it again
		if id.Row >= 0 && id.Col >= 0 && id.Row < len(s.cov.Grids) && id.Col < len(s.cov.Shifts) {
			c.OpenCell(id.Row, id.Col)
		}
	}
}

// cellText is a cell's patrols planned of those required ("1/2"), or a
// dash where none is required or planned.
func cellText(k schedule.Cell) string {
	if k.Required <= 0 && k.Planned == 0 {
		return "–"
	}
	return fmt.Sprintf("%d/%d", k.Planned, k.Required)
}

// ---- region, week, rosters ----

// scheduleRegionChoices are the regions a roster may be planned for: the
// region shown, the district or street chosen in the tree, search or board,
// the user's own street, and the districts.
func (c *Console) scheduleRegionChoices() []string {
	var out []string
	add := func(code string) {
		if (len(code) == 6 || len(code) == 9) && !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	for _, code := range []string{c.Sched.region, c.selRegion, c.user.Jurisdiction} {
		if len(code) == 9 {
			add(code)
		}
	}
	for _, d := range c.children[c.cityCode()] {
		add(d)
	}
	return out
}

// defaultScheduleRegion is the region the tab first shows: the one chosen
// in the tree, else the user's district or street, else the first
// district.
func (c *Console) defaultScheduleRegion() string {
	if r := c.selRegion; len(r) == 6 || len(r) == 9 {
		return r
	}
	if j := c.user.Jurisdiction; len(j) >= 9 {
		return j[:9]
	} else if len(j) >= 6 {
		return j[:6]
	}
	if ds := c.children[c.cityCode()]; len(ds) > 0 {
		return ds[0]
	}
	return ""
}

// setScheduleChoices fills the region and week pickers and shows the
// region and week in force.
func (c *Console) setScheduleChoices() {
	s := &c.Sched
	if s.region == "" {
		s.region = c.defaultScheduleRegion()
		s.synced = c.selRegion
	}
	this := data.WeekOf(c.Now())
	if s.week == (data.Week{}) {
		s.week = this
	}
	s.weeks = s.weeks[:0]
	monday := this.Monday()
	for i := range schedWeeks {
		s.weeks = append(s.weeks, data.WeekOf(monday.AddDate(0, 0, 7*i+3)))
	}
	if !slices.Contains(s.weeks, s.week) {
		s.weeks = append([]data.Week{s.week}, s.weeks...)
	}
	var weekNames []string
	for _, w := range s.weeks {
		weekNames = append(weekNames, weekLabel(w, this))
	}
	s.regions = c.scheduleRegionChoices()
	var names []string
	for _, code := range s.regions {
		names = append(names, c.regionName(code))
	}
	s.setting = true
	defer func() { s.setting = false }()
	s.Region.Options = names
	s.Region.SetSelectedIndex(max(0, slices.Index(s.regions, s.region)))
	s.Week.Options = weekNames
	s.Week.SetSelectedIndex(max(0, slices.Index(s.weeks, s.week)))
}

// weekLabel is "2026-W49 · 11-30–12-06", marked when it is this week.
func weekLabel(w, this data.Week) string {
	days := w.Days()
	text := w.String() + " · " + days[0].Format("01-02") + "–" + days[6].Format("01-02")
	if w == this {
		text += " · " + T("this week")
	}
	return text
}

// scheduleChoicesChanged reads the pickers and shows the region's rosters
// of the week.
func (c *Console) scheduleChoicesChanged() {
	s := &c.Sched
	if s.setting {
		return
	}
	if i := s.Region.SelectedIndex(); i >= 0 && i < len(s.regions) {
		s.region = s.regions[i]
	}
	if i := s.Week.SelectedIndex(); i >= 0 && i < len(s.weeks) {
		s.week = s.weeks[i]
	}
	s.roster = data.RosterView{}
	s.focus = -1
	c.say("", false)
	c.loadRosters()
	if c.theme == "coverage" {
		c.loadCoverage()
	}
}

// ChooseSchedule shows a region's rosters of a week (as the pickers would).
func (c *Console) ChooseSchedule(region string, week data.Week) {
	s := &c.Sched
	s.region, s.week = region, week
	c.setScheduleChoices()
	c.scheduleChoicesChanged()
}

// rightTabChosen gives the week grid room while the Schedules tab is
// shown (the details above shrink, and take their share back after).
func (c *Console) rightTabChosen(schedules bool) {
	s := &c.Sched
	split := c.rightSplit()
	switch {
	case schedules && !s.roomy:
		if split != nil {
			s.detailsAt, s.roomy = split.Offset, true
			split.SetOffset(min(split.Offset, 0.14))
		}
	case !schedules && s.roomy:
		if split != nil {
			split.SetOffset(s.detailsAt)
		}
		s.roomy = false
	}
	if schedules {
		c.schedulesShown()
	}
}

// rightSplit is the split of the details over the right tabs.
func (c *Console) rightSplit() *container.Split {
	var found *container.Split
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch t := o.(type) {
		case *container.Split:
			if t.Trailing == c.RightTabs {
				found = t
				return
			}
			walk(t.Leading)
			walk(t.Trailing)
		case *fyne.Container:
			for _, k := range t.Objects {
				if found == nil {
					walk(k)
				}
			}
		}
	}
	if c.Win.Content() != nil {
		walk(c.Win.Content())
	}
	return found
}

// schedulesShown follows the tree: opening the tab shows the district or
// street chosen there since it was last followed.
func (c *Console) schedulesShown() {
	s := &c.Sched
	if r := c.selRegion; r != s.synced && (len(r) == 6 || len(r) == 9) && r != s.region {
		s.synced = r
		c.ChooseSchedule(r, s.week)
		return
	}
	s.synced = c.selRegion
}

// loadRosters lists the region's rosters of the week and shows the one
// shown before, else the last planned.
func (c *Console) loadRosters() {
	s := &c.Sched
	rosters, err := c.M.Rosters(bg, s.region, s.week.String())
	if err != nil {
		c.say(c.text(err), true)
		rosters = nil
	}
	s.rosters = rosters
	id := s.roster.ID
	if !slices.ContainsFunc(rosters, func(r data.Roster) bool { return r.ID == id }) {
		id = ""
		if len(rosters) > 0 {
			id = rosters[len(rosters)-1].ID
		}
	}
	c.ShowRoster(id)
}

// rosterLine is a roster as the list shows it.
func rosterLine(r data.Roster) string {
	return T("Roster {{.ID}} · {{.State}} · version {{.Version}}", map[string]any{"ID": r.ID[:min(8, len(r.ID))], "State": rosterState(r.State), "Version": r.Version})
}

func rosterState(s data.RosterState) string {
	if s == data.RosterPublished {
		return T("published")
	}
	return T("draft")
}

// ShowRoster reads a roster, checks it as the user would publish it and
// shows its week grid ("": none).
func (c *Console) ShowRoster(id string) {
	s := &c.Sched
	if id != s.roster.ID {
		s.focus = -1
	}
	s.roster, s.plan, s.conflicts, s.cov = data.RosterView{}, nil, nil, schedule.Coverage{}
	if id != "" {
		v, err := c.M.Roster(bg, id)
		var cs []schedule.Conflict
		var p *schedule.Plan
		if err == nil {
			cs, p, err = c.M.CheckRoster(bg, id, c.User, c.Now())
		}
		if err != nil {
			c.say(c.text(err), true)
		} else {
			s.roster, s.plan, s.conflicts = v, p, cs
			s.cov = schedule.Cover(p)
		}
	}
	c.indexRoster()
	s.picking = true
	if i := slices.IndexFunc(s.rosters, func(r data.Roster) bool { return r.ID == s.roster.ID }); i >= 0 {
		s.Rosters.Select(i)
	} else {
		s.Rosters.UnselectAll()
	}
	s.picking = false
	s.Rosters.Refresh()
	if n := len(s.rosters); n == 0 {
		s.rosterBox.Hide()
	} else {
		row := s.Rosters.CreateItem().MinSize().Height + theme.Padding()
		s.rosterRows.SetMinSize(fyne.NewSize(1, float32(min(n, 2))*row))
		s.rosterBox.Show()
	}
	if len(s.conflicts) == 0 {
		s.conflictBox.Hide()
	} else {
		s.conflictBox.Show()
	}
	c.showRosterState()
	s.Conflicts.UnselectAll()
	s.Conflicts.Refresh()
	s.Table.Refresh()
	c.showStreets()
}

// indexRoster precomputes what the table's cells show: row headers, the
// rows and columns of grids and shifts, each cell's conflict mark and
// units.
func (c *Console) indexRoster() {
	s := &c.Sched
	ns := len(s.cov.Shifts)
	s.rowText = make([]string, len(s.cov.Grids))
	s.rowOf = make(map[string]int, len(s.cov.Grids))
	for g, code := range s.cov.Grids {
		name := code
		if len(code) == data.GridCodeLength {
			name += " " + data.ShortName(c.regionName(code[:12]))
		}
		s.rowText[g] = name
		if _, ok := s.rowOf[code]; !ok {
			s.rowOf[code] = g
		}
	}
	s.colOf = make(map[string]int, ns)
	for i, sh := range s.cov.Shifts {
		s.colOf[sh.String()] = i
	}
	s.marks = make([]uint8, len(s.cov.Cells))
	s.assigned = map[int][]string{}
	s.indexWalks()
	s.hard, s.soft = 0, 0
	if s.plan != nil {
		for _, a := range s.plan.Assignments {
			if i, ok := s.cellOf(a.Grid, a.Shift); ok && a.Route == "" && !slices.Contains(s.assigned[i], a.Unit) {
				s.assigned[i] = append(s.assigned[i], a.Unit)
			}
		}
	}
	for _, k := range s.conflicts {
		if k.Hard {
			s.hard++
		} else {
			s.soft++
		}
		// A walk's conflict outlines every cell its route crosses.
		for _, i := range s.areaCells(k.Grid, k.Route, k.Shift) {
			m := markSoft
			if k.Hard {
				m = markHard
			}
			s.marks[i] = max(s.marks[i], m)
		}
	}
	if s.focus >= len(s.cov.Cells) {
		s.focus = -1
	}
}

// cellOf is the cell of a grid in a shift, if the roster has both.
func (s *SchedulesTab) cellOf(grid string, sh data.Shift) (int, bool) {
	g, ok := s.rowOf[grid]
	if !ok {
		return 0, false
	}
	col, ok := s.colOf[sh.String()]
	if !ok {
		return 0, false
	}
	return g*len(s.cov.Shifts) + col, true
}

// showRosterState shows the roster's state, version, coverage summary and
// conflict counts.
func (c *Console) showRosterState() {
	s := &c.Sched
	if s.roster.ID == "" {
		args := map[string]any{"Region": c.regionName(s.region), "Week": s.week.String()}
		if c.may(data.ActRosterEdit) {
			s.State.SetText(T("No roster of {{.Region}} for {{.Week}}: Plan roster makes one.", args))
		} else {
			s.State.SetText(T("No roster of {{.Region}} for {{.Week}}.", args))
		}
		s.Summary.SetText("")
		s.Summary.Hide()
		s.Hard.Hide()
		s.Soft.Hide()
		s.PublishBtn.Disable()
		s.FillBtn.Disable()
		s.Table.Hide()
		return
	}
	s.Table.Show()
	s.FillBtn.Enable()
	s.State.SetText(T("{{.State}} · version {{.Version}} · {{.N}} assignments", map[string]any{
		"State": rosterState(s.roster.State), "Version": s.roster.Version, "N": len(s.roster.Assignments)}))
	sum := s.cov.Summary()
	summary := T("{{.Required}} patrols required, {{.Planned}} planned; {{.Gaps}} gaps ({{.Uncovered}} uncovered, {{.Under}} under-covered)", map[string]any{
		"Required": sum.Required, "Planned": sum.Planned, "Gaps": sum.Gaps, "Uncovered": sum.Uncovered, "Under": sum.Under})
	if s.nwalks > 0 {
		summary += "; " + T("{{.N}} walks of patrol routes (a green bar under their cells)", map[string]any{"N": s.nwalks})
	}
	s.Summary.SetText(summary)
	s.Summary.Show()
	if s.hard > 0 {
		s.Hard.SetText(T("Hard conflicts: {{.N}}", map[string]any{"N": s.hard}))
		s.Hard.Importance = widget.DangerImportance
	} else {
		s.Hard.SetText(T("No hard conflicts"))
		s.Hard.Importance = widget.SuccessImportance
	}
	s.Hard.Show()
	s.Hard.Refresh()
	s.Soft.SetText(T("Soft conflicts: {{.N}}", map[string]any{"N": s.soft}))
	s.Soft.Importance = widget.MediumImportance
	if s.soft > 0 {
		s.Soft.Importance = widget.WarningImportance
	}
	s.Soft.Show()
	s.Soft.Refresh()
	// A published roster's changes are amendments, their orders issued at
	// once: there is nothing to publish again.
	if s.roster.State == data.RosterPublished {
		s.PublishBtn.Disable()
	} else {
		s.PublishBtn.Enable()
	}
}

// say shows the outcome of a step under the roster's state: a refusal in
// red, else plainly; "" hides it.
func (c *Console) say(text string, refusal bool) {
	s := &c.Sched
	if s.Message == nil {
		return
	}
	if text == "" {
		s.Message.Hide()
		return
	}
	s.Message.Importance = widget.MediumImportance
	if refusal {
		s.Message.Importance = widget.DangerImportance
	}
	s.Message.SetText(text)
	s.Message.Show()
}

// ---- steps ----

// PlanRoster plans a draft roster for the region and week shown, and shows
// it.
func (c *Console) PlanRoster() {
	s := &c.Sched
	r, err := c.M.PlanRoster(bg, s.region, s.week.String(), c.User, c.Now())
	if err != nil {
		c.say(c.text(err), true)
		return
	}
	s.roster = data.RosterView{Roster: r}
	c.loadRosters()
	c.say(T("Roster {{.ID}} planned for {{.Region}}, {{.Week}}", map[string]any{"ID": r.ID[:8], "Region": c.regionName(r.Region), "Week": r.Week.String()}), false)
}

// PublishRoster publishes the roster shown, at the version it was read at;
// refused while a hard conflict remains.
func (c *Console) PublishRoster() {
	s := &c.Sched
	if s.roster.ID == "" {
		return
	}
	_, n, err := c.M.PublishRoster(bg, s.roster.ID, c.User, s.roster.Version, c.Now())
	if err != nil {
		if isRefusal(err, data.CodeRosterChanged) {
			c.RostersChanged()
		}
		c.say(c.text(err), true)
		return
	}
	c.RostersChanged()
	c.say(T("Roster published: {{.N}} patrol orders issued", map[string]any{"N": n}), false)
}

// background runs the auto-fill off the UI goroutine (tests run it in
// place).
var background = func(work func()) { go work() }

// AutoFill fills the roster shown with data/schedule/autofill's proposal
// (most slots covered, fewest units lent, least travel, every rule kept),
// showing its progress with a Cancel button; the proposal is added at the
// version the roster was read at, so a change made meanwhile refuses it.
func (c *Console) AutoFill() {
	s := &c.Sched
	if s.roster.ID == "" {
		return
	}
	id, version := s.roster.ID, s.roster.Version
	ctx, cancel := context.WithCancel(bg)
	bar := widget.NewProgressBar()
	var dlg dialog.Dialog
	stop := widget.NewButton(T("Cancel"), func() { cancel() })
	dlg = dialog.NewCustomWithoutButtons(T("Auto-fill"), container.NewVBox(widget.NewLabel(T("Filling the roster…")), bar, container.NewHBox(layout.NewSpacer(), stop)), c.Win)
	dlg.Show()
	dlg.Resize(fyne.NewSize(380, 160))
	s.FillBtn.Disable()
	last := -1
	progress := func(done, total int) {
		if total <= 0 {
			return
		}
		if pct := done * 100 / total; pct != last {
			last = pct
			fyne.Do(func() { bar.SetValue(float64(pct) / 100) })
		}
	}
	now := c.Now()
	background(func() {
		_, res, err := c.M.AutoFill(ctx, id, c.User, version, now, progress)
		cancel()
		fyne.Do(func() {
			dlg.Hide()
			if errors.Is(err, context.Canceled) {
				c.showRosterState()
				c.say(T("Auto-fill cancelled: nothing was added."), false)
				return
			}
			if err != nil {
				if isRefusal(err, data.CodeRosterChanged) {
					c.RostersChanged()
				} else {
					c.showRosterState()
				}
				c.say(c.text(err), true)
				return
			}
			c.RostersChanged()
			missing := 0
			for _, u := range res.Uncovered {
				missing += u.Missing
			}
			c.say(T("Auto-fill added {{.N}} assignments ({{.Km}} km from the units' homes); {{.Missing}} patrols still missing", map[string]any{
				"N": len(res.Assignments), "Km": fmt.Sprintf("%.1f", res.Travel/1000), "Missing": missing}), false)
		})
	})
}

// RostersChanged brings everything that shows rosters up to date after a
// change: the list, the roster shown, the orders a published roster
// issued or cancelled, and the map's coverage.
func (c *Console) RostersChanged() {
	c.loadRosters()
	if c.Sched.roster.State == data.RosterPublished {
		c.ordersChanged()
	}
	if c.theme == "coverage" {
		c.loadCoverage()
	}
}

// FocusConflict marks the cell a conflict concerns (the first its walk's
// route crosses), scrolls to it, and selects its grid (or shows its
// route) on the map and flies there.
func (c *Console) FocusConflict(k schedule.Conflict) {
	s := &c.Sched
	cells := s.areaCells(k.Grid, k.Route, k.Shift)
	if len(cells) == 0 {
		return
	}
	i := cells[0]
	s.focus = i
	s.Views.SelectIndex(0) // the week grid, where the cell is
	if k.Route != "" {
		// A walk: its route's grids, the first of them in the week grid.
		c.ShowRoute(k.Route)
	} else {
		c.showGrid(k.Grid)
	}
	if pos, ok := c.City.Pos[k.Grid]; ok {
		// The grid with its neighbours around it, as a case's.
		b := c.City.Map.FillIndex().Feature(pos).Geom.Bound()
		c.Map.FlyTo(b.Pad(max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1], 600)))
	}
	ns := len(s.cov.Shifts)
	s.Table.ScrollTo(widget.TableCellID{Row: i / ns, Col: i % ns})
	s.Table.Refresh()
}

// showGrid selects a grid of the week grid on the map (the map stays where
// it is) and shows its details.
func (c *Console) showGrid(code string) {
	if pos, ok := c.City.Pos[code]; ok {
		c.SelectGrids([]int{pos}, false)
		c.ShowDetail(code)
	}
}

// conflictText is a conflict as the list shows it: hard or soft, its kind
// in words, the unit, grid and shift, and what else it concerns.
func (c *Console) conflictText(k schedule.Conflict) string {
	level := T("soft")
	if k.Hard {
		level = T("hard")
	}
	area := k.Grid
	if k.Route != "" {
		area = k.Route // a walk of a patrol route
	}
	parts := []string{T("{{.Level}}: {{.Kind}}", map[string]any{"Level": level, "Kind": conflictKind(k.Kind)}), k.Unit, area, shiftShort(k.Shift)}
	switch k.Kind {
	case schedule.TooLittleRest:
		parts = append(parts, T("after {{.Shift}}", map[string]any{"Shift": shiftShort(k.Other)}))
	case schedule.TooManyShifts:
		parts = append(parts, T("{{.N}} shifts in the week", map[string]any{"N": k.Count}))
	case schedule.BookedElsewhere:
		parts = append(parts, T("in roster {{.ID}}", map[string]any{"ID": k.Roster[:min(8, len(k.Roster))]}))
	}
	return strings.Join(parts, " · ")
}

// conflictKind is a conflict's kind in words.
func conflictKind(k schedule.ConflictKind) string {
	switch k {
	case schedule.DoubleBooked:
		return T("double booked")
	case schedule.TooLittleRest:
		return T("too little rest")
	case schedule.TooManyShifts:
		return T("too many shifts")
	case schedule.UnitUnavailable:
		return T("unit unavailable")
	case schedule.OutsideJurisdiction:
		return T("outside your jurisdiction")
	case schedule.UnknownUnit:
		return T("unknown unit")
	case schedule.UnknownGrid:
		return T("unknown grid")
	case schedule.ShiftOutsideWeek:
		return T("shift outside the week")
	case schedule.UnknownRoute:
		return T("unknown route")
	case schedule.RouteOffShift:
		return T("route not walked in this shift")
	case schedule.BookedElsewhere:
		return T("booked in another draft")
	case schedule.Lent:
		return T("lent from another street")
	}
	return string(k)
}

// ---- shifts in words ----

// shiftName is a shift's name in the console's language (a district's own
// names as they are).
func shiftName(name string) string {
	switch name {
	case "day":
		return T("day")
	case "evening":
		return T("evening")
	case "night":
		return T("night")
	}
	return name
}

// weekday is a day's short name.
func weekday(t time.Time) string {
	switch t.In(data.BeijingTime).Weekday() {
	case time.Monday:
		return T("Mon")
	case time.Tuesday:
		return T("Tue")
	case time.Wednesday:
		return T("Wed")
	case time.Thursday:
		return T("Thu")
	case time.Friday:
		return T("Fri")
	case time.Saturday:
		return T("Sat")
	}
	return T("Sun")
}

// shiftShort is "12-01 Tue day".
func shiftShort(sh data.Shift) string {
	if sh.Day.IsZero() {
		return ""
	}
	return sh.Day.In(data.BeijingTime).Format("01-02") + " " + weekday(sh.Day) + " " + shiftName(sh.Name)
}

// shiftLabel is "2026-12-01 (Tue) day 08–16", the hours from the shift
// table.
func shiftLabel(sh data.Shift, defs []data.ShiftDef) string {
	start, end := sh.Span(defs)
	to := end.In(data.BeijingTime).Format("15")
	if end.Sub(sh.Day) == 24*time.Hour {
		to = "24"
	}
	return T("{{.Date}} ({{.Weekday}}) {{.Shift}} {{.From}}–{{.To}}", map[string]any{
		"Date": sh.Day.In(data.BeijingTime).Format("2006-01-02"), "Weekday": weekday(sh.Day), "Shift": shiftName(sh.Name),
		"From": start.In(data.BeijingTime).Format("15"), "To": to})
}

// ---- a cell: assigning and taking off ----

// AssignDialog is the dialog of one cell: the units assigned there, each
// to take off, and a unit to assign, with suggestions.
type AssignDialog struct {
	Grid     string
	Shift    data.Shift
	Unit     *widget.Entry
	Suggest  []*widget.Button // the nearest free units: tapping one fills Unit
	TakeOff  []*widget.Button // one per unit assigned
	Leave    []*widget.Button // one per unit assigned: its leave, for this shift
	Assign   *widget.Button
	Error    *widget.Label
	Assigned []string
	// The walks of routes through the grid in the shift, each with a
	// button showing its route and one taking it off; and the routes to
	// walk (walkable in the shift), each with a button showing it and its
	// nearest free units (tapping one picks the route and the unit).
	Walks       []walk
	ShowWalk    []*widget.Button
	TakeOffWalk []*widget.Button
	Routes      []walkChoice
	ShowRoute   []*widget.Button
	WalkSuggest [][]*widget.Button
	Route       *widget.Select // the route to walk
	WalkUnit    *widget.Entry
	AssignWalk  *widget.Button
	close       func()
}

// Assigning is the cell dialog on show, or nil.
func (c *Console) Assigning() *AssignDialog { return c.Sched.dialog }

// suggestion is a unit free to patrol a cell and how far it is.
type suggestion struct {
	unit   string
	metres float64
}

// suggestions are the n units of the grid's street nearest to it that are
// free to take the shift: not unavailable in it, not booked in it already,
// and not kept from it by the rules (too little rest after or before
// another of their shifts, or their most shifts in the week reached).
func (s *SchedulesTab) suggestions(row int, sh data.Shift, n int) []suggestion {
	if s.plan == nil || row >= len(s.plan.Grids) {
		return nil
	}
	g := s.plan.Grids[row]
	return s.freeUnits(g.Street, g.At, sh, n)
}

// freeUnits are the n units of a street nearest to a point (their homes)
// that are free to take the shift, as suggestions has it.
func (s *SchedulesTab) freeUnits(street string, at orb.Point, sh data.Shift, n int) []suggestion {
	if s.plan == nil {
		return nil
	}
	p := s.plan
	key := sh.String()
	start, end := sh.Span(p.Shifts)
	blocked := map[string]bool{}
	shifts := map[string]map[string]bool{} // unit → its distinct shifts
	for _, a := range p.Assignments {
		k := a.Shift.String()
		if shifts[a.Unit] == nil {
			shifts[a.Unit] = map[string]bool{}
		}
		shifts[a.Unit][k] = true
		if k == key {
			blocked[a.Unit] = true
			continue
		}
		// The rest between the two shifts, whichever comes first.
		s2, e2 := a.Shift.Span(p.Shifts)
		gap := start.Sub(e2)
		if s2.After(start) {
			gap = s2.Sub(end)
		}
		if gap < p.Rules.MinRest {
			blocked[a.Unit] = true
		}
	}
	var out []suggestion
	for _, u := range p.Units {
		if u.Street != street || u.Unavailable[key] || blocked[u.Code] || p.Rules.MaxShifts > 0 && len(shifts[u.Code]) >= p.Rules.MaxShifts {
			continue
		}
		out = append(out, suggestion{u.Code, distanceMetres(at, u.At)})
	}
	slices.SortFunc(out, func(a, b suggestion) int {
		return cmp.Or(cmp.Compare(a.metres, b.metres), strings.Compare(a.unit, b.unit))
	})
	return out[:min(n, len(out))]
}

// unitName is a unit's name, from the map's unit layer.
func (c *Console) unitName(code string) string {
	s := &c.Sched
	if s.names == nil {
		s.names = map[string]string{}
		if ul, err := c.City.Units(); err == nil {
			for _, u := range ul.Units {
				s.names[u.Code] = u.Name
			}
		}
	}
	return s.names[code]
}

// OpenCell opens the dialog of the cell at a row (grid) and column (shift)
// of the week grid: the units assigned there, each with a button to take
// it off, and an entry to assign one, with the nearest free units of the
// grid's street to pick from.
func (c *Console) OpenCell(row, col int) {
	s := &c.Sched
	if s.roster.ID == "" || row >= len(s.cov.Grids) || col >= len(s.cov.Shifts) {
		return
	}
	grid, sh := s.cov.Grids[row], s.cov.Shifts[col]
	cell := s.cov.At(row, col)
	c.showGrid(grid)
	d := &AssignDialog{Grid: grid, Shift: sh}
	d.Assigned = slices.Clone(s.assigned[row*len(s.cov.Shifts)+col])
	slices.Sort(d.Assigned)
	d.Error = widget.NewLabel("")
	d.Error.Importance = widget.DangerImportance
	d.Error.Wrapping = fyne.TextWrapWord
	d.Error.Hide()
	body := container.NewVBox(widget.NewLabel(T("{{.Planned}} of {{.Required}} patrols planned", map[string]any{"Planned": cell.Planned, "Required": cell.Required})))
	// A user who may not edit rosters sees who patrols the cell, and
	// nothing to change it with.
	edit := c.may(data.ActRosterEdit)
	if len(d.Assigned) > 0 {
		body.Add(widget.NewLabelWithStyle(T("Assigned"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, u := range d.Assigned {
			if !edit {
				body.Add(widget.NewLabel(strings.TrimSpace(u + " " + c.unitName(u))))
				continue
			}
			b := widget.NewButtonWithIcon(T("Take off"), theme.ContentRemoveIcon(), func() { c.changeCell(d, u, false) })
			leave := widget.NewButtonWithIcon(T("Leave…"), theme.CalendarIcon(), func() {
				d.close()
				c.OpenLeaveDialog(u, &sh)
			})
			d.TakeOff = append(d.TakeOff, b)
			d.Leave = append(d.Leave, leave)
			body.Add(container.NewBorder(nil, nil, nil, container.NewHBox(leave, b), widget.NewLabel(strings.TrimSpace(u+" "+c.unitName(u)))))
		}
	}
	c.walksHere(d, body, row*len(s.cov.Shifts)+col, edit)
	if edit {
		c.cellEditing(d, body, row, col)
	}
	title := T("Grid {{.Grid}} · {{.Shift}}", map[string]any{"Grid": grid, "Shift": shiftLabel(sh, s.roster.Shifts)})
	pop := c.showCellDialog(title, container.NewVScroll(body), d)
	s.dialog = d
	d.close = pop
}

// cellEditing adds to a cell's dialog what assigns a unit there (with the
// nearest free units to pick from) or to walk a route through it.
func (c *Console) cellEditing(d *AssignDialog, body *fyne.Container, row, col int) {
	s := &c.Sched
	d.Unit = widget.NewEntry()
	d.Unit.SetPlaceHolder(T("Unit code"))
	d.Assign = widget.NewButtonWithIcon(T("Assign"), theme.ContentAddIcon(), func() { c.changeCell(d, strings.TrimSpace(d.Unit.Text), true) })
	d.Assign.Importance = widget.HighImportance
	d.Unit.OnSubmitted = func(string) { d.Assign.OnTapped() }
	body.Add(widget.NewLabelWithStyle(T("Assign a unit"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	body.Add(container.NewBorder(nil, nil, nil, d.Assign, d.Unit))
	if sugg := s.suggestions(row, d.Shift, 6); len(sugg) > 0 {
		body.Add(widget.NewLabel(T("Nearest free units of the street:")))
		for _, g := range sugg {
			text := fmt.Sprintf("%s %s · %s", g.unit, c.unitName(g.unit), metresText(g.metres))
			b := widget.NewButton(text, func() { d.Unit.SetText(g.unit) })
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			d.Suggest = append(d.Suggest, b)
			body.Add(b)
		}
	} else {
		body.Add(widget.NewLabel(T("No unit of the street is free in this shift.")))
	}
	c.walkToAssign(d, body, row, col)
	body.Add(d.Error)
}

// changeCell assigns a unit to the dialog's cell or takes one off.
func (c *Console) changeCell(d *AssignDialog, unit string, add bool) {
	c.changePatrol(d, unit, "", add)
}

// changePatrol assigns a unit to the dialog's grid, or to walk a route
// (route not ""), in its shift, or takes it off, at the version the roster
// was read at; a refusal stays in the dialog.
func (c *Console) changePatrol(d *AssignDialog, unit, route string, add bool) {
	s := &c.Sched
	if unit == "" {
		d.Error.SetText(T("Type a unit's code or pick one."))
		d.Error.Show()
		return
	}
	ch := data.RosterChange{Roster: s.roster.ID, Unit: unit, Grid: d.Grid, Shift: d.Shift.String(), Actor: c.User, Version: s.roster.Version}
	if route != "" {
		ch.Grid, ch.Route = "", route
	}
	var err error
	if add {
		_, err = c.M.AssignPatrol(bg, ch, c.Now())
	} else {
		_, err = c.M.UnassignPatrol(bg, ch, c.Now())
	}
	if err != nil {
		if isRefusal(err, data.CodeRosterChanged) {
			c.RostersChanged()
		}
		d.Error.SetText(c.text(err))
		d.Error.Show()
		return
	}
	d.close()
	c.RostersChanged()
	args := map[string]any{"Unit": unit, "Grid": d.Grid, "Route": route, "Shift": shiftShort(d.Shift)}
	var msg string
	switch {
	case route == "" && add:
		msg = T("{{.Unit}} assigned to {{.Grid}}, {{.Shift}}", args)
	case route == "":
		msg = T("{{.Unit}} taken off {{.Grid}}, {{.Shift}}", args)
	case add:
		msg = T("{{.Unit}} walks route {{.Route}}, {{.Shift}}", args)
	default:
		msg = T("{{.Unit}} taken off route {{.Route}}, {{.Shift}}", args)
	}
	c.say(msg, false)
}

// showCellDialog shows a cell's dialog with a Close button; it returns
// what closes it.
func (c *Console) showCellDialog(title string, content fyne.CanvasObject, d *AssignDialog) func() {
	var dlg dialog.Dialog
	closeBtn := widget.NewButton(T("Close"), func() { dlg.Hide() })
	dlg = dialog.NewCustomWithoutButtons(title, c.sensed(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), closeBtn), nil, nil, content)), c.Win)
	dlg.SetOnClosed(func() {
		if c.Sched.dialog == d {
			c.Sched.dialog = nil
		}
	})
	dlg.Show()
	dlg.Resize(fyne.NewSize(620, 760)) // room for the walks and the routes to walk
	return dlg.Hide
}

// distanceMetres is the distance between two lon/lat points on the ground.
func distanceMetres(a, b orb.Point) float64 { return geo.Distance(a, b) }

// metresText is a distance as "320 m" or "1.4 km".
func metresText(m float64) string {
	if m < 1000 {
		return fmt.Sprintf("%.0f m", m)
	}
	return fmt.Sprintf("%.1f km", m/1000)
}
