package app

import (
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
	"kapok/data"
)

// The Cases tab: the queue of cases with its filters, and the steps the
// selected case may take.

// caseColumns are the queue's columns, the sort key of each ("" for none)
// and its width.
var caseColumns = []struct {
	title, sort string
	width       float32
}{
	{"Clock", "remaining", 150}, {"Case", "reported", 160}, {"Matter", "", 190}, {"State", "state", 90},
	{"Priority", "priority", 80}, {"Source", "", 110}, {"Where", "", 170},
}

// The filters' first choices, before the values.
const (
	filterOpen = iota // state: the open cases
	filterAll         // state: every case
)

func (c *Console) buildCases() {
	c.CaseState = newSelect(nil, nil)
	c.CaseCategory = newSelect(nil, nil)
	c.CaseSource = newSelect(nil, nil)
	c.CaseRegion = newSelect(nil, nil)
	c.CaseOverdue = widget.NewCheck(T("Overdue only"), nil)
	c.CaseCount = widget.NewLabel("")
	c.ReportBtn = widget.NewButtonWithIcon(T("Report case"), theme.ContentAddIcon(), c.StartReport)
	c.showIf(c.ReportBtn, data.ActCaseReport)
	c.setCaseFilterChoices()
	for _, s := range []*widget.Select{c.CaseState, c.CaseCategory, c.CaseSource, c.CaseRegion} {
		s.OnChanged = func(string) { c.caseFiltersChanged() }
	}
	c.CaseOverdue.OnChanged = func(bool) { c.caseFiltersChanged() }

	c.CaseTable = widget.NewTable(
		func() (int, int) { return len(c.cases), len(caseColumns) },
		func() fyne.CanvasObject {
			bar := canvas.NewRectangle(color.Transparent)
			bar.SetMinSize(fyne.NewSize(5, 10))
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, bar, nil, l)
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= len(c.cases) {
				return
			}
			box := o.(*fyne.Container)
			l, bar := box.Objects[0].(*widget.Label), box.Objects[1].(*canvas.Rectangle)
			r := c.cases[id.Row]
			text, imp, fill := c.caseCell(r, id.Col), widget.MediumImportance, color.Color(color.Transparent)
			if id.Col == 0 {
				// The row's clock as a coloured bar, and its text in the
				// card's colour: amber past 75 % of the limit, red overdue.
				fill = citymap.EventColor[string(r.Clock.State)]
				switch r.Clock.State {
				case data.ClockOverdue, data.ClockMissed:
					imp = widget.DangerImportance
				case data.ClockWarning:
					imp = widget.WarningImportance
				}
			}
			// Laying out a label's text is most of a queue refresh's cost:
			// a cell that shows the same as before is left alone.
			if l.Text != text || l.Importance != imp {
				l.Text, l.Importance = text, imp
				l.Refresh()
			}
			if bar.FillColor != fill {
				bar.FillColor = fill
				bar.Refresh()
			}
		})
	c.CaseTable.ShowHeaderRow = true
	c.CaseTable.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	c.CaseTable.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 {
			return
		}
		col := caseColumns[id.Col]
		b.SetText(T(col.title))
		b.SetIcon(nil)
		b.OnTapped = nil
		if col.sort != "" {
			if c.caseFilter.Sort == col.sort || c.caseFilter.Sort == "" && col.sort == "remaining" {
				b.SetIcon(theme.MenuDropDownIcon())
			}
			b.OnTapped = func() { c.SortCases(col.sort) }
		}
	}
	for i, col := range caseColumns {
		c.CaseTable.SetColumnWidth(i, col.width)
	}
	c.CaseTable.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(c.cases) {
			c.SelectCase(c.cases[id.Row].Code)
		}
	}
	c.CaseActions = container.NewHBox()
	c.showCases()
}

// casesPane lays out the Cases tab.
func (c *Console) casesPane() fyne.CanvasObject {
	filters := container.NewGridWithColumns(3, c.CaseState, c.CaseCategory, c.CaseSource, c.CaseRegion, c.CaseOverdue, c.ReportBtn)
	top := container.NewVBox(filters, c.CaseCount)
	return container.NewBorder(top, container.NewHScroll(c.CaseActions), nil, nil, c.CaseTable)
}

