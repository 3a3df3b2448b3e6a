package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// Rosters lists a region's rosters of one week, in the order planned, as
// they stand (state, version, shifts): not its streets' rosters, nor other
// weeks'; a week that is not one is refused.
func TestRostersOfARegionAndWeek(t *testing.T) {
	m := fixture.City(t)
	plan := func(region, week string, at time.Time) data.Roster {
		t.Helper()
		r, err := m.PlanRoster(ctx, region, week, "leader", at)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := plan("990101", "2026-W49", rosterNow)
	second := plan("990101", "2026-W49", rosterNow.Add(time.Minute))
	plan("990101001", "2026-W49", rosterNow) // a street of the district
	plan("990101", "2026-W50", rosterNow)    // another week
	plan("990102", "2026-W49", rosterNow)    // another district
	if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: second.ID, Unit: "U9901010010010011", Grid: "990101001001001",
		Shift: "2026-12-01/day", Actor: "leader", Version: second.Version}, rosterNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.PublishRoster(ctx, second.ID, "leader", 0, rosterNow); err != nil {
		t.Fatal(err)
	}

	got, err := m.Rosters(ctx, "990101", "2026-W49")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != first.ID || got[1].ID != second.ID {
		t.Fatalf("rosters of 990101 in 2026-W49: %+v", got)
	}
	if g := got[0]; g.State != data.RosterDraft || g.Version != 1 || g.Region != "990101" || g.Week.String() != "2026-W49" || len(g.Shifts) != 3 || g.Shifts[0] != data.DefaultShifts[0] {
		t.Fatalf("the first: %+v", g)
	}
	if g := got[1]; g.State != data.RosterPublished || g.Version != 3 {
		t.Fatalf("the second, assigned once and published: %+v", g)
	}
	if street, err := m.Rosters(ctx, "990101001", "2026-W49"); err != nil || len(street) != 1 || street[0].Region != "990101001" {
		t.Fatalf("the street's: %+v %v", street, err)
	}
	if none, err := m.Rosters(ctx, "990101", "2026-W51"); err != nil || len(none) != 0 {
		t.Fatalf("a week without rosters: %+v %v", none, err)
	}
	_, err = m.Rosters(ctx, "990101", "2026-49")
	refused(t, "a malformed week", err, data.CodeWeekMalformed)
}

// ShiftTable is a district's own table when it set one (for its streets
// too), else the default.
func TestShiftTable(t *testing.T) {
	m := fixture.City(t)
	mustExec(t, m, `INSERT INTO district_schedule_rules (district_code, shifts) VALUES ('990102', '[{"name":"early","start":6,"end":14},{"name":"late","start":14,"end":22}]')`)
	for region, want := range map[string][]data.ShiftDef{
		"990101":    data.DefaultShifts,
		"990101001": data.DefaultShifts,
		"990102001": {{Name: "early", Start: 6, End: 14}, {Name: "late", Start: 14, End: 22}},
	} {
		got, err := m.ShiftTable(ctx, region)
		if err != nil || len(got) != len(want) {
			t.Fatalf("%s: %v %v", region, got, err)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: %v, want %v", region, got, want)
			}
		}
	}
	_, err := m.ShiftTable(ctx, "99")
	refused(t, "a city", err, data.CodeRosterRegion)
}
