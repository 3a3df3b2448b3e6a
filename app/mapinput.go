package app

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/paulmach/orb"
)

// Input: the map widget's mouse, wheel and keyboard handlers. Every move by
// hand ends a flight in progress.

func (mv *MapView) deviceXY(p fyne.Position) (float64, float64) {
	s := mv.View().Scale
	if s <= 0 {
		s = 1
	}
	return float64(p.X) * s, float64(p.Y) * s
}

// WorldAt is the world point under a position in the widget.
func (mv *MapView) WorldAt(p fyne.Position) orb.Point {
	x, y := mv.deviceXY(p)
	return mv.View().ToWorld(x, y)
}

// Dragged pans, or draws the rectangle or lasso.
func (mv *MapView) Dragged(e *fyne.DragEvent) {
	if mv.Tool == ToolPan {
		mv.panBy(mv.deviceXY(fyne.NewPos(e.Dragged.DX, e.Dragged.DY)))
		return
	}
	if len(mv.dragPath) == 0 {
		start := e.Position.Subtract(e.Dragged)
		mv.dragFrom = start
		mv.dragPath = []fyne.Position{start}
	}
	mv.dragPath = append(mv.dragPath, e.Position)
	if mv.Tool == ToolRect {
		a, b := mv.dragFrom, e.Position
		mv.band.Move(fyne.NewPos(min(a.X, b.X), min(a.Y, b.Y)))
		mv.band.Resize(fyne.NewSize(abs32(a.X-b.X), abs32(a.Y-b.Y)))
		mv.band.Show()
		mv.band.Refresh()
		return
	}
	n := len(mv.dragPath)
	l := canvas.NewLine(color.NRGBA{0, 90, 200, 255})
	l.StrokeWidth = 2
	l.Position1, l.Position2 = mv.dragPath[n-2], mv.dragPath[n-1]
	mv.lasso = append(mv.lasso, l)
	mv.Refresh()
}

// DragEnd finishes a rectangle or lasso selection.
func (mv *MapView) DragEnd() {
	path := mv.dragPath
	mv.dragPath, mv.lasso = nil, nil
	mv.band.Hide()
	mv.Refresh()
	if mv.Tool == ToolPan || len(path) < 2 || mv.OnArea == nil {
		return
	}
	var ring orb.Ring
	if mv.Tool == ToolRect {
		a, b := mv.WorldAt(path[0]), mv.WorldAt(path[len(path)-1])
		r := orb.MultiPoint{a, b}.Bound()
		ring = r.ToRing()
	} else {
		for _, p := range path {
			ring = append(ring, mv.WorldAt(p))
		}
		ring = append(ring, ring[0])
	}
	mv.OnArea(ring, mv.shift)
}

// Scrolled zooms about the pointer: half a zoom level per wheel notch.
func (mv *MapView) Scrolled(e *fyne.ScrollEvent) {
	mv.ZoomAt(e.Position, float64(e.Scrolled.DY)/20)
}

// ZoomAt zooms by dz levels keeping the point under p in place.
func (mv *MapView) ZoomAt(p fyne.Position, dz float64) {
	x, y := mv.deviceXY(p)
	mv.mu.Lock()
	v := mv.view.ZoomAbout(x, y, dz)
	v.Zoom = math.Max(3, math.Min(v.Zoom, 19))
	mv.view = v
	mv.fitPending = false
	mv.endFlight()
	mv.mu.Unlock()
	mv.changed()
}

// Tapped selects what is under the pointer (shift adds to the selection).
func (mv *MapView) Tapped(e *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(mv); c != nil {
		c.Focus(mv)
	}
	if mv.OnTap != nil {
		mv.OnTap(mv.WorldAt(e.Position), mv.shift)
	}
}

// DoubleTapped zooms in one level about the pointer.
func (mv *MapView) DoubleTapped(e *fyne.PointEvent) { mv.ZoomAt(e.Position, 1) }

// MouseDown notes shift for the click or drag that follows.
func (mv *MapView) MouseDown(e *desktop.MouseEvent) {
	mv.shift = e.Modifier&fyne.KeyModifierShift != 0
}

// MouseUp is part of desktop.Mouseable.
func (mv *MapView) MouseUp(*desktop.MouseEvent) {}

// MouseIn is part of desktop.Hoverable.
func (mv *MapView) MouseIn(e *desktop.MouseEvent) { mv.MouseMoved(e) }

// MouseMoved shows the tooltip for what is under the pointer.
func (mv *MapView) MouseMoved(e *desktop.MouseEvent) {
	if mv.Tooltip == nil || len(mv.dragPath) > 0 {
		return
	}
	text := mv.Tooltip(mv.WorldAt(e.Position))
	if text == "" {
		mv.hideTip()
		return
	}
	mv.tip.SetText(text)
	size := mv.tip.MinSize()
	pos := e.Position.Add(fyne.NewPos(14, 14))
	if pos.X+size.Width > mv.Size().Width {
		pos.X = e.Position.X - size.Width - 6
	}
	if pos.Y+size.Height > mv.Size().Height {
		pos.Y = e.Position.Y - size.Height - 6
	}
	mv.tip.Move(pos)
	mv.tip.Resize(size)
	mv.tipBox.Move(pos)
	mv.tipBox.Resize(size)
	mv.tip.Show()
	mv.tipBox.Show()
	mv.tipBox.Refresh()
}

// MouseOut hides the tooltip.
func (mv *MapView) MouseOut() { mv.hideTip() }

func (mv *MapView) hideTip() {
	mv.tip.Hide()
	mv.tipBox.Hide()
}

// TooltipText is the tooltip on show, or "" when hidden.
func (mv *MapView) TooltipText() string {
	if !mv.tip.Visible() {
		return ""
	}
	return mv.tip.Text
}

// FocusGained, FocusLost and TypedRune/TypedKey make the map take keys.
func (mv *MapView) FocusGained() {}

// FocusLost is part of fyne.Focusable.
func (mv *MapView) FocusLost() {}

// TypedRune zooms with + and -.
func (mv *MapView) TypedRune(r rune) {
	center := fyne.NewPos(mv.Size().Width/2, mv.Size().Height/2)
	switch r {
	case '+', '=':
		mv.ZoomAt(center, 1)
	case '-', '_':
		mv.ZoomAt(center, -1)
	}
}

// TypedKey pans with the arrow keys, a fifth of the view per press; Esc
// calls OnEscape, F1 OnHelp. Not + and -: a key with a character comes as
// both TypedKey and TypedRune, and zoomed twice when both answered.
func (mv *MapView) TypedKey(e *fyne.KeyEvent) {
	v := mv.View()
	dx, dy := float64(v.PixelWidth())/5, float64(v.PixelHeight())/5
	switch e.Name {
	case fyne.KeyLeft:
		mv.panBy(dx, 0)
	case fyne.KeyRight:
		mv.panBy(-dx, 0)
	case fyne.KeyUp:
		mv.panBy(0, dy)
	case fyne.KeyDown:
		mv.panBy(0, -dy)
	case fyne.KeyEscape:
		if mv.OnEscape != nil {
			mv.OnEscape()
		}
	case fyne.KeyF1:
		if mv.OnHelp != nil {
			mv.OnHelp()
		}
	}
}

// panBy moves the map content by device pixels.
func (mv *MapView) panBy(dx, dy float64) {
	mv.mu.Lock()
	mv.view = mv.view.Pan(dx, dy)
	mv.fitPending = false
	mv.endFlight()
	mv.mu.Unlock()
	mv.changed()
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
