package app

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// briefingHome gives the test a home folder with a Documents folder and a
// config folder of its own (the signing key goes under it); it returns the
// Documents folder.
func briefingHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	return docs
}

// The dialog's defaults: the whole city when nothing is chosen, else the
// region chosen in the tree (a grid standing for its community); the
// console's language; a file named by the region, the word for briefing
// in the language chosen and the console's Beijing time, in Documents
// (the desktop's localised documents folder when it names one). A change
// of language renames the file unless the name was typed over.
func TestBriefingDialogDefaults(t *testing.T) {
	docs := briefingHome(t)
	c := newTestConsole(t, "leader")
	test.Tap(find(c.Win.Content(), func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && b.Text == "Briefing…"
	}).(*widget.Button))
	d := c.Briefing()
	if d == nil {
		t.Fatal("the toolbar's Briefing… opened nothing")
	}
	if d.Region != "" || d.RegionLabel.Text != "测试市 (the whole city)" || d.Lang.Selected != "English" ||
		d.Folder.Text != docs || d.Name.Text != "Ceshi-briefing-20261125-1000.pdf" || d.Classification.Text != "" {
		t.Fatalf("defaults: region %q %q, %s, %s / %s, %q", d.Region, d.RegionLabel.Text, d.Lang.Selected, d.Folder.Text, d.Name.Text, d.Classification.Text)
	}
	d.Lang.SetSelected("中文")
	if d.Name.Text != "测试市-态势简报-20261125-1000.pdf" {
		t.Fatalf("in Chinese the file is %q", d.Name.Text)
	}
	d.dlg.Hide()
	if c.Briefing() != nil {
		t.Fatal("the closed dialog is still on show")
	}

	c.Tree.OpenBranch("9901")
	c.Tree.OpenBranch("990102")
	c.Tree.Select("990102001")
	c.OpenBriefingDialog()
	d = c.Briefing()
	if d.Region != "990102001" || d.RegionLabel.Text != "南镇 (990102001)" || d.Name.Text != "Nanzhen-briefing-20261125-1000.pdf" {
		t.Fatalf("street chosen: %q %q %q", d.Region, d.RegionLabel.Text, d.Name.Text)
	}
	d.Name.SetText("mine.pdf")
	d.Lang.SetSelected("中文")
	if d.Name.Text != "mine.pdf" || d.Out() != filepath.Join(docs, "mine.pdf") {
		t.Fatalf("a name typed was replaced: %q", d.Name.Text)
	}
	d.Name.SetText("mine")
	if d.Out() != filepath.Join(docs, "mine.pdf") {
		t.Fatalf("out %q", d.Out())
	}
	d.dlg.Hide()

	c.Choose("990102001201001")
	c.OpenBriefingDialog()
	if d = c.Briefing(); d.Region != "990102001201" {
		t.Fatalf("a grid chosen briefs %q, not its community", d.Region)
	}
	d.dlg.Hide()

	// The console in Chinese briefs in Chinese; a localised documents
	// folder named by the desktop is the default.
	t.Cleanup(func() { UseLanguage("en") })
	UseLanguage("zh-CN")
	wendang := filepath.Join(filepath.Dir(docs), "文档")
	if err := os.Mkdir(wendang, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("# xdg-user-dirs\nXDG_DOCUMENTS_DIR=\"$HOME/文档\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.SelectGrids(nil, false)
	c.OpenBriefingDialog()
	d = c.Briefing()
	if d.Lang.Selected != "中文" || d.Folder.Text != wendang || d.Name.Text != "测试市-态势简报-20261125-1000.pdf" ||
		d.RegionLabel.Text != "测试市（全市）" {
		t.Fatalf("in Chinese: %s, %s / %s, %q", d.Lang.Selected, d.Folder.Text, d.Name.Text, d.RegionLabel.Text)
	}
}

// A briefing that cannot be made says why at the dialog's foot, keeps
// what was typed, writes nothing and lets the user try again; an empty
// file name and a missing folder are asked about, and an existing file is
// replaced only when the user says so.
func TestBriefingFailureLeavesNoFile(t *testing.T) {
	docs := briefingHome(t)
	c := newTestConsole(t, "leader")
	c.OpenBriefingDialog()
	d := c.Briefing()
	d.Name.SetText("  ")
	test.Tap(d.Make)
	if !d.Error.Visible() || d.Error.Text != "Give the briefing a file name." {
		t.Fatalf("empty name: %q", d.Error.Text)
	}
	missing := filepath.Join(docs, "no such folder")
	d.Folder.SetText(missing)
	d.Name.SetText("b.pdf")
	test.Tap(d.Make)
	if d.Error.Text != "There is no folder "+missing+"." || d.err != nil {
		t.Fatalf("missing folder: %q", d.Error.Text)
	}
	// A file of the name is there: nothing runs until the user says to
	// replace it.
	d.Folder.SetText(docs)
	kept := filepath.Join(docs, "b.pdf")
	if err := os.WriteFile(kept, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	test.Tap(d.Make)
	if top := c.Win.Canvas().Overlays().Top(); d.cancel != nil || d.Make.Disabled() || top == nil || find(top, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Text == kept+" exists. Replace it?"
	}) == nil {
		t.Fatal("an existing file is not asked about before it is replaced")
	}
	if b, _ := os.ReadFile(kept); string(b) != "mine" {
		t.Fatalf("the existing file became %q", b)
	}
	if err := os.Remove(kept); err != nil {
		t.Fatal(err)
	}
	// /proc takes no file, not even from root.
	d.Folder.SetText("/proc")
	d.Classification.SetText("绝密")
	test.Tap(d.Make)
	if d.err == nil || !d.Error.Visible() || d.Error.Importance != widget.DangerImportance || d.Error.Text != c.text(d.err) || d.Status.Visible() {
		t.Fatalf("failure shown as %q (%v)", d.Error.Text, d.err)
	}
	if c.Briefing() != d || d.Made != nil || d.Make.Disabled() || d.Name.Disabled() || d.Progress.Visible() ||
		d.Classification.Text != "绝密" || d.Folder.Text != "/proc" {
		t.Fatal("after a failure the dialog is not as it was")
	}
	for _, p := range []string{"/proc/b.pdf", "/proc/b.pdf.sig", "/proc/b.pdf.partial"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if entries, _ := os.ReadDir(docs); len(entries) != 0 {
		t.Fatalf("left in Documents: %v", entries)
	}
}

// Cancel while the maker runs cancels its context: the dialog says no
// briefing was written, and none was.
func TestBriefingCancel(t *testing.T) {
	docs := briefingHome(t)
	c := newTestConsole(t, "leader")
	var work func()
	saved := background
	background = func(w func()) { work = w }
	t.Cleanup(func() { background = saved })
	c.OpenBriefingDialog()
	d := c.Briefing()
	test.Tap(d.Make)
	if work == nil || !d.Make.Disabled() || !d.Folder.Disabled() || !d.Progress.Visible() || d.Cancel.Disabled() {
		t.Fatal("the run did not start as it should")
	}
	test.Tap(d.Cancel)
	if c.Briefing() != d {
		t.Fatal("Cancel closed the dialog while the maker ran")
	}
	work()
	if d.Status.Text != "Cancelled: no briefing was written." || d.Error.Visible() || d.Made != nil || d.Make.Disabled() {
		t.Fatalf("after Cancel: %q", d.Status.Text)
	}
	if entries, _ := os.ReadDir(docs); len(entries) != 0 {
		t.Fatalf("left in Documents: %v", entries)
	}
	test.Tap(d.Cancel)
	if c.Briefing() != nil {
		t.Fatal("Cancel with nothing running left the dialog open")
	}
}

// The run path with the real maker: the briefing of a street, in Chinese,
// written where the dialog says, signed; the dialog that follows names it
// with its pages, size, hash and key, and opens its folder and itself.
func TestBriefingMade(t *testing.T) {
	docs := briefingHome(t)
	c := newTestConsole(t, "leader")
	c.Choose("990102001")
	c.OpenBriefingDialog()
	d := c.Briefing()
	d.Lang.SetSelected("中文")
	test.Tap(d.Make)
	if d.err != nil && d.err.Error() == "brief: not yet" {
		t.Skip("brief.Make lands with issue 12")
	}
	if d.err != nil || d.Made == nil {
		t.Fatalf("not made: %v (%q)", d.err, d.Error.Text)
	}
	res := d.Made
	out := filepath.Join(docs, "南镇-态势简报-20261125-1000.pdf")
	if res.PDF != out || c.Briefing() != nil {
		t.Fatalf("made %s, the dialog said %s", res.PDF, out)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if !strings.HasPrefix(string(b), "%PDF") || res.Pages < 1 || res.Bytes != int64(len(b)) || res.SHA256 != hex.EncodeToString(sum[:]) || res.Fingerprint == "" {
		t.Fatalf("result %+v for %d bytes", res, len(b))
	}
	if _, err := os.Stat(res.Sig); err != nil {
		t.Fatalf("signature: %v", err)
	}
	top := c.Win.Canvas().Overlays().Top()
	for _, want := range []string{out, res.SHA256, res.Fingerprint} {
		if top == nil || find(top, func(o fyne.CanvasObject) bool {
			l, ok := o.(*widget.Label)
			return ok && l.Text == want
		}) == nil {
			t.Fatalf("the result dialog does not show %s", want)
		}
	}
	test.Tap(d.OpenFolder)
	test.Tap(d.OpenFile)
	if u := fileURL(out); u.Scheme != "file" || u.Path != out {
		t.Fatalf("opens %v", u)
	}
}
