package data

import (
	"slices"
	"strings"
)

// The rules a case step keeps on its own, before the store looks at the
// mirror: the move is one the workflow allows from the case's state, and it
// carries what that step needs.

// reasonNeeded are the moves that must say why: not filing a case,
// returning a wrong dispatch, parking what cannot be fixed in time.
var reasonNeeded = []EventState{EventCancelled, EventReturned, EventParked}

// CheckMove checks a move of a case in state from. A verification that
// fails (fed back → handling) needs a reason too.
func CheckMove(code string, from EventState, mv CaseMove) *Refusal {
	to := mv.To
	if !slices.Contains(EventStates, to) {
		return Refuse(CodeCaseStateUnknown, "state", Value("state", string(to)), Value("allowed", joinStrings(EventStates)))
	}
	if !from.CanMoveTo(to) {
		return Refuse(CodeCaseMoveNotAllowed, "state", Value("case", code), Term("from", from), Term("to", to))
	}
	reason := strings.TrimSpace(mv.Reason)
	switch {
	case slices.Contains(reasonNeeded, to) && reason == "":
		return Refuse(CodeCaseReasonRequired, "reason", Term("to", to))
	case from == EventFedBack && to == EventHandling && reason == "":
		return Refuse(CodeCaseReasonRequired, "reason", Term("to", to))
	case to == EventFedBack && strings.TrimSpace(mv.Result) == "":
		return Refuse(CodeCaseResultRequired, "result")
	case to == EventDispatched && len(nonEmpty(mv.Units)) == 0:
		return Refuse(CodeCaseUnitsRequired, "units")
	case to != EventDispatched && len(nonEmpty(mv.Units)) > 0:
		return Refuse(CodeCaseUnitsNotHere, "units", Term("to", to))
	}
	return nil
}

// CheckReport checks a reported case on its own: a grid or a point, a
// matter, a description, a known source.
func CheckReport(r *CaseReport) *Refusal {
	r.Description = strings.TrimSpace(r.Description)
	r.Contact = strings.TrimSpace(r.Contact)
	if r.Source == "" {
		r.Source = SourcePatrol
	}
	switch {
	case r.Grid == "" && r.At == nil:
		return Refuse(CodeCaseWhereMissing, "grid")
	case r.Grid != "" && r.At != nil:
		return Refuse(CodeCaseWhereTwice, "grid")
	case r.Grid != "" && !IsGridCode(r.Grid):
		return Refuse(CodeNotAGridCode, "grid", Value("code", r.Grid))
	case strings.TrimSpace(r.Matter) == "":
		return Refuse(CodeMatterUnknown, "matter", Value("matter", ""))
	case r.Description == "":
		return Refuse(CodeCaseDescriptionEmpty, "description")
	case !slices.Contains(EventSources, r.Source):
		return Refuse(CodeCaseSourceUnknown, "source", Value("source", string(r.Source)), Value("allowed", joinStrings(EventSources)))
	}
	return nil
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// NonEmpty is xs without blanks and repeats, trimmed, in order.
func NonEmpty(xs []string) []string { return nonEmpty(xs) }

// HandlingLevels are the center levels a case can be handled at, lowest
// first; escalation moves a case one up.
var HandlingLevels = []string{"grid", "community", "street", "district", "city"}

// NextLevel is the level above a handling level (false at the city).
func NextLevel(level string) (string, bool) {
	i := slices.Index(HandlingLevels, level)
	if i < 0 || i == len(HandlingLevels)-1 {
		return "", false
	}
	return HandlingLevels[i+1], true
}
