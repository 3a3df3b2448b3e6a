package app

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/journal"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// grownJournal is a copy of the demo Guangzhou whose journal has n more
// entries chained after its own, a second apart up to the demo's as-of, as
// a year of a command post's work leaves them: case steps, order moves and
// alert acknowledgements by the operators and leaders of the districts.
func grownJournal(b *testing.B, n int) *mirror.Mirror {
	b.Helper()
	m := fixture.WritableGuangzhou(b)
	tx, err := m.DB.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	var head, console string
	if err := tx.QueryRow(`SELECT (SELECT value FROM kapok_meta WHERE key = 'journal_head'), (SELECT value FROM kapok_meta WHERE key = 'console_id')`).
		Scan(&head, &console); err != nil {
		b.Fatal(err)
	}
	seqText, prev, _ := strings.Cut(head, " ")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO journal (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	var h journal.Hasher
	kinds := []string{data.KindCaseMove, data.KindCaseMove, data.KindCaseReport, data.KindOrderMove, data.KindAlertAck}
	actors := []string{"operator_440106", "operator_440104", "leader_440106", "operator"}
	first := fixture.AsOf.Add(-time.Duration(n) * time.Second)
	for i := range n {
		seq++
		id := fmt.Sprintf("01a2%04x-0000-7000-8000-%012x", i>>16, i)
		f := journal.Fields{ID: id, Console: console, Actor: actors[i%len(actors)], At: first.Add(time.Duration(i) * time.Second).UTC().Format("2006-01-02T15:04:05.000Z"),
			Kind: kinds[i%len(kinds)], Subject: fmt.Sprintf("E20261125-%08x", i),
			Payload: fmt.Sprintf(`{"from":"filed","grid":"440106001001%03d","note":"","to":"dispatched","units":["U440106001001%03d1"],"version":%d}`, i%500, i%500, i%7)}
		hash, err := h.Hash(prev, f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ins.Exec(seq, journal.Canonical(f), prev, hash); err != nil {
			b.Fatal(err)
		}
		prev = hash
	}
	if _, err := tx.Exec(`UPDATE kapok_meta SET value = ? WHERE key = 'journal_head'`, fmt.Sprintf("%d %s", seq, prev)); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return m
}

// Target: a page of the journal viewer ≤ 1 s with 100,000 entries (read
// off the UI goroutine; the window stays responsive meanwhile). The demo
// Guangzhou with 100,000 entries more: the newest page of all, the page
// before the oldest tenth (its pass stops at the page), one actor's newest
// and one kind's newest.
func BenchmarkJournalPage100k(b *testing.B) {
	m := grownJournal(b, 100_000)
	for _, bc := range []struct {
		name   string
		q      journalQuery
		before int64
	}{
		{"newest", journalQuery{}, 0},
		{"older", journalQuery{}, 10_000},
		{"actor", journalQuery{filter: data.JournalFilter{Actor: "leader_440106"}}, 0},
		{"kind", journalQuery{filter: data.JournalFilter{Kind: data.KindAlertAck}}, 0},
		{"last-day", journalQuery{filter: data.JournalFilter{Since: fixture.AsOf.Add(-24 * time.Hour)}}, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				page, matched, err := readJournalPage(bg, m, bc.q, bc.before, journalPageSize)
				if err != nil || len(page) != journalPageSize || matched < journalPageSize {
					b.Fatalf("%d of %d: %v", len(page), matched, err)
				}
			}
		})
	}
}
