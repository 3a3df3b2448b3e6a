package mirror_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// rosterNow is a Wednesday in week 2026-W48 (the fixture's now).
var rosterNow = fixture.AsOf

// refused asserts err is a refusal with code.
func refused(t *testing.T, what string, err error, code data.Code) {
	t.Helper()
	var r *data.Refusal
	if !errors.As(err, &r) || r.Code != code {
		t.Fatalf("%s: %v, want refusal %s", what, err, code)
	}
}

// A roster is planned, assignments are added and taken off, each with its
// history row and journal entry; everything that can never be right is
// refused and writes nothing.
func TestRosterPlanAndAssign(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != data.RosterDraft || len(r.Shifts) != 3 || r.Week.String() != "2026-W49" || r.Version != 1 {
		t.Fatalf("planned: %+v", r)
	}
	assign := func(c data.RosterChange) (data.Roster, error) {
		c.Roster = r.ID
		if c.Actor == "" {
			c.Actor = "leader_990101"
		}
		return m.AssignPatrol(ctx, c, rosterNow)
	}
	got, err := assign(data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/day", Version: 1})
	if err != nil || got.Version != 2 {
		t.Fatalf("assign: %+v %v", got, err)
	}
	// A unit of another street lent to this one is flagged.
	var other string
	if err := m.DB.QueryRow(`SELECT code FROM units WHERE grid_code LIKE '990101%' AND substr(grid_code, 1, 9) != '990101001' ORDER BY code LIMIT 1`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if _, err := assign(data.RosterChange{Unit: other, Grid: "990101001001002", Shift: "2026-12-01/night", Version: 2}); err != nil {
		t.Fatal(err)
	}
	v, err := m.Roster(ctx, r.ID[:8]) // a key's prefix reads it
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Assignments) != 2 || v.Assignments[0].Shift.Name != "night" || !v.Assignments[0].Lent || v.Assignments[1].Lent || v.Version != 3 {
		t.Fatalf("roster: %+v", v)
	}

	journal := count(t, m, `SELECT count(*) FROM journal`)
	history := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ?`, r.ID)
	for _, bad := range []struct {
		c    data.RosterChange
		code data.Code
	}{
		{data.RosterChange{Unit: "U0", Grid: "990101001001001", Shift: "2026-12-01/day"}, data.CodeUnitUnknown},
		{data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001999", Shift: "2026-12-01/day"}, data.CodeGridUnknown},
		{data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/dusk"}, data.CodeShiftUnknown},
		{data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-08/day"}, data.CodeShiftOutsideWeek},
		{data.RosterChange{Unit: "U9901010010010011", Grid: "990102001201001", Shift: "2026-12-01/day"}, data.CodeGridOutsideRoster},
		{data.RosterChange{Unit: "U9901020012010011", Grid: "990101001001001", Shift: "2026-12-01/day"}, data.CodeUnitOutsideJurisdiction},
		{data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-02/day", Version: 1}, data.CodeRosterChanged},
		{data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-02/day", Actor: "leader_990102"}, data.CodeRosterOutsideJurisdiction},
		{data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-02/day", Actor: "nobody"}, data.CodeUserUnknown},
	} {
		_, err := assign(bad.c)
		refused(t, bad.c.Unit+" "+bad.c.Grid+" "+bad.c.Shift, err, bad.code)
	}
	_, err = m.UnassignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-03/day", Actor: "leader"}, rosterNow)
	refused(t, "unassign what is not there", err, data.CodeAssignmentUnknown)
	_, err = m.AssignPatrol(ctx, data.RosterChange{Roster: "0000000000", Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader"}, rosterNow)
	refused(t, "unknown roster", err, data.CodeRosterUnknown)
	if count(t, m, `SELECT count(*) FROM journal`) != journal || count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ?`, r.ID) != history {
		t.Fatal("a refused change wrote something")
	}

	// The same assignment twice changes nothing; taking one off is journaled.
	if got, err := assign(data.RosterChange{Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/day"}); err != nil || got.Version != 3 {
		t.Fatalf("again: %+v %v", got, err)
	}
	if _, err := m.UnassignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader", Version: 3}, rosterNow); err != nil {
		t.Fatal(err)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind LIKE 'roster.%' AND subject = ?`, r.ID); n != 4 {
		t.Fatalf("%d roster journal entries, want plan + 2 assigns + unassign", n)
	}
	if n := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ?`, r.ID); n != 4 {
		t.Fatalf("%d history rows", n)
	}

	for _, bad := range []struct {
		region, week, actor string
		code                data.Code
	}{
		{"990101", "2026-W54", "leader", data.CodeWeekMalformed},
		{"9901", "2026-W49", "leader", data.CodeRosterRegion},
		{"990109", "2026-W49", "leader", data.CodeRegionUnknown},
		{"990102", "2026-W49", "leader_990101", data.CodeRosterOutsideJurisdiction},
	} {
		_, err := m.PlanRoster(ctx, bad.region, bad.week, bad.actor, rosterNow)
		refused(t, bad.region+" "+bad.week, err, bad.code)
	}
}

