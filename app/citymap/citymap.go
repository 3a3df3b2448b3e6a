package citymap

import (
	"cmp"
	"context"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"kapok/assets"
	"kapok/data"
	"kapok/data/schedule"
	kmaps "kapok/maps"
)

// Themes colour the grids by status. "coverage" colours them by the patrols
// planned for them in one shift, from the coverage set with SetCoverage;
// "redcotton" by their district's Red Cotton score (SetRedCotton),
// "police" by their police incidents (Security.SetPolice), "rollout" by
// the innovation program's pilots and rollouts (SetRollout, rollout.go).
var Themes = []string{"plain", "events", "overdue", "units", "coverage", "redcotton", "police", "rollout"}

// CityMap is the city ready to draw.
type CityMap struct {
	Map    *kmaps.Map
	Grids  []data.Grid // attributes by fill id; boundaries are in Map (projected)
	Extent orb.Bound   // Web Mercator
	// Events are the open and overdue counts per grid code as of the
	// mirror's time, loaded for every theme (the console's tooltips and
	// themes need them).
	Events map[string]data.GridEvents
	// Pos maps a grid code to its position in Grids (its fill id).
	Pos map[string]int
	// units loads the emergency units on first use (they are drawn from
	// street zoom on); the mirror must stay open until then. RefreshStatus
	// swaps in a copy with new statuses (frames being drawn keep theirs).
	loadUnits func() (*UnitLayer, error)
	unitsMu   sync.Mutex
	unitsNow  *UnitLayer
	// coverage is the patrols required and planned per grid code in the
	// shift the coverage theme shows (SetCoverage); grids not in it are
	// outside the region shown.
	coverMu  sync.Mutex
	coverage map[string]schedule.Cell
	// scores are the Red Cotton and police themes' (redcotton.go).
	scores themeScores
	// rollout is the rollout theme's states (rollout.go).
	rollout rolloutStates
}

// SetCoverage sets what the coverage theme shows: the patrols required and
// planned in one shift for the grids of a region (nil: none). The grids are
// recoloured by the next SetTheme("coverage").
func (cm *CityMap) SetCoverage(cells map[string]schedule.Cell) {
	cm.coverMu.Lock()
	defer cm.coverMu.Unlock()
	cm.coverage = cells
}

func (cm *CityMap) coverageCells() map[string]schedule.Cell {
	cm.coverMu.Lock()
	defer cm.coverMu.Unlock()
	return cm.coverage
}

// UnitLayer is the emergency units, indexed for nearest-unit queries.
type UnitLayer struct {
	Units []data.Unit
	Index *kmaps.Index // ids are positions in Units
}

// Units returns the unit layer, loading it on first use.
func (cm *CityMap) Units() (*UnitLayer, error) { return cm.units() }

func (cm *CityMap) units() (*UnitLayer, error) {
	cm.unitsMu.Lock()
	defer cm.unitsMu.Unlock()
	if cm.unitsNow != nil {
		return cm.unitsNow, nil
	}
	ul, err := cm.loadUnits()
	if err == nil {
		cm.unitsNow = ul
	}
	return ul, err
}

// SetTheme recolours the grids by another theme; nothing is rasterized again.
func (cm *CityMap) SetTheme(theme string) error {
	colorOf, err := cm.colorsOf(theme, cm.coverageCells())
	if err != nil {
		return err
	}
	changes := make(map[int]color.NRGBA, len(cm.Grids))
	for i := range cm.Grids {
		changes[i] = colorOf(i)
	}
	cm.Map.SetFillColors(changes)
	return nil
}

// LoadAt loads the mirror's layers into a map coloured by theme, the grids'
// open and overdue counts taken at asOf (the console's clock). The queries
// run in parallel, the district and street linework (drawn from city zoom
// on) is built beside them, finer linework when a frame first needs it; the
// grids' R-tree is built on the first hit-test (or by Map.Prepare), since a
// frame does without it.
func LoadAt(ctx context.Context, m data.MapService, theme string, asOf time.Time) (*CityMap, error) {
	return load(ctx, m, theme, true, asOf)
}

