package data

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The innovation program (issue 16): projects an incubator follows from
// their proposal to their rollout, and the annual contest that ranks them.

// Stage is where an innovation project is in the incubator's process.
type Stage string

// The stages, in the process's order; a project may be stopped at any
// stage but the last.
const (
	StageProposed   Stage = "proposed"   // 申报
	StageIncubating Stage = "incubating" // 入库
	StagePiloting   Stage = "piloting"   // 试点
	StageEvaluated  Stage = "evaluated"  // 评估
	StageRolledOut  Stage = "rolled_out" // 推广
	StageStopped    Stage = "stopped"    // 终止
)

// Stages lists every stage, the process's order then stopped.
var Stages = []Stage{StageProposed, StageIncubating, StagePiloting, StageEvaluated, StageRolledOut, StageStopped}

// Term is the stage as a refusal's domain word ("stage.piloting"): the
// stages' names are their own words, apart from the cases' states
// ("evaluated" is a case's state too).
func (s Stage) Term() string { return "stage." + string(s) }

// NextStage is the stage the process moves a project to from s ("" after
// the last and after stopped): no stage is skipped.
func NextStage(s Stage) Stage {
	i := slices.Index(Stages, s)
	if i < 0 || i >= slices.Index(Stages, StageRolledOut) {
		return ""
	}
	return Stages[i+1]
}

// CheckStageMove refuses a move the process does not allow: to a stage
// not the next one, or to stopped from rolled out or stopped, or a stop
// without a reason. project names the project in the refusal.
func CheckStageMove(project string, from, to Stage, reason string) error {
	if !slices.Contains(Stages, to) {
		return Refuse(CodeProjectStageUnknown, "stage", Value("stage", to), Value("allowed", joinStrings(Stages)))
	}
	if to == StageStopped {
		if from == StageRolledOut || from == StageStopped {
			return Refuse(CodeProjectMoveNotAllowed, "stage", Value("project", project), Term("from", from.Term()), Term("to", to.Term()))
		}
		if strings.TrimSpace(reason) == "" {
			return Refuse(CodeProjectReasonRequired, "reason", Value("project", project))
		}
		return nil
	}
	if NextStage(from) != to {
		return Refuse(CodeProjectMoveNotAllowed, "stage", Value("project", project), Term("from", from.Term()), Term("to", to.Term()))
	}
	return nil
}

// Project is an innovation project.
type Project struct {
	Key         string // UUIDv7
	Region      string // the owner region: a district, street or community code
	Unit        string // the proposing unit
	Title       string
	Description string
	Stage       Stage
	Reason      string // why it was stopped
	ProposedAt  time.Time
	StageAt     time.Time // when it reached its stage
	Indicators  []string  // codes of the indicator catalogue it is meant to move
	Milestones  []Milestone
}

// ProjectRequest proposes a project.
type ProjectRequest struct {
	Region, Unit, Title, Description string
	Indicators                       []string
	Actor                            string
}

// Milestone is a step a project means to reach by a date.
type Milestone struct {
	ID      int64  // this mirror's number of it
	UID     string // its key on every console (UUIDv7)
	Title   string
	Due     time.Time
	Done    time.Time // zero while not done
	Overdue bool      // not done and due before the instant read at
}

// OverdueAt tells whether the milestone, of a project at stage, was
// overdue at at: due before then and not done by then, its project not
// stopped (a stopped project's milestones will not be reached).
func (m Milestone) OverdueAt(stage Stage, at time.Time) bool {
	return stage != StageStopped && m.Due.Before(at) && (m.Done.IsZero() || m.Done.After(at))
}

// ProjectFilter picks projects; zero fields pick all.
type ProjectFilter struct {
	Stage  Stage
	Region string // a region code prefix: the projects owned in it
}

// Criterion is one published criterion of a contest round.
type Criterion struct {
	Code           string
	NameZH, NameEN string
	Weight         float64 // > 0
	Max            float64 // the highest score, > 0; scores run 0..Max
}

// Score is a judge's score of an entry on one criterion.
type Score struct {
	Round     int // the year the round ends in (2021 for 2020–2021)
	Project   string
	Criterion string
	Value     float64
	Judge     string // login
}

// JudgeConflict tells whether u may not score an entry owned by region: a
// judge does not score their own region's entries — those owned within
// their jurisdiction, nor those of a region holding it (a street's judge
// and their district's entry). A judge of the whole city judges every
// entry: the city owns none (owner regions are districts, streets and
// communities), and the round's panel sits at the city. The system is not
// a person and is held to no conflict.
func JudgeConflict(u User, region string) bool {
	if u.Role == RoleSystem || u.Jurisdiction == "" {
		return false
	}
	if l, ok := LevelOfCode(u.Jurisdiction); ok && l == LevelCity {
		return false
	}
	return strings.HasPrefix(region, u.Jurisdiction) || strings.HasPrefix(u.Jurisdiction, region)
}

