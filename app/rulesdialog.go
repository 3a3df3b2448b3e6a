package app

import (
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// A district's shift table and patrol rules (as `kapok roster rules` sets
// them), edited from the Schedules tab: the shifts (name, hours; added and
// removed), the patrols a grid of each kind needs in each shift, the extra
// for a high-risk grid, a unit's most shifts a week and least rest, and
// whether units may patrol outside their street. The store checks them:
// a refusal is shown in the dialog and nothing is written.

// RulesDialog is the rules dialog of one district.
type RulesDialog struct {
	District string
	Rows     []*ShiftRow // the shift table, one row per shift
	AddShift *widget.Button
	// HighRisk is the patrols added for a high-risk grid; MaxShifts a
	// unit's most shifts a week (0: no limit); MinRest its least rest
	// between two shifts, in hours.
	HighRisk, MaxShifts, MinRest *widget.Entry
	Lending                      *widget.Check
	Save                         *widget.Button
	Error                        *widget.Label

	kinds       []string // grid kinds, the rows of the required patrols
	shiftBox    *fyne.Container
	requiredBox *fyne.Container
	shifts      []data.ShiftDef // as read
	rules       data.PatrolRules
	dlg         dialog.Dialog
}

// ShiftRow is a shift of the table being edited and the patrols each kind
// of grid needs in it.
type ShiftRow struct {
	Name       *widget.Entry
	Start, End *widget.Select // hours 0–24
	Remove     *widget.Button
	Required   map[string]*widget.Entry // grid kind → patrols
	header     *widget.Label            // the shift's column in the required patrols
}

// gridKinds are the kinds of grid rules are set for, in a fixed order.
var gridKinds = []string{data.GridCommercial, data.GridSpecial, data.GridResidential, data.GridIndustrial, data.GridVillage}

// hours are the choices of a shift's start and end.
var hours = func() []string {
	out := make([]string, 25)
	for h := range out {
		out[h] = strconv.Itoa(h)
	}
	return out
}()

// Ruling is the rules dialog on show, or nil.
func (c *Console) Ruling() *RulesDialog { return c.Sched.rules }

// rulesDistrict is the district whose rules the tab edits: the region
// shown's.
func (c *Console) rulesDistrict() string {
	return c.Sched.region[:min(6, len(c.Sched.region))]
}

// OpenRulesDialog opens the shift table and patrol rules of the district
// of the region the Schedules tab shows.
func (c *Console) OpenRulesDialog() {
	district := c.rulesDistrict()
	defs, rules, err := c.M.DistrictRules(bg, district)
	if err != nil {
		c.say(c.text(err), true)
		return
	}
	d := &RulesDialog{District: district, shifts: defs, rules: rules, kinds: slices.Clone(gridKinds)}
	var extra []string
	for kind := range rules.Required {
		if !slices.Contains(d.kinds, kind) {
			extra = append(extra, kind)
		}
	}
	slices.Sort(extra)
	d.kinds = append(d.kinds, extra...)
	d.shiftBox = container.NewVBox()
	d.requiredBox = container.NewVBox()
	for _, def := range defs {
		row := c.newShiftRow(d, def)
		for _, kind := range d.kinds {
			row.Required[kind].SetText(strconv.Itoa(rules.Required[kind][def.Name]))
		}
		d.Rows = append(d.Rows, row)
	}
	d.AddShift = widget.NewButtonWithIcon(T("Add shift"), theme.ContentAddIcon(), func() {
		start, end := d.freeHours()
		d.Rows = append(d.Rows, c.newShiftRow(d, data.ShiftDef{Start: start, End: end}))
		c.layoutRules(d)
	})
	number := func(n int) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(strconv.Itoa(n))
		return e
	}
	d.HighRisk, d.MaxShifts = number(rules.HighRiskExtra), number(rules.MaxShifts)
	d.MinRest = widget.NewEntry()
	d.MinRest.SetText(strconv.FormatFloat(rules.MinRest.Hours(), 'f', -1, 64))
	d.Lending = widget.NewCheck(T("Units may patrol outside their street (flagged)"), nil)
	d.Lending.SetChecked(rules.AllowLending)
	d.Error = widget.NewLabel("")
	d.Error.Importance = widget.DangerImportance
	d.Error.Wrapping = fyne.TextWrapWord
	d.Error.Hide()
	c.layoutRules(d)

	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := widget.NewForm(
		widget.NewFormItem(T("High-risk grid: extra patrols"), d.HighRisk),
		widget.NewFormItem(T("Most shifts a unit a week (0: no limit)"), d.MaxShifts),
		widget.NewFormItem(T("Least rest between shifts (hours)"), d.MinRest),
		widget.NewFormItem("", d.Lending),
	)
	hint := widget.NewLabel(T("Hours are Beijing time; a shift does not span midnight. Rosters keep the shift table they were planned with; the rules apply to every roster's check."))
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		bold(T("Shift table")),
		container.NewGridWithColumns(4, widget.NewLabel(T("Shift name")), widget.NewLabel(T("Start hour")), widget.NewLabel(T("End hour")), layout.NewSpacer()),
		d.shiftBox, container.NewHBox(d.AddShift),
		widget.NewSeparator(),
		bold(T("Patrols required per grid and shift")), d.requiredBox,
		widget.NewSeparator(),
		form, hint)
	cancel := widget.NewButton(T("Cancel"), func() { d.dlg.Hide() })
	d.Save = widget.NewButtonWithIcon(T("Save"), theme.DocumentSaveIcon(), func() { c.saveRules(d) })
	d.Save.Importance = widget.HighImportance
	title := T("Shifts and patrol rules · {{.District}}", map[string]any{"District": c.regionName(district)})
	d.dlg = dialog.NewCustomWithoutButtons(title, c.sensed(container.NewBorder(nil, container.NewVBox(d.Error, container.NewHBox(layout.NewSpacer(), cancel, d.Save)),
		nil, nil, container.NewVScroll(body))), c.Win)
	d.dlg.SetOnClosed(func() {
		if c.Sched.rules == d {
			c.Sched.rules = nil
		}
	})
	c.Sched.rules = d
	d.dlg.Show()
	d.dlg.Resize(fyne.NewSize(680, 860))
}

