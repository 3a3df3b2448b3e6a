package maps

import (
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// tilePx is the side of a cached raster tile. Zoom levels keep the web
// standard of 256-pixel tiles (TileSize); raster tiles are smaller so that
// the partly visible tiles at the frame's edges draw fewer unseen pixels.
const tilePx = 192

// Map is the layers to draw and the tiles already drawn. Its methods are
// safe to call from several goroutines; Render may run while the UI starts
// another one (cancel the stale one's context).
type Map struct {
	Background color.NRGBA

	mu        sync.Mutex
	fill      *fillLayer
	outlines  []*outlineLayer
	points    []*pointLayer
	labels    []*labelLayer
	labeler   *Labeler
	highlight *highlight
	palette   []color.NRGBA // by fill position + 1; 0 is "no polygon"
	packed    []uint32      // palette over the background, as RGBA bytes in memory order
	// paletteGen counts palette changes: a tile composed under an older
	// palette than the one current when it is cached is cached stale.
	paletteGen uint64
	geomGen    uint64 // bumped when layers change: old tiles are void
	tiles      *lru.Cache[tileKey, *tile]
	// frames is held (read) by every Render and (write) by ClearCache, so
	// recycled tiles are never in use by a frame.
	frames    sync.RWMutex
	recycling bool
	drawn     atomic.Uint64 // tiles rasterized, for the pan benchmarks
}

// tileKey names a tile: its column and row at one resolution, for one
// generation of the layers.
type tileKey struct {
	res     uint64 // math.Float64bits of metres per pixel
	x, y    int
	geomGen uint64
}

type tile struct {
	ids   []uint32    // fill positions + 1, row-major tilePx²
	lines []lineMask  // outline coverage, one per outline layer that has lines here
	img   *image.RGBA // composed: palette fill with the outlines on top
	// stale: the palette changed under it, compose again. Read and written
	// under Map.mu only. A cached tile is never composed again in place
	// (frames may be copying its img): a stale one is composed into a copy
	// that replaces it in the cache (recoloured).
	stale bool
}

// recoloured is a copy of a cached tile to compose again: it shares the
// tile's ids and line masks, which no one writes once the tile is drawn, and
// has an image of its own.
func (t *tile) recoloured() *tile {
	return &tile{ids: t.ids, lines: t.lines, img: image.NewRGBA(image.Rect(0, 0, tilePx, tilePx))}
}

// NewMap makes an empty map whose tile cache holds up to cacheTiles tiles
// (each about 0.75 MB). With cacheTiles 0 it keeps none: each frame draws
// its tiles straight into the frame, which is what a map drawn once
// (`kapok render`) wants.
func NewMap(cacheTiles int) *Map {
	m := &Map{Background: color.NRGBA{0xf4, 0xf3, 0xef, 0xff}}
	if cacheTiles <= 0 {
		return m
	}
	// Tiles dropped by ClearCache give their buffers back, so a cold frame
	// allocates little once the pool is warm. Tiles evicted while frames may
	// still hold them are left to the garbage collector.
	m.tiles, _ = lru.NewWithEvict(max(cacheTiles, 16), func(_ tileKey, t *tile) {
		if m.recycling {
			tilePool.Put(t)
		}
	})
	return m
}

var tilePool = sync.Pool{New: func() any {
	return &tile{ids: make([]uint32, tilePx*tilePx), img: image.NewRGBA(image.Rect(0, 0, tilePx, tilePx))}
}}

// newTile takes a cleared tile from the pool.
func newTile() *tile {
	t := tilePool.Get().(*tile)
	if t.img == nil {
		t.img = image.NewRGBA(image.Rect(0, 0, tilePx, tilePx))
	}
	t.reset()
	return t
}

// reset clears the tile's ids and gives its line masks back.
func (t *tile) reset() {
	clear(t.ids)
	for _, l := range t.lines {
		maskPool.Put(l.mask)
	}
	t.lines = t.lines[:0]
	t.stale = false
}

// lineMask is one outline layer's anti-aliased coverage in a tile.
type lineMask struct {
	mask  *image.Alpha
	color color.NRGBA
}

var maskPool = sync.Pool{New: func() any { return image.NewAlpha(image.Rect(0, 0, tilePx, tilePx)) }}

// scratch is one worker's reusable buffers.
type scratch struct {
	rings [][]float64
	xs    []float64
	z     *vector.Rasterizer
}

// SetFill sets the polygons filled by status (the grids), coloured by
// colorOf(id).
func (m *Map) SetFill(feats []Feature, colorOf func(id int) color.NRGBA) {
	m.SetFillIndex(NewIndex(feats), colorOf)
}

// SetFillIndex is SetFill with the features already indexed (by
// NewIndexBounds, with bounds found while projecting).
func (m *Map) SetFillIndex(ix *Index, colorOf func(id int) color.NRGBA) {
	fl := &fillLayer{index: ix, lod: newLODBands(ix.feats)}
	pal := make([]color.NRGBA, len(ix.feats)+1)
	for i, f := range ix.feats {
		if f.ID != i && fl.pos == nil {
			// Ids are not positions: keep a map from one to the other.
			fl.pos = make(map[int]int32, len(ix.feats))
			for j, g := range ix.feats[:i] {
				fl.pos[g.ID] = int32(j)
			}
		}
		if fl.pos != nil {
			fl.pos[f.ID] = int32(i)
		}
		pal[i+1] = colorOf(f.ID)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fill, m.palette = fl, pal
	m.packed = make([]uint32, len(pal))
	for i := range pal {
		m.packed[i] = m.pack(i)
	}
	m.geomGen++
	m.paletteGen++
}

// TilesDrawn is how many tiles the map has rasterized since it was made
// (tiles taken from the cache are not counted).
func (m *Map) TilesDrawn() uint64 { return m.drawn.Load() }

// pack is palette entry i over the background (entry 0: the background),
// as the four bytes of an RGBA pixel read little-endian.
func (m *Map) pack(i int) uint32 {
	c := m.Background
	if i > 0 {
		c = over(m.palette[i], m.Background)
	}
	return uint32(c.R) | uint32(c.G)<<8 | uint32(c.B)<<16 | 0xff<<24
}

// FillIndex is the spatial index of the fill polygons (for hit-testing).
func (m *Map) FillIndex() *Index {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fill == nil {
		return nil
	}
	return m.fill.index
}

// AddOutlines adds a layer of boundaries or lines, drawn above the fill in
// the order added.
func (m *Map) AddOutlines(name string, feats []Feature, s OutlineStyle) {
	m.AddOutlinesFunc(name, func() []Feature { return feats }, s)
}

// AddOutlinesFunc adds an outline layer whose features are made by feats
// the first time a frame shows the layer: costly linework for street zooms
// is not built for a city-wide frame.
func (m *Map) AddOutlinesFunc(name string, feats func() []Feature, s OutlineStyle) {
	if s.MaxZoom == 0 {
		s.MaxZoom = math.Inf(1)
	}
	l := &outlineLayer{name: name, make: feats, color: s.Color, width: s.Width,
		minZoom: s.MinZoom, maxZoom: s.MaxZoom, minPixels: s.MinPixels}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.outlines = append(m.outlines, l)
	m.geomGen++
}

// AddPoints adds a marker layer drawn from minZoom on, above everything tiled.
func (m *Map) AddPoints(name string, feats []Feature, colorOf func(id int) color.NRGBA, radius, minZoom float64) {
	m.AddPointsFunc(name, func() ([]Feature, func(int) color.NRGBA) { return feats, colorOf }, radius, minZoom)
}

// AddPointsFunc adds a marker layer of discs whose features and colours are
// made the first time a frame shows it.
func (m *Map) AddPointsFunc(name string, make func() ([]Feature, func(id int) color.NRGBA), radius, minZoom float64) {
	m.AddMarkersFunc(name, make, MarkerStyle{Radius: radius, MinZoom: minZoom})
}

// MarkerStyle says how and when a marker layer is drawn.
type MarkerStyle struct {
	Radius  float64 // logical pixels
	MinZoom float64
	Shape   Shape
}

// AddMarkersFunc adds a marker layer in a style; several layers may share a
// name (centers, one shape per level) and are shown or hidden together.
func (m *Map) AddMarkersFunc(name string, make func() ([]Feature, func(id int) color.NRGBA), s MarkerStyle) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.points = append(m.points, &pointLayer{name: name, make: make, radius: s.Radius, minZoom: s.MinZoom, shape: s.Shape})
}

// SetVisible shows or hides every outline and marker layer of this name and
// reports whether there was one. Hiding outlines redraws the tiles.
func (m *Map) SetVisible(name string, on bool) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	found := false
	for _, l := range m.outlines {
		if l.name == name {
			found = true
			if l.hidden.Load() == on {
				l.hidden.Store(!on)
				m.geomGen++
			}
		}
	}
	for _, l := range m.points {
		if l.name == name {
			found = true
			l.hidden.Store(!on)
		}
	}
	return found
}

