package app

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"kapok/app/msg"
)

// helpDialogs are the Help menu's dialogs while they are open (tests look
// at them).
type helpDialogs struct {
	shortcuts    dialog.Dialog
	about        dialog.Dialog
	guideMissing dialog.Dialog
}

// helpMenu is Help ▸ Keyboard and mouse shortcuts (F1), User guide, About.
func (c *Console) helpMenu() *fyne.Menu {
	return fyne.NewMenu(T("Help menu"),
		fyne.NewMenuItem(T("Keyboard and mouse shortcuts")+"  (F1)", c.ShowShortcuts),
		fyne.NewMenuItem(T("User guide"), c.OpenUserGuide),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(T("About Kapok"), c.ShowAbout))
}

// listenForHelp opens the shortcuts on F1: from the window when nothing
// has the keyboard's focus, from the map when it has (a text field being
// typed in keeps F1 to itself); Esc closes them, or About.
func (c *Console) listenForHelp() {
	c.Win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
		switch e.Name {
		case fyne.KeyF1:
			c.ShowShortcuts()
		case fyne.KeyEscape:
			c.closeHelp()
		}
	})
	c.Map.OnHelp = c.ShowShortcuts
}

// closeHelp closes the shortcuts or About, whichever is open; it tells
// whether one was.
func (c *Console) closeHelp() bool {
	for _, d := range []dialog.Dialog{c.help.shortcuts, c.help.about} {
		if d != nil {
			d.Hide()
			return true
		}
	}
	return false
}

// shortcut is one line of the shortcuts dialog: the key or gesture and
// what it does (both translated).
type shortcut struct{ keys, does string }

// shortcutGroups are the console's shortcuts and gestures, as its widgets
// implement them (mapinput.go, menu.go, panels.go, board.go, replaybar.go,
// login.go): only what exists.
func shortcutGroups() []struct {
	title string
	items []shortcut
} {
	return []struct {
		title string
		items []shortcut
	}{
		{T("Map: mouse"), []shortcut{
			{T("Drag"), T("Pan the map (Pan tool)")},
			{T("Drag"), T("Select the grids in a rectangle or a free shape (Rectangle, Lasso tools)")},
			{T("Shift + drag"), T("Add the grids in the rectangle or shape to the selection")},
			{T("Wheel"), T("Zoom about the pointer")},
			{T("Double-click"), T("Zoom in one level")},
			{T("Click"), T("Select the grid under the pointer and show its details; a case marker opens the case; empty ground clears the selection")},
			{T("Shift + click"), T("Add the grid to the selection, or take it out")},
			{T("Hover"), T("The code, name and status of what is under the pointer")},
		}},
		{T("Map: keyboard (click the map first)"), []shortcut{
			{"←  →  ↑  ↓", T("Pan by a fifth of the view")},
			{"+  =", T("Zoom in one level")},
			{"-", T("Zoom out one level")},
			{"Esc", T("Stop picking a point for a new case")},
		}},
		{T("Elsewhere"), []shortcut{
			{"F1", T("This list (not while typing in a text field)")},
			{T("Enter in Search"), T("Choose the first result")},
			{T("Click a column's title"), T("Sort the status board by it")},
			{T("Enter in the replay's moment"), T("Go to the moment typed")},
			{T("Enter in the password"), T("Log in, or unlock the console")},
			{"Tab  Shift+Tab", T("Move to the next or previous field")},
		}},
	}
}

