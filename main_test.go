package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// cli runs a command line in this process and returns its exit status and
// what it wrote.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runCLI(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// The orders subcommand: a good order lands, bad ones are refused (status
// 1, the reason on stderr) or misused (status 2), and write nothing.
func TestOrdersCommand(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	path := fixture.CityPath(t)
	base := []string{"orders", "issue", "--mirror", path, "--start", "2026-11-25T20:00:00+08:00", "--end", "2026-11-26T06:00:00+08:00", "--task", "巡逻"}
	code, out, errOut := cli(t, append(base, "--targets", "990101001001001,990101001001002", "--type", "patrol", "--user", "leader")...)
	if code != 0 || !strings.HasPrefix(out, "1\t") {
		t.Fatalf("good order: status %d, %q, %q", code, out, errOut)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{append(base, "--targets", ""), 1, "no targets"},
		{append(base, "--targets", "990101001001999"), 1, "unknown grid 990101001001999"},
		{append(base, "--targets", "990101001001001", "--user", "nobody"), 1, "login failed: the login or the password is wrong"},
		{append(base, "--targets", "990102001201001", "--user", "leader_990101"), 1, "outside your jurisdiction 990101"},
		{[]string{"orders", "issue", "--mirror", path, "--targets", "990101001001001", "--task", "x", "--start", "tomorrow", "--end", "2026-11-26T06:00:00+08:00"}, 2, "not an RFC 3339 time"},
		{[]string{"orders", "issue", "--mirror", path, "--targets", "990101001001001", "--task", "x", "--start", "2026-11-26T06:00:00+08:00", "--end", "2026-11-25T06:00:00+08:00"}, 1, "is not after the start"},
		{[]string{"orders", "issue", "--mirror", filepath.Join(t.TempDir(), "missing.gpkg"), "--targets", "990101001001001", "--task", "x"}, 1, "there is no mirror at"},
		{[]string{"orders", "issue", "--targets", "990101001001001", "--task", "x"}, 2, "--mirror FILE is required"},
		{[]string{"orders", "list", "--mirror", path, "--task", "x"}, 2, "flag provided but not defined: -task"},
		{[]string{"orders", "issue", "--mirror", path, "--colour", "red"}, 2, "flag provided but not defined"},
		{[]string{"orders", "cancel"}, 2, "give issue, list, move"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.says) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", bad.args[2:], code, errOut, bad.code, bad.says)
		}
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	list, err := m.Orders(ctx)
	if cerr := m.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	if err != nil || len(list) != 1 || len(list[0].Targets) != 2 || list[0].Type != "patrol" {
		t.Fatalf("orders after one good and eight bad: %+v, %v", list, err)
	}
	if code, out, _ := cli(t, "orders", "list", "--mirror", path); code != 0 || !strings.Contains(out, "#1\t"+list[0].UID+"\tissued\tpatrol") {
		t.Fatalf("list: %d %q", code, out)
	}
	if code, out, errOut := cli(t, "orders", "move", "--mirror", path, "--order", "1", "--to", "acknowledged", "--user", "leader"); code != 0 || !strings.Contains(out, "acknowledged") {
		t.Fatalf("move: %d %q %q", code, out, errOut)
	}
	// Refusals speak the language of the locale.
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "orders", "move", "--mirror", path, "--order", list[0].UID, "--to", "issued"); code != 1 || !strings.Contains(errOut, "指令 #1 不能从“已签收”转为“已下达”") {
		t.Fatalf("acknowledged → issued: %d %q", code, errOut)
	}
}

