package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Tooltips for texts cut to fit (the region tree's rows, the status board's
// cells and headers): the pointer resting on one shows the whole text in a
// small pop-up beside it. Written here because Fyne 2.7 has no tooltips
// and the add-on that gives them (github.com/dweymouth/fyne-tooltip) is not
// served to this build.

// tipDelay is how long the pointer rests before the tip shows.
const tipDelay = 500 * time.Millisecond

// tipAfter runs f once d has passed, on a goroutine of its own, and gives
// the function that stops it (time.AfterFunc). Tests run f themselves:
// Fyne's test driver runs fyne.Do on the caller's goroutine.
var tipAfter = func(d time.Duration, f func()) (stop func() bool) { return time.AfterFunc(d, f).Stop }

// tipper shows and hides one widget's tip. Hover events arrive on Fyne's
// goroutine and the timer hands the showing back to it (fyne.Do); gen
// drops a showing whose hover ended meanwhile.
type tipper struct {
	stop func() bool // the pending showing's
	pop  *widget.PopUp
	gen  int
}

// hoverIn shows text() near at (the pointer, absolute) after tipDelay,
// unless the hover ends first; an empty text shows nothing.
func (t *tipper) hoverIn(obj fyne.CanvasObject, at fyne.Position, text func() string) {
	t.hoverOut()
	gen := t.gen
	t.stop = tipAfter(tipDelay, func() {
		fyne.Do(func() {
			if t.gen == gen {
				t.show(obj, at, text())
			}
		})
	})
}

func (t *tipper) show(obj fyne.CanvasObject, at fyne.Position, text string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(obj)
	if text == "" || c == nil {
		return
	}
	t.pop = widget.NewPopUp(widget.NewLabel(text), c)
	t.pop.ShowAtPosition(at.Add(fyne.NewPos(8, 18)))
}

// hoverOut hides the tip, or stops it from showing.
func (t *tipper) hoverOut() {
	t.gen++
	if t.stop != nil {
		t.stop()
		t.stop = nil
	}
	if t.pop != nil {
		t.pop.Hide()
		t.pop = nil
	}
}

// tipLabel is a label cut with an ellipsis when narrower than its text,
// whose tip is Whole (the text when empty), shown when the text is cut
// or differs from Whole (a short form shown).
type tipLabel struct {
	widget.Label
	Whole string
	tip   tipper
}

func newTipLabel() *tipLabel {
	l := &tipLabel{}
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// tipText is the tip to show now: "" when the label shows all there is.
func (l *tipLabel) tipText() string {
	whole := l.Whole
	if whole == "" {
		whole = l.Text
	}
	if l.Text == "" || whole == l.Text && textWidth(&l.Label, l.Text) <= l.Size().Width {
		return ""
	}
	return whole
}

func (l *tipLabel) MouseIn(e *desktop.MouseEvent)  { l.tip.hoverIn(l, e.AbsolutePosition, l.tipText) }
func (l *tipLabel) MouseMoved(*desktop.MouseEvent) {}
func (l *tipLabel) MouseOut()                      { l.tip.hoverOut() }

// tipButton is a button whose text may be a shortened Whole: the tip
// shows Whole then.
type tipButton struct {
	widget.Button
	Whole string
	tip   tipper
}

func newTipButton() *tipButton {
	b := &tipButton{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tip.hoverIn(b, e.AbsolutePosition, func() string {
		if b.Whole == b.Text {
			return ""
		}
		return b.Whole
	})
}

func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.tip.hoverOut()
}
