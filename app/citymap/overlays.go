package citymap

import (
	"context"
	"image/color"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	kmaps "kapok/maps"
)

// MapLayers are the layers the layers panel shows or hides, top of the
// list first.
var MapLayers = []string{"districts", "streets", "communities", "grids", "centers", "units", "events", "dispatch",
	"cameras", "checkpoints", "patrol_routes", "orders"}

// HiddenAtStart are off until the user turns them on: dense and rarely
// needed at a glance.
var HiddenAtStart = map[string]bool{"cameras": true, "patrol_routes": true}

// Overlays are the point and line layers over the grids, read from the
// mirror the first time a frame shows them.
type Overlays struct {
	m data.MapService
	// src, when set (SetSource: a replay), answers instead of m.
	src atomic.Pointer[data.MapService]
	// asOf is the instant case markers are classed at (SetAsOf: the
	// console's clock; the wall clock until set), in Unix nanoseconds: the
	// layers load on the goroutine drawing a frame while the console moves
	// its clock on.
	asOf   atomic.Int64
	mu     sync.Mutex
	loaded map[string][]data.MapFeature
}

// SetAsOf sets the instant case markers are classed at (the next time they
// are loaded: see Forget).
func (o *Overlays) SetAsOf(t time.Time) { o.asOf.Store(t.UnixNano()) }

// SetSource makes the layers read from another map service (a replay's,
// citymap.Replay); nil goes back to the mirror's. Forget and Reload the
// layers after.
func (o *Overlays) SetSource(m data.MapService) {
	if m == nil {
		o.src.Store(nil)
		return
	}
	o.src.Store(&m)
}

// source is the map service the layers read from.
func (o *Overlays) source() data.MapService {
	if p := o.src.Load(); p != nil {
		return *p
	}
	return o.m
}

// at is the instant set, or now.
func (o *Overlays) at() time.Time {
	if n := o.asOf.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Now()
}

// Feature returns the overlay feature behind a marker id.
func (o *Overlays) Feature(layer string, id int) (data.MapFeature, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	fs := o.loaded[layer]
	if id < 0 || id >= len(fs) {
		return data.MapFeature{}, false
	}
	return fs[id], true
}

// Forget drops what was read of these layers: the next frame reads them
// again (after Map.Reload).
func (o *Overlays) Forget(layers ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, l := range layers {
		delete(o.loaded, l)
	}
}

func (o *Overlays) load(layer string) []data.MapFeature {
	o.mu.Lock()
	defer o.mu.Unlock()
	if fs, ok := o.loaded[layer]; ok {
		return fs
	}
	ctx := context.Background()
	fs, err := o.source().LoadOverlay(ctx, layer, o.at())
	if err != nil {
		fs = nil // the map without this layer rather than no map
	}
	o.loaded[layer] = fs
	return fs
}

// Overlay colours, shared with the symbol legend.
var (
	// EventColor colours a case marker by its clock: grey-blue before
	// dispatch, green running, amber past 75 % of its limit (the yellow
	// card), red overdue (the red card).
	EventColor = map[string]color.NRGBA{string(data.ClockNone): {96, 112, 140, 255}, string(data.ClockRunning): {30, 150, 70, 255},
		string(data.ClockWarning): {240, 170, 0, 255}, string(data.ClockOverdue): {200, 20, 20, 255}}
	// DispatchColor is the line from a dispatched unit to its case.
	DispatchColor     = color.NRGBA{30, 100, 200, 220}
	CameraColor       = map[string]color.NRGBA{"online": {60, 90, 140, 255}, "offline": {150, 150, 150, 255}}
	CheckpointColor   = color.NRGBA{90, 60, 30, 255}
	OrderColor        = color.NRGBA{170, 0, 200, 255}
	OverdueOrderColor = color.NRGBA{220, 0, 0, 255}
)

// CenterStyle is a center level's symbol, size and colour.
type CenterStyle struct {
	Level   string
	Style   kmaps.MarkerStyle
	Color   color.NRGBA
	MinZoom float64
}

// CenterStyles gives each center level its own symbol, size and colour.
var CenterStyles = []CenterStyle{
	{"community", kmaps.MarkerStyle{Radius: 4, Shape: kmaps.Disc, MinZoom: 13}, color.NRGBA{0, 128, 128, 255}, 13},
	{"street", kmaps.MarkerStyle{Radius: 5.5, Shape: kmaps.Triangle, MinZoom: 10.5}, color.NRGBA{0, 100, 170, 255}, 10.5},
	{"district", kmaps.MarkerStyle{Radius: 7, Shape: kmaps.Diamond}, color.NRGBA{120, 40, 160, 255}, 0},
	{"city", kmaps.MarkerStyle{Radius: 8, Shape: kmaps.Square}, color.NRGBA{190, 20, 40, 255}, 0},
}

