package app

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/timeline"
)

// Replay (issue 15): the console shows the city as it stood at a past
// moment of the last 7 days, read-only. Entering it loads the span's
// timeline once (mirror.Timeline, off the UI goroutine); every move of the
// time control takes Timeline.At and refreshes through the live console's
// own path (CasesChanged): the map reads a citymap.Replay service (grid
// counts, units, order grids, case markers of then), the tree's badges and
// the board sum then's counts per grid, the queue is mirror.CasesAt (on a
// goroutine: it reads the cases again), the orders are those issued by then
// in then's state. The controls that change data are hidden (Console.may
// says no to every action but reading while replaying) and the entry
// points refuse (refuseInReplay). Playback (replaybar.go) moves the clock
// from a goroutine ticker, each frame handed to the UI goroutine.

// replaySpan is how far back the time control reaches.
const replaySpan = 7 * 24 * time.Hour

// replayChangesKept is how many of the steps played the list keeps.
const replayChangesKept = 500

// replayQueueEvery is how often the queue is read again while playing.
const replayQueueEvery = time.Second

// replayState is the console's replay: nil while live. Its fields are the
// UI goroutine's, but pending and queueBusy's goroutine hand-overs.
type replayState struct {
	tl       *timeline.Timeline
	from, to time.Time // the span the time control covers
	at       time.Time // the moment shown
	state    timeline.State
	sums     map[string]data.GridEvents // then's open and overdue cases per region code
	unitGrid map[string]string          // unit → its grid
	unitsIn  map[string]int             // region code → units in it
	orders   []data.Order               // every order as it is now (its state set as of then)
	boards   map[string]replayBoard     // the board's rows per parent, from the mirror
	changes  []timeline.Change          // the steps played, newest first

	play        playback
	bar         *ReplayBar
	setting     bool      // the time control being set from at: no new frame
	queueBusy   bool      // the queue is being read on a goroutine
	queueNext   bool      // and is to be read again after
	queueRead   time.Time // when it was last asked for
	monitorRead time.Time // when the Monitoring tab was last read
	// Frames counts the moments shown (tests, the benchmark).
	Frames int
}

// replayBoard is the board's rows under one parent as the mirror gives
// them for one hour (names; centers with nobody on duty by the rosters at
// that hour): the counts are then's, set per frame.
type replayBoard struct {
	hour time.Time
	rows []data.BoardRow
}

// replayLoad is what entering replay reads off the UI goroutine.
type replayLoad struct {
	tl     *timeline.Timeline
	units  []data.Unit
	orders []data.Order
}

// loadReplay reads the last 7 days before now.
func loadReplay(ctx context.Context, m *mirror.Mirror, now time.Time) (replayLoad, error) {
	tl, err := m.Timeline(ctx, now.Add(-replaySpan), now)
	if err != nil {
		return replayLoad{}, err
	}
	units, err := m.LoadUnits(ctx)
	if err != nil {
		return replayLoad{}, err
	}
	orders, err := m.Orders(ctx)
	if err != nil {
		return replayLoad{}, err
	}
	return replayLoad{tl: tl, units: units, orders: orders}, nil
}

// Replaying reports whether the console shows a past moment.
func (c *Console) Replaying() bool { return c.replay != nil }

// ToggleReplay enters replay (View ▸ Replay…, the toolbar's button) or
// leaves it.
func (c *Console) ToggleReplay() {
	if c.replay != nil {
		c.LeaveReplay()
		return
	}
	c.OpenReplay()
}

// OpenReplay loads the last 7 days on a goroutine and enters replay at the
// hour before now.
func (c *Console) OpenReplay() {
	if c.replay != nil || c.loadingReplay {
		return
	}
	c.loadingReplay = true
	now := c.Now()
	c.Status.SetText(T("Reading the last 7 days for replay…"))
	go func() {
		ld, err := loadReplay(bg, c.M, now)
		deliverUI(func() {
			c.loadingReplay = false
			if err != nil {
				c.showError(err)
				c.updateStatus()
				return
			}
			c.EnterReplay(ld, now.Add(-time.Hour).Truncate(time.Minute))
		})
	}()
}

