package citymap

import (
	"image/color"
	"slices"
	"testing"

	"kapok/data"
)

// The Red Cotton theme colours every grid by its district's score class —
// a better score never a worse class — and a grid of a district without an
// index unscored; the legend names every colour.
func TestRedCottonTheme(t *testing.T) {
	grids := []data.Grid{{Code: "990101001001001"}, {Code: "990101002001001"}, {Code: "990102001001001"}, {Code: "990103001001001"}}
	cm := &CityMap{Grids: grids}
	cm.SetRedCotton(map[string]float64{"990101": 91.2, "990102": 35})
	colorOf := cm.scoreColors("redcotton")
	want := []color.NRGBA{RedCottonRamp[0], RedCottonRamp[0], RedCottonRamp[3], RedCottonUnscored}
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
	for _, c := range []struct {
		score float64
		class int
	}{{100, 0}, {80, 0}, {79.9, 1}, {60, 1}, {50, 2}, {20, 3}, {19.9, 4}, {0, 4}} {
		if got := RedCottonClass(c.score); got != c.class {
			t.Errorf("score %v: class %d, want %d", c.score, got, c.class)
		}
	}
	// Scores in rank order never climb in class.
	last := -1
	for s := 100.0; s >= 0; s -= 0.5 {
		if k := RedCottonClass(s); k < last {
			t.Fatalf("score %v: class %d after %d", s, k, last)
		} else {
			last = k
		}
	}
	if cm.scoreColors("events") != nil {
		t.Error("the scores answer for another theme")
	}
	if !slices.Contains(Themes, "redcotton") || !slices.Contains(Themes, "police") {
		t.Errorf("themes %v", Themes)
	}
}
