package mirror_test

import (
	"fmt"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

var contestCriteria = []data.Criterion{
	{Code: "innovation", NameZH: "创新性", NameEN: "innovation", Weight: 5, Max: 40},
	{Code: "effect", NameZH: "实效性", NameEN: "effect", Weight: 3, Max: 30},
	{Code: "spread", NameZH: "可推广性", NameEN: "replicability", Weight: 2, Max: 30},
}

// addJudge adds an analyst judging from district 990102 (the store trusts
// its actor; the edges log them in).
func addJudge(t *testing.T, m *mirror.Mirror, login string) {
	t.Helper()
	mustExec(t, m, `INSERT INTO users (login, name, role, jurisdiction_code) VALUES (?, ?, 'analyst', '990102')`, login, login)
}

func score(t *testing.T, m *mirror.Mirror, judge, project string, a, b, c float64, at time.Time) {
	t.Helper()
	for i, v := range []float64{a, b, c} {
		if err := m.ScoreEntry(ctx, data.Score{Round: 2021, Project: project, Criterion: contestCriteria[i].Code, Value: v, Judge: judge}, at); err != nil {
			t.Fatal(err)
		}
	}
}

// The ranking: the mean over judges of each judge's weighted total, ties
// broken by the heaviest criterion, then more judges, then the earlier
// proposal; the first ten city innovation projects; and every bad score
// refused, nothing written.
func TestContestRanking(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	refusedNothingWritten(t, m, data.CodeRoundOutsideJurisdiction, func() error {
		return m.OpenRound(ctx, 2021, contestCriteria, "leader_990101", now)
	})
	refusedNothingWritten(t, m, data.CodeCriteriaInvalid, func() error {
		return m.OpenRound(ctx, 2021, []data.Criterion{{Code: "x", NameZH: "x", NameEN: "x", Weight: 0, Max: 10}}, "leader", now)
	})
	if err := m.OpenRound(ctx, 2021, contestCriteria, "leader", now); err != nil {
		t.Fatal(err)
	}
	refusedNothingWritten(t, m, data.CodeRoundExists, func() error { return m.OpenRound(ctx, 2021, contestCriteria, "leader", now) })
	addJudge(t, m, "judge_b")
	var p []data.Project
	for i := range 13 {
		p = append(p, addProject(t, m, "990101001", fmt.Sprintf("项目%02d", i), "leader_990101", now.Add(time.Duration(i)*time.Minute)))
		if i < 12 {
			if err := m.EnterProject(ctx, 2021, p[i].Key, "leader_990101", now); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Entered twice: as it was, nothing written.
	before := innovationRows(t, m)
	if err := m.EnterProject(ctx, 2021, p[0].Key, "leader_990101", now); err != nil || innovationRows(t, m) != before {
		t.Fatalf("entered again: %v", err)
	}
	j := "leader_990102"
	score(t, m, j, p[0].Key, 20, 30, 25, now)   // 24.0, 20 on the heaviest
	score(t, m, j, p[1].Key, 30, 15, 22.5, now) // 24.0, 30 on the heaviest: first
	score(t, m, j, p[2].Key, 10, 10, 10, now)   // 10, one judge, proposed before p[3]
	score(t, m, j, p[3].Key, 10, 10, 10, now)   // 10, one judge
	score(t, m, j, p[4].Key, 10, 10, 10, now)   // 10, two judges: before p[2] and p[3]
	score(t, m, "judge_b", p[4].Key, 12, 8, 9, now)
	score(t, m, "judge_b", p[4].Key, 10, 10, 10, now) // scored again: replaced
	rank, err := m.Ranking(ctx, 2021)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{p[1].Key, p[0].Key, p[4].Key, p[2].Key, p[3].Key}
	for i := 5; i < 12; i++ {
		want = append(want, p[i].Key) // not scored: by proposal
	}
	if len(rank) != len(want) {
		t.Fatalf("%d ranked, want %d", len(rank), len(want))
	}
	for i, e := range rank {
		if e.Project != want[i] || e.Rank != i+1 || e.City != (i < 10) {
			t.Errorf("#%d: %+v, want %s", i+1, e, want[i])
		}
	}
	if rank[0].Total != 24 || rank[1].Total != 24 || rank[0].Heaviest != 30 || rank[2].Judges != 2 || rank[2].Total != 10 {
		t.Errorf("totals: %+v", rank[:3])
	}

	for _, c := range []struct {
		s    data.Score
		code data.Code
	}{
		{data.Score{Round: 2021, Project: p[0].Key, Criterion: "innovation", Value: 40.5, Judge: j}, data.CodeScoreOutOfRange},
		{data.Score{Round: 2021, Project: p[0].Key, Criterion: "innovation", Value: -1, Judge: j}, data.CodeScoreOutOfRange},
		{data.Score{Round: 2021, Project: p[0].Key, Criterion: "beauty", Value: 1, Judge: j}, data.CodeCriterionUnknown},
		{data.Score{Round: 2021, Project: p[12].Key, Criterion: "innovation", Value: 1, Judge: j}, data.CodeEntryNotInRound},
		{data.Score{Round: 2030, Project: p[0].Key, Criterion: "innovation", Value: 1, Judge: j}, data.CodeRoundUnknown},
		{data.Score{Round: 2021, Project: "0190aaaa-0000-7000-8000-000000000000", Criterion: "innovation", Value: 1, Judge: j}, data.CodeProjectUnknown},
		// A judge of the entry's own district.
		{data.Score{Round: 2021, Project: p[0].Key, Criterion: "innovation", Value: 1, Judge: "leader_990101"}, data.CodeJudgeOwnRegion},
		{data.Score{Round: 2021, Project: p[0].Key, Criterion: "innovation", Value: 1, Judge: "commander"}, data.CodeActionNotPermitted},
	} {
		refusedNothingWritten(t, m, c.code, func() error { return m.ScoreEntry(ctx, c.s, now) })
	}
	refusedNothingWritten(t, m, data.CodeProjectOutsideJurisdiction, func() error { return m.EnterProject(ctx, 2021, p[12].Key, "leader_990102", now) })
	refusedNothingWritten(t, m, data.CodeRoundUnknown, func() error { return m.EnterProject(ctx, 2030, p[12].Key, "leader", now) })
	if _, err := m.Ranking(ctx, 2030); err == nil {
		t.Fatal("the ranking of a round not held")
	}
	// A judge of the whole city judges every district's entries.
	if err := m.ScoreEntry(ctx, data.Score{Round: 2021, Project: p[0].Key, Criterion: "innovation", Value: 1, Judge: "analyst_9901"}, now); err != nil {
		t.Fatalf("a city-wide judge: %v", err)
	}
	// Its card half filled, that judge is pending: the entry's total and
	// judges as before, not dragged down by criteria scored 0.
	after, err := m.Ranking(ctx, 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range after {
		if e.Project == p[0].Key && (e.Total != rank[1].Total || e.Judges != rank[1].Judges || e.Pending != 1) {
			t.Errorf("with a judge's card half filled: %+v, before %+v", e, rank[1])
		}
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'contest.score'`); n != 22 {
		t.Fatalf("%d score entries, want 22", n)
	}
}