func TestJournalCommand(t *testing.T) {
	path := fixture.CityPath(t)
	if code, _, errOut := cli(t, "orders", "issue", "--mirror", path, "--targets", "990101001001001", "--task", "巡查",
		"--start", "2026-11-25T08:00:00Z", "--end", "2026-11-25T10:00:00Z", "--user", "leader"); code != 0 {
		t.Fatal(errOut)
	}
	// The demo build, leader's login, the order.
	if code, out, errOut := cli(t, "journal", "verify", "--mirror", path); code != 0 || !strings.Contains(out, "holds: 3 entries") {
		t.Fatalf("verify: %d %q %q", code, out, errOut)
	}
	code, out, _ := cli(t, "journal", "list", "--mirror", path, "--kind", "order.issue", "--format", "json")
	var e struct {
		Seq     int64
		Actor   string
		Kind    string
		Payload struct{ Task string }
	}
	if err := json.Unmarshal([]byte(out), &e); code != 0 || err != nil || e.Seq != 3 || e.Actor != "leader" || e.Payload.Task != "巡查" {
		t.Fatalf("list json: %d %q %v", code, out, err)
	}
	if code, out, _ := cli(t, "journal", "list", "--mirror", path, "--actor", "system"); code != 0 || !strings.Contains(out, "demo.build") || strings.Contains(out, "order.issue") {
		t.Fatalf("list table: %d %q", code, out)
	}
	if code, out, _ := cli(t, "journal", "list", "--mirror", path, "--since", "2030-01-01T00:00:00Z"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("list since: %d %q", code, out)
	}
	if code, _, _ := cli(t, "journal", "list", "--mirror", path, "--since", "yesterday"); code != 2 {
		t.Fatalf("bad --since: status %d", code)
	}
	// Tampered with: status 1 and the first bad entry named.
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER journal_no_update`, `UPDATE journal SET entry = replace(entry, '巡查', '撤销') WHERE seq = 3`} {
		if _, err := m.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "journal", "verify", "--mirror", path); code != 1 || !strings.Contains(errOut, "entry 3 does not match its hash: it was edited") {
		t.Fatalf("tampered: %d %q", code, errOut)
	}
}

// Import into a mirror that does not exist is refused, and creates nothing.
func TestImportRefusesAMissingMirror(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "grids.geojson")
	if err := os.WriteFile(in, []byte(`{"type":"FeatureCollection","features":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nowhere.gpkg")
	if code, _, errOut := cli(t, "import", "--mirror", missing, "--layer", "grids", in); code != 1 || !strings.Contains(errOut, "there is no mirror at") {
		t.Fatalf("status %d, %q", code, errOut)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("import created the mirror it refused")
	}
}

// `kapok --mirror F` is `kapok run --mirror F`: it goes to the console (here
// it finds no console binary beside the test, which says so).
func TestFlagsWithoutCommandOpenTheConsole(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, _, errOut := cli(t, "--mirror", "x.gpkg")
	if code != 1 || !strings.Contains(errOut, "kapok run: the console, kapok-console") {
		t.Fatalf("status %d, %q", code, errOut)
	}
	if code, out, _ := cli(t, "--help"); code != 0 || !strings.Contains(out, "usage:") {
		t.Fatalf("--help: %d %q", code, out)
	}
	if code, _, errOut := cli(t, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
}

// The command line does not link Fyne: the console is its own binary.
func TestCommandLineDoesNotLinkFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "fyne.io/") || p == "kapok/app" {
			t.Fatalf("kapok links %s", p)
		}
	}
}

// Subcommands print nothing on stderr when they succeed, whatever the locale
// (Fyne's start-up complained under C locales when the command line linked
// it): checked on the built binary.
func TestSubcommandsAreQuietOnStderr(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "kapok")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	path := fixture.CityPath(t)
	for _, lang := range []string{"unset", "C", "C.UTF-8"} {
		for _, args := range [][]string{{"render", "--help"}, {"stats", path}, {"orders", "list", "--mirror", path}, {"journal", "verify", "--mirror", path}} {
			cmd := exec.Command(bin, args...)
			var env []string
			for _, e := range os.Environ() {
				if !strings.HasPrefix(e, "LANG=") && !strings.HasPrefix(e, "LC_") && !strings.HasPrefix(e, "LANGUAGE=") {
					env = append(env, e)
				}
			}
			if lang != "unset" {
				env = append(env, "LANG="+lang)
			}
			cmd.Env = env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Errorf("LANG %s, kapok %s: %v, stderr %q", lang, strings.Join(args, " "), err, stderr.String())
			}
		}
	}
}

var ctx = context.Background()

