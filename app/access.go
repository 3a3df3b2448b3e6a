package app

import (
	"fyne.io/fyne/v2"

	"kapok/data"
)

// Who may do what (issue 13). The console offers only the controls of the
// actions the user's role permits (data.Permissions): the others are
// hidden, never shown disabled, so that a console looks the same for
// everyone of a role and nobody is shown a button that would only be
// refused. The store refuses them anyway (mirror.permitted): hiding is for
// the person at the console, not the check.

// may reports whether the console's user may take an action.
//
// While replaying (replay.go) only reading is: the console shows then.
func (c *Console) may(a data.Action) bool {
	if c.replay != nil && !readOnlyActions[a] {
		return false
	}
	return !c.user.Disabled && c.user.Role.Permits(a)
}

// showIf shows a control when its action is permitted and hides it when
// not.
func (c *Console) showIf(o fyne.CanvasObject, a data.Action) {
	if c.may(a) {
		o.Show()
	} else {
		o.Hide()
	}
}

// phone is a phone number (or a reporter's contact) as the user may see
// it: whole with the contact permission, else masked (data.MaskPhone).
func (c *Console) phone(s string) string { return c.user.ShowPhone(s) }

// action is the permission a case step needs, as the store checks it
// (mirror's stepAction): feeding back is the grid's, approving an
// extension the leadership's, every other step the command post's.
func (s caseStep) action() data.Action {
	switch {
	case s.kind == "extend":
		return data.ActCaseExtend
	case s.kind == "move" && s.to == data.EventFedBack:
		return data.ActCaseFeedback
	}
	return data.ActCaseHandle
}
