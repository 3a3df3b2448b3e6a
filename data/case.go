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

// CaseAction names a step of a case in its history and journal.
type CaseAction string

// Case actions.
const (
	ActReport     CaseAction = "report"
	ActFile       CaseAction = "file"
	ActCancel     CaseAction = "cancel"
	ActDispatch   CaseAction = "dispatch"
	ActStart      CaseAction = "start"
	ActResume     CaseAction = "resume" // parked → handling
	ActFeedBack   CaseAction = "feed_back"
	ActVerifyFail CaseAction = "verify_fail" // fed back → handling
	ActClose      CaseAction = "close"       // fed back → closed: verified
	ActEvaluate   CaseAction = "evaluate"
	ActReturn     CaseAction = "return"
	ActPark       CaseAction = "park"
	ActExtend     CaseAction = "extend"
	ActEscalate   CaseAction = "escalate"
)

// ActionOf is the action a move from one state to another is.
func ActionOf(from, to EventState) CaseAction {
	switch to {
	case EventFiled:
		return ActFile
	case EventCancelled:
		return ActCancel
	case EventDispatched:
		return ActDispatch
	case EventHandling:
		switch from {
		case EventParked:
			return ActResume
		case EventFedBack:
			return ActVerifyFail
		}
		return ActStart
	case EventFedBack:
		return ActFeedBack
	case EventClosed:
		return ActClose
	case EventEvaluated:
		return ActEvaluate
	case EventReturned:
		return ActReturn
	case EventParked:
		return ActPark
	}
	return CaseAction(to)
}

// CaseFilter picks cases for the queue; zero fields pick all. Without
// States or All only open cases are listed.
type CaseFilter struct {
	States   []EventState
	All      bool   // closed and cancelled cases too
	Overdue  bool   // only cases past their deadline (open) or closed late
	Region   string // a region or grid code prefix
	Source   EventSource
	Category string // the matter's category
	Sort     string // "remaining" (default), "priority", "state", "reported"
	Limit    int    // the first Limit cases in that order (0: all)
}

// CaseCounts are how many cases a filter picks, how many of them are
// overdue, and how many are past 75 % of their limit (a yellow card).
type CaseCounts struct{ All, Overdue, Warning int }

// CaseRow is a case in the queue, with its clock.
type CaseRow struct {
	Event
	Version            int64
	MatterZh, MatterEn string
	Category           string
	Level              string // the center level handling it
	Clock              Clock
}

// CaseStep is one step of a case's history: who did what when, and where
// its clock stood then.
type CaseStep struct {
	Action CaseAction
	State  EventState
	At     time.Time
	Actor  string
	Note   string
	Clock  Clock
}

// CaseDetail is a case with its matter, its units, its steps and its clock.
type CaseDetail struct {
	CaseRow
	Matter     MatterType
	Contact    string
	Department string
	Result     string
	Units      []string // the units dispatched to it and not released
	Steps      []CaseStep
}
