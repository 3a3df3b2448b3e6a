package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/mirror"
)

// ConflictsDialog lists this console's changes that sync rejected (another
// console's change arrived first and made them no longer valid), newest
// first: what each was, its author and time, and why it was rejected, in
// the console's language. Its author marks one resolved once they have
// done again what still needed doing; the others' are greyed, saying whose
// they are. It opens by itself after a sync that brought the person at the
// console a new conflict, and from the count in the status bar.
type ConflictsDialog struct {
	c     *Console
	Rows  []*ConflictRow
	List  *fyne.Container
	Empty *widget.Label
	Msg   *widget.Label // a refusal or an error, at the foot
	dlg   dialog.Dialog
}

// ConflictRow is one rejected change in the dialog.
type ConflictRow struct {
	Conflict mirror.SyncOutcome
	Title    *widget.Label // kind and subject
	About    *widget.Label // author and time
	Reason   *widget.Label // the refusal, in the console's language
	Resolve  *widget.Button
	Note     *widget.Label // whose it is, when not the user's
}

// Conflicts is the conflicts dialog on show (nil when none is).
func (c *Console) Conflicts() *ConflictsDialog { return c.Sync.dialog }

// OpenConflicts shows the conflicts dialog, or reads it again when it is
// on show.
func (c *Console) OpenConflicts() {
	if d := c.Sync.dialog; d != nil {
		d.reload()
		return
	}
	d := &ConflictsDialog{c: c, List: container.NewVBox(), Empty: widget.NewLabel(T("No conflicts to resolve.")), Msg: widget.NewLabel("")}
	d.Msg.Importance = widget.DangerImportance
	d.Msg.Wrapping = fyne.TextWrapWord
	d.Msg.Hide()
	intro := widget.NewLabel(T("These changes of this console were rejected at sync: another console's change arrived first. " +
		"Do again what still needs doing, then mark them resolved."))
	intro.Wrapping = fyne.TextWrapWord
	d.reload()
	content := container.NewBorder(intro, d.Msg, nil, nil, container.NewVScroll(container.NewVBox(d.Empty, d.List)))
	d.dlg = dialog.NewCustom(T("Sync conflicts"), T("Close"), c.sensed(content), c.Win)
	showTracked(d.dlg, &c.Sync.dialog, d, fyne.NewSize(820, 520))
}

// reload reads the conflicts again.
func (d *ConflictsDialog) reload() {
	c := d.c
	list, err := c.M.SyncConflicts(bg, conflictLimit)
	if err != nil {
		d.say(err)
		return
	}
	d.Rows = d.Rows[:0]
	d.List.RemoveAll()
	for _, o := range list {
		r := d.row(o)
		d.Rows = append(d.Rows, r)
		d.List.Add(container.NewBorder(nil, nil, nil, container.NewVBox(r.Resolve),
			container.NewVBox(r.Title, r.About, r.Reason, r.Note)))
		d.List.Add(widget.NewSeparator())
	}
	if len(list) == 0 {
		d.Empty.Show()
	} else {
		d.Empty.Hide()
	}
}

func (d *ConflictsDialog) row(o mirror.SyncOutcome) *ConflictRow {
	c := d.c
	r := &ConflictRow{Conflict: o,
		Title: widget.NewLabelWithStyle(kindName(o.Kind)+" · "+o.Subject, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		About: widget.NewLabel(T("by {{.Author}} at {{.At}}", map[string]any{"Author": o.Actor,
			"At": o.At.In(beijing).Format("2006-01-02 15:04")})),
		Reason: widget.NewLabel(T("no reason recorded")),
		Note:   widget.NewLabel(""),
	}
	if o.Refusal != nil {
		r.Reason.SetText(c.text(o.Refusal))
	}
	r.Reason.Wrapping = fyne.TextWrapWord
	r.Reason.Importance = widget.WarningImportance
	r.Resolve = widget.NewButton(T("Mark resolved"), func() { d.resolve(o.EntryID) })
	r.Note.Hide()
	if o.Actor != c.User || !c.may(data.ActSyncResolve) {
		r.Resolve.Disable()
		r.Note.SetText(c.text(data.Refuse(data.CodeConflictNotYours, "entry",
			data.Value("entry", o.EntryID), data.Value("author", o.Actor))))
		r.Note.Wrapping = fyne.TextWrapWord
		r.Note.Show()
		for _, l := range []*widget.Label{r.Title, r.About, r.Reason, r.Note} {
			l.Importance = widget.LowImportance
		}
	}
	return r
}

// resolve marks one conflict resolved as the person at the console; a
// refusal shows at the dialog's foot.
func (d *ConflictsDialog) resolve(entryID string) {
	c := d.c
	if err := c.M.ResolveConflict(bg, entryID, c.User, c.Now()); err != nil {
		d.say(err)
		return
	}
	d.Msg.Hide()
	d.reload()
	c.refreshSyncState()
}

func (d *ConflictsDialog) say(err error) {
	d.Msg.SetText(d.c.text(err))
	d.Msg.Show()
}