// Two planners change one roster at once from the version both read: one
// wins, the other is refused as changed meanwhile and can retry.
func TestConcurrentRosterChanges(t *testing.T) {
	path := fixture.CityPath(t)
	a, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = a.Close() }()
	b, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	r, err := a.PlanRoster(ctx, "990101", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 10 {
		v, err := a.Roster(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		shift := data.WeekShifts(r.Week, r.Shifts)[round].String() // a shift of its own each round
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, mm := range []*mirror.Mirror{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = mm.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: "U9901010010010011", Grid: []string{"990101001001001", "990101001001002"}[i],
					Shift: shift, Actor: "leader", Version: v.Version}, rosterNow)
			}()
		}
		wg.Wait()
		won, changed := 0, 0
		for _, err := range errs {
			var rf *data.Refusal
			switch {
			case err == nil:
				won++
			case errors.As(err, &rf) && rf.Code == data.CodeRosterChanged:
				changed++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		after, err := a.Roster(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if won != 1 || changed != 1 || after.Version != v.Version+1 || len(after.Assignments) != len(v.Assignments)+1 {
			t.Fatalf("round %d: %d won, %d changed, version %d→%d, %d→%d assignments", round, won, changed, v.Version, after.Version,
				len(v.Assignments), len(after.Assignments))
		}
	}
}

const rosterWriterEnv = "KAPOK_ROSTER_WRITER"

// TestHelperRosterWriter is not a test: run with KAPOK_ROSTER_WRITER=path,
// it assigns and unassigns patrols (of a grid, of a route) on that
// mirror's first roster until it is killed.
func TestHelperRosterWriter(t *testing.T) {
	path := os.Getenv(rosterWriterEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	if err := m.DB.QueryRow(`SELECT uid FROM rosters LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	r, err := m.Roster(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	shifts := data.WeekShifts(r.Week, r.Shifts)
	writingNow()
	for i := 0; ; i++ {
		c := data.RosterChange{Roster: id, Unit: "U9901010010010011", Grid: "990101001001001", Shift: shifts[i%len(shifts)].String(), Actor: "leader"}
		if i%2 == 1 { // every other change walks a patrol route instead
			c.Grid, c.Route = "", "R9901010013"
		}
		if _, err := m.AssignPatrol(ctx, c, time.Now()); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := m.UnassignPatrol(ctx, c, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// kill -9 while a planner changes a roster, again and again: the roster's
// version, its assignments, its history and the journal always agree.
func TestRosterSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes for a few seconds")
	}
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 9))
	var last int64
	for round := range 10 {
		m := reopenAfterKill(t, rng, round, "TestHelperRosterWriter", rosterWriterEnv, path)
		changes := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ? AND action != 'plan'`, r.ID)
		v, err := m.Roster(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		assigns := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ? AND action = 'assign'`, r.ID)
		unassigns := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ? AND action = 'unassign'`, r.ID)
		if v.Version != changes+1 || int64(len(v.Assignments)) != assigns-unassigns ||
			count(t, m, `SELECT count(*) FROM journal WHERE subject = ? AND kind != 'roster.plan'`, r.ID) != changes {
			t.Fatalf("round %d: version %d, %d changes in history, %d assignments for %d assigns and %d unassigns", round, v.Version, changes,
				len(v.Assignments), assigns, unassigns)
		}
		if changes < last {
			t.Fatalf("round %d: %d changes, fewer than %d", round, changes, last)
		}
		last = changes
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if last == 0 {
		t.Fatal("the writer changed nothing: the test tested nothing")
	}
	t.Logf("%d roster changes across 10 kills", last)
}

// What a roster is checked against: its region's grids (their risk from the
// month's cases), the district's units with the shifts they cannot patrol
// (leave, an order's window, a case now), the roster's assignments and the
// actor's jurisdiction.
func TestRosterPlanGathersTheWeek(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101001", "2026-W49", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-02/day", Actor: "leader"}, rosterNow); err != nil {
		t.Fatal(err)
	}
	// On leave Tuesday 1 December 12:00 to 20:00 Beijing time: the day and
	// evening shifts of that day.
	if _, err := m.DB.Exec(`INSERT INTO unit_leave (uid, unit_code, start_at, end_at, reason) VALUES ('l1', 'U9901010010010011', ?, ?, '培训')`,
		"2026-12-01T04:00:00.000Z", "2026-12-01T12:00:00.000Z"); err != nil {
		t.Fatal(err)
	}
	// Three cases in grid 002 in the month before the week: high risk.
	for i := range 3 {
		if _, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001002", Matter: "MD01", Description: "纠纷", Actor: "leader"}, rosterNow.Add(-time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	p, err := m.RosterPlan(ctx, r.ID, "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	if p.Week.String() != "2026-W49" || len(p.Shifts) != 3 || p.Jurisdiction != "990101" || len(p.Assignments) != 1 {
		t.Fatalf("plan: week %s, %d shifts, jurisdiction %q, %d assignments", p.Week, len(p.Shifts), p.Jurisdiction, len(p.Assignments))
	}
	if want := count(t, m, `SELECT count(*) FROM grids WHERE code LIKE '990101001%'`); int64(len(p.Grids)) != want {
		t.Fatalf("%d grids, the street has %d", len(p.Grids), want)
	}
	var risky []string
	for _, g := range p.Grids {
		if g.HighRisk {
			risky = append(risky, g.Code)
		}
		if g.Street != "990101001" || g.At[0] == 0 {
			t.Fatalf("grid %+v", g)
		}
	}
	if len(risky) == 0 || risky[0] != "990101001001002" {
		t.Fatalf("high-risk grids %v", risky)
	}
	if want := count(t, m, `SELECT count(*) FROM units WHERE grid_code LIKE '990101%'`); int64(len(p.Units)) != want {
		t.Fatalf("%d units, the district has %d", len(p.Units), want)
	}
	for _, u := range p.Units {
		if u.Code != "U9901010010010011" {
			continue
		}
		if !u.Unavailable["2026-12-01/day"] || !u.Unavailable["2026-12-01/evening"] || u.Unavailable["2026-12-01/night"] || u.Unavailable["2026-12-02/day"] {
			t.Fatalf("unavailable %v", u.Unavailable)
		}
	}
}

// Publishing: refused while a hard conflict remains; then one patrol order
// per assignment (unit and grid, the shift as its window), journaled; a
// change to the published roster is an amendment (an order issued or
// cancelled at once), refused if it would bring a hard conflict.
func TestPublishRosterAndAmend(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	change := func(add bool, unit, grid, shift string) error {
		c := data.RosterChange{Roster: r.ID, Unit: unit, Grid: grid, Shift: shift, Actor: "leader_990101"}
		var err error
		if add {
			_, err = m.AssignPatrol(ctx, c, rosterNow)
		} else {
			_, err = m.UnassignPatrol(ctx, c, rosterNow)
		}
		return err
	}
	for _, a := range [][3]string{
		{"U9901010010010011", "990101001001001", "2026-12-01/day"},
		{"U9901010010010011", "990101001001002", "2026-12-01/day"}, // the same unit twice in one shift
		{"U9901010010010011", "990101001001001", "2026-12-03/night"},
	} {
		if err := change(true, a[0], a[1], a[2]); err != nil {
			t.Fatal(err)
		}
	}
	orders := count(t, m, `SELECT count(*) FROM orders`)
	_, _, err = m.PublishRoster(ctx, r.ID, "leader_990101", 0, rosterNow)
	refused(t, "publish with a double booking", err, data.CodeRosterHasConflicts)
	if count(t, m, `SELECT count(*) FROM orders`) != orders {
		t.Fatal("a refused publish issued orders")
	}
	if err := change(false, "U9901010010010011", "990101001001002", "2026-12-01/day"); err != nil {
		t.Fatal(err)
	}
	v, err := m.Roster(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	pub, n, err := m.PublishRoster(ctx, r.ID, "leader_990101", v.Version, rosterNow)
	if err != nil || n != 2 || pub.State != data.RosterPublished {
		t.Fatalf("publish: %+v %d %v", pub, n, err)
	}
	if k := count(t, m, `SELECT count(*) FROM orders o JOIN roster_assignments a ON a.order_uid = o.uid
		WHERE a.roster_uid = ? AND o.order_type = 'patrol' AND o.state = 'issued'
		AND (SELECT count(*) FROM order_targets t WHERE t.order_uid = o.uid AND t.target_code IN (a.unit_code, a.grid_code)) = 2`, r.ID); k != 2 {
		t.Fatalf("%d patrol orders linked to their assignments", k)
	}
	var start, end string
	if err := m.DB.QueryRow(`SELECT o.start_at, o.end_at FROM orders o JOIN roster_assignments a ON a.order_uid = o.uid WHERE a.shift = '2026-12-03/night'`).Scan(&start, &end); err != nil {
		t.Fatal(err)
	}
	if start != "2026-12-02T16:00:00.000Z" || end != "2026-12-03T00:00:00.000Z" {
		t.Fatalf("the night of 3 December runs %s to %s", start, end)
	}
	if k := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'roster.publish' AND subject = ?`, r.ID); k != 1 {
		t.Fatalf("%d publish entries", k)
	}
	if _, n, err := m.PublishRoster(ctx, r.ID, "leader_990101", 0, rosterNow); err != nil || n != 0 {
		t.Fatalf("published again: %d orders, %v", n, err)
	}

	// Amendments.
	if err := change(true, "U9901010010010011", "990101001001002", "2026-12-04/day"); err != nil {
		t.Fatal(err)
	}
	if k := count(t, m, `SELECT count(*) FROM roster_assignments WHERE roster_uid = ? AND order_uid IS NOT NULL`, r.ID); k != 3 {
		t.Fatalf("an amendment's assignment has no order: %d of 3 linked", k)
	}
	var orderUID string
	if err := m.DB.QueryRow(`SELECT order_uid FROM roster_assignments WHERE shift = '2026-12-01/day'`).Scan(&orderUID); err != nil {
		t.Fatal(err)
	}
	if err := change(false, "U9901010010010011", "990101001001001", "2026-12-01/day"); err != nil {
		t.Fatal(err)
	}
	if st := count(t, m, `SELECT count(*) FROM orders WHERE uid = ? AND state = 'cancelled'`, orderUID); st != 1 {
		t.Fatal("taking an assignment off a published roster did not cancel its order")
	}
	if k := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ? AND action = 'amend'`, r.ID); k != 2 {
		t.Fatalf("%d amendments in the history", k)
	}
	err = change(true, "U9901010010010011", "990101001001003", "2026-12-04/day") // double booked with the amendment above
	refused(t, "an amendment bringing a conflict", err, data.CodeRosterHasConflicts)

	// Coverage at 02:00 on 3 December (Beijing): the night shift, where the
	// published roster has one patrol.
	cov, si, err := m.CoverageAt(ctx, "990101", "leader", time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC), rosterNow)
	if err != nil || si < 0 || cov.Shifts[si].String() != "2026-12-03/night" {
		t.Fatalf("coverage: shift %d %v", si, err)
	}
	planned, gaps := 0, 0
	for g := range cov.Grids {
		c := cov.At(g, si)
		planned += c.Planned
		if c.Planned < c.Required {
			gaps++
		}
		if cov.Grids[g] == "990101001001001" && c.Planned != 1 {
			t.Fatalf("grid 001 that night: %+v", c)
		}
	}
	if planned != 1 || gaps == 0 || len(cov.Grids) != int(count(t, m, `SELECT count(*) FROM grids WHERE code LIKE '990101%'`)) {
		t.Fatalf("that night: %d patrols planned, %d grids short, %d grids", planned, gaps, len(cov.Grids))
	}
}