// freeHours are the first hours of the day no shift of the table holds
// (0–0 when every hour is taken), the hours a new shift is given.
func (d *RulesDialog) freeHours() (int, int) {
	var taken [24]bool
	for _, r := range d.Rows {
		a, _ := strconv.Atoi(r.Start.Selected)
		b, _ := strconv.Atoi(r.End.Selected)
		for h := max(0, a); h < min(24, b); h++ {
			taken[h] = true
		}
	}
	start := slices.Index(taken[:], false)
	if start < 0 {
		return 0, 0
	}
	end := start
	for end < 24 && !taken[end] {
		end++
	}
	return start, end
}

// newShiftRow makes a row of the shift table, with an entry of required
// patrols per kind of grid.
func (c *Console) newShiftRow(d *RulesDialog, def data.ShiftDef) *ShiftRow {
	r := &ShiftRow{Name: widget.NewEntry(), Start: newSelect(hours, nil), End: newSelect(hours, nil),
		Required: map[string]*widget.Entry{}, header: widget.NewLabel(def.Name)}
	r.Name.SetText(def.Name)
	r.Name.SetPlaceHolder(T("name"))
	r.Name.OnChanged = func(s string) { r.header.SetText(shiftName(strings.TrimSpace(s))) }
	r.header.SetText(shiftName(def.Name))
	r.Start.SetSelectedIndex(def.Start)
	r.End.SetSelectedIndex(def.End)
	for _, kind := range d.kinds {
		e := widget.NewEntry()
		e.SetPlaceHolder("0")
		r.Required[kind] = e
	}
	r.Remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		d.Rows = slices.DeleteFunc(d.Rows, func(x *ShiftRow) bool { return x == r })
		c.layoutRules(d)
	})
	return r
}

