package app

import (
	"context"
	"image"
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"kapok/app/citymap"
	kmaps "kapok/maps"
)

// deliverFrame runs a finished frame's hand-over on the UI goroutine. Tests
// replace it to run hand-overs on the test's goroutine: Fyne's test driver
// runs fyne.Do on the caller's goroutine.
var deliverFrame = fyne.Do

// Tool is what a drag on the map does.
type Tool int

// Map tools.
const (
	ToolPan   Tool = iota // drag pans
	ToolRect              // drag selects the grids in a rectangle
	ToolLasso             // drag selects the grids in a free shape
)

// MapView is the map engine in a widget: drag to pan, wheel to zoom about
// the cursor, double-click and +/- to zoom, arrow keys to pan, hover for a
// tooltip, click (shift-click adds) to select, rectangle and lasso tools.
//
// Frames are drawn off the UI goroutine; a new request cancels the one in
// flight, and the finished image is put on screen through fyne.Do. Until it
// arrives, the last frame is moved and scaled to where the new view puts it,
// so dragging and zooming follow the hand at once.
type MapView struct {
	widget.BaseWidget
	engine *kmaps.Map

	// OnTap is a click at a world point (Web Mercator); add is true with shift.
	OnTap func(p orb.Point, add bool)
	// OnEscape is the Esc key (cancels picking a point).
	OnEscape func()
	// OnHelp is the F1 key (the shortcuts).
	OnHelp func()
	// OnArea is a finished rectangle or lasso, in world coordinates.
	OnArea func(area orb.Ring, add bool)
	// Tooltip returns the text to show for the world point under the
	// pointer, or "" for none.
	Tooltip func(p orb.Point) string
	// OnViewChanged is called after the view moved (on the UI goroutine).
	OnViewChanged func(v kmaps.Viewport)
	// OnFrame is called on the UI goroutine when a frame is on screen.
	OnFrame func(v kmaps.Viewport)

	Tool Tool

	mu      sync.Mutex
	view    kmaps.Viewport // logical size; Scale is the canvas scale
	shown   kmaps.Viewport // the view the image on screen was drawn for
	cancel  context.CancelFunc
	pending bool

	img      *canvas.Image
	bg       *canvas.Rectangle
	tip      *widget.Label
	tipBox   *canvas.Rectangle
	band     *canvas.Rectangle // the rectangle tool's rubber band
	lasso    []*canvas.Line
	dragFrom fyne.Position
	dragPath []fyne.Position
	shift    bool
	// Animate makes FlyTo a short flight instead of a jump.
	Animate bool
	flight  int  // bumped by every flight and every move by hand: stale steps stop
	flying  bool // a flight has steps to go
	// fitOnResize is the extent to fit when the widget gets its size, until
	// the map is moved (fitPending).
	fitOnResize orb.Bound
	fitPending  bool
}

// NewMapView shows engine, fitting extent (Web Mercator) once it has a size.
func NewMapView(engine *kmaps.Map, extent orb.Bound) *MapView {
	mv := &MapView{engine: engine}
	mv.img = &canvas.Image{FillMode: canvas.ImageFillStretch, ScaleMode: canvas.ImageScaleFastest}
	mv.bg = canvas.NewRectangle(engine.Background)
	mv.tip = widget.NewLabel("")
	mv.tipBox = canvas.NewRectangle(color.NRGBA{255, 255, 255, 235})
	mv.tipBox.StrokeColor = color.NRGBA{120, 120, 120, 255}
	mv.tipBox.StrokeWidth = 1
	mv.tip.Hide()
	mv.tipBox.Hide()
	mv.band = canvas.NewRectangle(color.NRGBA{0, 120, 215, 40})
	mv.band.StrokeColor = color.NRGBA{0, 90, 200, 255}
	mv.band.StrokeWidth = 1.5
	mv.band.Hide()
	mv.view = kmaps.NewViewport(800, 600).Fit(extent, 12)
	mv.shown = mv.view
	mv.fitOnResize, mv.fitPending = extent, true
	mv.ExtendBaseWidget(mv)
	return mv
}

// View is the current viewport.
func (mv *MapView) View() kmaps.Viewport {
	mv.mu.Lock()
	defer mv.mu.Unlock()
	return mv.view
}

// SetView moves the map and draws the new frame.
func (mv *MapView) SetView(v kmaps.Viewport) {
	mv.mu.Lock()
	mv.view = v
	mv.fitPending = false
	mv.endFlight()
	mv.mu.Unlock()
	mv.changed()
}

