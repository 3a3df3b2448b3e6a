package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kapok/data/mirror"
	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

// kapok sync --init from the command line: refused on an upstream with
// nothing published, then a new mirror made with what it holds printed
// (its users among them), refused again naming the file now there.
func TestSyncInitCommand(t *testing.T) {
	dsn := pgtest.Start(t)
	path := filepath.Join(t.TempDir(), "new.gpkg")
	if code, _, errOut := cli(t, "upstream", "init", "--dsn", dsn); code != 0 {
		t.Fatalf("upstream init: %d %s", code, errOut)
	}
	if code, _, errOut := cli(t, "sync", "--mirror", path, "--upstream", dsn, "--init"); code != 1 || !strings.Contains(errOut, "upstream load") {
		t.Fatalf("init from an empty upstream: %d %q", code, errOut)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a refused init left %s: %v", path, err)
	}
	if code, _, errOut := cli(t, "upstream", "load", "--dsn", dsn, "--mirror", fixture.CityPath(t)); code != 0 {
		t.Fatalf("upstream load: %d %s", code, errOut)
	}
	code, out, errOut := cli(t, "sync", "--mirror", path, "--upstream", dsn, "--init")
	if code != 0 || errOut != "" {
		t.Fatalf("init: %d %q %q", code, out, errOut)
	}
	m, err := mirror.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	counts, err := m.LayerCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"grids", "units", "users", "matters          109", "indicators       211", "made " + path + " in "} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	// The upstream's base: the source's cases, their steps, its cameras.
	for _, table := range []string{"events", "event_history", "cameras", "indicator_values"} {
		if counts[table] == 0 {
			t.Errorf("no %s in the mirror made from the upstream", table)
		}
	}
	if !strings.Contains(out, fmt.Sprintf("%-12s %7d\n", "grids", counts["grids"])) {
		t.Errorf("the grids' count (%d) is not in\n%s", counts["grids"], out)
	}
	if code, out, _ := cli(t, "sync", "status", "--mirror", path); code != 0 || !strings.Contains(out, "state: online") {
		t.Errorf("status: %d %q", code, out)
	}
	code, _, errOut = cli(t, "sync", "--mirror", path, "--upstream", dsn, "--init")
	if code != 1 || !strings.Contains(errOut, path) {
		t.Errorf("init over the mirror: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, "sync", "--upstream", dsn, "--init"); code != 2 || errOut == "" {
		t.Errorf("init without --mirror: %d %q", code, errOut)
	}
}
