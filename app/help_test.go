package app

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// overlayTexts are the texts of the labels in the window's top overlay (an
// open dialog).
func overlayTexts(c *Console) []string {
	top := c.Win.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	var out []string
	find(top, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
		return false
	})
	return out
}

// Help is the last menu: the shortcuts, the user guide, About, each doing
// something.
func TestHelpMenu(t *testing.T) {
	c := newTestConsole(t, "leader")
	items := c.Win.MainMenu().Items
	help := items[len(items)-1]
	if help.Label != "Help" || !slices.Equal(menuLabels(help), []string{"Keyboard and mouse shortcuts  (F1)", "User guide", "", "About Kapok"}) {
		t.Fatalf("menu %q: %q", help.Label, menuLabels(help))
	}
	for _, it := range help.Items {
		if !it.IsSeparator && it.Action == nil {
			t.Errorf("%q does nothing", it.Label)
		}
	}
	help.Items[3].Action()
	if c.help.about == nil {
		t.Fatal("Help ▸ About opened nothing")
	}
}

// F1 opens the shortcuts: from the window when nothing has the focus, and
// from the map when it has; pressing it again does not stack a second one.
func TestF1OpensShortcuts(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	if c.help.shortcuts == nil || !slices.Contains(overlayTexts(c), "Zoom about the pointer") {
		t.Fatalf("F1 showed %q", overlayTexts(c))
	}
	c.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	if n := len(c.Win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("F1 twice: %d overlays", n)
	}
	c.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.help.shortcuts != nil || len(c.Win.Canvas().Overlays().List()) != 0 {
		t.Fatal("Esc left the shortcuts open")
	}
	c.Win.Canvas().Focus(c.Map)
	c.Win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF1})
	if c.help.shortcuts == nil {
		t.Fatal("F1 on the map opened nothing")
	}
	// Esc where the keys go now: the map if it kept the focus, else the window.
	if f := c.Win.Canvas().Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	} else {
		c.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	}
	if c.help.shortcuts != nil {
		t.Fatal("Esc on the map left the shortcuts open")
	}
}

// The map's keys do what the shortcuts say: + and = zoom in, - out, the
// arrows pan a fifth of the view, Esc stops picking a point.
func TestShortcutsListedAreReal(t *testing.T) {
	c := newTestConsole(t, "leader")
	z := c.Map.View().Zoom
	for _, r := range []rune{'+', '='} {
		c.Map.TypedRune(r)
		if got := c.Map.View().Zoom; got != z+1 {
			t.Fatalf("%q: zoom %.1f, want %.1f", r, got, z+1)
		}
		z++
	}
	c.Map.TypedRune('-')
	if got := c.Map.View().Zoom; got != z-1 {
		t.Fatalf("-: zoom %.1f, want %.1f", got, z-1)
	}
	v := c.Map.View()
	c.Map.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	x0, _ := v.ToScreen(c.Map.View().Center)
	if want := float64(v.PixelWidth())/2 + float64(v.PixelWidth())/5; abs64(x0-want) > 1 {
		t.Fatalf("→ moved the centre to x=%.1f of the old view, want %.1f", x0, want)
	}
	c.StartReport()
	if !c.picking {
		t.Fatal("no point being picked")
	}
	c.Map.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.picking {
		t.Fatal("Esc did not stop picking a point")
	}
	// Every line of the list says something, translated.
	for _, g := range shortcutGroups() {
		for _, s := range g.items {
			if s.keys == "" || s.does == "" {
				t.Errorf("%s: empty line %+v", g.title, s)
			}
		}
	}
}

