package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/schedule"
)

// The coverage added up per street: patrols required and planned (planned
// counted up to what a cell requires), cells covered, under-covered and
// uncovered, in one shift or the whole week; worst first, streets
// requiring nothing last.
func TestStreetCoverage(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, data.BeijingTime)
	k := func(required, planned int) schedule.Cell { return schedule.Cell{Required: required, Planned: planned} }
	cov := schedule.Coverage{
		Shifts: []data.Shift{{Day: day, Name: "day"}, {Day: day, Name: "evening"}},
		Grids:  []string{"990101001001001", "990101002001001", "990101001001002", "990101003001001", "990101002001002"},
		Cells: []schedule.Cell{
			k(2, 3), k(1, 0), // street 001: over-planned by day (counts 2), bare in the evening
			k(1, 1), k(2, 1), // street 002
			k(1, 0), k(0, 0), // street 001
			k(0, 1), k(0, 0), // street 003: nothing required, one planned
			k(1, 1), k(0, 0), // street 002
		},
	}
	type row struct {
		street                                              string
		grids, required, planned, covered, under, uncovered int
	}
	for _, tc := range []struct {
		name  string
		shift int
		want  []row
	}{
		{"whole week", -1, []row{
			{"990101001", 2, 4, 2, 1, 0, 2}, // 50%
			{"990101002", 2, 4, 3, 2, 1, 0}, // 75%
			{"990101003", 1, 0, 0, 0, 0, 0}, // nothing required: last
		}},
		{"day", 0, []row{
			{"990101001", 2, 3, 2, 1, 0, 1}, // 67%
			{"990101002", 2, 2, 2, 2, 0, 0}, // 100%
			{"990101003", 1, 0, 0, 0, 0, 0},
		}},
		{"evening", 1, []row{
			{"990101001", 2, 1, 0, 0, 0, 1}, // 0%, one uncovered
			{"990101002", 2, 2, 1, 0, 1, 0}, // 50%
			{"990101003", 1, 0, 0, 0, 0, 0},
		}},
		{"a shift past the week", 2, nil},
	} {
		var got []row
		for _, s := range streetCoverage(cov, tc.shift) {
			got = append(got, row{s.Street, s.Grids, s.Required, s.Planned, s.Covered, s.Under, s.Uncovered})
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.name, got, tc.want)
		}
	}
	if s := (StreetCoverage{Required: 4, Planned: 3}); s.Share() != 0.75 {
		t.Errorf("share %v", s.Share())
	}
	if s := (StreetCoverage{}); s.Share() >= 0 {
		t.Errorf("a street requiring nothing has share %v", s.Share())
	}
	// Ties: the same share, the more uncovered cells first, then by code.
	tie := schedule.Coverage{
		Shifts: cov.Shifts[:1],
		Grids:  []string{"990101009001001", "990101008001001", "990101008001002", "990101007001001"},
		Cells:  []schedule.Cell{k(2, 1), k(1, 1), k(1, 0), k(2, 1)},
	}
	var order []string
	for _, s := range streetCoverage(tie, 0) {
		order = append(order, s.Street)
	}
	if want := []string{"990101008", "990101007", "990101009"}; !slices.Equal(order, want) {
		t.Errorf("ties ordered %v, want %v", order, want)
	}
}

// The Schedules tab's coverage by street lists the roster's streets, worst
// first, with the figures of the week grid; choosing a shift narrows it,
// and tapping a street chooses it on the map (its grids selected) without
// changing the roster shown.
func TestScheduleTabCoverageByStreet(t *testing.T) {
	c := newTestConsole(t, "leader")
	const district = "990101"
	c.Choose(district)
	s := planWeek49(t, c)
	test.Tap(s.FillBtn)
	s.Views.SelectIndex(1)
	if s.view != 1 {
		t.Fatal("the street view is not the one shown")
	}
	streets := c.StreetsShown()
	var want []string
	for _, g := range s.cov.Grids {
		if st := g[:9]; !slices.Contains(want, st) {
			want = append(want, st)
		}
	}
	if len(streets) != len(want) || len(streets) < 2 {
		t.Fatalf("%d streets listed, the roster has %d", len(streets), len(want))
	}
	sum := s.cov.Summary()
	var req, planned, gaps int
	for i, st := range streets {
		req, planned, gaps = req+st.Required, planned+st.Planned, gaps+st.Under+st.Uncovered
		if i > 0 && streets[i-1].Share() >= 0 && st.Share() >= 0 && streets[i-1].Share() > st.Share() {
			t.Fatalf("street %s (%.2f) listed after %s (%.2f)", st.Street, st.Share(), streets[i-1].Street, streets[i-1].Share())
		}
	}
	if req != sum.Required || planned != sum.Planned || gaps != sum.Gaps {
		t.Fatalf("streets add up to %d required, %d planned, %d gaps; the roster %+v", req, planned, gaps, sum)
	}
	if rows, cols := s.Streets.Length(); rows != len(streets) || cols != 8 {
		t.Fatalf("table %d × %d", rows, cols)
	}
	o := s.Streets.CreateCell()
	s.Streets.UpdateCell(widget.TableCellID{Row: 0, Col: 0}, o)
	if name := o.(*widget.Label).Text; name != c.regionName(streets[0].Street) {
		t.Fatalf("first row named %q", name)
	}
	s.Streets.UpdateCell(widget.TableCellID{Row: 0, Col: 7}, o)
	if l := o.(*widget.Label); !strings.HasSuffix(l.Text, "%") || streets[0].Share() < 1 && l.Importance == widget.SuccessImportance {
		t.Fatalf("first row's share %q (%v)", l.Text, l.Importance)
	}

	// One shift: the figures of that column of the week grid.
	s.StreetShift.SetSelectedIndex(2)
	if s.streetPick != 2 {
		t.Fatalf("shift chosen %d", s.streetPick)
	}
	required := 0
	for _, st := range c.StreetsShown() {
		required += st.Required
	}
	colRequired := 0
	for g := range s.cov.Grids {
		colRequired += s.cov.At(g, 1).Required
	}
	if required != colRequired {
		t.Fatalf("shift 1: streets require %d, the column %d", required, colRequired)
	}

	// Tapping a street: chosen on the map; the tab keeps its roster.
	id, street := s.roster.ID, c.StreetsShown()[0].Street
	s.Streets.Select(widget.TableCellID{Row: 0, Col: 2})
	settle(t, c)
	sel := c.Selected()
	if len(sel) == 0 || !strings.HasPrefix(sel[0], street) || !strings.HasPrefix(sel[len(sel)-1], street) {
		t.Fatalf("tapping %s selected %d grids: %v…", street, len(sel), sel[:min(3, len(sel))])
	}
	c.RightTabs.SelectIndex(0)
	c.RightTabs.SelectIndex(3)
	if s.region != district || s.roster.ID != id || s.streetPick != 2 || s.Views.SelectedIndex() != 1 {
		t.Fatalf("after choosing a street: region %s, roster %s, shift %d", s.region, s.roster.ID, s.streetPick)
	}
}
