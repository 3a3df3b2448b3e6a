package mirror_test

import (
	"testing"

	"kapok/data"
	"kapok/data/schedule"
	"kapok/internal/fixture"
)

// Two draft rosters of one week see each other: a unit the one has in a
// shift is flagged (softly) in the other, and the other's auto-fill does
// not propose it for that shift.
func TestDraftRostersSeeEachOther(t *testing.T) {
	m := fixture.City(t)
	district, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	street, err := m.PlanRoster(ctx, "990101001", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	later, err := m.PlanRoster(ctx, "990101001", "2026-W50", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	const unit = "U9901010010010011"
	// The district's draft has the unit in every shift of the week it may
	// patrol (against the rules, which a draft allows).
	for _, s := range data.WeekShifts(district.Week, district.Shifts) {
		if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: district.ID, Unit: unit, Grid: "990101001001002", Shift: s.String(), Actor: "leader"}, rosterNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: street.ID, Unit: unit, Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader"}, rosterNow); err != nil {
		t.Fatal(err)
	}
	conflicts, _, err := m.CheckRoster(ctx, street.ID, "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	var booked []schedule.Conflict
	for _, c := range conflicts {
		if c.Kind == schedule.BookedElsewhere {
			booked = append(booked, c)
		}
	}
	if len(booked) != 1 || booked[0].Hard || booked[0].Roster != district.ID || booked[0].Unit != unit || booked[0].Shift.String() != "2026-12-01/day" {
		t.Fatalf("the street's draft: %+v", conflicts)
	}
	// Another week's draft does not see it.
	if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: later.ID, Unit: unit, Grid: "990101001001001", Shift: "2026-12-08/day", Actor: "leader"}, rosterNow); err != nil {
		t.Fatal(err)
	}
	if cs, _, err := m.CheckRoster(ctx, later.ID, "leader", rosterNow); err != nil || len(cs) != 0 {
		t.Fatalf("next week's draft: %+v %v", cs, err)
	}
	// The street's auto-fill leaves the unit alone all week.
	if _, err := m.UnassignPatrol(ctx, data.RosterChange{Roster: street.ID, Unit: unit, Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader"}, rosterNow); err != nil {
		t.Fatal(err)
	}
	_, res, err := m.AutoFill(ctx, street.ID, "leader", 0, rosterNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Assignments) == 0 {
		t.Fatal("the fill proposed nothing: the test tests nothing")
	}
	for _, a := range res.Assignments {
		if a.Unit == unit {
			t.Fatalf("the fill proposed %s, booked all week in the district's draft: %+v", unit, a)
		}
	}
}