func abs64(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// The guide is looked for installed first, then in the docs/ folder of a
// checkout beside or above the executable, in the console's language
// before the other.
func TestGuideLookupOrder(t *testing.T) {
	root := t.TempDir()
	installed := filepath.Join(root, "usr/share/doc/kapok")
	checkout := filepath.Join(root, "src/kapok")
	exe := filepath.Join(checkout, "bin/kapok")
	put := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("# guide\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name    string
		files   []string // under root
		chinese bool
		want    string // under root, "" for none
	}{
		{"installed wins", []string{"usr/share/doc/kapok/USER-GUIDE.md", "src/kapok/docs/USER-GUIDE.md"}, true, "usr/share/doc/kapok/USER-GUIDE.md"},
		{"installed, in English", []string{"usr/share/doc/kapok/USER-GUIDE.md", "usr/share/doc/kapok/USER-GUIDE.en.md"}, false, "usr/share/doc/kapok/USER-GUIDE.en.md"},
		{"checkout above the executable", []string{"src/kapok/docs/USER-GUIDE.md"}, true, "src/kapok/docs/USER-GUIDE.md"},
		{"checkout beside the executable", []string{"src/kapok/bin/docs/USER-GUIDE.en.md", "src/kapok/docs/USER-GUIDE.en.md"}, false, "src/kapok/bin/docs/USER-GUIDE.en.md"},
		{"the language before the place", []string{"usr/share/doc/kapok/USER-GUIDE.md", "src/kapok/docs/USER-GUIDE.en.md"}, false, "src/kapok/docs/USER-GUIDE.en.md"},
		{"the other language at last", []string{"src/kapok/docs/USER-GUIDE.md"}, false, "src/kapok/docs/USER-GUIDE.md"},
		{"a folder is not a guide", []string{"src/kapok/docs/USER-GUIDE.md/x"}, true, ""},
		{"none", nil, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.RemoveAll(root); err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.files {
				put(filepath.Join(root, f))
			}
			got := findGuide(guidePaths([]string{installed}, exe, tc.chinese))
			want := ""
			if tc.want != "" {
				want = filepath.Join(root, tc.want)
			}
			if got != want {
				t.Fatalf("found %q, want %q", got, want)
			}
		})
	}
	paths := guidePaths([]string{installed}, exe, true)
	if paths[0] != filepath.Join(installed, "USER-GUIDE.md") || paths[1] != filepath.Join(checkout, "bin/docs/USER-GUIDE.md") ||
		paths[2] != filepath.Join(checkout, "docs/USER-GUIDE.md") || !strings.HasSuffix(paths[len(paths)-1], "/docs/USER-GUIDE.en.md") {
		t.Fatalf("order %q", paths)
	}
}

// User guide opens the file found through the desktop (a file:// URL), or
// says where it looked.
func TestOpenUserGuide(t *testing.T) {
	c := newTestConsole(t, "leader")
	dir := t.TempDir()
	oldDirs, oldExe, oldOpen := guideDirs, executable, openURL
	t.Cleanup(func() { guideDirs, executable, openURL = oldDirs, oldExe, oldOpen })
	guideDirs = []string{filepath.Join(dir, "installed")}
	executable = func() string { return filepath.Join(dir, "src/bin/kapok") }
	var opened []string
	openURL = func(u *url.URL) error { opened = append(opened, u.String()); return nil }

	c.OpenUserGuide()
	if len(opened) != 0 || c.help.guideMissing == nil {
		t.Fatalf("no guide anywhere: opened %q", opened)
	}
	text := strings.Join(overlayTexts(c), "\n")
	for _, d := range []string{filepath.Join(dir, "installed"), filepath.Join(dir, "src/bin/docs"), filepath.Join(dir, "src/docs")} {
		if !strings.Contains(text, d+"\n") {
			t.Errorf("the dialog does not say it looked in %s:\n%s", d, text)
		}
	}
	c.help.guideMissing.Hide()

	guide := filepath.Join(dir, "src/docs/USER-GUIDE.en.md")
	if err := os.MkdirAll(filepath.Dir(guide), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(guide, []byte("# Guide\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.OpenUserGuide()
	if len(opened) != 1 || opened[0] != "file://"+filepath.ToSlash(guide) {
		t.Fatalf("opened %q, want the English guide %s", opened, guide)
	}
}
