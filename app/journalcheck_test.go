package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// checks receives the background check's hand-over, which the tests run on
// their own goroutine as the real driver runs it on the UI goroutine.
var checks = make(chan func(), 4)

func init() { deliverCheck = func(f func()) { checks <- f } }

// waitJournalCheck waits for the background check to report and shows it.
func waitJournalCheck(t *testing.T, c *Console) {
	t.Helper()
	select {
	case f := <-checks:
		f()
	case <-time.After(10 * time.Second):
		t.Fatal("the journal check never reported")
	}
	if !c.journalChecked {
		t.Fatal("the check's hand-over did not record it")
	}
}

func bannerText(c *Console) string {
	if c.JournalBanner == nil || !c.JournalBanner.Visible() {
		return ""
	}
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *fyne.Container:
			for _, k := range w.Objects {
				walk(k)
			}
		}
	}
	walk(c.JournalBanner)
	return strings.Join(out, " ")
}

// On an untouched mirror the background check finds the chain whole: no
// banner, and the status bar says so.
func TestJournalCheckedAtStart(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.VerifyJournalInBackground()
	waitJournalCheck(t, c)
	if got := bannerText(c); got != "" {
		t.Fatalf("banner on an untouched mirror: %q", got)
	}
	if !strings.Contains(c.Status.Text, "journal verified at start (1 entries)") {
		t.Fatalf("status bar: %q", c.Status.Text)
	}
}

// A mirror whose journal was edited outside Kapok shows a red warning that
// names the entry, stays through a rebuild of the window (a language
// switch), and is in the console's language.
func TestBrokenJournalShowsAPersistentWarning(t *testing.T) {
	c := newTestConsole(t, "leader")
	for _, q := range []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET entry = replace(entry, 'system', 'mallory') WHERE seq = 1`} {
		if _, err := c.M.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	c.VerifyJournalInBackground()
	waitJournalCheck(t, c)
	got := bannerText(c)
	if !strings.Contains(got, "entry 1 does not match its hash: it was edited") || !strings.Contains(got, "kapok journal verify") {
		t.Fatalf("banner: %q", got)
	}
	c.SetLanguage("zh-CN")
	if got := bannerText(c); !strings.Contains(got, "变更日志断链：第 1 条与其哈希不符：已被改动") {
		t.Fatalf("banner after switching to Chinese: %q", got)
	}
	if strings.Contains(c.Status.Text, "日志已校验") {
		t.Fatal("the status bar calls a broken journal verified")
	}
	c.SetLanguage("en")
	// A journal that cannot be read at all warns too.
	c.SetJournalCheck(data.JournalCheck{}, errors.New("disk I/O error"))
	if got := bannerText(c); !strings.Contains(got, "could not be checked: disk I/O error") {
		t.Fatalf("banner for an unreadable journal: %q", got)
	}
}
