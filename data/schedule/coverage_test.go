package schedule

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"kapok/data"
)

// week49 starts on Monday 30 November 2026.
var week49 = data.Week{Year: 2026, Num: 49}

// on is the named shift of the day-th day (0 Monday) of week 49.
func on(day int, name string) data.Shift {
	return data.Shift{Day: week49.Monday().AddDate(0, 0, day), Name: name}
}

func assign(unit, grid string, s data.Shift) data.Assignment {
	return data.Assignment{Unit: unit, Grid: grid, Shift: s}
}

// col is a shift's column under a table (the test's own reckoning).
func col(t *testing.T, c Coverage, s data.Shift) int {
	t.Helper()
	for i, w := range c.Shifts {
		if w.Name == s.Name && w.Day.Equal(s.Day) {
			return i
		}
	}
	t.Fatalf("%v is not a shift of the coverage", s)
	return -1
}

func TestCover(t *testing.T) {
	p := &Plan{
		Week:   week49,
		Shifts: data.DefaultShifts,
		Rules:  data.DefaultPatrolRules(), // commercial 1/2/2, residential 1/1/1, village 0/1/1 (day/evening/night), +1 high risk
		Grids: []Grid{
			{Code: "G1", Kind: "commercial"},
			{Code: "G2", Kind: "residential", HighRisk: true},
			{Code: "G3", Kind: "village"},
			{Code: "G4", Kind: "unlisted"},
		},
		Units: []Unit{{Code: "u1"}, {Code: "u2"}, {Code: "u4"}},
		Assignments: []data.Assignment{
			assign("u1", "G1", on(0, "day")),
			assign("u1", "G1", on(0, "day")), // the same again: once
			assign("u2", "G1", on(0, "day")), // more than required
			assign("u4", "G1", on(0, "evening")),
			assign("u1", "G2", on(0, "evening")),
			assign("u3", "G2", on(0, "evening")), // an unknown unit still patrols: Check reports it
			assign("u2", "Z99", on(0, "day")),    // unknown grid: left out
			assign("u2", "G3", on(-1, "evening")),
			assign("u2", "G3", data.Shift{Day: on(0, "night").Day.Add(8 * time.Hour), Name: "night"}), // not at midnight
			assign("u2", "G3", on(0, "noon")),                                            // not in the table
			assign("u2", "G3", data.Shift{Day: on(1, "night").Day.UTC(), Name: "night"}), // Tuesday, in UTC
		},
	}
	c := Cover(p)
	if len(c.Shifts) != 21 || c.Shifts[0] != on(0, "night") || c.Shifts[1].Name != "day" || c.Shifts[20].Name != "evening" {
		t.Fatalf("shifts %v", c.Shifts)
	}
	if !reflect.DeepEqual(c.Grids, []string{"G1", "G2", "G3", "G4"}) || len(c.Cells) != 4*21 {
		t.Fatalf("grids %v, %d cells", c.Grids, len(c.Cells))
	}
	required := map[string]map[string]int{
		"G1": {"night": 2, "day": 1, "evening": 2},
		"G2": {"night": 2, "day": 2, "evening": 2},
		"G3": {"night": 1, "day": 0, "evening": 1},
		"G4": {"night": 0, "day": 0, "evening": 0},
	}
	planned := map[[2]int]int{
		{0, col(t, c, on(0, "day"))}:     2,
		{0, col(t, c, on(0, "evening"))}: 1,
		{1, col(t, c, on(0, "evening"))}: 2,
		{2, col(t, c, on(1, "night"))}:   1,
	}
	for g := range c.Grids {
		for s, sh := range c.Shifts {
			want := Cell{Required: required[c.Grids[g]][sh.Name], Planned: planned[[2]int{g, s}]}
			if got := c.At(g, s); got != want {
				t.Errorf("%s %v: %+v, want %+v", c.Grids[g], sh, got, want)
			}
		}
	}

	// 91 required: G1 5 a day, G2 6, G3 2, over 7 days; 56 cells require
	// some. Planned that count: 1 (G1 Monday day, 2 of 1), 1 (G1 Monday
	// evening, 1 of 2), 2, 1.
	want := Summary{Required: 91, Planned: 5, Gaps: 53, Covered: 3, Under: 1, Uncovered: 52}
	if got := c.Summary(); got != want {
		t.Errorf("summary %+v, want %+v", got, want)
	}
	gaps := c.Gaps()
	missing := 0
	for _, g := range gaps {
		missing += g.Missing
	}
	if len(gaps) != 53 || missing != 86 {
		t.Errorf("%d gaps missing %d, want 53 missing 86", len(gaps), missing)
	}
	first := []Gap{{"G1", on(0, "night"), 2}, {"G1", on(0, "evening"), 1}, {"G1", on(1, "night"), 2}}
	if !reflect.DeepEqual(gaps[:3], first) {
		t.Errorf("first gaps %v, want %v", gaps[:3], first)
	}
	if last := gaps[len(gaps)-1]; last != (Gap{"G3", on(6, "evening"), 1}) {
		t.Errorf("last gap %v", last)
	}
}

