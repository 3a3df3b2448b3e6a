package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// rolloutRows counts the rollouts, their history and the journal: a
// refusal leaves them as they were.
func rolloutRows(t *testing.T, m *mirror.Mirror) int64 {
	t.Helper()
	return count(t, m, `SELECT (SELECT count(*) FROM project_rollouts) + (SELECT count(*) FROM project_rollout_history)
		+ (SELECT count(*) FROM journal) + coalesce((SELECT sum(length(state || since)) FROM project_rollouts), 0)`)
}

func moveTo(t *testing.T, m *mirror.Mirror, key string, to data.Stage, at time.Time) {
	t.Helper()
	for _, s := range data.Stages {
		p, err := m.Project(ctx, key, at)
		if err != nil {
			t.Fatal(err)
		}
		if p.Stage == to || s == data.StageStopped {
			return
		}
		if _, err := m.MoveProject(ctx, key, data.NextStage(p.Stage), "", "leader", at); err != nil {
			t.Fatal(err)
		}
	}
}

// A project is piloted, rolled out and planned in regions as its stage
// allows, each change a row, a history row and a journal entry; bad ones
// are refused with nothing written.
func TestSetRollout(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	p := addProject(t, m, "990101", "党建引领基层治理", "leader_990101", now)
	refused := func(code data.Code, region string, state data.RolloutState, actor string) {
		t.Helper()
		before := rolloutRows(t, m)
		_, err := m.SetRollout(ctx, p.Key, region, state, actor, now)
		refusedWith(t, err, code)
		if after := rolloutRows(t, m); after != before {
			t.Fatalf("refused %s but wrote (%d rows, then %d)", code, before, after)
		}
	}
	refused(data.CodeRolloutNotAllowed, "990101001001", data.RolloutPilot, "leader_990101") // proposed
	moveTo(t, m, p.Key, data.StagePiloting, now)
	refused(data.CodeRolloutNotAllowed, "990101001", data.RolloutRolledOut, "leader_990101")
	refused(data.CodeRolloutStateUnknown, "990101001", "done", "leader_990101")
	refused(data.CodeRegionUnknown, "990109", data.RolloutPilot, "leader_990101")
	refused(data.CodeProjectRegionLevel, "9901", data.RolloutPilot, "leader")
	refused(data.CodeProjectOutsideJurisdiction, "990102001", data.RolloutPilot, "leader_990101")
	refused(data.CodeActionNotPermitted, "990101001", data.RolloutPilot, "analyst_9901")
	if _, err := m.SetRollout(ctx, "01234567-none", "990101001", data.RolloutPilot, "leader", now); err == nil {
		t.Fatal("an unknown project set")
	} else {
		refusedWith(t, err, data.CodeProjectUnknown)
	}

	if _, err := m.SetRollout(ctx, p.Key, "990101001001", data.RolloutPilot, "leader_990101", now); err != nil {
		t.Fatal(err)
	}
	before := rolloutRows(t, m)
	if r, err := m.SetRollout(ctx, p.Key[:13], "990101001001", data.RolloutPilot, "leader_990101", now.Add(time.Hour)); err != nil || !r.Since.Equal(now) {
		t.Fatalf("again: %+v %v", r, err)
	}
	if rolloutRows(t, m) != before {
		t.Fatal("the same state again wrote")
	}
	if _, err := m.SetRollout(ctx, p.Key, "990102001", data.RolloutPlanned, "leader", now); err != nil {
		t.Fatal(err)
	}
	moveTo(t, m, p.Key, data.StageRolledOut, now)
	later := now.Add(24 * time.Hour)
	if _, err := m.SetRollout(ctx, p.Key, "990102001", data.RolloutRolledOut, "leader", later); err != nil {
		t.Fatal(err)
	}
	q := addProject(t, m, "990102", "网格议事会", "leader_990102", now)
	moveTo(t, m, q.Key, data.StagePiloting, now)
	if _, err := m.SetRollout(ctx, q.Key, "990102001", data.RolloutPilot, "leader_990102", now); err != nil {
		t.Fatal(err)
	}

	rs, err := m.Rollouts(ctx, p.Key)
	if err != nil || len(rs) != 2 || rs[0].Region != "990101001001" || rs[0].State != data.RolloutPilot ||
		rs[1].Region != "990102001" || rs[1].State != data.RolloutRolledOut || !rs[1].Since.Equal(later) {
		t.Fatalf("rollouts: %+v %v", rs, err)
	}
	states, err := m.RolloutStates(ctx)
	if err != nil || len(states) != 2 || states["990101001001"] != data.RolloutPilot || states["990102001"] != data.RolloutPilot {
		t.Fatalf("states: %v %v", states, err)
	}
	if n := count(t, m, `SELECT count(*) FROM project_rollout_history WHERE project_uid = ?`, p.Key); n != 3 {
		t.Fatalf("%d history rows, want 3", n)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE subject = ? AND kind = ?`, p.Key, data.KindProjectRollout); n != 3 {
		t.Fatalf("%d journal entries, want 3", n)
	}
}

// The indicator's means over the 30 days before and after a rollout's
// Since, from values fed; a community's are its street's.
func TestRolloutIndicators(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	since := now.AddDate(0, 0, -40)
	p := addProject(t, m, "990101", "党建引领基层治理", "leader_990101", since)
	moveTo(t, m, p.Key, data.StagePiloting, since)
	if _, err := m.SetRollout(ctx, p.Key, "990101001001", data.RolloutPilot, "leader_990101", since); err != nil {
		t.Fatal(err)
	}
	fed := []data.Reading{
		reading(aqi, feedStreet, since.AddDate(0, 0, -31), 500), // outside the window
		reading(aqi, feedStreet, since.AddDate(0, 0, -20), 80),
		reading(aqi, feedStreet, since.AddDate(0, 0, -2), 100),
		reading(aqi, feedStreet, since, 60), // after: Since included
		reading(aqi, feedStreet, since.AddDate(0, 0, 10), 40),
		reading(aqi, feedStreet, since.AddDate(0, 0, 29), 50),
		reading(aqi, feedStreet, since.AddDate(0, 0, 31), 900), // outside
	}
	if _, err := m.Feed(ctx, "test", fed, "operator", now); err != nil {
		t.Fatal(err)
	}
	c, err := m.RolloutIndicators(ctx, p.Key, aqi, "990101001001")
	if err != nil {
		t.Fatal(err)
	}
	if c.MeasuredIn != feedStreet || c.BeforeN != 2 || c.Before != 90 || c.AfterN != 3 || c.After != 50 || !c.Since.Equal(since) {
		t.Fatalf("comparison: %+v", c)
	}
	_, err = m.RolloutIndicators(ctx, p.Key, aqi, "990102001")
	refusedWith(t, err, data.CodeRolloutUnknown)
}
