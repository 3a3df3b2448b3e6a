package app

import (
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// caseStep is a button of the Cases tab: a move of the workflow from one
// of some states, or an extension or escalation, and what it asks for.
type caseStep struct {
	label string
	from  []data.EventState // the states it is offered in
	to    data.EventState   // the move's target ("" for extend, escalate)
	ask   string            // "reason", "result", "dispatch" or ""
	kind  string            // "move", "extend", "escalate"
}

// caseSteps are every step a person takes on a case, in the order the
// buttons show.
var caseSteps = []caseStep{
	{"File", []data.EventState{data.EventCollected}, data.EventFiled, "", "move"},
	{"Do not file…", []data.EventState{data.EventCollected}, data.EventCancelled, "reason", "move"},
	{"Cancel the case…", []data.EventState{data.EventFiled}, data.EventCancelled, "reason", "move"},
	{"Dispatch…", []data.EventState{data.EventFiled, data.EventReturned}, data.EventDispatched, "dispatch", "move"},
	{"Start handling", []data.EventState{data.EventDispatched}, data.EventHandling, "", "move"},
	{"Resume handling", []data.EventState{data.EventParked}, data.EventHandling, "", "move"},
	{"Feed back…", []data.EventState{data.EventHandling}, data.EventFedBack, "result", "move"},
	{"Verify: close", []data.EventState{data.EventFedBack}, data.EventClosed, "", "move"},
	{"Verify: send back…", []data.EventState{data.EventFedBack}, data.EventHandling, "reason", "move"},
	{"Evaluate", []data.EventState{data.EventClosed}, data.EventEvaluated, "", "move"},
	{"Return…", []data.EventState{data.EventDispatched, data.EventHandling}, data.EventReturned, "reason", "move"},
	{"Park…", []data.EventState{data.EventHandling}, data.EventParked, "reason", "move"},
	{"Extend…", []data.EventState{data.EventDispatched, data.EventHandling}, "", "reason", "extend"},
	{"Escalate…", data.OpenEventStates, "", "reason", "escalate"},
}

// StepsFor are the steps the console offers for a case: those its state
// allows and the user's role permits, an extension while the matter's
// allowance lasts, an escalation only below the city.
func (c *Console) StepsFor(r data.CaseRow, extensionsAllowed int) []caseStep {
	var out []caseStep
	for _, s := range caseSteps {
		if !slices.Contains(s.from, r.State) || s.kind == "move" && !r.State.CanMoveTo(s.to) || !c.may(s.action()) {
			continue
		}
		switch s.kind {
		case "extend":
			if r.Extensions >= extensionsAllowed || r.DispatchedAt == nil {
				continue
			}
		case "escalate":
			if _, ok := data.NextLevel(r.Level); !ok {
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// updateCaseActions shows a button for each step the selected case may
// take, and none for the others.
func (c *Console) updateCaseActions() {
	if c.CaseActions == nil {
		return
	}
	c.CaseActions.RemoveAll()
	r, ok := c.selectedCase()
	if ok {
		for _, s := range c.StepsFor(r, c.extensionsAllowed(r.MatterCode)) {
			b := widget.NewButton(T(s.label), func() { c.TakeStep(s) })
			if s.kind == "move" && s.ask == "dispatch" {
				b.Importance = widget.HighImportance
			}
			c.CaseActions.Add(b)
		}
	}
	c.CaseActions.Refresh()
}

// CaseButtons are the labels of the buttons the selected case shows.
func (c *Console) CaseButtons() []string {
	var out []string
	for _, o := range c.CaseActions.Objects {
		out = append(out, o.(*widget.Button).Text)
	}
	return out
}

// extensionsAllowed is a matter's allowance of extensions.
func (c *Console) extensionsAllowed(matter string) int {
	for _, m := range c.matters {
		if m.Code == matter {
			return m.Extensions
		}
	}
	return 0
}

// TakeStep takes a step on the selected case: at once, or after asking for
// the reason, the result or the units.
func (c *Console) TakeStep(s caseStep) {
	r, ok := c.selectedCase()
	if !ok {
		return
	}
	switch s.ask {
	case "dispatch":
		c.OpenDispatchDialog(r)
	case "reason", "result":
		label := "Reason"
		if s.ask == "result" {
			label = "Result of the handling"
		}
		c.askText(T(s.label), T(label), func(text string) error { return c.step(r, s, text) })
	default:
		if err := c.step(r, s, ""); err != nil {
			c.showError(err)
		}
	}
}

// step writes a step on the case (the version it was shown at, so that a
// change made meanwhile elsewhere refuses it) and brings every panel up to
// date.
func (c *Console) step(r data.CaseRow, s caseStep, text string) error {
	if c.refuseInReplay() {
		return nil
	}
	now := c.Now()
	var err error
	switch s.kind {
	case "extend":
		_, err = c.M.ExtendCase(bg, r.Code, text, c.User, r.Version, now)
	case "escalate":
		_, err = c.M.EscalateCase(bg, r.Code, text, c.User, r.Version, now)
	default:
		mv := data.CaseMove{Case: r.Code, To: s.to, Actor: c.User, Version: r.Version}
		if s.ask == "result" {
			mv.Result = text
		} else {
			mv.Reason = text
		}
		_, err = c.M.MoveCase(bg, mv, now)
	}
	if err != nil {
		if isRefusal(err, data.CodeCaseChanged) {
			c.CasesChanged(r.Code) // show what changed, then the refusal
		}
		return err
	}
	c.CasesChanged(r.Code)
	c.Status.SetText(T("Case {{.Code}}: {{.Step}}", map[string]any{"Code": r.Code, "Step": T(s.label)}))
	return nil
}

func isRefusal(err error, code data.Code) bool {
	var r *data.Refusal
	return errors.As(err, &r) && r.Code == code
}

// askText asks for a text (a reason, a result) and runs do with it; a
// refusal shows in the dialog, which stays open with what was typed.
func (c *Console) askText(title, label string, do func(string) error) {
	entry := widget.NewMultiLineEntry()
	entry.SetMinRowsVisible(3)
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Wrapping = fyne.TextWrapWord
	errLabel.Hide()
	var dlg dialog.Dialog
	ok := widget.NewButton(T("OK"), func() {
		if err := do(entry.Text); err != nil {
			errLabel.SetText(c.text(err))
			errLabel.Show()
			return
		}
		dlg.Hide()
	})
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(T("Cancel"), func() { dlg.Hide() })
	content := container.NewBorder(nil, container.NewVBox(errLabel, container.NewHBox(cancel, ok)), nil, nil,
		widget.NewForm(widget.NewFormItem(label, entry)))
	dlg = dialog.NewCustomWithoutButtons(title, c.sensed(content), c.Win)
	c.textDialog = &TextDialog{Entry: entry, Error: errLabel, OK: ok, dlg: dlg}
	dlg.SetOnClosed(func() { c.textDialog = nil })
	dlg.Show()
	dlg.Resize(fyne.NewSize(480, 260))
}

// TextDialog is the dialog asking for a reason or a result, on show.
type TextDialog struct {
	Entry *widget.Entry
	Error *widget.Label
	OK    *widget.Button
	dlg   dialog.Dialog
}

// AskingText is the reason or result dialog on show, or nil.
func (c *Console) AskingText() *TextDialog { return c.textDialog }

// clockText is a case's clock as the queue shows it.
func clockText(k data.Clock) string {
	switch k.State {
	case data.ClockNone:
		return T("not dispatched")
	case data.ClockMet:
		return T("closed in time")
	case data.ClockMissed:
		return T("closed late")
	case data.ClockOverdue:
		return T("overdue {{.D}}", map[string]any{"D": span(-k.Remaining)})
	}
	return T("{{.D}} left", map[string]any{"D": span(k.Remaining)})
}

// span is a duration as a clock shows it: days and hours, or hours and
// minutes under a day.
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	switch {
	case days > 0:
		return T("{{.D}}d {{.H}}h", map[string]any{"D": days, "H": h})
	case h > 0:
		return T("{{.H}}h {{.M}}m", map[string]any{"H": h, "M": m})
	}
	return T("{{.M}}m", map[string]any{"M": m})
}