// A district's own table: two 12-hour shifts.
func TestCoverDistrictShifts(t *testing.T) {
	p := &Plan{
		Week:   week49,
		Shifts: twelveHours,
		Rules:  data.PatrolRules{Required: map[string]map[string]int{"residential": {"am": 1, "pm": 2}}},
		Grids:  []Grid{{Code: "R1", Kind: "residential"}},
		Assignments: []data.Assignment{
			assign("u1", "R1", on(2, "am")),
			assign("u2", "R1", on(2, "pm")),
			assign("u3", "R1", on(2, "pm")),
			assign("u1", "R1", on(2, "day")), // the default table's name: not this district's
		},
	}
	c := Cover(p)
	if len(c.Shifts) != 14 || c.Shifts[4] != on(2, "am") || c.Shifts[5] != on(2, "pm") {
		t.Fatalf("shifts %v", c.Shifts)
	}
	for s, sh := range c.Shifts {
		want := Cell{Required: map[string]int{"am": 1, "pm": 2}[sh.Name]}
		if s == 4 {
			want.Planned = 1
		}
		if s == 5 {
			want.Planned = 2
		}
		if got := c.At(0, s); got != want {
			t.Errorf("%v: %+v, want %+v", sh, got, want)
		}
	}
	if got, want := c.Summary(), (Summary{Required: 21, Planned: 3, Gaps: 12, Covered: 2, Uncovered: 12}); got != want {
		t.Errorf("summary %+v, want %+v", got, want)
	}
}

// A cell many units crowd into, each twice, is looked up in a map past
// maxChain units: counted the same.
func TestCoverCrowdedCell(t *testing.T) {
	p := &Plan{Week: week49, Shifts: data.DefaultShifts, Rules: data.DefaultPatrolRules(), Grids: []Grid{{Code: "G1", Kind: "special"}}}
	for round := range 2 {
		for u := range 3 * maxChain {
			p.Assignments = append(p.Assignments, assign(string(rune('a'+u%26))+string(rune('a'+u/26)), "G1", on(3, "night")))
		}
		if round == 0 {
			p.Assignments = append(p.Assignments, assign("other", "G1", on(3, "day")))
		}
	}
	c := Cover(p)
	if got := c.At(0, col(t, c, on(3, "night"))); got != (Cell{Required: 2, Planned: 3 * maxChain}) {
		t.Errorf("crowded cell %+v", got)
	}
	if got := c.At(0, col(t, c, on(3, "day"))); got != (Cell{Required: 2, Planned: 1}) {
		t.Errorf("its neighbour %+v", got)
	}
}