// load is Load; without console (`kapok render`) it reads only what a
// frame draws (the grids' codes and kinds, not their other attributes, in
// bulk: see data/mirror's GridGeometry), leaves Pos empty and keeps no
// tile cache.
func load(ctx context.Context, m data.MapService, theme string, console bool, asOf time.Time) (*CityMap, error) {
	var (
		grids  []data.Grid
		feats  []kmaps.Feature
		bounds []orb.Bound
		shapes [2][]data.Shape // district, street
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  error
	)
	run := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		}()
	}
	run(func() (err error) { grids, feats, bounds, err = loadGrids(ctx, m, console); return })
	var events map[string]data.GridEvents
	// Boundaries as linework: each edge once, at the coarsest level that has
	// it. Each level skips the edges of the one above, so they are built in
	// a chain: districts and streets here, communities and grids on first
	// use.
	projected := func(ss []data.Shape) []orb.Geometry {
		out := make([]orb.Geometry, len(ss))
		for i, s := range ss {
			out[i] = kmaps.Project(s.Boundary.Clone())
		}
		return out
	}
	district := sync.OnceValue(func() *kmaps.Linework { return kmaps.NewLinework(projected(shapes[0]), nil) })
	street := sync.OnceValue(func() *kmaps.Linework { return kmaps.NewLinework(projected(shapes[1]), district()) })
	// The rest on one goroutine, leaving the other core to the grids: the
	// largest read, and the last to finish.
	run(func() error {
		var err error
		if events, err = m.EventsByGrid(ctx, asOf); err != nil {
			return err
		}
		for i, lv := range []data.Level{data.LevelDistrict, data.LevelStreet} {
			if shapes[i], err = m.LoadShapes(ctx, lv); err != nil {
				return err
			}
		}
		// Every frame from city zoom on draws these two: build them now,
		// beside the grids' reading, rather than in the first frame.
		street()
		return nil
	})
	wg.Wait()
	if first != nil {
		return nil, first
	}
	cache := 160
	if !console {
		cache = 0 // drawn once: tiles go straight into the frame
	}
	cm := &CityMap{Map: kmaps.NewMap(cache), Grids: grids, Events: events}
	if console {
		cm.Pos = make(map[string]int, len(grids))
		for i, g := range grids {
			cm.Pos[g.Code] = i
		}
	}
	cm.loadUnits = sync.OnceValues(func() (*UnitLayer, error) {
		units, err := m.LoadUnits(context.Background())
		if err != nil {
			return nil, err
		}
		ufs := make([]kmaps.Feature, len(units))
		for i, u := range units {
			ufs[i] = kmaps.Feature{ID: i, Geom: kmaps.ProjectPoint(u.Location)}
		}
		return &UnitLayer{Units: units, Index: kmaps.NewIndex(ufs)}, nil
	})
	colorOf, err := cm.loadColorsOf(ctx, m, theme)
	if err != nil {
		return nil, err
	}
	for i, b := range bounds {
		if i == 0 {
			cm.Extent = b
		}
		cm.Extent = cm.Extent.Union(b)
	}
	cm.Map.SetFillIndex(kmaps.NewIndexBounds(feats, bounds), colorOf)

	community := sync.OnceValue(func() *kmaps.Linework {
		cs, err := m.LoadShapes(context.Background(), data.LevelCommunity)
		if err != nil {
			cs = nil // drawn without community lines rather than not at all
		}
		return kmaps.NewLinework(projected(cs), street())
	})
	grid := sync.OnceValue(func() *kmaps.Linework {
		polys := make([]orb.Geometry, len(feats))
		for i, f := range feats {
			polys[i] = f.Geom
		}
		return kmaps.NewLinework(polys, community())
	})
	// Finest first, so coarser lines lie on top. Grid edges shorter than 6
	// pixels are not stroked: at city zoom grids show as fills, not a mesh.
	cm.Map.AddOutlinesFunc("grids", lineFeatures(grid), kmaps.OutlineStyle{Color: color.NRGBA{255, 255, 255, 210}, Width: 0.6, MinZoom: 11.5, MinPixels: 6})
	cm.Map.AddOutlinesFunc("communities", lineFeatures(community), kmaps.OutlineStyle{Color: color.NRGBA{110, 110, 110, 170}, Width: 0.7, MinZoom: 10.5})
	cm.Map.AddOutlinesFunc("streets", lineFeatures(street), kmaps.OutlineStyle{Color: color.NRGBA{80, 80, 80, 220}, Width: 0.9, MinZoom: 9})
	cm.Map.AddOutlinesFunc("districts", lineFeatures(district), kmaps.OutlineStyle{Color: color.NRGBA{40, 40, 48, 255}, Width: 1.8})

	if err := addLabels(cm.Map, shapes[0], shapes[1], m); err != nil {
		return nil, err
	}
	cm.Map.AddPointsFunc("units", func() ([]kmaps.Feature, func(int) color.NRGBA) {
		ul, err := cm.units()
		if err != nil {
			return nil, nil
		}
		feats := make([]kmaps.Feature, ul.Index.Len())
		for i := range feats {
			feats[i] = ul.Index.Feature(i)
		}
		return feats, func(i int) color.NRGBA { return UnitColor[ul.Units[i].Status] }
	}, 3, 14)
	return cm, nil
}

