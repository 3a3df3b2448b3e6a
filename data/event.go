package data

import (
	"slices"
	"time"

	"github.com/paulmach/orb"
)

// EventState is a state of the digital urban-management workflow (GB/T 30428).
type EventState string

// Event states.
const (
	EventCollected  EventState = "collected"
	EventFiled      EventState = "filed"
	EventCancelled  EventState = "cancelled"
	EventDispatched EventState = "dispatched"
	EventHandling   EventState = "handling"
	EventFedBack    EventState = "fed_back"
	EventReturned   EventState = "returned" // wrong dispatch: goes back for re-dispatch
	EventParked     EventState = "parked"   // cannot be fixed within the limit: backlog
	EventClosed     EventState = "closed"
	EventEvaluated  EventState = "evaluated"
)

// EventStates lists every event state, in workflow order.
var EventStates = []EventState{EventCollected, EventFiled, EventCancelled, EventDispatched, EventHandling,
	EventFedBack, EventReturned, EventParked, EventClosed, EventEvaluated}

// eventNext lists the states each state may move to. Extension is not a state:
// it pushes the deadline while the event stays in handling.
var eventNext = map[EventState][]EventState{
	EventCollected:  {EventFiled, EventCancelled},
	EventFiled:      {EventDispatched, EventCancelled},
	EventDispatched: {EventHandling, EventReturned},
	EventHandling:   {EventFedBack, EventParked, EventReturned},
	EventReturned:   {EventDispatched},
	EventParked:     {EventHandling},
	EventFedBack:    {EventClosed, EventHandling}, // verification fails: back to handling
	EventClosed:     {EventEvaluated},
}

// CanMoveTo reports whether an event may go from s to another state.
func (s EventState) CanMoveTo(to EventState) bool { return slices.Contains(eventNext[s], to) }

// Open reports whether an event in this state still needs work.
func (s EventState) Open() bool {
	switch s {
	case EventCancelled, EventClosed, EventEvaluated:
		return false
	}
	return true
}

// OpenEventStates are the states of events that still need work: the one
// list every count of open or overdue events is made from.
var OpenEventStates = func() []EventState {
	var out []EventState
	for _, s := range EventStates {
		if s.Open() {
			out = append(out, s)
		}
	}
	return out
}()

// Event is a case in the workflow.
type Event struct {
	Code, MatterCode, GridCode, Source string
	Priority                           Priority
	State                              EventState
	Description                        string
	Location                           orb.Point
	ReportedAt                         time.Time
	DispatchedAt, Deadline, ClosedAt   *time.Time
	Extensions                         int
}

// Overdue reports whether the event missed its deadline as of now: still open
// past it, or closed after it.
func (e Event) Overdue(now time.Time) bool {
	if e.Deadline == nil {
		return false
	}
	if e.ClosedAt != nil {
		return e.ClosedAt.After(*e.Deadline)
	}
	return e.State.Open() && now.After(*e.Deadline)
}
