package mirror_test

import (
	"errors"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

var caseNow = time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC) // a Thursday, 10:00 in Beijing

// reportOne reports a case in grid 990101001001001 as the district's leader.
func reportOne(t *testing.T, m *mirror.Mirror) data.CaseRow {
	t.Helper()
	c, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "邻居噪音纠纷",
		Source: data.SourceHotline, Contact: "13800001234", Actor: "leader_990101"}, caseNow)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func move(t *testing.T, m *mirror.Mirror, mv data.CaseMove, at time.Time) data.CaseRow {
	t.Helper()
	if mv.Actor == "" {
		mv.Actor = "leader_990101"
	}
	c, err := m.MoveCase(ctx, mv, at)
	if err != nil {
		t.Fatalf("%s → %s: %v", mv.Case, mv.To, err)
	}
	return c
}

func unitStatus(t *testing.T, m *mirror.Mirror, unit string) data.UnitStatus {
	t.Helper()
	var s data.UnitStatus
	if err := m.DB.QueryRow(`SELECT status FROM units WHERE code = ?`, unit).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// A case through the whole workflow: each step moves it, writes one history
// row and one journal entry, bumps its version; dispatch holds the unit and
// starts the clock, feedback frees the unit.
func TestCaseWorkflow(t *testing.T) {
	m := fixture.City(t)
	c := reportOne(t, m)
	if c.State != data.EventCollected || c.Version != 1 || c.Clock.State != data.ClockNone || len(c.Code) != len("E20261126-12345678") {
		t.Fatalf("reported: %+v", c)
	}
	history := count(t, m, `SELECT count(*) FROM event_history`)
	journal := count(t, m, `SELECT count(*) FROM journal`)
	const unit = "U9901010010010011"
	steps := []struct {
		mv    data.CaseMove
		after time.Duration
	}{
		{data.CaseMove{Case: c.Code, To: data.EventFiled}, time.Minute},
		{data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{unit}}, 10 * time.Minute},
		{data.CaseMove{Case: c.Code, To: data.EventHandling}, time.Hour},
		{data.CaseMove{Case: c.Code, To: data.EventFedBack, Result: "已调解，双方签订协议"}, 20 * time.Hour},
		{data.CaseMove{Case: c.Code, To: data.EventHandling, Reason: "回访发现仍有噪音"}, 21 * time.Hour},
		{data.CaseMove{Case: c.Code, To: data.EventFedBack, Result: "再次调解"}, 30 * time.Hour},
		{data.CaseMove{Case: c.Code, To: data.EventClosed}, 31 * time.Hour},
		{data.CaseMove{Case: c.Code, To: data.EventEvaluated}, 48 * time.Hour},
	}
	for i, s := range steps {
		s.mv.Version = c.Version
		c = move(t, m, s.mv, caseNow.Add(s.after))
		if c.State != s.mv.To || c.Version != int64(i+2) {
			t.Fatalf("step %d: %+v", i, c)
		}
		switch s.mv.To {
		case data.EventDispatched:
			if unitStatus(t, m, unit) != data.UnitDispatched || c.DispatchedAt == nil || c.Clock.State != data.ClockRunning {
				t.Fatalf("dispatched: unit %s, %+v", unitStatus(t, m, unit), c)
			}
			// MD01: 3 working days from Thursday 10:10 (Beijing) are
			// Friday, Monday and Tuesday: the weekend does not count.
			if want := time.Date(2026, 12, 1, 2, 10, 0, 0, time.UTC); !c.Deadline.Equal(want) || !c.DispatchedAt.Equal(caseNow.Add(10*time.Minute)) {
				t.Fatalf("deadline %v, want %v", c.Deadline, want)
			}
		case data.EventFedBack:
			if unitStatus(t, m, unit) != data.UnitAvailable {
				t.Fatalf("feedback did not free the unit: %s", unitStatus(t, m, unit))
			}
		case data.EventClosed:
			if c.ClosedAt == nil || c.Clock.State != data.ClockMet {
				t.Fatalf("closed: %+v", c)
			}
		}
	}
	if n := count(t, m, `SELECT count(*) FROM event_history`) - history; n != int64(len(steps)) {
		t.Fatalf("%d history rows for %d steps", n, len(steps))
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'case.move' AND subject = ?`, c.Code); n != int64(len(steps)) ||
		count(t, m, `SELECT count(*) FROM journal`)-journal != int64(len(steps)) {
		t.Fatalf("%d journal entries for %d steps", n, len(steps))
	}
	d, err := m.Case(ctx, c.Code, caseNow.Add(50*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	wantActions := []data.CaseAction{data.ActReport, data.ActFile, data.ActDispatch, data.ActStart, data.ActFeedBack, data.ActVerifyFail,
		data.ActFeedBack, data.ActClose, data.ActEvaluate}
	if len(d.Steps) != len(wantActions) || d.Contact != "13800001234" || d.Department == "" || d.Result != "再次调解" {
		t.Fatalf("detail: %+v", d)
	}
	for i, s := range d.Steps {
		if s.Action != wantActions[i] || s.Actor != "leader_990101" {
			t.Errorf("step %d: %s by %s, want %s", i, s.Action, s.Actor, wantActions[i])
		}
	}
	if d.Steps[0].Clock.State != data.ClockNone || d.Steps[3].Clock.State != data.ClockRunning || d.Steps[7].Clock.State != data.ClockMet {
		t.Errorf("clocks at the steps: %v %v %v", d.Steps[0].Clock, d.Steps[3].Clock, d.Steps[7].Clock)
	}
	if check, err := m.VerifyJournal(ctx); err != nil || !check.OK() {
		t.Fatalf("journal: %+v %v", check, err)
	}
}

// A case reported at a point goes to the grid that contains it, the same
// the map's point-in-polygon test finds.
func TestReportByPoint(t *testing.T) {
	m := fixture.City(t)
	grids, err := m.LoadGrids(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range grids[:5] {
		c, _ := planar.CentroidArea(g.Boundary)
		if !planar.MultiPolygonContains(g.Boundary, c) {
			continue
		}
		got, err := m.ReportCase(ctx, data.CaseReport{At: &c, Matter: "MD01", Description: "x", Actor: "leader"}, caseNow)
		if err != nil || got.GridCode != g.Code || got.Location != c {
			t.Fatalf("point %v in %s: %+v %v", c, g.Code, got, err)
		}
	}
}

// Every refusal of a case step writes nothing.
func TestCaseRefusals(t *testing.T) {
	m := fixture.City(t)
	c := reportOne(t, m)
	var busy string // a unit of the district out on a case of the fixture's
	if err := m.DB.QueryRow(`SELECT code FROM units WHERE status != 'available' AND grid_code LIKE '990101%' ORDER BY code LIMIT 1`).Scan(&busy); err != nil {
		t.Fatal(err)
	}
	if unitStatus(t, m, "U9901010010010011") != data.UnitAvailable {
		t.Fatal("the fixture's U9901010010010011 is not available")
	}
	snapshot := func() int64 {
		return count(t, m, `SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM event_history) + (SELECT count(*) FROM journal)
			+ (SELECT count(*) FROM unit_holds) + (SELECT sum(version) FROM events) + (SELECT count(*) FROM units WHERE status = 'available')`)
	}
	far := orb.Point{0, 0}
	moveTo := func(to data.EventState, mut func(*data.CaseMove)) func() error {
		return func() error {
			mv := data.CaseMove{Case: c.Code, To: to, Actor: "leader_990101"}
			if mut != nil {
				mut(&mv)
			}
			_, err := m.MoveCase(ctx, mv, caseNow)
			return err
		}
	}
	report := func(mut func(*data.CaseReport)) func() error {
		return func() error {
			r := data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "d", Actor: "leader_990101"}
			mut(&r)
			_, err := m.ReportCase(ctx, r, caseNow)
			return err
		}
	}
	before := snapshot()
	for _, x := range []struct {
		name string
		do   func() error
		code data.Code
	}{
		{"unknown grid", report(func(r *data.CaseReport) { r.Grid = "990101001001999" }), data.CodeGridUnknown},
		{"not a grid code", report(func(r *data.CaseReport) { r.Grid = "99" }), data.CodeNotAGridCode},
		{"unknown matter", report(func(r *data.CaseReport) { r.Matter = "ZZ99" }), data.CodeMatterUnknown},
		{"point in no grid", report(func(r *data.CaseReport) { r.Grid, r.At = "", &far }), data.CodePointInNoGrid},
		{"grid and point", report(func(r *data.CaseReport) { r.At = &far }), data.CodeCaseWhereTwice},
		{"empty description", report(func(r *data.CaseReport) { r.Description = " " }), data.CodeCaseDescriptionEmpty},
		{"unknown source", report(func(r *data.CaseReport) { r.Source = "rumour" }), data.CodeCaseSourceUnknown},
		{"report outside jurisdiction", report(func(r *data.CaseReport) { r.Actor = "leader_990102" }), data.CodeCaseOutsideJurisdiction},
		{"unknown case", func() error {
			_, err := m.MoveCase(ctx, data.CaseMove{Case: "E0", To: data.EventFiled, Actor: "leader"}, caseNow)
			return err
		}, data.CodeCaseUnknown},
		{"move not allowed", moveTo(data.EventClosed, nil), data.CodeCaseMoveNotAllowed},
		{"unknown state", moveTo("lost", nil), data.CodeCaseStateUnknown},
		{"cancel without reason", moveTo(data.EventCancelled, nil), data.CodeCaseReasonRequired},
		{"move outside jurisdiction", moveTo(data.EventFiled, func(mv *data.CaseMove) { mv.Actor = "operator_990102" }), data.CodeCaseOutsideJurisdiction},
		{"changed meanwhile", moveTo(data.EventFiled, func(mv *data.CaseMove) { mv.Version = 7 }), data.CodeCaseChanged},
		{"units not for filing", moveTo(data.EventFiled, func(mv *data.CaseMove) { mv.Units = []string{"U9901010010010011"} }), data.CodeCaseUnitsNotHere},
		{"extend before dispatch", func() error {
			_, err := m.ExtendCase(ctx, c.Code, "r", "leader", 0, caseNow)
			return err
		}, data.CodeExtensionNotOpen},
	} {
		t.Run(x.name, func(t *testing.T) {
			var r *data.Refusal
			if err := x.do(); !errors.As(err, &r) || r.Code != x.code {
				t.Fatalf("got %v, want %s", err, x.code)
			}
			if after := snapshot(); after != before {
				t.Fatal("a refused step wrote something")
			}
		})
	}
	// Dispatch refusals, from a filed case.
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventFiled}, caseNow)
	before = snapshot()
	for _, x := range []struct {
		name string
		mv   data.CaseMove
		code data.Code
	}{
		{"no units", data.CaseMove{}, data.CodeCaseUnitsRequired},
		{"busy unit", data.CaseMove{Units: []string{busy}}, data.CodeUnitNotAvailable},
		{"unknown unit", data.CaseMove{Units: []string{"U1"}}, data.CodeUnitUnknown},
		{"unit outside jurisdiction", data.CaseMove{Units: []string{"U9901020012010011"}}, data.CodeUnitOutsideJurisdiction},
		{"one good, one busy", data.CaseMove{Units: []string{"U9901010010010011", busy}}, data.CodeUnitNotAvailable},
	} {
		t.Run(x.name, func(t *testing.T) {
			mv := x.mv
			mv.Case, mv.To, mv.Actor = c.Code, data.EventDispatched, "leader_990101"
			_, err := m.MoveCase(ctx, mv, caseNow)
			var r *data.Refusal
			if !errors.As(err, &r) || r.Code != x.code {
				t.Fatalf("got %v, want %s", err, x.code)
			}
			if after := snapshot(); after != before {
				t.Fatal("a refused dispatch wrote something")
			}
		})
	}
	// Extension refusals, from a dispatched case.
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{"U9901010010010011"}}, caseNow)
	before = snapshot()
	for _, x := range []struct {
		name, actor, reason string
		code                data.Code
	}{
		{"no reason", "leader", " ", data.CodeExtensionReasonRequired},
		{"not an approver", "operator_990101", "需要更多时间", data.CodeActionNotPermitted},
	} {
		_, err := m.ExtendCase(ctx, c.Code, x.reason, x.actor, 0, caseNow)
		var r *data.Refusal
		if !errors.As(err, &r) || r.Code != x.code {
			t.Fatalf("%s: got %v, want %s", x.name, err, x.code)
		}
		if after := snapshot(); after != before {
			t.Fatalf("%s: wrote something", x.name)
		}
	}
}

// Extensions push the deadline by one limit each, up to the matter's
// allowance.
func TestCaseExtension(t *testing.T) {
	m := fixture.City(t)
	c := reportOne(t, m)
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventFiled}, caseNow)
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{"U9901010010010011"}}, caseNow)
	mt, err := matterOf(m, "MD01")
	if err != nil {
		t.Fatal(err)
	}
	first := *c.Deadline
	for i := 1; i <= mt.Extensions; i++ {
		c, err = m.ExtendCase(ctx, c.Code, "当事人外出", "leader", c.Version, caseNow.Add(time.Hour))
		if err != nil {
			t.Fatalf("extension %d: %v", i, err)
		}
		if c.Extensions != i || !c.Deadline.After(first) {
			t.Fatalf("extension %d: %+v", i, c)
		}
	}
	_, err = m.ExtendCase(ctx, c.Code, "again", "leader", 0, caseNow.Add(2*time.Hour))
	var r *data.Refusal
	if !errors.As(err, &r) || r.Code != data.CodeExtensionBeyondAllowance {
		t.Fatalf("beyond the allowance of %d: %v", mt.Extensions, err)
	}
}

// matterOf is a matter of the embedded catalogue, which the fixture city has.
func matterOf(_ *mirror.Mirror, code string) (data.MatterType, error) {
	ms, err := data.Matters()
	if err != nil {
		return data.MatterType{}, err
	}
	for _, mt := range ms {
		if mt.Code == code {
			return mt, nil
		}
	}
	return data.MatterType{}, errors.New("no matter " + code)
}

// A started order keeps the units it names busy until it ends; a busy unit
// cannot be dispatched to a case.
func TestOrdersHoldTheirUnits(t *testing.T) {
	m := fixture.City(t)
	const unit = "U9901010010010011"
	start := caseNow
	o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡逻", Start: start, End: start.Add(2 * time.Hour), Targets: []string{unit}, Actor: "leader"}, start)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []data.OrderState{data.OrderAcknowledged, data.OrderInProgress} {
		if _, err := m.MoveOrder(ctx, o.UID, to, "leader", start); err != nil {
			t.Fatal(err)
		}
	}
	if s := unitStatus(t, m, unit); s != data.UnitBusy {
		t.Fatalf("unit under a started order: %s", s)
	}
	c := reportOne(t, m)
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventFiled}, caseNow)
	var r *data.Refusal
	if _, err := m.MoveCase(ctx, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{unit}, Actor: "leader"}, caseNow); !errors.As(err, &r) || r.Code != data.CodeUnitNotAvailable {
		t.Fatalf("dispatching a busy unit: %v", err)
	}
	if n, err := m.MarkOverdue(ctx, start.Add(3*time.Hour)); err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	if s := unitStatus(t, m, unit); s != data.UnitAvailable {
		t.Fatalf("unit after its order's window ended: %s", s)
	}
	move(t, m, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{unit}}, caseNow.Add(3*time.Hour))
}

// Cases overdue past their matter's grace are escalated one level by the
// system, and not again within the grace.
func TestEscalateOverdue(t *testing.T) {
	m := fixture.City(t)
	c := reportOne(t, m)
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventFiled}, caseNow)
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{"U9901010010010011"}}, caseNow)
	mt, err := matterOf(m, "MD01")
	if err != nil {
		t.Fatal(err)
	}
	escalations := func() int64 {
		return count(t, m, `SELECT count(*) FROM event_history WHERE event_code = ? AND action = 'escalate'`, c.Code)
	}
	justOverdue := c.Deadline.Add(time.Minute)
	if _, err := m.EscalateOverdue(ctx, justOverdue); err != nil || escalations() != 0 {
		t.Fatalf("within the grace: %d escalations, %v", escalations(), err)
	}
	past := c.Deadline.Add(mt.Grace + time.Minute)
	if _, err := m.EscalateOverdue(ctx, past); err != nil || escalations() != 1 {
		t.Fatalf("past the grace: %d escalations, %v", escalations(), err)
	}
	if _, err := m.EscalateOverdue(ctx, past.Add(time.Minute)); err != nil || escalations() != 1 {
		t.Fatalf("again at once: %d escalations, %v", escalations(), err)
	}
	d, err := m.Case(ctx, c.Code, past)
	if err != nil {
		t.Fatal(err)
	}
	last := d.Steps[len(d.Steps)-1]
	if last.Action != data.ActEscalate || last.Actor != data.SystemLogin || d.Level == mt.HandlingLevel {
		t.Fatalf("after escalation: level %s, last step %+v", d.Level, last)
	}
}
