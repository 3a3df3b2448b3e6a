package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// `kapok version` and `kapok --version` print the one line of buildinfo;
// extra arguments are a misuse.
func TestVersionCommand(t *testing.T) {
	for _, arg := range []string{"version", "--version", "-version"} {
		code, out, errOut := cli(t, arg)
		if code != 0 || !strings.HasPrefix(out, "kapok devel") || strings.Count(out, "\n") != 1 || errOut != "" {
			t.Errorf("kapok %s: status %d, %q, %q", arg, code, out, errOut)
		}
	}
	if code, _, errOut := cli(t, "version", "extra"); code != 2 || !strings.Contains(errOut, "no arguments") {
		t.Errorf("kapok version extra: status %d, %q", code, errOut)
	}
	if _, out, _ := cli(t, "help"); !strings.Contains(out, "kapok version") {
		t.Error("the usage does not list kapok version")
	}
}

// The binary as the Makefile links it prints the version, commit and date it
// was given; a plain build from a git checkout says "devel" with the
// checkout's commit and commit time (the toolchain's VCS stamp).
func TestVersionOfTheBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	build := func(name string, args ...string) string {
		t.Helper()
		bin := filepath.Join(dir, name)
		cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), ".")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", args, err, out)
		}
		return bin
	}
	run := func(bin string, args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
		}
		return string(out)
	}

	const pkg = "kapok/internal/buildinfo."
	linked := build("kapok-linked", "-buildvcs=false", "-ldflags",
		"-X "+pkg+"version=0.17.0 -X "+pkg+"commit=0123456789abcdef0123456789abcdef01234567-dirty -X "+pkg+"date=2026-11-26T10:30:00+08:00")
	want := "kapok 0.17.0 (0123456789ab-dirty) built 2026-11-26T02:30:00Z\n"
	for _, arg := range []string{"version", "--version"} {
		if got := run(linked, arg); got != want {
			t.Errorf("kapok %s with ldflags = %q, want %q", arg, got, want)
		}
	}

	head, err := exec.Command("git", "log", "-1", "--format=%H %cI").Output()
	if err != nil {
		t.Skipf("no git checkout to stamp a plain build from: %v", err)
	}
	hash, when, _ := strings.Cut(strings.TrimSpace(string(head)), " ")
	at, err := time.Parse(time.RFC3339, when)
	if err != nil {
		t.Fatal(err)
	}
	plain := build("kapok-plain", "-buildvcs=true")
	re := regexp.MustCompile(`^kapok devel \(` + hash[:12] + `(-dirty)?\) built ` + regexp.QuoteMeta(at.UTC().Format(time.RFC3339)) + "\n$")
	if got := run(plain, "version"); !re.MatchString(got) {
		t.Errorf("kapok version without ldflags = %q, want %s", got, re)
	}
}
