package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/mirror"
)

// A unit's leave (training, repair, rest): marked for a period with a
// reason, listed, and ended or cancelled. Rosters see a unit unavailable in
// the shifts its leave overlaps, so after each change the roster shown is
// checked again: a unit on leave in a shift it is planned for is a hard
// conflict.

// LeaveDialog is the leave dialog: a unit, its leave in the weeks the
// Schedules tab offers, and the form marking a new one.
type LeaveDialog struct {
	Unit     *widget.Entry
	Name     *widget.Label // the unit's name, as typed
	From, To *widget.Entry // Beijing time, YYYY-MM-DD hh:mm
	Reason   *widget.Entry
	Mark     *widget.Button
	Leaves   []mirror.Leave   // the unit's leave listed
	End      []*widget.Button // per leave listed: ends or cancels it (nil once over)
	Outcome
	list *fyne.Container
	dlg  dialog.Dialog
}

// Leaving is the leave dialog on show, or nil.
func (c *Console) Leaving() *LeaveDialog { return c.Sched.leave }

// leaveUnitGuess is the unit the leave dialog opens on: the unit the
// details show, else none.
func (c *Console) leaveUnitGuess() string {
	if strings.HasPrefix(c.focus, "U") {
		return c.focus
	}
	return ""
}

// OpenLeaveDialog opens the leave dialog on a unit ("" to type one); the
// period is a shift's hours when one is given (a cell's), else the eight
// hours from the next full hour.
func (c *Console) OpenLeaveDialog(unit string, sh *data.Shift) {
	d := &LeaveDialog{Outcome: newOutcome()}
	from := c.Now().In(beijing).Truncate(time.Hour).Add(time.Hour)
	to := from.Add(8 * time.Hour)
	if sh != nil {
		defs := c.Sched.roster.Shifts
		if len(defs) == 0 {
			defs = data.DefaultShifts
		}
		from, to = sh.Span(defs)
	}
	d.Unit = widget.NewEntry()
	d.Unit.SetPlaceHolder(T("Unit code"))
	d.Name = widget.NewLabel("")
	d.From, d.To = widget.NewEntry(), widget.NewEntry()
	d.From.SetText(from.In(beijing).Format(timeLayout))
	d.To.SetText(to.In(beijing).Format(timeLayout))
	d.Reason = widget.NewEntry()
	d.Reason.SetPlaceHolder(T("training, repair, rest…"))
	d.list = container.NewVBox()
	d.Mark = widget.NewButtonWithIcon(T("Mark leave"), theme.ContentAddIcon(), func() { c.markLeave(d) })
	d.Mark.Importance = widget.HighImportance
	d.Unit.OnChanged = func(string) { c.listLeave(d) }
	d.Unit.SetText(unit)
	c.listLeave(d) // (setting the text it had calls no OnChanged)
	form := widget.NewForm(
		widget.NewFormItem(T("Unit"), container.NewBorder(nil, nil, nil, d.Name, d.Unit)),
		widget.NewFormItem(T("From"), d.From),
		widget.NewFormItem(T("To"), d.To),
		widget.NewFormItem(T("Reason"), d.Reason),
	)
	hint := widget.NewLabel(T("Times are Beijing time (YYYY-MM-DD hh:mm). A unit on leave cannot patrol the shifts its leave overlaps."))
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(form, hint, container.NewHBox(layout.NewSpacer(), d.Mark))
	c.Sched.leave = d
	d.dlg = c.listDialog(T("Unit leave"), top, T("Leave in these weeks"), d.list, d.Outcome, fyne.NewSize(560, 560), func() {
		if c.Sched.leave == d {
			c.Sched.leave = nil
		}
	})
}

