package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// tipShown is the text of the tip over the canvas, "" when none is.
func tipShown(c fyne.Canvas) string {
	pop, ok := c.Overlays().Top().(*widget.PopUp)
	if !ok || !pop.Visible() {
		return ""
	}
	if l, ok := pop.Content.(*widget.Label); ok {
		return l.Text
	}
	return ""
}

// pendingTips are the tips' showings waiting for their delay (tipAfter,
// in tests).
var pendingTips []func()

// delayTips has tipAfter keep the showings for the test to run
// (tipDelayPasses) on its own goroutine, as Fyne's would.
func delayTips(t *testing.T) {
	t.Cleanup(func(orig func(time.Duration, func()) func() bool) func() {
		return func() { tipAfter, pendingTips = orig, nil }
	}(tipAfter))
	tipAfter = func(_ time.Duration, f func()) func() bool {
		pendingTips = append(pendingTips, f)
		return func() bool { return true }
	}
}

// tipDelayPasses runs the showings waiting.
func tipDelayPasses() {
	fs := pendingTips
	pendingTips = nil
	for _, f := range fs {
		f()
	}
}

// hoverAndWait rests the pointer on o long enough for its tip.
func hoverAndWait(t *testing.T, c fyne.Canvas, o fyne.CanvasObject) {
	t.Helper()
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	test.MoveMouse(c, at.Add(fyne.NewPos(3, 3)))
	tipDelayPasses()
}

// A cut label shows its whole text after the pointer rests on it, and
// hides it when the pointer leaves; a label that fits, or moved off
// before the delay, shows none.
func TestTipOnACutLabel(t *testing.T) {
	delayTips(t)
	long, fits := newTipLabel(), newTipLabel()
	long.SetText("石井街道 (242) ● 21 open · 4 overdue")
	fits.SetText("越秀区")
	w := test.NewWindow(container.NewWithoutLayout(long, fits))
	defer w.Close()
	w.Resize(fyne.NewSize(400, 200))
	long.Move(fyne.NewPos(10, 10))
	long.Resize(fyne.NewSize(90, 36))
	fits.Move(fyne.NewPos(10, 100))
	fits.Resize(fyne.NewSize(200, 36))
	c := w.Canvas()

	hoverAndWait(t, c, long)
	if got := tipShown(c); got != long.Text {
		t.Fatalf("tip %q, want the whole text", got)
	}
	test.MoveMouse(c, fyne.NewPos(390, 190)) // off it
	if got := tipShown(c); got != "" {
		t.Fatalf("tip %q stays after the pointer left", got)
	}
	hoverAndWait(t, c, fits)
	if got := tipShown(c); got != "" {
		t.Fatalf("a label that fits shows a tip %q", got)
	}
	// Off again before the delay: nothing shows later.
	test.MoveMouse(c, fyne.CurrentApp().Driver().AbsolutePositionForObject(long).Add(fyne.NewPos(3, 3)))
	test.MoveMouse(c, fyne.NewPos(390, 190))
	tipDelayPasses()
	if got := tipShown(c); got != "" {
		t.Fatalf("a tip %q showed after the pointer left", got)
	}
	// A short form shown (the tree's badge): the whole form is the tip.
	fits.Whole = "越秀区 (822)  ● 142 open · 24 overdue"
	hoverAndWait(t, c, fits)
	if got := tipShown(c); got != fits.Whole {
		t.Fatalf("tip %q, want %q", got, fits.Whole)
	}
}

// On a narrow console the status board's shortened headers show their
// whole title on hover.
func TestBoardHeaderTips(t *testing.T) {
	delayTips(t)
	c := newTestConsole(t, "leader")
	c.Win.Resize(fyne.NewSize(900, 600))
	settle(t, c)
	var cut *tipButton
	find(c.Board, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*tipButton); ok && b.Whole != "" && b.Text != b.Whole && cut == nil {
			cut = b
		}
		return false
	})
	if cut == nil {
		t.Fatal("no header is shortened at 900 pixels")
	}
	hoverAndWait(t, c.Win.Canvas(), cut)
	if got := tipShown(c.Win.Canvas()); got != cut.Whole {
		t.Fatalf("header %q: tip %q, want %q", cut.Text, got, cut.Whole)
	}
}
