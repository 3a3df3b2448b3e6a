package brief

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
)

// The innovation program's section (issue 16, 创新项目): the region's
// projects by stage and each with its overdue milestones, the latest
// contest round's top ten, and the rollouts in the region with their
// indicators before and after. Left out when the region owns no project
// and has no rollout.

// How much of the program a briefing prints.
const (
	maxProjects = 30
	maxRollouts = 20
)

// innovationFacts are the region's innovation program at the briefing's
// instant; in a replay, as it stood then (the stages' and the rollouts'
// histories).
type innovationFacts struct {
	ByStage  map[data.Stage]int  // the region's projects by their stage (then)
	Projects []innovationProject // the first maxProjects, by stage then proposal
	ProjectN int
	OverdueN int // milestones overdue, of all the region's projects

	Round int                // the latest contest round (0: none, or a replay)
	Top   []data.RankedEntry // its top ten

	Rollouts []rolloutFacts // the first maxRollouts: pilots, rolled out, planned
	RolloutN int

	Indicators map[string]data.Indicator // the catalogue by code, for names and directions
}

// innovationProject is one of the region's projects at its stage then
// and its milestones overdue at the briefing's instant.
type innovationProject struct {
	data.Project
	Overdue []data.Milestone
}

// rolloutFacts is a rollout in the region with its project's indicators
// compared before and after it (one comparison per indicator).
type rolloutFacts struct {
	data.Rollout
	Title   string
	Compare []data.RolloutComparison
}

// inScope tells whether a rollout's region touches the briefing's: inside
// it, or holding it (a street rolled out to is in its communities'
// briefings).
func (f *facts) inScope(region string) bool {
	return strings.HasPrefix(region, f.scope()) || strings.HasPrefix(f.scope(), region)
}

// readInnovation reads the region's program at Now; in a replay as it
// stood then: the projects proposed by then at their stage then
// (mirror.ProjectsAt), the milestones overdue then, the rollouts as they
// stood then (mirror.RolloutsAt) with the values measured by then; the
// contest ranking is not kept for past moments (a judge's score replaces
// the one before) and is left out.
func (f *facts) readInnovation(ctx context.Context, m *mirror.Mirror) error {
	all, err := m.Projects(ctx, data.ProjectFilter{})
	if f.Replay {
		all, err = m.ProjectsAt(ctx, data.ProjectFilter{}, f.Now)
	}
	if err != nil {
		return err
	}
	in := &innovationFacts{ByStage: map[data.Stage]int{}}
	var rollouts []rolloutFacts
	for _, p := range all {
		if strings.HasPrefix(p.Region, f.scope()) {
			if err := in.addProject(ctx, m, f.Now, p); err != nil {
				return err
			}
		}
		rs, err := m.Rollouts(ctx, p.Key)
		if f.Replay {
			rs, err = m.RolloutsAt(ctx, p.Key, f.Now)
		}
		if err != nil {
			return err
		}
		for _, r := range rs {
			if f.inScope(r.Region) {
				rollouts = append(rollouts, rolloutFacts{Rollout: r, Title: p.Title})
			}
		}
	}
	if in.ProjectN == 0 && len(rollouts) == 0 {
		return nil
	}
	slices.SortStableFunc(rollouts, func(a, b rolloutFacts) int {
		return cmp.Or(slices.Index(data.RolloutStates, a.State)-slices.Index(data.RolloutStates, b.State),
			strings.Compare(a.Region, b.Region), a.Since.Compare(b.Since))
	})
	in.RolloutN = len(rollouts)
	in.Rollouts = rollouts[:min(len(rollouts), maxRollouts)]
	for i := range in.Rollouts {
		r := &in.Rollouts[i]
		p, err := m.Project(ctx, r.Project, f.Now) // with its indicators
		if err != nil {
			return err
		}
		for _, code := range p.Indicators {
			var until time.Time // the whole window; in a replay, up to then
			if f.Replay {
				until = f.Now
			}
			c, err := m.CompareRollout(ctx, r.Rollout, code, until)
			if err != nil {
				return err
			}
			r.Compare = append(r.Compare, c)
		}
	}
	defs, err := m.IndicatorDefs(ctx)
	if err != nil {
		return err
	}
	in.Indicators = make(map[string]data.Indicator, len(defs))
	for _, d := range defs {
		in.Indicators[d.Code] = d
	}
	if !f.Replay {
		rounds, err := m.Rounds(ctx)
		if err != nil {
			return err
		}
		if len(rounds) > 0 {
			in.Round = rounds[0]
			rank, err := m.Ranking(ctx, in.Round)
			if err != nil {
				return err
			}
			in.Top = rank[:min(len(rank), data.TopProjects)]
		}
	}
	f.Innovation = in
	return nil
}

