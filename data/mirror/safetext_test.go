package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// Text people type — quotes, %, _, SQL fragments, backslashes, control
// characters, emoji — is stored and read back as it was, and a region
// filter with LIKE's wildcards matches nothing instead of everything.
func TestTextStoredSafely(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	nasty := []string{
		`O'Brien "quoted" 100% _under_`,
		`'); DROP TABLE events; --`,
		`\' OR '1'='1`,
		"tab\there\x07bell\x1bescape",
		"反斜杠\\路径 %_% 🚨",
	}
	for i, s := range nasty {
		c, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: s, Contact: s, Actor: "leader"}, now)
		if err != nil {
			t.Fatalf("report %q: %v", s, err)
		}
		d, err := m.Case(ctx, c.Code, now)
		if err != nil || d.Description != s || d.Contact != s {
			t.Errorf("case %d read back as %q / %q (%v), want %q", i, d.Description, d.Contact, err, s)
		}
		o, err := m.IssueOrder(ctx, data.OrderRequest{Task: s, Start: now, End: now.Add(time.Hour), Targets: []string{"990101001001001"}, Actor: "leader"}, now)
		if err != nil {
			t.Fatalf("order %q: %v", s, err)
		}
		orders, err := m.Orders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range orders {
			found = found || x.UID == o.UID && x.Task == s
		}
		if !found {
			t.Errorf("order %d's task not read back as %q", i, s)
		}
		day := now.AddDate(0, 0, i+1).In(data.BeijingTime).Format("2006-01-02")
		if _, err := m.AssignDuty(ctx, data.DutyRequest{Center: "C990101001", Shift: day + "/day", Person: s, Phone: "13800000000", Actor: "leader"}, now); err != nil {
			t.Fatalf("duty %q: %v", s, err)
		}
	}
	duty, err := m.DutyOf(ctx, "C990101001", now, now.AddDate(0, 0, len(nasty)+2))
	if err != nil {
		t.Fatal(err)
	}
	persons := map[string]bool{}
	for _, d := range duty {
		persons[d.Person] = true
	}
	for _, s := range nasty {
		if !persons[s] {
			t.Errorf("duty person %q not read back", s)
		}
	}
	if n := count(t, m, `SELECT count(*) FROM events`); n == 0 {
		t.Fatal("the events table is gone")
	}
	// Wildcards in a region filter are refused, not matched.
	for _, region := range []string{"%", "_", "9901%", "99010100100100_"} {
		rows, err := m.Cases(ctx, data.CaseFilter{Region: region}, now)
		if err == nil || len(rows) > 0 {
			t.Errorf("cases in region %q: %d rows, %v; want a refusal", region, len(rows), err)
		}
		if _, err := m.Alerts(ctx, data.AlertFilter{Region: region}); err == nil {
			t.Errorf("alerts in region %q: not refused", region)
		}
		if _, err := m.StatusBoard(ctx, region, now); err == nil {
			t.Errorf("status board of %q: not refused", region)
		}
		if _, err := m.GridCodes(ctx, region); err == nil {
			t.Errorf("grid codes of %q: not refused", region)
		}
	}
	codes, err := m.GridCodes(ctx, "990101001001")
	if err != nil || int64(len(codes)) != count(t, m, `SELECT count(*) FROM grids WHERE community_code = '990101001001'`) || len(codes) == 0 {
		t.Errorf("the community's grid codes: %v %v", codes, err)
	}
}
