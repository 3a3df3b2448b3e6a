package app

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/schedule"
)

// walkBar is whether a cell of the week grid shows the bar of a walk.
func walkBar(c *Console, row, col int) bool {
	o := c.Sched.Table.CreateCell()
	c.Sched.Table.UpdateCell(widget.TableCellID{Row: row, Col: col}, o)
	return o.(*fyne.Container).Objects[2].(*fyne.Container).Objects[0].Visible()
}

// cellsAgree checks every cell's planned figure against the units its
// dialog would list: those assigned to its grid and those walking a route
// through it, each once.
func cellsAgree(t *testing.T, s *SchedulesTab) {
	t.Helper()
	for i, cell := range s.cov.Cells {
		units := slices.Clone(s.assigned[i])
		for _, w := range s.walks[i] {
			if !slices.Contains(units, w.Unit) {
				units = append(units, w.Unit)
			}
		}
		if len(units) != cell.Planned {
			t.Fatalf("cell %d: %d planned, lists %v", i, cell.Planned, units)
		}
	}
}

// hasWalk is whether the roster in the store has a unit walking a route in
// a shift.
func hasWalk(t *testing.T, c *Console, unit, route string, sh data.Shift) bool {
	t.Helper()
	v, err := c.M.Roster(bg, c.Sched.roster.ID)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(v.Assignments, func(a data.Assignment) bool {
		return a.Unit == unit && a.Route == route && a.Grid == "" && a.Shift.String() == sh.String()
	})
}

