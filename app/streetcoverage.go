package app

import (
	"cmp"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data/schedule"
)

// The Schedules tab's coverage by street: the roster's grid × shift
// coverage added up per street (as `kapok roster coverage --by-street`
// prints it for one shift), over the whole week or one shift, the streets
// worst covered first.

// StreetCoverage is one street's patrols in a coverage.
type StreetCoverage struct {
	Street string
	Grids  int
	// Required and planned patrols; a cell's planned count up to what it
	// requires (a second patrol where one is needed covers nothing more,
	// and must not hide a grid left bare).
	Required, Planned int
	// Cells requiring patrols: covered, under-covered, uncovered.
	Covered, Under, Uncovered int
}

// Share is the patrols planned of those required (0–1), or -1 when the
// street requires none.
func (s StreetCoverage) Share() float64 {
	if s.Required <= 0 {
		return -1
	}
	return float64(s.Planned) / float64(s.Required)
}

// streetCoverage adds a coverage up per street (a grid's street is its
// code's first nine digits) in one shift (its index in cov.Shifts), or in
// all of them (shift < 0). Worst first: the smallest share planned, then
// the most cells uncovered, then by code; streets requiring nothing last.
func streetCoverage(cov schedule.Coverage, shift int) []StreetCoverage {
	ns := len(cov.Shifts)
	if shift >= ns {
		return nil
	}
	at := map[string]int{}
	var out []StreetCoverage
	for g, code := range cov.Grids {
		st := code[:min(9, len(code))]
		i, ok := at[st]
		if !ok {
			i = len(out)
			at[st] = i
			out = append(out, StreetCoverage{Street: st})
		}
		s := &out[i]
		s.Grids++
		from, to := 0, ns
		if shift >= 0 {
			from, to = shift, shift+1
		}
		for _, k := range cov.Cells[g*ns+from : g*ns+to] {
			if k.Required <= 0 {
				continue
			}
			s.Required += k.Required
			s.Planned += min(k.Planned, k.Required)
			switch {
			case k.Planned >= k.Required:
				s.Covered++
			case k.Planned > 0:
				s.Under++
			default:
				s.Uncovered++
			}
		}
	}
	slices.SortFunc(out, func(a, b StreetCoverage) int {
		sa, sb := a.Share(), b.Share()
		if (sa < 0) != (sb < 0) { // requiring nothing: last
			if sa < 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(b.Uncovered, a.Uncovered), cmp.Compare(a.Street, b.Street))
	})
	return out
}

// streetColumns are the street table's column titles, in the console's
// language.
func streetColumns() []string {
	return []string{T("Street"), T("Grids"), T("Required"), T("Planned"), T("Covered"), T("Under-covered"), T("Uncovered"), T("Planned %")}
}

// streetsPane makes the coverage by street: a shift chooser (the whole
// week first) over a table of the streets. Tapping a street chooses it as
// the tree would: the map flies there and selects its grids.
func (c *Console) streetsPane() fyne.CanvasObject {
	s := &c.Sched
	s.StreetShift = newSelect(nil, func(string) {
		// (Setting the options of another roster keeps the index: no
		// change.)
		if i := s.StreetShift.SelectedIndex(); i >= 0 && i != s.streetPick {
			s.streetPick = i
			c.showStreets()
		}
	})
	columns := streetColumns()
	s.Streets = widget.NewTable(
		func() (int, int) { return len(s.streets), len(columns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(s.streets) {
				c.streetCell(s.streets[id.Row], id.Col, o.(*widget.Label))
			}
		})
	s.Streets.ShowHeaderRow = true
	s.Streets.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	s.Streets.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(columns) {
			o.(*widget.Label).SetText(columns[id.Col])
		}
	}
	// The figures' columns as wide as their titles, in either language.
	s.Streets.SetColumnWidth(0, 150)
	for col := 1; col < len(columns); col++ {
		title := widget.NewLabelWithStyle(columns[col], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}).MinSize().Width
		s.Streets.SetColumnWidth(col, max(64, title+theme.Padding()))
	}
	s.Streets.OnSelected = func(id widget.TableCellID) {
		s.Streets.UnselectAll()
		if id.Row >= 0 && id.Row < len(s.streets) {
			c.ChooseStreet(s.streets[id.Row].Street)
		}
	}
	return container.NewBorder(container.NewBorder(nil, nil, widget.NewLabel(T("Shift")), nil, s.StreetShift), nil, nil, nil, s.Streets)
}

// streetCell shows one cell of a street's row: the share planned in the
// colour of its coverage (red short by half or more, amber short, green
// covered).
func (c *Console) streetCell(st StreetCoverage, col int, l *widget.Label) {
	imp := widget.MediumImportance
	var text string
	figures := [...]int{st.Grids, st.Required, st.Planned, st.Covered, st.Under, st.Uncovered}
	switch {
	case col == 0:
		text = c.regionName(st.Street)
	case col <= len(figures):
		text = fmt.Sprint(figures[col-1])
	default:
		share := st.Share()
		switch {
		case share < 0:
			text = "–"
		case share < 0.5:
			imp = widget.DangerImportance
		case share < 1:
			imp = widget.WarningImportance
		default:
			imp = widget.SuccessImportance
		}
		if share >= 0 {
			text = fmt.Sprintf("%.0f%%", 100*share)
		}
	}
	if l.Text != text || l.Importance != imp {
		l.Importance = imp
		l.SetText(text)
	}
}

// showStreets adds up the roster's coverage per street in the shift
// chosen and shows it; the shift chooser lists the roster's week.
func (c *Console) showStreets() {
	s := &c.Sched
	if s.Streets == nil {
		return
	}
	if s.streetPick > len(s.cov.Shifts) {
		s.streetPick = 0
	}
	opts := []string{T("Whole week")}
	for _, sh := range s.cov.Shifts {
		opts = append(opts, shiftShort(sh))
	}
	s.StreetShift.Options = opts
	s.StreetShift.SetSelectedIndex(s.streetPick)
	s.streets = streetCoverage(s.cov, s.streetPick-1)
	s.Streets.Refresh()
}

// ChooseStreet chooses a street of the coverage table on the map (as the
// tree would), keeping the Schedules tab on the roster it shows.
func (c *Console) ChooseStreet(street string) {
	c.Choose(street)
	c.Sched.synced = street // not a choice of the tab's region
}

// StreetsShown is the coverage by street as the table lists it.
func (c *Console) StreetsShown() []StreetCoverage { return c.Sched.streets }
