package data

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A roster plans a week: which units patrol which grids in which shift. The
// week is an ISO week in Beijing time, cut into shifts (by default day
// 08-16, evening 16-24, night 00-08 of each day).

// Week is an ISO 8601 week ("2026-W49").
type Week struct{ Year, Num int }

// ParseWeek reads "YYYY-Www" (an ISO week that exists: W53 only in the
// years that have one).
func ParseWeek(s string) (Week, error) {
	y, w, ok := strings.Cut(s, "-W")
	year, err1 := strconv.Atoi(y)
	num, err2 := strconv.Atoi(w)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(w) != 2 || num < 1 {
		return Week{}, Refuse(CodeWeekMalformed, "week", Value("week", s))
	}
	wk := Week{year, num}
	if _, last := time.Date(year, 12, 28, 12, 0, 0, 0, BeijingTime).ISOWeek(); num > last {
		return Week{}, Refuse(CodeWeekMalformed, "week", Value("week", s))
	}
	return wk, nil
}

// WeekOf is the ISO week t falls in, in Beijing time.
func WeekOf(t time.Time) Week {
	y, w := t.In(BeijingTime).ISOWeek()
	return Week{y, w}
}

// String is "YYYY-Www".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// Monday is 00:00 Beijing time of the week's Monday.
func (w Week) Monday() time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, BeijingTime)
	monday1 := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday1.AddDate(0, 0, 7*(w.Num-1))
}

// Days are the week's seven days, Monday first, at 00:00 Beijing time.
func (w Week) Days() []time.Time {
	m := w.Monday()
	out := make([]time.Time, 7)
	for i := range out {
		out[i] = m.AddDate(0, 0, i)
	}
	return out
}

// BeijingTime is China Standard Time, the time rosters, shifts and orders
// are planned in. (A fixed zone: China has kept UTC+8 without summer time
// since 1991.)
var BeijingTime = time.FixedZone("CST", 8*3600)

// ShiftDef is one shift of a day: its name and its hours in Beijing time
// (End may be 24; a shift never spans midnight: a night shift runs 00-08 of
// the day it is dated).
type ShiftDef struct {
	Name       string
	Start, End int // hours 0-24
}

// DefaultShifts are the three shifts of a day unless a district sets its own.
var DefaultShifts = []ShiftDef{{"day", 8, 16}, {"evening", 16, 24}, {"night", 0, 8}}

// CheckShifts validates a district's shift table: at least one shift,
// names unique and non-empty, hours within 0-24, each shift at least an
// hour, no two overlapping.
func CheckShifts(defs []ShiftDef) error {
	if len(defs) == 0 {
		// A district without shifts could plan no roster.
		return Refuse(CodeShiftsInvalid, "shifts", Value("shift", ""))
	}
	seen := map[string]bool{}
	for i, d := range defs {
		if d.Name == "" || strings.ContainsAny(d.Name, "/ ") || seen[d.Name] || d.Start < 0 || d.End > 24 || d.End-d.Start < 1 {
			return Refuse(CodeShiftsInvalid, "shifts", Value("shift", d.Name))
		}
		seen[d.Name] = true
		for _, e := range defs[:i] {
			if d.Start < e.End && e.Start < d.End {
				return Refuse(CodeShiftsInvalid, "shifts", Value("shift", d.Name))
			}
		}
	}
	return nil
}

// Shift is one shift on one day: "2026-12-01/day".
type Shift struct {
	Day  time.Time // 00:00 Beijing time
	Name string
}

// String is "YYYY-MM-DD/name".
func (s Shift) String() string { return s.Day.In(BeijingTime).Format("2006-01-02") + "/" + s.Name }

// ParseShift reads "YYYY-MM-DD/name" against a shift table.
func ParseShift(s string, defs []ShiftDef) (Shift, error) {
	day, name, ok := strings.Cut(s, "/")
	d, err := time.ParseInLocation("2006-01-02", day, BeijingTime)
	if !ok || err != nil || shiftDef(defs, name) == nil {
		return Shift{}, Refuse(CodeShiftUnknown, "shift", Value("shift", s))
	}
	return Shift{Day: d, Name: name}, nil
}

func shiftDef(defs []ShiftDef, name string) *ShiftDef {
	for i := range defs {
		if defs[i].Name == name {
			return &defs[i]
		}
	}
	return nil
}

// Span is the shift's start and end instants under a shift table.
func (s Shift) Span(defs []ShiftDef) (start, end time.Time) {
	d := shiftDef(defs, s.Name)
	if d == nil {
		return s.Day, s.Day
	}
	return s.Day.Add(time.Duration(d.Start) * time.Hour), s.Day.Add(time.Duration(d.End) * time.Hour)
}