func lineFeatures(lw func() *kmaps.Linework) func() []kmaps.Feature {
	return func() []kmaps.Feature {
		lines := lw().Lines
		fs := make([]kmaps.Feature, len(lines))
		for i, l := range lines {
			fs[i] = kmaps.Feature{ID: i, Geom: l}
		}
		return fs
	}
}

// UnitColor is a unit marker's colour by status.
var UnitColor = map[data.UnitStatus]color.NRGBA{"available": {46, 139, 87, 255}, "dispatched": {30, 100, 200, 255},
	"busy": {230, 140, 20, 255}, "offline": {120, 120, 120, 255}}

var kindColor = map[string]color.NRGBA{data.GridResidential: {238, 226, 200, 255}, data.GridVillage: {214, 232, 200, 255},
	data.GridCommercial: {247, 212, 180, 255}, data.GridIndustrial: {214, 208, 226, 255}, data.GridSpecial: {196, 222, 240, 255}}

// Theme colours, shared by the map and its legend.
var (
	eventRamp   = []color.NRGBA{{232, 236, 226, 255}, {253, 224, 139, 255}, {249, 164, 74, 255}, {214, 60, 44, 255}}
	noOverdue   = color.NRGBA{230, 230, 230, 255}
	unitsAbsent = color.NRGBA{221, 221, 221, 255}
	unitsAll    = color.NRGBA{159, 214, 155, 255}
	unitsSome   = color.NRGBA{244, 211, 94, 255}
	unitsNone   = color.NRGBA{217, 83, 79, 255}

	coverCovered = color.NRGBA{140, 205, 135, 255}
	coverUnder   = color.NRGBA{246, 196, 82, 255}
	coverNone    = color.NRGBA{226, 98, 88, 255}
	coverFree    = color.NRGBA{250, 250, 246, 255}
	coverOutside = color.NRGBA{214, 214, 210, 255}
)

// Coverage is where a grid stands in a shift: covered (planned at least
// the patrols required), under-covered (some, too few), uncovered (none of
// those required) or none required.
type Coverage int

// Coverage states, worst last.
const (
	NoneRequired Coverage = iota
	Covered
	UnderCovered
	Uncovered
)

// CoverageOf is a cell's state.
func CoverageOf(c schedule.Cell) Coverage {
	switch {
	case c.Required <= 0:
		return NoneRequired
	case c.Planned >= c.Required:
		return Covered
	case c.Planned > 0:
		return UnderCovered
	}
	return Uncovered
}

// CoverageColor is a coverage state's colour, on the map and in the
// console's roster grid.
func CoverageColor(k Coverage) color.NRGBA {
	switch k {
	case Covered:
		return coverCovered
	case UnderCovered:
		return coverUnder
	case Uncovered:
		return coverNone
	}
	return coverFree
}

// themeColors returns the grid colour function of a theme; cov is the
// coverage theme's cells.
func themeColors(theme string, grids []data.Grid, ev map[string]data.GridEvents, units func() (*UnitLayer, error), cov map[string]schedule.Cell) (func(int) color.NRGBA, error) {
	switch theme {
	case "coverage":
		return func(i int) color.NRGBA {
			c, ok := cov[grids[i].Code]
			if !ok {
				return coverOutside
			}
			return CoverageColor(CoverageOf(c))
		}, nil
	case "plain":
		return func(i int) color.NRGBA { return kindColor[grids[i].Kind] }, nil
	case "events", "overdue":
		ramp := eventRamp
		return func(i int) color.NRGBA {
			e := ev[grids[i].Code]
			n := e.Open
			if theme == "overdue" {
				n = e.Overdue * 2 // one overdue case already stands out
				if n == 0 {
					return noOverdue
				}
			}
			return ramp[min(n, 3)]
		}, nil
	case "units":
		ul, err := units()
		if err != nil {
			return nil, err
		}
		avail, total := map[string]int{}, map[string]int{}
		for _, u := range ul.Units {
			total[u.GridCode]++
			if u.Status == data.UnitAvailable {
				avail[u.GridCode]++
			}
		}
		return func(i int) color.NRGBA {
			c := grids[i].Code
			switch {
			case total[c] == 0:
				return unitsAbsent
			case avail[c] == total[c]:
				return unitsAll
			case avail[c] > 0:
				return unitsSome
			}
			return unitsNone
		}, nil
	}
	return nil, fmt.Errorf("unknown theme %q (themes: %s)", theme, strings.Join(Themes, ", "))
}