// deps lists a package's transitive dependencies.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// The dependency rules of docs/ARCHITECTURE.md, checked.
func TestLayering(t *testing.T) {
	rules := []struct {
		pkg    string
		forbid []string // import path prefixes
	}{
		{"kapok/data", []string{"database/sql", "runtime/cgo", "kapok/data/", "kapok/app", "kapok/maps", "github.com/mattn/go-sqlite3"}},
		{"kapok/maps", []string{"kapok/data", "kapok/app", "kapok/assets"}},
		{"kapok/data/journal", []string{"database/sql", "kapok/data/mirror"}},
		{"kapok/data/geoio", []string{"database/sql"}},
		{"kapok/data/schedule", []string{"database/sql", "kapok/data/mirror", "kapok/app"}},
		{"kapok/data/schedule/autofill", []string{"database/sql", "kapok/data/mirror", "kapok/app"}},
		{"kapok/data/dispatch", []string{"database/sql", "kapok/data/mirror", "kapok/app"}},
		{"kapok/data/calendar", []string{"database/sql", "kapok/data/mirror", "kapok/app"}},
		{"kapok/data/redcotton", []string{"database/sql", "kapok/data/mirror", "kapok/app"}},
		{"kapok/data/upstream", []string{"kapok/data/mirror", "kapok/app", "github.com/mattn/go-sqlite3"}},
		{"kapok/app/citymap", []string{"fyne.io/", "kapok/app/cmd"}},
		{"kapok/app/msg", []string{"fyne.io/"}},
		{"kapok", []string{"fyne.io/", "kapok/app/cmd"}},
	}
	for _, r := range rules {
		for _, d := range deps(t, r.pkg) {
			for _, f := range r.forbid {
				if d != r.pkg && (d == strings.TrimSuffix(f, "/") || strings.HasPrefix(d, f)) {
					t.Errorf("%s depends on %s", r.pkg, d)
				}
			}
		}
	}
	// Nothing but the console binary imports the console.
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		if pkg != "kapok/app/cmd/kapok-console" && slices.Contains(strings.Fields(imports), "kapok/app") {
			t.Errorf("%s imports kapok/app", pkg)
		}
	}
}

// A mirror built by `kapok demo` has a journal whose chain holds: one entry,
// the build, by the system.
func TestDemoCommandJournalsTheBuild(t *testing.T) {
	dir := filepath.Join("data", "demo", "testdata", "city")
	out := filepath.Join(t.TempDir(), "demo.gpkg")
	code, _, errOut := cli(t, "demo", "--out", out, "--districts", filepath.Join(dir, "districts.geojson"),
		"--streets", filepath.Join(dir, "streets.csv"), "--villages", filepath.Join(dir, "villages.csv"), "--city", "测试市",
		"--grids", "40", "--units", "50", "--days", "3")
	if code != 0 {
		t.Fatalf("demo: %d %q", code, errOut)
	}
	if code, stdout, errOut := cli(t, "journal", "verify", "--mirror", out); code != 0 || !strings.Contains(stdout, "holds: 1 entry,") {
		t.Fatalf("verify: %d %q %q", code, stdout, errOut)
	}
	if code, stdout, _ := cli(t, "journal", "list", "--mirror", out); code != 0 || !strings.Contains(stdout, "system") || !strings.Contains(stdout, "demo.build") {
		t.Fatalf("list: %d %q", code, stdout)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("demo mirror mode %v, %v", fi.Mode().Perm(), err)
	}
}

