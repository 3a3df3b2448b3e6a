package data

import (
	"fmt"
	"sort"
	"time"

	"github.com/paulmach/orb"
)

// RegionSummary is a region of the navigation tree with its status.
type RegionSummary struct {
	Code, Name, Pinyin string
	Level              Level
	Parent             string // code of the region above ("" for the city)
	Grids              int
	Open, Overdue      int // open events in its grids, and those past their deadline
}

// GridEvents counts a grid's open and overdue events.
type GridEvents struct{ Open, Overdue int }

// BoardRow is one region's line on the status board.
type BoardRow struct {
	Code, Name      string
	Open, Overdue   int
	Closed, OnTime  int // events closed that had a deadline, and those closed by it
	UnitsAvailable  int
	UnitsDispatched int
	Unstaffed       int // centers in the region (its own and those below) with nobody on duty now
}

// OnTimeRate is the share of closed events closed by their deadline, or -1
// when none has closed.
func (r BoardRow) OnTimeRate() float64 {
	if r.Closed == 0 {
		return -1
	}
	return float64(r.OnTime) / float64(r.Closed)
}

// BoardColumns are the columns the status board sorts by.
var BoardColumns = []string{"name", "open", "overdue", "ontime", "available", "dispatched"}

// SortBoard sorts rows by a column: "name" (code order), "open", "overdue",
// "ontime", "available", "dispatched", "unstaffed"; numbers descending, so the worst or
// busiest region comes first (on-time rate ascending, for the same reason).
func SortBoard(rows []BoardRow, column string) error {
	key := map[string]func(BoardRow) float64{
		"open":       func(r BoardRow) float64 { return -float64(r.Open) },
		"overdue":    func(r BoardRow) float64 { return -float64(r.Overdue) },
		"ontime":     func(r BoardRow) float64 { return r.OnTimeRate() },
		"available":  func(r BoardRow) float64 { return -float64(r.UnitsAvailable) },
		"dispatched": func(r BoardRow) float64 { return -float64(r.UnitsDispatched) },
		"unstaffed":  func(r BoardRow) float64 { return -float64(r.Unstaffed) },
	}
	if column == "name" {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Code < rows[j].Code })
		return nil
	}
	k, ok := key[column]
	if !ok {
		return fmt.Errorf("status board: no column %q", column)
	}
	sort.SliceStable(rows, func(i, j int) bool { return k(rows[i]) < k(rows[j]) })
	return nil
}

// CenterDetail is what the console shows for a governance center.
type CenterDetail struct {
	Center
	RegionName          string
	Grids, Units        int
	Available           int // units available now
	OpenEvents, Overdue int
	Urgent              []EventBrief // up to 20 open events, nearest deadline first
	// Duty is its duty roster from the shift under way to the end of the
	// next day; Unstaffed says nobody is on duty now.
	Duty      []Duty
	Unstaffed bool
}

// GridDetail is what the console shows for a grid.
type GridDetail struct {
	Grid
	CommunityName string
	Workers       []Person
	Units         []Unit
	Open          []EventBrief // open events, most urgent deadline first
	Overdue       int
}

// UnitDetail is a unit and its members.
type UnitDetail struct {
	Unit
	Members []Person
}

// Person is a grid worker or a unit's responder.
type Person struct {
	Name, Role, Phone string
	OnDuty            bool
}

// EventBrief is an event in a list.
type EventBrief struct {
	Code, MatterZh, MatterEn string
	State                    EventState
	Priority                 Priority
	Deadline                 time.Time // zero when not yet dispatched
	Overdue                  bool
}

// EventDetail is an event with its matter type and state history.
type EventDetail struct {
	EventBrief
	MatterCode, GridCode, Source, Description string
	TimeLimit                                 time.Duration
	Reported                                  time.Time
	History                                   []StateStep
}

// StateStep is one move of an event through its workflow.
type StateStep struct {
	State EventState
	At    time.Time
	Actor string
	Note  string
}

// Shape is a coded boundary, for drawing.
type Shape struct {
	Code, Name, Pinyin string
	Boundary           orb.MultiPolygon
	// LabelAt is where the region's name goes: its governance center, which
	// lies inside it (or the boundary's first vertex without one).
	LabelAt orb.Point
}

// MapFeature is a point or line of an overlay layer: its code, a class that
// picks its symbol (a center's level, a camera's status, an event's
// "open"/"overdue") and its geometry in lon/lat.
type MapFeature struct {
	Code, Class string
	Geom        orb.Geometry
}

// Overlays are the overlay layers a map service loads.
var Overlays = []string{"centers", "events", "dispatch", "cameras", "checkpoints", "patrol_routes"}
