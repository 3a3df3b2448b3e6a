package app

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// The changes the Innovation tab makes, each through the store's one path
// (mirror.MoveProject, AddMilestone, DoneMilestone, ScoreEntry) as the
// console's user: the controls show only where the role permits
// (project.edit, contest.judge) and never in replay; a refusal shows in
// the dialog, in the console's language, and the dialog stays open.

// moveTargets are the stages a project at stage s may be moved to: the
// next one, and stopped before the last.
func moveTargets(s data.Stage) []data.Stage {
	var out []data.Stage
	if n := data.NextStage(s); n != "" {
		out = append(out, n)
	}
	if s != data.StageRolledOut && s != data.StageStopped && s != "" {
		out = append(out, data.StageStopped)
	}
	return out
}

// innovationDialog shows a form with OK and Cancel: OK runs ok, which
// closes the dialog and reads the tab again, or shows its refusal.
func (c *Console) innovationDialog(title string, form *widget.Form, ok func() error) dialog.Dialog {
	o := newOutcome()
	var dlg dialog.Dialog
	okBtn := widget.NewButton(T("OK"), func() {
		if err := ok(); err != nil {
			o.refused(c.text(err))
			// Room for the refusal: drawn over the form otherwise.
			dlg.Resize(fyne.NewSize(max(460, dlg.MinSize().Width), dlg.MinSize().Height))
			return
		}
		dlg.Hide()
		c.RefreshInnovation()
	})
	okBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(T("Cancel"), func() { dlg.Hide() })
	foot := container.NewVBox(o.Error, container.NewHBox(layout.NewSpacer(), cancel, okBtn))
	dlg = dialog.NewCustomWithoutButtons(title, c.sensed(container.NewBorder(nil, foot, nil, nil, form)), c.Win)
	dlg.Show()
	dlg.Resize(fyne.NewSize(460, dlg.MinSize().Height))
	return dlg
}

// OpenMoveProject asks for the chosen project's next stage (or a stop,
// with its reason) and moves it.
func (c *Console) OpenMoveProject() {
	t := c.Innovation()
	if c.refuseInReplay() || t.project.Key == "" {
		return
	}
	targets := moveTargets(t.project.Stage)
	names := make([]string, len(targets))
	for i, s := range targets {
		names[i] = T(s.Term())
	}
	to := newSelect(names, nil)
	if len(names) > 0 {
		to.SetSelected(names[0])
	}
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder(T("Why the project is stopped"))
	reason.SetMinRowsVisible(2)
	form := widget.NewForm(widget.NewFormItem(T("Project"), widget.NewLabel(t.project.Title)),
		widget.NewFormItem(T("From"), widget.NewLabel(T(t.project.Stage.Term()))),
		widget.NewFormItem(T("To"), to), widget.NewFormItem(T("Reason"), reason))
	c.innovationDialog(T("Move the project's stage"), form, func() error {
		i := slices.Index(names, to.Selected)
		if i < 0 {
			return nil
		}
		return c.MoveProject(targets[i], reason.Text)
	})
}

// MoveProject moves the chosen project to a stage (a stop with its
// reason) as the console's user; the tab is read again after a move.
func (c *Console) MoveProject(to data.Stage, reason string) error {
	t := c.Innovation()
	if c.refuseInReplay() {
		return nil
	}
	if _, err := c.M.MoveProject(bg, t.project.Key, to, reason, c.User, c.Now()); err != nil {
		return err
	}
	c.RefreshInnovation()
	return nil
}

// OpenAddMilestone asks for a milestone of the chosen project: its title
// and due date (a day in Beijing, due by its end).
func (c *Console) OpenAddMilestone() {
	t := c.Innovation()
	if c.refuseInReplay() || t.project.Key == "" {
		return
	}
	title := widget.NewEntry()
	due := widget.NewEntry()
	due.SetPlaceHolder("YYYY-MM-DD")
	due.SetText(c.Now().In(beijing).AddDate(0, 1, 0).Format("2006-01-02"))
	form := widget.NewForm(widget.NewFormItem(T("Project"), widget.NewLabel(t.project.Title)),
		widget.NewFormItem(T("Milestone"), title), widget.NewFormItem(T("Due"), due))
	c.innovationDialog(T("Add a milestone"), form, func() error {
		day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(due.Text), beijing)
		if err != nil {
			day = time.Time{} // the store refuses a milestone without a due date
		} else {
			day = day.AddDate(0, 0, 1).Add(-time.Second)
		}
		return c.AddMilestone(title.Text, day)
	})
}

// AddMilestone gives the chosen project a milestone as the console's user.
func (c *Console) AddMilestone(title string, due time.Time) error {
	if c.refuseInReplay() {
		return nil
	}
	if _, err := c.M.AddMilestone(bg, c.Innovation().project.Key, title, due, c.User, c.Now()); err != nil {
		return err
	}
	c.RefreshInnovation()
	return nil
}

// MarkMilestoneDone marks a milestone of the chosen project done now; a
// refusal shows in a dialog.
func (c *Console) MarkMilestoneDone(id int64) {
	if c.refuseInReplay() {
		return
	}
	if err := c.M.DoneMilestone(bg, c.Innovation().project.Key, id, c.User, c.Now()); err != nil {
		c.showError(err)
		return
	}
	c.RefreshInnovation()
}
