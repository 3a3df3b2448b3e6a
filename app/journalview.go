package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// The journal viewer (View ▸ Journal of changes…), for the roles that may
// read the journal (data.ActJournalView: the leadership, the admin): the
// entries a filter picks (actor, kind, time span), newest first, a page at
// a time; the chosen entry's fields and payload; the chain's status as the
// check at start found it, and a button checking it again.
//
// A journal may hold hundreds of thousands of entries: a page is read off
// the UI goroutine, newest first below the page's upper bound
// (JournalFilter.Before, Newest, Limit), and counted; a newer request
// cancels the one in flight.

// journalPageSize is how many entries a page lists.
var journalPageSize = 200

// journalKinds are the kinds the filter offers, in the order the journal's
// families came.
var journalKinds = data.JournalKinds

// journalSpans are the span filter's choices: how far back from now (0:
// any time; -1: the From and To typed).
var journalSpans = []struct {
	label string
	back  time.Duration
}{{"Any time", 0}, {"Last hour", time.Hour}, {"Last 24 hours", 24 * time.Hour}, {"Last 7 days", 7 * 24 * time.Hour},
	{"Last 30 days", 30 * 24 * time.Hour}, {"From … to …", -1}}

// JournalViewer is the journal viewer on show.
type JournalViewer struct {
	Actor    *widget.Entry
	Kind     *widget.Select // "all kinds", then journalKinds
	Span     *widget.Select // journalSpans
	From, To *widget.Entry  // Beijing time, for the span typed
	Show     *widget.Button
	List     *widget.List
	Details  *widget.Label
	Page     *widget.Label // which entries are listed, or why none
	Newer    *widget.Button
	Older    *widget.Button
	Chain    *widget.Label // the chain's status
	Verify   *widget.Button
	Busy     *widget.ProgressBarInfinite

	entries []data.JournalEntry // the page, newest first
	chosen  int64               // the entry whose details show (0: none)
	query   journalQuery        // the filter of the pages
	bounds  []int64             // each page's upper bound (exclusive; 0 none), the page shown last
	total   int                 // entries the filter picks, read with the first page
	cancel  context.CancelFunc  // the read in flight, or nil
	gen     int                 // the read in flight's number: an older one's page is dropped
	dlg     dialog.Dialog
}

// journalQuery is what a page is read by: the store's filter and the end
// of the span (zero: none).
type journalQuery struct {
	filter data.JournalFilter
	until  time.Time
}

// JournalViewing is the journal viewer on show, or nil.
func (c *Console) JournalViewing() *JournalViewer { return c.journalView }

// kindName is a journal entry's kind in words, the kind itself when it has
// none (a kind added since).
func kindName(kind string) string {
	key := "kind." + kind
	if t := T(key); t != key {
		return t
	}
	return kind
}

// OpenJournalViewer opens the journal viewer on the newest entries; a user
// whose role may not read the journal gets nothing (the menu offers it only
// to those who may).
func (c *Console) OpenJournalViewer() {
	if !c.may(data.ActJournalView) {
		return
	}
	v := &JournalViewer{}
	v.Actor = widget.NewEntry()
	v.Actor.SetPlaceHolder(T("any user (login)"))
	kinds := []string{T("All kinds")}
	for _, k := range journalKinds {
		kinds = append(kinds, kindName(k))
	}
	v.Kind = newSelect(kinds, nil)
	v.Kind.SetSelectedIndex(0)
	v.From, v.To = widget.NewEntry(), widget.NewEntry()
	v.From.SetPlaceHolder(T("from YYYY-MM-DD hh:mm"))
	v.To.SetPlaceHolder(T("to YYYY-MM-DD hh:mm"))
	var spans []string
	for _, s := range journalSpans {
		spans = append(spans, T(s.label))
	}
	v.Span = newSelect(spans, func(string) {
		// A span chosen shows its bounds; typing them is the last choice.
		if i := v.Span.SelectedIndex(); i >= 0 && journalSpans[i].back >= 0 {
			v.To.SetText("")
			v.From.SetText("")
			if back := journalSpans[i].back; back > 0 {
				v.From.SetText(c.Now().Add(-back).In(beijing).Format(timeLayout))
			}
		}
	})
	v.Span.SetSelectedIndex(0)
	typed := func(string) { v.Span.SetSelectedIndex(len(journalSpans) - 1) }
	v.From.OnChanged, v.To.OnChanged = typed, typed
	v.Show = widget.NewButtonWithIcon(T("Show"), theme.SearchIcon(), func() { c.showJournal(v) })
	v.Show.Importance = widget.HighImportance
	v.Actor.OnSubmitted = func(string) { c.showJournal(v) }
	v.List = widget.NewList(func() int { return len(v.entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.entries) {
				o.(*widget.Label).SetText(journalLine(v.entries[i]))
			}
		})
	v.List.OnSelected = func(i widget.ListItemID) {
		if i < len(v.entries) {
			v.chosen = v.entries[i].Seq
			v.Details.SetText(journalDetails(v.entries[i]))
		}
	}
	v.Details = widget.NewLabel(T("Choose an entry to see what it changed."))
	v.Details.Wrapping = fyne.TextWrapBreak
	v.Details.TextStyle.Monospace = true
	v.Page = widget.NewLabel("")
	v.Newer = widget.NewButtonWithIcon(T("Newer"), theme.NavigateBackIcon(), func() { c.journalPage(v, -1) })
	v.Older = widget.NewButtonWithIcon(T("Older"), theme.NavigateNextIcon(), func() { c.journalPage(v, +1) })
	v.Chain = widget.NewLabel("")
	v.Chain.Wrapping = fyne.TextWrapWord
	v.Verify = widget.NewButtonWithIcon(T("Check the chain"), theme.ViewRefreshIcon(), func() { c.verifyJournalFromViewer(v) })
	v.Busy = widget.NewProgressBarInfinite()
	v.Busy.Hide()
	c.showChainStatus(v)

	filters := container.NewBorder(nil, nil, nil, v.Show, container.NewGridWithColumns(5, v.Actor, v.Kind, v.Span, v.From, v.To))
	pager := container.NewBorder(nil, nil, nil, container.NewHBox(v.Newer, v.Older), v.Page)
	left := container.NewBorder(nil, container.NewVBox(v.Busy, pager), nil, nil, v.List)
	split := container.NewHSplit(left, container.NewVScroll(v.Details))
	split.Offset = 0.55
	chain := container.NewBorder(nil, nil, nil, v.Verify, v.Chain)
	var dlg dialog.Dialog
	closeBtn := widget.NewButton(T("Close"), func() { dlg.Hide() })
	body := container.NewBorder(container.NewVBox(chain, widget.NewSeparator(), filters), container.NewBorder(nil, nil, nil, closeBtn),
		nil, nil, split)
	dlg = dialog.NewCustomWithoutButtons(T("Journal of changes"), c.sensed(body), c.Win)
	dlg.SetOnClosed(func() {
		if v.cancel != nil {
			v.cancel()
		}
		if c.journalView == v {
			c.journalView = nil
		}
	})
	v.dlg = dlg
	c.journalView = v
	dlg.Show()
	dlg.Resize(fyne.NewSize(1200, 760))
	c.showJournal(v)
}

