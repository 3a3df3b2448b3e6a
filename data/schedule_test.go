package data

import (
	"errors"
	"testing"
	"time"
)

func TestWeeks(t *testing.T) {
	for _, tc := range []struct {
		in     string
		monday string
	}{
		{"2026-W49", "2026-11-30"},
		{"2026-W01", "2025-12-29"}, // week 1 holds 4 January
		{"2026-W53", "2026-12-28"}, // 2026 has 53 weeks (it starts on a Thursday)
		{"2027-W01", "2027-01-04"},
	} {
		w, err := ParseWeek(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got := w.Monday().Format("2006-01-02"); got != tc.monday || w.String() != tc.in {
			t.Errorf("%s: Monday %s, want %s (%s)", tc.in, got, tc.monday, w)
		}
		if WeekOf(w.Monday().Add(6*24*time.Hour+23*time.Hour)) != w || WeekOf(w.Monday().Add(-time.Second)) == w {
			t.Errorf("%s: WeekOf does not bound the week", tc.in)
		}
	}
	for _, bad := range []string{"2027-W53", "2026-W00", "2026W49", "2026-W4", "26-W49", "2026-w49", ""} {
		var r *Refusal
		if _, err := ParseWeek(bad); !errors.As(err, &r) || r.Code != CodeWeekMalformed {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestShifts(t *testing.T) {
	w, _ := ParseWeek("2026-W49")
	shifts := WeekShifts(w, DefaultShifts)
	if len(shifts) != 21 || shifts[0].String() != "2026-11-30/night" || shifts[1].String() != "2026-11-30/day" || shifts[20].String() != "2026-12-06/evening" {
		t.Fatalf("%d shifts: %v … %v", len(shifts), shifts[0], shifts[len(shifts)-1])
	}
	s, err := ParseShift("2026-12-01/evening", DefaultShifts)
	if err != nil {
		t.Fatal(err)
	}
	start, end := s.Span(DefaultShifts)
	if start.UTC().Format(time.RFC3339) != "2026-12-01T08:00:00Z" || end.UTC().Format(time.RFC3339) != "2026-12-01T16:00:00Z" {
		t.Errorf("evening of 1 December: %s – %s", start.UTC(), end.UTC())
	}
	for _, bad := range []string{"2026-12-01/dusk", "2026-12-01", "2026-13-01/day", "/day"} {
		if _, err := ParseShift(bad, DefaultShifts); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := CheckShifts(DefaultShifts); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]ShiftDef{
		{{"day", 8, 16}, {"day", 16, 24}},
		{{"a", 8, 16}, {"b", 15, 20}},
		{{"a", 8, 8}},
		{{"a", -1, 8}},
		{{"a/b", 0, 8}},
		{},
		nil,
	} {
		if err := CheckShifts(bad); err == nil {
			t.Errorf("%v accepted", bad)
		} else if r := (*Refusal)(nil); !errors.As(err, &r) || r.Code != CodeShiftsInvalid {
			t.Errorf("%v refused with %v, want %s", bad, err, CodeShiftsInvalid)
		}
	}
}

func TestRequiredPatrols(t *testing.T) {
	r := DefaultPatrolRules()
	if r.RequiredPatrols("commercial", "night", false) <= r.RequiredPatrols("commercial", "day", false) ||
		r.RequiredPatrols("residential", "day", true) != r.RequiredPatrols("residential", "day", false)+r.HighRiskExtra ||
		r.RequiredPatrols("unknown", "day", false) != 0 {
		t.Fatal("the default rules: commercial nights need more than days, high risk adds, an unknown kind needs none")
	}
}

func TestRouteWalkable(t *testing.T) {
	for _, c := range []struct {
		times      string
		start, end int
		want       bool
	}{
		{RouteByDay, 8, 16, true},
		{RouteByDay, 16, 24, false}, // evening: middle 20:00
		{RouteByDay, 0, 8, false},
		{RouteByNight, 16, 24, true},
		{RouteByNight, 0, 8, true},
		{RouteByNight, 8, 16, false},
		{RouteByDay, 6, 7, true},     // middle 06:30
		{RouteByDay, 5, 7, true},     // middle 06:00: day from 06:00
		{RouteByDay, 17, 19, false},  // middle 18:00: night from 18:00
		{RouteByNight, 17, 19, true}, //
		{RouteAllDay, 0, 8, true},
		{RouteAllDay, 8, 16, true},
		{"weekends", 8, 16, false}, // unknown times: never
	} {
		if got := RouteWalkable(c.times, ShiftDef{"s", c.start, c.end}); got != c.want {
			t.Errorf("RouteWalkable(%q, %d-%d) = %v, want %v", c.times, c.start, c.end, got, c.want)
		}
	}
}
