package mirror_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

func TestIssueOrderWritesOrderTargetsAndJournalOnce(t *testing.T) {
	m := fixture.City(t)
	grids := []string{"990102001201001", "990102001201002"}
	centers, units, err := m.Responsible(ctx, grids)
	if err != nil || len(centers) != 3 || len(units) == 0 {
		t.Fatalf("responsible: %v %v %v", centers, units, err)
	}
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	now := start.Add(-time.Hour)
	before := count(t, m, `SELECT count(*) FROM journal`)
	o, err := m.IssueOrder(ctx, data.OrderRequest{Type: data.OrderPatrol, Task: "大源村夜间巡逻", Priority: data.PriorityHigh, Start: start,
		End: start.Add(8 * time.Hour), Targets: append(append(grids, centers...), units...), Actor: "leader"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := uuid.Parse(o.UID); err != nil || u.Version() != 7 || o.Number != 1 {
		t.Fatalf("order key %q (%v), number %d", o.UID, err, o.Number)
	}
	if n := count(t, m, `SELECT count(*) FROM orders`); n != 1 {
		t.Fatalf("%d orders", n)
	}
	wantTargets := int64(len(grids) + len(centers) + len(units))
	if n := count(t, m, `SELECT count(DISTINCT uid) FROM order_targets WHERE order_uid = ?`, o.UID); n != wantTargets {
		t.Fatalf("%d targets with their own keys, want %d", n, wantTargets)
	}
	if n := count(t, m, `SELECT count(*) FROM journal`) - before; n != 1 {
		t.Fatalf("%d journal entries for one order", n)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'order.issue' AND subject = ? AND actor = 'leader'
		AND entry ->> '$.payload.task' = '大源村夜间巡逻' AND json_array_length(entry, '$.payload.targets') = ?`, o.UID, wantTargets); n != 1 {
		t.Fatal("the journal entry does not carry the order")
	}
	// It survives a restart.
	path := m.Path
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m2.Close() }()
	orders, err := m2.Orders(ctx)
	if err != nil || len(orders) != 1 || orders[0].Task != "大源村夜间巡逻" || orders[0].State != data.OrderIssued ||
		!orders[0].End.Equal(start.Add(8*time.Hour)) || orders[0].IssuedBy != "leader" || len(orders[0].Targets) != int(wantTargets) {
		t.Fatalf("after reopening: %+v, %v", orders, err)
	}
	if c, err := m2.VerifyJournal(ctx); err != nil || !c.OK() {
		t.Fatalf("journal after an order: %+v, %v", c, err)
	}
}

func TestIssueOrderRefusesBadInputAndWritesNothing(t *testing.T) {
	m := fixture.City(t)
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	good := data.OrderRequest{Type: "patrol", Task: "巡逻", Start: start, End: start.Add(time.Hour), Targets: []string{"990101001001001"}, Actor: "leader"}
	cases := []struct {
		name  string
		edit  func(*data.OrderRequest)
		code  data.Code
		field string
		arg   string // name=value expected among the arguments
	}{
		{"no targets", func(r *data.OrderRequest) { r.Targets = nil }, data.CodeTargetsEmpty, "targets", ""},
		{"blank targets", func(r *data.OrderRequest) { r.Targets = []string{" ", ""} }, data.CodeTargetsEmpty, "targets", ""},
		{"empty task", func(r *data.OrderRequest) { r.Task = "  " }, data.CodeTaskEmpty, "task", ""},
		{"end before start", func(r *data.OrderRequest) { r.End = start.Add(-time.Hour) }, data.CodeWindowReversed, "window", "end=2026-11-25T07:00:00Z"},
		{"end equals start", func(r *data.OrderRequest) { r.End = start }, data.CodeWindowReversed, "window", ""},
		{"unknown grid", func(r *data.OrderRequest) { r.Targets = []string{"990101001001999"} }, data.CodeTargetUnknown, "targets", "target=990101001001999"},
		{"unknown unit", func(r *data.OrderRequest) { r.Targets = []string{"U123"} }, data.CodeTargetUnknown, "targets", "kind=unit"},
		{"not a code", func(r *data.OrderRequest) { r.Targets = []string{"天河"} }, data.CodeTargetNotACode, "targets", "target=天河"},
		{"outside jurisdiction", func(r *data.OrderRequest) { r.Actor = "leader_990101"; r.Targets = []string{"990102001201001"} },
			data.CodeTargetOutsideJurisdiction, "targets", "jurisdiction=990101"},
		{"unknown type", func(r *data.OrderRequest) { r.Type = "party" }, data.CodeOrderTypeUnknown, "type", "type=party"},
		{"unknown priority", func(r *data.OrderRequest) { r.Priority = "asap" }, data.CodePriorityUnknown, "priority", "priority=asap"},
		{"unknown event", func(r *data.OrderRequest) { r.EventCode = "E0" }, data.CodeEventUnknown, "event", "event=E0"},
		{"unknown user", func(r *data.OrderRequest) { r.Actor = "nobody" }, data.CodeUserUnknown, "user", "user=nobody"},
	}
	journal := count(t, m, `SELECT count(*) FROM journal`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := good
			req.Targets = append([]string(nil), good.Targets...)
			c.edit(&req)
			_, err := m.IssueOrder(ctx, req, start)
			var r *data.Refusal
			if !errors.As(err, &r) || r.Code != c.code || r.Field != c.field {
				t.Fatalf("error %v, want %s on %q", err, c.code, c.field)
			}
			if c.arg != "" {
				name, value, _ := cut(c.arg)
				if r.Arg(name) != value {
					t.Errorf("argument %s = %q, want %q", name, r.Arg(name), value)
				}
			}
			if n := count(t, m, `SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_targets) + (SELECT count(*) FROM journal) - ?`, journal); n != 0 {
				t.Fatalf("a refused order wrote %d rows", n)
			}
		})
	}
	// The district leader may order within the district.
	req := good
	req.Actor = "leader_990101"
	if _, err := m.IssueOrder(ctx, req, start); err != nil {
		t.Fatalf("order within jurisdiction: %v", err)
	}
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestOrderStateMoves(t *testing.T) {
	m := fixture.City(t)
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	issue := func() data.Order {
		o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: start, End: start.Add(2 * time.Hour),
			Targets: []string{"990101001001001"}, Actor: "leader"}, start)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	a, b, c := issue(), issue(), issue()
	if a.Number != 1 || b.Number != 2 || c.Number != 3 {
		t.Fatalf("numbers %d %d %d", a.Number, b.Number, c.Number)
	}
	// An order is named by its number, "#number", its key or a prefix of it.
	for i, ref := range []string{"1", "#1", a.UID} {
		to := []data.OrderState{data.OrderAcknowledged, data.OrderInProgress, data.OrderDone}[i]
		if _, err := m.MoveOrder(ctx, ref, to, "leader", start.Add(time.Hour)); err != nil {
			t.Fatalf("%s → %s: %v", ref, to, err)
		}
	}
	var r *data.Refusal
	if _, err := m.MoveOrder(ctx, "1", data.OrderInProgress, "leader", start); !errors.As(err, &r) || r.Code != data.CodeOrderMoveNotAllowed ||
		r.Arg("from") != "done" || r.Arg("to") != "in_progress" {
		t.Fatalf("done → in_progress: %v", err)
	}
	if _, err := m.MoveOrder(ctx, "99", data.OrderDone, "leader", start); !errors.As(err, &r) || r.Code != data.CodeOrderUnknown {
		t.Fatalf("unknown order: %v", err)
	}
	if _, err := m.MoveOrder(ctx, "1", "lost", "leader", start); !errors.As(err, &r) || r.Code != data.CodeOrderStateUnknown {
		t.Fatalf("unknown state: %v", err)
	}
	// Keys made in one millisecond share their first characters: a prefix
	// that names more than one order is refused, not guessed.
	common := 0
	for common < len(a.UID) && a.UID[common] == b.UID[common] {
		common++
	}
	if common >= 8 {
		if _, err := m.MoveOrder(ctx, b.UID[:common], data.OrderCancelled, "leader", start); !errors.As(err, &r) || r.Code != data.CodeOrderAmbiguous {
			t.Fatalf("ambiguous prefix: %v", err)
		}
	}
	if _, err := m.MoveOrder(ctx, b.UID, data.OrderCancelled, "leader", start); err != nil {
		t.Fatal(err)
	}
	// Past the window only the open one (c) becomes overdue.
	n, err := m.MarkOverdue(ctx, start.Add(3*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("overdue %d, %v", n, err)
	}
	states := map[int64]data.OrderState{}
	orders, err := m.Orders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		states[o.Number] = o.State
	}
	if states[1] != data.OrderDone || states[2] != data.OrderCancelled || states[3] != data.OrderOverdue {
		t.Fatalf("states %v", states)
	}
	// Every move is journaled: 3 + 1 + 1, the sweep's by the system user.
	if got := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'order.move'`); got != 5 {
		t.Fatalf("%d journal entries for 5 moves", got)
	}
	if got := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'order.move' AND actor = 'system' AND subject = ?`, c.UID); got != 1 {
		t.Fatal("the overdue sweep is not journaled as the system's")
	}
}

// Moving an order is checked like issuing it: only someone whose
// jurisdiction covers every target may move it; and overdue is set by hand
// only once the window has ended.
func TestOrderMovesAreCheckedAgainstJurisdiction(t *testing.T) {
	m := fixture.City(t)
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	issue := func(targets ...string) data.Order {
		o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: start, End: start.Add(2 * time.Hour), Targets: targets, Actor: "leader"}, start)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	inside := issue("990101001001001", "C990101")
	across := issue("990101001001001", "990102001201001")
	journal := count(t, m, `SELECT count(*) FROM journal`)
	var r *data.Refusal
	if _, err := m.MoveOrder(ctx, inside.UID, data.OrderAcknowledged, "leader_990102", start); !errors.As(err, &r) ||
		r.Code != data.CodeOrderOutsideJurisdiction || r.Arg("jurisdiction") != "990102" {
		t.Fatalf("another district's leader moved the order: %v", err)
	}
	if _, err := m.MoveOrder(ctx, across.UID, data.OrderCancelled, "leader_990101", start); !errors.As(err, &r) ||
		r.Code != data.CodeOrderOutsideJurisdiction || r.Arg("target") != "990102001201001" {
		t.Fatalf("a district leader moved an order reaching another district: %v", err)
	}
	if n := count(t, m, `SELECT count(*) FROM journal`) - journal; n != 0 {
		t.Fatalf("refused moves wrote %d journal entries", n)
	}
	if _, err := m.MoveOrder(ctx, inside.UID, data.OrderAcknowledged, "leader_990101", start); err != nil {
		t.Fatalf("the district's own leader: %v", err)
	}
	if _, err := m.MoveOrder(ctx, across.UID, data.OrderAcknowledged, "leader", start); err != nil {
		t.Fatalf("the city's leader: %v", err)
	}
	if _, err := m.MoveOrder(ctx, across.UID, data.OrderOverdue, "leader", start.Add(time.Hour)); !errors.As(err, &r) || r.Code != data.CodeOrderNotDue {
		t.Fatalf("overdue before the window ended: %v", err)
	}
	if _, err := m.MoveOrder(ctx, across.UID, data.OrderOverdue, "leader", start.Add(3*time.Hour)); err != nil {
		t.Fatalf("overdue after the window ended: %v", err)
	}
}
