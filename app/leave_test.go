package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/schedule"
)

// A unit on leave in a shift it is planned for: marked from the cell's
// dialog (the period is the shift's), the store has the leave, the roster
// shows a hard "unit unavailable" conflict on the cell, and the unit's
// details list the leave; cancelled from the same dialog, the conflict
// goes. A period typed wrong or reversed is refused in the dialog and
// writes nothing.
func TestLeaveFromTheScheduleTab(t *testing.T) {
	c := newTestConsole(t, "leader_990101")
	s := planWeek49(t, c)
	const grid, unit = "990101001001001", "U9901010010010011"
	row := s.rowOf[grid]
	col := slices.IndexFunc(s.cov.Shifts, func(sh data.Shift) bool { return s.cov.At(row, slices.Index(s.cov.Shifts, sh)).Required > 0 })
	sh := s.cov.Shifts[col]
	if _, err := c.M.AssignPatrol(bg, data.RosterChange{Roster: s.roster.ID, Unit: unit, Grid: grid, Shift: sh.String(), Actor: c.User}, testNow); err != nil {
		t.Fatal(err)
	}
	c.RostersChanged()
	if s.hard != 0 {
		t.Fatalf("conflicts before any leave: %v", s.conflicts)
	}

	// The cell's dialog offers the leave of each unit assigned there.
	s.Table.Select(widget.TableCellID{Row: row, Col: col})
	cell := c.Assigning()
	if cell == nil || len(cell.Leave) != 1 {
		t.Fatalf("cell dialog %+v", cell)
	}
	test.Tap(cell.Leave[0])
	d := c.Leaving()
	if c.Assigning() != nil || d == nil || d.Unit.Text != unit || len(d.Leaves) != 0 {
		t.Fatalf("leave dialog on %q, %d leaves listed", d.Unit.Text, len(d.Leaves))
	}
	from, to := sh.Span(s.roster.Shifts)
	if d.From.Text != from.In(beijing).Format(timeLayout) || d.To.Text != to.In(beijing).Format(timeLayout) {
		t.Fatalf("period %s – %s, want the shift's %s – %s", d.From.Text, d.To.Text, from, to)
	}

	// Refused: nothing written, the dialog keeps what was typed.
	leaves := countRows(t, c.M, "unit_leave")
	journal := countRows(t, c.M, "journal")
	d.To.SetText("2026-12-01 25:00")
	test.Tap(d.Mark)
	if !d.Error.Visible() || !strings.Contains(d.Error.Text, "is not YYYY-MM-DD hh:mm") {
		t.Fatalf("bad time: %q", d.Error.Text)
	}
	d.To.SetText(from.Add(-time.Hour).In(beijing).Format(timeLayout))
	test.Tap(d.Mark)
	if !strings.Contains(d.Error.Text, "is not after the start") || d.To.Text == "" {
		t.Fatalf("reversed period: %q", d.Error.Text)
	}
	if countRows(t, c.M, "unit_leave") != leaves || countRows(t, c.M, "journal") != journal {
		t.Fatal("a refused leave wrote something")
	}

	// Marked: in the store, listed, and a hard conflict in the roster.
	d.To.SetText(to.In(beijing).Format(timeLayout))
	d.Reason.SetText("培训")
	test.Tap(d.Mark)
	if d.Error.Visible() || !d.Done.Visible() {
		t.Fatalf("marking: %q", d.Error.Text)
	}
	stored, err := c.M.Leaves(bg, unit, from, to)
	if err != nil || len(stored) != 1 || stored[0].Reason != "培训" || !stored[0].Start.Equal(from) || !stored[0].End.Equal(to) {
		t.Fatalf("stored %+v, %v", stored, err)
	}
	if len(d.Leaves) != 1 || len(d.End) != 1 || d.End[0].Text != "Cancel leave" {
		t.Fatalf("listed %+v", d.Leaves)
	}
	k := slices.IndexFunc(s.conflicts, func(k schedule.Conflict) bool { return k.Kind == schedule.UnitUnavailable && k.Unit == unit })
	if k < 0 || !s.conflicts[k].Hard || s.hard == 0 || !strings.Contains(c.conflictText(s.conflicts[k]), "hard: unit unavailable") {
		t.Fatalf("conflicts after the leave: %+v", s.conflicts)
	}
	if i, _ := s.cellOf(grid, sh); s.marks[i] != markHard || !s.conflictBox.Visible() || s.Hard.Importance != widget.DangerImportance {
		t.Fatal("the cell of the unit on leave is not marked")
	}
	if !strings.Contains(s.Message.Text, unit+" on leave") {
		t.Fatalf("tab message %q", s.Message.Text)
	}
	test.Tap(s.PublishBtn)
	if s.roster.State == data.RosterPublished {
		t.Fatal("published with a unit on leave")
	}

	// The unit's details list the leave and offer the dialog.
	c.ShowDetail(unit)
	if txt := c.DetailText(); !strings.Contains(txt, "**Leave**") || !strings.Contains(txt, leaveSpan(stored[0])+" · 培训") {
		t.Fatalf("unit details: %s", txt)
	}
	if c.DetailLinks()["Leave…"] == nil {
		t.Fatal("the unit's details have no leave link")
	}

	// Cancelled (not begun): gone from the store and the roster.
	test.Tap(d.End[0])
	if ls, _ := c.M.Leaves(bg, unit, from, to); len(ls) != 0 {
		t.Fatalf("still stored: %+v", ls)
	}
	if s.hard != 0 || len(d.Leaves) != 0 || !strings.Contains(d.Done.Text, "cancelled") {
		t.Fatalf("after cancelling: %d hard, %d listed, %q", s.hard, len(d.Leaves), d.Done.Text)
	}
	if strings.Contains(c.DetailText(), "培训") {
		t.Fatal("the details still list the cancelled leave")
	}
	d.dlg.Hide()
	if c.Leaving() != nil {
		t.Fatal("the dialog is still on show")
	}

	// The tab's button opens the dialog on the unit the details show.
	test.Tap(s.LeaveBtn)
	if d := c.Leaving(); d == nil || d.Unit.Text != unit {
		t.Fatal("Leave… does not open on the unit shown")
	}
}

