package mirror

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule/autofill"
)

// replay is a journal entry being applied again by sync: another console's
// operation in arrival order, or this console's own one, taken again after
// sync took it back to let earlier arrivals go first. It is applied through
// the same method a person's change takes, with the entry's actor and its
// instant as now, so the same permission, jurisdiction and rules decide;
// the method's journal entry is the entry itself (journalAppend records the
// outcome instead of appending), and the keys it mints are the entry's.
type replay struct {
	entry   data.JournalEntry
	raw     string // the entry's canonical form
	arrival int64  // its upstream arrival; 0 when taken again on top (reapply)
	own     bool
	minted  []string
	done    bool // the outcome is recorded
}

type replayKey struct{}

func withReplay(ctx context.Context, r *replay) context.Context {
	return context.WithValue(ctx, replayKey{}, r)
}

func replayOf(ctx context.Context) *replay {
	r, _ := ctx.Value(replayKey{}).(*replay)
	return r
}

// sharedKinds are the operations consoles hand each other: what a person
// does to orders, cases, rosters, duty and leave, and to the innovation
// program (projects, milestones, rollouts, contest rounds, entries, scores). The others stay with the
// console that made them (pushed, for the record and the chain, but not
// applied elsewhere): logins and users (each mirror has its own accounts),
// imports and feeds (the upstream's reference data and values come by the
// pull of reference rows), alerts (each console evaluates its own), the
// demo's build, the carried-over audit log. What the system does on its
// own (an order overdue, a case escalated past its grace) is not shared
// either: each console derives it from the shared state at its own clock.
var sharedKinds = map[string]bool{
	data.KindOrderIssue: true, data.KindOrderMove: true,
	data.KindCaseReport: true, data.KindCaseMove: true, data.KindCaseExtend: true, data.KindCaseEscalate: true,
	data.KindRosterPlan: true, data.KindRosterAssign: true, data.KindRosterUnassign: true, data.KindRosterPublish: true,
	data.KindRosterAutofill: true, data.KindDistrictRules: true, data.KindUnitLeave: true, data.KindUnitLeaveEnd: true,
	data.KindDutyAssign: true, data.KindDutyRemove: true,
	data.KindProjectAdd: true, data.KindProjectMove: true, data.KindProjectMilestone: true, data.KindProjectRollout: true,
	data.KindContestRound: true, data.KindContestEnter: true, data.KindContestScore: true,
}

// SharedKind reports whether sync applies entries of this kind made by this
// actor on the other consoles.
func SharedKind(kind, actor string) bool { return sharedKinds[kind] && actor != data.SystemLogin }

// replayPayload is every field the shared kinds' payloads carry.
type replayPayload struct {
	Minted []string `json:"minted"`
	Within string   `json:"within"`
	// orders
	UID, Type, Task, Priority, Start, End, Event, To string
	Targets                                          []struct{ Code string }
	// cases
	Case, Matter, Grid, Source, Description, Contact, Reason, Result string
	At                                                               []float64
	Units                                                            []string
	// rosters, leave, duty
	Roster, Region, Week, Unit, Route, Shift, Center, Person, Phone, Role, District string
	Added, Walked                                                                   [][3]string
	Lent                                                                            []string `json:"lent_units"`
	Shifts                                                                          []shiftJSON
	Rules                                                                           json.RawMessage
	// the innovation program
	Title, Due, Done, Criterion string
	MilestoneUID                string `json:"milestone_uid"`
	Indicators                  []string
	Round                       int
	Value                       float64
	Criteria                    []struct {
		Code        string
		NameZH      string `json:"name_zh"`
		NameEN      string `json:"name_en"`
		Weight, Max float64
	}
}