// Reload makes the outline and marker layers of this name build their
// features again on next use: their data changed (orders were issued).
func (m *Map) Reload(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	// Copy on write: frames being drawn keep the slices they took.
	outlines := append([]*outlineLayer(nil), m.outlines...)
	for i, l := range outlines {
		if l.name == name {
			nl := &outlineLayer{name: l.name, make: l.make, color: l.color, width: l.width,
				minZoom: l.minZoom, maxZoom: l.maxZoom, minPixels: l.minPixels}
			nl.hidden.Store(l.hidden.Load())
			outlines[i] = nl
			m.geomGen++
		}
	}
	m.outlines = outlines
	points := append([]*pointLayer(nil), m.points...)
	for i, l := range points {
		if l.name == name {
			nl := &pointLayer{name: l.name, make: l.make, radius: l.radius, minZoom: l.minZoom, shape: l.shape}
			nl.hidden.Store(l.hidden.Load())
			points[i] = nl
		}
	}
	m.points = points
}

// Visible reports whether the layers of this name are shown.
func (m *Map) Visible(name string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, l := range m.outlines {
		if l.name == name {
			return !l.hidden.Load()
		}
	}
	for _, l := range m.points {
		if l.name == name {
			return !l.hidden.Load()
		}
	}
	return false
}

