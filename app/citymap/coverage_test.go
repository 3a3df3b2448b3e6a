package citymap

import (
	"image/color"
	"slices"
	"testing"

	"kapok/data"
	"kapok/data/schedule"
)

// The coverage theme colours a grid covered, under-covered, uncovered or
// none required by its cell in the coverage set, and outside the region
// shown when it has none; the legend names every colour it uses.
func TestCoverageTheme(t *testing.T) {
	grids := []data.Grid{{Code: "a"}, {Code: "b"}, {Code: "c"}, {Code: "d"}, {Code: "e"}, {Code: "f"}}
	cm := &CityMap{Grids: grids}
	cm.SetCoverage(map[string]schedule.Cell{"a": {Required: 2, Planned: 3}, "b": {Required: 2, Planned: 1}, "c": {Required: 1},
		"d": {Planned: 1}, "e": {}})
	colorOf, err := themeColors("coverage", grids, nil, nil, cm.coverageCells())
	if err != nil {
		t.Fatal(err)
	}
	want := []color.NRGBA{coverCovered, coverUnder, coverNone, coverFree, coverFree, coverOutside}
	var legend []color.NRGBA
	for _, e := range Legend("coverage") {
		legend = append(legend, e.Color)
	}
	for i, w := range want {
		if got := colorOf(i); got != w {
			t.Errorf("grid %s: %v, want %v", grids[i].Code, got, w)
		}
		if !slices.Contains(legend, w) {
			t.Errorf("the legend lacks %v", w)
		}
	}
	for cell, k := range map[schedule.Cell]Coverage{{Required: 1, Planned: 1}: Covered, {Required: 3, Planned: 2}: UnderCovered,
		{Required: 3}: Uncovered, {Planned: 2}: NoneRequired} {
		if got := CoverageOf(cell); got != k {
			t.Errorf("%+v: %d, want %d", cell, got, k)
		}
	}
	// Without a coverage set every grid is outside the region shown.
	cm.SetCoverage(nil)
	if colorOf, _ = themeColors("coverage", grids, nil, nil, cm.coverageCells()); colorOf(0) != coverOutside {
		t.Error("no coverage set, yet a grid is coloured by it")
	}
}
