package app

import (
	"cmp"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/schedule"
	kmaps "kapok/maps"
)

// Walks in the Schedules tab: a unit walking a patrol route in a shift
// patrols every grid the route crosses (schedule.Cover counts it in each),
// so each of those cells lists the walk, a green bar under the cell marks
// it, its conflicts outline them all, and a cell's dialog takes a walk off
// or assigns one — the routes through the grid walked in the shift, each
// with the open slots it would fill and the nearest free units of its
// street. Choosing a walk or a route shows it on the map: its grids
// selected, its line drawn over them, the patrol routes layer on.

// walk is a unit walking a patrol route (in a cell's shift).
type walk struct{ Unit, Route string }

// walkChoice is a route a cell's dialog offers to walk, and how many of
// the shift's open slots (grids it crosses still short) it would fill.
type walkChoice struct {
	Route schedule.Route
	Fills int
}

// walkColor marks walks: the bar under a cell, a route shown on the map
// (a darker green than the patrol routes layer's, to stand out on it and
// on a covered cell).
var walkColor = color.NRGBA{0, 100, 45, 255}

// indexWalks lists per cell the walks of routes crossing its grid in its
// shift, as Cover counts them: an unknown route's in no cell, a route
// walked out of its time still in its cells (Check reports it).
func (s *SchedulesTab) indexWalks() {
	s.walks, s.nwalks, s.routeAt = map[int][]walk{}, 0, map[string]int{}
	if s.plan == nil {
		return
	}
	for i := len(s.plan.Routes) - 1; i >= 0; i-- { // the first of a code repeated, as Cover
		s.routeAt[s.plan.Routes[i].Code] = i
	}
	seen := map[walk]map[string]bool{} // walk → its shifts counted
	for _, a := range s.plan.Assignments {
		if a.Route == "" {
			continue
		}
		w, key := walk{a.Unit, a.Route}, a.Shift.String()
		if seen[w] == nil {
			seen[w] = map[string]bool{}
		}
		if seen[w][key] {
			continue
		}
		seen[w][key] = true
		s.nwalks++
		for _, i := range s.areaCells("", a.Route, a.Shift) {
			if !slices.Contains(s.walks[i], w) {
				s.walks[i] = append(s.walks[i], w)
			}
		}
	}
}

// route is a route of the roster's plan by code.
func (s *SchedulesTab) route(code string) (schedule.Route, bool) {
	i, ok := s.routeAt[code]
	if !ok {
		return schedule.Route{}, false
	}
	return s.plan.Routes[i], true
}

