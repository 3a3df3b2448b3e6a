package schedule

import (
	"github.com/paulmach/orb"

	"kapok/data"
)

// Plan is everything a roster is checked, covered and filled against: the
// week and its shifts, the rules, the region's grids and the units that may
// patrol them, and the assignments made so far.
type Plan struct {
	Week   data.Week
	Shifts []data.ShiftDef
	Rules  data.PatrolRules
	Grids  []Grid
	Units  []Unit
	// Routes are the patrol routes units of the plan may walk instead of
	// patrolling one grid.
	Routes []Route
	// Assignments made so far (for Check and Cover), or kept (for autofill,
	// which adds to them).
	Assignments []data.Assignment
	// Jurisdiction is the acting user's region code prefix ("" for the
	// whole city): assigning a unit outside it is a hard conflict.
	Jurisdiction string
}

// Grid is a grid to patrol.
type Grid struct {
	Code, Street, Kind string
	HighRisk           bool      // many cases lately: needs more patrols
	At                 orb.Point // a point inside it (lon/lat), for travel
}

// Route is a patrol route: a unit walking it in a shift patrols every grid
// it crosses in that shift.
type Route struct {
	Code, Name, Street string
	Times              string    // when it is walked: data.RouteByDay, RouteByNight or RouteAllDay
	Grids              []string  // the grids it crosses, in code order (any street's)
	At                 orb.Point // where it starts (lon/lat), for travel
}

// Unit is a unit that may patrol.
type Unit struct {
	Code, Street, Grid string    // its own street and home grid
	At                 orb.Point // its home (lon/lat)
	// Unavailable are the shifts (data.Shift.String()) it cannot patrol:
	// dispatched on a case, on leave, held by an order.
	Unavailable map[string]bool
	// Booked are the shifts (data.Shift.String()) another draft roster of
	// the week has it patrolling in, with that roster's key: not yet a
	// rule broken (neither may be published), but one of the two must
	// give way.
	Booked map[string]string
}

// Cell is one grid in one shift: patrols required and planned.
type Cell struct{ Required, Planned int }

// Coverage is the grid × shift matrix of a plan.
type Coverage struct {
	Shifts []data.Shift // the week's shifts in time order
	Grids  []string     // the plan's grid codes, in the plan's order
	Cells  []Cell       // row-major: Cells[g*len(Shifts)+s]
}

// Gap is a grid short of patrols in a shift.
type Gap struct {
	Grid    string
	Shift   data.Shift
	Missing int
}

// ConflictKind names what is wrong with an assignment.
type ConflictKind string

// Conflict kinds. Hard ones block publishing; soft ones are shown.
const (
	DoubleBooked        ConflictKind = "double_booked"        // hard: a unit in two places in one shift
	TooLittleRest       ConflictKind = "too_little_rest"      // hard: less than Rules.MinRest between two shifts
	TooManyShifts       ConflictKind = "too_many_shifts"      // hard: more than Rules.MaxShifts in the week
	UnitUnavailable     ConflictKind = "unit_unavailable"     // hard: dispatched, on leave
	OutsideJurisdiction ConflictKind = "outside_jurisdiction" // hard: the unit or grid is outside the actor's region
	UnknownUnit         ConflictKind = "unknown_unit"         // hard
	UnknownGrid         ConflictKind = "unknown_grid"         // hard
	UnknownRoute        ConflictKind = "unknown_route"        // hard
	ShiftOutsideWeek    ConflictKind = "shift_outside_week"   // hard
	RouteOffShift       ConflictKind = "route_off_shift"      // hard: a day route in a night shift, or the reverse
	BookedElsewhere     ConflictKind = "booked_elsewhere"     // soft: another draft roster has the unit in the shift
	Lent                ConflictKind = "lent"                 // soft (hard when Rules.AllowLending is off): outside its street
)

// Conflict is one problem of a roster, with what it concerns: the unit,
// and the area of the assignment (its Grid, or its Route).
type Conflict struct {
	Kind  ConflictKind
	Hard  bool
	Unit  string
	Grid  string
	Route string
	Shift data.Shift
	// Other is the other shift of a double booking or too short a rest;
	// Count the unit's shifts for TooManyShifts.
	Other data.Shift
	Count int
	// Roster is the other roster of BookedElsewhere.
	Roster string
}