// Auto-fill adds a proposal that keeps every rule (the roster then checks
// without a hard conflict and publishes), in one transaction with one
// history row and journal entry; a roster changed since it was read is
// refused.
func TestAutoFillRoster(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = m.AutoFill(ctx, r.ID, "leader_990101", r.Version+1, rosterNow, nil)
	refused(t, "auto-fill on a stale version", err, data.CodeRosterChanged)
	calls := 0
	got, res, err := m.AutoFill(ctx, r.ID, "leader_990101", r.Version, rosterNow, func(done, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Assignments) == 0 || calls == 0 || got.Version != r.Version+1 {
		t.Fatalf("%d assignments, %d progress calls, version %d", len(res.Assignments), calls, got.Version)
	}
	v, err := m.Roster(ctx, r.ID)
	if err != nil || len(v.Assignments) != len(res.Assignments) {
		t.Fatalf("the roster has %d of %d proposed: %v", len(v.Assignments), len(res.Assignments), err)
	}
	conflicts, _, err := m.CheckRoster(ctx, r.ID, "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range conflicts {
		if c.Hard {
			t.Fatalf("auto-fill made a hard conflict: %+v", c)
		}
	}
	if n := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ? AND action = 'autofill' AND unit_code != '' AND shift != ''`, r.ID); n != int64(len(res.Assignments)) {
		t.Fatalf("the history has %d of the %d assignments added", n, len(res.Assignments))
	}
	// Grid patrols as added, route walks as walked.
	if n := count(t, m, `SELECT json_array_length(entry, '$.payload.added') + ifnull(json_array_length(entry, '$.payload.walked'), 0)
		FROM journal WHERE kind = 'roster.autofill' AND subject = ?`, r.ID); n != int64(len(res.Assignments)) {
		t.Fatalf("the journal entry lists %d of the %d assignments added", n, len(res.Assignments))
	}
	walks := 0
	for _, a := range res.Assignments {
		if a.Route != "" {
			walks++
		}
	}
	if n := count(t, m, `SELECT count(*) FROM roster_assignments WHERE roster_uid = ? AND route_code IS NOT NULL`, r.ID); n != int64(walks) {
		t.Fatalf("%d route walks stored of %d proposed", n, walks)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'roster.autofill' AND subject = ?`, r.ID); n != 1 {
		t.Fatalf("%d auto-fill journal entries", n)
	}
	if _, n, err := m.PublishRoster(ctx, r.ID, "leader_990101", got.Version, rosterNow); err != nil || n != len(res.Assignments) {
		t.Fatalf("publishing the filled roster: %d orders, %v", n, err)
	}
}