// Help is printed once, on stdout, for commands and command groups alike.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"render", "--help"}, {"orders", "issue", "-h"}, {"journal", "list", "--help"}, {"orders", "--help"}, {"journal", "-h"}} {
		code, out, errOut := cli(t, args...)
		if code != 0 || errOut != "" || strings.Count(out, "usage: kapok") != 1 {
			t.Errorf("%v: status %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// A file that is not a mirror is refused with its path, in the locale's
// language.
func TestNotAMirror(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.gpkg")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "stats", path); code != 1 || !strings.Contains(errOut, path+" 不是 Kapok 镜像") {
		t.Fatalf("status %d, %q", code, errOut)
	}
}

// The console gets LANGUAGE=en under a C locale with an encoding (which
// Fyne cannot read as a language), and the environment as it is otherwise.
func TestConsoleEnvironment(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want string
	}{
		{[]string{"LANG=C.UTF-8"}, "en"},
		{[]string{"LC_ALL=POSIX.UTF-8", "LANG=zh_CN.UTF-8"}, "en"},
		{[]string{"LANG=zh_CN.UTF-8"}, ""},
		{[]string{"LANG=C"}, ""},
		{[]string{"LANG=C.UTF-8", "LANGUAGE=zh_CN"}, "zh_CN"},
	} {
		got := ""
		for _, e := range consoleEnv(c.env) {
			if v, ok := strings.CutPrefix(e, "LANGUAGE="); ok {
				got = v
			}
		}
		if got != c.want {
			t.Errorf("%v: LANGUAGE=%q, want %q", c.env, got, c.want)
		}
	}
}

// The cases command: report, move through the workflow, extend, list and
// show; refusals exit 1 with the reason, misuse exits 2.
func TestCasesCommand(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	path := fixture.CityPath(t)
	code, out, errOut := cli(t, "cases", "report", "--mirror", path, "--grid", "990101001001001", "--matter", "MD01",
		"--text", "噪音扰民", "--source", "hotline_12345", "--contact", "13800001234", "--user", "leader_990101")
	if code != 0 {
		t.Fatalf("report: %d %q", code, errOut)
	}
	c := strings.TrimSpace(out)
	for _, step := range [][]string{
		{"--to", "filed"},
		{"--to", "dispatched", "--units", "U9901010010010011"},
		{"--to", "handling"},
		{"--to", "fed_back", "--result", "已调解"},
		{"--to", "closed"},
	} {
		args := append([]string{"cases", "move", "--mirror", path, "--case", c, "--user", "leader_990101"}, step...)
		if code, out, errOut := cli(t, args...); code != 0 || !strings.Contains(out, step[1]) {
			t.Fatalf("%v: %d %q %q", step, code, out, errOut)
		}
		if step[1] == "dispatched" {
			if code, out, _ := cli(t, "cases", "extend", "--mirror", path, "--case", c, "--reason", "当事人外出", "--user", "leader"); code != 0 || !strings.Contains(out, "deadline") {
				t.Fatalf("extend: %d %q", code, out)
			}
		}
	}
	code, out, _ = cli(t, "cases", "show", "--mirror", path, "--case", c)
	for _, want := range []string{"case      " + c, "clock     met", "report", "dispatch", "extend", "feed_back", "close", "已调解"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli(t, "cases", "list", "--mirror", path, "--all", "--format", "json", "--region", "990101001001001")
	if code != 0 || !strings.Contains(out, `"code":"`+c+`"`) || !strings.Contains(out, `"clock":"met"`) {
		t.Fatalf("list json: %d %q", code, out)
	}
	code, out, _ = cli(t, "cases", "list", "--mirror", path, "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "code,state,clock,remaining_s,deadline") || strings.Contains(out, c) {
		t.Fatalf("list csv (open cases only): %d %q", code, out)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"cases", "move", "--mirror", path, "--case", c, "--to", "handling"}, 1, "cannot go from closed to handling"},
		{[]string{"cases", "move", "--mirror", path, "--case", "E0", "--to", "filed"}, 1, "no case E0"},
		{[]string{"cases", "report", "--mirror", path, "--grid", "990101001001001", "--matter", "MD01", "--text", " "}, 1, "the description is empty"},
		{[]string{"cases", "report", "--mirror", path, "--at", "0,0", "--matter", "MD01", "--text", "x"}, 1, "lies in no grid"},
		{[]string{"cases", "report", "--mirror", path, "--at", "east", "--matter", "MD01", "--text", "x"}, 2, "is not LON,LAT"},
		{[]string{"cases", "move", "--mirror", path, "--to", "filed"}, 2, "--case and --to are required"},
		{[]string{"cases", "list", "--mirror", path, "--format", "xml"}, 2, "--format is table, csv or json"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.says) {
			t.Errorf("%v: status %d, %q; want %d and %q", bad.args[1:], code, errOut, bad.code, bad.says)
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "cases", "move", "--mirror", path, "--case", c, "--to", "cancelled", "--reason", "x"); code != 1 || !strings.Contains(errOut, "不能从“核查结案”转为“已撤销”") {
		t.Fatalf("zh refusal: %d %q", code, errOut)
	}
}

