package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/schedule"
)

// The coverage theme: the grids of the region the Schedules tab shows,
// coloured by the patrols the week's published rosters plan for them in one
// shift, chosen with a slider under the map.

// coverageBar makes the slider over the week's shifts, shown under the
// map while the coverage theme is chosen.
func (c *Console) coverageBar() fyne.CanvasObject {
	s := &c.Sched
	s.Slider = widget.NewSlider(0, 1)
	s.Slider.Step = 1
	s.Slider.OnChanged = func(v float64) {
		if i := int(v + 0.5); i != s.mapShift && i >= 0 && i < len(s.mapCov.Shifts) {
			s.mapShift = i
			c.applyCoverage()
		}
	}
	s.ShiftLabel = widget.NewLabel("")
	s.ShiftLabel.TextStyle.Bold = true
	s.CoverageLabel = widget.NewLabel("")
	s.CoverageBar = container.NewBorder(container.NewBorder(nil, nil, s.CoverageLabel, s.ShiftLabel), nil, nil, nil, s.Slider)
	c.showCoverageBar()
	return s.CoverageBar
}

// showCoverageBar shows the slider while the coverage theme is chosen and
// sets it to the shift shown.
func (c *Console) showCoverageBar() {
	s := &c.Sched
	if s.CoverageBar == nil {
		return
	}
	if c.theme != "coverage" {
		s.CoverageBar.Hide()
		return
	}
	n := len(s.mapCov.Shifts)
	s.Slider.Max = float64(max(1, n-1))
	if n == 0 {
		s.Slider.Disable()
	} else {
		s.Slider.Enable()
	}
	s.Slider.Value = float64(s.mapShift)
	s.Slider.Refresh()
	s.CoverageLabel.SetText(T("Patrols in {{.Region}}, published rosters", map[string]any{"Region": c.regionName(s.mapRegion)}))
	if s.mapShift < n {
		sh := s.mapCov.Shifts[s.mapShift]
		short := 0
		for g := range s.mapCov.Grids {
			if k := s.mapCov.At(g, s.mapShift); k.Planned < k.Required {
				short++
			}
		}
		s.ShiftLabel.SetText(T("{{.Shift}} · {{.Short}} of {{.N}} grids short", map[string]any{
			"Shift": shiftLabel(sh, s.mapDefs), "Short": short, "N": len(s.mapCov.Grids)}))
	} else {
		s.ShiftLabel.SetText("")
	}
	s.CoverageBar.Show()
}

// loadCoverage reads the coverage of the region and week the Schedules tab
// shows by their published rosters, and colours the map with it: at the
// shift under way when the week is this one, else at the week's first
// shift; read again for the same region and week, the shift chosen stays.
func (c *Console) loadCoverage() {
	s := &c.Sched
	now := c.clock() // in replay, then
	at := s.week.Monday()
	if data.WeekOf(now) == s.week {
		at = now
	}
	same := s.mapRegion == s.region && s.mapWeek == s.week && len(s.mapCov.Shifts) > 0
	s.mapRegion, s.mapWeek = s.region, s.week
	var cov schedule.Coverage
	var i int
	var err error
	if c.Replaying() {
		// The rosters published by then, with their assignments then.
		cov, i, err = c.M.CoverageAsOf(bg, s.region, c.User, at)
	} else {
		cov, i, err = c.M.CoverageAt(bg, s.region, c.User, at, now)
	}
	var defs []data.ShiftDef
	if err == nil {
		defs, err = c.M.ShiftTable(bg, s.region)
	}
	if err != nil {
		s.mapCov, s.mapDefs, s.mapShift = schedule.Coverage{}, nil, 0
		c.Status.SetText(c.text(err))
	} else {
		s.mapCov, s.mapDefs = cov, defs
		switch {
		case same && s.mapShift < len(cov.Shifts):
		case i >= 0:
			s.mapShift = i
		default:
			s.mapShift = 0
		}
	}
	c.applyCoverage()
}

// applyCoverage gives the map the coverage of the shift chosen and, while
// the theme shows it, recolours the grids.
func (c *Console) applyCoverage() {
	s := &c.Sched
	var cells map[string]schedule.Cell
	if s.mapShift < len(s.mapCov.Shifts) {
		cells = make(map[string]schedule.Cell, len(s.mapCov.Grids))
		for g, code := range s.mapCov.Grids {
			cells[code] = s.mapCov.At(g, s.mapShift)
		}
	}
	c.City.SetCoverage(cells)
	c.showCoverageBar()
	if c.theme == "coverage" {
		if err := c.City.SetTheme("coverage"); err != nil {
			c.Status.SetText(c.text(err))
		}
		c.Map.Redraw()
	}
}

// CoverageShift moves the slider to a shift of the week (its index).
func (c *Console) CoverageShift(i int) { c.Sched.Slider.SetValue(float64(i)) }
