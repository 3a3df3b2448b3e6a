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

const caseWriterEnv = "KAPOK_CASE_WRITER"

// TestHelperCaseWriter is not a test: run with KAPOK_CASE_WRITER=path, it
// runs cases through the workflow on that mirror until it is killed.
func TestHelperCaseWriter(t *testing.T) {
	path := os.Getenv(caseWriterEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	writingNow()
	for {
		now := time.Now()
		c, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "崩溃测试", Actor: "leader"}, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, mv := range []data.CaseMove{{To: data.EventFiled}, {To: data.EventDispatched, Units: []string{"U9901010010010011"}},
			{To: data.EventHandling}, {To: data.EventFedBack, Result: "ok"}, {To: data.EventClosed}} {
			mv.Case, mv.Actor = c.Code, "leader"
			if _, err := m.MoveCase(ctx, mv, now); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkCasesWhole asserts that every case is whole after a crash: its state
// is its last step's, it has a journal entry per step, the unit is
// dispatched exactly when a case holds it, and the journal verifies.
func checkCasesWhole(t *testing.T, path string) int64 {
	t.Helper()
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	if c, err := m.VerifyJournal(ctx); err != nil || !c.OK() {
		t.Fatalf("journal: %+v %v", c, err)
	}
	if n := count(t, m, `SELECT count(*) FROM events e WHERE e.uid IS NOT NULL AND e.state !=
		(SELECT state FROM event_history h WHERE h.event_code = e.code ORDER BY step DESC LIMIT 1)`); n != 0 {
		t.Fatalf("%d cases whose state is not their last step", n)
	}
	if n := count(t, m, `SELECT count(*) FROM events e WHERE e.uid IS NOT NULL AND
		(SELECT count(*) FROM event_history h WHERE h.event_code = e.code) != (SELECT count(*) FROM journal j WHERE j.subject = e.code)`); n != 0 {
		t.Fatalf("%d cases whose steps and journal entries differ", n)
	}
	held := count(t, m, `SELECT count(*) FROM unit_holds WHERE unit_code = 'U9901010010010011' AND released_at IS NULL`)
	status := unitStatus(t, m, "U9901010010010011")
	if held > 1 || (held == 1) != (status == data.UnitDispatched) {
		t.Fatalf("unit held %d times, status %s", held, status)
	}
	return count(t, m, `SELECT count(*) FROM events WHERE uid IS NOT NULL`)
}

// kill -9 while cases run through the workflow, again and again: each case
// is wholly before or wholly after each step.
func TestCasesSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes for a few seconds")
	}
	path := fixture.CityPath(t)
	rng := rand.New(rand.NewPCG(3, 5))
	var last int64
	for round := range 12 {
		killWhileWriting(t, rng, "TestHelperCaseWriter", caseWriterEnv, path)
		n := checkCasesWhole(t, path)
		if n < last {
			t.Fatalf("round %d: %d cases, fewer than %d", round, n, last)
		}
		last = n
		// A case cut in the middle is picked up where it stands: free the
		// unit so the next round can dispatch it again.
		m, err := mirror.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := m.Cases(ctx, data.CaseFilter{States: []data.EventState{data.EventDispatched, data.EventHandling}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rows {
			if c.Version > 0 && c.State == data.EventDispatched {
				move(t, m, data.CaseMove{Case: c.Code, To: data.EventHandling, Actor: "leader"}, time.Now())
			}
			if c.Version > 0 && (c.State == data.EventDispatched || c.State == data.EventHandling) {
				move(t, m, data.CaseMove{Case: c.Code, To: data.EventFedBack, Result: "接续", Actor: "leader"}, time.Now())
			}
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if last == 0 {
		t.Fatal("the writer never reported a case: the test tested nothing")
	}
	t.Logf("%d cases across 12 kills", last)
}

// Two operators acting on one case at once: each read the case, then one
// starts handling it while the other returns it. One wins; the other is
// refused as "changed meanwhile" and nothing is applied twice.
func TestConcurrentCaseSteps(t *testing.T) {
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
	for round := range 20 {
		now := caseNow.Add(time.Duration(round) * time.Hour)
		c, err := a.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "并发", Actor: "leader"}, now)
		if err != nil {
			t.Fatal(err)
		}
		c = move(t, a, data.CaseMove{Case: c.Code, To: data.EventFiled, Version: c.Version, Actor: "leader"}, now)
		c = move(t, a, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{"U9901010010010011"}, Version: c.Version, Actor: "leader"}, now)
		seen := c.Version // both operators saw this version
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, op := range []struct {
			m  *mirror.Mirror
			mv data.CaseMove
		}{{a, data.CaseMove{To: data.EventHandling}}, {b, data.CaseMove{To: data.EventReturned, Reason: "派错"}}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mv := op.mv
				mv.Case, mv.Version, mv.Actor = c.Code, seen, "leader"
				_, errs[i] = op.m.MoveCase(ctx, mv, now)
			}()
		}
		wg.Wait()
		won, changed := 0, 0
		for _, err := range errs {
			var r *data.Refusal
			switch {
			case err == nil:
				won++
			case errors.As(err, &r) && r.Code == data.CodeCaseChanged:
				changed++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if won != 1 || changed != 1 {
			t.Fatalf("round %d: %d won, %d refused as changed", round, won, changed)
		}
		if n := count(t, a, `SELECT count(*) FROM event_history WHERE event_code = ?`, c.Code); n != 4 {
			t.Fatalf("round %d: %d steps, want 4", round, n)
		}
		// Free the unit for the next round.
		d, err := a.Case(ctx, c.Code, now)
		if err != nil {
			t.Fatal(err)
		}
		if d.State == data.EventHandling {
			move(t, a, data.CaseMove{Case: c.Code, To: data.EventFedBack, Result: "完成", Actor: "leader"}, now)
		}
	}
}
