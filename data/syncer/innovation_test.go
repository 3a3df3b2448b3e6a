package syncer_test

import (
	"fmt"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// Three consoles work offline on the same innovation project — stage
// moves that collide, milestones added and reached at two consoles,
// entries, scores, rollouts — and sync in different orders: all end in the
// same program, each arrival with the same outcome everywhere, and a
// milestone keeps its key on every console.
func TestInnovationConverges(t *testing.T) {
	criteria := []data.Criterion{
		{Code: "innovation", NameZH: "创新性", NameEN: "innovation", Weight: 5, Max: 40},
		{Code: "effect", NameZH: "实效性", NameEN: "effect", Weight: 3, Max: 30},
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2, 1}} {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			cs := []*mirror.Mirror{fixture.City(t), fixture.City(t), fixture.City(t)}
			a, b, c := cs[0], cs[1], cs[2]
			conn := upstreamOf(t, a)
			at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
			// Common ground: a round and a project every console has.
			if err := a.OpenRound(ctx, 2021, criteria, "leader", at(0)); err != nil {
				t.Fatal(err)
			}
			p := must[data.Project](t, "a proposes")(a.AddProject(ctx, data.ProjectRequest{Region: "990101001", Unit: "大源村",
				Title: "党建引领", Indicators: []string{"environment-01H"}, Actor: "leader_990101"}, at(1)))
			for _, m := range cs {
				syncOnce(t, m, conn)
			}
			if got := must[data.Project](t, "b reads")(b.Project(ctx, p.Key, at(2))); got.Title != p.Title || got.Stage != data.StageProposed {
				t.Fatalf("b holds %+v", got)
			}

			// Offline. a and b both take it into the incubator (one of the
			// two moves is rejected wherever it arrives second); c stops it.
			must[data.Project](t, "a incubates")(a.MoveProject(ctx, p.Key, data.StageIncubating, "", "leader_990101", at(10)))
			ma := must[data.Milestone](t, "a milestone")(a.AddMilestone(ctx, p.Key, "召开启动会", at(60*24*30), "leader_990101", at(11)))
			if err := a.EnterProject(ctx, 2021, p.Key, "leader_990101", at(12)); err != nil {
				t.Fatal(err)
			}
			must[data.Project](t, "b incubates")(b.MoveProject(ctx, p.Key, data.StageIncubating, "", "leader", at(20)))
			mb := must[data.Milestone](t, "b milestone")(b.AddMilestone(ctx, p.Key, "完成调研", at(60*24*10), "leader", at(21)))
			q := must[data.Project](t, "b proposes")(b.AddProject(ctx, data.ProjectRequest{Region: "990102", Unit: "二区",
				Title: "智慧网格", Actor: "leader"}, at(22)))
			if err := b.EnterProject(ctx, 2021, q.Key, "leader", at(23)); err != nil {
				t.Fatal(err)
			}
			must[data.Project](t, "c stops")(c.MoveProject(ctx, p.Key, data.StageStopped, "经费不足", "leader", at(30)))
			for _, i := range order {
				syncOnce(t, cs[i], conn)
			}
			for _, m := range cs {
				syncOnce(t, m, conn)
			}
			sameState(t, "a and b", a, b)
			sameState(t, "a and c", a, c)

			// On the shared program: the milestones (by their keys), a
			// score each from a judge of the other district and one of the
			// city, the same milestone reached at two consoles.
			got := must[data.Project](t, "a reads")(a.Project(ctx, p.Key, at(40)))
			keys := map[string]bool{}
			for _, ms := range got.Milestones {
				keys[ms.UID] = true
			}
			if !keys[ma.UID] || !keys[mb.UID] || len(keys) != 2 {
				t.Fatalf("milestones on a: %+v; made %s and %s", got.Milestones, ma.UID, mb.UID)
			}
			var idOf = func(m *mirror.Mirror, uid string) int64 {
				return fixture.Count(t, m, `SELECT id FROM milestones WHERE uid = ?`, uid)
			}
			if err := a.DoneMilestone(ctx, p.Key, idOf(a, mb.UID), "leader_990101", at(50)); err != nil {
				t.Fatal(err)
			}
			if err := c.DoneMilestone(ctx, p.Key, idOf(c, mb.UID), "leader", at(51)); err != nil {
				t.Fatal(err)
			}
			for _, s := range []struct {
				m         *mirror.Mirror
				criterion string
				value     float64
				judge     string
			}{{b, "innovation", 31.5, "leader_990101"}, {b, "effect", 12, "leader_990101"},
				{c, "innovation", 20, "analyst_9901"}, {c, "effect", 20, "analyst_9901"}} {
				if err := s.m.ScoreEntry(ctx, data.Score{Round: 2021, Project: q.Key, Criterion: s.criterion, Value: s.value, Judge: s.judge}, at(52)); err != nil {
					t.Fatal(err)
				}
			}
			for _, i := range order {
				syncOnce(t, cs[i], conn)
			}
			for _, m := range cs {
				syncOnce(t, m, conn)
			}
			sameState(t, "a and b, second round", a, b)
			sameState(t, "a and c, second round", a, c)
			if oa, ob, oc := outcomes(t, a), outcomes(t, b), outcomes(t, c); oa != ob || oa != oc {
				t.Fatalf("outcomes differ:\na:\n%s\nb:\n%s\nc:\n%s", oa, ob, oc)
			}
			// One incubation stood; the milestone was reached once.
			if n := fixture.Count(t, a, `SELECT count(*) FROM sync_log WHERE kind = 'project.move' AND outcome = 'rejected'`); n < 1 {
				t.Errorf("%d project moves rejected: the colliding moves all stood", n)
			}
			if n := fixture.Count(t, a, `SELECT count(*) FROM milestones WHERE uid = ? AND done_at IS NOT NULL`, mb.UID); n != 1 {
				t.Errorf("milestone %s done %d times", mb.UID, n)
			}
			rank := must[[]data.RankedEntry](t, "ranking")(c.Ranking(ctx, 2021))
			for _, e := range rank {
				if e.Project == q.Key && (e.Judges != 2 || e.Total != ((5*31.5+3*12)/8+(5*20+3*20.0)/8)/2) {
					t.Errorf("b's entry ranked %+v", e)
				}
			}
		})
	}
}
