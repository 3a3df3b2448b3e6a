package mirror_test

import (
	"errors"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

func refusedWith(t *testing.T, err error, code data.Code) {
	t.Helper()
	var r *data.Refusal
	if !errors.As(err, &r) || r.Code != code {
		t.Fatalf("got %v, want a refusal %s", err, code)
	}
}

// innovationRows counts every row the innovation program writes, and the
// journal: a refusal leaves them all as they were.
func innovationRows(t *testing.T, m *mirror.Mirror) int64 {
	t.Helper()
	return count(t, m, `SELECT (SELECT count(*) FROM projects) + (SELECT count(*) FROM project_history) + (SELECT count(*) FROM milestones)
		+ (SELECT count(*) FROM project_indicators) + (SELECT count(*) FROM contest_rounds) + (SELECT count(*) FROM contest_criteria)
		+ (SELECT count(*) FROM contest_entries) + (SELECT count(*) FROM contest_scores) + (SELECT count(*) FROM journal)
		+ coalesce((SELECT sum(length(stage || reason || stage_at)) FROM projects), 0)`)
}

// refusedNothingWritten runs a change that must be refused with code and
// checks that nothing was written.
func refusedNothingWritten(t *testing.T, m *mirror.Mirror, code data.Code, fn func() error) {
	t.Helper()
	before := innovationRows(t, m)
	refusedWith(t, fn(), code)
	if after := innovationRows(t, m); after != before {
		t.Fatalf("refused %s but wrote (%d rows, then %d)", code, before, after)
	}
}

func addProject(t *testing.T, m *mirror.Mirror, region, title, actor string, at time.Time) data.Project {
	t.Helper()
	p, err := m.AddProject(ctx, data.ProjectRequest{Region: region, Unit: "白云区大源村", Title: title, Description: "党建引领",
		Indicators: []string{aqi}, Actor: actor}, at)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A project goes through every stage in order, each step a history row and
// a journal entry; skips, stops without a reason and moves after the end
// are refused with nothing written.
func TestProjectStages(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	p := addProject(t, m, "990101001", "大源村模式", "leader_990101", now)
	if p.Stage != data.StageProposed || len(p.Key) != 36 {
		t.Fatalf("added %+v", p)
	}
	refusedNothingWritten(t, m, data.CodeProjectMoveNotAllowed, func() error {
		_, err := m.MoveProject(ctx, p.Key, data.StagePiloting, "", "leader_990101", now)
		return err
	})
	refusedNothingWritten(t, m, data.CodeProjectStageUnknown, func() error {
		_, err := m.MoveProject(ctx, p.Key, "done", "", "leader_990101", now)
		return err
	})
	refusedNothingWritten(t, m, data.CodeProjectReasonRequired, func() error {
		_, err := m.MoveProject(ctx, p.Key, data.StageStopped, "  ", "leader_990101", now)
		return err
	})
	refusedNothingWritten(t, m, data.CodeProjectUnknown, func() error {
		_, err := m.MoveProject(ctx, "01234567-no-such-project", data.StageIncubating, "", "leader_990101", now)
		return err
	})
	refusedNothingWritten(t, m, data.CodeProjectOutsideJurisdiction, func() error {
		_, err := m.MoveProject(ctx, p.Key, data.StageIncubating, "", "leader_990102", now)
		return err
	})
	refusedNothingWritten(t, m, data.CodeActionNotPermitted, func() error {
		_, err := m.MoveProject(ctx, p.Key, data.StageIncubating, "", "analyst_9901", now)
		return err
	})
	for i, s := range []data.Stage{data.StageIncubating, data.StagePiloting, data.StageEvaluated, data.StageRolledOut} {
		got, err := m.MoveProject(ctx, p.Key[:13], s, "", "commander", now.Add(time.Duration(i+1)*time.Hour))
		if err != nil || got.Stage != s {
			t.Fatalf("to %s: %+v %v", s, got, err)
		}
	}
	refusedNothingWritten(t, m, data.CodeProjectMoveNotAllowed, func() error {
		_, err := m.MoveProject(ctx, p.Key, data.StageStopped, "不再推进", "leader", now)
		return err
	})
	if n := count(t, m, `SELECT count(*) FROM project_history WHERE project_uid = ?`, p.Key); n != 5 {
		t.Fatalf("%d history rows, want 5", n)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE subject = ? AND kind IN ('project.add', 'project.move')`, p.Key); n != 5 {
		t.Fatalf("%d journal entries, want 5", n)
	}

	// Stopped from any stage but the last, with its reason.
	q := addProject(t, m, "990101001001", "社区议事厅", "leader_990101", now)
	if _, err := m.MoveProject(ctx, q.Key, data.StageIncubating, "", "leader_990101", now); err != nil {
		t.Fatal(err)
	}
	got, err := m.MoveProject(ctx, q.Key, data.StageStopped, "经费不足", "leader_990101", now)
	if err != nil || got.Stage != data.StageStopped || got.Reason != "经费不足" {
		t.Fatalf("stop: %+v %v", got, err)
	}
	refusedNothingWritten(t, m, data.CodeProjectMoveNotAllowed, func() error {
		_, err := m.MoveProject(ctx, q.Key, data.StagePiloting, "", "leader_990101", now)
		return err
	})

	list, err := m.Projects(ctx, data.ProjectFilter{Region: "990101"})
	if err != nil || len(list) != 2 || list[0].Stage != data.StageRolledOut || list[1].Stage != data.StageStopped {
		t.Fatalf("list: %+v %v", list, err)
	}
	if list, err := m.Projects(ctx, data.ProjectFilter{Stage: data.StageStopped}); err != nil || len(list) != 1 || list[0].Key != q.Key {
		t.Fatalf("stopped: %+v %v", list, err)
	}
	if list, err := m.Projects(ctx, data.ProjectFilter{Region: "990102"}); err != nil || len(list) != 0 {
		t.Fatalf("990102: %+v %v", list, err)
	}
}

// Bad proposals are refused, nothing written.
func TestProjectAddRefused(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	for _, c := range []struct {
		req  data.ProjectRequest
		code data.Code
	}{
		{data.ProjectRequest{Region: "990109", Title: "x", Actor: "leader"}, data.CodeRegionUnknown},
		{data.ProjectRequest{Region: "990101001001001", Title: "x", Actor: "leader"}, data.CodeProjectRegionLevel},
		{data.ProjectRequest{Region: "990102", Title: "x", Actor: "leader_990101"}, data.CodeProjectOutsideJurisdiction},
		{data.ProjectRequest{Region: "990101", Title: " ", Actor: "leader"}, data.CodeProjectTitleEmpty},
		{data.ProjectRequest{Region: "990101", Title: "x", Indicators: []string{"nope-01"}, Actor: "leader"}, data.CodeIndicatorUnknown},
		{data.ProjectRequest{Region: "990101", Title: "x", Actor: "analyst_9901"}, data.CodeActionNotPermitted},
	} {
		refusedNothingWritten(t, m, c.code, func() error {
			_, err := m.AddProject(ctx, c.req, now)
			return err
		})
	}
}

// Milestones come back by due date, the ones not done and past due flagged.
func TestProjectMilestones(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	p := addProject(t, m, "990101", "网格议事", "leader", now)
	past, err := m.AddMilestone(ctx, p.Key, "完成调研", now.AddDate(0, 0, -3), "leader", now)
	if err != nil {
		t.Fatal(err)
	}
	done, err := m.AddMilestone(ctx, p.Key, "召开启动会", now.AddDate(0, 0, -5), "leader", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddMilestone(ctx, p.Key, "试点总结", now.AddDate(0, 1, 0), "leader", now); err != nil {
		t.Fatal(err)
	}
	if err := m.DoneMilestone(ctx, p.Key, done.ID, "leader", now); err != nil {
		t.Fatal(err)
	}
	refusedNothingWritten(t, m, data.CodeMilestoneInvalid, func() error { return m.DoneMilestone(ctx, p.Key, done.ID, "leader", now) })
	refusedNothingWritten(t, m, data.CodeMilestoneInvalid, func() error {
		_, err := m.AddMilestone(ctx, p.Key, "", now, "leader", now)
		return err
	})
	refusedNothingWritten(t, m, data.CodeProjectOutsideJurisdiction, func() error {
		_, err := m.AddMilestone(ctx, p.Key, "越权", now, "leader_990102", now)
		return err
	})
	got, err := m.Project(ctx, p.Key, now)
	if err != nil || len(got.Milestones) != 3 || len(got.Indicators) != 1 || got.Indicators[0] != aqi {
		t.Fatalf("%+v %v", got, err)
	}
	ms := got.Milestones
	if ms[0].ID != done.ID || ms[0].Done.IsZero() || ms[0].Overdue || ms[1].ID != past.ID || !ms[1].Overdue || ms[2].Overdue {
		t.Fatalf("milestones %+v", ms)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'project.milestone'`); n != 4 {
		t.Fatalf("%d milestone entries, want 4", n)
	}
	// Stopped, its milestones will not be reached: none overdue.
	if _, err := m.MoveProject(ctx, p.Key, data.StageStopped, "经费不足", "leader", now); err != nil {
		t.Fatal(err)
	}
	if got, err := m.Project(ctx, p.Key, now.AddDate(0, 2, 0)); err != nil || got.Milestones[1].Overdue || got.Milestones[2].Overdue {
		t.Fatalf("stopped: %+v %v", got.Milestones, err)
	}
}