// A walk through the Schedules tab: a cell's dialog offers the routes
// through its grid walked in its shift (a night route not by day), each
// with the open slots it would fill and its street's nearest free units;
// picking one shows the route on the map and assigning it writes the walk,
// which every cell of the route then lists (barred, the planned figures
// agreeing with the lists). The unit booked again in the shift outlines
// every cell of the route, and choosing the walk's conflict shows the
// route; taken off from another cell's dialog, the walk is gone from the
// store and the cells. A walk without a route or with an unknown unit is
// refused in the dialog and writes nothing.
func TestWalksInTheWeekGrid(t *testing.T) {
	c := newTestConsole(t, "leader_990101")
	s := planWeek49(t, c)
	const grid, other, dayRoute, nightRoute, allDay = "990101001001001", "990101001002002", "R9901010011", "R9901010012", "R9901010013"
	row := s.rowOf[grid]
	col := slices.IndexFunc(s.cov.Shifts, func(sh data.Shift) bool {
		return sh.Name == "day" && s.cov.At(row, slices.Index(s.cov.Shifts, sh)).Required > 0
	})
	if col < 0 {
		t.Fatal("no day shift needs a patrol of the grid")
	}
	sh := s.cov.Shifts[col]
	route, ok := s.route(dayRoute)
	if !ok || !slices.Contains(route.Grids, grid) || slices.Contains(route.Grids, other) {
		t.Fatalf("route %s: %+v", dayRoute, route)
	}
	short := 0 // the route's grids needing a patrol in the shift (none planned yet)
	for _, g := range route.Grids {
		if r, ok := s.rowOf[g]; ok && s.cov.At(r, col).Required > 0 {
			short++
		}
	}

	// The cell's dialog offers the day and all-day routes through the grid.
	s.Table.Select(widget.TableCellID{Row: row, Col: col})
	d := c.Assigning()
	if d == nil || len(d.Walks) != 0 {
		t.Fatalf("cell dialog %+v", d)
	}
	var offered []string
	for _, k := range d.Routes {
		offered = append(offered, k.Route.Code)
	}
	slices.Sort(offered)
	if !slices.Equal(offered, []string{dayRoute, allDay}) || len(d.ShowRoute) != 2 || len(d.WalkSuggest) != 2 {
		t.Fatalf("routes offered by day: %v", offered)
	}
	k := slices.IndexFunc(d.Routes, func(k walkChoice) bool { return k.Route.Code == dayRoute })
	if d.Routes[k].Fills != short || short == 0 {
		t.Fatalf("route %s fills %d open slots, want %d", dayRoute, d.Routes[k].Fills, short)
	}
	if len(d.WalkSuggest[k]) == 0 {
		t.Fatal("no free unit suggested for the route")
	}
	for _, b := range d.WalkSuggest[k] {
		if !strings.HasPrefix(b.Text, "U"+route.Street) {
			t.Fatalf("suggested %q: not of the route's street", b.Text)
		}
	}

	// Refused: no route picked, then a unit that is not there.
	journal := countRows(t, c.M, "journal")
	d.WalkUnit.SetText("U9901010010010011")
	test.Tap(d.AssignWalk)
	if !d.Error.Visible() || d.Error.Text != "Pick a route to walk." {
		t.Fatalf("no route: %q", d.Error.Text)
	}
	d.Route.SetSelected(dayRoute)
	d.WalkUnit.SetText("U99")
	test.Tap(d.AssignWalk)
	if d.Error.Text != "unknown unit U99" || c.Assigning() != d || countRows(t, c.M, "journal") != journal {
		t.Fatalf("unknown unit: %q", d.Error.Text)
	}

	// Picking a suggestion picks the route and the unit, and shows the
	// route: its grids selected, the routes layer on.
	c.SelectGrids(nil, false)
	unit := strings.Fields(d.WalkSuggest[k][0].Text)[0]
	test.Tap(d.WalkSuggest[k][0])
	if d.Route.Selected != dayRoute || d.WalkUnit.Text != unit {
		t.Fatalf("picked %q, %q", d.Route.Selected, d.WalkUnit.Text)
	}
	var crossed []string
	for _, g := range route.Grids {
		if _, ok := c.City.Pos[g]; ok {
			crossed = append(crossed, g)
		}
	}
	sel := c.Selected()
	slices.Sort(sel)
	if c.RouteShown() != dayRoute || !slices.Equal(sel, crossed) || !c.Layers["patrol_routes"].Checked || !c.City.Map.Visible("patrol_routes") {
		t.Fatalf("route shown %q, selected %v, want %v", c.RouteShown(), sel, crossed)
	}
	settle(t, c)

	// Assigned: in the store, and in every cell of the route.
	test.Tap(d.AssignWalk)
	if c.Assigning() != nil {
		t.Fatalf("the dialog stayed: %s", d.Error.Text)
	}
	if !hasWalk(t, c, unit, dayRoute, sh) || !strings.Contains(s.Message.Text, unit+" walks route "+dayRoute) {
		t.Fatalf("walk not stored (%q)", s.Message.Text)
	}
	for _, g := range route.Grids {
		r, ok := s.rowOf[g]
		if !ok {
			continue
		}
		i := r*len(s.cov.Shifts) + col
		if !slices.Contains(s.walks[i], walk{unit, dayRoute}) || !walkBar(c, r, col) {
			t.Fatalf("grid %s's cell does not list the walk: %v", g, s.walks[i])
		}
		if text, _ := rosterCell(c, r, col); text != "1/"+strconv.Itoa(s.cov.At(r, col).Required) {
			t.Fatalf("grid %s's cell shows %q", g, text)
		}
	}
	if walkBar(c, s.rowOf[other], col) || walkBar(c, row, col+1) {
		t.Fatal("a cell the walk does not cross is barred")
	}
	if s.nwalks != 1 || !strings.Contains(s.Summary.Text, "walks of patrol routes: 1") {
		t.Fatalf("summary %q", s.Summary.Text)
	}
	cellsAgree(t, s)

	// The same unit on another grid in the shift: a double booking that
	// outlines every cell of the route, not only the grid's.
	if _, err := c.M.AssignPatrol(bg, data.RosterChange{Roster: s.roster.ID, Unit: unit, Grid: other, Shift: sh.String(), Actor: c.User}, testNow); err != nil {
		t.Fatal(err)
	}
	c.RostersChanged()
	cellsAgree(t, s)
	w := slices.IndexFunc(s.conflicts, func(k schedule.Conflict) bool { return k.Route == dayRoute && k.Kind == schedule.DoubleBooked })
	if w < 0 || !strings.Contains(c.conflictText(s.conflicts[w]), dayRoute) {
		t.Fatalf("conflicts %+v", s.conflicts)
	}
	cells := s.areaCells("", dayRoute, sh)
	for _, i := range cells {
		if s.marks[i] != markHard {
			t.Fatalf("cell %d of the route is not outlined", i)
		}
	}
	if i, _ := s.cellOf(other, sh); s.marks[i] != markHard {
		t.Fatal("the grid's cell is not outlined")
	}
	c.SelectGrids(nil, false)
	c.Sched.shown = ""
	s.Conflicts.Select(w)
	if s.focus != cells[0] || c.RouteShown() != dayRoute || len(c.Selected()) != len(crossed) {
		t.Fatalf("choosing the walk's conflict: focus %d (want %d), route %q, %d selected", s.focus, cells[0], c.RouteShown(), len(c.Selected()))
	}
	if _, err := c.M.UnassignPatrol(bg, data.RosterChange{Roster: s.roster.ID, Unit: unit, Grid: other, Shift: sh.String(), Actor: c.User}, testNow); err != nil {
		t.Fatal(err)
	}
	c.RostersChanged()

	// Taken off from the dialog of another cell of the route.
	g2 := slices.IndexFunc(route.Grids, func(g string) bool { _, ok := s.rowOf[g]; return ok && g != grid })
	s.Table.Select(widget.TableCellID{Row: s.rowOf[route.Grids[g2]], Col: col})
	d = c.Assigning()
	if len(d.Walks) != 1 || d.Walks[0] != (walk{unit, dayRoute}) || len(d.TakeOffWalk) != 1 || len(d.Assigned) != 0 {
		t.Fatalf("the other cell lists %+v", d.Walks)
	}
	c.Sched.shown = ""
	test.Tap(d.ShowWalk[0])
	if c.RouteShown() != dayRoute {
		t.Fatal("Show route does not show the walk's route")
	}
	test.Tap(d.TakeOffWalk[0])
	if hasWalk(t, c, unit, dayRoute, sh) || c.Assigning() != nil || !strings.Contains(s.Message.Text, "taken off route "+dayRoute) {
		t.Fatalf("taking the walk off: %q", s.Message.Text)
	}
	for _, i := range cells {
		if len(s.walks[i]) != 0 || s.cov.Cells[i].Planned != 0 || s.marks[i] != 0 {
			t.Fatalf("cell %d after the walk went: %v, %d planned", i, s.walks[i], s.cov.Cells[i].Planned)
		}
	}
	if s.hard != 0 || s.nwalks != 0 || strings.Contains(s.Summary.Text, "walks") {
		t.Fatalf("after taking it off: %d hard, %q", s.hard, s.Summary.Text)
	}

	// By night the night route is offered, the day route is not.
	night := slices.IndexFunc(s.cov.Shifts, func(sh data.Shift) bool { return sh.Name == "night" })
	s.Table.Select(widget.TableCellID{Row: s.rowOf["990101001001002"], Col: night})
	offered = offered[:0]
	for _, k := range c.Assigning().Routes {
		offered = append(offered, k.Route.Code)
	}
	slices.Sort(offered)
	if !slices.Equal(offered, []string{nightRoute, allDay}) {
		t.Fatalf("routes offered by night: %v", offered)
	}

	// In Chinese, a route reads in Chinese.
	c.SetLanguage("zh-CN")
	// (with its name: "…街道1号巡逻线").
	if txt := c.routeText(dayRoute); !strings.HasPrefix(txt, "巡逻路线 "+dayRoute+" · ") || !strings.HasSuffix(txt, "号巡逻线 · 日间") {
		t.Fatalf("zh route: %q", txt)
	}
	c.SetLanguage("en")
}