// Markers are the indexes of the marker layers of this name, built if
// needed, for hit-testing.
func (m *Map) Markers(name string) []*Index {
	m.mu.Lock()
	layers := m.points
	m.mu.Unlock()
	var out []*Index
	for _, l := range layers {
		if l.name == name {
			l.ready()
			out = append(out, l.index)
		}
	}
	return out
}

// SetLabeler sets the font labels are drawn with.
func (m *Map) SetLabeler(l *Labeler) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.labeler = l
}

// AddLabels adds a label layer; labels are placed per frame, above
// everything else, without overlapping each other.
func (m *Map) AddLabels(labels []Label, s LabelStyle) {
	m.AddLabelsFunc(func() []Label { return labels }, s)
}

// AddLabelsFunc adds a label layer whose labels are made the first time a
// frame shows it.
func (m *Map) AddLabelsFunc(labels func() []Label, s LabelStyle) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.labels = append(m.labels, &labelLayer{make: labels, style: s})
}

// SetFillColors recolours fill polygons. Only the cached tiles those
// polygons touch are composed again, on their next use; nothing is
// rasterized again.
func (m *Map) SetFillColors(changes map[int]color.NRGBA) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fill == nil {
		return
	}
	var touched []orb.Bound
	var moved []int32
	var palette []color.NRGBA
	var packed []uint32
	for id, c := range changes {
		p, ok := m.fill.position(id)
		if !ok || m.palette[p+1] == c {
			continue // a theme recoloured again: most colours stay
		}
		if palette == nil {
			// New slices, not writes into the old: tiles being composed
			// read the palette they took without the lock.
			palette = append([]color.NRGBA(nil), m.palette...)
			packed = append([]uint32(nil), m.packed...)
		}
		palette[p+1] = c
		moved = append(moved, p)
		touched = append(touched, m.fill.index.bounds[p])
	}
	if palette == nil {
		return
	}
	m.palette, m.packed = palette, packed
	for _, p := range moved {
		m.packed[p+1] = m.pack(int(p) + 1)
	}
	m.paletteGen++
	if m.tiles == nil {
		return
	}
	for _, k := range m.tiles.Keys() {
		t, ok := m.tiles.Peek(k)
		if !ok || t.stale {
			continue
		}
		tb := tileBounds(k)
		for _, b := range touched {
			if tb.Intersects(b) {
				t.stale = true
				break
			}
		}
	}
}