// EnterReplay shows the city at a moment of a loaded span; the window is
// built again without the controls that change data.
func (c *Console) EnterReplay(ld replayLoad, at time.Time) {
	r := &replayState{tl: ld.tl, from: ld.tl.From, to: ld.tl.To, orders: ld.orders,
		unitGrid: make(map[string]string, len(ld.units)), unitsIn: map[string]int{}, boards: map[string]replayBoard{}}
	for _, u := range ld.units {
		r.unitGrid[u.Code] = u.GridCode
		for _, n := range []int{4, 6, 9, 12} {
			if len(u.GridCode) >= n {
				r.unitsIn[u.GridCode[:n]]++
			}
		}
	}
	r.play.speed = 60
	c.replay = r
	c.picking = false
	// The units' layer is loaded now, so that then's statuses are set on it.
	if _, err := c.City.Units(); err != nil {
		c.showError(err)
	}
	c.Build()
	c.ShowReplayAt(at)
}

// LeaveReplay stops playback and returns to the city as it is now.
func (c *Console) LeaveReplay() {
	if c.replay == nil {
		return
	}
	c.stopPlayback()
	c.replay = nil
	c.Over.SetSource(nil)
	c.Build()
	if err := c.reloadAll(); err != nil {
		c.showError(err)
	}
}

// ShowReplayAt shows the city as it stood at t (kept within the span): the
// map, the tree's badges, the board, the queue and the orders.
func (c *Console) ShowReplayAt(t time.Time) {
	r := c.replay
	if r == nil {
		return
	}
	t = clampTime(t, r.from, r.to)
	r.at = t
	r.state = r.tl.At(t)
	r.Frames++
	c.Over.SetSource(citymap.Replay(c.M, r.state))
	r.sums = make(map[string]data.GridEvents, len(r.state.Grids))
	for g, e := range r.state.Grids {
		for _, n := range []int{4, 6, 9, 12} {
			if len(g) >= n {
				s := r.sums[g[:n]]
				s.Open += e.Open
				s.Overdue += e.Overdue
				r.sums[g[:n]] = s
			}
		}
	}
	c.replayOrders()
	if c.Orders != nil {
		c.Orders.Refresh()
		c.updateOrderActions()
	}
	c.City.Map.Reload("orders")
	c.CasesChanged("")
	// The Monitoring tab as it stood (statuses read without writing, the
	// alerts open then); playing, once a second, as the queue.
	if !r.play.on || time.Since(r.monitorRead) >= replayQueueEvery {
		r.monitorRead = time.Now()
		c.loadMonitor()
		if c.RightTabs != nil && c.innovationTab != nil && c.RightTabs.Selected() == c.innovationTab {
			c.RefreshInnovation() // the program as it stood, when shown
		}
	}
	c.showReplayBar()
}

// clock is the moment the console shows: then in replay, else now.
func (c *Console) clock() time.Time {
	if c.replay != nil {
		return c.replay.at
	}
	return c.Now()
}

// mapSource is the map service the status layers read: then's in replay.
func (c *Console) mapSource() data.MapService {
	if c.replay != nil {
		return citymap.Replay(c.M, c.replay.state)
	}
	return c.M
}

// regionSummaries are the regions with their open and overdue counts at
// the console's moment.
func (c *Console) regionSummaries() ([]data.RegionSummary, error) {
	r := c.replay
	if r == nil {
		return c.M.RegionSummaries(bg, c.AsOf)
	}
	out := make([]data.RegionSummary, len(c.regions))
	for i, s := range c.regions {
		e := r.sums[s.Code]
		s.Open, s.Overdue = e.Open, e.Overdue
		out[i] = s
	}
	return out, nil
}

// statusBoard is the board's rows under parent at the console's moment. In
// replay the names and the centers with nobody on duty (the rosters as they
// are, at then's hour) come from the mirror, read once per parent and hour;
// the open and overdue cases and the units available and dispatched are
// then's; the on-time rate is left out (the closed cases' punctuality is
// the mirror's count now, not then's).
func (c *Console) statusBoard(parent string) ([]data.BoardRow, error) {
	r := c.replay
	if r == nil {
		return c.M.StatusBoard(bg, parent, c.AsOf)
	}
	hour := r.at.Truncate(time.Hour)
	b, ok := r.boards[parent]
	if !ok || !b.hour.Equal(hour) {
		rows, err := c.M.StatusBoard(bg, parent, hour)
		if err != nil {
			return nil, err
		}
		b = replayBoard{hour: hour, rows: rows}
		r.boards[parent] = b
	}
	out := make([]data.BoardRow, len(b.rows))
	index := make(map[string]int, len(b.rows))
	for i, row := range b.rows {
		e := r.sums[row.Code]
		row.Open, row.Overdue = e.Open, e.Overdue
		row.Closed, row.OnTime = 0, 0
		row.UnitsAvailable, row.UnitsDispatched = r.unitsIn[row.Code], 0
		out[i] = row
		index[row.Code] = i
	}
	n := 0
	if len(out) > 0 {
		n = len(out[0].Code)
	}
	for u, st := range r.state.Units {
		g := r.unitGrid[u]
		if len(g) < n {
			continue
		}
		i, ok := index[g[:n]]
		if !ok {
			continue
		}
		out[i].UnitsAvailable--
		if st == data.UnitDispatched {
			out[i].UnitsDispatched++
		}
	}
	return out, nil
}

