package citymap

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"kapok/internal/fixture"
)

// A replayed map answers as the city stood then: its counts, units, order
// grids and case markers are the timeline's, the rest the mirror's.
func TestReplayAnswersAsThen(t *testing.T) {
	ctx := context.Background()
	m := fixture.City(t)
	then := fixture.AsOf.Add(-30 * time.Hour)
	tl, err := m.Timeline(ctx, then, then)
	if err != nil {
		t.Fatal(err)
	}
	s := tl.At(then)
	r := Replay(m, s)
	grids, err := r.EventsByGrid(ctx, fixture.AsOf)
	if err != nil || !maps.Equal(grids, s.Grids) {
		t.Fatalf("grids %v %v", grids, err)
	}
	now, err := m.EventsByGrid(ctx, fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if maps.Equal(now, s.Grids) {
		t.Fatal("the fixture's counts then and now are the same: the test shows nothing")
	}
	units, err := r.UnavailableUnits(ctx)
	if err != nil || !maps.Equal(units, s.Units) {
		t.Fatalf("units %v %v", units, err)
	}
	events, err := r.LoadOverlay(ctx, "events", fixture.AsOf)
	if err != nil || len(events) != len(s.Open) {
		t.Fatalf("%d markers for %d open cases: %v", len(events), len(s.Open), err)
	}
	for i, f := range events {
		if p, ok := f.Geom.(orb.Point); f.Code != s.Open[i].Code || !ok || p == (orb.Point{}) || f.Class != string(s.Open[i].Clock.State) {
			t.Fatalf("marker %d: %+v", i, f)
		}
	}
	centers, err := r.LoadOverlay(ctx, "centers", fixture.AsOf)
	if err != nil || len(centers) == 0 {
		t.Fatalf("centers from the mirror: %d %v", len(centers), err)
	}
	cm, err := LoadAt(ctx, r, "events", then)
	if err != nil || cm == nil {
		t.Fatalf("a city map from the replay: %v", err)
	}
}
