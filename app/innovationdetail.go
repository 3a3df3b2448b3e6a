package app

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"kapok/data"
	kmaps "kapok/maps"
)

// The chosen project's details: where it is owned and by whom, what it
// is, its stage and since when (why it stopped), the indicators it should
// move, its milestones (overdue ones in red, with how many days late), and
// its rollouts: each region's state and, for each of the project's
// indicators, its mean over the 30 days before the rollout and the 30
// after, side by side with the change.

// rolloutRow is a row of the rollouts' table: a region and one indicator
// compared (Indicator "" when the project has none).
type rolloutRow struct {
	data.RolloutComparison
	err error
}

// rolloutColumns are the columns of a rollout region's comparison.
var rolloutColumns = []string{"Indicator", "30 days before", "30 days after", "Change"}

// innovationDetailPane builds the details' half of the tab: the write
// controls, the text, the milestones and the rollouts.
func (c *Console) innovationDetailPane() fyne.CanvasObject {
	t := c.Innovation()
	t.Detail = widget.NewRichText()
	t.Detail.Wrapping = fyne.TextWrapWord
	t.Milestones = container.NewVBox()
	t.RolloutBox = container.NewVBox()
	t.MoveBtn = widget.NewButton(T("Move stage…"), c.OpenMoveProject)
	t.MilestoneBtn = widget.NewButton(T("Add milestone…"), c.OpenAddMilestone)
	t.Edit = container.NewHBox(t.MoveBtn, t.MilestoneBtn)
	c.showIf(t.Edit, data.ActProjectEdit)
	body := container.NewVBox(t.Detail,
		widget.NewLabelWithStyle(T("Milestones"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), t.Milestones,
		widget.NewLabelWithStyle(T("Rollouts: indicators before and after"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.RolloutBox)
	return container.NewBorder(t.Edit, nil, nil, nil, container.NewVScroll(body))
}

// ChooseProject shows a project's details; a project with rollouts brings
// the map to its regions.
func (c *Console) ChooseProject(key string) {
	t := c.Innovation()
	t.key = key
	t.List.Refresh()
	c.readProject()
	c.flyToRollouts()
}

// readProject reads the chosen project again and shows it.
func (c *Console) readProject() {
	t := c.Innovation()
	t.project, t.compare = data.Project{}, nil
	if t.key != "" {
		at, past := c.programAt()
		p, err := c.M.Project(bg, t.key, at)
		if err != nil {
			t.Status.SetText(c.text(err))
		} else {
			if i := slices.IndexFunc(t.all, func(q data.Project) bool { return q.Key == p.Key }); i >= 0 && past {
				// In replay: the stage as it stood then.
				p.Stage, p.StageAt, p.Reason = t.all[i].Stage, t.all[i].StageAt, t.all[i].Reason
			}
			t.project = p
			c.readRollouts(at, past)
		}
	}
	c.showProject()
}

// readRollouts reads the chosen project's rollouts (as they stood at at,
// in replay) and compares each of its indicators in each of their regions.
func (c *Console) readRollouts(at time.Time, past bool) {
	t := c.Innovation()
	p := t.project
	var rs []data.Rollout
	var err error
	if past {
		rs, err = c.M.RolloutsAt(bg, p.Key, at)
	} else {
		rs, err = c.M.Rollouts(bg, p.Key)
	}
	if err != nil {
		t.Status.SetText(c.text(err))
		return
	}
	for _, r := range rs {
		if len(p.Indicators) == 0 {
			t.compare = append(t.compare, rolloutRow{RolloutComparison: data.RolloutComparison{Rollout: r}})
		}
		for _, ind := range p.Indicators {
			// The rollout as it stood (in replay: then, with the values
			// measured by then).
			var until time.Time
			if past {
				until = at
			}
			cmp, err := c.M.CompareRollout(bg, r, ind, until)
			if err != nil {
				cmp = data.RolloutComparison{Rollout: r, Indicator: ind}
			}
			t.compare = append(t.compare, rolloutRow{RolloutComparison: cmp, err: err})
		}
	}
}

// showProject writes the chosen project's details.
func (c *Console) showProject() {
	t := c.Innovation()
	p := t.project
	t.Milestones.RemoveAll()
	if p.Key == "" {
		t.Detail.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: T("Choose a project in the list."), Style: widget.RichTextStyleInline}}
		t.Detail.Refresh()
		t.MilestoneBtn.Disable()
		t.MoveBtn.Disable()
		c.showRolloutTable()
		return
	}
	t.MilestoneBtn.Enable()
	if len(moveTargets(p.Stage)) > 0 {
		t.MoveBtn.Enable()
	} else {
		t.MoveBtn.Disable()
	}
	day := func(at time.Time) string { return at.In(beijing).Format("2006-01-02") }
	segs := []widget.RichTextSegment{&widget.TextSegment{Text: p.Title, Style: widget.RichTextStyleSubHeading}}
	line := func(label, value string) {
		if value == "" {
			return
		}
		segs = append(segs, &widget.TextSegment{Text: T(label) + ": ", Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}},
			&widget.TextSegment{Text: value, Style: widget.RichTextStyleParagraph})
	}
	line("Owner region", fmt.Sprintf("%s (%s)", c.regionName(p.Region), p.Region))
	line("Proposing unit", p.Unit)
	line("Proposed", day(p.ProposedAt))
	line("Stage", T("{{.Stage}} since {{.Day}}", map[string]any{"Stage": T(p.Stage.Term()), "Day": day(p.StageAt)}))
	if p.Stage == data.StageStopped {
		line("Reason for stopping", p.Reason)
	}
	var inds []string
	for _, code := range p.Indicators {
		inds = append(inds, c.innovationIndicator(code))
	}
	line("Indicators it should move", strings.Join(inds, T(", ")))
	line("About the project", p.Description)
	t.Detail.Segments = segs
	t.Detail.Refresh()

	now, _ := c.programAt()
	for _, ms := range p.Milestones {
		t.Milestones.Add(c.milestoneRow(ms, now))
	}
	if len(p.Milestones) == 0 {
		t.Milestones.Add(widget.NewLabel(T("No milestones")))
	}
	c.showRolloutTable()
}

