package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The fixture's street 990101001 and indicators of the catalogue.
const (
	monStreet = "990101001"
	aqi       = "environment-01H" // absolute, lower better: warn 100, alarm 150
	pm25      = "environment-02H" // absolute, lower better: warn 75, alarm 115
	ozone     = "environment-03H" // absolute, lower better: warn 160, alarm 200
	accidents = "transport-05H"   // baseline, lower better: warn 1.5×, alarm 2×
)

// monitorAt sets the commands' clock to the fixture's now and the locale
// to lang for the test.
func monitorAt(t *testing.T, lang string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", lang)
	now := caseNow
	t.Cleanup(func() { caseNow = now })
	caseNow = func() time.Time { return fixture.AsOf }
}

// minutesAgo is the fixture's now less n minutes, RFC 3339 in Beijing time.
func minutesAgo(n int) string {
	return fixture.AsOf.Add(-time.Duration(n) * time.Minute).In(data.BeijingTime).Format(time.RFC3339)
}

// valuesFile writes a file of values into a new folder.
func valuesFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// csvValues is a CSV file's text of records "indicator,region,time,value".
func csvValues(records ...string) string {
	return "indicator,region,time,value\n" + strings.Join(records, "\n") + "\n"
}

// fedWritten counts the values fed and the journal's entries.
func fedWritten(t *testing.T, path string) (values, journal int64) {
	t.Helper()
	readMirror(t, path, func(m *mirror.Mirror) {
		values = fixture.Count(t, m, `SELECT count(*) FROM indicator_readings`)
		journal = fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind NOT LIKE 'login.%'`) // logging in is journaled too
	})
	return values, journal
}

// feed runs kapok feed and fails the test unless it succeeds.
func feed(t *testing.T, path, user, file string) string {
	t.Helper()
	code, out, errOut := cli(t, "feed", "--mirror", path, "--user", user, file)
	if code != 0 || errOut != "" {
		t.Fatalf("feed %s: %d %q %q", file, code, out, errOut)
	}
	return out
}

var fedLine = regexp.MustCompile(`^(\d+) values? fed; evaluated (\d+) series: (\d+) alerts? opened, (\d+) cleared\n$`)

// kapok feed writes a file's values in one transaction with one journal
// entry, evaluates and says what it did; the same from standard input in
// JSON Lines.
func TestFeedCommand(t *testing.T) {
	monitorAt(t, "en_US.UTF-8")
	path := fixture.CityPath(t)
	file := valuesFile(t, "values.csv", csvValues(aqi+","+monStreet+","+minutesAgo(3)+",120", aqi+",990101,"+minutesAgo(3)+",80",
		aqi+","+monStreet+","+minutesAgo(1)+",170"))
	out := feed(t, path, "operator", file)
	got := fedLine.FindStringSubmatch(out)
	if got == nil || got[1] != "3" || got[4] != "0" {
		t.Fatalf("feed said %q", out)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		// Every series judged (211 indicators in the two districts and the
		// city, and the streets': the demo's street inputs and the value
		// fed), every alert the output counts opened.
		series := fixture.Count(t, m, `SELECT count(*) FROM indicator_status`)
		opened := fixture.Count(t, m, `SELECT count(*) FROM alerts`)
		streets := fixture.Count(t, m, `SELECT count(DISTINCT indicator_id || region_code) FROM indicator_readings WHERE length(region_code) = 9`)
		if got[2] != strconv.FormatInt(series, 10) || series != 211*3+streets || streets < 2 || got[3] != strconv.FormatInt(opened, 10) || opened == 0 {
			t.Errorf("said %q; %d statuses and %d alerts in the mirror", out, series, opened)
		}
		if n := fixture.Count(t, m, `SELECT count(*) FROM indicator_readings r JOIN indicator_defs d ON d.id = r.indicator_id
			WHERE d.code = ? AND (r.region_code = ? AND r.value IN (120, 170) OR r.region_code = '990101' AND r.value = 80)`, aqi, monStreet); n != 3 {
			t.Errorf("%d of the 3 values kept", n)
		}
		if n := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = 'indicator.feed' AND subject = ? AND actor = 'operator'
			AND entry ->> '$.payload.values' = 3`, file); n != 1 {
			t.Errorf("%d feed entries", n)
		}
		st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: monStreet, Indicator: aqi})
		if err != nil || len(st) != 1 || st[0].Value != 170 || st[0].Severity != data.Alarm {
			t.Errorf("the street's AQI: %+v %v", st, err)
		}
	})
	// Standard input, JSON Lines with blank lines.
	defer func(in io.Reader) { stdin = in }(stdin)
	stdin = strings.NewReader(fmt.Sprintf("\n{\"indicator\":%q,\"region\":%q,\"time\":%q,\"value\":80}\n\n", aqi, monStreet, minutesAgo(0)))
	code, out, errOut := cli(t, "feed", "--mirror", path, "--format", "jsonl", "-")
	if got := fedLine.FindStringSubmatch(out); code != 0 || got == nil || got[1] != "1" || got[3] != "0" || got[4] != "1" {
		t.Fatalf("feed from standard input: %d %q %q (the alarm at 170 cleared by 80)", code, out, errOut)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		if n := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = 'indicator.feed' AND subject = 'stdin' AND actor = 'leader'`); n != 1 {
			t.Errorf("%d feed entries from stdin", n)
		}
		if n := fixture.Count(t, m, `SELECT count(*) FROM alerts WHERE region_code = ? AND cleared_at IS NOT NULL`, monStreet); n != 1 {
			t.Errorf("%d of the street's alerts cleared", n)
		}
	})
	// A file with a header only feeds nothing.
	values, journal := fedWritten(t, path)
	if code, out, _ := cli(t, "feed", "--mirror", path, valuesFile(t, "none.csv", csvValues())); code != 0 || !strings.HasPrefix(out, "no values in ") {
		t.Fatalf("an empty file: %d %q", code, out)
	}
	if v, j := fedWritten(t, path); v != values || j != journal {
		t.Fatal("an empty file wrote")
	}
}

// A bad record refuses the whole file, named by its number as the readers
// and the store both count it — the N-th data record, past the header and
// blank lines — and nothing is written.
func TestFeedRefusals(t *testing.T) {
	monitorAt(t, "en_US.UTF-8")
	path := fixture.CityPath(t)
	first := aqi + "," + monStreet + "," + minutesAgo(5) + ",50"
	feed(t, path, "operator", valuesFile(t, "first.csv", csvValues(first)))
	good := func(n int) string { return fmt.Sprintf("%s,%s,%s,%d", aqi, monStreet, minutesAgo(20+n), 60+n) }
	jsonl := func(code, region, at string, v any) string {
		return fmt.Sprintf(`{"indicator":%q,"region":%q,"time":%q,"value":%v}`, code, region, at, v)
	}
	values, journal := fedWritten(t, path)
	for _, c := range []struct {
		name, file, text, says string
	}{
		// The readers refuse.
		{"not a number", "v.csv", csvValues(good(1), good(2), aqi+","+monStreet+","+minutesAgo(1)+",NaN"), `v.csv: record 3: value "NaN" is not a finite number`},
		{"a field short", "v.csv", csvValues(good(1), "", good(2), aqi+","+monStreet+",7"), "v.csv: record 3: 3 fields where the header has 4"},
		{"no value column", "v.csv", "indicator,region,time\n", `v.csv: header: no column "value"`},
		{"not a time", "v.jsonl", jsonl(aqi, monStreet, minutesAgo(1), 1) + "\n" + jsonl(aqi, monStreet, "now", 1) + "\n", `v.jsonl: record 2: time "now" is not an RFC 3339 time`},
		{"an unknown member", "v.ndjson", `{"indicator":"a","region":"b","time":"c","value":1,"unit":"AQI"}` + "\n", `v.ndjson: record 1: unknown member "unit"`},
		{"malformed JSON", "v.jsonl", "\n" + jsonl(aqi, monStreet, minutesAgo(1), 1) + "\n{\"indicator\":\n", "v.jsonl: record 2: malformed JSON"},
		// The store refuses, counting the same way.
		{"an unknown indicator", "v.csv", csvValues(good(1), "", good(2), "", "environment-99H,"+monStreet+","+minutesAgo(1)+",1"), `v.csv: record 3: no indicator "environment-99H"`},
		{"an unknown indicator in JSON Lines", "v.jsonl", "\n" + jsonl(aqi, monStreet, minutesAgo(21), 1) + "\n\n" + jsonl(aqi, monStreet, minutesAgo(22), 1) + "\n" +
			jsonl("environment-99H", monStreet, minutesAgo(1), 1) + "\n", `v.jsonl: record 3: no indicator "environment-99H"`},
		{"an unknown region", "v.csv", csvValues(good(1), aqi+",990109,"+minutesAgo(1)+",1"), `v.csv: record 2: no region "990109"`},
		{"a grid", "v.csv", csvValues(aqi + ",990101001001001," + minutesAgo(1) + ",1"), `v.csv: record 1: no region "990101001001001"`},
		{"there already", "v.csv", csvValues(good(1), first), "v.csv: record 2: " + aqi + " in " + monStreet + " at "},
		{"twice in the file", "v.csv", csvValues(good(1), good(2), good(1)), "v.csv: record 3: " + aqi + " in " + monStreet + " at "},
		{"ahead of now", "v.csv", csvValues(good(1), aqi+","+monStreet+","+minutesAgo(-6)+",1"), "v.csv: record 2: 2026-11-25T01:06:00.000Z is more than 5m0s ahead of now"},
	} {
		file := valuesFile(t, c.file, c.text)
		code, out, errOut := cli(t, "feed", "--mirror", path, "--user", "operator", file)
		if code != 1 || out != "" || !strings.HasPrefix(errOut, "kapok feed: "+filepath.Dir(file)+"/"+c.says) || !strings.HasSuffix(errOut, "\n") {
			t.Errorf("%s: status %d, %q %q; want 1 and …%s", c.name, code, out, errOut, c.says)
		}
	}
	// Refusals speak the language of the locale; so does a failed login.
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "feed", "--mirror", path, valuesFile(t, "v.csv", csvValues(good(1), good(1)))); code != 1 || !strings.Contains(errOut, "v.csv：record 2：") {
		t.Errorf("in Chinese: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, "feed", "--mirror", path, "--user", "nobody", valuesFile(t, "v.csv", csvValues(good(1)))); code != 1 ||
		errOut != refusalText(t, "feed", msg.Chinese, data.CodeLoginFailed) {
		t.Errorf("an unknown user in Chinese: %d %q", code, errOut)
	}
	if v, j := fedWritten(t, path); v != values || j != journal {
		t.Fatalf("refused feeds wrote: %d values and %d entries more", v-values, j-journal)
	}
	// Misuses and a missing file.
	statusesSay(t, []cliCase{
		{[]string{"feed", "--mirror", path}, 2, "give one file of values"},
		{[]string{"feed", "--mirror", path, "a.csv", "b.csv"}, 2, "give one file of values"},
		{[]string{"feed", "--mirror", path, "values.txt"}, 2, `cannot tell the format of "values.txt"`},
		{[]string{"feed", "--mirror", path, "-"}, 2, `cannot tell the format of "-"`},
		{[]string{"feed", "--mirror", path, "--format", "xml", "v.csv"}, 2, "--format is csv or jsonl"},
		{[]string{"feed", "v.csv"}, 2, "--mirror FILE is required"},
		{[]string{"feed", "--mirror", path, filepath.Join(t.TempDir(), "missing.csv")}, 1, "no such file"},
	})
}

// cliCase is a command line, the status it must end with and what its
// standard error must say.
type cliCase struct {
	args   []string
	status int
	says   string
}

// statusesSay runs each command line and checks its status and standard
// error.
func statusesSay(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, c := range cases {
		code, _, errOut := cli(t, c.args...)
		if code != c.status || !strings.Contains(errOut, c.says) {
			t.Errorf("%v: %d %q, want %d and %q", c.args, code, errOut, c.status, c.says)
		}
	}
}

// tableRows is a table's rows past its header, split into fields.
func tableRows(out string) [][]string {
	var rows [][]string
	for i, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if i > 0 {
			rows = append(rows, strings.Fields(line))
		}
	}
	return rows
}

func TestIndicatorsCommand(t *testing.T) {
	monitorAt(t, "en_US.UTF-8")
	path := fixture.CityPath(t)
	// The street: AQI in alarm, PM2.5 warn, ozone normal; accidents against
	// a week's baseline of 9, at 13.5 warn.
	at := time.Date(2026, 11, 25, 8, 30, 0, 0, data.BeijingTime)
	var week []string
	for k := 1; k <= 7; k++ {
		week = append(week, fmt.Sprintf("%s,%s,%s,%d", accidents, monStreet, at.AddDate(0, 0, -k).Format(time.RFC3339), 8+k%3))
	}
	feed(t, path, "operator", valuesFile(t, "week.csv", csvValues(week...)))
	feed(t, path, "operator", valuesFile(t, "now.csv", csvValues(ozone+","+monStreet+","+minutesAgo(2)+",100", pm25+","+monStreet+","+minutesAgo(2)+",80",
		aqi+","+monStreet+","+minutesAgo(2)+",170", accidents+","+monStreet+","+at.Format(time.RFC3339)+",13.5")))
	code, out, errOut := cli(t, "indicators", "list", "--mirror", path, "--region", monStreet)
	rows := tableRows(out)
	if code != 0 || errOut != "" || len(rows) < 4 {
		t.Fatalf("list: %d %q %q", code, out, errOut)
	}
	// Alarm first, then warn, then by code (among the demo's street
	// inputs, the Red Cotton Index's, all normal).
	want := []struct{ code, severity, value string }{{aqi, "alarm", "170 AQI"}, {pm25, "warn", "80 μg/m³"}, {accidents, "warn", "13.5 起"}, {ozone, "normal", "100 μg/m³"}}
	for i, w := range want {
		if i == 3 {
			i = slices.IndexFunc(rows, func(r []string) bool { return r[0] == ozone })
		}
		line := strings.Join(rows[i], " ")
		if rows[i][0] != w.code || !strings.Contains(line, " "+w.severity+" ") || !strings.Contains(line, " "+monStreet+" "+w.value+" ") {
			t.Errorf("row %d: %q, want %s %s %s", i+1, line, w.code, w.severity, w.value)
		}
	}
	if !strings.Contains(out, "air quality index") || !strings.Contains(out, "9 起 (×1.5)") || !strings.Contains(out, "2026-11-25 08:58") {
		t.Errorf("names in English, the baseline with the ratio, times in Beijing: %q", out)
	}
	for state, n := range map[string]int{"warn": 3, "alarm": 1} {
		if code, out, _ := cli(t, "indicators", "list", "--mirror", path, "--region", monStreet, "--state", state); code != 0 || len(tableRows(out)) != n {
			t.Errorf("--state %s: %d %q, want %d rows", state, code, out, n)
		}
	}
	// JSON, in the city: every indicator, evaluated first.
	code, out, _ = cli(t, "indicators", "list", "--mirror", path, "--format", "json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 211 {
		t.Fatalf("the city in JSON: %d, %d lines", code, len(lines))
	}
	for _, l := range lines {
		var st struct {
			Code, Region, Severity, At, Unit string
			Value                            float64
			Baseline, Ratio                  *float64
		}
		if err := json.Unmarshal([]byte(l), &st); err != nil || st.Region != "9901" || st.Code == "" || st.Unit == "" || st.Severity == "" ||
			!strings.HasSuffix(st.At, "+08:00") || (st.Baseline == nil) != (st.Ratio == nil) {
			t.Fatalf("%q: %+v %v", l, st, err)
		}
	}
	var st struct {
		NameZh                 string `json:"name_zh"`
		Value, Baseline, Ratio float64
	}
	code, out, _ = cli(t, "indicators", "list", "--mirror", path, "--region", monStreet, "--category", "transport", "--format", "json")
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.Value != 13.5 || st.Baseline != 9 || st.Ratio != 1.5 || st.NameZh != "交通事故数" {
		t.Errorf("the street's transport in JSON: %d %q %v", code, out, err)
	}
	if code, out, _ := cli(t, "indicators", "list", "--mirror", path, "--category", "transport"); code != 0 || len(tableRows(out)) != 27 {
		t.Errorf("the city's transport: %d, %d rows", code, len(tableRows(out)))
	}
	// Names in Chinese under a Chinese locale.
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, out, _ := cli(t, "indicators", "list", "--mirror", path, "--region", monStreet, "--state", "alarm"); code != 0 || !strings.Contains(out, "空气质量指数") {
		t.Errorf("in Chinese: %d %q", code, out)
	}
	t.Setenv("LANG", "en_US.UTF-8")
	// show: the definition and the status.
	code, out, _ = cli(t, "indicators", "show", "--mirror", path, "--indicator", aqi, "--region", monStreet)
	for _, says := range []string{"indicator   environment-01H 空气质量指数 / air quality index", "thresholds  absolute: warn at 100 AQI, alarm at 150 AQI",
		"hysteresis  10 AQI", "direction   lower_better", "rollup      mean", "refresh     1h\n", "source      市生态环境局", "region      990101001",
		"value       170 AQI at 2026-11-25 08:58", "severity    alarm", "alarm since 2026-11-25 08:58 (at 170 AQI), not acknowledged"} {
		if code != 0 || !strings.Contains(out, says) {
			t.Errorf("show %s: %d, no %q in %q", aqi, code, says, out)
		}
	}
	code, out, _ = cli(t, "indicators", "show", "--mirror", path, "--indicator", accidents, "--region", monStreet)
	if code != 0 || !strings.Contains(out, "baseline: warn at 1.5×, alarm at 2×") || !strings.Contains(out, "baseline    9 起 (×1.5)") || !strings.Contains(out, "refresh     1m\n") {
		t.Errorf("show %s: %d %q", accidents, code, out)
	}
	if code, out, _ := cli(t, "indicators", "show", "--mirror", path, "--indicator", aqi, "--region", "990101002"); code != 0 || !strings.Contains(out, "no value in 990101002 yet") {
		t.Errorf("show without a value: %d %q", code, out)
	}
	statusesSay(t, []cliCase{
		{[]string{"indicators", "list", "--mirror", path, "--state", "normal"}, 2, "--state is warn or alarm"},
		{[]string{"indicators", "list", "--mirror", path, "--category", "weather"}, 2, "--category is one of transport, public_safety"},
		{[]string{"indicators", "list", "--mirror", path, "--format", "csv"}, 2, "--format is table or json"},
		{[]string{"indicators", "list", "--mirror", path, "--region", "990101001001001"}, 2, "indicators are measured for the city, its districts and streets"},
		{[]string{"indicators", "list", "--mirror", path, "--region", "990109"}, 1, "no district with code 990109"},
		{[]string{"indicators", "list", "--mirror", path, "--region", "99x"}, 1, `"99x" is not a 4, 6, 9, 12 or 15-digit region or grid code`},
		{[]string{"indicators", "show", "--mirror", path, "--indicator", "environment-99H"}, 2, `no indicator "environment-99H"`},
		{[]string{"indicators", "show", "--mirror", path}, 2, "--indicator is required"},
		{[]string{"indicators"}, 2, "give list, show"},
	})
}

// refusalText is a refusal as the command line prints it in a language:
// the catalogue's text (that every code has one in both languages is
// app/msg's test).
func refusalText(t *testing.T, command string, lang msg.Lang, code data.Code, args ...data.Arg) string {
	t.Helper()
	cat, err := msg.Default()
	if err != nil {
		t.Fatal(err)
	}
	return "kapok " + command + ": " + cat.Refusal(lang, data.Refuse(code, "", args...)) + "\n"
}

func TestAlertsCommand(t *testing.T) {
	monitorAt(t, "en_US.UTF-8")
	path := fixture.CityPath(t)
	feed(t, path, "operator", valuesFile(t, "v.csv", csvValues(aqi+","+monStreet+","+minutesAgo(10)+",170")))
	code, out, errOut := cli(t, "alerts", "list", "--mirror", path, "--open", "--unacked", "--region", monStreet, "--format", "json")
	var a struct {
		Alert, Opened, Severity, Indicator, Region string
		Value                                      float64
		Cleared                                    *string
		AckedAt                                    *string `json:"acked_at"`
		AckedBy                                    string  `json:"acked_by"`
		ToAck                                      *int64  `json:"seconds_to_ack"`
	}
	if err := json.Unmarshal([]byte(out), &a); code != 0 || err != nil || strings.Count(out, "\n") != 1 || a.Severity != "alarm" || a.Indicator != aqi ||
		a.Region != monStreet || a.Value != 170 || a.Opened != "2026-11-25T08:50:00+08:00" || a.Cleared != nil || a.AckedAt != nil || a.ToAck != nil {
		t.Fatalf("the street's open alerts: %d %q %q", code, out, errOut)
	}
	uid := a.Alert
	code, out, _ = cli(t, "alerts", "list", "--mirror", path, "--region", monStreet)
	if rows := tableRows(out); code != 0 || len(rows) != 1 || strings.Join(rows[0], " ") != uid+" 2026-11-25 08:50 alarm "+aqi+" air quality index "+monStreet+" 170 AQI open" {
		t.Fatalf("table: %d %q", code, out)
	}
	_, journal := fedWritten(t, path)
	// Refused: outside the jurisdiction, unknown, ambiguous (the alerts
	// the evaluation opened share their first characters).
	for _, c := range []struct {
		uid, user string
		want      string
	}{
		{uid, "leader_990102", refusalText(t, "alerts", msg.English, data.CodeAlertOutsideJurisdiction, data.Value("alert", uid), data.Value("jurisdiction", "990102"))},
		{"ffffffff", "operator", refusalText(t, "alerts", msg.English, data.CodeAlertUnknown, data.Value("alert", "ffffffff"))},
		{uid[:8], "operator", refusalText(t, "alerts", msg.English, data.CodeAlertAmbiguous, data.Value("alert", uid[:8]))},
	} {
		if code, out, errOut := cli(t, "alerts", "ack", "--mirror", path, "--alert", c.uid, "--user", c.user); code != 1 || out != "" || errOut != c.want {
			t.Errorf("ack %s as %s: %d %q %q, want %q", c.uid, c.user, code, out, errOut, c.want)
		}
	}
	if _, j := fedWritten(t, path); j != journal {
		t.Fatal("refused acknowledgements wrote")
	}
	code, out, errOut = cli(t, "alerts", "ack", "--mirror", path, "--alert", uid, "--user", "leader_990101")
	if code != 0 || out != uid+" acknowledged by leader_990101, 10m after it opened (alarm "+aqi+" in "+monStreet+")\n" {
		t.Fatalf("ack: %d %q %q", code, out, errOut)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		if n := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = 'alert.ack' AND subject = ? AND actor = 'leader_990101'`, uid); n != 1 {
			t.Errorf("%d acknowledgement entries", n)
		}
	})
	if code, _, errOut := cli(t, "alerts", "ack", "--mirror", path, "--alert", uid); code != 1 ||
		errOut != refusalText(t, "alerts", msg.English, data.CodeAlertAcked, data.Value("alert", uid)) {
		t.Errorf("acknowledged twice: %d %q", code, errOut)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "alerts", "ack", "--mirror", path, "--alert", uid); code != 1 ||
		errOut != refusalText(t, "alerts", msg.Chinese, data.CodeAlertAcked, data.Value("alert", uid)) {
		t.Errorf("acknowledged twice, in Chinese: %d %q", code, errOut)
	}
	t.Setenv("LANG", "en_US.UTF-8")
	// Listed acknowledged, and no longer unacknowledged.
	code, out, _ = cli(t, "alerts", "list", "--mirror", path, "--region", monStreet, "--format", "json")
	if err := json.Unmarshal([]byte(out), &a); code != 0 || err != nil || a.AckedBy != "leader_990101" || a.AckedAt == nil ||
		*a.AckedAt != "2026-11-25T09:00:00+08:00" || a.ToAck == nil || *a.ToAck != 600 {
		t.Errorf("acknowledged in JSON: %d %q %v", code, out, err)
	}
	code, out, _ = cli(t, "alerts", "list", "--mirror", path, "--region", monStreet)
	if rows := tableRows(out); code != 0 || len(rows) != 1 || !strings.HasSuffix(strings.Join(rows[0], " "), " open leader_990101 2026-11-25 09:00 10m") {
		t.Errorf("acknowledged in a table: %d %q", code, out)
	}
	if code, out, _ := cli(t, "alerts", "list", "--mirror", path, "--region", monStreet, "--unacked"); code != 0 || len(tableRows(out)) != 0 {
		t.Errorf("--unacked: %d %q", code, out)
	}
	// Filters: severity, limit; the latest opened first.
	code, out, _ = cli(t, "alerts", "list", "--mirror", path, "--format", "json")
	all := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(all) < 2 {
		t.Fatalf("every alert: %d %q", code, out)
	}
	last := ""
	for _, l := range all {
		if err := json.Unmarshal([]byte(l), &a); err != nil || (last != "" && a.Opened > last) {
			t.Fatalf("not the latest first: %q", out)
		}
		last = a.Opened
	}
	if code, out, _ := cli(t, "alerts", "list", "--mirror", path, "--limit", "1", "--format", "json"); code != 0 || out != all[0]+"\n" {
		t.Errorf("--limit 1: %d %q", code, out)
	}
	for _, sev := range []string{"warn", "alarm"} {
		code, out, _ := cli(t, "alerts", "list", "--mirror", path, "--severity", sev, "--format", "json")
		if code != 0 || strings.Count(out, `"severity":"`+sev+`"`) != strings.Count(out, "\n") {
			t.Errorf("--severity %s: %d %q", sev, code, out)
		}
	}
	statusesSay(t, []cliCase{
		{[]string{"alerts", "list", "--mirror", path, "--severity", "normal"}, 2, "--severity is warn or alarm"},
		{[]string{"alerts", "list", "--mirror", path, "--limit", "-1"}, 2, "--limit cannot be negative"},
		{[]string{"alerts", "list", "--mirror", path, "--format", "csv"}, 2, "--format is table or json"},
		{[]string{"alerts", "list", "--mirror", path, "--region", "990109"}, 1, "no district with code 990109"},
		{[]string{"alerts", "ack", "--mirror", path}, 2, "--alert is required"},
		{[]string{"alerts", "ack", "--alert", uid}, 2, "--mirror FILE is required"},
		{[]string{"alerts"}, 2, "give list, ack"},
	})
}
