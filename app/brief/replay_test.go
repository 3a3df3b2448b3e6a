package brief

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// replayed is a past moment of the fixture city whose counts differ from
// its end's: found by walking back an hour at a time.
func replayed(t *testing.T, m *mirror.Mirror) (time.Time, int, int) {
	t.Helper()
	ctx := context.Background()
	tl, err := m.Timeline(ctx, fixture.AsOf.Add(-72*time.Hour), fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	sums := func(at time.Time) (int, int) {
		open, overdue := 0, 0
		for _, g := range tl.At(at).Grids {
			open += g.Open
			overdue += g.Overdue
		}
		return open, overdue
	}
	nowOpen, _ := sums(fixture.AsOf)
	for h := 6; h < 72; h++ {
		at := fixture.AsOf.Add(-time.Duration(h) * time.Hour)
		if open, overdue := sums(at); open != nowOpen && open > 0 {
			return at, open, overdue
		}
	}
	t.Fatal("no moment of the fixture's last three days differs from its end")
	return time.Time{}, 0, 0
}

// A briefing as of a past moment of the fixture city: its facts are the
// timeline's at that moment (the board's and the cards' counts), every
// page is marked as a replay, the cover says as of when and what it leaves
// out, and it differs from the briefing made now.
func TestReplayBriefing(t *testing.T) {
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	keys := keyDir(t)
	ctx := context.Background()
	at, open, overdue := replayed(t, m)

	statusesNow := func() string {
		st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Within: true})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(st)
	}
	before := statusesNow()
	f, err := gather(ctx, m, "", fixture.AsOf, at, false)
	if err != nil {
		t.Fatal(err)
	}
	// The indicators as they stood then, read without writing.
	then, err := m.IndicatorStatusesAt(ctx, data.IndicatorFilter{Region: f.measuredIn(), Within: true}, at)
	if err != nil {
		t.Fatal(err)
	}
	if f.Measured != len(then) || f.Measured == 0 {
		t.Fatalf("%d indicators measured in the replay, %d stood then", f.Measured, len(then))
	}
	if statusesNow() != before {
		t.Fatal("a replay briefing changed how the indicators stand now")
	}
	if !f.Replay || !f.Now.Equal(at) || f.Broken != nil {
		t.Fatalf("replay %v at %v broken %v", f.Replay, f.Now, f.Broken)
	}
	if f.Total.Open != open || f.Total.Overdue != overdue || f.Counts.All != open || f.Counts.Overdue != overdue ||
		f.Region.Open != open || f.Region.Overdue != overdue {
		t.Fatalf("board %d/%d, cases %d/%d, region %d/%d; the timeline had %d open, %d overdue",
			f.Total.Open, f.Total.Overdue, f.Counts.All, f.Counts.Overdue, f.Region.Open, f.Region.Overdue, open, overdue)
	}
	for _, c := range f.Cases {
		if c.Clock.State != data.ClockOverdue && c.Clock.State != data.ClockWarning {
			t.Fatalf("card %s with clock %s", c.Code, c.Clock.State)
		}
	}
	units := 0
	for _, r := range f.Board {
		units += r.UnitsAvailable + r.UnitsDispatched
	}
	if units == 0 {
		t.Fatal("no units on the replay's board")
	}

	dir := t.TempDir()
	texts := map[msg.Lang]string{}
	for _, lang := range []msg.Lang{msg.Chinese, msg.English} {
		out := filepath.Join(dir, string(lang)+".pdf")
		res, err := Make(ctx, m, out, Options{Lang: lang, Now: fixture.AsOf, At: at, KeyDir: keys})
		if err != nil {
			t.Fatal(err)
		}
		if res.Broken != nil {
			t.Fatalf("broken: %v", res.Broken)
		}
		texts[lang] = pdfText(t, out)
		pages := strings.Split(strings.TrimRight(texts[lang], "\f\n"), "\f")
		if len(pages) != res.Pages {
			t.Fatalf("%s: %d pages read, %d made", lang, len(pages), res.Pages)
		}
		for i, p := range pages {
			if !strings.Contains(p, "回放") {
				t.Errorf("%s page %d is not marked as a replay:\n%s", lang, i+1, p)
			}
		}
	}
	zh, en := texts[msg.Chinese], texts[msg.English]
	when := at.In(data.BeijingTime).Format("2006-01-02 15:04")
	for _, want := range []string{"截至", when, "回放：截至 " + when, "中心值班：不保留过去时刻的数据"} {
		t.Log(zh)
		if squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }; !strings.Contains(squeeze(zh), squeeze(want)) {
			t.Errorf("the Chinese replay lacks %q", want)
		}
	}
	for _, want := range []string{"As of", "Replay (回放): the city as it stood at " + when, "Centers on duty: not kept for past moments"} {
		if !strings.Contains(strings.Join(strings.Fields(en), " "), want) {
			t.Errorf("the English replay lacks %q", want)
		}
	}
	// The region's line of the status table: open and overdue then.
	total := regexpLine(en, "Ceshi in all")
	if f := strings.Fields(total); len(f) < 6 || f[len(f)-6] != count(open) || f[len(f)-5] != count(overdue) {
		t.Errorf("the total line %q, want %d open and %d overdue", total, open, overdue)
	}

	now := filepath.Join(dir, "now.pdf")
	if _, err := Make(ctx, m, now, Options{Lang: msg.English, Now: fixture.AsOf, KeyDir: keys}); err != nil {
		t.Fatal(err)
	}
	nowText := pdfText(t, now)
	if strings.Contains(nowText, "回放") || strings.Contains(nowText, "Replay") {
		t.Error("the briefing made now is marked as a replay")
	}
	if nowTotal := regexpLine(nowText, "Ceshi in all"); nowTotal == total {
		t.Errorf("the replay's total line is the one of now: %q", total)
	}

	// A moment to come is no replay.
	if _, err := Make(ctx, m, filepath.Join(dir, "later.pdf"), Options{Now: fixture.AsOf, At: fixture.AsOf.Add(time.Hour), KeyDir: keys}); err == nil {
		t.Error("a replay of a moment to come was made")
	}
}

// A mirror whose journal was edited outside Kapok: the replay is made,
// its cover warns with the refusal's text, and Make says so.
func TestReplayOfABrokenJournal(t *testing.T) {
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	for _, q := range []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET entry = replace(entry, 'system', 'mallory') WHERE seq = 1`} {
		if _, err := m.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "broken.pdf")
	res, err := Make(context.Background(), m, out, Options{Lang: msg.English, Now: fixture.AsOf, At: fixture.AsOf.Add(-6 * time.Hour), KeyDir: keyDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Broken == nil {
		t.Fatal("Make did not say the journal is broken")
	}
	cat, err := msg.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfText(t, out)), " ")
	for _, want := range []string{"Warning: the journal's chain does not hold", strings.Join(strings.Fields(cat.Refusal(msg.English, res.Broken)), " ")[:40]} {
		if !strings.Contains(text, want) {
			t.Errorf("the cover lacks %q:\n%s", want, text[:min(len(text), 2000)])
		}
	}
}

// regexpLine is the first line of a text holding s.
func regexpLine(text, s string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
