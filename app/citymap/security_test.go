package citymap

import (
	"context"
	"image/color"
	"testing"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/internal/fixture"
	kmaps "kapok/maps"
)

// The security layers start hidden and draw the markers set, each in the
// colour of its class; the police theme colours a grid by its incidents.
func TestSecurityLayers(t *testing.T) {
	m := fixture.City(t)
	cm, err := LoadAt(context.Background(), m, "events", fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	s := AddSecurity(cm)
	for _, l := range []string{LayerPolice, LayerCommand, LayerPatrol, LayerOpinion} {
		if cm.Map.Visible(l) {
			t.Errorf("%s shown at start", l)
		}
	}
	g0, g1 := cm.Grids[0].Code, cm.Grids[1].Code
	at := func(i int) orb.Point {
		return cm.Map.FillIndex().Feature(i).Geom.Bound().Center()
	}
	// The fill's features are projected: markers take lon/lat.
	unproject := func(p orb.Point) orb.Point { return kmaps.Unproject(p) }
	s.SetPolice([]PoliceMark{{At: unproject(at(0)), Grid: g0, Category: "traffic"}, {At: unproject(at(0)), Grid: g0, Category: "public_order"},
		{At: unproject(at(1)), Grid: g1, Category: "disputes"}})
	s.SetCommand([]CenterMark{{At: unproject(at(0)), Level: "district", Duty: DutyNobody}})
	s.SetPatrol([]orb.Point{unproject(at(1))})
	s.SetOpinion([]OpinionMark{{At: unproject(at(1)), Severity: data.Alarm}})
	for _, c := range []struct {
		layer string
		n     int
	}{{LayerPolice, 3}, {LayerCommand, 1}, {LayerPatrol, 1}, {LayerOpinion, 1}} {
		n := 0
		for _, ix := range cm.Map.Markers(c.layer) {
			n += ix.Len()
		}
		if n != c.n {
			t.Errorf("%s: %d markers, want %d", c.layer, n, c.n)
		}
	}
	if PoliceTypeColor("disputes") != PoliceOther || PoliceTypeColor("traffic") != PoliceColor["traffic"] {
		t.Error("police colours by category")
	}
	colorOf := cm.scoreColors("police")
	if colorOf(0) != PoliceRamp[2] || colorOf(1) != PoliceRamp[1] || colorOf(2) != PoliceRamp[0] {
		t.Errorf("police theme: %v %v %v", colorOf(0), colorOf(1), colorOf(2))
	}
	if err := cm.SetTheme("police"); err != nil {
		t.Fatal(err)
	}
	// Shown, the patrol marker is drawn in its colour over its grid.
	cm.Map.SetVisible(LayerPatrol, true)
	v := kmaps.NewViewport(200, 200).Fit(cm.Map.FillIndex().Feature(1).Geom.Bound(), 20)
	img, err := cm.Map.Render(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	if !has(img.Pix, PatrolColor) {
		t.Error("the patrol layer shown draws no marker")
	}
	cm.Map.SetVisible(LayerPatrol, false)
	if img, _ = cm.Map.Render(context.Background(), v); has(img.Pix, PatrolColor) {
		t.Error("the patrol layer hidden still draws")
	}
}

// has is whether an RGBA pixel buffer holds the colour.
func has(pix []byte, c color.NRGBA) bool {
	for i := 0; i+3 < len(pix); i += 4 {
		if pix[i] == c.R && pix[i+1] == c.G && pix[i+2] == c.B {
			return true
		}
	}
	return false
}