// addProject counts one of the region's projects at its stage and keeps
// it (the first maxProjects) with its milestones overdue at now.
func (in *innovationFacts) addProject(ctx context.Context, m *mirror.Mirror, now time.Time, p data.Project) error {
	ip := innovationProject{Project: p}
	in.ByStage[ip.Stage]++
	full, err := m.Project(ctx, p.Key, now)
	if err != nil {
		return err
	}
	for _, ms := range full.Milestones {
		if ms.OverdueAt(p.Stage, now) { // at the stage then, in a replay
			ms.Overdue = true
			ip.Overdue = append(ip.Overdue, ms)
		}
	}
	in.OverdueN += len(ip.Overdue)
	in.ProjectN++
	if len(in.Projects) < maxProjects {
		in.Projects = append(in.Projects, ip)
	}
	return nil
}

// innovationSection lays the program out: the projects by stage, the
// region's projects with their overdue milestones, the latest round's top
// ten (the region's marked), the rollouts with their indicators before and
// after.
func (d *doc) innovationSection(f *facts) {
	in := f.Innovation
	d.section(d.T("Innovation projects"), 0)
	if f.Replay {
		d.para(d.T("As it stood at {{.At}}: the projects proposed by then, at their stage then; milestones overdue then; rollouts as they stood then, with the values measured by then.",
			"At", beijing(f.Now)), 8.5, greyRGB)
		d.Ln(1)
	}
	d.subhead(d.T("Projects owned in {{.Region}}: {{.N}}", "Region", d.shortPlace(f.Region), "N", count(in.ProjectN)), 14)
	var counts []string
	for _, s := range data.Stages {
		counts = append(counts, d.T(s.Term())+" "+count(in.ByStage[s]))
	}
	d.para(strings.Join(counts, " · ")+d.T("; ")+d.T("Overdue milestones")+" "+count(in.OverdueN), 9.5, inkRGB)
	d.Ln(2)
	if len(in.Projects) > 0 {
		d.projectsTable(f, in)
	}
	d.contestTable(f, in)
	d.rolloutsTable(f, in)
}

// projectsTable lists the region's projects: title, owner, stage and
// since when, its overdue milestones in red.
func (d *doc) projectsTable(f *facts, in *innovationFacts) {
	d.subhead(d.T("The region's projects"), 14)
	cols := scaleColumns([]column{{d.T("Project"), 78, "L"}, {d.T("Owner"), 44, "L"}, {d.T("Stage"), 18, "L"}, {d.T("Since"), 30, "L"},
		{d.T("Overdue milestones"), 92, "L"}})
	rows := make([][]string, len(in.Projects))
	for i, p := range in.Projects {
		stage, since := d.T(p.Stage.Term()), beijing(p.StageAt)
		var overdue []string
		for _, ms := range p.Overdue {
			overdue = append(overdue, d.T("{{.Title}} (due {{.Due}})", "Title", ms.Title, "Due", ms.Due.In(data.BeijingTime).Format("2006-01-02")))
		}
		rows[i] = []string{p.Title, d.place(f, p.Region), stage, since, strings.Join(overdue, d.T(", "))}
	}
	d.table(cols, rows, func(_, j int) [3]int {
		if j == 4 {
			return redRGB
		}
		return [3]int{}
	})
	d.more(len(in.Projects), in.ProjectN)
}

