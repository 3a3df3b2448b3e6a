package data

import (
	"time"

	"github.com/paulmach/orb"
)

// Cases (事件) move through the digital urban-management workflow of
// GB/T 30428: report → file → dispatch → handle → feed back → verify →
// close, with return, parking and extension. These are the types the case
// services take and give; the states and their moves are in event.go.

// EventSource is where a case was reported from.
type EventSource string

// Case sources.
const (
	SourceHotline    EventSource = "hotline_12345" // the 12345 citizen hotline
	SourcePatrol     EventSource = "grid_patrol"   // a grid worker's patrol
	SourceVideo      EventSource = "video"         // video surveillance
	SourcePolice     EventSource = "police"        // referred by 110
	SourceReferral   EventSource = "referral"      // referred by another department
	SourceCitizenApp EventSource = "citizen_app"   // the citizens' app
	SourceInspection EventSource = "inspection"    // a leader's or department's inspection
)

// EventSources lists every case source.
var EventSources = []EventSource{SourceHotline, SourcePatrol, SourceVideo, SourcePolice, SourceReferral, SourceCitizenApp, SourceInspection}

// CaseReport is a case as it is reported (上报).
type CaseReport struct {
	Grid        string     // the grid's code; empty when At is given
	At          *orb.Point // where (lon/lat): the grid is the one containing it
	Matter      string     // the matter's code (one of the 109)
	Description string
	Source      EventSource
	Contact     string // the reporter's contact, optional
	Actor       string // login
}

// CaseMove is one step of a case: to a state of the workflow, with what
// that step needs.
type CaseMove struct {
	Case   string     // the case's code
	To     EventState // filed, cancelled, dispatched, handling, fed_back, closed, evaluated, returned, parked
	Units  []string   // the units to dispatch (to dispatched)
	Reason string     // required to cancel, return, park, and to fail a verification (fed_back → handling)
	Result string     // the handling's result (to fed_back)
	Actor  string     // login
	// Version is the case's version the actor saw (0: do not check). A
	// move of a case that changed meanwhile is refused, so that two
	// operators never both apply a step to one case.
	Version int64
}

// ClockState is where a case stands against its time limit.
type ClockState string

// Clock states.
const (
	ClockNone    ClockState = "none"    // not dispatched: the clock has not started
	ClockRunning ClockState = "running" // less than 75 % of the limit used
	ClockWarning ClockState = "warning" // yellow card: 75 % of the limit used
	ClockOverdue ClockState = "overdue" // red card: past the deadline, still open
	ClockMet     ClockState = "met"     // closed by the deadline
	ClockMissed  ClockState = "missed"  // closed after the deadline (counts as overdue)
)

// Clock is a case's time-limit clock at a moment.
type Clock struct {
	State     ClockState
	Deadline  time.Time     // zero before dispatch
	Remaining time.Duration // to the deadline (negative past it); zero when closed
	Used      float64       // share of the limit used, in working time for working-day limits
}

// Recommendation is a unit proposed for a case, best first, with what it
// was ranked on.
type Recommendation struct {
	Unit      Unit
	Tier      Level    // the smallest region the unit shares with the case (LevelCommunity + 1 for the same grid)
	SameGrid  bool     // stationed in the case's grid
	DistanceM float64  // straight line from the unit to the case
	Has       []string // the matter's capabilities the unit has
	Lacks     []string // the matter's capabilities the unit lacks
	Load      int      // cases and running orders the unit is on now
}
