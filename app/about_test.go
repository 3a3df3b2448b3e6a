package app

import (
	"slices"
	"strings"
	"testing"

	"kapok/internal/buildinfo"
	"kapok/internal/fixture"
)

// About shows the build's version, commit and date, the mirror's file,
// how current its data are (the fixture city's as-of, in Beijing time)
// and the licence of each thing bundled.
func TestAboutShowsVersionAndAsOf(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.ShowAbout()
	texts := overlayTexts(c)
	all := strings.Join(texts, "\n")
	bi := buildinfo.Read()
	asOf := fixture.AsOf.In(beijing).Format("2006-01-02 15:04") + " (Beijing time)"
	for _, want := range []string{bi.Version, c.M.Path, asOf} {
		if !slices.Contains(texts, want) {
			t.Errorf("About lacks %q:\n%s", want, all)
		}
	}
	if bi.Commit != "" && !slices.Contains(texts, bi.ShortCommit()) {
		t.Errorf("About lacks the commit %q", bi.ShortCommit())
	}
	for _, b := range bundled {
		if !slices.Contains(texts, b.what) || !strings.Contains(all, b.source) {
			t.Errorf("About lacks %q from %s", b.what, b.source)
		}
	}
	for _, lic := range []string{"Apache-2.0", "MIT", "WTFPL"} {
		if !strings.Contains(all, lic) {
			t.Errorf("About names no %s licence", lic)
		}
	}
	c.ShowAbout() // once only
	if n := len(c.Win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("About twice: %d overlays", n)
	}
}