// A leave under way is ended now from the dialog, and one outside the
// user's jurisdiction is refused with its reason.
func TestLeaveEndedNowAndRefused(t *testing.T) {
	c := newTestConsole(t, "leader_990101")
	const unit = "U9901010010010011"
	if _, err := c.M.MarkLeave(bg, unit, testNow.Add(-time.Hour), testNow.Add(30*time.Hour), "检修", "leader", testNow); err != nil {
		t.Fatal(err)
	}
	c.OpenLeaveDialog(unit, nil)
	d := c.Leaving()
	if len(d.Leaves) != 1 || d.End[0] == nil || d.End[0].Text != "End now" {
		t.Fatalf("listed %+v", d.Leaves)
	}
	test.Tap(d.End[0])
	ls, err := c.M.Leaves(bg, unit, testNow.Add(-2*time.Hour), testNow.Add(48*time.Hour))
	if err != nil || len(ls) != 1 || !ls[0].End.Equal(testNow) {
		t.Fatalf("ended: %+v %v", ls, err)
	}
	if len(d.End) != 1 || d.End[0] != nil || !strings.Contains(d.Done.Text, "ended") {
		t.Fatalf("after ending: %d buttons, %q", len(d.End), d.Done.Text)
	}
	// Another under way, ended meanwhile at another console: ending it
	// here is refused as over already, and it is listed as over.
	uid, err := c.M.MarkLeave(bg, unit, testNow.Add(-time.Hour), testNow.Add(5*time.Hour), "培训", "leader", testNow)
	if err != nil {
		t.Fatal(err)
	}
	c.listLeave(d)
	i := slices.IndexFunc(d.Leaves, func(l mirror.Leave) bool { return l.UID == uid })
	if i < 0 || d.End[i] == nil {
		t.Fatalf("listed %+v", d.Leaves)
	}
	if err := c.M.EndLeave(bg, uid, "leader", testNow); err != nil {
		t.Fatal(err)
	}
	journal := countRows(t, c.M, "journal")
	test.Tap(d.End[i])
	if want := "leave " + uid + " is over already (it ended " + testNow.In(beijing).Format("2006-01-02 15:04") + ")"; !strings.Contains(d.Error.Text, want) {
		t.Fatalf("ending a leave over: %q, want %q", d.Error.Text, want)
	}
	if countRows(t, c.M, "journal") != journal || d.End[slices.IndexFunc(d.Leaves, func(l mirror.Leave) bool { return l.UID == uid })] != nil {
		t.Fatal("a leave over was ended again, or still offers to be")
	}
	d.Unit.SetText("U9901020012010011")
	test.Tap(d.Mark)
	if !strings.Contains(d.Error.Text, "outside your jurisdiction") || countRows(t, c.M, "journal") != journal {
		t.Fatalf("another district's unit: %q", d.Error.Text)
	}
}
