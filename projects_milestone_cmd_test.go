package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapok/internal/fixture"
)

// projects milestone add and done, projects show with the milestones
// (overdue flagged) and the rollouts, projects compare: the store's means
// before and after each rollout, with the change; bad input refused with
// nothing written.
func TestProjectsMilestoneAndCompareCommands(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	// The project is piloted a day and a half before the fixture's end:
	// its street's indicators have values on both sides.
	piloted := fixture.AsOf.Add(-36 * time.Hour)
	caseNow = func() time.Time { return piloted }
	mm := fixture.City(t)
	path, m := mm.Path, "--mirror"
	asUser(t, "leader")

	add := func(title string) string {
		t.Helper()
		code, out, errOut := cli(t, "projects", "add", m, path, "--region", "990101", "--title", title, "--indicators", "transport-01H")
		if code != 0 {
			t.Fatalf("add: status %d, %q, %q", code, out, errOut)
		}
		return strings.TrimSpace(out)
	}
	key, other := add("党建引领基层治理"), add("矛盾纠纷多元化解")
	milestone := func(key, title, due string) int64 {
		t.Helper()
		code, out, errOut := cli(t, "projects", "milestone", "add", m, path, "--project", key, "--title", title, "--due", due)
		f := strings.Split(strings.TrimSpace(out), "\t")
		id, err := strconv.ParseInt(f[0], 10, 64)
		if code != 0 || err != nil || len(f) != 3 || f[1] != title || f[2] != due+"T18:00:00+08:00" {
			t.Fatalf("milestone add: status %d, %q, %q", code, out, errOut)
		}
		return id
	}
	early := milestone(key, "召开启动会", "2026-11-20")
	late := milestone(key, "中期评估", "2027-03-31")
	theirs := milestone(other, "制度文件印发", "2026-11-01")

	// The program's journal entries and milestones (logins are journaled too).
	journal := func() int64 {
		t.Helper()
		return fixture.Count(t, mm, `SELECT (SELECT count(*) FROM journal WHERE kind LIKE 'project.%') + (SELECT count(*) FROM milestones WHERE done_at IS NOT NULL) * 1000 + (SELECT count(*) FROM milestones) * 1000000`)
	}
	before := journal()
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"milestone", "add", m, path, "--project", "0123456789", "--title", "x", "--due", "2026-12-01"}, 1, "no innovation project 0123456789"},
		{[]string{"milestone", "add", m, path, "--project", key, "--title", "x", "--due", "2026-13-01"}, 2, `--due "2026-13-01" is not a date YYYY-MM-DD`},
		{[]string{"milestone", "add", m, path, "--project", key, "--title", "x", "--due", "1 December"}, 2, "is not a date"},
		{[]string{"milestone", "add", m, path, "--project", key, "--title", " ", "--due", "2026-12-01"}, 1, "a milestone needs a title"},
		{[]string{"milestone", "add", m, path, "--project", key, "--due", "2026-12-01"}, 2, "--title"},
		{[]string{"milestone", "done", m, path, "--project", key, "--id", fmt.Sprint(theirs)}, 1, "no such milestone to change for project " + key},
		{[]string{"milestone", "done", m, path, "--project", "0123456789", "--id", fmt.Sprint(early)}, 1, "no innovation project 0123456789"},
		{[]string{"milestone", "done", m, path, "--project", key, "--id", "999"}, 1, "no such milestone"},
		{[]string{"milestone", "done", m, path, "--project", key}, 2, "--id"},
		{[]string{"milestone", "done", m, path, "--project", key, "--id", "first"}, 2, `--id "first" is not a milestone's number`},
		{[]string{"milestone", "finish", m, path}, 2, "give add, done"},
		{[]string{"compare", m, path, "--project", "0123456789"}, 1, "no innovation project 0123456789"},
		{[]string{"compare", m, path, "--project", key, "--format", "xml"}, 2, "--format"},
	} {
		c, o, e := cli(t, append([]string{"projects"}, bad.args...)...)
		if c != bad.code || !strings.Contains(e, bad.says) {
			t.Errorf("%v: status %d, %q, %q; want %d saying %q", bad.args, c, o, e, bad.code, bad.says)
		}
	}
	asUser(t, "leader_990102")
	if c, _, e := cli(t, "projects", "milestone", "done", m, path, "--project", key, "--id", fmt.Sprint(early)); c != 1 || !strings.Contains(e, "990101") {
		t.Errorf("done outside the jurisdiction: status %d, %q", c, e)
	}
	asUser(t, "leader")
	if n := journal(); n != before {
		t.Fatalf("the refusals wrote: %d, want %d (entries + 1000 × done + 10⁶ × milestones)", n, before)
	}

	// Shown as of the fixture's end: the early one overdue, the late one not.
	caseNow = func() time.Time { return fixture.AsOf }
	code, out, _ := cli(t, "projects", "show", m, path, "--project", key)
	if code != 0 || !hasLine(out, `^`+fmt.Sprint(early)+` +召开启动会 +2026-11-20T18:00:00\+08:00 +OVERDUE$`) ||
		!hasLine(out, `^`+fmt.Sprint(late)+` +中期评估 +2027-03-31T18:00:00\+08:00 *$`) || strings.Contains(out, "制度文件印发") {
		t.Fatalf("show: status %d\n%s", code, out)
	}
	if code, out, errOut := cli(t, "projects", "milestone", "done", m, path, "--project", key, "--id", fmt.Sprint(early)); code != 0 ||
		out != fmt.Sprint(early)+"\tdone\t2026-11-25T09:00:00+08:00\n" {
		t.Fatalf("done: status %d, %q, %q", code, out, errOut)
	}
	if c, _, e := cli(t, "projects", "milestone", "done", m, path, "--project", key, "--id", fmt.Sprint(early)); c != 1 || !strings.Contains(e, "done once") {
		t.Errorf("done twice: status %d, %q", c, e)
	}
	if _, out, _ := cli(t, "projects", "show", m, path, "--project", key); strings.Contains(out, "OVERDUE") ||
		!strings.Contains(out, "2026-11-25T09:00:00+08:00") {
		t.Errorf("show after done:\n%s", out)
	}

	// Piloted in the district and a street, 36 hours before the end (the
	// fixture keeps the district's hourly values; the street has none).
	caseNow = func() time.Time { return piloted }
	for _, to := range []string{"incubating", "piloting"} {
		if code, _, errOut := cli(t, "projects", "move", m, path, "--project", key, "--to", to); code != 0 {
			t.Fatalf("move: status %d, %q", code, errOut)
		}
	}
	for _, r := range []string{"990101", "990101001"} {
		if code, _, errOut := cli(t, "projects", "rollout", m, path, "--project", key, "--region", r, "--state", "pilot"); code != 0 {
			t.Fatalf("rollout: status %d, %q", code, errOut)
		}
	}
	caseNow = func() time.Time { return fixture.AsOf }
	_, out, _ = cli(t, "projects", "show", m, path, "--project", key)
	if !hasLine(out, `^rollout +state +since$`) || !hasLine(out, `^990101 +pilot +2026-11-23T21:00:00\+08:00$`) ||
		!hasLine(out, `^990101001 +pilot `) {
		t.Errorf("show lists no rollouts:\n%s", out)
	}

	code, out, errOut := cli(t, "projects", "compare", m, path, "--project", key, "--format", "json")
	if code != 0 {
		t.Fatalf("compare: status %d, %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("compare: %d lines, want one per rollout region and indicator:\n%s", len(lines), out)
	}
	for _, line := range lines {
		var got map[string]string
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatal(err)
		}
		want, err := mm.RolloutIndicators(context.Background(), key, "transport-01H", got["region"])
		if err != nil {
			t.Fatal(err)
		}
		if got["measured_in"] != got["region"] || got["state"] != "pilot" || got["since"] != "2026-11-23T21:00:00+08:00" ||
			got["before_n"] != fmt.Sprint(want.BeforeN) || got["after_n"] != fmt.Sprint(want.AfterN) {
			t.Errorf("compare %s: %v, the store's %+v", got["region"], got, want)
		}
		if got["region"] == "990101001" {
			if want.BeforeN+want.AfterN != 0 || got["before"]+got["after"]+got["change"]+got["change_pct"] != "" {
				t.Errorf("compare in the street without values: %v, the store's %+v", got, want)
			}
			continue
		}
		if want.BeforeN == 0 || want.AfterN == 0 {
			t.Fatalf("%s: %d values before, %d after: the test needs both", got["region"], want.BeforeN, want.AfterN)
		}
		d := want.After - want.Before
		if got["before"] != fmt.Sprintf("%.2f", want.Before) || got["after"] != fmt.Sprintf("%.2f", want.After) ||
			got["change"] != fmt.Sprintf("%+.2f", d) || got["change_pct"] != fmt.Sprintf("%+.2f", 100*d/math.Abs(want.Before)) {
			t.Errorf("compare %s: %v, the store's %+v", got["region"], got, want)
		}
	}
	code, out, _ = cli(t, "projects", "compare", m, path, "--project", key, "--region", "990101", "--indicator", "transport-01H")
	if code != 0 || strings.Count(out, "\n") != 2 || !hasLine(out, `^990101 +pilot .* transport-01H +990101 +[0-9.]+ +[0-9]+ +[0-9.]+ +[0-9]+ +[-+][0-9.]+ +[-+][0-9.]+$`) {
		t.Errorf("compare one region: status %d\n%s", code, out)
	}
	for _, bad := range []struct {
		args []string
		says string
	}{
		{[]string{"--region", "990102"}, "990102"},
		{[]string{"--indicator", "no-such"}, "no-such"},
	} {
		if c, o, e := cli(t, append([]string{"projects", "compare", m, path, "--project", key}, bad.args...)...); c != 1 || !strings.Contains(e, bad.says) {
			t.Errorf("compare %v: status %d, %q, %q", bad.args, c, o, e)
		}
	}
}

// hasLine tells whether a line of text matches the pattern (multi-line).
func hasLine(text, pattern string) bool {
	return regexp.MustCompile(`(?m)` + pattern).MatchString(text)
}
