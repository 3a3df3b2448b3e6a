package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/internal/fixture"
)

// kapok brief makes a signed briefing of the fixture city and of one of its
// streets; kapok brief verify finds it good, and bad once a byte changed;
// an unknown region is a refusal in the locale's language and writes
// nothing; bad flags are misuse.
func TestBriefCommand(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	caseNow = func() time.Time { return fixture.AsOf }
	path := fixture.CityPath(t)
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
