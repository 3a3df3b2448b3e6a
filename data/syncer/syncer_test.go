package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kapok/data"
	"kapok/data/journal"
	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/data/upstream"
	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var ctx = context.Background()

// t0 is the fixture's instant; consoles work after it.
var t0 = fixture.AsOf.Add(time.Hour)

const (
	grid      = "990101001001001"
	otherGrid = "990101001001002"
	unit      = "U9901010010010011"
)

// upstreamOf is a new upstream, its schema made and loaded from m's
// reference data, and a connection to it.
func upstreamOf(t *testing.T, m *mirror.Mirror) *pgx.Conn { return upstreamOfB(t, m) }

func upstreamOfB(t testing.TB, m *mirror.Mirror) *pgx.Conn {
	t.Helper()
	dsn := pgtest.Start(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if _, _, err := upstream.Init(ctx, conn); err != nil {
		t.Fatal(err)
	}
	if _, err := upstream.Load(ctx, conn, func(ctx context.Context, tb upstream.Table) ([][]any, error) {
		return m.ReferenceRows(ctx, tb.Name, tb.Columns)
	}); err != nil {
		t.Fatal(err)
	}
	return conn
}

func syncOnce(t *testing.T, m *mirror.Mirror, conn *pgx.Conn) syncer.Result {
	t.Helper()
	res, err := syncer.Run(ctx, m, conn, time.Now)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

// sharedTables are the tables consoles share through sync, and the columns
// that may differ between mirrors holding the same state (a row's local
// number or rowid).
var sharedTables = []string{"orders", "order_targets", "events", "event_history", "unit_holds", "units", "rosters",
	"roster_assignments", "roster_history", "unit_leave", "center_duty", "district_schedule_rules",
	"projects", "project_history", "milestones", "project_indicators", "contest_rounds", "contest_criteria", "contest_entries",
	"contest_scores", "project_rollouts", "project_rollout_history"}

var localColumns = map[string]bool{"fid": true, "number": true, "milestones.id": true}

// dump is the shared state of a mirror in a canonical text form: every
// shared table's rows, each as its columns' values, sorted.
func dump(t testing.TB, m *mirror.Mirror) string {
	t.Helper()
	var b strings.Builder
	for _, table := range sharedTables {
		rows, err := m.DB.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var parts []string
			for i, c := range cols {
				if !localColumns[c] && !localColumns[table+"."+c] {
					parts = append(parts, fmt.Sprintf("%s=%v", c, vals[i]))
				}
			}
			lines = append(lines, strings.Join(parts, " "))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		_ = rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(&b, "# %s (%d)\n%s\n", table, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

// sameState fails the test when two mirrors' shared state differs, naming
// the first line that differs.
func sameState(t testing.TB, what string, a, b *mirror.Mirror) {
	t.Helper()
	da, db := dump(t, a), dump(t, b)
	if da == db {
		return
	}
	la, lb := strings.Split(da, "\n"), strings.Split(db, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			t.Fatalf("%s: line %d differs:\n%s\n%s", what, i+1, la[i], lb[i])
		}
	}
	t.Fatalf("%s: %d lines against %d", what, len(la), len(lb))
}

func issue(t *testing.T, m *mirror.Mirror, task string, at time.Time) data.Order {
	t.Helper()
	o, err := m.IssueOrder(ctx, data.OrderRequest{Task: task, Start: at, End: at.Add(4 * time.Hour), Targets: []string{grid}, Actor: "commander"}, at)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestTwoConsolesShareTheirChanges(t *testing.T) {
	a, b := fixture.City(t), fixture.City(t)
	conn := upstreamOf(t, a)
	o := issue(t, a, "巡查 A", t0)
	c, err := b.ReportCase(ctx, data.CaseReport{Grid: grid, Matter: "MD01", Description: "B 上报", Actor: "leader_990101"}, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ra := syncOnce(t, a, conn)
	rb := syncOnce(t, b, conn)
	syncOnce(t, a, conn)
	if ra.Pushed == 0 || rb.Applied.Applied != 2 || rb.Applied.Rejected != 0 {
		t.Fatalf("a pushed %d; b applied %+v", ra.Pushed, rb.Applied)
	}
	sameState(t, "after a, b, a", a, b)
	if _, err := b.MoveOrder(ctx, o.UID, data.OrderAcknowledged, "commander", t0.Add(2*time.Minute)); err != nil {
		t.Fatalf("b moves a's order: %v", err)
	}
	t.Logf("b events with code: %d, a: %d", fixture.Count(t, b, `SELECT count(*) FROM events WHERE code = ?`, c.Code), fixture.Count(t, a, `SELECT count(*) FROM events WHERE code = ?`, c.Code))
	if _, err := b.Case(ctx, c.Code, t0.Add(time.Hour)); err != nil {
		t.Fatalf("b reads its case: %v", err)
	}
	if _, err := a.Case(ctx, c.Code, t0.Add(time.Hour)); err != nil {
		t.Fatalf("a reads b's case: %v", err)
	}
	syncOnce(t, b, conn)
	syncOnce(t, a, conn)
	sameState(t, "after b moved a's order", a, b)
	// Nothing to do: nothing changes, nothing is pushed again.
	before := dump(t, a)
	if r := syncOnce(t, a, conn); r.Pushed != 0 || r.Pulled != 0 {
		t.Fatalf("an idle sync pushed %d, pulled %d", r.Pushed, r.Pulled)
	}
	if dump(t, a) != before {
		t.Fatal("an idle sync changed the mirror")
	}
}

// Closing an order another console cancelled first: the later arrival is
// rejected on both consoles, and shown to its author's console.
func TestLaterArrivalNoLongerValidIsRejected(t *testing.T) {
	a, b := fixture.City(t), fixture.City(t)
	conn := upstreamOf(t, a)
	o := issue(t, a, "巡查", t0)
	syncOnce(t, a, conn)
	syncOnce(t, b, conn)
	if _, err := a.MoveOrder(ctx, o.UID, data.OrderCancelled, "commander", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MoveOrder(ctx, o.UID, data.OrderAcknowledged, "commander", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MoveOrder(ctx, o.UID, data.OrderInProgress, "commander", t0.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a, conn) // a's cancel arrives first
	rb := syncOnce(t, b, conn)
	if rb.Applied.Rejected != 2 || rb.Applied.Applied != 1 {
		t.Fatalf("b: %+v, want a's cancel applied and b's two moves rejected", rb.Applied)
	}
	ra := syncOnce(t, a, conn)
	if ra.Applied.Rejected != 2 {
		t.Fatalf("a: %+v, want b's two moves rejected", ra.Applied)
	}
	sameState(t, "after the conflict", a, b)
	orders, err := b.Orders(ctx)
	if err != nil || len(orders) != 1 || orders[0].State != data.OrderCancelled {
		t.Fatalf("b's orders: %+v %v", orders, err)
	}
	st, err := b.SyncState(ctx)
	if err != nil || st.Conflicts != 2 || st.Waiting() != 0 {
		t.Fatalf("b's state: %+v %v", st, err)
	}
	// The units a started order held are free again on b.
	if n := fixture.Count(t, b, `SELECT count(*) FROM unit_holds WHERE released_at IS NULL AND holder_kind = 'order'`); n != 0 {
		t.Fatalf("b still holds %d units for the rejected start", n)
	}
}

// A journal edited, rewritten or cut after the upstream saw it is refused
// at sync: an entry edited in place by the chain's own check, a chain
// rewritten or cut consistently (the file alone cannot tell) by the head
// the upstream holds.
func TestTamperedJournalIsRefused(t *testing.T) {
	for _, c := range []struct {
		name string
		want data.Code
	}{{"edited", data.CodeJournalEdited}, {"rewritten", data.CodeJournalDiverged}, {"cut", data.CodeJournalBehind}} {
		t.Run(c.name, func(t *testing.T) {
			a := fixture.City(t)
			conn := upstreamOf(t, a)
			issue(t, a, "一", t0)
			syncOnce(t, a, conn)
			for _, s := range []string{`DROP TRIGGER journal_no_update`, `DROP TRIGGER journal_no_delete`} {
				if _, err := a.DB.Exec(s); err != nil {
					t.Fatal(err)
				}
			}
			var seq int64
			var entry, prev string
			if err := a.DB.QueryRow(`SELECT seq, entry, prev_hash FROM journal WHERE kind = 'order.issue'`).Scan(&seq, &entry, &prev); err != nil {
				t.Fatal(err)
			}
			edited := strings.Replace(entry, `"task":"一"`, `"task":"二"`, 1)
			switch c.name {
			case "edited":
				_, err := a.DB.Exec(`UPDATE journal SET entry = ? WHERE seq = ?`, edited, seq)
				if err != nil {
					t.Fatal(err)
				}
			case "rewritten": // the entry and every one after it hashed again, the head moved
				if err := rehashFrom(a, seq, edited, prev); err != nil {
					t.Fatal(err)
				}
			case "cut": // the entries from it on removed, the head moved back
				if _, err := a.DB.Exec(`DELETE FROM journal WHERE seq >= ?`, seq); err != nil {
					t.Fatal(err)
				}
				var head string
				if err := a.DB.QueryRow(`SELECT seq || ' ' || hash FROM journal WHERE seq = ?`, seq-1).Scan(&head); err != nil {
					t.Fatal(err)
				}
				if _, err := a.DB.Exec(`UPDATE kapok_meta SET value = ? WHERE key = 'journal_head'`, head); err != nil {
					t.Fatal(err)
				}
			}
			_, err := syncer.Run(ctx, a, conn, time.Now)
			var f *data.Refusal
			if !errors.As(err, &f) || f.Code != c.want {
				t.Fatalf("%s: %v, want %s", c.name, err, c.want)
			}
			if st, err := a.SyncState(ctx); err != nil || st.LastError == "" {
				t.Fatalf("the refusal is not recorded: %+v %v", st, err)
			}
		})
	}
}

// rehashFrom replaces entry seq by entry and hashes it and every entry
// after it again, moving the recorded head: a chain rewritten from there
// on that holds on its own.
func rehashFrom(m *mirror.Mirror, seq int64, entry, prev string) error {
	rows, err := m.DB.Query(`SELECT seq, entry FROM journal WHERE seq >= ? ORDER BY seq`, seq)
	if err != nil {
		return err
	}
	type row struct {
		seq   int64
		entry string
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.entry); err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rs[0].entry = entry
	var h journal.Hasher
	for _, r := range rs {
		f, err := journal.Parse(r.entry)
		if err != nil {
			return err
		}
		hash, err := h.Hash(prev, f)
		if err != nil {
			return err
		}
		if _, err := m.DB.Exec(`UPDATE journal SET entry = ?, prev_hash = ?, hash = ? WHERE seq = ?`, r.entry, prev, hash, r.seq); err != nil {
			return err
		}
		prev = hash
		if _, err := m.DB.Exec(`UPDATE kapok_meta SET value = ? WHERE key = 'journal_head'`, fmt.Sprintf("%d %s", r.seq, hash)); err != nil {
			return err
		}
	}
	return nil
}