// A grid code listed twice: both rows are that grid.
func TestCoverRepeatedGrid(t *testing.T) {
	p := &Plan{Week: week49, Shifts: data.DefaultShifts, Rules: data.DefaultPatrolRules(),
		Grids:       []Grid{{Code: "A", Kind: "commercial"}, {Code: "B"}, {Code: "A", Kind: "village"}},
		Assignments: []data.Assignment{assign("u1", "A", on(0, "day"))}}
	c := Cover(p)
	s := col(t, c, on(0, "day"))
	if c.At(0, s) != (Cell{1, 1}) || c.At(1, s) != (Cell{0, 0}) || c.At(2, s) != (Cell{0, 1}) {
		t.Errorf("cells %v %v %v", c.At(0, s), c.At(1, s), c.At(2, s))
	}
}

func TestCoverAtOutOfRange(t *testing.T) {
	c := Cover(&Plan{Week: week49, Shifts: data.DefaultShifts, Grids: []Grid{{Code: "A"}, {Code: "B"}}})
	defer func() {
		if recover() == nil {
			t.Error("At(0, 21) of a 21-shift week did not panic (it would have read the next grid's cell)")
		}
	}()
	c.At(0, 21)
}

func TestShiftAt(t *testing.T) {
	monday := week49.Monday()
	h := func(hours float64) time.Time { return monday.Add(time.Duration(hours * float64(time.Hour))) }
	second := time.Second
	for _, tc := range []struct {
		defs []data.ShiftDef
		at   time.Time
		want int // -1: none
	}{
		{data.DefaultShifts, h(0), 0}, // Monday night
		{data.DefaultShifts, h(8).Add(-second), 0},
		{data.DefaultShifts, h(8), 1},  // day
		{data.DefaultShifts, h(16), 2}, // evening, not day
		{data.DefaultShifts, h(24), 3}, // Tuesday night
		{data.DefaultShifts, h(24).UTC(), 3},
		{data.DefaultShifts, h(7 * 24).Add(-second), 20},
		{data.DefaultShifts, h(7 * 24), -1},
		{data.DefaultShifts, h(0).Add(-second), -1},
		{twelveHours, h(11.5), 0},
		{twelveHours, h(12), 1},
		{twelveHours, h(36), 3},
		{withBreaks, h(5), -1},
		{withBreaks, h(6), 0},
		{withBreaks, h(10), -1}, // early ends at 10
		{withBreaks, h(13.99), -1},
		{withBreaks, h(14), 1},
		{withBreaks, h(22), -1},
		{withBreaks, h(24 + 7), 2},
	} {
		c := Cover(&Plan{Week: week49, Shifts: tc.defs})
		got, ok := c.ShiftAt(tc.at, tc.defs)
		if ok != (tc.want >= 0) || ok && got != tc.want {
			t.Errorf("%v under %v: %d %v, want %d", tc.at, tc.defs, got, ok, tc.want)
		}
	}
}

// Cover, Gaps, Summary and ShiftAt agree with the naive ones on random
// plans.
func TestCoverAgreesWithNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		p := randomPlan(r)
		got, want := Cover(p), naiveCover(p)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("plan %d %+v:\ncover %+v\nnaive %+v", i, p, got, want)
		}
		if g, w := got.Gaps(), naiveGaps(want); !reflect.DeepEqual(g, w) {
			t.Fatalf("plan %d: gaps %v, naive %v", i, g, w)
		}
		if g, w := got.Summary(), naiveSummary(want); g != w {
			t.Fatalf("plan %d: summary %+v, naive %+v", i, g, w)
		}
		for range 5 {
			at := p.Week.Monday().Add(time.Duration(r.Int64N(int64(9*24*time.Hour))) - 24*time.Hour).Truncate(30 * time.Minute)
			gs, gok := got.ShiftAt(at, p.Shifts)
			ws, wok := naiveShiftAt(want, at, p.Shifts)
			if gs != ws || gok != wok {
				t.Fatalf("plan %d: ShiftAt(%v) %d %v, naive %d %v", i, at, gs, gok, ws, wok)
			}
		}
	}
}
