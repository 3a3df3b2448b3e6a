package citymap

import (
	"context"
	"testing"

	"github.com/paulmach/orb"

	"kapok/internal/fixture"
	kmaps "kapok/maps"
)

// The line layers (dispatch lines, patrol routes) are built from features
// the overlays keep; building a layer again (a reload, or two frames at
// once) must not project them a second time.
func TestLineLayersLeaveTheLoadedFeaturesAlone(t *testing.T) {
	m := fixture.City(t)
	cm, err := LoadAt(context.Background(), m, "events", fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	o := AddOverlays(cm, m)
	o.SetAsOf(fixture.AsOf)
	for _, layer := range []string{"dispatch", "patrol_routes"} {
		cm.Map.SetVisible(layer, true)
		fs := o.load(layer)
		if len(fs) == 0 {
			t.Fatalf("the fixture has no %s", layer)
		}
		first := fs[0].Geom.Bound()
		v := kmaps.NewViewport(400, 300).Fit(kmaps.Project(first.Pad(0.01)).(orb.Bound), 0)
		for range 2 {
			cm.Map.Reload(layer)
			if _, err := cm.Map.Render(context.Background(), v); err != nil {
				t.Fatal(err)
			}
		}
		if got := o.load(layer)[0].Geom.Bound(); got != first {
			t.Fatalf("%s: the loaded feature moved from %v to %v", layer, first, got)
		}
	}
}
