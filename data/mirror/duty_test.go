package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// Centers' duty rosters: a person put on a shift shows in the center's
// details and staffs it (the board counts the centers with nobody on duty
// now); taken off, the center is unstaffed again; bad requests are refused
// and write nothing.
func TestDutyRosters(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf // Wednesday 25 November 09:00 Beijing time: the day shift
	// The demo staffs its centers for AsOf's day and the next.
	if n := count(t, m, `SELECT count(DISTINCT center_code) FROM center_duty WHERE shift = '2026-11-25/day'`); n == 0 {
		t.Fatal("the demo staffed no center")
	}
	board := func() map[string]int {
		rows, err := m.StatusBoard(ctx, "", now)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, r := range rows {
			out[r.Code] = r.Unstaffed
		}
		return out
	}
	// Empty one center's day shift.
	if _, err := m.DB.Exec(`DELETE FROM center_duty WHERE center_code = 'C990101001001' AND shift = '2026-11-25/day'`); err != nil {
		t.Fatal(err)
	}
	before := board()["990101"]
	d, err := m.CenterDetail(ctx, "C990101001001", now)
	if err != nil || !d.Unstaffed || before == 0 {
		t.Fatalf("emptied: unstaffed %v, board %d, %v", d.Unstaffed, before, err)
	}
	duty, err := m.AssignDuty(ctx, data.DutyRequest{Center: "C990101001001", Shift: "2026-11-25/day", Person: "王伟", Phone: "13800000000", Actor: "leader_990101"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if duty.Start.UTC() != time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) || duty.Role != data.DutyOfficer {
		t.Fatalf("duty %+v", duty)
	}
	d, err = m.CenterDetail(ctx, "C990101001001", now)
	if err != nil || d.Unstaffed || len(d.Duty) == 0 || d.Duty[0].Person != "王伟" {
		t.Fatalf("staffed: %+v %v", d.Duty, err)
	}
	if after := board()["990101"]; after != before-1 {
		t.Fatalf("board: %d unstaffed, was %d", after, before)
	}
	journal := count(t, m, `SELECT count(*) FROM journal`)
	for _, bad := range []struct {
		req  data.DutyRequest
		code data.Code
	}{
		{data.DutyRequest{Center: "C0", Shift: "2026-11-25/day", Person: "李", Actor: "leader"}, data.CodeCenterUnknown},
		{data.DutyRequest{Center: "C990101001001", Shift: "2026-11-25/day", Person: " ", Actor: "leader"}, data.CodeDutyPersonEmpty},
		{data.DutyRequest{Center: "C990101001001", Shift: "2026-11-25/day", Person: "李", Role: "boss", Actor: "leader"}, data.CodeDutyRoleUnknown},
		{data.DutyRequest{Center: "C990101001001", Shift: "2026-11-25/noon", Person: "李", Actor: "leader"}, data.CodeShiftUnknown},
		{data.DutyRequest{Center: "C990101001001", Shift: "2026-11-25/day", Person: "李", Actor: "leader_990102"}, data.CodeTargetOutsideJurisdiction},
	} {
		_, err := m.AssignDuty(ctx, bad.req, now)
		refused(t, bad.req.Center+" "+bad.req.Person, err, bad.code)
	}
	refused(t, "remove unknown", m.RemoveDuty(ctx, "nope", "leader", now), data.CodeDutyUnknown)
	if count(t, m, `SELECT count(*) FROM journal`) != journal {
		t.Fatal("a refused duty change wrote something")
	}
	if err := m.RemoveDuty(ctx, duty.UID, "leader_990101", now); err != nil {
		t.Fatal(err)
	}
	if after := board()["990101"]; after != before {
		t.Fatalf("board after removal: %d unstaffed, want %d", after, before)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind IN ('duty.assign', 'duty.remove')`); n != 2 {
		t.Fatalf("%d duty journal entries", n)
	}
}
