package citymap

import (
	"image/color"
	"sync"

	"github.com/paulmach/orb"

	"kapok/data"
	kmaps "kapok/maps"
)

// Security layers (安全防控): markers for four of the security panel's six
// dimensions — police incidents by type, the centers by duty, the units on
// patrol, the districts' online opinion alerts by severity — set by the
// console from the store (this package reads no store for them); video and
// checkpoints are the cameras and checkpoints overlays. All are hidden
// until turned on.

// Security layer names.
const (
	LayerPolice  = "police_incidents"
	LayerCommand = "command"
	LayerPatrol  = "patrol_units"
	LayerOpinion = "opinion"
)

// SecurityLayers are the six dimensions' layers, in the panel's order:
// police incidents, command, patrol, video, checkpoints, network.
var SecurityLayers = []string{LayerPolice, LayerCommand, LayerPatrol, "cameras", "checkpoints", LayerOpinion}

// PoliceMark is a police incident on the map: where, in which grid, of
// which matter category.
type PoliceMark struct {
	At       orb.Point
	Grid     string
	Category string
}

// CenterMark is a center on the map with its duty now (DutyStaffed, …) and
// level (its symbol and the zoom it shows from, as the centers layer's).
type CenterMark struct {
	At    orb.Point
	Level string
	Duty  string
}

// OpinionMark is a district's online opinion alerts at its centre, by
// severity.
type OpinionMark struct {
	At       orb.Point
	Severity data.Severity
}

// Duty classes of CenterMark.
const (
	DutyStaffed = "staffed"
	DutyNobody  = "nobody_on_duty"
	DutyNoShift = "no_shift"
)

// Security layer colours, shared with the console's legends.
var (
	// PoliceColor colours an incident by its matter's category; others
	// PoliceOther.
	PoliceColor = map[string]color.NRGBA{"public_order": {200, 30, 30, 255}, "traffic": {30, 90, 200, 255},
		"special_groups": {150, 60, 170, 255}, "city_management": {90, 90, 90, 255}}
	PoliceOther = color.NRGBA{235, 120, 0, 255}
	// PoliceCategories are the categories PoliceColor names, in the
	// legend's order.
	PoliceCategories = []string{"public_order", "traffic", "special_groups", "city_management"}
	// PoliceRamp colours a grid by its police incidents: none, 1, 2, 3 or
	// more.
	PoliceRamp = []color.NRGBA{{236, 236, 240, 255}, {198, 219, 239, 255}, {107, 174, 214, 255}, {33, 113, 181, 255}}
	// DutyColor colours a center by its duty now.
	DutyColor = map[string]color.NRGBA{DutyStaffed: {30, 150, 70, 255}, DutyNobody: {215, 25, 28, 255}, DutyNoShift: {150, 150, 150, 255}}
	// PatrolColor is a unit on patrol.
	PatrolColor = color.NRGBA{0, 150, 200, 255}
	// OpinionColor colours a district's opinion alerts by severity.
	OpinionColor = map[data.Severity]color.NRGBA{data.Normal: {30, 150, 70, 255}, data.Warn: {240, 170, 0, 255}, data.Alarm: {200, 20, 20, 255}}
)

// Security holds the security layers' markers.
type Security struct {
	cm      *CityMap
	mu      sync.Mutex
	police  []PoliceMark
	centers []CenterMark
	patrol  []orb.Point
	opinion []OpinionMark
}

