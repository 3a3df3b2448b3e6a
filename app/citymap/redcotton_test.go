package citymap

import (
	"image/color"
	"slices"
	"testing"

	"kapok/data"
)

// The Red Cotton theme colours every grid by its district's rank class —
// a better rank never a worse class — and a grid of a district without an
// index unscored; the legend names every colour.
func TestRedCottonTheme(t *testing.T) {
	grids := []data.Grid{{Code: "990101001001001"}, {Code: "990101002001001"}, {Code: "990102001001001"}, {Code: "990103001001001"}}
	cm := &CityMap{Grids: grids}
	cm.SetRedCotton(map[string]float64{"990101": 51.2, "990102": 48})
	colorOf := cm.scoreColors("redcotton")
	want := []color.NRGBA{RedCottonRamp[0], RedCottonRamp[0], RedCottonRamp[4], RedCottonUnscored}
	var legend []color.NRGBA
	for _, e := range Legend("redcotton") {
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
	// Eleven districts: 2, 2, 3, 2, 2 in the classes, in rank order.
	var classes []int
	for r := 1; r <= 11; r++ {
		classes = append(classes, RedCottonClass(r, 11))
	}
	if !slices.Equal(classes, []int{0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4}) {
		t.Errorf("classes of 11 ranks: %v", classes)
	}
	if RedCottonClass(1, 1) != 0 || RedCottonClass(2, 2) != 4 {
		t.Error("one or two districts")
	}
	ranks := RedCottonRanks(map[string]float64{"a": 40, "b": 60, "c": 40, "d": 10})
	if ranks["b"] != 1 || ranks["a"] != 2 || ranks["c"] != 3 || ranks["d"] != 4 {
		t.Errorf("ranks %v (ties to the lower code)", ranks)
	}
	if cm.scoreColors("events") != nil {
		t.Error("the scores answer for another theme")
	}
	if !slices.Contains(Themes, "redcotton") || !slices.Contains(Themes, "police") {
		t.Errorf("themes %v", Themes)
	}
}

// A street with a score colours its grids by its rank among the streets;
// the other streets' grids keep their district's class.
func TestRedCottonThemeStreets(t *testing.T) {
	grids := []data.Grid{{Code: "990101001001001"}, {Code: "990101002001001"}, {Code: "990102001001001"}, {Code: "990102002001001"}}
	cm := &CityMap{Grids: grids}
	cm.SetRedCotton(map[string]float64{"990101": 51.2, "990102": 48, "990101001": 20, "990102001": 70})
	colorOf := cm.scoreColors("redcotton")
	// 990102001 first among the streets, 990101001 last; 990101002 and
	// 990102002 by their districts.
	want := []color.NRGBA{RedCottonRamp[4], RedCottonRamp[0], RedCottonRamp[0], RedCottonRamp[4]}
	for i, w := range want {
		if got := colorOf(i); got != w {
			t.Errorf("grid %s: %v, want %v", grids[i].Code, got, w)
		}
	}
}
