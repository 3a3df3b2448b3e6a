package app

import (
	"fyne.io/fyne/v2"

	"kapok/data"
)

// mainMenu is the window's menu bar, made again with the window's content
// (a change of language). Fyne adds Quit to the first menu by itself, its
// label through lang.L("Quit"): our translations carry it, as the locale
// matcher picks our zh-CN over Fyne's own zh-Hans.
//
// An item the user's role does not permit is left out, as the toolbar's
// button is hidden.
func (c *Console) mainMenu() *fyne.MainMenu {
	file := fyne.NewMenu(T("File menu"), fyne.NewMenuItem(T("Export map view as PNG…"), c.ExportMapView))
	if c.may(data.ActBrief) {
		file.Items = append(file.Items, fyne.NewMenuItem(T("Briefing…"), c.OpenBriefingDialog))
	}
	file.Items = append(file.Items, c.syncMenuItem())
	menus := []*fyne.Menu{file}
	view := fyne.NewMenu(T("View menu"))
	if c.may(data.ActJournalView) {
		view.Items = append(view.Items, fyne.NewMenuItem(T("Journal of changes…"), c.OpenJournalViewer))
	}
	view.Items = append(view.Items, c.replayMenuItem())
	menus = append(menus, view, c.helpMenu())
	return fyne.NewMainMenu(menus...)
}
