package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/data/journal"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// busyJournal is the fixture city with a few orders issued and moved: a
// journal of a demo build and ten operations.
func busyJournal(t *testing.T) *mirror.Mirror {
	t.Helper()
	m := fixture.City(t)
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	for i := range 5 {
		o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查 \"一\"\n", Start: start, End: start.Add(time.Hour),
			Targets: []string{"990101001001001", "C990101"}, Actor: "leader"}, start.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.MoveOrder(ctx, o.UID, data.OrderAcknowledged, "operator", start.Add(time.Duration(i)*time.Minute+time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, m, `SELECT count(*) FROM journal`); n != 11 {
		t.Fatalf("%d journal entries, want 11", n)
	}
	return m
}

// tamper drops the triggers and runs SQL as someone holding the file would.
func tamper(t *testing.T, m *mirror.Mirror, stmts ...string) {
	t.Helper()
	mustExec(t, m, `DROP TRIGGER journal_no_update`)
	mustExec(t, m, `DROP TRIGGER journal_no_delete`)
	for _, s := range stmts {
		mustExec(t, m, s)
	}
}

func verify(t *testing.T, m *mirror.Mirror) data.JournalCheck {
	t.Helper()
	c, err := m.VerifyJournal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestJournalVerifiesWhenUntouched(t *testing.T) {
	m := busyJournal(t)
	c := verify(t, m)
	if !c.OK() || c.Entries != 11 || c.Bad != 0 || len(c.Head) != 64 {
		t.Fatalf("untouched journal: %+v", c)
	}
	var head string
	if err := m.DB.QueryRow(`SELECT hash FROM journal ORDER BY seq DESC LIMIT 1`).Scan(&head); err != nil || head != c.Head {
		t.Fatalf("head %s, last hash %s, %v", c.Head, head, err)
	}
	// The chain links: each entry names the one before it.
	if n := count(t, m, `SELECT count(*) FROM journal j JOIN journal p ON p.seq = j.seq - 1 WHERE j.prev_hash != p.hash`); n != 0 {
		t.Fatalf("%d broken links", n)
	}
}

// Each of the four kinds of tampering, done with plain SQL, is caught and the
// first bad entry named.
func TestJournalVerifyCatchesTampering(t *testing.T) {
	cases := []struct {
		name string
		sql  func(t *testing.T, m *mirror.Mirror) []string
		bad  int64
		code data.Code
	}{
		{"edited", func(*testing.T, *mirror.Mirror) []string {
			return []string{`UPDATE journal SET entry = json_set(entry, '$.payload.task', '撤销') WHERE seq = 4`}
		}, 4, data.CodeJournalEdited},
		{"edited actor", func(*testing.T, *mirror.Mirror) []string {
			return []string{`UPDATE journal SET entry = replace(entry, '"actor":"operator"', '"actor":"leader"') WHERE seq = 5`}
		}, 5, data.CodeJournalEdited},
		{"deleted", func(*testing.T, *mirror.Mirror) []string {
			return []string{`DELETE FROM journal WHERE seq = 6`}
		}, 7, data.CodeJournalMissing},
		{"deleted and renumbered", func(*testing.T, *mirror.Mirror) []string {
			return []string{`DELETE FROM journal WHERE seq = 6`, `UPDATE journal SET seq = -(seq - 1) WHERE seq > 6`,
				`UPDATE journal SET seq = -seq WHERE seq < 0`,
				`UPDATE kapok_meta SET value = (SELECT seq || ' ' || hash FROM journal ORDER BY seq DESC LIMIT 1) WHERE key = 'journal_head'`}
		}, 6, data.CodeJournalLinkBroken},
		{"inserted", func(t *testing.T, m *mirror.Mirror) []string {
			// A forger with Kapok's code links a made-up entry in after
			// entry 3 with a correct hash; the entry after it shows it.
			var entry, prev string
			if err := m.DB.QueryRow(`SELECT entry, hash FROM journal WHERE seq = 3`).Scan(&entry, &prev); err != nil {
				t.Fatal(err)
			}
			f, err := journal.Parse(entry)
			if err != nil {
				t.Fatal(err)
			}
			f.ID, f.Payload = "01900000-0000-7000-8000-000000000000", `{"forged":true}`
			var h journal.Hasher
			hash, err := h.Hash(prev, f)
			if err != nil {
				t.Fatal(err)
			}
			return []string{`UPDATE journal SET seq = -(seq + 1) WHERE seq > 3`, `UPDATE journal SET seq = -seq WHERE seq < 0`,
				`INSERT INTO journal (seq, entry, prev_hash, hash) VALUES (4, '` + journal.Canonical(f) + `', '` + prev + `', '` + hash + `')`,
				`UPDATE kapok_meta SET value = (SELECT seq || ' ' || hash FROM journal ORDER BY seq DESC LIMIT 1) WHERE key = 'journal_head'`}
		}, 5, data.CodeJournalLinkBroken},
		{"reordered", func(*testing.T, *mirror.Mirror) []string {
			return []string{`UPDATE journal SET seq = 100 WHERE seq = 8`, `UPDATE journal SET seq = 8 WHERE seq = 9`, `UPDATE journal SET seq = 9 WHERE seq = 100`}
		}, 8, data.CodeJournalLinkBroken},
		{"cut from the end", func(*testing.T, *mirror.Mirror) []string {
			return []string{`DELETE FROM journal WHERE seq >= 10`}
		}, 10, data.CodeJournalCut},
		{"added at the end", func(*testing.T, *mirror.Mirror) []string {
			return []string{`UPDATE kapok_meta SET value = (SELECT seq || ' ' || hash FROM journal WHERE seq = 10) WHERE key = 'journal_head'`}
		}, 11, data.CodeJournalAdded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := busyJournal(t)
			tamper(t, m, c.sql(t, m)...)
			got := verify(t, m)
			if got.OK() || got.Bad != c.bad || got.Fault.Code != c.code {
				t.Fatalf("check %+v (%v), want entry %d bad with %s", got, got.Fault, c.bad, c.code)
			}
		})
	}
}

func TestJournalEntriesFilter(t *testing.T) {
	m := busyJournal(t)
	list := func(f data.JournalFilter) []data.JournalEntry {
		var out []data.JournalEntry
		if err := m.JournalEntries(ctx, f, func(e data.JournalEntry) error { out = append(out, e); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := list(data.JournalFilter{})
	if len(all) != 11 || all[0].Kind != data.KindDemoBuild || all[0].Actor != data.SystemLogin || all[0].Seq != 1 {
		t.Fatalf("all entries: %d, first %+v", len(all), all[0])
	}
	console, err := m.ConsoleID(ctx)
	if err != nil || console == "" || all[5].Console != console {
		t.Fatalf("console id %q, entry's %q, %v", console, all[5].Console, err)
	}
	if got := list(data.JournalFilter{Actor: "operator"}); len(got) != 5 || got[0].Kind != data.KindOrderMove {
		t.Errorf("by actor: %d", len(got))
	}
	if got := list(data.JournalFilter{Kind: data.KindOrderIssue}); len(got) != 5 || got[0].Actor != "leader" {
		t.Errorf("by kind: %d", len(got))
	}
	since := time.Date(2026, 11, 25, 8, 3, 0, 0, time.UTC)
	if got := list(data.JournalFilter{Since: since, Kind: data.KindOrderIssue}); len(got) != 2 || got[0].At.Before(since) {
		t.Errorf("since: %d", len(got))
	}
	if got := list(data.JournalFilter{Limit: 3}); len(got) != 3 {
		t.Errorf("limit: %d", len(got))
	}
}
