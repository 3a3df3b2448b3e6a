package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kapok/data/gpkg"
	"kapok/data/journal"
)

// A mirror whose journal holds a million entries like the console's (order
// moves, ~300 bytes each), built once per benchmark process.
var (
	millionOnce sync.Once
	millionPath string
	millionErr  error
)

func millionJournal(b *testing.B) string {
	millionOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kapok-journal")
		if err != nil {
			millionErr = err
			return
		}
		millionPath = filepath.Join(dir, "j.gpkg")
		m, err := Open(millionPath)
		if err != nil {
			millionErr = err
			return
		}
		defer func() { _ = m.Close() }()
		ctx := context.Background()
		millionErr = m.update(ctx, func(tx *sql.Tx) error {
			console, err := metaTx(ctx, tx, "console_id")
			if err != nil {
				return err
			}
			bt := NewBatcher(tx, "journal", "seq", "entry", "prev_hash", "hash")
			var h journal.Hasher
			prev := ""
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := 1; i <= 1_000_000; i++ {
				uid, err := newUID(tx)
				if err != nil {
					return err
				}
				f := journal.Fields{ID: uid, Console: console, Actor: "operator_440106", At: gpkg.FormatTime(at.Add(time.Duration(i) * time.Second)),
					Kind: "order.move", Subject: uid,
					Payload: fmt.Sprintf(`{"from":"issued","number":%d,"to":"acknowledged","uid":"%s"}`, i, uid)}
				hash, err := h.Hash(prev, f)
				if err != nil {
					return err
				}
				if err := bt.Add(i, journal.Canonical(f), prev, hash); err != nil {
					return err
				}
				prev = hash
			}
			if err := bt.Flush(); err != nil {
				return err
			}
			return setMetaTx(ctx, tx, "journal_head", formatHead(1_000_000, prev))
		})
	})
	if millionErr != nil {
		b.Fatal(millionErr)
	}
	return millionPath
}

// Target: ≤ 2 s. Cold: a newly opened mirror each time (the file is in the
// OS page cache after the first run).
func BenchmarkVerifyJournalMillion(b *testing.B) {
	path := millionJournal(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		m, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		c, err := m.VerifyJournal(ctx)
		if err != nil || !c.OK() || c.Entries != 1_000_000 {
			b.Fatalf("%+v, %v", c, err)
		}
		if err := m.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJournalAppend is what journaling adds to an operation: one entry
// appended inside the operation's transaction (read the head, hash, insert,
// move the head). Target: ≤ 0.2 ms. The transaction's commit is not counted:
// the operation commits anyway.
func BenchmarkJournalAppend(b *testing.B) {
	m, err := Open(filepath.Join(b.TempDir(), "a.gpkg"))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	ctx := context.Background()
	payload := map[string]any{"uid": "0190f8a0-0000-7000-8000-000000000001", "number": 12, "from": "issued", "to": "acknowledged"}
	tx, err := m.DB.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := journalAppend(ctx, tx, change{Kind: "order.move", Subject: "s", Actor: "leader", At: time.Now(), Payload: payload}); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 999 { // keep the transaction a usual size
			b.StopTimer()
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			if tx, err = m.DB.BeginTx(ctx, nil); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if c, err := m.VerifyJournal(ctx); err != nil || !c.OK() {
		b.Fatalf("%+v %v", c, err)
	}
}
