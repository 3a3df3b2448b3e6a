package data

import (
	"slices"
	"strings"
	"time"
)

// OrderType is what kind of schedule an order is.
type OrderType string

// Order types.
const (
	OrderDispatch   OrderType = "dispatch"
	OrderPatrol     OrderType = "patrol"
	OrderInspection OrderType = "inspection"
	OrderBriefing   OrderType = "briefing"
)

// OrderTypes lists every order type.
var OrderTypes = []OrderType{OrderDispatch, OrderPatrol, OrderInspection, OrderBriefing}

// Priority is the urgency of an order or an event.
type Priority string

// Priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// OrderState is where an order stands.
type OrderState string

// Order states.
const (
	OrderIssued       OrderState = "issued"
	OrderAcknowledged OrderState = "acknowledged"
	OrderInProgress   OrderState = "in_progress"
	OrderDone         OrderState = "done"
	OrderOverdue      OrderState = "overdue"
	OrderCancelled    OrderState = "cancelled"
)

// OrderStates lists every order state, in workflow order.
var OrderStates = []OrderState{OrderIssued, OrderAcknowledged, OrderInProgress, OrderDone, OrderOverdue, OrderCancelled}

var orderNext = map[OrderState][]OrderState{
	OrderIssued:       {OrderAcknowledged, OrderCancelled, OrderOverdue},
	OrderAcknowledged: {OrderInProgress, OrderCancelled, OrderOverdue},
	OrderInProgress:   {OrderDone, OrderCancelled, OrderOverdue},
	OrderOverdue:      {OrderDone, OrderCancelled},
}

// CanMoveTo reports whether an order may go from s to another state.
func (s OrderState) CanMoveTo(to OrderState) bool { return slices.Contains(orderNext[s], to) }

// Running reports whether an order in this state is still to be carried
// out (it has not ended as done or cancelled).
func (s OrderState) Running() bool { return len(orderNext[s]) > 0 }

// RunningOrderStates are the states of orders still to be carried out.
var RunningOrderStates = filterOrderStates(OrderState.Running)

// DueOrderStates are the states from which an order whose window has ended
// goes overdue.
var DueOrderStates = filterOrderStates(func(s OrderState) bool { return s.CanMoveTo(OrderOverdue) })

func filterOrderStates(keep func(OrderState) bool) []OrderState {
	var out []OrderState
	for _, s := range OrderStates {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// TargetKind is what an order is addressed to.
type TargetKind string

// Target kinds.
const (
	TargetCenter TargetKind = "center"
	TargetUnit   TargetKind = "unit"
	TargetGrid   TargetKind = "grid"
)

// Target is one recipient of an order. UID is its globally unique key.
type Target struct {
	UID  string
	Kind TargetKind
	Code string
}

// KindOfTarget tells a target code's kind by its form: 15 digits a grid,
// "C…" a center, "U…" a unit.
func KindOfTarget(code string) (TargetKind, bool) {
	switch {
	case IsGridCode(code):
		return TargetGrid, true
	case strings.HasPrefix(code, "C") && len(code) > 1:
		return TargetCenter, true
	case strings.HasPrefix(code, "U") && len(code) > 1:
		return TargetUnit, true
	}
	return "", false
}

// Order is a schedule issued by a user. UID is its globally unique key;
// Number is the short number a mirror shows for it ("#12"), unique in that
// mirror only.
type Order struct {
	UID                  string
	Number               int64
	Type                 OrderType
	Task                 string
	Priority             Priority
	State                OrderState
	IssuedBy             string // login
	IssuedAt, Start, End time.Time
	EventCode            string
	Targets              []Target
}

// OrderRequest is an order as a user issues it.
type OrderRequest struct {
	Type      OrderType
	Task      string
	Priority  Priority
	Start     time.Time
	End       time.Time
	Targets   []string // grid codes (15 digits), center codes (C…), unit codes (U…)
	EventCode string   // optional linked event
	Actor     string   // login of the user issuing it
}

// Check applies the rules an order request must keep on its own (the store
// checks its codes and the actor's jurisdiction), filling in the default
// type and priority; it returns the first refusal.
func (r *OrderRequest) Check() error {
	if r.Type == "" {
		r.Type = OrderDispatch
	}
	if r.Priority == "" {
		r.Priority = PriorityNormal
	}
	r.Task = strings.TrimSpace(r.Task)
	switch {
	case !slices.Contains(OrderTypes, r.Type):
		return Refuse(CodeOrderTypeUnknown, "type", Value("type", string(r.Type)), Value("allowed", joinStrings(OrderTypes)))
	case !slices.Contains(Priorities, r.Priority):
		return Refuse(CodePriorityUnknown, "priority", Value("priority", string(r.Priority)), Value("allowed", joinStrings(Priorities)))
	case r.Task == "":
		return Refuse(CodeTaskEmpty, "task")
	case r.Start.IsZero() || r.End.IsZero():
		return Refuse(CodeWindowMissing, "window")
	case !r.End.After(r.Start):
		return Refuse(CodeWindowReversed, "window", Time("start", r.Start), Time("end", r.End))
	case len(r.Targets) == 0:
		return Refuse(CodeTargetsEmpty, "targets")
	}
	return nil
}

func joinStrings[S ~string](xs []S) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = string(x)
	}
	return strings.Join(parts, ", ")
}
