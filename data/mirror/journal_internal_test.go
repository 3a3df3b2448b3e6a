package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kapok/data"
)

// smallPages makes the checker read 7 entries a page and give a stretch of
// its own to 5 entries, so that a journal of 60 entries has many pages and
// one stretch per core.
func smallPages(t *testing.T) {
	t.Helper()
	ps, ms := pageSize, minStretch
	pageSize, minStretch = 7, 5
	t.Cleanup(func() { pageSize, minStretch = ps, ms })
}

// journalOf60 is an empty mirror with 60 journal entries appended.
func journalOf60(t *testing.T) *Mirror {
	t.Helper()
	m, err := Open(filepath.Join(t.TempDir(), "j.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	ctx := context.Background()
	for i := range 60 {
		err := m.update(ctx, func(tx *sql.Tx) error {
			_, err := journalAppend(ctx, tx, change{Kind: data.KindOrderMove, Subject: fmt.Sprint("order-", i%9), Actor: "leader",
				At: time.Date(2026, 11, 25, 8, 0, i, 0, time.UTC), Payload: map[string]any{"n": i, "to": "done"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func exec(t *testing.T, m *Mirror, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := m.DB.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func verifyNow(t *testing.T, m *Mirror) data.JournalCheck {
	t.Helper()
	c, err := m.VerifyJournal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const dropTriggers = `DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete`

// The stretches and pages join up, and tampering at a page's or a
// stretch's edge is found at the right entry.
func TestJournalCheckAcrossPagesAndStretches(t *testing.T) {
	smallPages(t)
	m := journalOf60(t)
	bounds, err := m.stretchBounds(context.Background(), 1, 60)
	if err != nil || len(bounds) < 3 {
		t.Fatalf("stretch bounds %v, %v: the test wants two stretches or more", bounds, err)
	}
	if c := verifyNow(t, m); !c.OK() || c.Entries != 60 {
		t.Fatalf("untouched: %+v %v", c, c.Fault)
	}
	edge := bounds[1] // the first entry of the second stretch
	for _, c := range []struct {
		name string
		sql  []string
		bad  int64
		code data.Code
	}{
		{"edit at a page's last entry", []string{`UPDATE journal SET entry = replace(entry, '"done"', '"undone"') WHERE seq = 14`}, 14, data.CodeJournalEdited},
		{"edit at a page's first entry", []string{`UPDATE journal SET entry = replace(entry, '"done"', '"undone"') WHERE seq = 15`}, 15, data.CodeJournalEdited},
		{"edit at a stretch's first entry", []string{fmt.Sprintf(`UPDATE journal SET entry = replace(entry, '"done"', '"undone"') WHERE seq = %d`, edge)}, edge, data.CodeJournalEdited},
		{"delete a stretch's first entry", []string{fmt.Sprintf(`DELETE FROM journal WHERE seq = %d`, edge)}, edge + 1, data.CodeJournalMissing},
		{"delete the entry before a stretch", []string{fmt.Sprintf(`DELETE FROM journal WHERE seq = %d`, edge-1)}, edge, data.CodeJournalMissing},
		// The reviewer's smuggling: entry 6 hidden in entry 5's hash field
		// and deleted, so that a page split on separators alone would find
		// it and count 60 entries.
		{"entry smuggled in a hash field", []string{
			`UPDATE journal SET hash = hash || char(30) || (SELECT seq || char(31) || entry || char(31) || prev_hash || char(31) || hash FROM journal WHERE seq = 6) WHERE seq = 5`,
			`DELETE FROM journal WHERE seq = 6`}, 5, data.CodeJournalMalformed},
		// (A separator inside an entry is refused by its json_valid CHECK.)
		{"separator in a hash field", []string{`UPDATE journal SET prev_hash = prev_hash || char(31) WHERE seq = 20`}, 20, data.CodeJournalLinkBroken},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := journalOf60(t)
			exec(t, m, dropTriggers)
			exec(t, m, c.sql...)
			got := verifyNow(t, m)
			if got.OK() || got.Bad != c.bad || got.Fault.Code != c.code {
				t.Fatalf("check %+v (%v), want entry %d with %s", got, got.Fault, c.bad, c.code)
			}
		})
	}
}

// A forged entry at a far position is reported at once, not after walking
// the empty positions before it.
func TestJournalCheckFarPositions(t *testing.T) {
	smallPages(t)
	for _, seq := range []int64{1_000_000_000_000, math.MaxInt64} {
		m := journalOf60(t)
		exec(t, m, fmt.Sprintf(`INSERT INTO journal (seq, entry, prev_hash, hash) SELECT %d, json_set(entry, '$.id', 'forged'), prev_hash, '%064d' FROM journal WHERE seq = 60`, seq, 0))
		start := time.Now()
		got := verifyNow(t, m)
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("seq %d: took %v", seq, took)
		}
		if got.OK() || got.Bad != 61 || got.Fault.Code != data.CodeJournalAdded {
			t.Fatalf("seq %d: %+v %v", seq, got, got.Fault)
		}
	}
}

// Entries appended while a check runs are neither checked nor taken for
// tampering: the check reads the head and the chain's extent in one
// snapshot.
func TestJournalCheckWhileAppending(t *testing.T) {
	smallPages(t)
	m := journalOf60(t)
	other, err := Open(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ctx := context.Background()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := other.update(ctx, func(tx *sql.Tx) error {
				_, err := journalAppend(ctx, tx, change{Kind: data.KindOrderMove, Subject: "s", Actor: "operator", At: time.Now(), Payload: map[string]any{"i": i}})
				return err
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := range 100 {
		if c := verifyNow(t, m); !c.OK() {
			close(stop)
			wg.Wait()
			t.Fatalf("check %d during appends: %+v %v", i, c, c.Fault)
		}
	}
	close(stop)
	wg.Wait()
	if c := verifyNow(t, m); !c.OK() || c.Entries <= 60 {
		t.Fatalf("after the appends: %+v", c)
	}
}

// Fields that are not valid UTF-8 or hold control characters are refused
// before anything is written: what is hashed is what is shown.
func TestJournalRefusesMalformedFields(t *testing.T) {
	m := journalOf60(t)
	ctx := context.Background()
	for _, actor := range []string{"lead\xffer", "lea\nder"} {
		err := m.update(ctx, func(tx *sql.Tx) error {
			_, err := journalAppend(ctx, tx, change{Kind: data.KindOrderMove, Subject: "s", Actor: actor, At: time.Now(), Payload: map[string]any{}})
			return err
		})
		if err == nil {
			t.Errorf("actor %q journaled", actor)
		}
	}
	if c := verifyNow(t, m); !c.OK() || c.Entries != 60 {
		t.Fatalf("%+v", c)
	}
}
