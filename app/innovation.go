package app

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
	"kapok/data"
)

// The Innovation tab (创新, issue 16): the incubator's projects by stage
// (a stage filter with the count of each, a row per project with its
// owner region, stage and overdue milestones), the chosen project's
// details (innovationdetail.go: its milestones, its rollouts and its
// indicators before and after each), the contest's rankings
// (innovationcontest.go), and the changes the user's role permits
// (innovationedit.go), each through the store's one path. The map's
// rollout theme is fed from here: the program's states by region.

// InnovationTab is the tab's widgets and state.
type InnovationTab struct {
	Stage  *widget.Select // the stage shown ("All" first), with counts
	List   *widget.Table  // the projects of the stage
	Status *widget.Label

	// The chosen project's details and the changes to it.
	Detail       *widget.RichText
	Milestones   *fyne.Container // a row per milestone, overdue ones in red
	RolloutBox   *fyne.Container // its regions, each indicator before and after
	MoveBtn      *widget.Button
	MilestoneBtn *widget.Button
	Edit         *fyne.Container // the project's write controls

	// The contest.
	Round    *widget.Select
	Ranking  *widget.Table
	ScoreBtn *widget.Button
	Tabs     *container.AppTabs

	all     []data.Project // every project, by stage then proposal
	overdue map[string]int // overdue milestones by project key
	stage   data.Stage     // the filter ("": every stage)
	rows    []data.Project // the projects shown
	key     string         // the chosen project ("": none)
	project data.Project   // the chosen project as read, its milestones too
	compare []rolloutRow   // its rollouts' rows
	defs    map[string]data.Indicator
	rounds  []int // the contest's rounds, the latest first
	round   int
	ranking []data.RankedEntry
	rollout map[string]data.RolloutState // the program's states by region (the map's)
}

// Innovation is the console's Innovation tab (kept across rebuilds of
// the window: a change of language, replay).
func (c *Console) Innovation() *InnovationTab { return &c.innovation }

// innovationColumns are the project list's columns.
var innovationColumns = []string{"Project", "Owner region", "Stage", "Overdue"}

// stageChoices are the stage filter's stages, "" (all) first.
var stageChoices = append([]data.Stage{""}, data.Stages...)

// innovationPane builds the tab.
func (c *Console) innovationPane() fyne.CanvasObject {
	t := c.Innovation()
	t.Status = widget.NewLabel("")
	t.Status.Wrapping = fyne.TextWrapWord
	t.Stage = newSelect(nil, func(s string) {
		if i := slices.Index(t.Stage.Options, s); i >= 0 && stageChoices[i] != t.stage {
			t.stage = stageChoices[i]
			c.showInnovationList()
		}
	})
	t.List = widget.NewTable(
		func() (int, int) { return len(t.rows), len(innovationColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(t.rows) {
				l := o.(*widget.Label)
				p := t.rows[id.Row]
				l.Truncation = fyne.TextTruncateEllipsis
				l.TextStyle.Bold = p.Key == t.key
				l.Importance = widget.MediumImportance
				if id.Col == 3 && t.overdue[p.Key] > 0 {
					l.Importance = widget.DangerImportance
				}
				l.SetText(c.innovationCell(p, id.Col))
			}
		})
	headed(t.List, innovationColumns, []float32{190, 110, 84, 100})
	t.List.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(t.rows) {
			c.ChooseProject(t.rows[id.Row].Key)
		}
	}
	refresh := widget.NewButton(T("Refresh"), c.RefreshInnovation)
	show := widget.NewButton(T("Colour the map"), func() {
		c.ThemeSel.SetSelected(c.ThemeSel.Options[slices.Index(citymap.Themes, "rollout")])
	})
	// The filter as wide as its longest choice needs.
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(newSelect([]string{T("All stages") + " (000)"}, nil).MinSize().Width+theme.IconInlineSize(), 0))
	top := container.NewHBox(widget.NewLabel(T("Stage")), container.NewStack(room, t.Stage), refresh, show)
	projects := container.NewVSplit(t.List, c.innovationDetailPane())
	projects.Offset = 0.38
	t.Tabs = container.NewAppTabs(
		container.NewTabItem(T("Projects"), container.NewBorder(top, nil, nil, nil, projects)),
		container.NewTabItem(T("Contest"), c.contestPane()),
	)
	c.RefreshInnovation()
	return container.NewBorder(nil, t.Status, nil, nil, t.Tabs)
}

// innovationCell is a cell of the project list.
func (c *Console) innovationCell(p data.Project, col int) string {
	switch col {
	case 0:
		return oneLineText(p.Title)
	case 1:
		return c.regionName(p.Region)
	case 2:
		return T(p.Stage.Term())
	}
	if n := c.Innovation().overdue[p.Key]; n > 0 {
		return T("{{.N}} overdue", map[string]any{"N": n})
	}
	return ""
}

