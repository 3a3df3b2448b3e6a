package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/internal/fixture"
)

// contest open and enter, and projects rollout, from the command line; bad
// input refused with nothing written.
func TestContestOpenEnterAndRolloutCommands(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	caseNow = func() time.Time { return fixture.AsOf }
	path := fixture.CityPath(t)
	m := "--mirror"
	dir := t.TempDir()
	criteria := filepath.Join(dir, "criteria.csv")
	if err := os.WriteFile(criteria, []byte("code,name_zh,name_en,weight,max\ninnovation,创新性,innovation,6,40\neffect,实效性,effect,4,60\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badCSV := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(badCSV, []byte("code,name_zh,name_en,weight,max\nx,创新,x,heavy,40\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.csv")
	if err := os.WriteFile(zero, []byte("code,name_zh,name_en,weight,max\nx,创新,x,0,40\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := cli(t, "projects", "add", m, path, "--region", "990101", "--title", "党建引领基层治理")
	key := strings.TrimSpace(out)
	if code != 0 || len(key) != 36 {
		t.Fatalf("add: status %d, %q, %q", code, out, errOut)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"contest", "open", m, path, "--round", "2021", "--criteria", badCSV}, 1, "weight and max must be numbers"},
		{[]string{"contest", "open", m, path, "--round", "2021", "--criteria", zero}, 1, "criterion x is invalid"},
		{[]string{"contest", "open", m, path, "--round", "2021"}, 2, "--criteria"},
		{[]string{"contest", "enter", m, path, "--round", "2021", "--project", key}, 1, "no contest round 2021"},
		{[]string{"projects", "rollout", m, path, "--project", key, "--region", "990101001", "--state", "pilot"}, 1, "cannot be pilot"},
		{[]string{"projects", "rollout", m, path, "--project", key, "--region", "990101001"}, 2, "--state"},
	} {
		c, o, e := cli(t, bad.args...)
		if c != bad.code || !strings.Contains(e, bad.says) {
			t.Errorf("%v: status %d, %q, %q; want %d saying %q", bad.args, c, o, e, bad.code, bad.says)
		}
	}
	if code, out, errOut := cli(t, "contest", "open", m, path, "--round", "2021", "--criteria", criteria); code != 0 || out != "2021\t2 criteria\n" {
		t.Fatalf("open: status %d, %q, %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "contest", "open", m, path, "--round", "2021", "--criteria", criteria); code != 1 || !strings.Contains(errOut, "open already") {
		t.Fatalf("open again: status %d, %q", code, errOut)
	}
	if code, out, errOut := cli(t, "contest", "enter", m, path, "--round", "2021", "--project", key[:8]); code != 0 || out != "2021\t"+key[:8]+"\n" {
		t.Fatalf("enter: status %d, %q, %q", code, out, errOut)
	}
	if code, out, _ := cli(t, "contest", "rank", m, path, "--round", "2021", "--format", "json"); code != 0 || !strings.Contains(out, key) {
		t.Fatalf("rank: status %d, %q", code, out)
	}
	if code, out, _ := cli(t, "contest", "rank", m, path, "--round", "2021", "--criteria"); code != 0 || !strings.Contains(out, "实效性") {
		t.Fatalf("criteria: status %d, %q", code, out)
	}

	for _, to := range []string{"incubating", "piloting"} {
		if code, _, errOut := cli(t, "projects", "move", m, path, "--project", key, "--to", to); code != 0 {
			t.Fatalf("move: status %d, %q", code, errOut)
		}
	}
	if code, out, errOut := cli(t, "projects", "rollout", m, path, "--project", key, "--region", "990101001001", "--state", "pilot"); code != 0 ||
		!strings.HasPrefix(out, key+"\t990101001001\tpilot\t") {
		t.Fatalf("rollout: status %d, %q, %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "projects", "rollout", m, path, "--project", key, "--region", "990101001", "--state", "rolled_out"); code != 1 ||
		!strings.Contains(errOut, "cannot be rolled out") {
		t.Fatalf("rolled out while piloting: status %d, %q", code, errOut)
	}
	if code, _, errOut := cli(t, "projects", "rollout", m, path, "--project", key, "--region", "990109001", "--state", "planned"); code != 1 ||
		!strings.Contains(errOut, "990109001") {
		t.Fatalf("unknown region: status %d, %q", code, errOut)
	}
}
