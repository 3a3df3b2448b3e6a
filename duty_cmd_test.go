package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// readMirror opens the mirror at path for one look and closes it.
func readMirror(t *testing.T, path string, look func(m *mirror.Mirror)) {
	t.Helper()
	m, err := mirror.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	look(m)
}

// dutyWritten counts the rows of center_duty and the journal's entries.
func dutyWritten(t *testing.T, path string) (rows, journal int64) {
	t.Helper()
	readMirror(t, path, func(m *mirror.Mirror) {
		rows = fixture.Count(t, m, `SELECT count(*) FROM center_duty`)
		journal = fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind NOT LIKE 'login.%'`) // logging in is journaled too
	})
	return rows, journal
}

// dutyAt is the duty entries of a center in the week from Monday 30
// November 2026 (2026-W49), read back from the mirror.
func dutyAt(t *testing.T, path, center string) []data.Duty {
	t.Helper()
	var out []data.Duty
	readMirror(t, path, func(m *mirror.Mirror) {
		monday := time.Date(2026, 11, 30, 0, 0, 0, 0, data.BeijingTime)
		var err error
		if out, err = m.DutyOf(ctx, center, monday, monday.AddDate(0, 0, 7)); err != nil {
			t.Fatal(err)
		}
	})
	return out
}

// kapok duty assign puts a person on a center's shift, with the shift's
// span in the center's district's table and a journal entry; show lists
// the entry in each format; remove takes it off, journaled.
func TestDutyAssignShowRemove(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	caseNow = func() time.Time { return fixture.AsOf } // Wednesday 25 November 2026 (2026-W48), 09:00 Beijing time
	path := fixture.CityPath(t)
	const center = "C990101001002"
	code, out, errOut := cli(t, "duty", "assign", "--mirror", path, "--center", center, "--shift", "2026-12-01/day", "--person", "王伟",
		"--phone", "13800000000", "--role", "leader_on_duty", "--user", "leader_990101")
	uid := strings.TrimSpace(out)
	if code != 0 || len(uid) != 36 || errOut != "" {
		t.Fatalf("assign: %d %q %q", code, out, errOut)
	}
	got := dutyAt(t, path, center)
	want := data.Duty{UID: uid, Center: center, Shift: "2026-12-01/day", Person: "王伟", Phone: "13800000000", Role: data.DutyLeader,
		Start: time.Date(2026, 12, 1, 8, 0, 0, 0, data.BeijingTime), End: time.Date(2026, 12, 1, 16, 0, 0, 0, data.BeijingTime)}
	if len(got) != 1 || got[0].UID != want.UID || got[0].Shift != want.Shift || got[0].Person != want.Person || got[0].Phone != want.Phone ||
		got[0].Role != want.Role || !got[0].Start.Equal(want.Start) || !got[0].End.Equal(want.End) {
		t.Fatalf("read back: %+v, want %+v", got, want)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		if n := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = 'duty.assign' AND subject = ? AND actor = 'leader_990101'`, uid); n != 1 {
			t.Fatalf("%d journal entries for the assignment", n)
		}
	})

	// A district's own shift table gives the span.
	if code, _, errOut := cli(t, "roster", "rules", "--mirror", path, "--district", "990102", "--shifts", "day=7-19,night=19-24"); code != 0 {
		t.Fatalf("rules: %q", errOut)
	}
	code, out, errOut = cli(t, "duty", "assign", "--mirror", path, "--center", "C990102001201", "--shift", "2026-12-02/night", "--person", "李娜")
	if code != 0 {
		t.Fatalf("assign under the district's table: %d %q", code, errOut)
	}
	if got := dutyAt(t, path, "C990102001201"); len(got) != 1 || got[0].UID != strings.TrimSpace(out) || got[0].Role != data.DutyOfficer ||
		!got[0].Start.Equal(time.Date(2026, 12, 2, 19, 0, 0, 0, data.BeijingTime)) || !got[0].End.Equal(time.Date(2026, 12, 3, 0, 0, 0, 0, data.BeijingTime)) {
		t.Fatalf("under the district's table: %+v", got)
	}

	// show, as a table: every shift of the week, the empty ones said so;
	// the phone whole for a user who logged in with the contact
	// permission (the leader), masked without a login.
	code, out, _ = cli(t, "duty", "show", "--mirror", path, "--center", center, "--week", "2026-W49", "--user", "leader")
	for _, want := range []string{"center  C990101001002 二社区综治中心 (community)", "week    2026-W49", "shifts  night 00-08 day 08-16 evening 16-24",
		"2026-11-30/night", "2026-12-01/night    (nobody on duty)", "leader_on_duty  王伟", "13800000000  " + uid, "1 on duty; nobody in 20 of 21 shifts"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2026-11-29") || strings.Contains(out, "2026-12-07") {
		t.Errorf("show goes outside the week:\n%s", out)
	}
	if code, out, _ = cli(t, "duty", "show", "--mirror", path, "--center", center, "--week", "2026-W49"); code != 0 ||
		!strings.Contains(out, "138****0000  "+uid) || strings.Contains(out, "13800000000") {
		t.Errorf("show without a login shows the phone whole:\n%s", out)
	}
	// As CSV, the week named by an instant in it.
	code, out, _ = cli(t, "duty", "show", "--mirror", path, "--center", center, "--at", "2026-12-06T23:00:00+08:00", "--format", "csv")
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(records) != 2 || strings.Join(records[0], ",") != "center,shift,start,end,role,person,phone,id" ||
		strings.Join(records[1], ",") != center+",2026-12-01/day,2026-12-01T08:00:00+08:00,2026-12-01T16:00:00+08:00,leader_on_duty,王伟,138****0000,"+uid {
		t.Fatalf("show csv: %d %q %v", code, out, err)
	}
	code, out, _ = cli(t, "duty", "show", "--mirror", path, "--center", center, "--week", "2026-W49", "--format", "json")
	var entry map[string]string
	if err := json.Unmarshal([]byte(out), &entry); code != 0 || err != nil || entry["id"] != uid || entry["shift"] != "2026-12-01/day" ||
		entry["person"] != "王伟" || entry["role"] != "leader_on_duty" || entry["start"] != "2026-12-01T08:00:00+08:00" {
		t.Fatalf("show json: %d %q %v", code, out, err)
	}
	// By default the week of now: the demo's entries of 25 and 26 November.
	code, out, _ = cli(t, "duty", "show", "--mirror", path, "--center", center, "--format", "json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) < 6 || !strings.Contains(out, `"shift":"2026-11-25/day"`) || strings.Contains(out, uid) {
		t.Fatalf("show this week: %d %q", code, out)
	}
	for _, l := range lines {
		if err := json.Unmarshal([]byte(l), &entry); err != nil || !strings.HasPrefix(entry["shift"], "2026-11-2") {
			t.Fatalf("show this week: line %q: %v", l, err)
		}
	}

	// remove takes it off, journaled.
	if code, out, errOut := cli(t, "duty", "remove", "--mirror", path, "--id", uid, "--user", "leader_990101"); code != 0 || out != uid+" removed\n" {
		t.Fatalf("remove: %d %q %q", code, out, errOut)
	}
	if got := dutyAt(t, path, center); len(got) != 0 {
		t.Fatalf("after remove: %+v", got)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		if n := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = 'duty.remove' AND subject = ? AND actor = 'leader_990101'`, uid); n != 1 {
			t.Fatalf("%d journal entries for the removal", n)
		}
	})
	if code, out, _ := cli(t, "duty", "show", "--mirror", path, "--center", center, "--week", "2026-W49", "--format", "csv"); code != 0 ||
		out != "center,shift,start,end,role,person,phone,id\n" {
		t.Fatalf("show after remove: %d %q", code, out)
	}
}

// kapok duty gaps lists the centers with nobody on duty in the shift
// under way and exits 1 while there is any; a center stops being listed
// once someone is on duty in that shift, and a region every center of
// which is staffed exits 0.
func TestDutyGapsCommand(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	caseNow = func() time.Time { return fixture.AsOf }
	path := fixture.CityPath(t)
	const evening = "2026-12-01T20:00:00+08:00" // the demo staffs 25 and 26 November only
	code, out, errOut := cli(t, "duty", "gaps", "--mirror", path, "--region", "990101001", "--at", evening)
	for _, want := range []string{"center         name", "C990101001002  二社区综治中心  community  2026-12-01/evening", "C990101001     东街道综治中心  street",
		"4 of 4 centers under 990101001 with nobody on duty at 2026-12-01 20:00 (Beijing time)"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("gaps lacks %q: %d\n%s", want, code, out)
		}
	}
	if errOut != "kapok duty: No one on duty: 4\n" {
		t.Errorf("gaps: stderr %q", errOut)
	}
	if code, _, errOut := cli(t, "duty", "assign", "--mirror", path, "--center", "C990101001002", "--shift", "2026-12-01/evening", "--person", "赵敏"); code != 0 {
		t.Fatalf("assign: %q", errOut)
	}
	code, out, _ = cli(t, "duty", "gaps", "--mirror", path, "--region", "990101001", "--at", evening, "--format", "csv")
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 1 || err != nil || len(records) != 4 || strings.Join(records[0], ",") != "center,name,level,shift,start,end" ||
		strings.Contains(out, "C990101001002") || strings.Join(records[1], ",") != "C990101001,东街道综治中心,street,2026-12-01/evening,2026-12-01T16:00:00+08:00,2026-12-02T00:00:00+08:00" {
		t.Fatalf("gaps csv after the assignment: %d %q %v", code, out, err)
	}
	// The community staffed: nothing listed, status 0.
	code, out, errOut = cli(t, "duty", "gaps", "--mirror", path, "--region", "990101001002", "--at", evening)
	if code != 0 || errOut != "" || !strings.HasSuffix(out, "0 of 1 centers under 990101001002 with nobody on duty at 2026-12-01 20:00 (Beijing time)\n") {
		t.Fatalf("gaps of a staffed community: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, "duty", "gaps", "--mirror", path, "--region", "990101001002", "--at", evening, "--format", "json")
	if code != 0 || out != "" {
		t.Fatalf("gaps json of a staffed community: %d %q", code, out)
	}
	// At now (the fixture's 09:00), JSON lines, one per center listed.
	code, out, _ = cli(t, "duty", "gaps", "--mirror", path, "--format", "json")
	var rows int64
	readMirror(t, path, func(m *mirror.Mirror) {
		rows = fixture.Count(t, m, `SELECT count(*) FROM centers c WHERE NOT EXISTS (SELECT 1 FROM center_duty d WHERE d.center_code = c.code AND d.shift = '2026-11-25/day')`)
	})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if rows == 0 || code != 1 || int64(len(lines)) != rows {
		t.Fatalf("gaps now: %d lines, %d centers unstaffed: %d %q", len(lines), rows, code, out)
	}
	for _, l := range lines {
		var g map[string]string
		if err := json.Unmarshal([]byte(l), &g); err != nil || g["shift"] != "2026-11-25/day" || g["name"] == "" || g["level"] == "" {
			t.Fatalf("gaps json line %q: %v", l, err)
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if _, _, errOut := cli(t, "duty", "gaps", "--mirror", path, "--region", "990101001", "--at", evening); errOut != "kapok duty: 无人值班：3\n" {
		t.Fatalf("gaps in Chinese: %q", errOut)
	}
}

// Bad input is refused (status 1, the reason in the language of LANG) or
// misused (status 2), and writes nothing.
func TestDutyCommandRefusals(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	path := fixture.CityPath(t)
	code, out, errOut := cli(t, "duty", "assign", "--mirror", path, "--center", "C990101001001", "--shift", "2026-12-01/day", "--person", "王伟", "--user", "leader_990101")
	if code != 0 {
		t.Fatalf("assign: %q", errOut)
	}
	uid := strings.TrimSpace(out)
	rows, journal := dutyWritten(t, path)
	assign := func(extra ...string) []string {
		return append([]string{"duty", "assign", "--mirror", path}, extra...)
	}
	good := []string{"--center", "C990101001001", "--shift", "2026-12-02/day"}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{assign("--center", "C990101009", "--shift", "2026-12-01/day", "--person", "李"), 1, "no center C990101009"},
		{assign("--center", "C990101001001", "--shift", "2026-12-01/noon", "--person", "李"), 1, "2026-12-01/noon is not a shift"},
		{assign("--center", "C990101001001", "--shift", "12/01/2026 day", "--person", "李"), 1, "is not a shift"},
		{assign("--center", "C990101001001", "--shift", "2026-13-01/day", "--person", "李"), 1, "is not a shift"},
		{assign(append(good, "--person", " ")...), 1, "the person on duty is not named"},
		{assign(append(good, "--person", "李", "--role", "boss")...), 1, "boss is not a duty role"},
		{assign("--center", "C990102001201", "--shift", "2026-12-01/day", "--person", "李", "--user", "leader_990101"), 1, "center C990102001201 is outside your jurisdiction 990101"},
		{assign(append(good, "--person", "李", "--user", "nobody")...), 1, "login failed"},
		{assign(good...), 2, "--center, --shift and --person are required"},
		{assign("--shift", "2026-12-01/day", "--person", "李"), 2, "--center, --shift and --person are required"},
		{[]string{"duty", "assign", "--center", "C990101001001", "--shift", "2026-12-01/day", "--person", "李"}, 2, "--mirror FILE is required"},
		{[]string{"duty", "remove", "--mirror", path, "--id", "nope"}, 1, "no duty nope"},
		{[]string{"duty", "remove", "--mirror", path, "--id", uid, "--user", "leader_990102"}, 1, "outside your jurisdiction 990102"},
		{[]string{"duty", "remove", "--mirror", path}, 2, "--id is required"},
		{[]string{"duty", "show", "--mirror", path, "--center", "C0"}, 1, "no center C0"},
		{[]string{"duty", "show", "--mirror", path, "--center", "C990101001001", "--week", "2026-49"}, 1, "2026-49 is not an ISO week"},
		{[]string{"duty", "show", "--mirror", path, "--center", "C990101001001", "--week", "2026-W54"}, 1, "is not an ISO week"},
		{[]string{"duty", "show", "--mirror", path, "--center", "C990101001001", "--week", "2026-W49", "--at", "2026-12-01T10:00:00+08:00"}, 2, "give --week or --at, not both"},
		{[]string{"duty", "show", "--mirror", path, "--center", "C990101001001", "--at", "tomorrow"}, 2, "not an RFC 3339 time"},
		{[]string{"duty", "show", "--mirror", path, "--center", "C990101001001", "--format", "xml"}, 2, "--format is table, csv or json"},
		{[]string{"duty", "show", "--mirror", path}, 2, "--center is required"},
		{[]string{"duty", "gaps", "--mirror", path, "--region", "990109"}, 1, "no district with code 990109"},
		{[]string{"duty", "gaps", "--mirror", path, "--region", "99"}, 1, `"99" is not a`},
		{[]string{"duty", "gaps", "--mirror", path, "--at", "noon"}, 2, "not an RFC 3339 time"},
		{[]string{"duty", "gaps", "--mirror", path, "C990101"}, 2, `unexpected "C990101"`},
		{[]string{"duty", "roster"}, 2, "give assign, remove, show, gaps"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.says) {
			t.Errorf("%v: status %d, %q; want %d and %q", bad.args[1:], code, errOut, bad.code, bad.says)
		}
	}
	if r, j := dutyWritten(t, path); r != rows || j != journal {
		t.Fatalf("refusals wrote %d duty rows and %d journal entries", r-rows, j-journal)
	}
	if got := dutyAt(t, path, "C990101001001"); len(got) != 1 || got[0].UID != uid {
		t.Fatalf("the entry refused removal: %+v", got)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "duty", "assign", "--mirror", path, "--center", "C990101009", "--shift", "2026-12-01/day", "--person", "李"); code != 1 ||
		!strings.Contains(errOut, "没有综治中心 C990101009") {
		t.Fatalf("zh refusal: %d %q", code, errOut)
	}
	// Help is an answer: status 0, on stdout.
	for _, args := range [][]string{{"duty", "--help"}, {"duty", "gaps", "-h"}, {"duty", "assign", "--help"}} {
		code, out, errOut := cli(t, args...)
		if code != 0 || errOut != "" || strings.Count(out, "usage: kapok") != 1 {
			t.Errorf("%v: status %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if _, out, _ := cli(t, "duty", "gaps", "--help"); !strings.Contains(out, "exits 1 while there is any") {
		t.Errorf("gaps --help does not say when it exits 1:\n%s", out)
	}
}
