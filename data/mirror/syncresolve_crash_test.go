package mirror_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// Marking sync's rejections resolved, under crashes and concurrency: the
// mark and its journal entry land together, once.

// addRejections records n of this console's changes as rejected by sync,
// authored by login (as a sync would after a conflict).
func addRejections(t *testing.T, m *mirror.Mirror, login string, n int) []string {
	t.Helper()
	var ids []string
	base := count(t, m, `SELECT coalesce(max(arrival), 0) FROM sync_log`)
	for i := range n {
		id := fmt.Sprintf("rejected-%d-%d", base, i)
		if _, err := m.DB.Exec(`INSERT INTO sync_log (arrival, entry_id, console, console_seq, kind, subject, actor, at, entry, outcome, refusal,
			applied_at) VALUES (?, ?, (SELECT value FROM kapok_meta WHERE key = 'console_id'), 1, 'order.move', 'o', ?, '2026-11-25T01:00:00.000Z',
			'', 'rejected', '{"code":"order_move_not_allowed"}', '2026-11-25T01:00:00.000Z')`, base+int64(i)+1, id, login); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// Eight processes' worth of connections resolve the same rejections at
// once: each is resolved once, with one journal entry; the others are
// told it was resolved already.
func TestResolveConflictConcurrently(t *testing.T) {
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	ids := addRejections(t, m, "commander", 20)
	var wg sync.WaitGroup
	var mu sync.Mutex
	resolved, already := 0, 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := mirror.Open(path)
			if err != nil {
				t.Error(err)
				return
			}
			defer func() { _ = w.Close() }()
			for _, id := range ids {
				err := w.ResolveConflict(ctx, id, "commander", time.Now())
				var f *data.Refusal
				mu.Lock()
				switch {
				case err == nil:
					resolved++
				case errors.As(err, &f) && f.Code == data.CodeConflictResolved:
					already++
				default:
					t.Error(err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if resolved != len(ids) || already != 7*len(ids) {
		t.Fatalf("%d resolved, %d told resolved already; want %d and %d", resolved, already, len(ids), 7*len(ids))
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'sync.resolve'`); n != int64(len(ids)) {
		t.Fatalf("%d sync.resolve entries for %d rejections", n, len(ids))
	}
}

const resolverEnv = "KAPOK_CONFLICT_RESOLVER"

// TestHelperConflictResolver is not a test: run with
// KAPOK_CONFLICT_RESOLVER=path, it resolves every unresolved rejection
// of the mirror, one by one, until killed.
func TestHelperConflictResolver(t *testing.T) {
	path := os.Getenv(resolverEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	writingNow()
	for {
		cs, err := m.SyncConflicts(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			time.Sleep(time.Millisecond)
			continue
		}
		if err := m.ResolveConflict(ctx, cs[0].EntryID, "commander", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// kill -9 while rejections are resolved: each time, the rejections marked
// resolved are exactly those with a sync.resolve entry.
func TestResolveConflictSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	path := fixture.CityPath(t)
	rng := rand.New(rand.NewPCG(14, 14))
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	addRejections(t, m, "commander", 3000)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	var resolved int64
	for round := 0; round < 6 || resolved == 0 && round < 40; round++ {
		m := reopenAfterKill(t, rng, round, "TestHelperConflictResolver", resolverEnv, path)
		resolved = count(t, m, `SELECT count(*) FROM sync_log WHERE resolved_at IS NOT NULL`)
		entries := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'sync.resolve'`)
		matched := count(t, m, `SELECT count(*) FROM sync_log l WHERE resolved_at IS NOT NULL AND EXISTS
			(SELECT 1 FROM journal j WHERE j.kind = 'sync.resolve' AND j.subject = l.entry_id)`)
		if entries != resolved || matched != resolved {
			t.Fatalf("round %d: %d resolved, %d sync.resolve entries, %d of them matching", round, resolved, entries, matched)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if resolved == 0 {
		t.Fatal("no rejection was resolved before the kills")
	}
	t.Logf("%d rejections resolved across the kills", resolved)
}
