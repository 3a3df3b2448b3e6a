package mirror_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/schedule"
	"kapok/internal/fixture"
)

const leaveUnit = "U9901010010010011"

// hasUnavailable says whether a roster's check flags the unit unavailable
// in a shift (a hard conflict).
func hasUnavailable(t *testing.T, m *mirror.Mirror, roster, unit, shift string) bool {
	t.Helper()
	cs, _, err := m.CheckRoster(ctx, roster, "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(cs, func(k schedule.Conflict) bool {
		return k.Kind == schedule.UnitUnavailable && k.Hard && k.Unit == unit && k.Shift.String() == shift
	})
}

// A leave is listed by its unit and by the regions above it, in the window
// it overlaps; a unit on leave in a shift it is rostered for is a hard
// conflict until the leave is ended. A leave not begun is cancelled (its
// row gone, the journal keeping what it was); one under way is cut short
// to end now, and cannot be ended twice.
func TestLeavesListedAndEnded(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	const shift = "2026-12-01/day"
	if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: leaveUnit, Grid: "990101001001001", Shift: shift, Actor: "leader"}, rosterNow); err != nil {
		t.Fatal(err)
	}
	if hasUnavailable(t, m, r.ID, leaveUnit, shift) {
		t.Fatal("unavailable before any leave")
	}
	// Tuesday 1 December 12:00 to 20:00 Beijing time: the day shift's end.
	from, to := time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	uid, err := m.MarkLeave(ctx, leaveUnit, from, to, " 培训 ", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	if !hasUnavailable(t, m, r.ID, leaveUnit, shift) {
		t.Fatal("a unit on leave in its shift is not flagged unavailable")
	}
	week := data.Week{Year: 2026, Num: 49}
	monday, sunday := week.Monday(), week.Monday().AddDate(0, 0, 7)
	for _, q := range []struct {
		who      string
		from, to time.Time
		want     int
	}{
		{leaveUnit, monday, sunday, 1},
		{"990101001", monday, sunday, 1},
		{"990101", monday, sunday, 1},
		{"", monday, sunday, 1},
		{"990102", monday, sunday, 0},
		{"U990101001001001", monday, sunday, 0}, // a prefix of the unit's code names no unit
		{leaveUnit, to, sunday, 0},              // ends as the window starts
		{leaveUnit, monday, from, 0},            // starts as the window ends
		{leaveUnit, from.Add(time.Hour), from.Add(2 * time.Hour), 1},
	} {
		ls, err := m.Leaves(ctx, q.who, q.from, q.to)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != q.want {
			t.Fatalf("leaves of %q in %s–%s: %+v, want %d", q.who, q.from, q.to, ls, q.want)
		}
		if q.want == 1 {
			if l := ls[0]; l.UID != uid || l.Unit != leaveUnit || !l.Start.Equal(from) || !l.End.Equal(to) || l.Reason != "培训" {
				t.Fatalf("leave %+v", l)
			}
		}
	}

	// Not begun at now: cancelled.
	if err := m.EndLeave(ctx, uid, "leader_990101", rosterNow); err != nil {
		t.Fatal(err)
	}
	if n := count(t, m, `SELECT count(*) FROM unit_leave WHERE uid = ?`, uid); n != 0 {
		t.Fatal("a leave ended before it began is still there")
	}
	if hasUnavailable(t, m, r.ID, leaveUnit, shift) {
		t.Fatal("still unavailable after the leave was cancelled")
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = ? AND subject = ? AND json_extract(entry, '$.payload.uid') = ?
		AND json_extract(entry, '$.payload.cancelled') AND json_extract(entry, '$.payload.end') = '2026-12-01T12:00:00.000Z'`,
		data.KindUnitLeaveEnd, leaveUnit, uid); n != 1 {
		t.Fatalf("%d journal entries for the cancelled leave", n)
	}

	// Under way at now: cut short to end now.
	now := rosterNow.Add(90*time.Minute + 250*time.Microsecond) // below a millisecond: dropped as stored
	uid, err = m.MarkLeave(ctx, leaveUnit, rosterNow.Add(-time.Hour), rosterNow.Add(48*time.Hour), "repair", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.EndLeave(ctx, uid, "leader", now); err != nil {
		t.Fatal(err)
	}
	ls, err := m.Leaves(ctx, leaveUnit, rosterNow.Add(-2*time.Hour), rosterNow.Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].UID != uid || !ls[0].End.Equal(now.Truncate(time.Millisecond)) {
		t.Fatalf("cut short: %+v, want it ending %s", ls, now)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = ? AND json_extract(entry, '$.payload.ended') = ?`,
		data.KindUnitLeaveEnd, now.UTC().Format("2006-01-02T15:04:05.000Z")); n != 1 {
		t.Fatalf("%d journal entries for the leave cut short", n)
	}
	err = m.EndLeave(ctx, uid, "leader", now.Add(time.Minute))
	refused(t, "ended twice", err, data.CodeLeaveOver)
	var ref *data.Refusal
	if !errors.As(err, &ref) || ref.Arg("leave") != uid || ref.Arg("end") != now.UTC().Format(time.RFC3339) {
		t.Fatalf("ended twice: %v, want the leave and its end %s", err, now)
	}
}

