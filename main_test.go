package main

import (
	"path/filepath"
	"testing"

	"kapok/data"
	"kapok/internal/fixture"
)

// The orders subcommand: a good order lands, bad ones are refused with an
// error and write nothing.
func TestOrdersCommand(t *testing.T) {
	path := fixture.CityPath(t)
	base := []string{"issue", "--mirror", path, "--start", "2026-11-25T20:00:00+08:00", "--end", "2026-11-26T06:00:00+08:00", "--task", "巡逻"}
	if err := orders(append(base, "--targets", "990101001001001,990101001001002", "--type", "patrol", "--user", "leader")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{
		append(base, "--targets", ""),
		append(base, "--targets", "990101001001999"),
		append(base, "--targets", "990101001001001", "--user", "nobody"),
		{"issue", "--mirror", path, "--targets", "990101001001001", "--task", "x", "--start", "tomorrow", "--end", "2026-11-26T06:00:00+08:00"},
		{"issue", "--mirror", path, "--targets", "990101001001001", "--task", "x", "--start", "2026-11-26T06:00:00+08:00", "--end", "2026-11-25T06:00:00+08:00"},
		{"issue", "--mirror", filepath.Join(t.TempDir(), "missing.gpkg"), "--targets", "990101001001001", "--task", "x"},
		{"cancel"},
	} {
		if err := orders(bad); err == nil {
			t.Errorf("orders %v accepted", bad)
		}
	}
	m, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	list, err := m.Orders()
	if err != nil || len(list) != 1 || len(list[0].Targets) != 2 || list[0].Type != "patrol" {
		t.Fatalf("orders after one good and six bad: %+v, %v", list, err)
	}
	if err := orders([]string{"list", "--mirror", path}); err != nil {
		t.Fatal(err)
	}
	if err := orders([]string{"move", "--mirror", path, "--id", "1", "--to", "acknowledged", "--user", "leader"}); err != nil {
		t.Fatal(err)
	}
	if err := orders([]string{"move", "--mirror", path, "--id", "1", "--to", "issued"}); err == nil {
		t.Error("acknowledged → issued accepted")
	}
}
