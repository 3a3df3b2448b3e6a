package mirror_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// The program as it stood: random stage moves and rollouts through the
// store, the projects and rollouts taken after each step; ProjectsAt and
// RolloutsAt at each step's moment, and between steps, give exactly them.
func TestProgramAsItStood(t *testing.T) {
	m := fixture.City(t)
	rng := rand.New(rand.NewPCG(3, 5))
	t0 := fixture.AsOf.Add(-90 * 24 * time.Hour)
	type snapshot struct {
		at       time.Time
		projects []data.Project
		rollouts map[string][]data.Rollout
		states   map[string]data.RolloutState
	}
	var keys []string
	var snaps []snapshot
	take := func(at time.Time) {
		ps, err := m.Projects(ctx, data.ProjectFilter{})
		if err != nil {
			t.Fatal(err)
		}
		rs := map[string][]data.Rollout{}
		for _, k := range keys {
			if rs[k], err = m.Rollouts(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		states, err := m.RolloutStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snapshot{at, ps, rs, states})
	}
	regions := []string{"990101", "990101001", "990101001001", "990101001002", "990102"}
	at := t0
	for step := range 120 {
		at = at.Add(time.Duration(1+rng.IntN(36*60)) * time.Minute)
		switch r := rng.IntN(10); {
		case len(keys) < 3 || r < 2:
			p := addProject(t, m, "990101001", fmt.Sprintf("项目%d", step), "leader", at)
			keys = append(keys, p.Key)
		case r < 7:
			k := keys[rng.IntN(len(keys))]
			p, err := m.Project(ctx, k, at)
			if err != nil {
				t.Fatal(err)
			}
			to, reason := data.NextStage(p.Stage), ""
			if rng.IntN(8) == 0 {
				to, reason = data.StageStopped, "经费不足"
			}
			if _, err := m.MoveProject(ctx, k, to, reason, "leader", at); err != nil && !isRefusal(err) {
				t.Fatal(err)
			}
		default:
			k := keys[rng.IntN(len(keys))]
			state := []data.RolloutState{data.RolloutPilot, data.RolloutPlanned, data.RolloutRolledOut}[rng.IntN(3)]
			if _, err := m.SetRollout(ctx, k, regions[rng.IntN(len(regions))], state, "leader", at); err != nil && !isRefusal(err) {
				t.Fatal(err)
			}
		}
		take(at)
	}
	check := func(what string, at time.Time, s snapshot) {
		t.Helper()
		ps, err := m.ProjectsAt(ctx, data.ProjectFilter{}, at)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ps {
			ps[i].Indicators = nil
		}
		want := make([]data.Project, len(s.projects))
		copy(want, s.projects)
		if !reflect.DeepEqual(ps, want) {
			t.Fatalf("%s (%s): projects\n%+v\nwant\n%+v", what, at, ps, want)
		}
		if states, err := m.RolloutStatesAt(ctx, at); err != nil || !reflect.DeepEqual(states, s.states) {
			t.Fatalf("%s (%s): states %v %v, want %v", what, at, states, err, s.states)
		}
		for _, k := range keys {
			rs, err := m.RolloutsAt(ctx, k, at)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != len(s.rollouts[k]) || len(rs) > 0 && !reflect.DeepEqual(rs, s.rollouts[k]) {
				t.Fatalf("%s (%s): rollouts of %s\n%+v\nwant\n%+v", what, at, k, rs, s.rollouts[k])
			}
		}
	}
	stages := map[data.Stage]bool{}
	for i, s := range snaps {
		check(fmt.Sprintf("step %d", i), s.at, s)
		if i+1 < len(snaps) && snaps[i+1].at.Sub(s.at) > time.Minute {
			check(fmt.Sprintf("after step %d", i), s.at.Add(snaps[i+1].at.Sub(s.at)/2), s)
		}
		for _, p := range s.projects {
			stages[p.Stage] = true
		}
	}
	if len(stages) < 5 {
		t.Errorf("the steps reached only the stages %v", stages)
	}
	// Before the first proposal: nothing.
	if ps, err := m.ProjectsAt(ctx, data.ProjectFilter{}, t0); err != nil || len(ps) != 0 {
		t.Fatalf("before the first: %v %v", ps, err)
	}
	// The filter picks on the stage then.
	last := snaps[len(snaps)/2]
	ps, err := m.ProjectsAt(ctx, data.ProjectFilter{Stage: data.StageProposed}, last.at)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range last.projects {
		if p.Stage == data.StageProposed {
			n++
		}
	}
	if len(ps) != n {
		t.Fatalf("%d proposed then, want %d", len(ps), n)
	}
	// The rounds, latest first.
	for _, y := range []int{2021, 2023} {
		if err := m.OpenRound(ctx, y, contestCriteria, "leader", at); err != nil {
			t.Fatal(err)
		}
	}
	if rs, err := m.Rounds(ctx); err != nil || !reflect.DeepEqual(rs, []int{2023, 2021}) {
		t.Fatalf("rounds %v %v", rs, err)
	}
}

func isRefusal(err error) bool {
	var r *data.Refusal
	return errors.As(err, &r)
}