// ClearCache drops every cached tile (the benchmarks' "cold"). It waits for
// frames being drawn.
func (m *Map) ClearCache() {
	m.frames.Lock()
	defer m.frames.Unlock()
	if m.tiles == nil {
		return
	}
	m.recycling = true
	m.tiles.Purge()
	m.recycling = false
}

func tileBounds(k tileKey) orb.Bound {
	res := math.Float64frombits(k.res)
	x0 := float64(k.x)*tilePx*res - worldSize/2
	y1 := worldSize/2 - float64(k.y)*tilePx*res
	return orb.Bound{Min: orb.Point{x0, y1 - tilePx*res}, Max: orb.Point{x0 + tilePx*res, y1}}
}

// Render draws the viewport. It returns ctx.Err() if cancelled before it
// finished; tiles finished by then stay cached for the next frame.
func (m *Map) Render(ctx context.Context, v Viewport) (*image.RGBA, error) {
	m.frames.RLock()
	defer m.frames.RUnlock()
	res := v.Resolution()
	w, h := v.PixelWidth(), v.PixelHeight()
	// The viewport's top-left corner in world pixels at this resolution.
	wx0 := (v.Center[0]+worldSize/2)/res - float64(w)/2
	wy0 := (worldSize/2-v.Center[1])/res - float64(h)/2
	ox, oy := math.Floor(wx0), math.Floor(wy0)
	m.mu.Lock()
	gen := m.geomGen
	m.mu.Unlock()
	// Tiles exist only inside the world; a viewport far outside it (or at
	// a zoom beyond float precision) shows the background.
	worldTiles := worldSize / res / tilePx
	var keys []tileKey
	worldPx := worldTiles * tilePx
	if finite(ox, oy, worldTiles) && worldTiles < 1<<40 &&
		ox+float64(w) > 0 && oy+float64(h) > 0 && ox < worldPx && oy < worldPx {
		ty0, tx0 := max(0, int(math.Floor(oy/tilePx))), max(0, int(math.Floor(ox/tilePx)))
		for ty := ty0; float64(ty*tilePx) < oy+float64(h) && float64(ty) < worldTiles; ty++ {
			for tx := tx0; float64(tx*tilePx) < ox+float64(w) && float64(tx) < worldTiles; tx++ {
				keys = append(keys, tileKey{math.Float64bits(res), tx, ty, gen})
			}
		}
	}
	frame := image.NewRGBA(image.Rect(0, 0, w, h))
	// Background only where no tile lands (outside the world).
	covered := image.Rectangle{}
	for _, k := range keys {
		at := image.Pt(k.x*tilePx-int(ox), k.y*tilePx-int(oy))
		covered = covered.Union(image.Rectangle{at, at.Add(image.Pt(tilePx, tilePx))})
	}
	if !frame.Bounds().In(covered) {
		draw.Draw(frame, frame.Bounds(), image.NewUniform(m.Background), image.Point{}, draw.Src)
	}
	if m.tiles == nil {
		if err := m.drawInto(ctx, frame, keys, v.Zoom, int(ox), int(oy)); err != nil {
			return nil, err
		}
	} else {
		tiles, err := m.tilesFor(ctx, keys, v.Zoom)
		if err != nil {
			return nil, err
		}
		for i, k := range keys {
			at := image.Pt(k.x*tilePx-int(ox), k.y*tilePx-int(oy))
			draw.Draw(frame, image.Rectangle{at, at.Add(image.Pt(tilePx, tilePx))}, tiles[i].img, image.Point{}, draw.Src)
		}
	}
	m.drawPoints(frame, v)
	m.mu.Lock()
	labeler, labels, hl := m.labeler, m.labels, m.highlight
	m.mu.Unlock()
	hl.draw(frame, v)
	drawLabels(frame, v, labeler, labels)
	return frame, ctx.Err()
}