// apply runs the replayed entry's operation. A refusal is the entry's
// outcome (rejected); any other error stops the sync.
func (m *Mirror) apply(ctx context.Context, r *replay) error {
	e := r.entry
	var p replayPayload
	if err := json.Unmarshal([]byte(e.Payload), &p); err != nil {
		return fmt.Errorf("entry %s (%s): %w", e.ID, e.Kind, err)
	}
	r.minted = p.Minted
	ctx = withReplay(ctx, r)
	now, actor := e.At, e.Actor
	when := func(s string) time.Time { t, _ := gpkg.ParseTime(s); return t }
	var err error
	switch e.Kind {
	case data.KindOrderIssue:
		req := data.OrderRequest{Type: data.OrderType(p.Type), Task: p.Task, Priority: data.Priority(p.Priority),
			Start: when(p.Start), End: when(p.End), EventCode: p.Event, Actor: actor}
		for _, t := range p.Targets {
			req.Targets = append(req.Targets, t.Code)
		}
		_, err = m.IssueOrder(ctx, req, now)
	case data.KindOrderMove:
		_, err = m.MoveOrder(ctx, p.UID, data.OrderState(p.To), actor, now)
	case data.KindCaseReport:
		// Placed where it was placed: the point, in the grid containing it.
		rep := data.CaseReport{Matter: p.Matter, Description: p.Description, Source: data.EventSource(p.Source),
			Contact: p.Contact, Actor: actor}
		if len(p.At) == 2 {
			rep.At = &orb.Point{p.At[0], p.At[1]}
		} else {
			rep.Grid = p.Grid
		}
		_, err = m.ReportCase(ctx, rep, now)
	case data.KindCaseMove:
		// The version is not checked: a step stands if it is still valid
		// after the steps that arrived before it (the workflow decides).
		_, err = m.MoveCase(ctx, data.CaseMove{Case: p.Case, To: data.EventState(p.To), Units: p.Units, Reason: p.Reason,
			Result: p.Result, Actor: actor}, now)
	case data.KindCaseExtend:
		_, err = m.ExtendCase(ctx, p.Case, p.Reason, actor, 0, now)
	case data.KindCaseEscalate:
		_, err = m.EscalateCase(ctx, p.Case, p.Reason, actor, 0, now)
	case data.KindRosterPlan:
		_, err = m.PlanRoster(ctx, p.Region, p.Week, actor, now)
	case data.KindRosterAssign, data.KindRosterUnassign:
		c := data.RosterChange{Roster: p.Roster, Unit: p.Unit, Grid: p.Grid, Route: p.Route, Shift: p.Shift, Actor: actor}
		if e.Kind == data.KindRosterAssign {
			_, err = m.AssignPatrol(ctx, c, now)
		} else {
			_, err = m.UnassignPatrol(ctx, c, now)
		}
	case data.KindRosterPublish:
		_, _, err = m.PublishRoster(ctx, p.Roster, actor, 0, now)
	case data.KindRosterAutofill:
		err = m.replayFill(ctx, p, actor, now)
	case data.KindDistrictRules:
		err = m.replayRules(ctx, p, actor, now)
	case data.KindUnitLeave:
		_, err = m.MarkLeave(ctx, p.Unit, when(p.Start), when(p.End), p.Reason, actor, now)
	case data.KindUnitLeaveEnd:
		err = m.EndLeave(ctx, p.UID, actor, now)
	case data.KindDutyAssign:
		_, err = m.AssignDuty(ctx, data.DutyRequest{Center: p.Center, Shift: p.Shift, Person: p.Person, Phone: p.Phone,
			Role: data.DutyRole(p.Role), Actor: actor}, now)
	case data.KindDutyRemove:
		err = m.RemoveDuty(ctx, p.UID, actor, now)
	case data.KindProjectAdd:
		_, err = m.AddProject(ctx, data.ProjectRequest{Region: p.Region, Unit: p.Unit, Title: p.Title, Description: p.Description,
			Indicators: p.Indicators, Actor: actor}, now)
	case data.KindProjectMove:
		_, err = m.MoveProject(ctx, p.UID, data.Stage(p.To), p.Reason, actor, now)
	case data.KindProjectMilestone:
		if p.Done != "" { // reached; else added
			err = m.doneMilestone(ctx, p.UID, "uid", p.MilestoneUID, actor, now)
		} else {
			_, err = m.AddMilestone(ctx, p.UID, p.Title, when(p.Due), actor, now)
		}
	case data.KindProjectRollout:
		_, err = m.SetRollout(ctx, p.UID, p.Region, data.RolloutState(p.To), actor, now)
	case data.KindContestRound:
		criteria := make([]data.Criterion, len(p.Criteria))
		for i, c := range p.Criteria {
			criteria[i] = data.Criterion{Code: c.Code, NameZH: c.NameZH, NameEN: c.NameEN, Weight: c.Weight, Max: c.Max}
		}
		err = m.OpenRound(ctx, p.Round, criteria, actor, now)
	case data.KindContestEnter:
		err = m.EnterProject(ctx, p.Round, p.UID, actor, now)
	case data.KindContestScore:
		err = m.ScoreEntry(ctx, data.Score{Round: p.Round, Project: p.UID, Criterion: p.Criterion, Value: p.Value, Judge: actor}, now)
	default:
		return fmt.Errorf("entry %s: kind %s is not shared", e.ID, e.Kind)
	}
	return err
}

// replayFill applies the assignments a fill made, as it made them.
func (m *Mirror) replayFill(ctx context.Context, p replayPayload, actor string, now time.Time) error {
	r, err := rosterBy(ctx, m.DB, p.Roster)
	if err != nil {
		return err
	}
	lent := map[string]bool{}
	for _, l := range p.Lent {
		lent[l] = true
	}
	var res autofill.Result
	add := func(unit, grid, route, shift string) error {
		s, err := data.ParseShift(shift, r.Shifts)
		if err != nil {
			return err
		}
		res.Assignments = append(res.Assignments, data.Assignment{Unit: unit, Grid: grid, Route: route, Shift: s,
			Lent: lent[unit+" "+grid+route+" "+shift]})
		return nil
	}
	for _, a := range p.Added {
		if err := add(a[0], a[1], "", a[2]); err != nil {
			return err
		}
	}
	for _, a := range p.Walked {
		if err := add(a[0], "", a[1], a[2]); err != nil {
			return err
		}
	}
	_, err = m.applyFill(ctx, r, actor, res, now)
	return err
}

// replayRules sets a district's shifts and rules as the entry set them.
func (m *Mirror) replayRules(ctx context.Context, p replayPayload, actor string, now time.Time) error {
	var shifts []data.ShiftDef
	for _, s := range p.Shifts {
		shifts = append(shifts, data.ShiftDef{Name: s.Name, Start: s.Start, End: s.End})
	}
	var rules *data.PatrolRules
	if len(p.Rules) > 0 && strings.TrimSpace(string(p.Rules)) != "null" {
		r, err := rulesFromJSON(p.Rules)
		if err != nil {
			return err
		}
		rules = &r
	}
	return m.SetDistrictRules(ctx, p.District, shifts, rules, actor, now)
}
