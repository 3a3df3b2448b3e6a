package citymap

import (
	"context"
	"image/color"
	"sync"

	"kapok/data"
	"kapok/data/schedule"
)

// The rollout theme (创新推广, issue 16): every grid in the colour of the
// innovation program's state in its region — a project's pilot, a region
// a project was rolled out to, one it is planned for — the others plain.
// A grid takes the state of the finest region that has one (its
// community's, else its street's, else its district's): a pilot community
// stays a pilot inside a street the project was rolled out to. The states
// are the store's RolloutStates (a pilot outranks a rollout, which
// outranks a plan, where projects differ).

// RolloutService is what the map reads the rollout theme's states from
// (the mirror): `kapok render --theme rollout` reads them through it; the
// console sets them with SetRollout.
type RolloutService interface {
	RolloutStates(ctx context.Context) (map[string]data.RolloutState, error)
}

// rolloutStates are the rollout theme's states by region code.
type rolloutStates struct {
	mu     sync.Mutex
	states map[string]data.RolloutState
}

// SetRollout sets the states the rollout theme colours by, by district,
// street or community code (nil: none). The grids are recoloured by the
// next SetTheme("rollout").
func (cm *CityMap) SetRollout(states map[string]data.RolloutState) {
	cm.rollout.mu.Lock()
	defer cm.rollout.mu.Unlock()
	cm.rollout.states = states
}

// RolloutColor is a rollout state's colour, on the map and in the
// console's Innovation tab.
var RolloutColor = map[data.RolloutState]color.NRGBA{
	data.RolloutPilot:     {217, 95, 2, 255},
	data.RolloutRolledOut: {27, 158, 119, 255},
	data.RolloutPlanned:   {141, 160, 203, 255},
}

// RolloutNone colours a grid in no region of the program.
var RolloutNone = color.NRGBA{228, 228, 222, 255}

// RolloutOf is the state a grid (or any region) code shows: its finest
// enclosing region's with a state, "" for none.
func RolloutOf(states map[string]data.RolloutState, code string) data.RolloutState {
	for _, l := range []data.Level{data.LevelCommunity, data.LevelStreet, data.LevelDistrict} {
		if n := l.CodeLength(); len(code) >= n {
			if s, ok := states[code[:n]]; ok {
				return s
			}
		}
	}
	return ""
}

// rolloutColors is the rollout theme's grid colour function, nil for
// another theme.
func (cm *CityMap) rolloutColors(theme string) func(int) color.NRGBA {
	if theme != "rollout" {
		return nil
	}
	cm.rollout.mu.Lock()
	states := cm.rollout.states
	cm.rollout.mu.Unlock()
	grids := cm.Grids
	return func(i int) color.NRGBA {
		if c, ok := RolloutColor[RolloutOf(states, grids[i].Code)]; ok {
			return c
		}
		return RolloutNone
	}
}

// colorsOf is any theme's grid colour function: the rollout theme's from
// the states set, the others' by themeColorsOf.
func (cm *CityMap) colorsOf(theme string, cov map[string]schedule.Cell) (func(int) color.NRGBA, error) {
	if f := cm.rolloutColors(theme); f != nil {
		return f, nil
	}
	return cm.themeColorsOf(theme, cov)
}

// loadColorsOf is colorsOf as a map is loaded: the rollout theme reads its
// states from m when m has them (a replay's service has none: the map
// shows no rollout then).
func (cm *CityMap) loadColorsOf(ctx context.Context, m data.MapService, theme string) (func(int) color.NRGBA, error) {
	if rs, ok := m.(RolloutService); ok && theme == "rollout" {
		states, err := rs.RolloutStates(ctx)
		if err != nil {
			return nil, err
		}
		cm.SetRollout(states)
	}
	return cm.colorsOf(theme, nil)
}

// rolloutLegend explains the rollout theme's colours (the labels are the
// states' terms).
func rolloutLegend() []LegendEntry {
	out := make([]LegendEntry, 0, len(data.RolloutStates)+1)
	for _, s := range data.RolloutStates {
		out = append(out, LegendEntry{RolloutColor[s], s.Term()})
	}
	return append(out, LegendEntry{RolloutNone, "no innovation project"})
}

// RolloutGridColor is grid i's colour on the rollout theme by the states
// set (the console's tests read it).
func (cm *CityMap) RolloutGridColor(i int) color.NRGBA { return cm.rolloutColors("rollout")(i) }