// tilesFor returns the tiles for keys, drawing the missing ones on every core
// and composing the stale ones.
func (m *Map) tilesFor(ctx context.Context, keys []tileKey, zoom float64) ([]*tile, error) {
	out := make([]*tile, len(keys))
	var todo []int
	m.mu.Lock()
	for i, k := range keys {
		if t, ok := m.tiles.Get(k); ok {
			out[i] = t
		}
		if out[i] == nil {
			todo = append(todo, i)
		} else if out[i].stale {
			out[i] = out[i].recoloured()
			todo = append(todo, i)
		}
	}
	fill := m.fill
	m.mu.Unlock()
	var drawKeys []tileKey
	for _, i := range todo {
		if out[i] == nil {
			drawKeys = append(drawKeys, keys[i])
		}
	}
	var cands map[tileKey][]int32
	if fill != nil {
		cands = fillCandidates(fill.index, drawKeys)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := &scratch{z: vector.NewRasterizer(tilePx, tilePx)}
			for i := range next {
				if out[i] == nil {
					out[i] = newTile()
					m.drawTile(out[i], keys[i], zoom, cands[keys[i]], sc)
				}
				gen := m.compose(out[i], out[i].img.Pix, out[i].img.Stride, image.Rect(0, 0, tilePx, tilePx))
				// A recolouring between compose and here could not mark
				// this tile (it was not cached yet): cache it stale.
				m.mu.Lock()
				if gen != m.paletteGen {
					out[i].stale = true
				}
				m.tiles.Add(keys[i], out[i])
				m.mu.Unlock()
			}
		}()
	}
	for _, i := range todo {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out, ctx.Err()
}

