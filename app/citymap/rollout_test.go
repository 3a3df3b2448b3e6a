package citymap

import (
	"context"
	"image/color"
	"slices"
	"testing"

	"kapok/data"
	"kapok/internal/fixture"
	"kapok/internal/golden"
	kmaps "kapok/maps"
)

// The rollout theme colours a grid by the finest region around it that has
// a state (a pilot community inside a street rolled out to stays a
// pilot), the others plain; the legend names every colour.
func TestRolloutTheme(t *testing.T) {
	grids := []data.Grid{{Code: "990102001201001"}, {Code: "990102001202001"}, {Code: "990102002001001"}, {Code: "990101001001001"},
		{Code: "990103001001001"}}
	cm := &CityMap{Grids: grids}
	cm.SetRollout(map[string]data.RolloutState{"990102001201": data.RolloutPilot, "990102001": data.RolloutRolledOut,
		"990102002": data.RolloutPlanned, "990101": data.RolloutPlanned})
	colorOf, err := cm.colorsOf("rollout", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []color.NRGBA{RolloutColor[data.RolloutPilot], RolloutColor[data.RolloutRolledOut], RolloutColor[data.RolloutPlanned],
		RolloutColor[data.RolloutPlanned], RolloutNone}
	var legend []color.NRGBA
	for _, e := range Legend("rollout") {
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
	if cm.rolloutColors("events") != nil || !slices.Contains(Themes, "rollout") {
		t.Errorf("the rollout theme answers for another theme, or is not among %v", Themes)
	}
	cm.SetRollout(nil)
	if colorOf, _ := cm.colorsOf("rollout", nil); colorOf(0) != RolloutNone {
		t.Error("no states: not plain")
	}
}

// Loaded from a mirror with the demo's innovation program (the render
// command's path), the theme reads the store's states: the demonstration
// point piloted, the streets it was rolled out to and planned for in
// their colours, every grid as RolloutOf says.
func TestRolloutThemeOfTheDemoProgram(t *testing.T) {
	opt := fixture.Options()
	opt.Innovation = true
	m := fixture.CityWith(t, opt)
	states, err := m.RolloutStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if states[opt.DemoPoint] != data.RolloutPilot {
		t.Fatalf("the demonstration point %s is %q", opt.DemoPoint, states[opt.DemoPoint])
	}
	cm, err := LoadAt(context.Background(), m, "rollout", fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	colorOf := cm.rolloutColors("rollout")
	seen := map[color.NRGBA]int{}
	for i, g := range cm.Grids {
		want := RolloutNone
		if s := RolloutOf(states, g.Code); s != "" {
			want = RolloutColor[s]
		}
		if got := colorOf(i); got != want {
			t.Errorf("grid %s: %v, want %v", g.Code, got, want)
		}
		seen[want]++
	}
	if seen[RolloutColor[data.RolloutPilot]] == 0 || seen[RolloutColor[data.RolloutRolledOut]] == 0 {
		t.Errorf("colours on the map: %v", seen)
	}
	v := kmaps.NewViewport(240, 160).Fit(cm.Extent, 6)
	img, err := cm.Map.Render(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "city-rollout-program.png", img)
}
