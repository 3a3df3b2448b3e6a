package app

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// The contest's half of the Innovation tab: a round chooser and the
// round's ranking (rank, title, owner region, total, judges), its top ten
// marked as city innovation projects (市创新项目); a judge (contest.judge)
// may score an entry.

// rankingColumns are the ranking's columns.
var rankingColumns = []string{"Rank", "Project", "Owner region", "Total", "Judges", "City innovation project"}

// contestPane builds the contest's half.
func (c *Console) contestPane() fyne.CanvasObject {
	t := c.Innovation()
	t.Round = newSelect(nil, func(s string) {
		if y, err := strconv.Atoi(s); err == nil && y != t.round {
			t.round = y
			c.readRanking()
		}
	})
	t.Ranking = widget.NewTable(
		func() (int, int) { return len(t.ranking), len(rankingColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(t.ranking) {
				l := o.(*widget.Label)
				e := t.ranking[id.Row]
				l.Truncation = fyne.TextTruncateEllipsis
				l.TextStyle.Bold = e.City
				l.Importance = widget.MediumImportance
				if e.City && id.Col == 5 {
					l.Importance = widget.HighImportance
				}
				l.SetText(c.rankingCell(e, id.Col))
			}
		})
	headed(t.Ranking, rankingColumns, []float32{44, 200, 100, 60, 50, 120})
	t.Ranking.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(t.ranking) {
			c.ChooseProject(t.ranking[id.Row].Project)
		}
	}
	t.ScoreBtn = widget.NewButton(T("Score an entry…"), c.OpenScoreEntry)
	c.showIf(t.ScoreBtn, data.ActContestJudge)
	note := widget.NewLabel(T("The top ten of a round are the city innovation projects (市创新项目)."))
	note.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(container.NewHBox(widget.NewLabel(T("Round")), t.Round, t.ScoreBtn), note)
	return container.NewBorder(top, nil, nil, nil, t.Ranking)
}

// rankingCell is a cell of the ranking.
func (c *Console) rankingCell(e data.RankedEntry, col int) string {
	switch col {
	case 0:
		return strconv.Itoa(e.Rank)
	case 1:
		return oneLineText(e.Title)
	case 2:
		return c.regionName(e.Region)
	case 3:
		if e.Judges == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f", e.Total)
	case 4:
		if e.Pending > 0 { // scored some criteria, not all yet: not in the total
			return T("{{.N}} (+{{.P}} pending)", map[string]any{"N": e.Judges, "P": e.Pending})
		}
		return strconv.Itoa(e.Judges)
	}
	if e.City {
		return "★ " + T("City innovation project")
	}
	return ""
}

// readRounds reads the contest's rounds and shows the chosen one's
// ranking, the latest by default.
func (c *Console) readRounds() {
	t := c.Innovation()
	rounds, err := c.M.Rounds(bg)
	if err != nil {
		t.Status.SetText(c.text(err))
	}
	t.rounds = rounds
	if !slices.Contains(t.rounds, t.round) {
		t.round = 0
		if len(t.rounds) > 0 {
			t.round = t.rounds[0]
		}
	}
	opts := make([]string, len(t.rounds))
	for i, y := range t.rounds {
		opts[i] = strconv.Itoa(y)
	}
	t.Round.Options = opts
	t.Round.Selected = ""
	if t.round != 0 {
		t.Round.Selected = strconv.Itoa(t.round)
	}
	t.Round.Refresh()
	c.readRanking()
}

// readRanking reads the chosen round's ranking.
func (c *Console) readRanking() {
	t := c.Innovation()
	t.ranking = nil
	if t.round != 0 {
		r, err := c.M.Ranking(bg, t.round)
		if err != nil {
			t.Status.SetText(c.text(err))
		}
		t.ranking = r
	}
	t.Ranking.Refresh()
}

// OpenScoreEntry asks a judge for a score of an entry of the round on one
// of its criteria.
func (c *Console) OpenScoreEntry() {
	t := c.Innovation()
	if c.refuseInReplay() || t.round == 0 {
		return
	}
	criteria, err := c.M.Criteria(bg, t.round)
	if err != nil {
		c.showError(err)
		return
	}
	entries := make([]string, len(t.ranking))
	for i, e := range t.ranking {
		entries[i] = fmt.Sprintf("%d. %s", e.Rank, oneLineText(e.Title))
	}
	names := make([]string, len(criteria))
	for i, cr := range criteria {
		names[i] = fmt.Sprintf("%s (0–%s)", c.matterOf(cr.NameZH, cr.NameEN), trimFloat(cr.Max))
	}
	entry, criterion, value := newSelect(entries, nil), newSelect(names, nil), widget.NewEntry()
	if i := slices.IndexFunc(t.ranking, func(e data.RankedEntry) bool { return e.Project == t.key }); i >= 0 {
		entry.SetSelected(entries[i])
	}
	form := widget.NewForm(widget.NewFormItem(T("Round"), widget.NewLabel(strconv.Itoa(t.round))),
		widget.NewFormItem(T("Entry"), entry), widget.NewFormItem(T("Criterion"), criterion), widget.NewFormItem(T("Score"), value))
	c.innovationDialog(T("Score an entry"), form, func() error {
		i, j := slices.Index(entries, entry.Selected), slices.Index(names, criterion.Selected)
		v, err := strconv.ParseFloat(strings.TrimSpace(value.Text), 64)
		if i < 0 || j < 0 || err != nil {
			return errors.New(T("Choose an entry and a criterion, and give the score as a number"))
		}
		return c.ScoreEntry(t.ranking[i].Project, criteria[j].Code, v)
	})
}

// ScoreEntry records the console's user's score of an entry of the round
// chosen on a criterion.
func (c *Console) ScoreEntry(project, criterion string, v float64) error {
	if c.refuseInReplay() {
		return nil
	}
	return c.M.ScoreEntry(bg, data.Score{Round: c.Innovation().round, Project: project, Criterion: criterion, Value: v, Judge: c.User}, c.Now())
}