// addLabels names districts and streets in Chinese over pinyin, and
// communities in Chinese at close zoom.
func addLabels(mp *kmaps.Map, districts, streets []data.Shape, m data.MapService) error {
	lb, err := Font()
	if err != nil {
		return err
	}
	mp.SetLabeler(lb)
	labels := func(ss []data.Shape, priority int, bilingual bool) []kmaps.Label {
		out := make([]kmaps.Label, len(ss))
		for i, s := range ss {
			text := s.Name
			if bilingual {
				text += "\n" + RomanName(s.Name)
			}
			out[i] = kmaps.Label{Text: text, At: kmaps.ProjectPoint(s.LabelAt), Priority: priority}
		}
		return out
	}
	halo := color.NRGBA{255, 255, 255, 230}
	mp.AddLabels(labels(districts, 3, true), kmaps.LabelStyle{Size: 15, Color: color.NRGBA{30, 30, 40, 255}, Halo: halo, MaxZoom: 12})
	mp.AddLabels(labels(streets, 2, true), kmaps.LabelStyle{Size: 11, Color: color.NRGBA{70, 70, 70, 255}, Halo: halo, MinZoom: 10.5, MaxZoom: 14})
	mp.AddLabelsFunc(func() []kmaps.Label {
		communities, err := m.LoadShapes(context.Background(), data.LevelCommunity)
		if err != nil {
			return nil // the map without community names rather than no map
		}
		for i := range communities {
			communities[i].Name = data.ShortName(communities[i].Name)
		}
		return labels(communities, 1, false)
	}, kmaps.LabelStyle{Size: 10, Color: color.NRGBA{90, 90, 90, 255}, Halo: halo, MinZoom: 13})
	return nil
}

// RomanName is the pinyin of a region's proper name without its
// administrative suffix, capitalised (data.RomanName).
func RomanName(name string) string { return data.RomanName(name) }

// LegendEntry is one colour of a theme's legend; Label is translated.
type LegendEntry struct {
	Color color.NRGBA
	Label string
}

// Legend explains a theme's colours.
func Legend(theme string) []LegendEntry {
	switch theme {
	case "plain":
		return []LegendEntry{{kindColor[data.GridResidential], "residential"}, {kindColor[data.GridVillage], "village"},
			{kindColor[data.GridCommercial], "commercial"}, {kindColor[data.GridIndustrial], "industrial"}, {kindColor[data.GridSpecial], "special"}}
	case "events":
		return []LegendEntry{{eventRamp[0], "no open events"}, {eventRamp[1], "1 open"}, {eventRamp[2], "2 open"}, {eventRamp[3], "3 or more open"}}
	case "overdue":
		return []LegendEntry{{noOverdue, "none overdue"}, {eventRamp[2], "1 overdue"}, {eventRamp[3], "2 or more overdue"}}
	case "units":
		return []LegendEntry{{unitsAll, "all units available"}, {unitsSome, "some available"}, {unitsNone, "none available"}, {unitsAbsent, "no units"}}
	case "coverage":
		return []LegendEntry{{coverCovered, "covered"}, {coverUnder, "under-covered"}, {coverNone, "uncovered"}, {coverFree, "none required"},
			{coverOutside, "outside the region shown"}}
	case "redcotton":
		return redCottonLegend()
	case "police":
		return policeLegend()
	case "rollout":
		return rolloutLegend()
	}
	return nil
}

// Font is a labeler with the bundled CJK and Latin font (assets/fonts).
func Font() (*kmaps.Labeler, error) {
	ttf, err := assets.FS.ReadFile("fonts/kapok-cjk.ttf")
	if err != nil {
		return nil, err
	}
	return kmaps.NewLabeler(ttf)
}
