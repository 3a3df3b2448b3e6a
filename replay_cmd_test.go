package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// kapok cases list --at and render --at: the cases open at a past moment
// as they stood then, and the map as it stood.
func TestReplayCommands(t *testing.T) {
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	then := fixture.AsOf.Add(-36 * time.Hour)
	want, broken, err := m.CasesAt(ctx, data.CaseFilter{}, then)
	if err != nil || broken != nil || len(want) == 0 {
		t.Fatalf("CasesAt: %d cases, %v %v", len(want), broken, err)
	}
	now, err := m.Cases(ctx, data.CaseFilter{}, fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "cases", "list", "--mirror", path, "--at", then.Format(time.RFC3339), "--format", "json")
	if code != 0 || errOut != "" {
		t.Fatalf("cases list --at: %d %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Fatalf("cases list --at: %d lines, %d cases open then", len(lines), len(want))
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first["code"] != want[0].Code {
		t.Fatalf("first line %s: %v, want %s", lines[0], err, want[0].Code)
	}
	if len(now) == len(want) && now[0].Code == want[0].Code {
		t.Log("the queue then looks like the queue now: a weak check")
	}
	png := filepath.Join(t.TempDir(), "then.png")
	if code, _, errOut := cli(t, "render", "--mirror", path, "--out", png, "--size", "320x200", "--at", then.Format(time.RFC3339)); code != 0 {
		t.Fatalf("render --at: %d %q", code, errOut)
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Fatalf("render --at wrote %v %v", st, err)
	}
	for _, args := range [][]string{
		{"cases", "list", "--mirror", path, "--at", "yesterday"},
		{"cases", "list", "--mirror", path, "--at", then.Format(time.RFC3339), "--all"},
		{"render", "--mirror", path, "--out", png, "--at", "14:00"},
	} {
		if code, _, _ := cli(t, args...); code != 2 {
			t.Errorf("%v: %d, want a misuse", args, code)
		}
	}
}