// milestoneRow is a milestone's line: its title and due date, done or how
// many days late in red; a button marks it done where permitted.
func (c *Console) milestoneRow(ms data.Milestone, now time.Time) fyne.CanvasObject {
	due := ms.Due.In(beijing).Format("2006-01-02")
	text := T("{{.Title}} · due {{.Due}}", map[string]any{"Title": ms.Title, "Due": due})
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	switch {
	case !ms.Done.IsZero():
		text += " · " + T("done {{.Day}}", map[string]any{"Day": ms.Done.In(beijing).Format("2006-01-02")})
	case ms.Overdue:
		text += " · " + T("overdue, {{.N}} days late", map[string]any{"N": daysLate(ms.Due, now)})
		l.Importance = widget.DangerImportance
	}
	l.SetText(text)
	if !ms.Done.IsZero() || !c.may(data.ActProjectEdit) {
		return l
	}
	id := ms.ID
	done := widget.NewButtonWithIcon(T("Done"), theme.ConfirmIcon(), func() { c.MarkMilestoneDone(id) })
	return container.NewBorder(nil, nil, nil, done, l)
}

// daysLate is how many whole days after due now is (at least 1 when late).
func daysLate(due, now time.Time) int {
	return max(1, int(now.Sub(due)/(24*time.Hour)))
}

// innovationIndicator is an indicator's name in the console's language.
func (c *Console) innovationIndicator(code string) string {
	if d, ok := c.Innovation().defs[code]; ok {
		return c.matterOf(d.NameZh, d.NameEn)
	}
	return code
}

