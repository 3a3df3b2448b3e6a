package app

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data/timeline"
)

// The replay's controls: an amber banner over the toolbar saying the
// console shows the past (and that the journal's chain is broken, if it
// is), the time control under the toolbar (a slider over the last 7 days,
// the moment in Beijing time, Now), playback (play and pause, step to the
// next change, the speed, where it stops, the running clock) and, under the
// map, the steps played, newest on top.

// ReplayBar is the replay's widgets (made by Build while replaying).
type ReplayBar struct {
	Banner *widget.Label
	Slider *widget.Slider
	At     *widget.Entry
	Show   *widget.Button
	Now    *widget.Button
	Play   *widget.Button
	Step   *widget.Button
	Speed  *widget.Select
	Until  *widget.Entry
	Clock  *widget.Label
	Steps  *widget.List
}

// ReplayColor is the banner's colour: amber, apart from the journal's red
// and from anything the live console shows.
var ReplayColor = color.NRGBA{255, 193, 7, 255}

// replayFrameEvery is how often playback moves the clock: 25 frames a
// second.
var replayFrameEvery = 40 * time.Millisecond

// replaySpeeds are the playback speeds offered.
var replaySpeeds = []int{1, 60, 600, 3600}

// replayButton is the toolbar's toggle.
func (c *Console) replayButton() fyne.CanvasObject {
	if c.replay != nil {
		b := widget.NewButtonWithIcon(T("Back to now"), theme.MediaReplayIcon(), c.LeaveReplay)
		b.Importance = widget.WarningImportance
		return b
	}
	return widget.NewButtonWithIcon(T("Replay"), theme.HistoryIcon(), c.OpenReplay)
}

// replayMenuItem is View ▸ Replay… (View ▸ Back to now while replaying).
func (c *Console) replayMenuItem() *fyne.MenuItem {
	if c.replay != nil {
		return fyne.NewMenuItem(T("Back to now"), c.LeaveReplay)
	}
	return fyne.NewMenuItem(T("Replay…"), c.OpenReplay)
}

// replayBanner is the banner over the toolbar (nothing while live).
func (c *Console) replayBanner() fyne.CanvasObject {
	r := c.replay
	if r == nil || r.bar == nil {
		return container.NewStack()
	}
	b := r.bar
	b.Banner = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	b.Banner.Wrapping = fyne.TextWrapWord
	return container.NewStack(canvas.NewRectangle(ReplayColor), b.Banner)
}

// replayBar is the time control and playback under the toolbar.
func (c *Console) replayBar() fyne.CanvasObject {
	r := c.replay
	if r == nil || r.bar == nil {
		return container.NewStack()
	}
	b := r.bar
	b.Slider = widget.NewSlider(0, r.to.Sub(r.from).Minutes())
	b.Slider.Step = 1
	b.Slider.OnChanged = func(v float64) {
		if r.setting {
			return
		}
		c.moveReplay(r.from.Add(time.Duration(v) * time.Minute))
	}
	b.At = widget.NewEntry()
	b.At.SetPlaceHolder("YYYY-MM-DD hh:mm")
	b.At.OnSubmitted = func(string) { c.replayTyped() }
	b.Show = widget.NewButton(T("Go to"), c.replayTyped)
	b.Now = widget.NewButtonWithIcon(T("Now"), theme.MediaReplayIcon(), c.LeaveReplay)
	b.Play = widget.NewButtonWithIcon(T("Play"), theme.MediaPlayIcon(), c.TogglePlayback)
	b.Step = widget.NewButtonWithIcon(T("Step"), theme.MediaSkipNextIcon(), c.StepReplay)
	var speeds []string
	for _, s := range replaySpeeds {
		speeds = append(speeds, fmt.Sprintf("%d×", s))
	}
	b.Speed = newSelect(speeds, func(s string) {
		for i, x := range speeds {
			if x == s {
				r.play.speed = replaySpeeds[i]
			}
		}
		c.showReplayBar()
	})
	b.Speed.SetSelected(fmt.Sprintf("%d×", r.play.speed))
	b.Until = widget.NewEntry()
	b.Until.SetText(r.to.In(beijing).Format(timeLayout))
	b.Clock = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	wide := func(o fyne.CanvasObject, w float32) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
	}
	from := widget.NewLabel(r.from.In(beijing).Format("01-02 15:04"))
	to := widget.NewLabel(r.to.In(beijing).Format("01-02 15:04"))
	time1 := container.NewBorder(nil, nil,
		container.NewHBox(widget.NewLabelWithStyle(T("Replay"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), from),
		container.NewHBox(to, wide(b.At, 170), b.Show, b.Now), b.Slider)
	play := container.NewHBox(b.Play, b.Step, widget.NewLabel(T("Speed")), b.Speed, widget.NewLabel(T("until")), wide(b.Until, 170),
		widget.NewSeparator(), b.Clock, widget.NewLabel(T("(Beijing time)")))
	bg := canvas.NewRectangle(color.NRGBA{ReplayColor.R, ReplayColor.G, ReplayColor.B, 60})
	return container.NewStack(bg, container.NewVBox(time1, play))
}

