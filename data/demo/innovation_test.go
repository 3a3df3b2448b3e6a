package demo_test

import (
	"context"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/internal/fixture"
)

// The demo's program: forty projects across the stages with their
// history, the 2021 round with twenty entries scored by district leaders
// (never their own district's) and its top ten, the demonstration point's
// project piloted at the point and rolled out to streets; no journal entry
// but the build's. The same seed builds the same program.
func TestDemoInnovationProgram(t *testing.T) {
	opt := fixture.Options()
	opt.Innovation = true
	m, _ := buildCity(t, opt)
	ctx := context.Background()
	none, _ := buildTestCity(t)
	count := func(q string, args ...any) int64 { t.Helper(); return fixture.Count(t, m, q, args...) }
	if n := fixture.Count(t, none, `SELECT count(*) FROM projects`); n != 0 {
		t.Fatalf("%d projects without Options.Innovation", n)
	}
	if n := count(`SELECT count(*) FROM projects`); n != 40 {
		t.Fatalf("%d projects, want 40", n)
	}
	for stage, want := range map[data.Stage]int64{data.StageProposed: 6, data.StageIncubating: 8, data.StagePiloting: 9,
		data.StageEvaluated: 6, data.StageRolledOut: 7, data.StageStopped: 4} {
		if n := count(`SELECT count(*) FROM projects WHERE stage = ?`, stage); n != want {
			t.Errorf("%d projects %s, want %d", n, stage, want)
		}
	}
	// Each project's history ends at its stage, at its stage_at.
	if n := count(`SELECT count(*) FROM projects p WHERE (SELECT to_stage || at FROM project_history h WHERE h.project_uid = p.uid
		ORDER BY seq DESC LIMIT 1) IS NOT p.stage || p.stage_at`); n != 0 {
		t.Errorf("%d projects whose history does not end at their stage", n)
	}
	if n := count(`SELECT count(*) FROM projects WHERE stage = 'stopped' AND reason = ''`); n != 0 {
		t.Errorf("%d stopped without a reason", n)
	}
	if n := count(`SELECT count(*) FROM milestones WHERE done_at IS NULL AND due_at < ?`, gpkg.FormatTime(fixture.AsOf)); n == 0 {
		t.Error("no milestone overdue at AsOf")
	}
	if n := count(`SELECT count(*) FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_indicators i WHERE i.project_uid = p.uid)`); n != 0 {
		t.Errorf("%d projects without indicators", n)
	}
	if n := count(`SELECT count(*) FROM journal WHERE kind LIKE 'project.%' OR kind LIKE 'contest.%'`); n != 0 {
		t.Errorf("%d journal entries of the program, want none (the build is one)", n)
	}
	if n := count(`SELECT count(*) FROM contest_entries WHERE round = 2021`); n != 20 {
		t.Errorf("%d entries, want 20", n)
	}
	if n := count(`SELECT count(*) FROM contest_scores s JOIN users u ON u.id = s.judge JOIN projects p ON p.uid = s.project_uid
		WHERE substr(p.region_code, 1, length(u.jurisdiction_code)) = u.jurisdiction_code`); n != 0 {
		t.Errorf("%d scores of a judge's own region", n)
	}
	rank, err := m.Ranking(ctx, 2021)
	if err != nil || len(rank) != 20 {
		t.Fatalf("ranking: %d %v", len(rank), err)
	}
	for i, e := range rank {
		if e.City != (i < data.TopProjects) || e.Judges == 0 {
			t.Errorf("rank %d: %+v", i+1, e)
		}
	}
	// The demonstration point's project.
	var key string
	if err := m.DB.QueryRow(`SELECT project_uid FROM project_rollouts WHERE region_code = ? AND state = 'pilot'`, fixture.Options().DemoPoint).Scan(&key); err != nil {
		t.Fatal(err)
	}
	rs, err := m.Rollouts(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	byState := map[data.RolloutState]int{}
	for _, r := range rs {
		byState[r.State]++
	}
	if byState[data.RolloutPilot] != 1 || byState[data.RolloutRolledOut] < 1 || byState[data.RolloutRolledOut]+byState[data.RolloutPlanned] < 2 {
		t.Errorf("rollouts: %+v", rs)
	}
	// Where it was piloted and rolled out, its indicators have values to
	// compare, better after than before; where it is only planned, none
	// (the street's as-of day value falls outside the window or after it).
	p, err := m.Project(ctx, key, fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Indicators) != 4 {
		t.Fatalf("the demonstration project's indicators: %v", p.Indicators)
	}
	defs, err := data.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	lower := map[string]bool{}
	for _, d := range defs {
		lower[d.Code] = d.Direction == data.LowerBetter
	}
	compared := 0
	for _, r := range rs {
		for _, code := range p.Indicators {
			c, err := m.RolloutIndicators(ctx, key, code, r.Region)
			if err != nil {
				t.Fatal(err)
			}
			if r.State == data.RolloutPlanned || c.AfterN == 0 && !r.Since.Before(fixture.AsOf.Add(-24*time.Hour)) {
				continue
			}
			if c.BeforeN < 25 || c.AfterN < 1 {
				t.Errorf("%s in %s (%s since %s): %d values before, %d after", code, r.Region, r.State, r.Since, c.BeforeN, c.AfterN)
				continue
			}
			if better := c.After < c.Before; better != lower[code] {
				t.Errorf("%s in %s: %.2f before, %.2f after: not better", code, r.Region, c.Before, c.After)
			}
			compared++
		}
	}
	if compared < 8 {
		t.Errorf("only %d comparisons with values on both sides", compared)
	}
	if n := count(`SELECT count(*) FROM project_rollouts r WHERE (SELECT to_state || at FROM project_rollout_history h
		WHERE h.project_uid = r.project_uid AND h.region_code = r.region_code ORDER BY seq DESC LIMIT 1) IS NOT r.state || r.since`); n != 0 {
		t.Errorf("%d rollouts whose history does not end at their state", n)
	}

	b, _ := buildCity(t, opt)
	q := `SELECT group_concat(x, ',') FROM (SELECT uid || stage || stage_at || title AS x FROM projects UNION ALL
		SELECT project_uid || judge || criterion || value FROM contest_scores UNION ALL
		SELECT project_uid || region_code || state || since FROM project_rollouts UNION ALL
		SELECT project_uid || due_at || coalesce(done_at, '') FROM milestones ORDER BY 1)`
	var x, y string
	if err := m.DB.QueryRow(q).Scan(&x); err != nil {
		t.Fatal(err)
	}
	if err := b.DB.QueryRow(q).Scan(&y); err != nil {
		t.Fatal(err)
	}
	if x == "" || x != y {
		t.Fatal("two builds with the same seed build different programs")
	}
}
