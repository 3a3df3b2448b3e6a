package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"kapok/data"
	"kapok/internal/fixture"
)

// waitJournalPage runs the background's hand-overs until the viewer shows
// the page it was reading.
func waitJournalPage(t *testing.T, v *JournalViewer) {
	t.Helper()
	pump(t, 20*time.Second, func() bool { return v.cancel == nil })
}

// seqs are a page's positions, as listed.
func seqs(es []data.JournalEntry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

// The journal viewer, for those who may read the journal: the newest
// entries first, filtered by actor, kind and span, a page at a time
// (older, newer), an entry's payload in the details, the chain's status
// and a check of it on demand that finds an edited entry.
func TestJournalViewer(t *testing.T) {
	m := fixture.City(t)
	addUser(t, m, "analyst", string(data.RoleAnalyst), "9901")
	const grid = "990101001001001"
	start := testNow.Add(time.Hour)
	// Seven orders, the leader's and the operator's in turn, a minute
	// apart, and a case.
	for i := range 7 {
		actor := []string{"leader", "operator"}[i%2]
		if _, err := m.IssueOrder(bg, data.OrderRequest{Type: data.OrderPatrol, Priority: data.PriorityNormal, Task: "巡查" + string(rune('A'+i)),
			Start: start, End: start.Add(time.Hour), Targets: []string{grid}, Actor: actor}, testNow.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.ReportCase(bg, data.CaseReport{Grid: grid, Matter: "MD01", Description: "噪音", Actor: "operator"}, testNow.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return testNow.Add(time.Hour) }

	// Only the leadership and the admin are offered it.
	for login, offered := range map[string]bool{"operator": false, "analyst": false, "admin": true} {
		c := newConsoleOn(t, m, login, now)
		menus := c.Win.MainMenu().Items
		if got := len(menus) >= 2 && slices.Contains(menuLabels(menus[1]), "Journal of changes…"); got != offered {
			t.Errorf("%s is offered the journal: %v, want %v", login, got, offered)
		}
		c.OpenJournalViewer()
		if got := c.JournalViewing() != nil; got != offered {
			t.Errorf("%s opens the journal viewer: %v", login, got)
		}
		if v := c.JournalViewing(); v != nil {
			waitJournalPage(t, v)
			v.dlg.Hide()
		}
	}

	c := newConsoleOn(t, m, "leader", now)
	c.VerifyJournalInBackground()
	waitJournalCheck(t, c)
	c.Win.MainMenu().Items[1].Items[0].Action()
	v := c.JournalViewing()
	if v == nil {
		t.Fatal("View ▸ Journal of changes… opened nothing")
	}
	waitJournalPage(t, v)
	// demo.build, seven orders, the case.
	if got := seqs(v.entries); !slices.Equal(got, []int64{9, 8, 7, 6, 5, 4, 3, 2, 1}) {
		t.Fatalf("the viewer lists %v", got)
	}
	if v.Page.Text != "1–9 of 9 entries, newest first" || v.Older.Disabled() == false || v.Newer.Disabled() == false {
		t.Errorf("page %q, older enabled %v, newer enabled %v", v.Page.Text, !v.Older.Disabled(), !v.Newer.Disabled())
	}
	if !strings.Contains(v.Chain.Text, "The chain holds: 9 entries checked") {
		t.Errorf("chain status %q", v.Chain.Text)
	}
	if line := journalLine(v.entries[0]); !strings.Contains(line, "#9 · 2026-11-25 10:10:00 · operator · case reported · E") {
		t.Errorf("the newest entry reads %q", line)
	}
	v.List.Select(1)
	if d := v.Details.Text; !strings.Contains(d, "Kind: order issued (order.issue)") || !strings.Contains(d, `"task": "巡查G"`) ||
		!strings.Contains(d, "Actor: leader") {
		t.Errorf("the details of entry 8:\n%s", d)
	}

	// By actor and kind.
	v.Actor.SetText("operator")
	v.Kind.SetSelectedIndex(1 + slices.Index(journalKinds, data.KindOrderIssue))
	test.Tap(v.Show)
	waitJournalPage(t, v)
	if got := seqs(v.entries); !slices.Equal(got, []int64{7, 5, 3}) {
		t.Errorf("the operator's orders: %v", got)
	}
	// By span: the orders issued from 10:02 to before 10:05 Beijing.
	v.Actor.SetText("")
	v.From.SetText("2026-11-25 10:02")
	v.To.SetText("2026-11-25 10:05")
	test.Tap(v.Show)
	waitJournalPage(t, v)
	if got := seqs(v.entries); !slices.Equal(got, []int64{6, 5, 4}) {
		t.Errorf("the orders of 10:02–10:05: %v", got)
	}
	if v.Span.SelectedIndex() != len(journalSpans)-1 {
		t.Errorf("typed times leave the span choice at %q", v.Span.Selected)
	}
	v.To.SetText("10:05")
	test.Tap(v.Show)
	if !strings.Contains(v.Page.Text, "to 10:05 is not YYYY-MM-DD hh:mm") {
		t.Errorf("a bad time says %q", v.Page.Text)
	}
	// A span chosen fills From.
	v.Span.SetSelectedIndex(1) // the last hour
	if v.From.Text != "2026-11-25 10:00" || v.To.Text != "" {
		t.Errorf("the last hour reads from %q to %q", v.From.Text, v.To.Text)
	}

	// Pages of three: newest first, then older, and back.
	journalPageSize = 3
	t.Cleanup(func() { journalPageSize = 200 })
	v.Kind.SetSelectedIndex(0)
	v.Span.SetSelectedIndex(0)
	test.Tap(v.Show)
	waitJournalPage(t, v)
	var pages [][]int64
	for {
		pages = append(pages, seqs(v.entries))
		if v.Older.Disabled() {
			break
		}
		test.Tap(v.Older)
		waitJournalPage(t, v)
	}
	if want := [][]int64{{9, 8, 7}, {6, 5, 4}, {3, 2, 1}}; !slices.EqualFunc(pages, want, slices.Equal) {
		t.Errorf("pages %v, want %v", pages, want)
	}
	if v.Page.Text != "7–9 of 9 entries, newest first" {
		t.Errorf("the last page says %q", v.Page.Text)
	}
	test.Tap(v.Newer)
	waitJournalPage(t, v)
	if got := seqs(v.entries); !slices.Equal(got, []int64{6, 5, 4}) || v.Page.Text != "4–6 of 9 entries, newest first" {
		t.Errorf("back a page: %v %q", got, v.Page.Text)
	}

	// Checking the chain again finds an entry edited meanwhile.
	for _, q := range []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET entry = replace(entry, '巡查C', '巡查X') WHERE seq = 4`} {
		if _, err := m.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	test.Tap(v.Verify)
	waitJournalCheck(t, c)
	if !strings.Contains(v.Chain.Text, "entry 4 does not match its hash") || !strings.Contains(bannerText(c), "entry 4") {
		t.Errorf("after the edit the viewer says %q, the banner %q", v.Chain.Text, bannerText(c))
	}
}
