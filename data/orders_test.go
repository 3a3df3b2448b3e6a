package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestIssueOrderWritesOrderTargetsAndAuditOnce(t *testing.T) {
	m, _ := buildTestCity(t)
	leader, err := m.UserID("leader")
	if err != nil {
		t.Fatal(err)
	}
	grids := []string{"990102001201001", "990102001201002"}
	centers, units, err := m.Responsible(grids)
	if err != nil || len(centers) != 3 || len(units) == 0 {
		t.Fatalf("responsible: %v %v %v", centers, units, err)
	}
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	now := start.Add(-time.Hour)
	beforeAudit := count(t, m, `SELECT count(*) FROM audit_log`)
	id, err := m.IssueOrder(OrderRequest{Type: "patrol", Task: "大源村夜间巡逻", Priority: "high", Start: start, End: start.Add(8 * time.Hour),
		Targets: append(append(grids, centers...), units...), IssuedBy: leader}, now)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, m, `SELECT count(*) FROM orders`); n != 1 {
		t.Fatalf("%d orders", n)
	}
	if n := count(t, m, `SELECT count(*) FROM order_targets WHERE order_id = ?`, id); n != int64(len(grids)+len(centers)+len(units)) {
		t.Fatalf("%d targets", n)
	}
	if n := count(t, m, `SELECT count(*) FROM audit_log`) - beforeAudit; n != 1 {
		t.Fatalf("%d audit rows for one order", n)
	}
	// It survives a restart.
	path := m.Path
	m.Close()
	m2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	orders, err := m2.Orders()
	if err != nil || len(orders) != 1 || orders[0].Task != "大源村夜间巡逻" || orders[0].State != "issued" || !orders[0].End.Equal(start.Add(8*time.Hour)) {
		t.Fatalf("after reopening: %+v, %v", orders, err)
	}
}

func TestIssueOrderRefusesBadInputAndWritesNothing(t *testing.T) {
	m, _ := buildTestCity(t)
	leader, _ := m.UserID("leader")
	districtLeader, _ := m.UserID("leader_990101")
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	good := OrderRequest{Type: "patrol", Task: "巡逻", Start: start, End: start.Add(time.Hour), Targets: []string{"990101001001001"}, IssuedBy: leader}
	cases := []struct {
		name  string
		edit  func(*OrderRequest)
		field string
		want  string
	}{
		{"no targets", func(r *OrderRequest) { r.Targets = nil }, "targets", "no targets"},
		{"blank targets", func(r *OrderRequest) { r.Targets = []string{" ", ""} }, "targets", "no targets"},
		{"empty task", func(r *OrderRequest) { r.Task = "  " }, "task", "empty"},
		{"end before start", func(r *OrderRequest) { r.End = start.Add(-time.Hour) }, "time window", "not after the start"},
		{"end equals start", func(r *OrderRequest) { r.End = start }, "time window", "not after the start"},
		{"unknown grid", func(r *OrderRequest) { r.Targets = []string{"990101001001999"} }, "targets", "unknown grid 990101001001999"},
		{"unknown unit", func(r *OrderRequest) { r.Targets = []string{"U123"} }, "targets", "unknown unit U123"},
		{"not a code", func(r *OrderRequest) { r.Targets = []string{"天河"} }, "targets", "is not a grid, center or unit code"},
		{"outside jurisdiction", func(r *OrderRequest) { r.IssuedBy = districtLeader; r.Targets = []string{"990102001201001"} }, "targets", "outside your jurisdiction 990101"},
		{"unknown type", func(r *OrderRequest) { r.Type = "party" }, "type", "not one of"},
		{"unknown priority", func(r *OrderRequest) { r.Priority = "asap" }, "priority", "not one of"},
		{"unknown event", func(r *OrderRequest) { r.EventCode = "E0" }, "event", "unknown event"},
		{"unknown user", func(r *OrderRequest) { r.IssuedBy = 999 }, "user", "no user"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := good
			req.Targets = append([]string(nil), good.Targets...)
			c.edit(&req)
			_, err := m.IssueOrder(req, start)
			var oe *OrderError
			if !errors.As(err, &oe) || oe.Field != c.field || !strings.Contains(oe.Reason, c.want) {
				t.Fatalf("error %v, want field %q with %q", err, c.field, c.want)
			}
			if n := count(t, m, `SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_targets) + (SELECT count(*) FROM audit_log WHERE entity = 'order')`); n != 0 {
				t.Fatalf("a refused order wrote %d rows", n)
			}
		})
	}
	// The district leader may order within the district.
	req := good
	req.IssuedBy = districtLeader
	if _, err := m.IssueOrder(req, start); err != nil {
		t.Fatalf("order within jurisdiction: %v", err)
	}
}

func TestOrderStateMoves(t *testing.T) {
	m, _ := buildTestCity(t)
	leader, _ := m.UserID("leader")
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	issue := func() int64 {
		id, err := m.IssueOrder(OrderRequest{Task: "巡查", Start: start, End: start.Add(2 * time.Hour), Targets: []string{"990101001001001"}, IssuedBy: leader}, start)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b, c := issue(), issue(), issue()
	for _, to := range []string{"acknowledged", "in_progress", "done"} {
		if err := m.MoveOrder(a, to, leader, start.Add(time.Hour)); err != nil {
			t.Fatalf("%s: %v", to, err)
		}
	}
	var oe *OrderError
	if err := m.MoveOrder(a, "in_progress", leader, start); !errors.As(err, &oe) || oe.Field != "state" {
		t.Fatalf("done → in_progress: %v", err)
	}
	if err := m.MoveOrder(99, "done", leader, start); !errors.As(err, &oe) || oe.Field != "order" {
		t.Fatalf("unknown order: %v", err)
	}
	if err := m.MoveOrder(b, "cancelled", leader, start); err != nil {
		t.Fatal(err)
	}
	// Past the window only the open one (c) becomes overdue.
	n, err := m.MarkOverdue(start.Add(3 * time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("overdue %d, %v", n, err)
	}
	states := map[int64]string{}
	orders, _ := m.Orders()
	for _, o := range orders {
		states[o.ID] = o.State
	}
	if states[a] != "done" || states[b] != "cancelled" || states[c] != "overdue" {
		t.Fatalf("states %v", states)
	}
	// Every move is audited: 3 + 1 + 1.
	if got := count(t, m, `SELECT count(*) FROM audit_log WHERE action = 'move'`); got != 5 {
		t.Fatalf("%d audit rows for 5 moves", got)
	}
}
