package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"kapok/data"
)

// A center's duty roster edited from its details: a person put on duty in
// the shift under way staffs the center (the details and the board's "No
// one on duty" count say so at once), taken off it is unstaffed again; a
// person not named is refused in the dialog and nothing is written.
func TestDutyEditedFromTheCenterDetails(t *testing.T) {
	c := newTestConsole(t, "leader")
	const center = "C990101001001"
	if _, err := c.M.DB.Exec(`DELETE FROM center_duty WHERE center_code = ?`, center); err != nil {
		t.Fatal(err)
	}
	unstaffed := func() int {
		t.Helper()
		for _, r := range c.BoardRows() {
			if r.Code == "990101" {
				return r.Unstaffed
			}
		}
		t.Fatal("no board row of 990101")
		return 0
	}
	c.ShowBoard("")
	before := unstaffed()
	c.ShowDetail(center)
	if !strings.Contains(c.DetailText(), "Nobody on duty now") || before == 0 {
		t.Fatalf("an unstaffed center: board %d, %s", before, c.DetailText())
	}
	edit := c.DetailLinks()["Edit duty roster…"]
	if edit == nil {
		t.Fatal("the center's details have no link to edit its duty roster")
	}
	edit()
	d := c.DutyEditing()
	if d == nil || d.Center != center || len(d.Duty) != 0 {
		t.Fatalf("duty dialog %+v", d)
	}
	// The shifts offered: from the one under way (10:00 Beijing time: the
	// day shift) to the end of next week.
	if len(d.Shifts) == 0 || d.Shifts[0].String() != "2026-11-25/day" || d.Shift.SelectedIndex() != 0 {
		t.Fatalf("shifts offered from %v", d.Shifts[:min(1, len(d.Shifts))])
	}
	if last := d.Shifts[len(d.Shifts)-1]; last.Day.Format("2006-01-02") != "2026-12-06" {
		t.Fatalf("shifts offered up to %s", last)
	}

	rows, journal := countRows(t, c.M, "center_duty"), countRows(t, c.M, "journal")
	d.Person.SetText("  ")
	test.Tap(d.Add)
	if !d.Error.Visible() || d.Error.Text != "the person on duty is not named" || countRows(t, c.M, "center_duty") != rows || countRows(t, c.M, "journal") != journal {
		t.Fatalf("unnamed person: %q", d.Error.Text)
	}

	d.Person.SetText("王伟")
	d.Phone.SetText("13800000000")
	d.Role.SetSelectedIndex(1)
	test.Tap(d.Add)
	if d.Error.Visible() {
		t.Fatalf("putting on duty: %q", d.Error.Text)
	}
	stored, err := c.M.DutyOf(bg, center, testNow, testNow.Add(time.Minute))
	if err != nil || len(stored) != 1 || stored[0].Person != "王伟" || stored[0].Role != data.DutyLeader || stored[0].Shift != "2026-11-25/day" {
		t.Fatalf("stored %+v %v", stored, err)
	}
	if len(d.Duty) != 1 || len(d.Remove) != 1 || d.Person.Text != "" {
		t.Fatalf("listed %+v", d.Duty)
	}
	if txt := c.DetailText(); strings.Contains(txt, "Nobody on duty now") || !strings.Contains(txt, "leader on duty · 王伟 13800000000") {
		t.Fatalf("details after: %s", txt)
	}
	if n := unstaffed(); n != before-1 {
		t.Fatalf("board: %d unstaffed, was %d", n, before)
	}

	test.Tap(d.Remove[0])
	if ds, _ := c.M.DutyOf(bg, center, testNow, testNow.Add(time.Minute)); len(ds) != 0 || len(d.Duty) != 0 {
		t.Fatalf("after taking off: %+v", ds)
	}
	if !strings.Contains(c.DetailText(), "Nobody on duty now") || unstaffed() != before || !strings.Contains(d.Done.Text, "王伟 taken off") {
		t.Fatalf("after taking off: board %d, %q", unstaffed(), d.Done.Text)
	}
}