// AddOverlays adds the centers, events, cameras, checkpoints, patrol routes
// and orders layers to the city map.
func AddOverlays(cm *CityMap, m data.MapService) *Overlays {
	o := &Overlays{m: m, loaded: map[string][]data.MapFeature{}}
	points := func(layer string, keep func(data.MapFeature) bool, colorOf func(data.MapFeature) color.NRGBA) func() ([]kmaps.Feature, func(int) color.NRGBA) {
		return func() ([]kmaps.Feature, func(int) color.NRGBA) {
			fs := o.load(layer)
			var out []kmaps.Feature
			for i, f := range fs {
				if p, ok := f.Geom.(orb.Point); ok && keep(f) {
					out = append(out, kmaps.Feature{ID: i, Geom: kmaps.ProjectPoint(p)})
				}
			}
			return out, func(id int) color.NRGBA { return colorOf(fs[id]) }
		}
	}
	all := func(data.MapFeature) bool { return true }
	for _, cs := range CenterStyles {
		cm.Map.AddMarkersFunc("centers", points("centers", func(f data.MapFeature) bool { return f.Class == cs.Level },
			func(data.MapFeature) color.NRGBA { return cs.Color }), cs.Style)
	}
	cm.Map.AddMarkersFunc("events", points("events", all, func(f data.MapFeature) color.NRGBA { return EventColor[f.Class] }),
		kmaps.MarkerStyle{Radius: 5, Shape: kmaps.Diamond, MinZoom: 12})
	cm.Map.AddOutlinesFunc("dispatch", func() []kmaps.Feature {
		fs := o.load("dispatch")
		out := make([]kmaps.Feature, 0, len(fs))
		for i, f := range fs {
			out = append(out, kmaps.Feature{ID: i, Geom: kmaps.Project(orb.Clone(f.Geom))}) // a copy: the loaded features are shared and Project works in place
		}
		return out
	}, kmaps.OutlineStyle{Color: DispatchColor, Width: 2, MinZoom: 11})
	cm.Map.AddMarkersFunc("cameras", points("cameras", all, func(f data.MapFeature) color.NRGBA { return CameraColor[f.Class] }),
		kmaps.MarkerStyle{Radius: 2.5, Shape: kmaps.Square, MinZoom: 14})
	cm.Map.AddMarkersFunc("checkpoints", points("checkpoints", all, func(data.MapFeature) color.NRGBA { return CheckpointColor }),
		kmaps.MarkerStyle{Radius: 4, Shape: kmaps.Square, MinZoom: 11})
	cm.Map.AddOutlinesFunc("patrol_routes", func() []kmaps.Feature {
		fs := o.load("patrol_routes")
		out := make([]kmaps.Feature, 0, len(fs))
		for i, f := range fs {
			out = append(out, kmaps.Feature{ID: i, Geom: kmaps.Project(orb.Clone(f.Geom))}) // a copy: the loaded features are shared and Project works in place
		}
		return out
	}, kmaps.OutlineStyle{Color: color.NRGBA{20, 140, 60, 230}, Width: 2, MinZoom: 11})
	cm.Map.AddOutlinesFunc("orders", func() []kmaps.Feature { return orderedGrids(cm, o.source(), "") },
		kmaps.OutlineStyle{Color: OrderColor, Width: 4})
	cm.Map.AddOutlinesFunc("orders", func() []kmaps.Feature { return orderedGrids(cm, o.source(), data.OrderOverdue) },
		kmaps.OutlineStyle{Color: OverdueOrderColor, Width: 4})
	for name := range HiddenAtStart {
		cm.Map.SetVisible(name, false)
	}
	return o
}

// orderedGrids are the grids under running orders: the overdue ones for
// state overdue, the others for "".
func orderedGrids(cm *CityMap, m data.MapService, state data.OrderState) []kmaps.Feature {
	active, err := m.ActiveOrderGrids(context.Background())
	if err != nil {
		return nil
	}
	ix := cm.Map.FillIndex()
	var out []kmaps.Feature
	for code, s := range active {
		if (s == data.OrderOverdue) != (state == data.OrderOverdue) {
			continue
		}
		if i, ok := cm.Pos[code]; ok && ix != nil {
			out = append(out, kmaps.Feature{ID: i, Geom: ix.Feature(i).Geom})
		}
	}
	return out
}