// Redraw draws the current view again (after a layer or colour change).
func (mv *MapView) Redraw() { mv.requestFrame() }

func (mv *MapView) changed() {
	mv.placeImage()
	mv.requestFrame()
	if mv.OnViewChanged != nil {
		mv.OnViewChanged(mv.View())
	}
}

// requestFrame draws the current view in the background, cancelling a frame
// still being drawn.
func (mv *MapView) requestFrame() {
	mv.mu.Lock()
	if mv.cancel != nil {
		mv.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	mv.cancel = cancel
	v := mv.view
	mv.pending = true
	mv.mu.Unlock()
	if v.Width <= 0 || v.Height <= 0 {
		return
	}
	go func() {
		img, err := mv.engine.Render(ctx, v)
		if err != nil {
			return // cancelled: a newer frame is on its way
		}
		citymap.DrawScaleBar(img, v)
		deliverFrame(func() { mv.showFrame(ctx, img, v) })
	}()
}

// showFrame puts a finished frame on screen unless a newer one was asked for.
func (mv *MapView) showFrame(ctx context.Context, img *image.RGBA, v kmaps.Viewport) {
	if ctx.Err() != nil {
		return
	}
	mv.mu.Lock()
	mv.shown = v
	mv.pending = false
	mv.mu.Unlock()
	mv.img.Image = img
	mv.placeImage()
	mv.img.Refresh()
	if mv.OnFrame != nil {
		mv.OnFrame(v)
	}
}

// Pending reports whether a frame is being drawn.
func (mv *MapView) Pending() bool {
	mv.mu.Lock()
	defer mv.mu.Unlock()
	return mv.pending || mv.flying
}

// placeImage moves and scales the frame on screen to where the current view
// puts the view it was drawn for. A frame scaled more than twofold is hidden
// instead: the painter would scale it to its full on-screen size, and a
// zoom by five levels would make that image 32 times the window.
func (mv *MapView) placeImage() {
	mv.mu.Lock()
	v, s := mv.view, mv.shown
	mv.mu.Unlock()
	k := math.Exp2(v.Zoom - s.Zoom)
	if k > 2.01 || k < 0.49 || mv.img.Image == nil {
		mv.img.Hide()
		return
	}
	if !mv.img.Visible() {
		mv.img.Show()
		// Showing a hidden object does not by itself repaint the window.
		defer canvas.Refresh(mv)
	}
	tl := s.ToWorld(0, 0)
	x, y := v.ToScreen(tl)
	scale := float32(v.Scale)
	if scale <= 0 {
		scale = 1
	}
	mv.img.Move(fyne.NewPos(float32(x)/scale, float32(y)/scale))
	mv.img.Resize(fyne.NewSize(float32(float64(s.Width)*k), float32(float64(s.Height)*k)))
}

// Resize keeps the view's centre and zoom and draws a frame of the new size.
func (mv *MapView) Resize(size fyne.Size) {
	mv.BaseWidget.Resize(size)
	w, h := int(math.Round(float64(size.Width))), int(math.Round(float64(size.Height)))
	scale := 1.0
	if c := fyne.CurrentApp().Driver().CanvasForObject(mv); c != nil {
		scale = float64(c.Scale())
	}
	mv.mu.Lock()
	if w == mv.view.Width && h == mv.view.Height && scale == mv.view.Scale || w <= 0 || h <= 0 {
		mv.mu.Unlock()
		return
	}
	mv.view.Width, mv.view.Height, mv.view.Scale = w, h, scale
	if mv.fitPending {
		mv.view = mv.view.Fit(mv.fitOnResize, 12)
	}
	mv.mu.Unlock()
	mv.changed()
}

// CreateRenderer lays the frame, the selection band, the lasso and the
// tooltip over a background.
func (mv *MapView) CreateRenderer() fyne.WidgetRenderer {
	return &mapRenderer{mv: mv}
}

type mapRenderer struct{ mv *MapView }

func (r *mapRenderer) Layout(size fyne.Size) {
	r.mv.bg.Resize(size)
	r.mv.placeImage()
}

func (r *mapRenderer) MinSize() fyne.Size { return fyne.NewSize(200, 150) }

func (r *mapRenderer) Refresh() {
	r.mv.placeImage()
	canvas.Refresh(r.mv.img)
}

func (r *mapRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.mv.bg, r.mv.img, r.mv.band}
	for _, l := range r.mv.lasso {
		objs = append(objs, l)
	}
	return append(objs, r.mv.tipBox, r.mv.tip)
}

func (r *mapRenderer) Destroy() {}
