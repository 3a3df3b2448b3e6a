package citymap

import (
	"context"
	"time"

	"kapok/data"
	"kapok/data/timeline"
)

// Replay is a map service that answers as the city stood at a past moment
// (a timeline's State): the grids' open and overdue cases, the units not
// available, the grids under running orders and the case markers are
// then's; what does not change over time (grids, boundaries, units'
// places, the other overlays) comes from base.
func Replay(base data.MapService, s timeline.State) data.MapService {
	return replay{MapService: base, s: s}
}

type replay struct {
	data.MapService
	s timeline.State
}

func (r replay) EventsByGrid(context.Context, time.Time) (map[string]data.GridEvents, error) {
	return r.s.Grids, nil
}

func (r replay) UnavailableUnits(context.Context) (map[string]data.UnitStatus, error) {
	return r.s.Units, nil
}

func (r replay) ActiveOrderGrids(context.Context) (map[string]data.OrderState, error) {
	return r.s.OrderGrids(), nil
}

// LoadOverlay gives the cases open then, classed by their clock then; the
// dispatch lines need the holds' places and are left out of a replay.
func (r replay) LoadOverlay(ctx context.Context, layer string, asOf time.Time) ([]data.MapFeature, error) {
	switch layer {
	case "events":
		out := make([]data.MapFeature, 0, len(r.s.Open))
		for _, c := range r.s.Open {
			out = append(out, data.MapFeature{Code: c.Code, Class: string(c.Clock.State), Geom: c.Location})
		}
		return out, nil
	case "dispatch":
		return nil, nil
	}
	return r.MapService.LoadOverlay(ctx, layer, r.s.At)
}
