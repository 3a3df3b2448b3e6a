package schedule

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"kapok/data"
)

func hard(k ConflictKind, unit, grid string, s data.Shift) Conflict {
	return Conflict{Kind: k, Hard: true, Unit: unit, Grid: grid, Shift: s}
}

func doubleBooked(unit, grid string, s data.Shift) Conflict {
	c := hard(DoubleBooked, unit, grid, s)
	c.Other = s
	return c
}

func rest(unit, grid string, later, earlier data.Shift) Conflict {
	c := hard(TooLittleRest, unit, grid, later)
	c.Other = earlier
	return c
}

func lent(unit, grid string, s data.Shift, isHard bool) Conflict {
	c := hard(Lent, unit, grid, s)
	c.Hard = isHard
	return c
}

func listed(cs []Conflict) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\n\t%s %s hard=%v %s%s %s other=%s count=%d %s", c.Unit, c.Kind, c.Hard, c.Grid, c.Route, c.Shift, c.Other, c.Count, c.Roster)
	}
	return b.String()
}

func TestCheck(t *testing.T) {
	// Streets A and B; u1 lives in A01, u2 in B01.
	base := func() *Plan {
		return &Plan{
			Week:   week49,
			Shifts: data.DefaultShifts,
			Rules:  data.PatrolRules{MaxShifts: 6, MinRest: 8 * time.Hour, AllowLending: true},
			Grids:  []Grid{{Code: "A01", Street: "A"}, {Code: "A02", Street: "A"}, {Code: "B01", Street: "B"}},
			Units:  []Unit{{Code: "u1", Street: "A", Grid: "A01"}, {Code: "u2", Street: "B", Grid: "B01"}},
		}
	}
	beforeWeek := on(-1, "evening") // Sunday 29 November, week 48
	notMidnight := data.Shift{Day: on(0, "night").Day.Add(8 * time.Hour), Name: "night"}
	for _, tc := range []struct {
		name   string
		change func(*Plan)
		as     []data.Assignment
		want   []Conflict
	}{
		{
			name: "clean: a day then the next day's day is 16 h of rest",
			as: []data.Assignment{assign("u1", "A01", on(0, "day")), assign("u1", "A02", on(1, "day")),
				assign("u2", "B01", on(0, "evening"))},
		},
		{
			name: "the same assignment twice is one",
			as:   []data.Assignment{assign("u1", "A01", on(0, "day")), assign("u1", "A01", on(0, "day"))},
		},
		{
			name: "double booked: one conflict per grid",
			as: []data.Assignment{assign("u1", "A02", on(0, "day")), assign("u1", "A01", on(0, "day")),
				assign("u1", "A01", on(0, "day")), assign("u2", "B01", on(0, "day"))},
			want: []Conflict{doubleBooked("u1", "A01", on(0, "day")), doubleBooked("u1", "A02", on(0, "day"))},
		},
		{
			name: "rest across midnight: evening 16-24 then the next night 00-08 is 0 h",
			as:   []data.Assignment{assign("u1", "A01", on(1, "night")), assign("u1", "A01", on(0, "evening"))},
			want: []Conflict{rest("u1", "A01", on(1, "night"), on(0, "evening"))},
		},
		{
			name: "rest within a day: night then day, day then evening; night then evening is 8 h, enough",
			as: []data.Assignment{assign("u1", "A01", on(2, "evening")), assign("u1", "A01", on(2, "day")),
				assign("u1", "A01", on(2, "night"))},
			want: []Conflict{rest("u1", "A01", on(2, "day"), on(2, "night")), rest("u1", "A01", on(2, "evening"), on(2, "day"))},
		},
		{
			name:   "8 h is short of 9",
			change: func(p *Plan) { p.Rules.MinRest = 9 * time.Hour },
			as:     []data.Assignment{assign("u1", "A01", on(2, "night")), assign("u1", "A02", on(2, "evening"))},
			want:   []Conflict{rest("u1", "A02", on(2, "evening"), on(2, "night"))},
		},
		{
			name:   "every pair too close: 30 h from Monday evening reaches Wednesday 06:00",
			change: func(p *Plan) { p.Rules.MinRest = 30 * time.Hour },
			as: []data.Assignment{assign("u1", "A01", on(0, "evening")), assign("u1", "A01", on(1, "day")),
				assign("u1", "A01", on(2, "night")), assign("u1", "A01", on(2, "day"))},
			want: []Conflict{
				rest("u1", "A01", on(1, "day"), on(0, "evening")),   // 8 h
				rest("u1", "A01", on(2, "night"), on(0, "evening")), // 24 h
				rest("u1", "A01", on(2, "night"), on(1, "day")),     // 8 h
				rest("u1", "A01", on(2, "day"), on(1, "day")),       // 16 h; from Monday evening 32 h
				rest("u1", "A01", on(2, "day"), on(2, "night")),     // 0 h
			},
		},
		{
			name: "a short rest into a double-booked shift names its first grid",
			as: []data.Assignment{assign("u1", "B01", on(1, "night")), assign("u1", "A02", on(1, "night")),
				assign("u1", "A01", on(0, "evening"))},
			want: []Conflict{
				doubleBooked("u1", "A02", on(1, "night")), doubleBooked("u1", "B01", on(1, "night")),
				rest("u1", "A02", on(1, "night"), on(0, "evening")),
				lent("u1", "B01", on(1, "night"), false),
			},
		},
		{
			name: "a district's two 12-hour shifts: am then pm, and pm then the next am, are 0 h",
			change: func(p *Plan) {
				p.Shifts = twelveHours
			},
			as: []data.Assignment{
				assign("u1", "A01", on(0, "am")), assign("u1", "A01", on(0, "pm")), assign("u1", "A01", on(2, "am")), // am to am: 12 h
				assign("u2", "B01", on(3, "pm")), assign("u2", "B01", on(4, "am")),
				assign("u2", "B01", on(5, "day")), // the default table's name
			},
			want: []Conflict{
				rest("u1", "A01", on(0, "pm"), on(0, "am")),
				rest("u2", "B01", on(4, "am"), on(3, "pm")),
				hard(ShiftOutsideWeek, "u2", "B01", on(5, "day")),
			},
		},
		{
			name:   "too many shifts: a double-booked shift counts once; on the first over the limit",
			change: func(p *Plan) { p.Rules.MaxShifts = 2 },
			as: []data.Assignment{
				assign("u1", "A01", on(3, "day")), assign("u1", "A02", on(1, "day")), assign("u1", "A01", on(1, "day")),
				assign("u1", "A01", on(0, "day")), assign("u1", "A02", on(2, "day")), assign("u2", "B01", on(0, "day")),
			},
			want: []Conflict{
				doubleBooked("u1", "A01", on(1, "day")), doubleBooked("u1", "A02", on(1, "day")),
				{Kind: TooManyShifts, Hard: true, Unit: "u1", Grid: "A02", Shift: on(2, "day"), Count: 4},
			},
		},
		{
			name:   "rules that set no maximum set no limit",
			change: func(p *Plan) { p.Rules.MaxShifts = 0 },
			as:     []data.Assignment{assign("u1", "A01", on(0, "day")), assign("u1", "A01", on(1, "day")), assign("u1", "A01", on(2, "day"))},
		},
		{
			name:   "unavailable, the shift given in UTC",
			change: func(p *Plan) { p.Units[0].Unavailable = map[string]bool{"2026-12-01/day": true} },
			as: []data.Assignment{assign("u1", "A01", data.Shift{Day: on(1, "day").Day.UTC(), Name: "day"}),
				assign("u1", "A01", on(2, "day")), assign("u2", "B01", on(1, "day"))},
			want: []Conflict{hard(UnitUnavailable, "u1", "A01", on(1, "day"))},
		},
		{
			name:   "outside the jurisdiction: the grid, the unit's home, or both (once)",
			change: func(p *Plan) { p.Jurisdiction = "A" },
			as: []data.Assignment{assign("u2", "B01", on(1, "day")), assign("u2", "A01", on(0, "day")),
				assign("u1", "B01", on(0, "day")), assign("u1", "A02", on(2, "day"))},
			want: []Conflict{
				hard(OutsideJurisdiction, "u1", "B01", on(0, "day")), lent("u1", "B01", on(0, "day"), false),
				hard(OutsideJurisdiction, "u2", "A01", on(0, "day")), lent("u2", "A01", on(0, "day"), false),
				hard(OutsideJurisdiction, "u2", "B01", on(1, "day")),
			},
		},
		{
			name: "unknown unit and grid: not lent, since one side is unknown",
			as: []data.Assignment{assign("u9", "A01", on(0, "day")), assign("u1", "Z99", on(0, "day")),
				assign("u9", "Z99", on(1, "day"))},
			want: []Conflict{
				hard(UnknownGrid, "u1", "Z99", on(0, "day")),
				hard(UnknownUnit, "u9", "A01", on(0, "day")),
				hard(UnknownUnit, "u9", "Z99", on(1, "day")), hard(UnknownGrid, "u9", "Z99", on(1, "day")),
			},
		},
		{
			name: "shifts outside the week: no rest counted with them",
			as: []data.Assignment{
				assign("u1", "A01", notMidnight), assign("u1", "A01", on(0, "noon")),
				assign("u1", "A01", beforeWeek), assign("u1", "A01", data.Shift{Day: beforeWeek.Day.UTC(), Name: "evening"}),
				assign("u1", "A01", on(0, "night")),
			},
			want: []Conflict{
				hard(ShiftOutsideWeek, "u1", "A01", beforeWeek),
				hard(ShiftOutsideWeek, "u1", "A01", on(0, "noon")), // starts at its Day, as night does: by name
				hard(ShiftOutsideWeek, "u1", "A01", notMidnight),
			},
		},
		{
			name:   "lent is hard when lending is not allowed",
			change: func(p *Plan) { p.Rules.AllowLending = false },
			as:     []data.Assignment{assign("u1", "B01", on(0, "day"))},
			want:   []Conflict{lent("u1", "B01", on(0, "day"), true)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			if tc.change != nil {
				tc.change(p)
			}
			p.Assignments = tc.as
			got := Check(p)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got%s\nwant%s", listed(got), listed(tc.want))
			}
			soft := true
			for _, c := range tc.want {
				soft = soft && !c.Hard
			}
			if Publishable(got) != soft {
				t.Errorf("publishable %v with%s", Publishable(got), listed(got))
			}
		})
	}
}

func TestPublishable(t *testing.T) {
	s := on(0, "day")
	if !Publishable(nil) || !Publishable([]Conflict{lent("u1", "B01", s, false)}) {
		t.Error("a roster without conflicts or with soft ones only is publishable")
	}
	if Publishable([]Conflict{lent("u1", "B01", s, false), hard(UnknownGrid, "u1", "Z", s)}) {
		t.Error("a roster with a hard conflict is not publishable")
	}
}

// Check agrees with the naive one on random plans, order included.
func TestCheckAgreesWithNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	kinds := map[ConflictKind]int{}
	for i := range 5000 {
		p := randomPlan(r)
		got, want := Check(p), naiveCheck(p)
		if len(got) != 0 || len(want) != 0 {
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("plan %d %+v:\ncheck%s\nnaive%s", i, p, listed(got), listed(want))
			}
		}
		for _, c := range got {
			kinds[c.Kind]++
		}
	}
	// The random plans are meant to meet every kind, or agreeing proves less.
	for _, k := range kindOrder {
		if kinds[k] < 20 {
			t.Errorf("only %d %s in the random plans", kinds[k], k)
		}
	}
}