// showRolloutTable writes the rollouts: each region with its state and
// since when, under it each indicator's means before and after and the
// change, side by side.
func (c *Console) showRolloutTable() {
	t := c.Innovation()
	t.RolloutBox.RemoveAll()
	if len(t.compare) == 0 {
		t.RolloutBox.Add(widget.NewLabel(T("No pilots or rollouts")))
		t.RolloutBox.Refresh()
		return
	}
	// A region without a value on either side (a rollout older than the
	// indicators kept, or planned for later) takes a line, not a grid.
	measured := map[string]bool{}
	for _, r := range t.compare {
		measured[r.Region] = measured[r.Region] || r.BeforeN > 0 || r.AfterN > 0
	}
	var grid *fyne.Container
	for i, r := range t.compare {
		if i == 0 || r.Region != t.compare[i-1].Region {
			text := T("{{.Region}} · {{.State}} since {{.Day}}", map[string]any{"Region": c.regionName(r.Region),
				"State": T(r.State.Term()), "Day": r.Since.In(beijing).Format("2006-01-02")})
			if !measured[r.Region] {
				text += " · " + T("no indicator values within 30 days of it")
			}
			head := widget.NewLabel(text)
			head.TextStyle.Bold = true
			head.Wrapping = fyne.TextWrapWord
			head.Importance = rolloutImportance[r.State]
			t.RolloutBox.Add(head)
			if !measured[r.Region] {
				continue
			}
			grid = container.NewGridWithColumns(len(rolloutColumns))
			for _, h := range rolloutColumns {
				grid.Add(widget.NewLabelWithStyle(T(h), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
			}
			t.RolloutBox.Add(grid)
		}
		if r.Indicator == "" || !measured[r.Region] {
			continue
		}
		for col := range rolloutColumns {
			l := widget.NewLabel(c.rolloutCell(r, col))
			l.Truncation = fyne.TextTruncateEllipsis
			grid.Add(l)
		}
	}
	t.RolloutBox.Refresh()
}

// rolloutImportance colours a rollout region's heading by its state.
var rolloutImportance = map[data.RolloutState]widget.Importance{data.RolloutPilot: widget.WarningImportance,
	data.RolloutRolledOut: widget.SuccessImportance, data.RolloutPlanned: widget.MediumImportance}

// rolloutCell is a cell of a rollout region's comparison (rolloutColumns);
// a side without values shows "–".
func (c *Console) rolloutCell(r rolloutRow, col int) string {
	value := func(v float64, n int) string {
		if n == 0 {
			return "–"
		}
		return trimFloat(v)
	}
	switch col {
	case 0:
		return c.innovationIndicator(r.Indicator)
	case 1:
		return value(r.Before, r.BeforeN)
	case 2:
		return value(r.After, r.AfterN)
	}
	if r.err != nil {
		return c.text(r.err)
	}
	return rolloutChange(r.RolloutComparison)
}

// rolloutChange is the change from before to after: the difference and,
// where the before is not 0, the percentage; "–" without both sides.
func rolloutChange(r data.RolloutComparison) string {
	if r.BeforeN == 0 || r.AfterN == 0 {
		return "–"
	}
	d := r.After - r.Before
	s := trimFloat(d)
	if d > 0 {
		s = "+" + s
	}
	if r.Before != 0 {
		s += fmt.Sprintf(" (%+.1f%%)", d/math.Abs(r.Before)*100)
	}
	return s
}

// flyToRollouts brings the map to the chosen project's rollout regions.
func (c *Console) flyToRollouts() {
	t := c.Innovation()
	var b orb.Bound
	n := 0
	for _, r := range t.compare {
		rb, err := c.M.RegionBound(bg, r.Region)
		if err != nil {
			continue
		}
		if n == 0 {
			b = rb
		}
		b = b.Union(rb)
		n++
	}
	if n > 0 {
		c.Map.FlyTo(kmaps.Project(b).(orb.Bound))
	}
}
