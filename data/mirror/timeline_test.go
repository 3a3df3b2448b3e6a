package mirror_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/timeline"
	"kapok/internal/fixture"
)

// liveCase is an open case as the store holds it now.
type liveCase struct {
	code, grid string
	state      data.EventState
	deadline   time.Time
}

// stepState is the state the store holds right after a step: what a
// replay of the timeline must give back for every moment until the next.
type stepState struct {
	at     time.Time
	open   []liveCase
	units  map[string]data.UnitStatus
	orders map[string]data.OrderState
	grids  map[string]data.GridEvents // the store's own count at the step's instant
	queue  []data.CaseRow             // the store's own queue at the step's instant
	active map[string]data.OrderState // the grids under running orders
}

func takeStepState(t *testing.T, m *mirror.Mirror, at time.Time) stepState {
	t.Helper()
	s := stepState{at: at, orders: map[string]data.OrderState{}}
	rows, err := m.DB.Query(`SELECT code, grid_code, state, ifnull(deadline, '') FROM events WHERE state IN
		('collected','filed','dispatched','handling','fed_back','returned','parked') ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c liveCase
		var deadline string
		if err := rows.Scan(&c.code, &c.grid, &c.state, &deadline); err != nil {
			t.Fatal(err)
		}
		if deadline != "" {
			if c.deadline, err = time.Parse(time.RFC3339Nano, deadline); err != nil {
				t.Fatal(err)
			}
		}
		s.open = append(s.open, c)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if s.units, err = m.UnavailableUnits(ctx); err != nil {
		t.Fatal(err)
	}
	orders, err := m.Orders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		s.orders[o.UID] = o.State
	}
	grids, err := m.EventsByGrid(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	s.grids = maps.Clone(grids)
	if s.queue, err = m.Cases(ctx, data.CaseFilter{}, at); err != nil {
		t.Fatal(err)
	}
	if s.active, err = m.ActiveOrderGrids(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// sameQueue fails the test where the queue CasesAt replays differs from
// the store's own at that instant (versions aside: they count later steps).
func sameQueue(t *testing.T, what string, got, want []data.CaseRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d cases in the queue, the store had %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		w.Version = 0
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Fatalf("%s: queue row %d\n%+v\nthe store had\n%+v", what, i, g, w)
		}
	}
}

// matches fails the test where the replayed state at t differs from the
// stepState the store held then.
func (s stepState) matches(t *testing.T, got timeline.State, at time.Time, what string) {
	t.Helper()
	if len(got.Open) != len(s.open) {
		t.Fatalf("%s: %d cases open, the store had %d", what, len(got.Open), len(s.open))
	}
	wantGrids := map[string]data.GridEvents{}
	for i, c := range got.Open {
		w := s.open[i]
		if c.Code != w.code || c.State != w.state || !c.Clock.Deadline.Equal(w.deadline) {
			t.Fatalf("%s: case %s %s deadline %v; the store had %s %s deadline %v", what, c.Code, c.State, c.Clock.Deadline, w.code, w.state, w.deadline)
		}
		g := wantGrids[w.grid]
		g.Open++
		if !w.deadline.IsZero() && w.deadline.Before(at) {
			g.Overdue++
		}
		wantGrids[w.grid] = g
	}
	if !maps.Equal(got.Grids, wantGrids) {
		t.Fatalf("%s: grid counts differ", what)
	}
	if at.Equal(s.at) && !maps.Equal(got.Grids, s.grids) {
		t.Fatalf("%s: grid counts differ from the store's own (EventsByGrid)", what)
	}
	if !maps.Equal(got.Units, s.units) {
		t.Fatalf("%s: units %v, the store had %v", what, got.Units, s.units)
	}
	gotOrders := map[string]data.OrderState{}
	for _, o := range got.Orders {
		gotOrders[o.UID] = o.State
	}
	if !maps.Equal(gotOrders, s.orders) {
		t.Fatalf("%s: orders %v, the store had %v", what, gotOrders, s.orders)
	}
	if !maps.Equal(got.OrderGrids(), s.active) {
		t.Fatalf("%s: grids under orders %v, the store had %v", what, got.OrderGrids(), s.active)
	}
}

// The demo's history, replayed at its last moment, is the mirror as it is.
func TestTimelineAtTheEndIsTheMirror(t *testing.T) {
	m := fixture.City(t)
	tl, err := m.Timeline(ctx, fixture.AsOf.Add(-7*24*time.Hour), fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Broken != nil {
		t.Fatalf("the fixture's journal: %v", tl.Broken)
	}
	takeStepState(t, m, fixture.AsOf).matches(t, tl.At(fixture.AsOf), fixture.AsOf, "at the demo's end")
}

// Exactness: cases reported and walked through the workflow (dispatches
// holding units, extensions, returns, parking, closing), orders issued and
// moved (a started one holding its units), one step at a time at random
// instants through the store's own methods; after each step the store's
// state is taken. Replayed afterwards, the timeline gives back that state
// at the step's instant and at random moments until the next step.
func TestTimelineReplaysEveryStepExactly(t *testing.T) {
	m := fixture.City(t)
	rng := rand.New(rand.NewPCG(15, 7))
	start := fixture.AsOf.Add(time.Hour)
	now := start
	units, err := m.LoadUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	grids, err := m.GridCodes(ctx, "9901")
	if err != nil {
		t.Fatal(err)
	}
	snaps := []stepState{takeStepState(t, m, now)}
	var cases, orders []string
	const actor = "leader"
	for step := 0; len(snaps) < 160 && step < 2000; step++ {
		now = now.Add(time.Duration(1+rng.IntN(120)) * time.Minute)
		var err error
		switch k := rng.IntN(10); {
		case k < 2:
			var c data.CaseRow
			c, err = m.ReportCase(ctx, data.CaseReport{Grid: grids[rng.IntN(len(grids))], Matter: []string{"MD01", "MD02", "MD05"}[rng.IntN(3)],
				Description: "回放测试", Actor: actor}, now)
			if err == nil {
				cases = append(cases, c.Code)
			}
		case k < 7 && len(cases) > 0:
			code := cases[rng.IntN(len(cases))]
			var d *data.CaseDetail
			if d, err = m.Case(ctx, code, now); err != nil {
				t.Fatal(err)
			}
			mv := data.CaseMove{Case: code, Actor: actor, Reason: "测试", Result: "已处理"}
			next := map[data.EventState][]data.EventState{
				data.EventCollected: {data.EventFiled}, data.EventFiled: {data.EventDispatched}, data.EventDispatched: {data.EventHandling, data.EventReturned},
				data.EventHandling: {data.EventFedBack, data.EventParked}, data.EventReturned: {data.EventDispatched},
				data.EventParked: {data.EventHandling}, data.EventFedBack: {data.EventClosed, data.EventHandling},
			}[d.State]
			if len(next) == 0 {
				continue
			}
			mv.To = next[rng.IntN(len(next))]
			if mv.To == data.EventDispatched {
				mv.Units = []string{units[rng.IntN(len(units))].Code}
			}
			if (d.State == data.EventDispatched || d.State == data.EventHandling) && rng.IntN(4) == 0 {
				_, err = m.ExtendCase(ctx, code, "延期", actor, 0, now)
			} else {
				_, err = m.MoveCase(ctx, mv, now)
			}
		case k < 8:
			var o data.Order
			o, err = m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: now, End: now.Add(6 * time.Hour),
				Targets: []string{grids[rng.IntN(len(grids))], units[rng.IntN(len(units))].Code}, Actor: actor}, now)
			if err == nil {
				orders = append(orders, o.UID)
			}
		case len(orders) > 0:
			uid := orders[rng.IntN(len(orders))]
			to := []data.OrderState{data.OrderAcknowledged, data.OrderInProgress, data.OrderDone, data.OrderCancelled}[rng.IntN(4)]
			_, err = m.MoveOrder(ctx, uid, to, actor, now)
		default:
			continue
		}
		var f *data.Refusal
		if err != nil && !asRefusal(err, &f) {
			t.Fatal(err)
		}
		if err == nil {
			snaps = append(snaps, takeStepState(t, m, now))
		}
	}
	tl, err := m.Timeline(ctx, start, now)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Broken != nil {
		t.Fatal(tl.Broken)
	}
	held := 0
	for i, s := range snaps {
		held += len(s.units)
		queue, broken, err := m.CasesAt(ctx, data.CaseFilter{}, s.at)
		if err != nil || broken != nil {
			t.Fatal(err, broken)
		}
		sameQueue(t, fmt.Sprintf("queue at step %d", i), queue, s.queue)
		s.matches(t, tl.At(s.at), s.at, fmt.Sprintf("step %d at %s", i, s.at))
		if i+1 < len(snaps) {
			gap := snaps[i+1].at.Sub(s.at)
			for range 3 {
				at := s.at.Add(time.Duration(rng.Int64N(int64(gap))))
				s.matches(t, tl.At(at), at, fmt.Sprintf("between steps %d and %d, at %s", i, i+1, at))
			}
		}
	}
	if held == 0 || len(orders) == 0 || len(cases) == 0 {
		t.Fatalf("the steps held no unit (%d), issued no order (%d) or reported no case (%d)", held, len(orders), len(cases))
	}
	t.Logf("%d steps replayed: %d cases, %d orders", len(snaps)-1, len(cases), len(orders))
}

// A mirror whose journal chain is broken replays, and says so.
func TestTimelineOfABrokenJournalSaysSo(t *testing.T) {
	m := fixture.City(t)
	if _, err := m.DB.Exec(`DROP TRIGGER journal_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB.Exec(`UPDATE journal SET entry = replace(entry, '"kind":"demo.build"', '"kind":"demo.built"') WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	tl, err := m.Timeline(ctx, fixture.AsOf.Add(-time.Hour), fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Broken == nil || !strings.HasPrefix(string(tl.Broken.Code), "journal_") {
		t.Fatalf("broken journal: %v", tl.Broken)
	}
	if len(tl.At(fixture.AsOf).Open) == 0 {
		t.Fatal("nothing replayed")
	}
}

func asRefusal(err error, f **data.Refusal) bool {
	r, ok := err.(*data.Refusal)
	if ok {
		*f = r
	}
	return ok
}
