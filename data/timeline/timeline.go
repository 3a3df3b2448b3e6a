// Package timeline reconstructs the city as it stood at any moment from
// what a store keeps of how it got there: each case's steps, each unit's
// holds, each order's moves (the journal). No SQL: a store loads a
// Timeline (data/mirror's Timeline) and At answers for any instant, fast
// enough to play a day back on the map.
//
// The rules are the store's own, taken again: a case is in the state its
// last step at or before the moment left it; its deadline is its matter's
// limit counted from its last dispatch with the extensions approved until
// then (data/calendar); it is overdue when open past that deadline; a unit
// is dispatched while a case holds it, busy while only an order does, and
// available otherwise (a unit offline is offline throughout: the store
// keeps no history of that); an order is in the state its last move left it.
package timeline

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/calendar"
)

// Step is one step of a case: from At on, the case is in State.
type Step struct {
	At     time.Time
	State  data.EventState
	Action string // "dispatch", "extend", … ("" when the store kept none)
}

// Case is a case and its steps, in order.
type Case struct {
	Code, Grid, Matter string
	Location           orb.Point
	Reported           time.Time
	Steps              []Step
}

// Hold is a unit held by a case or an order from Since until Released
// (zero while still held).
type Hold struct {
	Unit, Kind, Holder string // Kind: "case" or "order"
	Since, Released    time.Time
}

// OrderMove is an order going to a state at an instant.
type OrderMove struct {
	At time.Time
	To data.OrderState
}

// Order is an order and its moves, in order (the first is its issue).
type Order struct {
	UID    string
	Number int64
	Task   string
	Start  time.Time
	End    time.Time
	Grids  []string // the grids it targets, and its units' grids
	Moves  []OrderMove
}

// Timeline is what a store kept of the city's changes over a span.
type Timeline struct {
	From, To time.Time // the span it was loaded for
	Cases    []Case
	Holds    []Hold
	Orders   []Order
	Matters  map[string]data.MatterType
	// Offline are the units offline now: kept as offline at every moment.
	Offline map[string]bool
	// Broken is what is wrong with the journal the orders' history comes
	// from (nil when its chain holds): a replay says so.
	Broken *data.Refusal
}

// CaseAt is a case as it stood at a moment.
type CaseAt struct {
	*Case
	State       data.EventState
	Dispatched  time.Time // its last dispatch (zero: not dispatched)
	Extensions  int
	Escalations int // levels it was handed up by then
	Clock       data.Clock
}

// OrderAt is an order as it stood at a moment.
type OrderAt struct {
	*Order
	State data.OrderState
}

// State is the city at one moment.
type State struct {
	At    time.Time
	Open  []CaseAt                   // the cases open then, in code order
	Grids map[string]data.GridEvents // open and overdue cases per grid
	Units map[string]data.UnitStatus // the units not available then
	// Orders issued by then, in number order.
	Orders []OrderAt
}

// Case is one case as it stood at t (false when not reported yet).
func (tl *Timeline) Case(c *Case, t time.Time) (CaseAt, bool) {
	if c.Reported.After(t) || len(c.Steps) == 0 {
		return CaseAt{}, false
	}
	// Steps are in order with non-decreasing instants: the last at or
	// before t decides (of several at one instant, the last of them).
	n := sort.Search(len(c.Steps), func(i int) bool { return c.Steps[i].At.After(t) })
	if n == 0 {
		return CaseAt{}, false
	}
	a := CaseAt{Case: c, State: c.Steps[n-1].State}
	var closed *time.Time
	for _, s := range c.Steps[:n] {
		switch {
		case s.State == data.EventDispatched && s.Action != "extend" && s.Action != "escalate":
			a.Dispatched = s.At // a new dispatch counts from itself, with the extensions so far
		case s.Action == "extend":
			a.Extensions++
		case s.Action == "escalate":
			a.Escalations++
		}
		if s.State == data.EventClosed && closed == nil {
			at := s.At
			closed = &at
		}
	}
	m, ok := tl.Matters[c.Matter]
	if a.Dispatched.IsZero() || !ok {
		a.Clock = data.Clock{State: data.ClockNone}
		return a, true
	}
	deadline := calendar.Deadline(a.Dispatched, m, a.Extensions)
	a.Clock = calendar.ClockTo(a.Dispatched, deadline, closed, m, t)
	return a, true
}