// Ending a leave that is not there, over already, of a unit outside the
// actor's jurisdiction or by an unknown user is refused and writes
// nothing.
func TestEndLeaveRefusalsWriteNothing(t *testing.T) {
	m := fixture.City(t)
	uid, err := m.MarkLeave(ctx, leaveUnit, rosterNow.Add(24*time.Hour), rosterNow.Add(48*time.Hour), "", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	past, err := m.MarkLeave(ctx, leaveUnit, rosterNow.Add(-48*time.Hour), rosterNow.Add(-24*time.Hour), "", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	journal := count(t, m, `SELECT count(*) FROM journal`)
	snapshot := func() []mirror.Leave {
		ls, err := m.Leaves(ctx, "", time.Time{}, rosterNow.AddDate(1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	before := snapshot()
	for _, bad := range []struct {
		what, uid, actor string
		code             data.Code
	}{
		{"unknown leave", "0190aaaa-0000-7000-8000-000000000000", "leader", data.CodeLeaveUnknown},
		{"empty key", "", "leader", data.CodeLeaveUnknown},
		{"over already", past, "leader", data.CodeLeaveOver},
		{"outside the jurisdiction", uid, "leader_990102", data.CodeUnitOutsideJurisdiction},
		{"unknown user", uid, "nobody", data.CodeUserUnknown},
	} {
		err := m.EndLeave(ctx, bad.uid, bad.actor, rosterNow)
		refused(t, bad.what, err, bad.code)
		var r *data.Refusal
		if errors.As(err, &r) && bad.code == data.CodeLeaveUnknown && (len(r.Args) != 1 || r.Args[0].Name != "leave" || r.Args[0].Value != bad.uid) {
			t.Fatalf("%s: arguments %+v", bad.what, r.Args)
		}
		if bad.code == data.CodeLeaveOver && (r.Arg("leave") != past || r.Arg("end") != rosterNow.Add(-24*time.Hour).UTC().Format(time.RFC3339)) {
			t.Fatalf("%s: arguments %+v", bad.what, r.Args)
		}
	}
	if count(t, m, `SELECT count(*) FROM journal`) != journal || !slices.Equal(snapshot(), before) {
		t.Fatal("a refused end of leave wrote something")
	}
}

// Two consoles end the same leave at once: one ends it, the other is
// refused (the leave is gone, or over by then), and the journal has one
// entry.
func TestConcurrentEndLeave(t *testing.T) {
	path := fixture.CityPath(t)
	var ms []*mirror.Mirror
	for range 2 {
		m, err := mirror.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = m.Close() }()
		ms = append(ms, m)
	}
	for round := range 8 {
		// Even rounds: a leave not begun (cancelled); odd: one under way
		// (cut short).
		from := rosterNow.Add(time.Duration(round+1) * time.Hour)
		loser := data.CodeLeaveUnknown
		if round%2 == 1 {
			from, loser = rosterNow.Add(-time.Hour), data.CodeLeaveOver
		}
		uid, err := ms[0].MarkLeave(ctx, leaveUnit, from, from.Add(24*time.Hour), "", "leader", rosterNow)
		if err != nil {
			t.Fatal(err)
		}
		entries := count(t, ms[0], `SELECT count(*) FROM journal WHERE kind = ?`, data.KindUnitLeaveEnd)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, m := range ms {
			wg.Go(func() { errs[i] = m.EndLeave(ctx, uid, "leader", rosterNow) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			var r *data.Refusal
			switch {
			case err == nil:
				won++
			case errors.As(err, &r) && r.Code == loser:
			default:
				t.Fatalf("round %d: %v, want success or %s", round, err, loser)
			}
		}
		if n := count(t, ms[0], `SELECT count(*) FROM journal WHERE kind = ?`, data.KindUnitLeaveEnd); won != 1 || n != entries+1 {
			t.Fatalf("round %d: %d ended it, %d journal entries (were %d)", round, won, n, entries)
		}
	}
}
