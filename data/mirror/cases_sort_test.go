package mirror_test

import (
	"slices"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
)

// The queue's orders: by remaining time the most overdue first, then the
// nearest deadline, parked cases after the running ones, cases without a
// deadline last (newest first); by priority, state and report time.
func TestSortCases(t *testing.T) {
	at := func(h int) *time.Time { x := caseNow.Add(time.Duration(h) * time.Hour); return &x }
	row := func(code string, state data.EventState, deadline *time.Time, prio data.Priority, reportedH int) data.CaseRow {
		return data.CaseRow{Event: data.Event{Code: code, State: state, Deadline: deadline, Priority: prio, ReportedAt: *at(reportedH)}}
	}
	rows := []data.CaseRow{
		row("A", data.EventHandling, at(5), data.PriorityNormal, -10),
		row("B", data.EventFiled, nil, data.PriorityUrgent, -2),
		row("C", data.EventParked, at(-100), data.PriorityLow, -200),
		row("D", data.EventHandling, at(-3), data.PriorityHigh, -20),
		row("E", data.EventCollected, nil, data.PriorityNormal, -1),
		row("F", data.EventDispatched, at(1), data.PriorityNormal, -5),
		row("G", data.EventParked, at(-1), data.PriorityNormal, -30),
	}
	for _, tc := range []struct {
		by   string
		want []string
	}{
		{"remaining", []string{"D", "F", "A", "C", "G", "E", "B"}},
		{"priority", []string{"B", "D", "A", "E", "F", "G", "C"}},
		{"state", []string{"E", "B", "F", "A", "D", "C", "G"}},
		{"reported", []string{"E", "B", "F", "A", "D", "G", "C"}},
	} {
		work := slices.Clone(rows)
		mirror.SortCases(work, tc.by)
		got := make([]string, len(work))
		for i, r := range work {
			got[i] = r.Code
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("by %s: %v, want %v", tc.by, got, tc.want)
		}
	}
}