func TestCasesRecommendCommand(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	path := fixture.CityPath(t)
	code, out, errOut := cli(t, "cases", "report", "--mirror", path, "--grid", "990101001001001", "--matter", "XF01",
		"--text", "消防通道被占", "--user", "leader_990101")
	if code != 0 {
		t.Fatalf("report: %d %q", code, errOut)
	}
	c := strings.TrimSpace(out)
	code, out, errOut = cli(t, "cases", "recommend", "--mirror", path, "--case", c, "-n", "3", "--user", "leader_990101")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[0], "U9901010010010011") || !strings.Contains(lines[0], "同网格 · ") ||
		!strings.Contains(lines[0], "具备灭火能力") {
		t.Fatalf("recommend: %d %q %q", code, out, errOut)
	}
	t.Setenv("LANG", "en_US.UTF-8")
	code, out, _ = cli(t, "cases", "recommend", "--mirror", path, "--case", c, "-n", "1", "--format", "json")
	if code != 0 || !strings.Contains(out, `"unit":"U9901010010010011"`) || !strings.Contains(out, `"reasons":"same grid · `) ||
		!strings.Contains(out, "can do fire fighting") {
		t.Fatalf("recommend json: %d %q", code, out)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"cases", "recommend", "--mirror", path, "--case", "E0"}, 1, "no case E0"},
		{[]string{"cases", "recommend", "--mirror", path, "--case", c, "-n", "0"}, 2, "-n must be at least 1"},
		{[]string{"cases", "recommend", "--mirror", path}, 2, "--case is required"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.says) {
			t.Errorf("%v: status %d, %q; want %d and %q", bad.args[1:], code, errOut, bad.code, bad.says)
		}
	}
}

// The command line counts overdue cases as the console does: at several
// instants (the fixture city's now, over its weekend, ten days on) `kapok
// cases list --overdue` lists as many cases as `kapok stats` says are open
// past their deadline, and with --all as many as it says are overdue in
// all (closed late included); both read the same clock.
func TestStatsAndCasesListAgreeOnOverdue(t *testing.T) {
	path := fixture.CityPath(t)
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	stat := regexp.MustCompile(`of which past the deadline (\d+); overdue in all, closed late included, (\d+)\)`)
	rows := func(args ...string) int {
		t.Helper()
		code, out, errOut := cli(t, append([]string{"cases", "list", "--mirror", path, "--overdue", "--format", "csv"}, args...)...)
		if code != 0 {
			t.Fatalf("list: %d %q", code, errOut)
		}
		return strings.Count(out, "\n") - 1 // the header
	}
	seen := map[string]bool{}
	for _, at := range []time.Time{fixture.AsOf, fixture.AsOf.Add(72 * time.Hour), fixture.AsOf.Add(240 * time.Hour)} {
		caseNow = func() time.Time { return at }
		code, out, errOut := cli(t, "stats", path)
		m := stat.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("stats at %s: %d %q %q", at, code, out, errOut)
		}
		open, all := rows(), rows("--all")
		if strconv.Itoa(open) != m[1] || strconv.Itoa(all) != m[2] {
			t.Fatalf("at %s: cases list --overdue %d (with --all %d), stats %s (%s)", at, open, all, m[1], m[2])
		}
		seen[m[1]] = true
	}
	if len(seen) < 2 {
		t.Fatal("the overdue count never changed with the clock: the instants test nothing")
	}
}