// setCaseFilterChoices fills the filters' lists (in the language) and
// shows the filter in force.
func (c *Console) setCaseFilterChoices() {
	f := c.caseFilter
	states := []string{T("Open cases"), T("All cases")}
	for _, s := range data.EventStates {
		states = append(states, Term(s))
	}
	c.CaseState.Options = states
	switch {
	case len(f.States) == 1:
		c.CaseState.SetSelectedIndex(2 + slices.Index(data.EventStates, f.States[0]))
	case f.All:
		c.CaseState.SetSelectedIndex(filterAll)
	default:
		c.CaseState.SetSelectedIndex(filterOpen)
	}
	c.CaseCategory.Options = append([]string{T("All categories")}, translated(c.categories)...)
	c.CaseCategory.SetSelectedIndex(1 + slices.Index(c.categories, f.Category))
	c.CaseSource.Options = append([]string{T("All sources")}, translated(data.EventSources)...)
	c.CaseSource.SetSelectedIndex(1 + slices.Index(data.EventSources, f.Source))
	c.caseRegions = c.caseRegionChoices()
	names := []string{T("Whole city")}
	for _, code := range c.caseRegions[1:] {
		names = append(names, c.regionName(code))
	}
	c.CaseRegion.Options = names
	c.CaseRegion.SetSelectedIndex(max(0, slices.Index(c.caseRegions, f.Region)))
	c.CaseOverdue.SetChecked(f.Overdue)
}

// caseRegionChoices are the region filter's codes: the whole city (""),
// the region chosen in the tree, search or board if below a district, and
// the districts.
func (c *Console) caseRegionChoices() []string {
	out := []string{""}
	if r := c.caseFilter.Region; len(r) > 6 {
		out = append(out, r)
	}
	if r := c.selRegion; len(r) > 6 && !slices.Contains(out, r) {
		out = append(out, r)
	}
	return append(out, c.children[c.cityCode()]...)
}

// cityCode is the code of the city, the root of the regions.
func (c *Console) cityCode() string {
	for _, r := range c.regions {
		if r.Level == data.LevelCity {
			return r.Code
		}
	}
	return ""
}

// caseFiltersChanged reads the filters into the queue's filter and lists
// the cases again.
func (c *Console) caseFiltersChanged() {
	if c.settingFilters {
		return
	}
	f := data.CaseFilter{Sort: c.caseFilter.Sort}
	switch i := c.CaseState.SelectedIndex(); {
	case i == filterAll:
		f.All = true
	case i >= 2:
		f.States = []data.EventState{data.EventStates[i-2]}
	}
	if i := c.CaseCategory.SelectedIndex(); i >= 1 {
		f.Category = c.categories[i-1]
	}
	if i := c.CaseSource.SelectedIndex(); i >= 1 {
		f.Source = data.EventSources[i-1]
	}
	if i := c.CaseRegion.SelectedIndex(); i >= 1 && i < len(c.caseRegions) {
		f.Region = c.caseRegions[i]
	}
	f.Overdue = c.CaseOverdue.Checked
	c.caseFilter = f
	c.showCases()
}

// FilterCases sets the queue's filter (as the filters would) and lists the
// cases again.
func (c *Console) FilterCases(f data.CaseFilter) {
	c.caseFilter = f
	c.settingFilters = true
	c.setCaseFilterChoices()
	c.settingFilters = false
	c.showCases()
}

// SortCases sorts the queue by a column's key (see mirror.SortCases): the
// first queueRows in the new order are read again.
func (c *Console) SortCases(by string) {
	c.caseFilter.Sort = by
	c.showCases()
}

// queueRows is how many cases the queue lists: the most urgent (or first
// in the order chosen), with the count of all of them above. A case chosen
// elsewhere (on the map, just reported) shows in the detail whether listed
// or not.
var queueRows = 500