// contestTable is the latest round's top ten, those owned in the region
// marked; in a replay, said to be left out.
func (d *doc) contestTable(f *facts, in *innovationFacts) {
	if f.Replay {
		d.subhead(d.T("Innovation contest"), 10)
		d.para(d.T("The contest's ranking: not kept for past moments (a judge's later score replaces the earlier one)."), 9, greyRGB)
		return
	}
	if in.Round == 0 {
		return
	}
	d.subhead(d.T("Contest round {{.Round}}: the top ten, city innovation projects", "Round", in.Round), 20)
	if len(in.Top) == 0 {
		d.para(d.T("No entry in the round yet."), 9, greyRGB)
		return
	}
	cols := scaleColumns([]column{{d.T("Rank"), 14, "R"}, {d.T("Project"), 100, "L"}, {d.T("Owner"), 56, "L"}, {d.T("Total"), 20, "R"},
		{d.T("Judges"), 18, "R"}, {d.T("In the region"), 26, "C"}})
	rows := make([][]string, len(in.Top))
	for i, e := range in.Top {
		mark := ""
		if strings.HasPrefix(e.Region, f.scope()) {
			mark = d.T("in the region")
		}
		rows[i] = []string{count(e.Rank), e.Title, d.place(f, e.Region), fmt.Sprintf("%.2f", e.Total), count(e.Judges), mark}
	}
	d.table(cols, rows, func(i, _ int) [3]int {
		if rows[i][5] != "" {
			return accentRGB
		}
		return [3]int{}
	})
}

// rolloutsTable lists the rollouts in the region: the project, where, its
// state and since when, and each of the project's indicators' means over
// the 30 days before and after side by side with the change (red when the
// indicator went the worse way).
func (d *doc) rolloutsTable(f *facts, in *innovationFacts) {
	if in.RolloutN == 0 {
		return
	}
	d.subhead(d.T("Pilots and rollouts in the region: {{.N}}", "N", count(in.RolloutN)), 20)
	d.para(d.T("Means of each indicator over the 30 days before a rollout's date and the 30 days after; a community's values are its street's; — : no values."), 8, greyRGB)
	d.Ln(1)
	cols := scaleColumns([]column{{d.T("Project"), 58, "L"}, {d.T("Region"), 40, "L"}, {d.T("State"), 18, "L"}, {d.T("Since"), 28, "L"},
		{d.T("Indicator"), 46, "L"}, {d.T("30 days before"), 27, "R"}, {d.T("30 days after"), 27, "R"}, {d.T("Change"), 30, "R"}})
	var rows [][]string
	var worse []bool
	for _, r := range in.Rollouts {
		head := []string{r.Title, d.place(f, r.Region), d.T(r.State.Term()), beijing(r.Since)}
		if len(r.Compare) == 0 {
			rows, worse = append(rows, append(head, "—", "—", "—", "—")), append(worse, false)
		}
		for i, c := range r.Compare {
			if i > 0 {
				head = []string{"", "", "", ""}
			}
			def := in.Indicators[c.Indicator]
			name := def.NameZh
			if d.lang == msg.English && def.NameEn != "" {
				name = def.NameEn
			}
			if name == "" {
				name = c.Indicator
			}
			change, bad := d.change(c, def.Direction)
			rows = append(rows, append(head, name, sideValue(c.Before, c.BeforeN), sideValue(c.After, c.AfterN), change))
			worse = append(worse, bad)
		}
	}
	d.table(cols, rows, func(i, j int) [3]int {
		if j == 7 && worse[i] {
			return redRGB
		}
		return [3]int{}
	})
	d.more(len(in.Rollouts), in.RolloutN)
}

// sideValue is a side's mean, "—" without values.
func sideValue(v float64, n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", v)
}

// change is after − before with its share of before, and whether it went
// the indicator's worse way; "—" when a side has no values.
func (d *doc) change(c data.RolloutComparison, dir data.Direction) (string, bool) {
	if c.BeforeN == 0 || c.AfterN == 0 {
		return "—", false
	}
	diff := c.After - c.Before
	s := fmt.Sprintf("%+.2f", diff)
	if c.Before != 0 {
		s += fmt.Sprintf(" (%+.2f%%)", 100*diff/max(c.Before, -c.Before))
	}
	return s, dir == data.HigherBetter && diff < 0 || dir == data.LowerBetter && diff > 0
}
