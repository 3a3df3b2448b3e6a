package citymap

import (
	"context"
	"time"

	"kapok/data"
)

// Refresh brings the map up to date after a change to cases or units (a
// report, a dispatch, a feedback): the open and overdue counts per grid as
// of asOf, the grids' colours by theme, the units' statuses, and the case
// markers and dispatch lines (re-read on the next frame). Grid geometry and
// everything else stay.
func (cm *CityMap) Refresh(ctx context.Context, m data.MapService, over *Overlays, asOf time.Time, theme string) error {
	events, err := m.EventsByGrid(ctx, asOf)
	if err != nil {
		return err
	}
	cm.Events = events
	if err := cm.RefreshUnits(ctx, m); err != nil {
		return err
	}
	if err := cm.SetTheme(theme); err != nil {
		return err
	}
	over.Forget("events", "dispatch")
	for _, layer := range []string{"events", "dispatch", "units"} {
		cm.Map.Reload(layer)
	}
	return nil
}

// RefreshUnits reads the units' statuses again, if the units layer was
// loaded (else it loads them fresh when first needed): only the units not
// available are read, the rest are available.
func (cm *CityMap) RefreshUnits(ctx context.Context, m data.MapService) error {
	cm.unitsMu.Lock()
	defer cm.unitsMu.Unlock()
	if cm.unitsNow == nil {
		return nil
	}
	busy, err := m.UnavailableUnits(ctx)
	if err != nil {
		return err
	}
	old := cm.unitsNow
	ul := &UnitLayer{Units: make([]data.Unit, len(old.Units)), Index: old.Index}
	copy(ul.Units, old.Units)
	for i := range ul.Units {
		s, ok := busy[ul.Units[i].Code]
		if !ok {
			s = data.UnitAvailable
		}
		ul.Units[i].Status = s
	}
	cm.unitsNow = ul
	return nil
}
