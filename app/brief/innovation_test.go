package brief

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The innovation section's facts are the store's: the region's projects
// by stage (Projects), each one's overdue milestones (Project), the
// latest round's top ten (Ranking), the rollouts touching the region
// (Rollouts) with the store's comparisons (RolloutIndicators). A district
// has its own projects and the demonstration project rolled out into it.
func TestInnovationFactsAreTheStores(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	ctx := context.Background()
	now := fixture.AsOf
	all, err := m.Projects(ctx, data.ProjectFilter{})
	if err != nil || len(all) == 0 {
		t.Fatalf("the demo's projects: %d %v", len(all), err)
	}
	// A district the demonstration project was rolled out to from
	// another district.
	var demo data.Project
	var into string
	for _, p := range all {
		rs, err := m.Rollouts(ctx, p.Key)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.State == data.RolloutRolledOut && r.Region[:6] != p.Region[:6] {
				demo, into = p, r.Region[:6]
			}
		}
	}
	if into == "" {
		t.Fatal("no project of the demo is rolled out into another district")
	}
	if demo, err = m.Project(ctx, demo.Key, now); err != nil || len(demo.Indicators) == 0 {
		t.Fatalf("the demonstration project's indicators: %v %v", demo.Indicators, err)
	}
	rank, err := m.Ranking(ctx, 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"", demo.Region[:6], into, "440111021200"} {
		f, err := gather(ctx, m, region, now, time.Time{}, false)
		if err != nil {
			t.Fatal(err)
		}
		in, scope := f.Innovation, f.Region.Code
		if in == nil {
			t.Fatalf("%s: no innovation section", scope)
		}
		own, err := m.Projects(ctx, data.ProjectFilter{Region: scope})
		if err != nil {
			t.Fatal(err)
		}
		byStage := map[data.Stage]int{}
		overdue := 0
		for i, p := range own {
			byStage[p.Stage]++
			full, err := m.Project(ctx, p.Key, now)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, ms := range full.Milestones {
				if ms.Overdue {
					want = append(want, fmt.Sprint(ms.ID))
				}
			}
			overdue += len(want)
			if i >= len(in.Projects) {
				continue
			}
			got := in.Projects[i]
			var ids []string
			for _, ms := range got.Overdue {
				ids = append(ids, fmt.Sprint(ms.ID))
			}
			if got.Key != p.Key || got.Stage != p.Stage || !got.StageAt.Equal(p.StageAt) || !slices.Equal(ids, want) {
				t.Errorf("%s: project %d is %s %s overdue %v; the store's %s %s overdue %v", scope, i, got.Key, got.Stage, ids, p.Key, p.Stage, want)
			}
		}
		if fmt.Sprint(in.ByStage) != fmt.Sprint(byStage) || in.ProjectN != len(own) || in.OverdueN != overdue ||
			len(in.Projects) != min(len(own), maxProjects) {
			t.Errorf("%s: %v, %d projects (%d listed), %d overdue; the store's %v, %d, %d", scope, in.ByStage, in.ProjectN, len(in.Projects),
				in.OverdueN, byStage, len(own), overdue)
		}
		if in.Round != 2021 || fmt.Sprint(in.Top) != fmt.Sprint(rank[:data.TopProjects]) {
			t.Errorf("%s: round %d, top %v; want 2021's first ten", scope, in.Round, in.Top)
		}
		var rollouts []data.Rollout
		for _, p := range all {
			rs, err := m.Rollouts(ctx, p.Key)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if strings.HasPrefix(r.Region, scope) || strings.HasPrefix(scope, r.Region) {
					rollouts = append(rollouts, r)
				}
			}
		}
		if in.RolloutN != len(rollouts) || in.RolloutN == 0 {
			t.Errorf("%s: %d rollouts, the store has %d touching it", scope, in.RolloutN, len(rollouts))
		}
		for _, r := range in.Rollouts {
			if !slices.Contains(rollouts, r.Rollout) {
				t.Errorf("%s: rollout %+v is not the store's", scope, r.Rollout)
			}
			if len(r.Compare) != len(demo.Indicators) {
				t.Errorf("%s: %d comparisons in %s, the project means to move %v", scope, len(r.Compare), r.Region, demo.Indicators)
			}
			for _, c := range r.Compare {
				want, err := m.RolloutIndicators(ctx, r.Project, c.Indicator, r.Region)
				if err != nil {
					t.Fatal(err)
				}
				if c != want {
					t.Errorf("%s: %+v, the store's %+v", scope, c, want)
				}
			}
		}
		if region == into {
			if slices.ContainsFunc(in.Projects, func(p innovationProject) bool { return p.Key == demo.Key }) ||
				!slices.ContainsFunc(in.Rollouts, func(r rolloutFacts) bool { return r.Project == demo.Key && r.State == data.RolloutRolledOut }) {
				t.Errorf("%s: the district lists the demonstration project as its own, or not as rolled out into it", scope)
			}
		}
	}
}

