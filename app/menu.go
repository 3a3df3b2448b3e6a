package app

import "fyne.io/fyne/v2"

// mainMenu is the window's menu bar, made again with the window's content
// (a change of language). Fyne adds Quit to the first menu by itself, its
// label through lang.L("Quit"): our translations carry it, as the locale
// matcher picks our zh-CN over Fyne's own zh-Hans.
func (c *Console) mainMenu() *fyne.MainMenu {
	file := fyne.NewMenu(T("File menu"),
		fyne.NewMenuItem(T("Export map view as PNG…"), c.ExportMapView),
		fyne.NewMenuItem(T("Briefing…"), c.OpenBriefingDialog),
	)
	// Further menus (Help) go after File.
	return fyne.NewMainMenu(file)
}
