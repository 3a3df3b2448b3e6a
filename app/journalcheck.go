package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// The console checks the journal's hash chain in the background at start.
// A broken chain means the mirror was changed outside Kapok; the warning
// stays at the top of the window, in every language, until Kapok is
// restarted on a mirror whose chain holds.

// deliverCheck runs the check's outcome on the UI goroutine. Tests swap it
// to run the hand-over on their own goroutine.
var deliverCheck = fyne.Do

// VerifyJournalInBackground checks the chain off the UI goroutine and shows
// the outcome on it.
func (c *Console) VerifyJournalInBackground() {
	go func() {
		check, err := c.M.VerifyJournal(bg)
		deliverCheck(func() { c.SetJournalCheck(check, err) })
	}()
}

// SetJournalCheck records the outcome of a chain check and shows it: a red
// banner when the chain is broken or could not be read, a line in the
// status bar when it holds.
func (c *Console) SetJournalCheck(check data.JournalCheck, err error) {
	c.journal, c.journalErr, c.journalChecked = check, err, true
	c.showJournalCheck()
	if c.journalView != nil {
		c.showChainStatus(c.journalView)
	}
}

// JournalWarning is the banner's text ("" when the chain holds or has not
// been checked yet).
func (c *Console) JournalWarning() string {
	switch {
	case !c.journalChecked:
		return ""
	case c.journalErr != nil:
		return T("The journal of changes could not be checked: {{.Err}}", map[string]any{"Err": c.text(c.journalErr)})
	case !c.journal.OK():
		return T("The journal of changes is broken: {{.Problem}}. This mirror was changed outside Kapok; do not rely on it before it is examined (kapok journal verify).",
			map[string]any{"Problem": c.text(c.journal.Fault)})
	}
	return ""
}

// showJournalCheck puts the outcome into the window built by Build.
func (c *Console) showJournalCheck() {
	if c.JournalBanner == nil {
		return
	}
	warning := c.JournalWarning()
	if warning == "" {
		c.JournalBanner.Hide()
		c.updateStatus()
		return
	}
	text := widget.NewLabel(warning)
	text.Wrapping = fyne.TextWrapWord
	text.Importance = widget.DangerImportance
	text.TextStyle = fyne.TextStyle{Bold: true}
	back := canvas.NewRectangle(color.NRGBA{220, 0, 0, 36})
	c.JournalBanner.Objects = []fyne.CanvasObject{container.NewStack(back,
		container.NewBorder(nil, nil, widget.NewIcon(theme.ErrorIcon()), nil, text))}
	c.JournalBanner.Show()
	c.JournalBanner.Refresh()
}
