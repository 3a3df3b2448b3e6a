package app

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// A center's duty roster (值班表), edited from its details: a person put
// on duty in a shift of this week or the next (the center's district's
// shift table), an entry taken off. After each change the details and the
// status board's "No one on duty" count are read again.

// DutyDialog is the duty roster dialog of one center.
type DutyDialog struct {
	Center        string
	Shift         *widget.Select
	Shifts        []data.Shift // the chooser's shifts: from the one under way to the end of next week
	Person, Phone *widget.Entry
	Role          *widget.Select // dutyRoles, in words
	Add           *widget.Button
	Duty          []data.Duty      // the entries listed
	Remove        []*widget.Button // one per entry listed
	Outcome
	defs []data.ShiftDef
	list *fyne.Container
	dlg  dialog.Dialog
}

// dutyRoles are the roles offered, the duty officer first (most entries).
var dutyRoles = []data.DutyRole{data.DutyOfficer, data.DutyLeader}

// DutyEditing is the duty roster dialog on show, or nil.
func (c *Console) DutyEditing() *DutyDialog { return c.Sched.duty }

// OpenDutyDialog opens the duty roster of a center (C…).
func (c *Console) OpenDutyDialog(center string) {
	d := &DutyDialog{Center: center, defs: data.DefaultShifts, Outcome: newOutcome()}
	if region := strings.TrimPrefix(center, "C"); len(region) >= 6 {
		defs, err := c.M.ShiftTable(bg, region)
		if err != nil {
			c.showError(err)
			return
		}
		d.defs = defs
	}
	now := c.Now()
	this := data.WeekOf(now)
	next := data.WeekOf(this.Monday().AddDate(0, 0, 10))
	for _, sh := range append(data.WeekShifts(this, d.defs), data.WeekShifts(next, d.defs)...) {
		if _, end := sh.Span(d.defs); end.After(now) {
			d.Shifts = append(d.Shifts, sh)
		}
	}
	var labels []string
	for _, sh := range d.Shifts {
		labels = append(labels, shiftLabel(sh, d.defs))
	}
	d.Shift = newSelect(labels, nil)
	if len(labels) > 0 {
		d.Shift.SetSelectedIndex(0)
	}
	d.Person, d.Phone = widget.NewEntry(), widget.NewEntry()
	d.Person.SetPlaceHolder(T("Name"))
	d.Phone.SetPlaceHolder(T("optional"))
	d.Role = newSelect(translated(dutyRoles), nil)
	d.Role.SetSelectedIndex(0)
	d.list = container.NewVBox()
	d.Add = widget.NewButtonWithIcon(T("Put on duty"), theme.ContentAddIcon(), func() { c.addDuty(d) })
	d.Add.Importance = widget.HighImportance
	d.Person.OnSubmitted = func(string) { c.addDuty(d) }
	c.listDuty(d)
	form := widget.NewForm(
		widget.NewFormItem(T("Shift"), d.Shift),
		widget.NewFormItem(T("Person"), d.Person),
		widget.NewFormItem(T("Phone"), d.Phone),
		widget.NewFormItem(T("Role"), d.Role),
	)
	top := container.NewVBox(form, container.NewHBox(layout.NewSpacer(), d.Add))
	c.Sched.duty = d
	d.dlg = c.listDialog(T("Duty roster")+" · "+c.centerName(center), top, T("On duty this week and next"), d.list, d.Outcome, fyne.NewSize(600, 600), func() {
		if c.Sched.duty == d {
			c.Sched.duty = nil
		}
	})
}

// centerName is a center's name, else its code.
func (c *Console) centerName(center string) string {
	if d, err := c.M.CenterDetail(bg, center, c.AsOf); err == nil && d.Name != "" {
		return d.Name
	}
	return center
}

// listDuty reads the center's duty in the shifts offered and lists it,
// each entry with a button taking it off.
func (c *Console) listDuty(d *DutyDialog) {
	d.list.RemoveAll()
	d.Duty, d.Remove = nil, nil
	if len(d.Shifts) > 0 {
		from, _ := d.Shifts[0].Span(d.defs)
		_, to := d.Shifts[len(d.Shifts)-1].Span(d.defs)
		duty, err := c.M.DutyOf(bg, d.Center, from, to)
		if err != nil {
			d.refused(c.text(err))
		}
		d.Duty = duty
	}
	for _, p := range d.Duty {
		when := p.Shift
		if sh, err := data.ParseShift(p.Shift, d.defs); err == nil {
			when = shiftLabel(sh, d.defs)
		}
		text := strings.Join(slices.DeleteFunc([]string{when, Term(p.Role), p.Person, c.phone(p.Phone)}, func(s string) bool { return s == "" }), " · ")
		b := widget.NewButtonWithIcon(T("Take off"), theme.ContentRemoveIcon(), func() { c.removeDuty(d, p) })
		d.Remove = append(d.Remove, b)
		d.list.Add(container.NewBorder(nil, nil, nil, b, widget.NewLabel(text)))
	}
	if len(d.Duty) == 0 {
		d.list.Add(widget.NewLabel(T("none")))
	}
}

// addDuty puts the person typed on duty in the shift chosen; a refusal
// stays in the dialog with what was typed.
func (c *Console) addDuty(d *DutyDialog) {
	i := d.Shift.SelectedIndex()
	if i < 0 || i >= len(d.Shifts) {
		d.refused(T("Choose a shift."))
		return
	}
	req := data.DutyRequest{Center: d.Center, Shift: d.Shifts[i].String(), Person: d.Person.Text, Phone: d.Phone.Text,
		Role: dutyRoles[max(0, d.Role.SelectedIndex())], Actor: c.User}
	p, err := c.M.AssignDuty(bg, req, c.Now())
	if err != nil {
		d.refused(c.text(err))
		return
	}
	d.Person.SetText("")
	d.Phone.SetText("")
	c.dutyChanged(d, T("{{.Person}} on duty, {{.Shift}}", map[string]any{"Person": p.Person, "Shift": shiftLabel(d.Shifts[i], d.defs)}))
}

// removeDuty takes an entry off the roster.
func (c *Console) removeDuty(d *DutyDialog, p data.Duty) {
	if err := c.M.RemoveDuty(bg, p.UID, c.User, c.Now()); err != nil {
		d.refused(c.text(err))
		c.listDuty(d) // as it is now
		return
	}
	c.dutyChanged(d, T("{{.Person}} taken off the duty roster", map[string]any{"Person": p.Person}))
}

// dutyChanged shows what a change did, lists the roster again and reads
// the details and the status board again (a center with nobody on duty
// now is counted there).
func (c *Console) dutyChanged(d *DutyDialog, done string) {
	d.did(done)
	c.listDuty(d)
	c.refreshDetail()
	if c.Board != nil {
		c.ShowBoard(c.boardOf)
	}
	c.Status.SetText(done)
}
