package mirror_test

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"kapok/data"
	"kapok/data/mirror"
)

// A mirror left by the Kapok before the journal (schema 3: integer order
// ids, whole-second times, an audit log) opens under this one with every
// order, target and audit row kept: orders and targets get UUIDs, times the
// one form, and the audit log becomes the start of a journal that verifies.
func TestMigrationFromAuditLogToJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.gpkg")
	old, err := mirror.OpenAt(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`INSERT INTO users (id, login, name, role, jurisdiction_code) VALUES (2, 'leader', 'L', 'leader', '')`,
		`INSERT INTO kapok_meta VALUES ('as_of', '2026-11-25T01:00:00Z')`,
		`INSERT INTO orders (id, order_type, task, priority, state, issued_by, issued_at, start_at, end_at, updated_at) VALUES
			(1, 'patrol', '巡逻', 'high', 'acknowledged', 2, '2026-11-25T07:00:00Z', '2026-11-25T08:00:00Z', '2026-11-25T16:00:00Z', '2026-11-25T07:30:00Z'),
			(2, 'dispatch', '处置', 'normal', 'issued', 2, '2026-11-25T09:00:00Z', '2026-11-25T09:00:00Z', '2026-11-25T10:00:00Z', '2026-11-25T09:00:00Z')`,
		`INSERT INTO order_targets VALUES (1, 'grid', '990101001001001'), (1, 'center', 'C990101'), (2, 'unit', 'U9901010010010011')`,
		`INSERT INTO cities (code, name, pinyin) VALUES ('9901', 'c', 'c')`,
		`INSERT INTO districts (code, name, pinyin, city_code) VALUES ('990101', 'd', 'd', '9901')`,
		`INSERT INTO streets (code, name, pinyin, district_code, kind) VALUES ('990101001', 's', 's', '990101', 'street')`,
		`INSERT INTO communities (code, name, pinyin, street_code, kind) VALUES ('990101001001', 'v', 'v', '990101001', 'village')`,
		`INSERT INTO grids (code, community_code, kind) VALUES ('990101001001001', '990101001001', 'village')`,
		`INSERT INTO matter_types VALUES ('MD01', '邻里纠纷', 'Neighbour dispute', 'disputes', '司法局', 72, 'community')`,
		`INSERT INTO events (code, matter_code, grid_code, source, priority, state, reported_at, dispatched_at, deadline, closed_at) VALUES
			('E1', 'MD01', '990101001001001', 'video', 'normal', 'closed', '2026-11-20T01:00:00.000Z', '2026-11-20T02:00:00Z', '2026-11-23T02:00:00Z', '2026-11-22T09:30:00Z'),
			('E2', 'MD01', '990101001001001', 'video', 'normal', 'handling', '2026-11-24T01:00:00.000Z', '2026-11-24T02:00:00.000Z', '2026-11-27T02:00:00.000Z', NULL)`,
		`INSERT INTO event_history VALUES ('E1', 1, 'collected', '2026-11-20T01:00:00Z', '', ''), ('E1', 2, 'closed', '2026-11-22T09:30:00Z', 'leader', '')`,
		`INSERT INTO audit_log (at, user_id, action, entity, entity_key, detail) VALUES
			('2026-11-24T12:00:00Z', 1, 'demo', 'mirror', '9901', 'demo city'),
			('2026-11-25T07:00:00Z', 2, 'issue', 'order', '1', 'high patrol by leader to 2 targets: 巡逻'),
			('2026-11-25T07:30:00Z', 2, 'move', 'order', '1', 'issued → acknowledged'),
			('2026-11-25T09:00:00Z', 2, 'issue', 'order', '2', 'normal dispatch by leader to 1 targets: 处置')`,
	} {
		if _, err := old.DB.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	if v, err := m.SchemaVersion(ctx); err != nil || v < 5 {
		t.Fatalf("schema %d, %v", v, err)
	}
	orders, err := m.Orders(ctx)
	if err != nil || len(orders) != 2 {
		t.Fatalf("orders %+v, %v", orders, err)
	}
	first := orders[1]
	if u, err := uuid.Parse(first.UID); err != nil || u.Version() != 7 || first.Number != 1 || first.State != data.OrderAcknowledged ||
		first.IssuedBy != "leader" || !first.Start.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)) || len(first.Targets) != 2 {
		t.Fatalf("order 1 after migrating: %+v", first)
	}
	for _, tg := range append(first.Targets, orders[0].Targets...) {
		if _, err := uuid.Parse(tg.UID); err != nil {
			t.Fatalf("target without a key: %+v", tg)
		}
	}
	if n := count(t, m, `SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'`); n != 0 {
		t.Fatal("audit_log is still there")
	}
	c, err := m.VerifyJournal(ctx)
	if err != nil || !c.OK() || c.Entries != 4 {
		t.Fatalf("journal after migrating: %+v, %v", c, err)
	}
	// The audit rows are the chain's first entries, in order, with their
	// actors, times and (for orders) the orders' new keys.
	if n := count(t, m, `SELECT count(*) FROM journal WHERE seq = 3 AND kind = 'audit' AND actor = 'leader'
		AND at = '2026-11-25T07:30:00.000Z' AND subject = ? AND entry ->> '$.payload.detail' = 'issued → acknowledged'`, first.UID); n != 1 {
		t.Fatal("the audit row of order 1's move is not journal entry 3")
	}
	// Every stored time now has the one form, and still names its instant.
	checkTimeForm(t, m)
	if n := count(t, m, `SELECT count(*) FROM events WHERE code = 'E1' AND closed_at = '2026-11-22T09:30:00.000Z'
		AND deadline = '2026-11-23T02:00:00.000Z' AND state = 'closed'`); n != 1 {
		t.Fatal("event E1's times changed meaning")
	}
	if n := count(t, m, `SELECT count(*) FROM events WHERE code = 'E2' AND closed_at IS NULL`); n != 1 {
		t.Fatal("an open event gained a closing time")
	}
	if n := count(t, m, `SELECT count(*) FROM event_history WHERE at > '2026-11-21'`); n != 1 {
		t.Fatal("history times do not compare as instants")
	}
	// New orders carry on the numbering and the chain.
	o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "x", Start: first.Start, End: first.End, Targets: []string{"C990101"}, Actor: "leader"}, first.Start)
	var r *data.Refusal
	if err == nil || !errors.As(err, &r) || r.Code != data.CodeTargetUnknown {
		// The old mirror has no regions: the center is unknown. That the
		// refusal is the right one shows the order path runs on the
		// migrated schema.
		t.Fatalf("order on a mirror without regions: %+v, %v", o, err)
	}
}

