package mirror_test

import (
	"slices"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
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

// With a Limit the queue is sorted by SQLite and only the first rows are
// read: they are the first rows of the whole queue sorted by SortCases,
// for every order and for filters that pick open, all, overdue and one
// district's cases; CaseCounts counts what the whole queue lists.
func TestCaseOrderInSQLIsSortCases(t *testing.T) {
	m := fixture.City(t)
	codes := func(rows []data.CaseRow) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.Code
		}
		return out
	}
	var ordered, warned, overdue int
	for _, now := range []time.Time{fixture.AsOf, fixture.AsOf.Add(6 * time.Hour), fixture.AsOf.Add(30 * time.Hour), fixture.AsOf.Add(240 * time.Hour)} {
		for _, f := range []data.CaseFilter{{}, {All: true}, {All: true, Overdue: true}, {Region: "990102"}, {All: true, Category: "city_management", Source: data.SourcePatrol}, {States: []data.EventState{data.EventParked, data.EventHandling}}} {
			for _, by := range []string{"remaining", "priority", "state", "reported"} {
				f.Sort = by
				whole, err := m.Cases(ctx, f, now)
				if err != nil {
					t.Fatal(err)
				}
				if len(whole) >= 4 {
					ordered++
				}
				for _, limit := range []int{1, 3, len(whole) / 4, len(whole) / 2, 3 * len(whole) / 4, len(whole) - 1, len(whole) + 5} {
					if limit < 1 {
						continue // 0 is no limit
					}
					f.Limit = limit
					first, err := m.Cases(ctx, f, now)
					if err != nil {
						t.Fatal(err)
					}
					if want := codes(whole[:min(limit, len(whole))]); !slices.Equal(codes(first), want) {
						t.Fatalf("%+v: the first %d by SQL %v, by SortCases %v", f, limit, codes(first), want)
					}
				}
				f.Limit = 0
				n, err := m.CaseCounts(ctx, f, now)
				if err != nil {
					t.Fatal(err)
				}
				var want data.CaseCounts
				for _, r := range whole {
					want.All++
					switch {
					case r.Clock.State == data.ClockWarning:
						want.Warning++
					case r.Deadline != nil && (r.ClosedAt == nil && r.Deadline.Before(now) || r.ClosedAt != nil && r.ClosedAt.After(*r.Deadline)):
						want.Overdue++
					}
				}
				if n != want {
					t.Fatalf("%+v: counts %+v, the listed cases %+v", f, n, want)
				}
				warned += n.Warning
				overdue += n.Overdue
			}
		}
	}
	if ordered < 20 || warned == 0 || overdue == 0 {
		t.Fatalf("too little to test: %d orders of 4 cases or more, %d yellow cards, %d overdue", ordered, warned, overdue)
	}
}
