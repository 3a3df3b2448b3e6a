package data

import (
	"fmt"
	"time"

	"github.com/paulmach/orb"
)

// Level is a region's place in the city → district → street → community chain.
type Level int

// The four levels of regions and governance centers.
const (
	LevelCity Level = iota
	LevelDistrict
	LevelStreet
	LevelCommunity
)

var levelNames = [...]string{"city", "district", "street", "community"}

func (l Level) String() string { return levelNames[l] }

// CodeLength is the length of an official division code at this level.
func (l Level) CodeLength() int { return [...]int{4, 6, 9, 12}[l] }

// Table is the feature table holding regions of this level.
func (l Level) Table() string { return [...]string{"cities", "districts", "streets", "communities"}[l] }

// GridCodeLength is the length of a grid code: community code + 3-digit sequence.
const GridCodeLength = 15

// Region is a city, district, street/town or community/village.
type Region struct {
	Code, Name, Pinyin string
	Level              Level
	ParentCode         string
	Kind               string // street|town, community|village; empty above
	Boundary           orb.MultiPolygon
	AreaKm2            float64
	DemoPoint          bool
}

// Grid kinds.
const (
	GridResidential = "residential"
	GridVillage     = "village"
	GridCommercial  = "commercial"
	GridIndustrial  = "industrial"
	GridSpecial     = "special" // schools, hospitals and the like
)

// Grid is one comprehensive grid, owned by exactly one community.
type Grid struct {
	FID           int64
	Code          string
	CommunityCode string
	Kind          string
	Boundary      orb.MultiPolygon
	AreaM2        float64
	Population    int
	Households    int
}

// Center is a comprehensive governance center.
type Center struct {
	Code, Name, RegionCode string
	Level                  Level
	Location               orb.Point
	DutyPhone              string
	StaffOnDuty            int
	Status                 string
}

// MatterType is one entry of the grid-matter catalogue.
type MatterType struct {
	Code, NameZh, NameEn, Category, Department string
	TimeLimit                                  time.Duration
	HandlingLevel                              string
}

// Unit is a minimum emergency disposal unit.
type Unit struct {
	Code, Name, UnitType, GridCode string
	Location                       orb.Point
	Capabilities                   []string
	Status                         string
}

// Responder roles.
const (
	RolePolice     = "police"
	RoleUnitStaff  = "unit_staff"
	RoleVolunteer  = "volunteer"
	RoleGridWorker = "grid_worker"
)

// Event states of the digital urban management workflow (GB/T 30428).
const (
	EventCollected  = "collected"
	EventFiled      = "filed"
	EventCancelled  = "cancelled"
	EventDispatched = "dispatched"
	EventHandling   = "handling"
	EventFedBack    = "fed_back"
	EventReturned   = "returned" // wrong dispatch: goes back for re-dispatch
	EventParked     = "parked"   // cannot be fixed within the limit: backlog
	EventClosed     = "closed"
	EventEvaluated  = "evaluated"
)

// eventNext lists the states each state may move to. Extension is not a state:
// it pushes the deadline while the event stays in handling.
var eventNext = map[string][]string{
	EventCollected:  {EventFiled, EventCancelled},
	EventFiled:      {EventDispatched, EventCancelled},
	EventDispatched: {EventHandling, EventReturned},
	EventHandling:   {EventFedBack, EventParked, EventReturned},
	EventReturned:   {EventDispatched},
	EventParked:     {EventHandling},
	EventFedBack:    {EventClosed, EventHandling}, // verification fails: back to handling
	EventClosed:     {EventEvaluated},
}

// CanMove reports whether an event may go from one state to another.
func CanMove(from, to string) bool {
	for _, s := range eventNext[from] {
		if s == to {
			return true
		}
	}
	return false
}

// EventOpen reports whether an event in this state still needs work.
func EventOpen(state string) bool {
	switch state {
	case EventCancelled, EventClosed, EventEvaluated:
		return false
	}
	return true
}

// Event is a case in the workflow.
type Event struct {
	Code, MatterCode, GridCode, Source, Priority, State, Description string
	Location                                                         orb.Point
	ReportedAt                                                       time.Time
	DispatchedAt, Deadline, ClosedAt                                 *time.Time
	Extensions                                                       int
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
	return EventOpen(e.State) && now.After(*e.Deadline)
}

// Deadline is when an event dispatched at t must be fed back, given its matter.
func Deadline(dispatched time.Time, m MatterType) time.Time { return dispatched.Add(m.TimeLimit) }

// Order types, priorities and states.
var (
	OrderTypes      = []string{"dispatch", "patrol", "inspection", "briefing"}
	Priorities      = []string{"low", "normal", "high", "urgent"}
	OrderStates     = []string{"issued", "acknowledged", "in_progress", "done", "overdue", "cancelled"}
	orderNextStates = map[string][]string{
		"issued":       {"acknowledged", "cancelled", "overdue"},
		"acknowledged": {"in_progress", "cancelled", "overdue"},
		"in_progress":  {"done", "cancelled", "overdue"},
		"overdue":      {"done", "cancelled"},
	}
)

// CanMoveOrder reports whether an order may go from one state to another.
func CanMoveOrder(from, to string) bool {
	for _, s := range orderNextStates[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Target is one recipient of an order.
type Target struct {
	Kind string // center | unit | grid
	Code string
}

// Order is a schedule issued by a user.
type Order struct {
	ID                   int64
	Type, Task, Priority string
	State                string
	IssuedBy             int64
	IssuedAt, Start, End time.Time
	EventCode            string
	Targets              []Target
}

func (o Order) String() string {
	return fmt.Sprintf("#%d\t%s\t%s\t%s\t%s → %s\t%d targets\t%s", o.ID, o.State, o.Type, o.Priority,
		FormatTime(o.Start), FormatTime(o.End), len(o.Targets), o.Task)
}