// drawInto draws the tiles of keys straight into frame, whose top-left
// corner is at world pixel (ox, oy): a map without a tile cache. Each
// worker reuses one tile's buffers, and only the part of a tile inside the
// frame is composed.
func (m *Map) drawInto(ctx context.Context, frame *image.RGBA, keys []tileKey, zoom float64, ox, oy int) error {
	m.mu.Lock()
	fill := m.fill
	m.mu.Unlock()
	var cands map[tileKey][]int32
	if fill != nil {
		cands = fillCandidates(fill.index, keys)
	}
	var wg sync.WaitGroup
	next := make(chan tileKey)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := &scratch{z: vector.NewRasterizer(tilePx, tilePx)}
			t := &tile{ids: make([]uint32, tilePx*tilePx)}
			for k := range next {
				t.reset()
				m.drawTile(t, k, zoom, cands[k], sc)
				at := image.Pt(k.x*tilePx-ox, k.y*tilePx-oy)
				r := image.Rectangle{at, at.Add(image.Pt(tilePx, tilePx))}.Intersect(frame.Bounds())
				if r.Empty() {
					continue
				}
				m.compose(t, frame.Pix[frame.PixOffset(r.Min.X, r.Min.Y):], frame.Stride, r.Sub(at))
			}
			t.reset()
		}()
	}
	for _, k := range keys {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

// fillCandidates lists, for each tile, the fill positions whose bounds meet
// it, in ascending order, so that a tile is filled in one order however
// they were found: through the R-tree once something has built it (a
// console's hit-testing), else by one pass over the bounds, which costs a
// frame less than building the tree would.
func fillCandidates(ix *Index, keys []tileKey) map[tileKey][]int32 {
	out := make(map[tileKey][]int32, len(keys))
	if len(keys) == 0 {
		return out
	}
	if ix.built.Load() {
		for _, k := range keys {
			tb := tileBounds(k)
			var ids []int32
			ix.tree.Search(tb.Min, tb.Max, func(_, _ [2]float64, i int32) bool {
				ids = append(ids, i)
				return true
			})
			slices.Sort(ids)
			out[k] = ids
		}
		return out
	}
	// The tiles of a frame share a resolution; bin each bound into the
	// columns and rows of tiles it meets.
	x0, y0, x1, y1 := keys[0].x, keys[0].y, keys[0].x, keys[0].y
	for _, k := range keys {
		x0, y0, x1, y1 = min(x0, k.x), min(y0, k.y), max(x1, k.x), max(y1, k.y)
	}
	w := x1 - x0 + 1
	slot := make([]int, w*(y1-y0+1))
	for i := range slot {
		slot[i] = -1
	}
	for n, k := range keys {
		slot[(k.y-y0)*w+k.x-x0] = n
	}
	lists := make([][]int32, len(keys))
	span := tilePx * math.Float64frombits(keys[0].res)
	for i, b := range ix.bounds {
		if !ix.drawable(i) {
			continue
		}
		tx0 := max(x0, int(math.Floor((b.Min[0]+worldSize/2)/span)))
		tx1 := min(x1, int(math.Floor((b.Max[0]+worldSize/2)/span)))
		ty0 := max(y0, int(math.Floor((worldSize/2-b.Max[1])/span)))
		ty1 := min(y1, int(math.Floor((worldSize/2-b.Min[1])/span)))
		for ty := ty0; ty <= ty1; ty++ {
			for tx := tx0; tx <= tx1; tx++ {
				if n := slot[(ty-y0)*w+tx-x0]; n >= 0 {
					lists[n] = append(lists[n], int32(i))
				}
			}
		}
	}
	for n, k := range keys {
		out[k] = lists[n]
	}
	return out
}

// drawTile rasterizes the fill ids (of the fill positions in cands) and
// the outlines of one tile into t, which is cleared.
func (m *Map) drawTile(t *tile, k tileKey, zoom float64, cands []int32, sc *scratch) {
	m.mu.Lock()
	fill, outlines := m.fill, m.outlines
	m.mu.Unlock()
	res := math.Float64frombits(k.res)
	tb := tileBounds(k)
	ox, oy := tb.Min[0], tb.Max[1]
	m.drawn.Add(1)
	band := bandFor(zoom)
	if fill != nil {
		geoms := fill.lod.band(band)
		for _, i := range cands {
			b := fill.index.bounds[i]
			// A polygon smaller than a pixel skips the scanline fill: at city
			// zoom the cost follows pixels, not polygons.
			small := b.Max[0]-b.Min[0] < res && b.Max[1]-b.Min[1] < res
			if !small {
				sc.rings = ringsInPixels(geoms[i], ox, oy, res, sc.rings)
			}
			if small || fillIDs(t.ids, tilePx, tilePx, sc.rings, uint32(i)+1, &sc.xs) == 0 {
				// Smaller than a pixel: still show it, in the pixel of its centre,
				// so a status (an overdue event) is never lost at city zoom.
				c := b.Center()
				px, py := int((c[0]-ox)/res), int((oy-c[1])/res)
				if px >= 0 && px < tilePx && py >= 0 && py < tilePx {
					t.ids[py*tilePx+px] = uint32(i) + 1
				}
			}
		}
	}
	for _, l := range outlines {
		if zoom < l.minZoom || zoom >= l.maxZoom || l.hidden.Load() {
			continue
		}
		l.ready()
		if mask := drawOutlines(l, tb, ox, oy, res, band, sc); mask != nil {
			t.lines = append(t.lines, lineMask{mask, l.color})
		}
	}
}

// compose paints the part r of the tile (tile pixels) into dst, whose
// first byte is r's top-left pixel and rows stride bytes apart: the palette
// colour of each pixel's polygon (or the background) with the outline
// overlay on top. It returns the palette generation it painted with.
func (m *Map) compose(t *tile, dst []byte, stride int, r image.Rectangle) (paletteGen uint64) {
	m.mu.Lock()
	packed := m.packed
	paletteGen = m.paletteGen
	t.stale = false
	m.mu.Unlock()
	if len(packed) == 0 {
		packed = []uint32{m.pack(0)}
	}
	w := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst[(y-r.Min.Y)*stride:][:4*w]
		for x, id := range t.ids[y*tilePx+r.Min.X : y*tilePx+r.Max.X] {
			c := packed[0]
			if int(id) < len(packed) {
				c = packed[id]
			}
			binary.LittleEndian.PutUint32(row[4*x:], c)
		}
	}
	// Lines cover a fraction of a tile: skip empty runs eight pixels at a time.
	for _, l := range t.lines {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := dst[(y-r.Min.Y)*stride:][:4*w]
			mp := l.mask.Pix[y*tilePx+r.Min.X : y*tilePx+r.Max.X]
			for i := 0; i < len(mp); i += 8 {
				if i+8 <= len(mp) && binary.LittleEndian.Uint64(mp[i:]) == 0 {
					continue
				}
				for j := i; j < min(i+8, len(mp)); j++ {
					if m := uint32(mp[j]); m != 0 {
						binary.LittleEndian.PutUint32(row[4*j:], blendOver(binary.LittleEndian.Uint32(row[4*j:]), l.color, m))
					}
				}
			}
		}
	}
	return paletteGen
}

