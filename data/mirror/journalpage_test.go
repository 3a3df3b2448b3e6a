package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// A viewer's page: the newest entries below a position, newest first, and
// the count of what a filter picks — the same entries as the oldest-first
// stream, reversed.
func TestJournalNewestFirstPages(t *testing.T) {
	m := fixture.City(t)
	for i := range 6 {
		at := fixture.AsOf.Add(time.Duration(i) * time.Minute)
		if _, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: at, End: at.Add(time.Hour), Targets: []string{"990101001001001"}, Actor: "leader"}, at); err != nil {
			t.Fatal(err)
		}
	}
	var all []data.JournalEntry
	if err := m.JournalEntries(ctx, data.JournalFilter{}, func(e data.JournalEntry) error { all = append(all, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(all) < 5 {
		t.Fatalf("%d entries in the fixture's journal", len(all))
	}
	n, err := m.JournalCount(ctx, data.JournalFilter{})
	if err != nil || n != int64(len(all)) {
		t.Fatalf("count %d %v, streamed %d", n, err, len(all))
	}
	before := all[len(all)-2].Seq // the page below the newest but one
	var page []data.JournalEntry
	if err := m.JournalEntries(ctx, data.JournalFilter{Before: before, Newest: true, Limit: 3}, func(e data.JournalEntry) error {
		page = append(page, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, e := range page {
		if want := all[len(all)-3-i]; e.Seq != want.Seq || e.Hash != want.Hash || e.Kind != want.Kind {
			t.Errorf("page entry %d: #%d, want #%d", i, e.Seq, want.Seq)
		}
	}
	if len(page) != 3 {
		t.Fatalf("page of %d", len(page))
	}
	if n, err := m.JournalCount(ctx, data.JournalFilter{Before: before}); err != nil || n != int64(len(all)-2) {
		t.Errorf("count before #%d: %d %v, want %d", before, n, err, len(all)-2)
	}
	// Until: the entries before an instant.
	until := all[len(all)-1].At
	n, err = m.JournalCount(ctx, data.JournalFilter{Until: until})
	want := 0
	for _, e := range all {
		if e.At.Before(until) {
			want++
		}
	}
	if err != nil || n != int64(want) {
		t.Errorf("count until %v: %d %v, want %d", until, n, err, want)
	}
}