// ShowShortcuts opens the list of keyboard and mouse shortcuts (Help menu,
// F1).
func (c *Console) ShowShortcuts() {
	if c.help.shortcuts != nil {
		return // already open
	}
	rows := container.NewVBox()
	for _, g := range shortcutGroups() {
		rows.Add(widget.NewLabelWithStyle(g.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid := container.New(&shortcutLayout{keyWidth: 190})
		for _, s := range g.items {
			k := widget.NewLabelWithStyle(s.keys, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			d := widget.NewLabel(s.does)
			d.Wrapping = fyne.TextWrapWord
			grid.Add(k)
			grid.Add(d)
		}
		rows.Add(grid)
	}
	scroll := container.NewVScroll(rows)
	scroll.SetMinSize(fyne.NewSize(680, min(800, c.Win.Canvas().Size().Height-160)))
	dlg := dialog.NewCustom(T("Keyboard and mouse shortcuts"), T("Close"), scroll, c.Win)
	dlg.SetOnClosed(func() { c.help.shortcuts = nil })
	c.help.shortcuts = dlg
	dlg.Show()
}

// shortcutLayout lays pairs of objects as rows: the key in a column of
// fixed width, what it does taking the rest and as many lines as it needs.
type shortcutLayout struct{ keyWidth float32 }

func (l *shortcutLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		k, d := objs[i], objs[i+1]
		dw := max(size.Width-l.keyWidth, 0)
		d.Resize(fyne.NewSize(dw, d.MinSize().Height))
		h := max(k.MinSize().Height, d.MinSize().Height)
		k.Move(fyne.NewPos(0, y))
		k.Resize(fyne.NewSize(l.keyWidth, k.MinSize().Height))
		d.Move(fyne.NewPos(l.keyWidth, y))
		d.Resize(fyne.NewSize(dw, h))
		y += h
	}
}

func (l *shortcutLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
	}
	return fyne.NewSize(l.keyWidth+200, h)
}

// ---- the user guide ----

// guideDirs are where a package installs the guide.
var guideDirs = []string{"/usr/share/doc/kapok"}

// guideName is the guide's file in a language: USER-GUIDE.md in Chinese,
// USER-GUIDE.en.md in English.
func guideName(chinese bool) string {
	if chinese {
		return "USER-GUIDE.md"
	}
	return "USER-GUIDE.en.md"
}

// guidePaths are where the guide is looked for, in order: the installed
// copy, then the docs/ folder of a source checkout beside or above the
// executable (its folder, its parent, … up to the root); the guide in the
// console's language first, then in the other.
func guidePaths(installed []string, exe string, chinese bool) []string {
	var out []string
	for _, zh := range []bool{chinese, !chinese} {
		name := guideName(zh)
		for _, d := range installed {
			out = append(out, filepath.Join(d, name))
		}
		if exe == "" {
			continue
		}
		for dir := filepath.Dir(exe); ; {
			out = append(out, filepath.Join(dir, "docs", name))
			up := filepath.Dir(dir)
			if up == dir {
				break
			}
			dir = up
		}
	}
	return out
}

// findGuide is the first of paths that is a file, or "".
func findGuide(paths []string) string {
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// executable is the running program's file, links resolved ("" when
// unknown).
var executable = func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		return real
	}
	return exe
}

// openURL hands a URL to the desktop (tests replace it).
var openURL = func(u *url.URL) error { return fyne.CurrentApp().OpenURL(u) }

// OpenUserGuide opens the user guide in the desktop's viewer for Markdown,
// or says where it was looked for.
func (c *Console) OpenUserGuide() {
	paths := guidePaths(guideDirs, executable(), msg.FromEnv() == msg.Chinese)
	if p := findGuide(paths); p != "" {
		u := &url.URL{Scheme: "file", Path: filepath.ToSlash(p)}
		if err := openURL(u); err != nil {
			c.showError(err)
		}
		return
	}
	// Only the folders, once each, in the order looked in.
	var where []string
	seen := map[string]bool{}
	for _, p := range paths {
		if d := filepath.Dir(p); !seen[d] {
			seen[d] = true
			where = append(where, d)
		}
	}
	text := widget.NewLabel(T("The user guide ({{.Zh}} or {{.En}}) was not found. Looked in:", map[string]any{
		"Zh": guideName(true), "En": guideName(false)}) + "\n" + strings.Join(where, "\n"))
	text.Wrapping = fyne.TextWrapWord
	dlg := dialog.NewCustom(T("User guide"), T("Close"), container.NewVScroll(text), c.Win)
	dlg.Resize(fyne.NewSize(620, 360))
	dlg.SetOnClosed(func() { c.help.guideMissing = nil })
	c.help.guideMissing = dlg
	dlg.Show()
}
