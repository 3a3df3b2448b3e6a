package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// The leave and duty roster dialogs share their frame: a form over the
// list of what is kept (each entry with its button), and at the foot the
// outcome of the last step over Close. The form comes first, since the
// list grows and shrinks, and the outcome stays at the foot: nothing moves
// what is under the pointer.

// Outcome is a dialog's last step as its foot shows it.
type Outcome struct {
	Error *widget.Label // a refusal, in red
	Done  *widget.Label // what the last step did
}

func newOutcome() Outcome {
	o := Outcome{Error: widget.NewLabel(""), Done: widget.NewLabel("")}
	o.Error.Importance = widget.DangerImportance
	o.Error.Wrapping = fyne.TextWrapWord
	o.Error.Hide()
	o.Done.Wrapping = fyne.TextWrapWord
	o.Done.Hide()
	return o
}

// refused shows a refusal (in the console's language) in place of what
// was done last.
func (o Outcome) refused(text string) {
	o.Done.Hide()
	o.Error.SetText(text)
	o.Error.Show()
}

// did shows what a step did in place of a refusal.
func (o Outcome) did(text string) {
	o.Error.Hide()
	o.Done.SetText(text)
	o.Done.Show()
}

// listDialog shows a dialog of a form over a list under its heading, with
// the outcome and Close at its foot; closed runs when it closes.
func (c *Console) listDialog(title string, form fyne.CanvasObject, heading string, list fyne.CanvasObject, o Outcome, size fyne.Size, closed func()) dialog.Dialog {
	body := container.NewVBox(form, widget.NewSeparator(), widget.NewLabelWithStyle(heading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), list)
	var dlg dialog.Dialog
	closeBtn := widget.NewButton(T("Close"), func() { dlg.Hide() })
	foot := container.NewVBox(o.Error, o.Done, container.NewHBox(layout.NewSpacer(), closeBtn))
	dlg = dialog.NewCustomWithoutButtons(title, c.sensed(container.NewBorder(nil, foot, nil, nil, container.NewVScroll(body))), c.Win)
	dlg.SetOnClosed(closed)
	dlg.Show()
	dlg.Resize(size) // after Show: before, the dialog keeps its minimum size
	return dlg
}