// timeColumns are every column that holds an instant.
var timeColumns = map[string][]string{
	"kapok_schema":  {"applied_at"},
	"event_history": {"at"},
	"events":        {"reported_at", "dispatched_at", "deadline", "closed_at"},
	"orders":        {"issued_at", "start_at", "end_at", "updated_at"},
	"journal":       {"at"},
	"gpkg_contents": {"last_change"},
}

// Migration 4's check covers the columns the test checks the form of.
func TestMigration4ChecksEveryTimeColumn(t *testing.T) {
	checked := map[string]bool{}
	for _, c := range mirror.StoredTimes() {
		checked[c.Table+"."+c.Column] = true
	}
	for table, cols := range timeColumns {
		for _, c := range cols {
			if table != "journal" && !checked[table+"."+c] {
				t.Errorf("migration 4 does not check %s.%s", table, c)
			}
		}
	}
}

var oneTimeForm = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func checkTimeForm(t *testing.T, m *mirror.Mirror) {
	t.Helper()
	check := func(what, q string) {
		rows, err := m.DB.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = rows.Close() }()
		n := 0
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			if !oneTimeForm.MatchString(s) {
				t.Errorf("%s holds %q", what, s)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	for table, cols := range timeColumns {
		for _, c := range cols {
			check(table+"."+c, `SELECT CAST(`+c+` AS TEXT) FROM `+table+` WHERE `+c+` IS NOT NULL`)
		}
	}
	check("kapok_meta as_of", `SELECT value FROM kapok_meta WHERE key = 'as_of'`)
}

// A mirror built by the demo and used for orders stores every time in the
// one form.
func TestEveryStoredTimeHasTheOneForm(t *testing.T) {
	m := busyJournal(t)
	if _, err := m.MarkOverdue(ctx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	checkTimeForm(t, m)
	if n := count(t, m, `SELECT count(*) FROM events WHERE deadline IS NOT NULL`); n == 0 {
		t.Fatal("no deadlines to check")
	}
}

// A stored time SQLite cannot read stops the upgrade with the column named,
// and leaves the mirror as it was, rather than turning it into NULL (a
// closed case would read as open).
func TestMigrationRefusesUnreadableTimes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.gpkg")
	old, err := mirror.OpenAt(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`INSERT INTO cities (code, name, pinyin) VALUES ('9901', 'c', 'c')`,
		`INSERT INTO districts (code, name, pinyin, city_code) VALUES ('990101', 'd', 'd', '9901')`,
		`INSERT INTO streets (code, name, pinyin, district_code, kind) VALUES ('990101001', 's', 's', '990101', 'street')`,
		`INSERT INTO communities (code, name, pinyin, street_code, kind) VALUES ('990101001001', 'v', 'v', '990101001', 'village')`,
		`INSERT INTO grids (code, community_code, kind) VALUES ('990101001001001', '990101001001', 'village')`,
		`INSERT INTO matter_types VALUES ('MD01', 'a', 'b', 'disputes', 'd', 72, 'community')`,
		`INSERT INTO events (code, matter_code, grid_code, source, priority, state, reported_at, closed_at) VALUES
			('E1', 'MD01', '990101001001001', 'video', 'normal', 'closed', '2026-11-20T01:00:00Z', 'last Tuesday')`,
	} {
		if _, err := old.DB.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = mirror.Open(path)
	if err == nil || !strings.Contains(err.Error(), "events.closed_at: 1 values are not times") || !strings.Contains(err.Error(), "last Tuesday") {
		t.Fatalf("upgrade of a mirror with a broken time: %v", err)
	}
	again, err := mirror.OpenAt(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = again.Close() }()
	if v, err := again.SchemaVersion(ctx); err != nil || v != 3 {
		t.Fatalf("schema %d after the refused upgrade, %v", v, err)
	}
	if n := count(t, again, `SELECT count(*) FROM events WHERE closed_at = 'last Tuesday'`); n != 1 {
		t.Fatal("the refused upgrade changed the event")
	}
}

// Two consoles opening an old mirror at once both come up on the new schema:
// a migration is applied once, by whichever takes the write lock first.
func TestConcurrentUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.gpkg")
	old, err := mirror.OpenAt(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			m, err := mirror.Open(path)
			if err == nil {
				err = m.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	migs, err := mirror.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, m, `SELECT count(*) FROM kapok_schema`); n != int64(len(migs)) {
		t.Fatalf("%d migrations recorded, want %d", n, len(migs))
	}
	if c, err := m.VerifyJournal(ctx); err != nil || !c.OK() {
		t.Fatalf("journal: %+v %v", c, err)
	}
}