// headed gives a table a header row of translated column titles and its
// columns their widths (at least as wide as the title in the language
// shown).
func headed(tb *widget.Table, columns []string, widths []float32) {
	tb.ShowHeaderRow = true
	tb.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	tb.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(T(columns[id.Col]))
		}
	}
	for i, w := range widths {
		tb.SetColumnWidth(i, max(w, widget.NewLabel(T(columns[i])).MinSize().Width))
	}
}

// oneLineText is text from the store on one line of a table.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// RefreshInnovation reads the program again: the projects and their
// overdue milestones at the console's clock, the chosen project, the
// contest's rounds and ranking, and the rollout theme's states.
func (c *Console) RefreshInnovation() {
	t := c.Innovation()
	if t.Status == nil {
		return
	}
	t.Status.SetText("")
	at, past := c.programAt()
	err := func() (err error) {
		if past {
			t.all, err = c.M.ProjectsAt(bg, data.ProjectFilter{}, at)
		} else {
			t.all, err = c.M.Projects(bg, data.ProjectFilter{})
		}
		if err != nil {
			return err
		}
		t.overdue = map[string]int{}
		for _, p := range t.all {
			full, err := c.M.Project(bg, p.Key, at)
			if err != nil {
				return err
			}
			for _, ms := range full.Milestones {
				if ms.Overdue {
					t.overdue[p.Key]++
				}
			}
		}
		if t.rollout, err = c.rolloutStates(at, past); err != nil {
			return err
		}
		defs, err := c.M.IndicatorDefs(bg)
		if err != nil {
			return err
		}
		t.defs = make(map[string]data.Indicator, len(defs))
		for _, d := range defs {
			t.defs[d.Code] = d
		}
		return nil
	}()
	if err != nil {
		t.Status.SetText(c.text(err))
	}
	c.showInnovationList()
	if t.key != "" && !slices.ContainsFunc(t.all, func(p data.Project) bool { return p.Key == t.key }) {
		t.key = ""
	}
	c.readProject()
	c.readRounds()
	c.applyRollout()
}

// programAt is the moment the tab shows the program at: the replay's
// (past), else the console's clock.
func (c *Console) programAt() (at time.Time, past bool) {
	return c.clock(), c.replay != nil
}

// rolloutStates are the program's states by region for the map: the
// store's now, or in replay as they stood then.
func (c *Console) rolloutStates(at time.Time, past bool) (map[string]data.RolloutState, error) {
	if past {
		return c.M.RolloutStatesAt(bg, at)
	}
	return c.M.RolloutStates(bg)
}

// showInnovationList fills the stage filter's counts and the list with the
// projects of the stage chosen.
func (c *Console) showInnovationList() {
	t := c.Innovation()
	count := map[data.Stage]int{}
	for _, p := range t.all {
		count[p.Stage]++
	}
	opts := make([]string, len(stageChoices))
	for i, s := range stageChoices {
		if s == "" {
			opts[i] = fmt.Sprintf("%s (%d)", T("All stages"), len(t.all))
		} else {
			opts[i] = fmt.Sprintf("%s (%d)", T(s.Term()), count[s])
		}
	}
	t.Stage.Options = opts
	t.Stage.Selected = opts[max(0, slices.Index(stageChoices, t.stage))]
	t.Stage.Refresh()
	t.rows = t.rows[:0]
	for _, p := range t.all {
		if t.stage == "" || p.Stage == t.stage {
			t.rows = append(t.rows, p)
		}
	}
	t.List.Refresh()
}

// StageCounts are the stage filter's counts by stage ("" all), as shown.
func (t *InnovationTab) StageCounts() map[data.Stage]string {
	out := map[data.Stage]string{}
	for i, s := range stageChoices {
		if i < len(t.Stage.Options) {
			o := t.Stage.Options[i]
			out[s] = o[strings.LastIndex(o, "(")+1 : len(o)-1]
		}
	}
	return out
}

// ChooseStage shows the projects of a stage ("" every stage).
func (c *Console) ChooseStage(s data.Stage) {
	t := c.Innovation()
	if i := slices.Index(stageChoices, s); i >= 0 {
		t.Stage.SetSelected(t.Stage.Options[i])
	}
}

// applyRollout gives the map the program's states and, while the rollout
// theme shows, recolours the grids.
func (c *Console) applyRollout() {
	t := c.Innovation()
	c.City.SetRollout(t.rollout)
	if c.theme == "rollout" {
		if err := c.City.SetTheme("rollout"); err != nil {
			t.Status.SetText(c.text(err))
		}
		c.Map.Redraw()
	}
}
