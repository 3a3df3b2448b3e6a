package app

import (
	"context"
	"strconv"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
)

// Live status. A goroutine asks the mirror every second whether another
// connection wrote to it (mirror.Watcher: another process — kapok feed,
// the command line, another console — or the live demo feed); when one
// did, it evaluates the indicators there, off the UI goroutine, and hands
// the refresh of everything that shows the city's state to the UI
// goroutine (LiveChanged in refresh.go).
//
// The live demo feed (demo.Live) writes the living city's next few seconds
// every liveFeedEvery as user system: the districts' minute indicators,
// now and then a case, incidents that open alerts and clear them. The
// console takes a mirror for the demo when its kapok_meta has a demo_seed
// (written by every demo build, and by nothing else); there the feed is on
// unless switched off in the Monitoring tab (remembered), and --live turns
// it on for any mirror.

// deliverUI runs f on the UI goroutine. Tests hand it to their own.
var deliverUI = fyne.Do

// How often the mirror is polled and the demo feed steps.
var (
	livePoll      = time.Second
	liveFeedEvery = 5 * time.Second
)

// LiveFeedPref is the preference that keeps the demo feed off once it was
// switched off.
const LiveFeedPref = "live_feed"

// liveState is the console's watcher and demo feed; the fields are the UI
// goroutine's, but pending, which the watcher's goroutine sets.
type liveState struct {
	stop     context.CancelFunc
	done     chan struct{}
	feedStop context.CancelFunc
	feedDone chan struct{}
	feedable bool   // the demo feed may be switched on
	seed     uint64 // the demo's seed, for the feed's random stream
	// pending is set while a refresh is on its way to the UI goroutine,
	// so that a slow one is not queued again behind itself.
	pending atomic.Bool
	// Refreshes counts the refreshes the watcher brought (tests).
	Refreshes int
}

func (l *liveState) feeding() bool { return l.feedStop != nil }

// ConfigureLive starts watching the mirror and, for the demo city (or
// when forced, --live), the live demo feed; the feed is switched on for
// the demo unless it was switched off before (forced: always).
func (c *Console) ConfigureLive(force bool) error {
	l := &c.Mon.live
	seed, err := c.M.Meta(bg, "demo_seed")
	if err != nil {
		return err
	}
	n, _ := strconv.ParseUint(seed, 10, 64)
	l.seed = n ^ uint64(time.Now().UnixNano())
	isDemo := seed != ""
	l.feedable = isDemo || force
	if c.Mon.LiveFeed != nil {
		c.Mon.LiveFeed.Show()
		if !l.feedable {
			c.Mon.LiveFeed.Hide()
		}
	}
	if err := c.StartLive(); err != nil {
		return err
	}
	if force || isDemo && fyne.CurrentApp().Preferences().BoolWithFallback(LiveFeedPref, true) {
		c.startFeed()
	}
	c.monitorFollow()
	return nil
}

// StartLive starts polling the mirror every second (see the file's
// comment). It evaluates the indicators once at start.
func (c *Console) StartLive() error {
	l := &c.Mon.live
	if l.stop != nil {
		return nil
	}
	w, err := c.M.Watch(bg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.stop, l.done = cancel, make(chan struct{})
	m, now, done := c.M, c.Now, l.done
	refresh := func() {
		l.pending.Store(false)
		if l.Refreshes == 0 {
			// The alarms the evaluation at start opened are no news: the
			// notice tells of those opened while the console watches.
			c.Mon.known = nil
		}
		l.Refreshes++
		c.LiveChanged()
	}
	go func() {
		defer close(done)
		defer func() { _ = w.Close() }()
		watch(ctx, w, m, now, &l.pending, refresh)
	}()
	return nil
}

// watch is the watcher's loop: an evaluation and a refresh at start and
// after every change seen, one refresh on its way at a time.
func watch(ctx context.Context, w *mirror.Watcher, m *mirror.Mirror, now func() time.Time, pending *atomic.Bool, refresh func()) {
	t := time.NewTicker(livePoll)
	defer t.Stop()
	dirty := true
	for {
		if dirty && !pending.Load() {
			if _, err := m.EvaluateIndicators(ctx, now()); err != nil && ctx.Err() == nil {
				fyne.LogError("evaluating the indicators", err)
			}
			dirty = false
			pending.Store(true)
			deliverUI(refresh)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := w.Changed(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			fyne.LogError("watching the mirror", err)
			continue
		}
		dirty = dirty || changed
	}
}

// StopLive stops the watcher and the demo feed and waits for them.
func (c *Console) StopLive() {
	l := &c.Mon.live
	c.stopFeed()
	if l.stop != nil {
		l.stop()
		<-l.done
		l.stop, l.done = nil, nil
	}
}

// SetLiveFeed switches the live demo feed on or off, and remembers it.
func (c *Console) SetLiveFeed(on bool) {
	l := &c.Mon.live
	if on != l.feeding() {
		if on {
			c.startFeed()
		} else {
			c.stopFeed()
		}
		fyne.CurrentApp().Preferences().SetBool(LiveFeedPref, on)
	}
	if c.Mon.LiveFeed != nil && c.Mon.LiveFeed.Checked != on {
		c.Mon.LiveFeed.SetChecked(on)
	}
}

// LiveFeeding is whether the live demo feed runs.
func (c *Console) LiveFeeding() bool { return c.Mon.live.feeding() }

func (c *Console) startFeed() {
	l := &c.Mon.live
	if l.feeding() {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.feedStop, l.feedDone = cancel, make(chan struct{})
	m, now, seed, done := c.M, c.Now, l.seed, l.feedDone
	go func() {
		defer close(done)
		city, err := demo.NewLive(ctx, m, seed, now())
		if err != nil {
			if ctx.Err() == nil {
				fyne.LogError("starting the live demo feed", err)
			}
			return
		}
		t := time.NewTicker(liveFeedEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := city.Step(ctx, m, data.SystemLogin, now()); err != nil && ctx.Err() == nil {
				fyne.LogError("the live demo feed", err)
			}
		}
	}()
	if c.Mon.LiveFeed != nil && !c.Mon.LiveFeed.Checked {
		c.Mon.LiveFeed.Checked = true // not SetChecked: no choice to remember
		c.Mon.LiveFeed.Refresh()
	}
}

func (c *Console) stopFeed() {
	l := &c.Mon.live
	if !l.feeding() {
		return
	}
	l.feedStop()
	<-l.feedDone
	l.feedStop, l.feedDone = nil, nil
}