// A replay's section is the program as it stood: only the projects
// proposed by then, each at its stage then by the project's history (or
// said not to be known), never at its stage now; the milestones overdue
// then; only the rollouts set by then, in their state then; no ranking.
func TestInnovationReplay(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	// Before some projects were proposed and the demonstration project
	// piloted; and 120 days back, with rollouts set before and after.
	var seen innovationSeen
	for _, at := range []time.Time{time.Date(2022, 6, 1, 1, 0, 0, 0, time.UTC), fixture.AsOf.Add(-120 * 24 * time.Hour)} {
		seen.add(checkInnovationReplay(t, m, at))
	}
	if seen.notProposed == 0 || seen.moved == 0 || seen.rollouts == 0 || seen.changed == 0 {
		t.Errorf("the moments prove too little: %+v", seen)
	}
}

// innovationSeen counts what a replay's check met.
type innovationSeen struct{ notProposed, moved, rollouts, changed int }

func (s *innovationSeen) add(o innovationSeen) {
	s.notProposed += o.notProposed
	s.moved += o.moved
	s.rollouts += o.rollouts
	s.changed += o.changed
}

func checkInnovationReplay(t *testing.T, m *mirror.Mirror, at time.Time) innovationSeen {
	t.Helper()
	ctx := context.Background()
	var seen innovationSeen
	f, err := gather(ctx, m, "", fixture.AsOf, at, false)
	if err != nil {
		t.Fatal(err)
	}
	in := f.Innovation
	if in == nil {
		t.Fatalf("%s: no innovation section in the replay", at)
	}
	then := gpkg.FormatTime(at)
	// The stage then by the history, for the projects proposed by then.
	truth := pairs(t, m, `SELECT p.uid, (SELECT to_stage FROM project_history h WHERE h.project_uid = p.uid AND h.at <= ?1
		ORDER BY seq DESC LIMIT 1) FROM projects p WHERE p.proposed_at <= ?1`, then)
	n := 0
	for _, c := range in.ByStage {
		n += c
	}
	if n != len(truth) || in.ProjectN != len(truth) {
		t.Fatalf("%s: %d projects counted, %d proposed by then", at, n, len(truth))
	}
	seen.notProposed = 40 - len(truth)
	moved := 0
	for _, p := range in.Projects {
		now, err := m.Project(ctx, p.Key, fixture.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		if string(now.Stage) != truth[p.Key] {
			moved++
		}
		if string(p.Stage) != truth[p.Key] {
			t.Errorf("%s: %s then, the history says %s", p.Key, p.Stage, truth[p.Key])
		}
		for _, ms := range now.Milestones {
			wasOverdue := ms.Due.Before(at) && (ms.Done.IsZero() || ms.Done.After(at))
			if wasOverdue != slices.ContainsFunc(p.Overdue, func(o data.Milestone) bool { return o.ID == ms.ID }) {
				t.Errorf("%s: milestone %d (due %s, done %s) overdue then %v, listed otherwise", p.Key, ms.ID, ms.Due, ms.Done, wasOverdue)
			}
		}
	}
	seen.moved = moved
	// The rollouts' state then by their history.
	stateThen := pairs(t, m, `SELECT project_uid || region_code, to_state FROM (SELECT project_uid, region_code, to_state,
		row_number() OVER (PARTITION BY project_uid, region_code ORDER BY seq DESC) AS k FROM project_rollout_history WHERE at <= ?) WHERE k = 1`, then)
	for _, r := range in.Rollouts {
		if r.Since.After(at) || stateThen[r.Project+r.Region] != string(r.State) {
			t.Errorf("rollout %+v shown; its state then was %q", r.Rollout, stateThen[r.Project+r.Region])
		}
		for _, c := range r.Compare {
			if c.Until.After(at) {
				t.Errorf("%+v: values after then", c)
			}
		}
	}
	seen.rollouts = in.RolloutN
	if in.RolloutN != len(stateThen) {
		t.Errorf("%d rollouts shown; %d were set by then", in.RolloutN, len(stateThen))
	}
	seen.changed = fixtureRollouts(t, m) - len(stateThen) // set or changed since
	for _, r := range in.Rollouts {
		now, err := m.Rollouts(ctx, r.Project)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(now, func(n data.Rollout) bool { return n.Region == r.Region }); i >= 0 && now[i].State != r.State {
			seen.changed++
		}
	}
	if in.Round != 0 || len(in.Top) != 0 {
		t.Errorf("a replay ranks round %d: %v", in.Round, in.Top)
	}
	return seen
}

// pairs reads a query's rows of two text columns into a map.
func pairs(t *testing.T, m *mirror.Mirror, query string, args ...any) map[string]string {
	t.Helper()
	rows, err := m.DB.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func fixtureRollouts(t *testing.T, m *mirror.Mirror) int {
	t.Helper()
	return int(fixture.Count(t, m, `SELECT count(*) FROM project_rollouts`))
}

// The section is in the briefing, in Chinese and English, when the region
// has a program; a city without one has no such section, and its cover
// does not list it.
func TestInnovationSectionInTheBriefing(t *testing.T) {
	ctx := context.Background()
	keys := keyDir(t)
	dir := t.TempDir()
	gz := fixture.WritableGuangzhou(t)
	all, err := gz.Projects(ctx, data.ProjectFilter{Region: "440111"})
	if err != nil || len(all) == 0 {
		t.Fatalf("Baiyun's projects: %d %v", len(all), err)
	}
	for _, tc := range []struct {
		lang msg.Lang
		want []string
	}{
		{msg.Chinese, []string{"创新项目", "白云区所属创新项目", "2021年度评选前十名（市级创新项目）", "本区域的试点与推广", "前30天均值"}},
		{msg.English, []string{"Innovation projects", "Projects owned in Baiyun", "Contest round 2021: the top ten", "Pilots and rollouts in the region", "30 days before"}},
	} {
		out := filepath.Join(dir, "gz-"+string(tc.lang)+".pdf")
		if _, err := Make(ctx, gz, out, Options{Region: "440111", Lang: tc.lang, Now: fixture.AsOf, User: "leader", KeyDir: keys}); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, out)
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the briefing lacks %q", tc.lang, w)
			}
		}
	}

	// A replay says what it leaves out, and ranks nothing.
	out := filepath.Join(dir, "gz-replay.pdf")
	if _, err := Make(ctx, gz, out, Options{Region: "440111", Lang: msg.English, Now: fixture.AsOf, At: time.Date(2025, 12, 1, 1, 0, 0, 0, time.UTC),
		User: "leader", KeyDir: keys}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfText(t, out)), " ")
	for _, w := range []string{"Innovation projects: the contest's ranking is left out", "The contest's ranking: not kept for past moments",
		"As it stood at 2025-12-01 09:00", "Projects owned in Baiyun"} {
		if !strings.Contains(text, w) {
			t.Errorf("the replay lacks %q", w)
		}
	}
	if strings.Contains(text, "Contest round 2021") {
		t.Error("the replay ranks the contest as it stands now")
	}

	city := fixture.City(t)
	if f, err := gather(ctx, city, "", fixture.AsOf, time.Time{}, false); err != nil || f.Innovation != nil {
		t.Fatalf("a city without projects: %+v %v", f.Innovation, err)
	}
	for _, lang := range []msg.Lang{msg.Chinese, msg.English} {
		out := filepath.Join(dir, "city-"+string(lang)+".pdf")
		if _, err := Make(ctx, city, out, Options{Lang: lang, Now: fixture.AsOf, User: "leader", KeyDir: keys}); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, out)
		for _, absent := range []string{"创新项目", "Innovation projects", "评选", "contest"} {
			if strings.Contains(text, absent) {
				t.Errorf("%s: a city without projects says %q", lang, absent)
			}
		}
	}
}