// journalLine is an entry as the list shows it: its position, Beijing
// time, actor, kind and subject.
func journalLine(e data.JournalEntry) string {
	line := fmt.Sprintf("#%d · %s · %s · %s", e.Seq, e.At.In(beijing).Format("2006-01-02 15:04:05"), e.Actor, kindName(e.Kind))
	if e.Subject != "" {
		line += " · " + e.Subject
	}
	return line
}

// journalDetails is an entry's every field and its payload, indented.
func journalDetails(e data.JournalEntry) string {
	var payload bytes.Buffer
	if err := json.Indent(&payload, []byte(e.Payload), "", "  "); err != nil {
		payload.Reset()
		payload.WriteString(e.Payload)
	}
	prev := e.PrevHash
	if prev == "" {
		prev = T("(none: the first entry)")
	}
	rows := [][2]string{
		{T("Position"), fmt.Sprint(e.Seq)},
		{T("Time"), e.At.In(beijing).Format("2006-01-02 15:04:05.000") + " " + T("(Beijing)")},
		{T("Actor"), e.Actor},
		{T("Kind"), kindName(e.Kind) + " (" + e.Kind + ")"},
		{T("Subject"), e.Subject},
		{T("Entry id"), e.ID},
		{T("Console"), e.Console},
		{T("Previous hash"), prev},
		{T("Entry hash"), e.Hash},
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s: %s\n", r[0], r[1])
	}
	fmt.Fprintf(&b, "\n%s:\n%s\n", T("Payload"), payload.String())
	return b.String()
}

// journalFilter reads the filters into a query; a time that does not read
// is said under the list.
func (c *Console) journalFilter(v *JournalViewer) (journalQuery, error) {
	var q journalQuery
	q.filter.Actor = strings.TrimSpace(v.Actor.Text)
	if i := v.Kind.SelectedIndex(); i > 0 {
		q.filter.Kind = journalKinds[i-1]
	}
	at := func(e *widget.Entry, which string) (time.Time, error) {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation(timeLayout, s, beijing)
		if err != nil {
			return t, errors.New(T("{{.Which}} {{.V}} is not YYYY-MM-DD hh:mm", map[string]any{"Which": which, "V": s}))
		}
		return t, nil
	}
	var err error
	if q.filter.Since, err = at(v.From, T("from")); err != nil {
		return q, err
	}
	if q.until, err = at(v.To, T("to")); err != nil {
		return q, err
	}
	return q, nil
}

// showJournal lists the newest entries the filters pick.
func (c *Console) showJournal(v *JournalViewer) {
	q, err := c.journalFilter(v)
	if err != nil {
		v.Page.SetText(err.Error())
		v.Page.Importance = widget.DangerImportance
		v.Page.Refresh()
		return
	}
	v.query, v.bounds, v.total = q, []int64{0}, -1
	c.loadJournalPage(v)
}