// showCases lists the cases the filter picks, with their clocks now, and
// keeps the selected case selected if it is still listed.
func (c *Console) showCases() {
	if c.CaseTable == nil {
		return
	}
	if c.replay != nil {
		c.showReplayQueue()
		return
	}
	f := c.caseFilter
	f.Limit = queueRows
	rows, err := c.M.Cases(bg, f, c.AsOf)
	if err != nil {
		c.CaseCount.SetText(c.text(err))
		return
	}
	n, err := c.M.CaseCounts(bg, c.caseFilter, c.AsOf)
	if err != nil {
		c.CaseCount.SetText(c.text(err))
		return
	}
	c.setQueue(rows, n)
}

// setQueue shows rows, the first of the n the filter picks.
func (c *Console) setQueue(rows []data.CaseRow, n data.CaseCounts) {
	c.cases = rows
	text := T("{{.N}} cases · {{.Overdue}} overdue · {{.Warning}} past 75% of their limit",
		map[string]any{"N": n.All, "Overdue": n.Overdue, "Warning": n.Warning})
	if len(rows) < n.All {
		text += " · " + T("the first {{.Shown}} listed", map[string]any{"Shown": len(rows)})
	}
	c.CaseCount.SetText(text)
	c.CaseTable.Refresh()
	c.reselectCase()
}

// reselectCase selects the selected case's row again after the rows
// changed (or clears the selection when it is no longer listed).
func (c *Console) reselectCase() {
	i := slices.IndexFunc(c.cases, func(r data.CaseRow) bool { return r.Code == c.caseSel })
	c.selecting = true
	defer func() { c.selecting = false }()
	if i < 0 {
		c.CaseTable.UnselectAll()
	} else {
		c.CaseTable.Select(widget.TableCellID{Row: i, Col: 1})
	}
	c.updateCaseActions()
}

// CasesShown is the queue as listed.
func (c *Console) CasesShown() []data.CaseRow { return c.cases }

// SelectCase selects a case: its details, the steps it may take, and the
// map flies to its grid.
func (c *Console) SelectCase(code string) { c.selectCase(code, true) }

// selectCase selects a case, its grid on the map, and flies there unless
// the case was chosen on the map.
func (c *Console) selectCase(code string, fly bool) {
	if c.selecting {
		return
	}
	c.caseSel = code
	c.ShowDetail(code)
	c.reselectCase()
	if r, ok := c.selectedCase(); ok {
		if pos, ok := c.City.Pos[r.GridCode]; ok {
			c.SelectGrids([]int{pos}, false)
			if fly {
				// The grid with its neighbours around it: where the case
				// is, and the units near it.
				b := c.City.Map.FillIndex().Feature(pos).Geom.Bound()
				c.Map.FlyTo(b.Pad(max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1], 300)))
			}
		}
	}
}

// selectedCase is the selected case's row: from the queue, or read when
// the filter leaves it out (chosen on the map).
func (c *Console) selectedCase() (data.CaseRow, bool) {
	if c.caseSel == "" {
		return data.CaseRow{}, false
	}
	if i := slices.IndexFunc(c.cases, func(r data.CaseRow) bool { return r.Code == c.caseSel }); i >= 0 {
		return c.cases[i], true
	}
	d, err := c.M.Case(bg, c.caseSel, c.AsOf)
	if err != nil {
		return data.CaseRow{}, false
	}
	return d.CaseRow, true
}

// caseCell is the text of one cell of the queue.
func (c *Console) caseCell(r data.CaseRow, col int) string {
	switch col {
	case 0:
		return clockText(r.Clock)
	case 1:
		return r.Code
	case 2:
		return r.MatterCode + " " + c.matterOf(r.MatterZh, r.MatterEn)
	case 3:
		return Term(r.State)
	case 4:
		return Term(r.Priority)
	case 5:
		return Term(r.Source)
	}
	if len(r.GridCode) == data.GridCodeLength {
		return data.ShortName(c.regionName(r.GridCode[:12])) + " " + T("Grid {{.N}}", map[string]any{"N": strings.TrimLeft(r.GridCode[12:], "0")})
	}
	return r.GridCode
}

// matterOf is a matter's name in the console's language.
func (c *Console) matterOf(zh, en string) string {
	if T("lang") == "zh" {
		return zh
	}
	return en
}