// areaCells are the cells of an area in a shift: a grid's (grid set), or
// those of every grid of the roster a route crosses (route set), in row
// order.
func (s *SchedulesTab) areaCells(grid, route string, sh data.Shift) []int {
	if route == "" {
		if i, ok := s.cellOf(grid, sh); ok {
			return []int{i}
		}
		return nil
	}
	r, ok := s.route(route)
	if !ok {
		return nil
	}
	var out []int
	for _, g := range r.Grids {
		if i, ok := s.cellOf(g, sh); ok {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// walkChoices are the routes of the roster's region that cross the cell's
// grid and are walked in its shift, those filling most open slots first.
func (s *SchedulesTab) walkChoices(row, col int) []walkChoice {
	if s.plan == nil || row >= len(s.cov.Grids) || col >= len(s.cov.Shifts) {
		return nil
	}
	grid, sh := s.cov.Grids[row], s.cov.Shifts[col]
	i := slices.IndexFunc(s.plan.Shifts, func(d data.ShiftDef) bool { return d.Name == sh.Name })
	if i < 0 {
		return nil
	}
	def := s.plan.Shifts[i]
	var out []walkChoice
	for _, r := range s.plan.Routes {
		if !slices.Contains(r.Grids, grid) || !data.RouteWalkable(r.Times, def) {
			continue
		}
		k := walkChoice{Route: r}
		for _, g := range r.Grids {
			if row, ok := s.rowOf[g]; ok {
				if cell := s.cov.At(row, col); cell.Planned < cell.Required {
					k.Fills++
				}
			}
		}
		out = append(out, k)
	}
	slices.SortStableFunc(out, func(a, b walkChoice) int { return cmp.Compare(b.Fills, a.Fills) })
	return out
}

// routeText is a route in words: "route R… · its name (or street) · by
// day".
func (c *Console) routeText(code string) string {
	r, ok := c.Sched.route(code)
	if !ok {
		return T("route {{.Code}}", map[string]any{"Code": code})
	}
	name := r.Name
	if name == "" {
		name = c.regionName(r.Street)
	}
	return T("route {{.Code}} · {{.Street}} · {{.Times}}", map[string]any{"Code": code, "Street": name, "Times": routeTimes(r.Times)})
}

// routeTimes is when a route is walked, in words.
func routeTimes(times string) string {
	switch times {
	case data.RouteByDay:
		return T("by day")
	case data.RouteByNight:
		return T("by night")
	case data.RouteAllDay:
		return T("all day")
	}
	return times
}

// walksHere adds to a cell's dialog the walks through its grid in its
// shift, each to show on the map or, for a user who may edit rosters,
// take off.
func (c *Console) walksHere(d *AssignDialog, body *fyne.Container, cell int, edit bool) {
	d.Walks = slices.Clone(c.Sched.walks[cell])
	slices.SortFunc(d.Walks, func(a, b walk) int { return cmp.Or(strings.Compare(a.Unit, b.Unit), strings.Compare(a.Route, b.Route)) })
	if len(d.Walks) == 0 {
		return
	}
	body.Add(widget.NewLabelWithStyle(T("Walking a patrol route through the grid"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, w := range d.Walks {
		show := widget.NewButtonWithIcon(T("Show route"), theme.VisibilityIcon(), func() { c.ShowRoute(w.Route) })
		d.ShowWalk = append(d.ShowWalk, show)
		buttons := container.NewHBox(show)
		if edit {
			off := widget.NewButtonWithIcon(T("Take off"), theme.ContentRemoveIcon(), func() { c.changePatrol(d, w.Unit, w.Route, false) })
			d.TakeOffWalk = append(d.TakeOffWalk, off)
			buttons.Add(off)
		}
		l := widget.NewLabel(strings.TrimSpace(w.Unit+" "+c.unitName(w.Unit)) + " · " + c.routeText(w.Route))
		l.Wrapping = fyne.TextWrapWord
		body.Add(container.NewBorder(nil, nil, nil, buttons, l))
	}
}

// walkToAssign adds to a cell's dialog the routes to walk through its grid
// in its shift, each with the open slots it would fill, a button showing
// it and its street's nearest free units, and a route, a unit and a button
// assigning the walk.
func (c *Console) walkToAssign(d *AssignDialog, body *fyne.Container, row, col int) {
	s := &c.Sched
	d.Routes = s.walkChoices(row, col)
	body.Add(widget.NewLabelWithStyle(T("Walk a patrol route"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if len(d.Routes) == 0 {
		body.Add(widget.NewLabel(T("No patrol route through the grid is walked in this shift.")))
		return
	}
	body.Add(widget.NewLabel(T("The routes through the grid walked in this shift, each with the nearest free units of its street:")))
	codes := make([]string, len(d.Routes))
	for i, k := range d.Routes {
		codes[i] = k.Route.Code
	}
	d.Route = newSelect(codes, func(code string) { c.ShowRoute(code) })
	d.Route.PlaceHolder = T("Route")
	d.WalkUnit = widget.NewEntry()
	d.WalkUnit.SetPlaceHolder(T("Unit code"))
	d.AssignWalk = widget.NewButtonWithIcon(T("Assign walk"), theme.ContentAddIcon(), func() {
		if d.Route.Selected == "" {
			d.Error.SetText(T("Pick a route to walk."))
			d.Error.Show()
			return
		}
		c.changePatrol(d, strings.TrimSpace(d.WalkUnit.Text), d.Route.Selected, true)
	})
	d.WalkUnit.OnSubmitted = func(string) { d.AssignWalk.OnTapped() }
	for _, k := range d.Routes {
		code := k.Route.Code
		show := widget.NewButtonWithIcon(T("Show route"), theme.VisibilityIcon(), func() { c.ShowRoute(code) })
		d.ShowRoute = append(d.ShowRoute, show)
		l := widget.NewLabel(c.routeText(code) + " · " + T("fills {{.N}} open slots", map[string]any{"N": k.Fills}))
		l.Wrapping = fyne.TextWrapWord
		body.Add(container.NewBorder(nil, nil, nil, show, l))
		var picks []*widget.Button
		for _, g := range s.freeUnits(k.Route.Street, k.Route.At, d.Shift, 3) {
			b := widget.NewButton(fmt.Sprintf("%s %s · %s", g.unit, c.unitName(g.unit), metresText(g.metres)), func() {
				d.Route.SetSelected(code)
				d.WalkUnit.SetText(g.unit)
			})
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			picks = append(picks, b)
			body.Add(b)
		}
		d.WalkSuggest = append(d.WalkSuggest, picks)
		if len(picks) == 0 {
			body.Add(widget.NewLabel(T("No unit of the route's street is free in this shift.")))
		}
	}
	body.Add(container.NewBorder(nil, nil, nil, d.AssignWalk, container.NewGridWithColumns(2, d.Route, d.WalkUnit)))
}

// ShowRoute shows a patrol route of the roster on the map: the grids it
// crosses selected, its line drawn over them, the patrol routes layer
// turned on, the map flown there.
func (c *Console) ShowRoute(code string) {
	s := &c.Sched
	r, ok := s.route(code)
	if !ok {
		return
	}
	s.shown = code
	var positions []int
	for _, g := range r.Grids {
		if pos, ok := c.City.Pos[g]; ok {
			positions = append(positions, pos)
		}
	}
	c.SelectGrids(positions, false)
	if ch := c.Layers["patrol_routes"]; ch != nil && !ch.Checked {
		ch.SetChecked(true) // (its own handler shows the layer)
	}
	ix := c.City.Map.FillIndex()
	feats := make([]kmaps.Feature, 0, len(positions)+1)
	var b orb.Bound
	for i, p := range positions {
		f := ix.Feature(p)
		feats = append(feats, f)
		if i == 0 {
			b = f.Geom.Bound()
		} else {
			b = b.Union(f.Geom.Bound())
		}
	}
	if line := c.routeLine(code); len(line) > 1 {
		// The line there and back as a ring: stroked, it is the line;
		// filled, its two ways cancel and nothing is.
		ring := append(orb.Ring(nil), line...)
		for i := len(line) - 2; i >= 0; i-- {
			ring = append(ring, line[i])
		}
		feats = append(feats, kmaps.Feature{ID: -1, Geom: orb.Polygon{ring}})
		if len(positions) == 0 {
			b = line.Bound()
		} else {
			b = b.Union(line.Bound())
		}
	}
	if len(feats) == 0 {
		return
	}
	c.City.Map.SetHighlight(feats, color.NRGBA{20, 140, 60, 45}, walkColor, 2.5)
	c.Map.Redraw()
	c.Map.FlyTo(b.Pad(max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) / 8))
}

// routeLine is a patrol route's line in the map's projection, from the
// store's patrol routes layer (nil when it has none).
func (c *Console) routeLine(code string) orb.LineString {
	fs, err := c.M.LoadOverlay(bg, "patrol_routes", c.Now())
	if err != nil {
		return nil
	}
	for _, f := range fs {
		if l, ok := f.Geom.(orb.LineString); ok && f.Code == code {
			return kmaps.Project(orb.Clone(l)).(orb.LineString)
		}
	}
	return nil
}

// RouteShown is the route last shown on the map.
func (c *Console) RouteShown() string { return c.Sched.shown }