// journalPage goes one page newer (-1) or older (+1).
func (c *Console) journalPage(v *JournalViewer, step int) {
	switch {
	case step < 0 && len(v.bounds) > 1:
		v.bounds = v.bounds[:len(v.bounds)-1]
	case step > 0 && len(v.entries) > 0:
		v.bounds = append(v.bounds, v.entries[len(v.entries)-1].Seq)
	default:
		return
	}
	c.loadJournalPage(v)
}

// loadJournalPage reads the page under the last bound off the UI goroutine
// and shows it.
func (c *Console) loadJournalPage(v *JournalViewer) {
	if v.cancel != nil {
		v.cancel()
	}
	ctx, cancel := context.WithCancel(bg)
	v.cancel = cancel
	v.gen++
	gen, q, before := v.gen, v.query, v.bounds[len(v.bounds)-1]
	v.Busy.Show()
	v.Busy.Start()
	v.Show.Disable()
	v.Newer.Disable()
	v.Older.Disable()
	m := c.M
	go func() {
		page, matched, err := readJournalPage(ctx, m, q, before, journalPageSize)
		cancel()
		deliverUI(func() {
			if gen != v.gen {
				return // a newer read is on its way
			}
			v.cancel = nil
			v.Busy.Stop()
			v.Busy.Hide()
			v.Show.Enable()
			c.showJournalPage(v, page, matched, err)
		})
	}()
}

// showJournalPage shows a page read, how many it is of, and whether there
// are newer or older ones.
func (c *Console) showJournalPage(v *JournalViewer, page []data.JournalEntry, matched int, err error) {
	v.Page.Importance = widget.MediumImportance
	if err != nil {
		v.entries = nil
		v.Page.Importance = widget.DangerImportance
		v.Page.SetText(c.text(err))
	} else {
		v.entries = page
		if len(v.bounds) == 1 {
			v.total = matched // the first page's pass counted them all
		}
		switch {
		case len(page) == 0:
			v.Page.SetText(T("No entry matches."))
		default:
			// Positions counted from the newest among those matching.
			first := v.total - matched + 1
			v.Page.SetText(T("{{.From}}–{{.To}} of {{.N}} entries, newest first", map[string]any{
				"From": first, "To": first + len(page) - 1, "N": v.total}))
		}
	}
	v.Page.Refresh()
	if len(v.bounds) > 1 {
		v.Newer.Enable()
	}
	if err == nil && matched > len(page) {
		v.Older.Enable()
	}
	v.List.UnselectAll()
	v.List.Refresh()
	v.List.ScrollToTop()
	if i := slices.IndexFunc(v.entries, func(e data.JournalEntry) bool { return e.Seq == v.chosen }); i >= 0 {
		v.List.Select(i)
	} else {
		v.chosen = 0
		v.Details.SetText(T("Choose an entry to see what it changed."))
	}
}

// readJournalPage reads the newest n entries the query picks below a
// position (0: none), newest first, and how many it picks below that
// position in all: the store reads the page backwards from the position
// (its own rows, not a pass over the journal) and counts.
func readJournalPage(ctx context.Context, m data.JournalService, q journalQuery, before int64, n int) ([]data.JournalEntry, int, error) {
	f := q.filter
	f.Until, f.Before, f.Newest, f.Limit = q.until, before, true, n
	page := make([]data.JournalEntry, 0, n)
	if err := m.JournalEntries(ctx, f, func(e data.JournalEntry) error {
		page = append(page, e)
		return ctx.Err()
	}); err != nil {
		return nil, 0, err
	}
	f.Limit = 0
	matched, err := m.JournalCount(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return page, int(matched), nil
}

// showChainStatus says whether the chain holds, as last checked.
func (c *Console) showChainStatus(v *JournalViewer) {
	v.Chain.Importance = widget.MediumImportance
	switch {
	case !c.journalChecked:
		v.Chain.SetText(T("The chain is being checked…"))
	case c.JournalWarning() != "":
		v.Chain.Importance = widget.DangerImportance
		v.Chain.SetText(c.JournalWarning())
	default:
		v.Chain.Importance = widget.SuccessImportance
		v.Chain.SetText(T("The chain holds: {{.N}} entries checked, the last hash {{.Head}}.", map[string]any{
			"N": c.journal.Entries, "Head": shortHash(c.journal.Head)}))
	}
	v.Chain.Refresh()
}

// shortHash is a hash's first 16 hex digits, enough to compare by eye.
func shortHash(h string) string { return h[:min(16, len(h))] }

// verifyJournalFromViewer checks the chain again off the UI goroutine; the
// outcome shows in the viewer and, when broken, in the window's banner.
func (c *Console) verifyJournalFromViewer(v *JournalViewer) {
	v.Verify.Disable()
	v.Chain.Importance = widget.MediumImportance
	v.Chain.SetText(T("The chain is being checked…"))
	m := c.M
	go func() {
		check, err := m.VerifyJournal(bg)
		deliverCheck(func() {
			c.SetJournalCheck(check, err) // (which shows it in the viewer too)
			v.Verify.Enable()
		})
	}()
}