// At is the city as it stood at t.
func (tl *Timeline) At(t time.Time) State {
	s := State{At: t, Grids: map[string]data.GridEvents{}, Units: map[string]data.UnitStatus{}}
	for i := range tl.Cases {
		a, ok := tl.Case(&tl.Cases[i], t)
		if !ok || !a.State.Open() {
			continue
		}
		s.Open = append(s.Open, a)
		g := s.Grids[a.Grid]
		g.Open++
		if !a.Clock.Deadline.IsZero() && a.Clock.Deadline.Before(t) {
			g.Overdue++
		}
		s.Grids[a.Grid] = g
	}
	slices.SortFunc(s.Open, func(a, b CaseAt) int { return strings.Compare(a.Code, b.Code) })
	for u := range tl.Offline {
		s.Units[u] = data.UnitOffline
	}
	for _, h := range tl.Holds {
		if h.Since.After(t) || !h.Released.IsZero() && !h.Released.After(t) {
			continue
		}
		switch {
		case s.Units[h.Unit] == data.UnitOffline:
		case h.Kind == "case":
			s.Units[h.Unit] = data.UnitDispatched
		case s.Units[h.Unit] != data.UnitDispatched:
			s.Units[h.Unit] = data.UnitBusy
		}
	}
	for i := range tl.Orders {
		o := &tl.Orders[i]
		n := sort.Search(len(o.Moves), func(j int) bool { return o.Moves[j].At.After(t) })
		if n == 0 {
			continue
		}
		s.Orders = append(s.Orders, OrderAt{Order: o, State: o.Moves[n-1].To})
	}
	slices.SortFunc(s.Orders, func(a, b OrderAt) int { return int(a.Number - b.Number) })
	return s
}

// Change is one thing that happened, for a list of the steps as they
// happen during playback.
type Change struct {
	At      time.Time
	Kind    string // "case", "hold", "release", "order"
	Subject string // the case's code, the unit's, the order's number
	What    string // the state reached, the holder
}

// Between lists what happened in (from, to], in time order.
func (tl *Timeline) Between(from, to time.Time) []Change {
	in := func(t time.Time) bool { return t.After(from) && !t.After(to) }
	var out []Change
	for _, c := range tl.Cases {
		for _, s := range c.Steps {
			if in(s.At) {
				what := string(s.State)
				if s.Action == "extend" || s.Action == "escalate" {
					what = s.Action
				}
				out = append(out, Change{At: s.At, Kind: "case", Subject: c.Code, What: what})
			}
		}
	}
	for _, h := range tl.Holds {
		if in(h.Since) {
			out = append(out, Change{At: h.Since, Kind: "hold", Subject: h.Unit, What: h.Holder})
		}
		if !h.Released.IsZero() && in(h.Released) {
			out = append(out, Change{At: h.Released, Kind: "release", Subject: h.Unit, What: h.Holder})
		}
	}
	for _, o := range tl.Orders {
		for _, m := range o.Moves {
			if in(m.At) {
				out = append(out, Change{At: m.At, Kind: "order", Subject: o.UID, What: string(m.To)})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int { return a.At.Compare(b.At) })
	return out
}

// OrderGrids maps each grid under an order running at the moment to the
// order's state ("overdue" wins), as the store's ActiveOrderGrids does now.
func (s State) OrderGrids() map[string]data.OrderState {
	out := map[string]data.OrderState{}
	for _, o := range s.Orders {
		if !o.State.Running() {
			continue
		}
		for _, g := range o.Grids {
			if out[g] != data.OrderOverdue {
				out[g] = o.State
			}
		}
	}
	return out
}