// replayOrders are the orders issued by then, in then's state.
func (c *Console) replayOrders() {
	r := c.replay
	byUID := make(map[string]data.Order, len(r.orders))
	for _, o := range r.orders {
		byUID[o.UID] = o
	}
	c.orders = c.orders[:0]
	for _, o := range r.state.Orders {
		full, ok := byUID[o.UID]
		if !ok {
			full = data.Order{UID: o.UID, Number: o.Number, Task: o.Task, Start: o.Start, End: o.End}
		}
		full.State = o.State
		c.orders = append(c.orders, full)
	}
	// Newest first, as the live panel lists them.
	for i, j := 0, len(c.orders)-1; i < j; i, j = i+1, j-1 {
		c.orders[i], c.orders[j] = c.orders[j], c.orders[i]
	}
	c.orderSel = -1
}

// showReplayQueue reads then's queue on a goroutine (mirror.CasesAt reads
// the cases again: about 0.1 s on the demo city, too slow for every frame
// of playback); a request meanwhile is kept and run after.
func (c *Console) showReplayQueue() {
	r := c.replay
	if r.queueBusy {
		r.queueNext = true
		return
	}
	// Playing, the queue follows once a second: read on every frame it
	// would take a core from the map.
	if r.play.on && time.Since(r.queueRead) < replayQueueEvery {
		return
	}
	r.queueBusy, r.queueNext, r.queueRead = true, false, time.Now()
	f, at := c.caseFilter, r.at
	go func() {
		all, _, err := c.M.CasesAt(bg, f, at)
		deliverUI(func() {
			if c.replay != r {
				return
			}
			r.queueBusy = false
			if r.queueNext {
				defer c.showReplayQueue()
			}
			if c.CaseTable == nil {
				return
			}
			if err != nil {
				c.CaseCount.SetText(c.text(err))
				return
			}
			var n data.CaseCounts
			for _, row := range all {
				n.All++
				switch row.Clock.State {
				case data.ClockOverdue:
					n.Overdue++
				case data.ClockWarning:
					n.Warning++
				}
			}
			rows := all
			if len(rows) > queueRows {
				rows = rows[:queueRows]
			}
			c.setQueue(rows, n)
		})
	}()
}

// refuseInReplay says that replay is read-only, when it is on.
func (c *Console) refuseInReplay() bool {
	if c.replay == nil {
		return false
	}
	c.Status.SetText(T("Replay is read-only: go back to now to make changes"))
	return true
}

// readOnlyActions are what may be done while replaying: reading.
var readOnlyActions = map[data.Action]bool{data.ActJournalView: true, data.ActContactView: true, data.ActBrief: true}

// ReplayBanner is the banner's text ("" while live).
func (c *Console) ReplayBanner() string {
	r := c.replay
	if r == nil {
		return ""
	}
	s := "回放 / Replay — " + r.at.In(beijing).Format("2006-01-02 15:04:05") + " " + T("(Beijing time)") + " · " + T("read-only")
	if r.play.on {
		s += " · " + T("playing at {{.Speed}}×", map[string]any{"Speed": r.play.speed})
	}
	if r.tl.Broken != nil {
		s += "\n" + T("The journal's chain is broken: {{.Problem}}. The orders' history read from it may be wrong.",
			map[string]any{"Problem": c.text(r.tl.Broken)})
	}
	return s
}

func clampTime(t, from, to time.Time) time.Time {
	if t.Before(from) {
		return from
	}
	if t.After(to) {
		return to
	}
	return t
}

// playback is the state of playing a period.
type playback struct {
	on      bool
	speed   int       // sim seconds per second
	until   time.Time // where it stops
	last    time.Time // the wall clock at the last frame
	stop    chan struct{}
	pending atomic.Bool // a frame is on its way to the UI goroutine
}

// parseBeijing reads a date and time typed in Beijing time.
func parseBeijing(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{timeLayout + ":05", timeLayout} {
		if t, err := time.ParseInLocation(layout, s, beijing); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New(T("{{.V}} is not YYYY-MM-DD hh:mm", map[string]any{"V": s}))
}