// replaySteps is the list of the steps played, under the map.
func (c *Console) replaySteps() fyne.CanvasObject {
	r := c.replay
	if r == nil || r.bar == nil {
		return container.NewStack()
	}
	b := r.bar
	b.Steps = widget.NewList(func() int { return len(r.changes) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(r.changes) {
				o.(*widget.Label).SetText(ChangeLine(r.changes[i]))
			}
		})
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(0, 130))
	title := widget.NewLabelWithStyle(T("Steps as they happen (newest first)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(title, nil, nil, nil, container.NewStack(room, b.Steps))
}

// ChangeLine is one step of the list: its time (Beijing) and what it was.
func ChangeLine(ch timeline.Change) string {
	at := ch.At.In(beijing).Format("01-02 15:04:05")
	var what string
	switch ch.Kind {
	case "case":
		what = T("case {{.Code}} → {{.State}}", map[string]any{"Code": ch.Subject, "State": T(ch.What)})
	case "hold":
		what = T("unit {{.Unit}} taken by {{.Holder}}", map[string]any{"Unit": ch.Subject, "Holder": ch.What})
	case "release":
		what = T("unit {{.Unit}} released", map[string]any{"Unit": ch.Subject})
	case "order":
		what = T("order #{{.N}} → {{.State}}", map[string]any{"N": ch.Subject, "State": T(ch.What)})
	default:
		what = ch.Kind + " " + ch.Subject + " " + ch.What
	}
	return at + "  " + what
}

// showReplayBar puts the moment shown into the banner and the controls.
func (c *Console) showReplayBar() {
	r := c.replay
	if r == nil || r.bar == nil {
		return
	}
	b := r.bar
	if b.Banner == nil || b.Clock == nil || b.Steps == nil {
		return // being made
	}
	b.Banner.SetText(c.ReplayBanner())
	r.setting = true
	b.Slider.SetValue(r.at.Sub(r.from).Minutes())
	r.setting = false
	if c.Win.Canvas().Focused() != b.At {
		b.At.SetText(r.at.In(beijing).Format(timeLayout))
	}
	b.Clock.SetText(r.at.In(beijing).Format("2006-01-02 15:04:05"))
	if r.play.on {
		b.Play.SetText(T("Pause"))
		b.Play.SetIcon(theme.MediaPauseIcon())
	} else {
		b.Play.SetText(T("Play"))
		b.Play.SetIcon(theme.MediaPlayIcon())
	}
	b.Steps.Refresh()
}

// replayTyped shows the moment typed in the field.
func (c *Console) replayTyped() {
	r := c.replay
	if r == nil || r.bar == nil {
		return
	}
	t, err := parseBeijing(r.bar.At.Text)
	if err != nil {
		c.Status.SetText(err.Error())
		return
	}
	c.moveReplay(t)
}

// moveReplay shows t; moving forward lists the steps passed.
func (c *Console) moveReplay(t time.Time) {
	r := c.replay
	t = clampTime(t, r.from, r.to)
	if t.After(r.at) {
		c.noteChanges(r.tl.Between(r.at, t))
	}
	c.ShowReplayAt(t)
}

// noteChanges puts steps (in time order) at the list's top.
func (c *Console) noteChanges(chs []timeline.Change) {
	r := c.replay
	if len(chs) == 0 {
		return
	}
	if len(chs) > replayChangesKept {
		chs = chs[len(chs)-replayChangesKept:]
	}
	out := make([]timeline.Change, 0, min(len(chs)+len(r.changes), replayChangesKept))
	for i := len(chs) - 1; i >= 0; i-- {
		out = append(out, chs[i])
	}
	out = append(out, r.changes[:min(len(r.changes), replayChangesKept-len(out))]...)
	r.changes = out
}

// Changes are the steps listed, newest first.
func (c *Console) Changes() []timeline.Change {
	if c.replay == nil {
		return nil
	}
	return c.replay.changes
}

// ReplayAt is the moment shown (zero while live).
func (c *Console) ReplayAt() time.Time {
	if c.replay == nil {
		return time.Time{}
	}
	return c.replay.at
}

// SetReplaySpeed sets the playback speed (simulated seconds per second).
func (c *Console) SetReplaySpeed(speed int) {
	if c.replay != nil {
		c.replay.play.speed = speed
		if b := c.replay.bar; b != nil && b.Speed != nil {
			b.Speed.SetSelected(fmt.Sprintf("%d×", speed))
		}
	}
}

// TogglePlayback plays from the moment shown until the period's end, or
// pauses.
func (c *Console) TogglePlayback() {
	r := c.replay
	if r == nil {
		return
	}
	if r.play.on {
		c.stopPlayback()
		c.showReplayBar()
		return
	}
	until := r.to
	if r.bar != nil && r.bar.Until != nil {
		t, err := parseBeijing(r.bar.Until.Text)
		if err != nil {
			c.Status.SetText(err.Error())
			return
		}
		until = clampTime(t, r.from, r.to)
	}
	if !until.After(r.at) {
		c.Status.SetText(T("Nothing to play: the period ends before the moment shown"))
		return
	}
	p := &r.play
	p.on, p.until, p.last = true, until, time.Now()
	p.stop = make(chan struct{})
	stop := p.stop
	go func() {
		tick := time.NewTicker(replayFrameEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				// One frame on its way at a time: a slow frame is not queued
				// behind itself; the next takes the time passed since.
				if p.pending.Swap(true) {
					continue
				}
				deliverUI(func() {
					p.pending.Store(false)
					c.replayFrame(r, stop)
				})
			}
		}
	}()
	c.showReplayBar()
}