// blendOver lays colour lc with coverage m (0-255) over the packed opaque
// pixel c.
func blendOver(c uint32, lc color.NRGBA, m uint32) uint32 {
	a := uint32(lc.A) * m / 255
	ia := 255 - a
	r := (uint32(lc.R)*a + (c&0xff)*ia) / 255
	g := (uint32(lc.G)*a + (c>>8&0xff)*ia) / 255
	b := (uint32(lc.B)*a + (c>>16&0xff)*ia) / 255
	return r | g<<8 | b<<16 | 0xff<<24
}

// over blends a (non-premultiplied) colour over an opaque background.
func over(c, bg color.NRGBA) color.NRGBA {
	if c.A == 255 {
		return c
	}
	a := uint32(c.A)
	mix := func(x, y uint8) uint8 { return uint8((uint32(x)*a + uint32(y)*(255-a)) / 255) }
	return color.NRGBA{mix(c.R, bg.R), mix(c.G, bg.G), mix(c.B, bg.B), 255}
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Prepare builds everything the map otherwise builds on first use: the
// fill's R-tree, every lazy layer and every level-of-detail band. A
// console can call it in the background after the first frame; it
// measures the full display geometry.
func (m *Map) Prepare() {
	m.mu.Lock()
	fill, outlines, points := m.fill, m.outlines, m.points
	m.mu.Unlock()
	if fill != nil {
		fill.index.rtreeReady() // hit-testing wants it; frames do without
	}
	for b := range lodZooms {
		if fill != nil {
			fill.lod.band(b)
		}
		for _, l := range outlines {
			l.ready()
			l.lod.band(b)
		}
	}
	for _, p := range points {
		p.ready()
	}
	m.mu.Lock()
	labels := m.labels
	m.mu.Unlock()
	for _, l := range labels {
		l.ready()
	}
}