// AddSecurity adds the security layers to the city map, hidden.
func AddSecurity(cm *CityMap) *Security {
	s := &Security{cm: cm}
	marks := func(n func() int, at func(int) orb.Point, keep func(int) bool, colorOf func(int) color.NRGBA) func() ([]kmaps.Feature, func(int) color.NRGBA) {
		return func() ([]kmaps.Feature, func(int) color.NRGBA) {
			s.mu.Lock()
			defer s.mu.Unlock()
			var out []kmaps.Feature
			cols := map[int]color.NRGBA{}
			for i := range n() {
				if keep(i) {
					out = append(out, kmaps.Feature{ID: i, Geom: kmaps.ProjectPoint(at(i))})
					cols[i] = colorOf(i)
				}
			}
			return out, func(id int) color.NRGBA { return cols[id] }
		}
	}
	all := func(int) bool { return true }
	cm.Map.AddMarkersFunc(LayerPolice, marks(func() int { return len(s.police) }, func(i int) orb.Point { return s.police[i].At }, all,
		func(i int) color.NRGBA { return PoliceTypeColor(s.police[i].Category) }), kmaps.MarkerStyle{Radius: 5, Shape: kmaps.Triangle})
	for _, cs := range CenterStyles {
		cm.Map.AddMarkersFunc(LayerCommand, marks(func() int { return len(s.centers) }, func(i int) orb.Point { return s.centers[i].At },
			func(i int) bool { return s.centers[i].Level == cs.Level },
			func(i int) color.NRGBA { return DutyColor[s.centers[i].Duty] }),
			kmaps.MarkerStyle{Radius: cs.Style.Radius + 1, Shape: cs.Style.Shape, MinZoom: cs.MinZoom})
	}
	cm.Map.AddMarkersFunc(LayerPatrol, marks(func() int { return len(s.patrol) }, func(i int) orb.Point { return s.patrol[i] }, all,
		func(int) color.NRGBA { return PatrolColor }), kmaps.MarkerStyle{Radius: 5, Shape: kmaps.Disc})
	cm.Map.AddMarkersFunc(LayerOpinion, marks(func() int { return len(s.opinion) }, func(i int) orb.Point { return s.opinion[i].At }, all,
		func(i int) color.NRGBA { return OpinionColor[s.opinion[i].Severity] }), kmaps.MarkerStyle{Radius: 10, Shape: kmaps.Square})
	for _, l := range []string{LayerPolice, LayerCommand, LayerPatrol, LayerOpinion} {
		cm.Map.SetVisible(l, false)
	}
	return s
}

// PoliceTypeColor is an incident's colour by its matter's category.
func PoliceTypeColor(category string) color.NRGBA {
	if c, ok := PoliceColor[category]; ok {
		return c
	}
	return PoliceOther
}

// SetPolice sets the police incidents: their markers and the police
// theme's counts per grid (recoloured by the next SetTheme("police")).
func (s *Security) SetPolice(ms []PoliceMark) {
	counts := map[string]int{}
	for _, m := range ms {
		counts[m.Grid]++
	}
	s.mu.Lock()
	s.police = ms
	s.mu.Unlock()
	s.cm.scores.mu.Lock()
	s.cm.scores.police = counts
	s.cm.scores.mu.Unlock()
	s.cm.Map.Reload(LayerPolice)
}

// SetCommand sets the centers with their duty.
func (s *Security) SetCommand(ms []CenterMark) {
	s.mu.Lock()
	s.centers = ms
	s.mu.Unlock()
	s.cm.Map.Reload(LayerCommand)
}

// SetPatrol sets where the units on patrol are.
func (s *Security) SetPatrol(at []orb.Point) {
	s.mu.Lock()
	s.patrol = at
	s.mu.Unlock()
	s.cm.Map.Reload(LayerPatrol)
}

// SetOpinion sets the districts' online opinion alerts.
func (s *Security) SetOpinion(ms []OpinionMark) {
	s.mu.Lock()
	s.opinion = ms
	s.mu.Unlock()
	s.cm.Map.Reload(LayerOpinion)
}

// policeLegend explains the police theme's colours.
func policeLegend() []LegendEntry {
	return []LegendEntry{{PoliceRamp[0], "no police incidents"}, {PoliceRamp[1], "1 police incident"}, {PoliceRamp[2], "2 police incidents"},
		{PoliceRamp[3], "3 or more police incidents"}}
}
