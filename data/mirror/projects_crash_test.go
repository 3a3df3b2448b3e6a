package mirror_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The innovation projects' write path under crashes and concurrency: a
// project, its stage, its history and its journal entries land together,
// once.

var projectStages = []data.Stage{data.StageIncubating, data.StagePiloting, data.StageEvaluated, data.StageRolledOut}

// Eight connections move one project through the stages at once: each
// stage is reached once (one history row, one journal entry); every other
// attempt is refused as the move the process does not allow.
func TestMoveProjectConcurrently(t *testing.T) {
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	p := addProject(t, m, "990101001", "并发推进", "leader", fixture.AsOf)
	var wg sync.WaitGroup
	var mu sync.Mutex
	moved, refused := 0, 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := mirror.Open(path)
			if err != nil {
				t.Error(err)
				return
			}
			defer func() { _ = w.Close() }()
			for _, s := range projectStages {
				_, err := w.MoveProject(ctx, p.Key, s, "", "commander", time.Now())
				var f *data.Refusal
				mu.Lock()
				switch {
				case err == nil:
					moved++
				case errors.As(err, &f) && f.Code == data.CodeProjectMoveNotAllowed:
					refused++
				default:
					t.Error(err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if moved != len(projectStages) || refused != 7*len(projectStages) {
		t.Fatalf("%d moved, %d refused; want %d and %d", moved, refused, len(projectStages), 7*len(projectStages))
	}
	if n := count(t, m, `SELECT count(*) FROM project_history WHERE project_uid = ?`, p.Key); n != 5 {
		t.Fatalf("%d history rows, want 5", n)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'project.move' AND subject = ?`, p.Key); n != 4 {
		t.Fatalf("%d project.move entries, want 4", n)
	}
	if c, err := m.VerifyJournal(ctx); err != nil || !c.OK() {
		t.Fatalf("journal %+v %v", c, err)
	}
}

const projectWriterEnv = "KAPOK_PROJECT_WRITER"

// TestHelperProjectWriter is not a test: run with KAPOK_PROJECT_WRITER=path,
// it proposes projects and moves each through every stage until killed.
func TestHelperProjectWriter(t *testing.T) {
	path := os.Getenv(projectWriterEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	writingNow()
	for {
		p, err := m.AddProject(ctx, data.ProjectRequest{Region: "990101001", Unit: "街道", Title: "崩溃测试", Indicators: []string{aqi},
			Actor: "leader"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range projectStages {
			if _, err := m.MoveProject(ctx, p.Key, s, "", "leader", time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// kill -9 while projects are proposed and moved: each time every project
// has its project.add entry and its indicators, one history row per
// entry, and stands at the stage its last history row says.
func TestProjectsSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	path := fixture.CityPath(t)
	rng := rand.New(rand.NewPCG(37, 41))
	var added int64
	for round := 0; round < 8 || added == 0 && round < 60; round++ {
		m := reopenAfterKill(t, rng, round, "TestHelperProjectWriter", projectWriterEnv, path)
		added = count(t, m, `SELECT count(*) FROM projects`)
		if j := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'project.add'`); j != added {
			t.Fatalf("round %d: %d projects, %d project.add entries", round, added, j)
		}
		if n := count(t, m, `SELECT count(*) FROM project_indicators`); n != added {
			t.Fatalf("round %d: %d projects, %d indicators", round, added, n)
		}
		if h, j := count(t, m, `SELECT count(*) FROM project_history`),
			count(t, m, `SELECT count(*) FROM journal WHERE kind IN ('project.add', 'project.move')`); h != j {
			t.Fatalf("round %d: %d history rows, %d entries", round, h, j)
		}
		if n := count(t, m, `SELECT count(*) FROM projects p WHERE stage != (SELECT to_stage FROM project_history h
			WHERE h.project_uid = p.uid ORDER BY seq DESC LIMIT 1)`); n != 0 {
			t.Fatalf("round %d: %d projects not at their last history row's stage", round, n)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if added == 0 {
		t.Fatal("the writer proposed no project before the kills")
	}
	t.Logf("%d projects proposed across the kills", added)
}