// TopProjects is how many of a round's ranking are city innovation projects.
const TopProjects = 10

// RankedEntry is an entry in a round's ranking.
type RankedEntry struct {
	Rank       int
	Project    string
	Title      string
	Region     string
	ProposedAt time.Time
	Total      float64 // the mean over judges of each judge's weighted total
	Heaviest   float64 // the mean score on the heaviest criterion (the first tie-break)
	Judges     int     // the judges who scored every criterion: the total is theirs
	Pending    int     // judges who scored some criteria, not all yet: not counted
	City       bool    // among the top ten: a city innovation project
}

// JudgeScores are one judge's scores of one entry, by criterion code.
type JudgeScores map[string]float64

// WeightedTotal is a judge's weighted total of an entry: the sum over the
// criteria of weight × score, divided by the sum of the weights (so on the
// scale of the scores). A criterion not scored counts 0.
func WeightedTotal(criteria []Criterion, s JudgeScores) float64 {
	var sum, weights float64
	for _, c := range criteria {
		sum += c.Weight * s[c.Code]
		weights += c.Weight
	}
	if weights == 0 {
		return 0
	}
	return sum / weights
}

// HeaviestCriterion is the criterion of the greatest weight (the first in
// the published order among equals); "" for none.
func HeaviestCriterion(criteria []Criterion) string {
	code, w := "", 0.0
	for _, c := range criteria {
		if c.Weight > w {
			code, w = c.Code, c.Weight
		}
	}
	return code
}

// Rank orders entries and numbers them: by Total, higher first; ties
// broken by the higher mean score on the heaviest criterion, then by more
// judges, then by the earlier proposal, then by the project's key (so the
// order is total). The first TopProjects are marked City. Entries no judge
// scored rank last by the same rule.
func Rank(entries []RankedEntry) []RankedEntry {
	slices.SortFunc(entries, func(a, b RankedEntry) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(b.Heaviest, a.Heaviest), cmp.Compare(b.Judges, a.Judges),
			a.ProposedAt.Compare(b.ProposedAt), strings.Compare(a.Project, b.Project))
	})
	for i := range entries {
		entries[i].Rank = i + 1
		entries[i].City = i < TopProjects
	}
	return entries
}

// RolloutState is where a project stands in a region: its pilot, a region
// it was rolled out to, or one it is planned for.
type RolloutState string

// The rollout states.
const (
	RolloutPilot     RolloutState = "pilot"      // 试点
	RolloutRolledOut RolloutState = "rolled_out" // 已推广
	RolloutPlanned   RolloutState = "planned"    // 计划推广
)

// RolloutStates lists every rollout state.
var RolloutStates = []RolloutState{RolloutPilot, RolloutRolledOut, RolloutPlanned}

// Term is the state as a refusal's domain word ("rollout.pilot").
func (s RolloutState) Term() string { return "rollout." + string(s) }

// CheckRollout refuses a rollout state the project's stage does not allow:
// a pilot or a planned region from piloting on, a region rolled out to
// only for a project rolled out, nothing for a project stopped.
func CheckRollout(project string, stage Stage, state RolloutState) error {
	if !slices.Contains(RolloutStates, state) {
		return Refuse(CodeRolloutStateUnknown, "state", Value("state", state), Value("allowed", joinStrings(RolloutStates)))
	}
	ok := false
	switch stage {
	case StagePiloting, StageEvaluated:
		ok = state != RolloutRolledOut
	case StageRolledOut:
		ok = true
	}
	if !ok {
		return Refuse(CodeRolloutNotAllowed, "state", Value("project", project), Term("state", state.Term()), Term("stage", stage.Term()))
	}
	return nil
}

// Rollout is a project's state in one region, since when.
type Rollout struct {
	Project string
	Region  string
	State   RolloutState
	Since   time.Time
}

// RolloutWindow is how long before and after a rollout's Since its
// indicators are compared.
const RolloutWindow = 30 * 24 * time.Hour

// RolloutComparison is an indicator's mean in a region over the
// RolloutWindow before a rollout's Since and over the one after, side by
// side. MeasuredIn is the region the values are of (a community's street:
// indicators are measured for the city, districts and streets). A side
// without values has N 0 and mean 0.
type RolloutComparison struct {
	Rollout
	Indicator       string
	MeasuredIn      string
	Before, After   float64
	BeforeN, AfterN int
	From, Until     time.Time // Since − RolloutWindow, Since + RolloutWindow
}
