package brief

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// The facts a briefing states agree with the store's own counts: every
// red and yellow card is counted (parked ones too) and the most urgent
// listed first; the region's unstaffed centers are the duty section's;
// an order whose window has ended is not in force; a street's published
// roster is in the city's briefing, a draft is counted apart.
func TestFactsAgreeWithTheStore(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	ctx := context.Background()
	now := fixture.AsOf
	for _, region := range []string{"", "440111", "440114001"} {
		f, err := gather(ctx, m, region, now, time.Time{}, false)
		if err != nil {
			t.Fatal(err)
		}
		scope := f.Region.Code
		counts, err := m.CaseCounts(ctx, data.CaseFilter{Region: scope}, now)
		if err != nil {
			t.Fatal(err)
		}
		if f.CardN != counts.Overdue+counts.Warning {
			t.Errorf("%s: %d cards, the store counts %d overdue and %d yellow", scope, f.CardN, counts.Overdue, counts.Warning)
		}
		if counts.All > 0 && len(f.Cases) == 0 && f.CardN > 0 {
			t.Errorf("%s: %d cards, none listed", scope, f.CardN)
		}
		// Worked-on before parked, red before yellow, most urgent first.
		rank := func(c data.CaseRow) int {
			r := 0
			if c.State == data.EventParked {
				r += 2
			}
			if c.Clock.State == data.ClockWarning {
				r++
			}
			return r
		}
		for i := 1; i < len(f.Cases); i++ {
			a, b := f.Cases[i-1], f.Cases[i]
			if rank(a) > rank(b) || rank(a) == rank(b) && a.Clock.Remaining > b.Clock.Remaining {
				t.Errorf("%s: card %d (%v %v %v) listed before card %d (%v %v %v)", scope, i-1, a.State, a.Clock.State, a.Clock.Remaining,
					i, b.State, b.Clock.State, b.Clock.Remaining)
			}
		}
		if f.Total.Unstaffed != f.DutyN {
			t.Errorf("%s: the status line says %d unstaffed, the duty section %d", scope, f.Total.Unstaffed, f.DutyN)
		}
	}

	// Orders: one running, one whose window ended an hour ago, one not
	// yet begun; only the first is in force.
	grid := "440106001001001"
	for _, w := range []struct{ task, start, end string }{
		{"在巡", "-1h", "1h"}, {"已过", "-3h", "-1h"}, {"未到", "1h", "2h"},
	} {
		s, _ := time.ParseDuration(w.start)
		e, _ := time.ParseDuration(w.end)
		if _, err := m.IssueOrder(ctx, data.OrderRequest{Task: w.task, Start: now.Add(s), End: now.Add(e), Targets: []string{grid}, Actor: "leader"}, now.Add(-4*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	f, err := gather(ctx, m, "440106001", now, time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	var tasks []string
	for _, o := range f.Orders {
		tasks = append(tasks, o.Task)
	}
	if strings.Join(tasks, ",") != "在巡" {
		t.Errorf("orders in force: %v, want only the running one", tasks)
	}

	// Rosters: a street's published roster is in the city's briefing; a
	// district's draft is counted, not listed.
	week := data.WeekOf(now).String()
	street, err := m.PlanRoster(ctx, "440106001", week, "leader", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.PlanRoster(ctx, "440103", week, "leader", now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.PublishRoster(ctx, street.ID, "leader", street.Version, now); err != nil {
		t.Fatal(err)
	}
	f, err = gather(ctx, m, "", now, time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rosters) != 1 || f.Rosters[0].ID != street.ID || f.Drafts != 1 {
		t.Errorf("the city's rosters: %+v, %d drafts; want the street's published one and one draft", f.Rosters, f.Drafts)
	}
}

// TestSignatureFailureKeepsTheBriefingBefore: a briefing whose signature
// cannot be made (a file name a signature cannot name) is refused before
// the briefing there before is touched.
func TestSignatureFailureKeepsTheBriefingBefore(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	out := filepath.Join(t.TempDir(), `x\y.pdf`)
	if err := os.WriteFile(out, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Make(context.Background(), m, out, Options{Region: "440106001", Now: fixture.AsOf, KeyDir: keyDir(t)}); err == nil {
		t.Fatal("signed a file name with a backslash")
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "precious" {
		t.Fatalf("the briefing before: %q %v", b, err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestGridBriefsItsCommunity: a grid's code briefs its community, as the
// console's tree does.
func TestGridBriefsItsCommunity(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	res, err := Make(context.Background(), m, filepath.Join(t.TempDir(), "g.pdf"), Options{Region: "440111021200001", MapOnly: true, Now: fixture.AsOf, KeyDir: keyDir(t)})
	if err != nil || res.Region != "440111021200" {
		t.Fatalf("%+v %v", res, err)
	}
}