// The grids and units a plan reads are kept between plans and read again
// when another process changes them.
func TestRosterPlanSeesUnitsMovedElsewhere(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	has := func() bool {
		p, err := m.RosterPlan(ctx, r.ID, "leader", rosterNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range p.Units {
			if u.Code == "U9901010010010011" {
				return true
			}
		}
		return false
	}
	if !has() {
		t.Fatal("the unit is not in its district's plan")
	}
	other, err := mirror.Open(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	if _, err := other.DB.Exec(`UPDATE units SET grid_code = (SELECT min(code) FROM grids WHERE code LIKE '990102%') WHERE code = 'U9901010010010011'`); err != nil {
		t.Fatal(err)
	}
	if has() {
		t.Fatal("a unit moved to another district by another process is still in the plan")
	}
}

// Fixes after review: a key prefix two rosters share is refused and LIKE
// wildcards name nothing; leave counts for a unit whatever its code;
// publishing checks inside its transaction (a roster published before with
// the same unit and shift refuses it); an order cancelled elsewhere neither
// blocks taking its assignment off nor stops it being issued again; an
// amendment pushing a unit further over its limit is refused; negative
// rules are refused.
func TestRosterReviewFixes(t *testing.T) {
	m := fixture.City(t)
	a, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.PlanRoster(ctx, "990101001", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	common := 0
	for common < len(a.ID) && a.ID[common] == b.ID[common] {
		common++
	}
	if common >= 8 {
		_, err := m.Roster(ctx, a.ID[:common])
		refused(t, "a shared prefix", err, data.CodeRosterAmbiguous)
	}
	_, err = m.Roster(ctx, "%%%%%%%%")
	refused(t, "wildcards", err, data.CodeRosterUnknown)

	// The same unit and shift in both; B published first: A is refused.
	for _, r := range []data.Roster{a, b} {
		if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader"}, rosterNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := m.PublishRoster(ctx, b.ID, "leader", 0, rosterNow); err != nil {
		t.Fatal(err)
	}
	_, _, err = m.PublishRoster(ctx, a.ID, "leader", 0, rosterNow)
	refused(t, "publishing a roster whose unit another published roster took", err, data.CodeRosterHasConflicts)

	// B's order cancelled elsewhere: taken off without a refusal, then
	// assigned again with a new order.
	var order string
	if err := m.DB.QueryRow(`SELECT order_uid FROM roster_assignments WHERE roster_uid = ?`, b.ID).Scan(&order); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MoveOrder(ctx, order, data.OrderCancelled, "leader", rosterNow); err != nil {
		t.Fatal(err)
	}
	c := data.RosterChange{Roster: b.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader"}
	if _, err := m.AssignPatrol(ctx, c, rosterNow); err != nil {
		t.Fatal(err)
	}
	if n := count(t, m, `SELECT count(*) FROM roster_assignments a JOIN orders o ON o.uid = a.order_uid WHERE a.roster_uid = ? AND o.state = 'issued'`, b.ID); n != 1 {
		t.Fatalf("re-assigning after the order was cancelled: %d live orders", n)
	}
	if _, err := m.MoveOrder(ctx, order, data.OrderCancelled, "leader", rosterNow); err == nil {
		t.Fatal("the old order moved again")
	}
	if err := m.DB.QueryRow(`SELECT order_uid FROM roster_assignments WHERE roster_uid = ?`, b.ID).Scan(&order); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MoveOrder(ctx, order, data.OrderCancelled, "leader", rosterNow); err != nil {
		t.Fatal(err)
	}
	if _, err := m.UnassignPatrol(ctx, c, rosterNow); err != nil {
		t.Fatalf("taking off an assignment whose order was cancelled: %v", err)
	}

	// Over the limit: three shifts published, the district's limit set to
	// two, a fourth refused.
	for _, s := range []string{"2026-12-02/day", "2026-12-03/day", "2026-12-04/day"} {
		if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: b.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: s, Actor: "leader"}, rosterNow); err != nil {
			t.Fatal(err)
		}
	}
	rules := data.DefaultPatrolRules()
	rules.MaxShifts = 2
	if err := m.SetDistrictRules(ctx, "990101", nil, &rules, "leader", rosterNow); err != nil {
		t.Fatal(err)
	}
	_, err = m.AssignPatrol(ctx, data.RosterChange{Roster: b.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-05/day", Actor: "leader"}, rosterNow)
	refused(t, "a fourth shift past a limit of two", err, data.CodeRosterHasConflicts)
	rules.MaxShifts = -3
	refused(t, "negative rules", m.SetDistrictRules(ctx, "990101", nil, &rules, "leader", rosterNow), data.CodeRulesInvalid)

	// Leave of a unit moved to the other district (its code still says
	// 990101) counts in that district's plan.
	if _, err := m.DB.Exec(`UPDATE units SET grid_code = (SELECT min(code) FROM grids WHERE code LIKE '990102%') WHERE code = 'U9901010010010021'`); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MarkLeave(ctx, "U9901010010010021", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), "休假", "leader", rosterNow); err != nil {
		t.Fatal(err)
	}
	c2, err := m.PlanRoster(ctx, "990102", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.RosterPlan(ctx, c2.ID, "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range p.Units {
		if u.Code == "U9901010010010021" {
			found = u.Unavailable["2026-12-02/day"]
		}
	}
	if !found {
		t.Fatal("the moved unit's leave does not count in its new district")
	}
}

// A district's planner may take off their roster a unit of another
// district that a city planner put on it, but may not put one on.
func TestDistrictPlannerTakesOffALentUnit(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	c := data.RosterChange{Roster: r.ID, Unit: "U9901020012010011", Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader"}
	if _, err := m.AssignPatrol(ctx, c, rosterNow); err != nil {
		t.Fatal(err)
	}
	c.Actor = "leader_990101"
	_, err = m.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: c.Unit, Grid: c.Grid, Shift: "2026-12-02/day", Actor: c.Actor}, rosterNow)
	refused(t, "putting another district's unit on", err, data.CodeUnitOutsideJurisdiction)
	if _, err := m.UnassignPatrol(ctx, c, rosterNow); err != nil {
		t.Fatalf("taking it off: %v", err)
	}
}