// layoutRules lays the shift table's rows and the required patrols (a row
// per kind of grid, a column per shift) out again after a shift was added
// or removed; the entries keep what was typed.
func (c *Console) layoutRules(d *RulesDialog) {
	d.shiftBox.RemoveAll()
	for _, r := range d.Rows {
		// A district keeps one shift at least: the last cannot go.
		if len(d.Rows) == 1 {
			r.Remove.Disable()
		} else {
			r.Remove.Enable()
		}
		d.shiftBox.Add(container.NewGridWithColumns(4, r.Name, r.Start, r.End, container.NewHBox(r.Remove)))
	}
	cols := []fyne.CanvasObject{widget.NewLabelWithStyle(T("Grid kind"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})}
	for _, r := range d.Rows {
		cols = append(cols, r.header)
	}
	grid := container.NewGridWithColumns(len(cols), cols...)
	for _, kind := range d.kinds {
		grid.Add(widget.NewLabel(T(kind)))
		for _, r := range d.Rows {
			grid.Add(r.Required[kind])
		}
	}
	d.requiredBox.RemoveAll()
	d.requiredBox.Add(grid)
}

// readRules reads the dialog into a shift table and rules; a field that
// is not a number is named in the text returned.
func (d *RulesDialog) readRules() ([]data.ShiftDef, data.PatrolRules, string) {
	notNumber := func(what, v string) string {
		return T("{{.What}}: {{.V}} is not a number", map[string]any{"What": what, "V": v})
	}
	var defs []data.ShiftDef
	// The required patrols of shifts no longer in the table stay: rosters
	// planned with them keep them.
	rules := data.PatrolRules{Required: map[string]map[string]int{}}
	for kind, byShift := range d.rules.Required {
		rules.Required[kind] = maps.Clone(byShift)
	}
	for _, r := range d.Rows {
		def := data.ShiftDef{Name: strings.TrimSpace(r.Name.Text)}
		def.Start, _ = strconv.Atoi(r.Start.Selected)
		def.End, _ = strconv.Atoi(r.End.Selected)
		defs = append(defs, def)
		for _, kind := range d.kinds {
			v := strings.TrimSpace(r.Required[kind].Text)
			if v == "" {
				v = "0"
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, rules, notNumber(T(kind)+" · "+shiftName(def.Name), r.Required[kind].Text)
			}
			if _, ok := rules.Required[kind][def.Name]; !ok && n == 0 {
				continue // as unset: an unchanged table is no change
			}
			if rules.Required[kind] == nil {
				rules.Required[kind] = map[string]int{}
			}
			rules.Required[kind][def.Name] = n
		}
	}
	var err error
	if rules.HighRiskExtra, err = strconv.Atoi(strings.TrimSpace(d.HighRisk.Text)); err != nil {
		return nil, rules, notNumber(T("High-risk grid: extra patrols"), d.HighRisk.Text)
	}
	if rules.MaxShifts, err = strconv.Atoi(strings.TrimSpace(d.MaxShifts.Text)); err != nil {
		return nil, rules, notNumber(T("Most shifts a unit a week (0: no limit)"), d.MaxShifts.Text)
	}
	rest, err := strconv.ParseFloat(strings.TrimSpace(d.MinRest.Text), 64)
	if err != nil {
		return nil, rules, notNumber(T("Least rest between shifts (hours)"), d.MinRest.Text)
	}
	rules.MinRest = time.Duration(rest * float64(time.Hour))
	rules.AllowLending = d.Lending.Checked
	return defs, rules, ""
}

// saveRules writes what changed of the shift table and the rules through
// the store, which checks them; a refusal stays in the dialog. The roster
// shown is checked again under the new rules.
func (c *Console) saveRules(d *RulesDialog) {
	defs, rules, bad := d.readRules()
	if bad != "" {
		d.Error.SetText(bad)
		d.Error.Show()
		return
	}
	var setDefs []data.ShiftDef
	if !slices.Equal(defs, d.shifts) {
		setDefs = defs
	}
	var setRules *data.PatrolRules
	if !reflect.DeepEqual(rules, d.rules) {
		setRules = &rules
	}
	if setDefs == nil && setRules == nil {
		d.dlg.Hide()
		c.say(T("Nothing changed."), false)
		return
	}
	if err := c.M.SetDistrictRules(bg, d.District, setDefs, setRules, c.User, c.Now()); err != nil {
		d.Error.SetText(c.text(err))
		d.Error.Show()
		return
	}
	d.dlg.Hide()
	c.RostersChanged()
	c.say(T("Shift table and patrol rules of {{.District}} saved.", map[string]any{"District": c.regionName(d.District)}), false)
}