// WeekShifts are a week's shifts in time order under a shift table.
func WeekShifts(w Week, defs []ShiftDef) []Shift {
	ordered := append([]ShiftDef(nil), defs...)
	for i := 1; i < len(ordered); i++ { // by start hour: a handful
		for j := i; j > 0 && ordered[j].Start < ordered[j-1].Start; j-- {
			ordered[j], ordered[j-1] = ordered[j-1], ordered[j]
		}
	}
	var out []Shift
	for _, day := range w.Days() {
		for _, d := range ordered {
			out = append(out, Shift{Day: day, Name: d.Name})
		}
	}
	return out
}

// RosterState is where a roster stands.
type RosterState string

// Roster states: a draft is planned freely; a published roster has become
// patrol orders, and changing it makes amendments.
const (
	RosterDraft     RosterState = "draft"
	RosterPublished RosterState = "published"
)

// Roster is a week's patrol plan for a region (a district or a street).
type Roster struct {
	ID      string // UUIDv7: rosters are made at consoles, and mirrors sync
	Region  string
	Week    Week
	State   RosterState
	Version int64
	Shifts  []ShiftDef
}

// Assignment is a unit patrolling an area in a shift of a roster: one grid,
// or a patrol route (Route set, Grid empty), which patrols every grid the
// route crosses.
type Assignment struct {
	Unit, Grid string
	Route      string
	Shift      Shift
	Lent       bool // the unit patrols outside its own street
}

// When a patrol route is walked (patrol_routes.shift).
const (
	RouteByDay   = "day"
	RouteByNight = "night"
	RouteAllDay  = "all_day"
)

// RouteWalkable is whether a route walked at times (RouteByDay, RouteByNight,
// RouteAllDay) is walked in a shift of def: a day route in the shifts whose
// middle falls from 06:00 to before 18:00, a night route in the others,
// an all-day route in any. By the middle, so that the default evening
// (16-24) is a night shift and the day (08-16) a day one.
func RouteWalkable(times string, def ShiftDef) bool {
	mid := def.Start + def.End // twice the middle hour, in whole hours
	day := mid >= 12 && mid < 36
	switch times {
	case RouteAllDay:
		return true
	case RouteByDay:
		return day
	case RouteByNight:
		return !day
	}
	return false
}

// Area is the assignment's patrol area: its route's code, or its grid's.
func (a Assignment) Area() string {
	if a.Route != "" {
		return a.Route
	}
	return a.Grid
}

// PatrolRules are a district's rules for patrol rosters, as data.
type PatrolRules struct {
	// Required patrols per shift by grid kind and shift name; a grid whose
	// risk is high needs HighRiskExtra more.
	Required      map[string]map[string]int
	HighRiskExtra int
	MaxShifts     int           // per unit per week
	MinRest       time.Duration // between two shifts of a unit
	AllowLending  bool          // units may patrol outside their street (flagged)
}

// DefaultPatrolRules are the rules shipped: commercial and key (special)
// grids need more patrols, the night more than the day.
func DefaultPatrolRules() PatrolRules {
	return PatrolRules{
		Required: map[string]map[string]int{
			"commercial":  {"day": 1, "evening": 2, "night": 2},
			"special":     {"day": 2, "evening": 2, "night": 2},
			"residential": {"day": 1, "evening": 1, "night": 1},
			"industrial":  {"day": 1, "evening": 0, "night": 1},
			"village":     {"day": 0, "evening": 1, "night": 1},
		},
		HighRiskExtra: 1,
		MaxShifts:     6,
		MinRest:       8 * time.Hour,
		AllowLending:  true,
	}
}

// RequiredPatrols is how many patrols a grid needs in a shift.
func (r PatrolRules) RequiredPatrols(kind, shift string, highRisk bool) int {
	n := r.Required[kind][shift]
	if highRisk {
		n += r.HighRiskExtra
	}
	return n
}

// RosterChange is one assignment added to or taken from a roster, by an
// actor who read the roster at Version (0: do not check).
type RosterChange struct {
	// Grid or Route, exactly one: the area patrolled.
	Roster, Unit, Grid, Route, Shift string
	Actor                            string
	Version                          int64
}

// RosterView is a roster with its assignments, in shift order then unit.
type RosterView struct {
	Roster
	Assignments []Assignment
}

// DutyRole is a person's role on a center's duty roster.
type DutyRole string

// Duty roles: the leader on duty (带班领导) and the duty officer (值班员).
const (
	DutyLeader  DutyRole = "leader_on_duty"
	DutyOfficer DutyRole = "duty_officer"
)

// Duty is one person on duty at a center in one shift.
type Duty struct {
	UID, Center, Shift string
	Start, End         time.Time
	Person, Phone      string
	Role               DutyRole
}

// DutyRequest puts a person on a center's duty roster for a shift.
type DutyRequest struct {
	Center, Shift, Person, Phone string
	Role                         DutyRole
	Actor                        string
}