// kapok roster plans a week, assigns and unassigns patrols and shows the
// roster; what can never be right exits 1 with the reason (in the language
// of LANG) and writes nothing; a command line it cannot read exits 2.
func TestRosterCommand(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	path := fixture.CityPath(t)
	code, out, errOut := cli(t, "roster", "plan", "--mirror", path, "--region", "990101", "--week", "2026-W49", "--user", "leader_990101")
	if code != 0 {
		t.Fatalf("plan: %d %q", code, errOut)
	}
	plan := strings.Split(strings.TrimSpace(out), "\n")
	if len(plan) != 2 || !strings.Contains(plan[1], "× 21 shifts:") || !strings.Contains(plan[1], "0 planned") {
		t.Fatalf("plan prints the roster's key and coverage: %q", out)
	}
	id := plan[0]
	for _, shift := range []string{"2026-12-01/day", "2026-12-02/night"} {
		if code, out, errOut := cli(t, "roster", "assign", "--mirror", path, "--roster", id[:8], "--unit", "U9901010010010011", "--grid", "990101001001001",
			"--shift", shift, "--user", "leader_990101"); code != 0 || !strings.HasPrefix(out, id) {
			t.Fatalf("assign %s: %d %q %q", shift, code, out, errOut)
		}
	}
	if code, _, errOut := cli(t, "roster", "unassign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--grid", "990101001001001",
		"--shift", "2026-12-02/night"); code != 0 {
		t.Fatalf("unassign: %d %q", code, errOut)
	}
	code, out, _ = cli(t, "roster", "show", "--mirror", path, "--roster", id, "--format", "json")
	var doc struct {
		Week        string `json:"week"`
		Version     int    `json:"version"`
		Assignments []struct{ Unit, Grid, Shift string }
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || doc.Week != "2026-W49" || doc.Version != 4 || len(doc.Assignments) != 1 ||
		doc.Assignments[0].Shift != "2026-12-01/day" {
		t.Fatalf("show: %d %q %+v", code, out, doc)
	}
	if code, out, _ := cli(t, "roster", "show", "--mirror", path, "--roster", id); code != 0 || !strings.Contains(out, "2026-12-01/day  U9901010010010011  990101001001001") {
		t.Fatalf("show table: %q", out)
	}
	// A patrol route: walked by the unit, listed as a route, taken off.
	walk := []string{"--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--route", "R9901010013", "--shift", "2026-12-03/day", "--user", "leader_990101"}
	if code, _, errOut := cli(t, append([]string{"roster", "assign"}, walk...)...); code != 0 {
		t.Fatalf("assign a route: %d %q", code, errOut)
	}
	if code, out, _ := cli(t, "roster", "show", "--mirror", path, "--roster", id); code != 0 || !strings.Contains(out, "2026-12-03/day  U9901010010010011  route R9901010013") {
		t.Fatalf("show a route walk: %q", out)
	}
	if code, out, _ := cli(t, "roster", "show", "--mirror", path, "--roster", id, "--format", "csv"); code != 0 || !strings.Contains(out, "2026-12-03/day,U9901010010010011,,R9901010013,false") {
		t.Fatalf("show a route walk as CSV: %q", out)
	}
	if code, _, errOut := cli(t, append([]string{"roster", "unassign"}, walk...)...); code != 0 {
		t.Fatalf("unassign a route: %d %q", code, errOut)
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	journal := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind NOT LIKE 'login.%'`) // logging in is journaled too
	_ = m.Close()
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"roster", "plan", "--mirror", path, "--region", "990101", "--week", "2026-49"}, 1, "2026-49 is not an ISO week"},
		{[]string{"roster", "plan", "--mirror", path, "--region", "9901", "--week", "2026-W49"}, 1, "is not a district or street"},
		{[]string{"roster", "plan", "--mirror", path, "--region", "990102", "--week", "2026-W49", "--user", "leader_990101"}, 1, "outside your jurisdiction"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", id, "--unit", "U0", "--grid", "990101001001001", "--shift", "2026-12-01/day"}, 1, "U0"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--grid", "990101001001001", "--shift", "2026-12-09/day"}, 1, "is not in week 2026-W49"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--grid", "990101001001001", "--shift", "2026-12-01/dusk"}, 1, "is not a shift"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", "ffffffff", "--unit", "U9901010010010011", "--grid", "990101001001001", "--shift", "2026-12-01/day"}, 1, "no roster ffffffff"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011"}, 2, "are required"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--grid", "990101001001001", "--route", "R9901010013", "--shift", "2026-12-01/day"}, 2, "one of --grid and --route"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--route", "R0", "--shift", "2026-12-01/day"}, 1, "no patrol route R0"},
		{[]string{"roster", "assign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--route", "R9901020011", "--shift", "2026-12-01/day"}, 1, "is not in the roster's region 990101"},
		{[]string{"roster", "show", "--mirror", path, "--roster", id, "--format", "xml"}, 2, "--format is table, csv or json"},
		{[]string{"roster", "rewrite"}, 2, "give plan, assign, unassign, show, check, publish, coverage, rules, leave"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.says) {
			t.Errorf("%v: status %d, %q; want %d and %q", bad.args[1:], code, errOut, bad.code, bad.says)
		}
	}
	m, err = mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind NOT LIKE 'login.%'`); n != journal {
		t.Fatalf("refusals wrote %d journal entries", n-journal)
	}
	_ = m.Close()

	// Check, publish, coverage: a double booking is a hard conflict that
	// check lists and exits 1 on, and that publishing refuses.
	if code, _, errOut := cli(t, "roster", "assign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--grid", "990101001001002",
		"--shift", "2026-12-01/day", "--user", "leader_990101"); code != 0 {
		t.Fatalf("assign: %q", errOut)
	}
	code, out, errOut = cli(t, "roster", "check", "--mirror", path, "--roster", id, "--user", "leader_990101")
	if code != 1 || !strings.Contains(out, "hard  double_booked  U9901010010010011") || !strings.Contains(errOut, "has 2 hard conflicts") {
		t.Fatalf("check: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "roster", "publish", "--mirror", path, "--roster", id, "--user", "leader_990101"); code != 1 || !strings.Contains(errOut, "hard conflicts") {
		t.Fatalf("publish with conflicts: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, "roster", "unassign", "--mirror", path, "--roster", id, "--unit", "U9901010010010011", "--grid", "990101001001002",
		"--shift", "2026-12-01/day", "--user", "leader_990101"); code != 0 {
		t.Fatalf("unassign: %q", errOut)
	}
	if code, out, _ := cli(t, "roster", "check", "--mirror", path, "--roster", id, "--user", "leader_990101"); code != 0 || !strings.Contains(out, "0 conflicts (0 hard)") {
		t.Fatalf("check: %d %q", code, out)
	}
	if code, out, errOut := cli(t, "roster", "publish", "--mirror", path, "--roster", id, "--user", "leader_990101"); code != 0 || !strings.Contains(out, "published, 1 patrol orders issued") {
		t.Fatalf("publish: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, "roster", "coverage", "--mirror", path, "--region", "990101001", "--at", "2026-12-01T10:00:00+08:00")
	if code != 0 || !strings.Contains(out, "grids short of patrols in 2026-12-01/day") || strings.Contains(out, "990101001001001  ") {
		t.Fatalf("coverage: %d %q", code, out)
	}
	code, out, _ = cli(t, "roster", "coverage", "--mirror", path, "--region", "990101", "--at", "2026-12-01T10:00:00+08:00", "--by-street")
	if code != 0 || !strings.Contains(out, "street     grids") || !strings.Contains(out, "streets in 2026-12-01/day") {
		t.Fatalf("coverage by street: %d %q", code, out)
	}
	var sumPlanned int
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) == 5 && strings.HasPrefix(f[0], "990101") {
			n, _ := strconv.Atoi(f[3])
			sumPlanned += n
		}
	}
	if sumPlanned != 1 {
		t.Fatalf("by street: %d patrols planned in all, the published roster has 1 that shift", sumPlanned)
	}
	if code, _, errOut := cli(t, "roster", "coverage", "--mirror", path, "--region", "990101", "--at", "tomorrow"); code != 2 || !strings.Contains(errOut, "not an RFC 3339 time") {
		t.Fatalf("coverage --at tomorrow: %d %q", code, errOut)
	}
	// --auto fills a new roster with a proposal that checks clean.
	code, out, errOut = cli(t, "roster", "plan", "--mirror", path, "--region", "990102", "--week", "2026-W50", "--auto", "--user", "leader")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[1], "assignments proposed") || strings.Contains(lines[2], " 0 planned") {
		t.Fatalf("plan --auto: %d %q %q", code, out, errOut)
	}
	if code, out, _ := cli(t, "roster", "check", "--mirror", path, "--roster", lines[0], "--user", "leader"); code != 0 || !strings.Contains(out, "(0 hard)") {
		t.Fatalf("check of the proposal: %d %q", code, out)
	}
	// A district's own rules: two 12-hour shifts, more patrols at night in
	// commercial grids; rosters planned afterwards use them.
	code, out, errOut = cli(t, "roster", "rules", "--mirror", path, "--district", "990102", "--shifts", "day=8-20,night=20-24",
		"--required", "commercial:night=3,residential:day=1,residential:night=1", "--min-rest-hours", "10", "--user", "leader")
	if code != 0 || !strings.Contains(out, "day 08-20 night 20-24") || !strings.Contains(out, "least rest 10h0m0s") {
		t.Fatalf("rules: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, "roster", "plan", "--mirror", path, "--region", "990102", "--week", "2026-W51", "--user", "leader")
	if code != 0 || !strings.Contains(out, "× 14 shifts:") {
		t.Fatalf("a roster under the district's shifts: %d %q", code, out)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"roster", "rules", "--mirror", path, "--district", "990102", "--shifts", "day=8-16,late=15-24"}, 1, "no overlap"},
		{[]string{"roster", "rules", "--mirror", path, "--district", "990102", "--shifts", "day"}, 2, "want NAME=START-END"},
		{[]string{"roster", "rules", "--mirror", path, "--district", "990102", "--lending", "maybe"}, 2, "--lending is yes or no"},
		{[]string{"roster", "rules", "--mirror", path, "--district", "990102", "--max-shifts", "5", "--user", "leader_990101"}, 1, "outside your jurisdiction"},
		{[]string{"roster", "rules", "--mirror", path, "--district", "990109"}, 1, "990109"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.says) {
			t.Errorf("%v: status %d, %q; want %d and %q", bad.args[1:], code, errOut, bad.code, bad.says)
		}
	}
	// A unit on leave on the Tuesday afternoon: assigning it then is a hard
	// conflict that check reports.
	if code, _, errOut := cli(t, "roster", "leave", "--mirror", path, "--unit", "U9901010010010011", "--from", "2026-12-01T12:00:00+08:00",
		"--to", "2026-12-01T18:00:00+08:00", "--reason", "培训", "--user", "leader_990101"); code != 0 {
		t.Fatalf("leave: %q", errOut)
	}
	code, out, _ = cli(t, "roster", "check", "--mirror", path, "--roster", id, "--user", "leader_990101")
	if code != 1 || !strings.Contains(out, "unit_unavailable  U9901010010010011  990101001001001  2026-12-01/day") {
		t.Fatalf("check after the leave: %d %q", code, out)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"roster", "leave", "--mirror", path, "--unit", "U9901010010010011", "--from", "2026-12-01T18:00:00+08:00", "--to", "2026-12-01T12:00:00+08:00"}, 1, "is not after the start"},
		{[]string{"roster", "leave", "--mirror", path, "--unit", "U0", "--from", "2026-12-01T12:00:00+08:00", "--to", "2026-12-01T18:00:00+08:00"}, 1, "U0"},
		{[]string{"roster", "leave", "--mirror", path, "--unit", "U9901010010010011", "--from", "noon", "--to", "2026-12-01T18:00:00+08:00"}, 2, "RFC 3339"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.says) {
			t.Errorf("%v: status %d, %q; want %d and %q", bad.args[1:], code, errOut, bad.code, bad.says)
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "roster", "plan", "--mirror", path, "--region", "990101", "--week", "2026-W60"); code != 1 || !strings.Contains(errOut, "不是 ISO 周") {
		t.Fatalf("zh refusal: %d %q", code, errOut)
	}
}