// replayFrame moves the clock on by the wall time passed since the last
// frame times the speed.
func (c *Console) replayFrame(r *replayState, stop chan struct{}) {
	if c.replay != r || !r.play.on || r.play.stop != stop {
		return
	}
	now := time.Now()
	dt := now.Sub(r.play.last)
	r.play.last = now
	c.advancePlayback(r.at.Add(time.Duration(r.play.speed) * dt))
}

// advancePlayback moves the playing clock to t, not past where the period
// ends (which stops it).
func (c *Console) advancePlayback(t time.Time) {
	r := c.replay
	end := !t.Before(r.play.until)
	if end {
		t = r.play.until
		c.stopPlayback()
	}
	c.moveReplay(t)
}

// stopPlayback pauses.
func (c *Console) stopPlayback() {
	r := c.replay
	if r == nil || !r.play.on {
		return
	}
	r.play.on = false
	close(r.play.stop)
	r.play.stop = nil
}

// StepReplay pauses and moves to the next change after the moment shown.
func (c *Console) StepReplay() {
	r := c.replay
	if r == nil {
		return
	}
	c.stopPlayback()
	for _, w := range []time.Duration{time.Hour, 24 * time.Hour, replaySpan} {
		end := r.at.Add(w)
		if end.After(r.to) {
			end = r.to
		}
		if chs := r.tl.Between(r.at, end); len(chs) > 0 {
			c.moveReplay(chs[0].At)
			return
		}
		if end.Equal(r.to) {
			break
		}
	}
	c.showReplayBar()
	c.Status.SetText(T("No further change in the period"))
}
