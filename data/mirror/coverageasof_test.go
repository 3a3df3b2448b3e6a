package mirror_test

import (
	"fmt"
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// Coverage as it stood: a roster planned, filled, published, amended (a
// patrol added, one taken off) step by step, the coverage taken after each
// step; read back afterwards at each step's instant and between, it is
// the same — before the publication, nothing covered.
func TestCoverageAsOfIsTheCoverageThen(t *testing.T) {
	m := fixture.City(t)
	const actor, region = "leader_990101", "990101"
	at := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC) // in the day shift of 2026-12-01 (Beijing), week 2026-W49
	next := func() time.Time { at = at.Add(17 * time.Minute); return at }
	type step struct {
		at   time.Time
		want string
	}
	var steps []step
	take := func() {
		t.Helper()
		c, i, err := m.CoverageAt(ctx, region, actor, at, at)
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, step{at, fmt.Sprint(c, i)})
	}
	week := data.WeekOf(at).String()
	r, err := m.PlanRoster(ctx, region, week, actor, next())
	if err != nil {
		t.Fatal(err)
	}
	take()
	shift := "2026-12-01/day"
	assign := func(unit, grid string, add bool) {
		t.Helper()
		c := data.RosterChange{Roster: r.ID, Unit: unit, Grid: grid, Shift: shift, Actor: actor}
		var err error
		if add {
			_, err = m.AssignPatrol(ctx, c, next())
		} else {
			_, err = m.UnassignPatrol(ctx, c, next())
		}
		if err != nil {
			t.Fatal(err)
		}
		take()
	}
	assign("U9901010010010011", "990101001001001", true)
	assign("U9901010010010021", "990101001001002", true)
	if _, _, err := m.PublishRoster(ctx, r.ID, actor, 0, next()); err != nil {
		t.Fatal(err)
	}
	take()
	assign("U9901010010010021", "990101001001002", false) // an amendment taking a patrol off
	assign("U9901010010010021", "990101001001003", true)  // and one adding a patrol
	distinct := map[string]bool{}
	for i, s := range steps {
		distinct[s.want] = true
		for _, when := range []time.Time{s.at, s.at.Add(8 * time.Minute)} {
			c, k, err := m.CoverageAsOf(ctx, region, actor, when)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(c, k); got != s.want {
				t.Fatalf("step %d at %s: coverage\n%s\nthen it was\n%s", i, when, got, s.want)
			}
		}
	}
	if len(distinct) < 4 {
		t.Fatalf("the steps changed the coverage %d times only", len(distinct))
	}
}

// When each roster was planned and published, by its history: a roster is
// there from its plan, published from its publication, not before.
func TestRosterTimesBy(t *testing.T) {
	m := fixture.City(t)
	plan := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", plan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: "U9901010010010011", Grid: "990101001001001",
		Shift: "2026-12-01/day", Actor: "leader_990101"}, plan.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	publish := plan.Add(2 * time.Hour)
	if _, _, err := m.PublishRoster(ctx, r.ID, "leader_990101", 0, publish); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at                 time.Time
		planned, published bool
	}{{plan.Add(-time.Second), false, false}, {plan, true, false}, {publish.Add(-time.Second), true, false}, {publish, true, true}} {
		planned, published, err := m.RosterTimesBy(ctx, c.at)
		if err != nil {
			t.Fatal(err)
		}
		p, okP := planned[r.ID]
		q, okQ := published[r.ID]
		if okP != c.planned || okQ != c.published || okP && !p.Equal(plan) || okQ && !q.Equal(publish) {
			t.Fatalf("at %v: planned %v %v, published %v %v", c.at, okP, p, okQ, q)
		}
	}
}
