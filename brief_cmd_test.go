package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// briefFixture builds the fixture city for a test of kapok brief, in a
// locale, with its own config directory and the clock at the fixture's
// now; it returns the mirror's path.
func briefFixture(t *testing.T, lang string) string {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", lang)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	now := caseNow
	t.Cleanup(func() { caseNow = now })
	caseNow = func() time.Time { return fixture.AsOf }
	return fixture.CityPath(t)
}

// kapok brief makes a signed briefing of the fixture city and of one of its
// streets; kapok brief verify finds it good, and bad once a byte changed;
// an unknown region is a refusal in the locale's language and writes
// nothing; bad flags are misuse.
func TestBriefCommand(t *testing.T) {
	path := briefFixture(t, "zh_CN.UTF-8")
	dir := t.TempDir()

	city := filepath.Join(dir, "city.pdf")
	code, out, errOut := cli(t, "brief", "--mirror", path, "--out", city, "--user", "leader")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "wrote "+city+": ") || !strings.Contains(out, "signed "+city+".sig with key SHA256:") {
		t.Fatalf("city: %d %q %q", code, out, errOut)
	}
	street := filepath.Join(dir, "street.pdf")
	if code, out, errOut := cli(t, "brief", "--mirror", path, "--out", street, "--region", "990101001", "--lang", "en"); code != 0 {
		t.Fatalf("street: %d %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, "brief", "verify", "--pdf", street)
	if code != 0 || !strings.HasPrefix(out, "good: ") || errOut != "" {
		t.Fatalf("verify: %d %q %q", code, out, errOut)
	}
	b, err := os.ReadFile(street)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x20
	if err := os.WriteFile(street, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "brief", "verify", "--pdf", street); code != 1 || !strings.Contains(errOut, "bad: ") {
		t.Fatalf("tampered: %d %q", code, errOut)
	}

	none := filepath.Join(dir, "none.pdf")
	code, _, errOut = cli(t, "brief", "--mirror", path, "--out", none, "--region", "990199")
	if want := refusalText(t, "brief", msg.Chinese, data.CodeRegionUnknown, data.Term("kind", "district"), data.Value("code", "990199")); code != 1 || errOut != want {
		t.Fatalf("unknown region: %d %q, want %q", code, errOut, want)
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Fatalf("a refused briefing left %s: %v", none, err)
	}
	for _, args := range [][]string{
		{"brief", "--mirror", path},
		{"brief", "--mirror", path, "--out", none, "--lang", "fr"},
		{"brief", "--mirror", path, "--out", none, "extra"},
		{"brief", "--out", none},
	} {
		if code, _, _ := cli(t, args...); code != 2 {
			t.Errorf("%v: status %d, want 2", args, code)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// kapok brief --at makes the briefing as the city stood at a past moment,
// marked as a replay; a malformed or future --at is misuse; a journal
// whose chain is broken still gives the briefing, with a warning on stderr.
func TestBriefAtCommand(t *testing.T) {
	path := briefFixture(t, "en_US.UTF-8")
	dir := t.TempDir()
	at := fixture.AsOf.Add(-13 * time.Hour).Format(time.RFC3339)

	out := filepath.Join(dir, "then.pdf")
	code, stdout, errOut := cli(t, "brief", "--mirror", path, "--out", out, "--at", at)
	if code != 0 || errOut != "" || !strings.HasPrefix(stdout, "wrote "+out+": ") {
		t.Fatalf("--at: %d %q %q", code, stdout, errOut)
	}
	text, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "Replay (回放): the city as it stood at 2026-11-24 20:00") {
		t.Errorf("the replay is not marked:\n%s", text)
	}
	for _, bad := range []string{"yesterday", "2026-11-24", "2026-11-24T20:00", fixture.AsOf.Add(time.Hour).Format(time.RFC3339)} {
		if code, _, errOut := cli(t, "brief", "--mirror", path, "--out", filepath.Join(dir, "bad.pdf"), "--at", bad); code != 2 || !strings.Contains(errOut, "--at") {
			t.Errorf("--at %s: status %d %q, want 2", bad, code, errOut)
		}
	}

	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET entry = replace(entry, 'system', 'mallory') WHERE seq = 1`} {
		if _, err := m.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.pdf")
	var warned strings.Builder
	defer func(w io.Writer) { briefWarnings = w }(briefWarnings)
	briefWarnings = &warned
	code, stdout, errOut = cli(t, "brief", "--mirror", path, "--out", broken, "--at", at)
	errOut += warned.String()
	if code != 0 || !strings.HasPrefix(stdout, "wrote "+broken) || !strings.HasPrefix(errOut, "kapok brief: warning: ") ||
		!strings.Contains(errOut, "entry 1 does not match its hash") {
		t.Fatalf("broken journal: %d %q %q", code, stdout, errOut)
	}
}