// leaveWindow is the span the dialog lists leave in: this week and the
// weeks the Schedules tab offers, and the week it shows.
func (c *Console) leaveWindow() (time.Time, time.Time) {
	from := data.WeekOf(c.Now()).Monday()
	to := from.AddDate(0, 0, 7*schedWeeks)
	if w := c.Sched.week; w != (data.Week{}) {
		from = minTime(from, w.Monday())
		to = maxTime(to, w.Monday().AddDate(0, 0, 7))
	}
	return from, to
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// listLeave reads the typed unit's leave again and lists it, each with a
// button ending it now (cancelling one not begun); one over is listed
// without.
func (c *Console) listLeave(d *LeaveDialog) {
	unit := strings.TrimSpace(d.Unit.Text)
	d.Name.SetText(c.unitName(unit))
	d.Leaves, d.End = nil, nil
	d.list.RemoveAll()
	if unit != "" {
		from, to := c.leaveWindow()
		ls, err := c.M.Leaves(bg, unit, from, to)
		if err != nil {
			d.refused(c.text(err))
		}
		d.Leaves = ls
	}
	now := c.Now()
	for _, l := range d.Leaves {
		text := leaveSpan(l)
		if l.Reason != "" {
			text += " · " + l.Reason
		}
		var b *widget.Button
		switch {
		case !l.End.After(now):
			text += " · " + T("over")
		case l.Start.Before(now):
			text += " · " + T("under way")
			b = widget.NewButtonWithIcon(T("End now"), theme.MediaStopIcon(), func() { c.endLeave(d, l) })
		default:
			b = widget.NewButtonWithIcon(T("Cancel leave"), theme.CancelIcon(), func() { c.endLeave(d, l) })
		}
		d.End = append(d.End, b)
		label := widget.NewLabel(text)
		label.Wrapping = fyne.TextWrapWord
		if b == nil {
			d.list.Add(label)
		} else {
			d.list.Add(container.NewBorder(nil, nil, nil, b, label))
		}
	}
	switch {
	case unit == "":
		d.list.Add(widget.NewLabel(T("Type a unit's code.")))
	case len(d.Leaves) == 0:
		d.list.Add(widget.NewLabel(T("none")))
	}
}

// leaveSpan is "12-01 12:00 – 12-01 20:00" in Beijing time.
func leaveSpan(l mirror.Leave) string {
	return l.Start.In(beijing).Format("01-02 15:04") + " – " + l.End.In(beijing).Format("01-02 15:04")
}

// markLeave marks the typed unit on leave for the typed period; a refusal
// stays in the dialog with what was typed.
func (c *Console) markLeave(d *LeaveDialog) {
	fail := d.refused
	unit := strings.TrimSpace(d.Unit.Text)
	if unit == "" {
		fail(T("Type a unit's code."))
		return
	}
	from, err := time.ParseInLocation(timeLayout, strings.TrimSpace(d.From.Text), beijing)
	if err != nil {
		fail(T("start {{.V}} is not YYYY-MM-DD hh:mm", map[string]any{"V": d.From.Text}))
		return
	}
	to, err := time.ParseInLocation(timeLayout, strings.TrimSpace(d.To.Text), beijing)
	if err != nil {
		fail(T("end {{.V}} is not YYYY-MM-DD hh:mm", map[string]any{"V": d.To.Text}))
		return
	}
	if _, err := c.M.MarkLeave(bg, unit, from, to, d.Reason.Text, c.User, c.Now()); err != nil {
		fail(c.text(err))
		return
	}
	c.leaveChanged(d, T("{{.Unit}} on leave {{.Span}}", map[string]any{"Unit": unit, "Span": leaveSpan(mirror.Leave{Start: from, End: to})}))
}

// endLeave ends a leave now, or cancels it if not begun.
func (c *Console) endLeave(d *LeaveDialog, l mirror.Leave) {
	if err := c.M.EndLeave(bg, l.UID, c.User, c.Now()); err != nil {
		d.refused(c.text(err))
		c.listLeave(d) // as it is now
		return
	}
	msg := T("{{.Unit}}: leave {{.Span}} ended", map[string]any{"Unit": l.Unit, "Span": leaveSpan(l)})
	if !l.Start.Before(c.Now()) {
		msg = T("{{.Unit}}: leave {{.Span}} cancelled", map[string]any{"Unit": l.Unit, "Span": leaveSpan(l)})
	}
	c.leaveChanged(d, msg)
}

// leaveChanged shows what a leave's change did, lists the unit's leave
// again and checks the roster shown again (its conflicts, the cells'
// marks), as the unit's details.
func (c *Console) leaveChanged(d *LeaveDialog, done string) {
	d.did(done)
	c.listLeave(d)
	c.RostersChanged()
	c.say(done, false)
	if strings.HasPrefix(c.focus, "U") {
		c.refreshDetail()
	}
}
