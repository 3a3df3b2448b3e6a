package main

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

// TestMain logs every test's commands in as the fixture city's leader
// with the demo password (the leadership group may do all the commands
// but manage users, in the whole city, as the system did before anyone
// logged in), unless a test gives --user or says otherwise, and makes
// standard input no terminal: a test run at one must never wait at a
// password prompt.
func TestMain(m *testing.M) {
	for k, v := range map[string]string{userEnv: "leader", passwordEnv: demo.Password} {
		if err := os.Setenv(k, v); err != nil {
			panic(err)
		}
	}
	stdinIsTerminal = func() bool { return false }
	pgtest.Main(m) // one throwaway PostgreSQL for the upstream's tests, if they ask
}

// asUser logs the tests' commands in as the fixture city's user login with
// the demo password, as a person would export KAPOK_USER and
// KAPOK_PASSWORD.
func asUser(t *testing.T, login string) {
	t.Helper()
	t.Setenv(userEnv, login)
	t.Setenv(passwordEnv, demo.Password)
}

// unset removes environment variables for the test (restored after it).
func unset(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		t.Setenv(n, "")
		if err := os.Unsetenv(n); err != nil {
			t.Fatal(err)
		}
	}
}

// atTerminal makes standard input a terminal on which the person types
// the lines given, one per prompt; it returns what was prompted.
func atTerminal(t *testing.T, lines ...string) *bytes.Buffer {
	t.Helper()
	isTerm, read, out := stdinIsTerminal, readHidden, promptOut
	t.Cleanup(func() { stdinIsTerminal, readHidden, promptOut = isTerm, read, out })
	var prompts bytes.Buffer
	stdinIsTerminal, promptOut = func() bool { return true }, &prompts
	readHidden = func() ([]byte, error) {
		if len(lines) == 0 {
			return nil, errors.New("nothing more typed")
		}
		l := lines[0]
		lines = lines[1:]
		return []byte(l), nil
	}
	return &prompts
}

func notAtTerminal(t *testing.T) {
	t.Helper()
	isTerm := stdinIsTerminal
	t.Cleanup(func() { stdinIsTerminal = isTerm })
	stdinIsTerminal = func() bool { return false }
}

func english(t *testing.T) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
}

// A change is made by someone who logs in: the login from --user or
// KAPOK_USER, the password from KAPOK_PASSWORD or the terminal. No login
// is a misuse; the system, no password, a wrong one and a lock are
// refusals in the locale's language, and nothing is written.
func TestWritesLogIn(t *testing.T) {
	english(t)
	notAtTerminal(t)
	path := fixture.CityPath(t)
	disable := func(extra ...string) (int, string, string) {
		return cli(t, append([]string{"users", "disable", "--mirror", path, "--login", "leader_990102"}, extra...)...)
	}
	unset(t, userEnv, passwordEnv)
	if code, _, errOut := disable(); code != 2 || !strings.Contains(errOut, "--user LOGIN (or $KAPOK_USER) is required") {
		t.Fatalf("no user: %d %q", code, errOut)
	}
	if code, _, errOut := disable("--user", "admin"); code != 1 || errOut != refusalText(t, "users", msg.English, data.CodePasswordNotGiven, data.Value("variable", passwordEnv)) {
		t.Fatalf("no password: %d %q", code, errOut)
	}
	t.Setenv(passwordEnv, demo.Password)
	if code, _, errOut := disable("--user", "system"); code != 1 || !strings.Contains(errOut, `"system" is Kapok's built-in system user`) {
		t.Fatalf("system: %d %q", code, errOut)
	}
	t.Setenv(passwordEnv, "not the password")
	for range mirror.LockAfter - 1 {
		if code, _, errOut := disable("--user", "admin"); code != 1 || errOut != "kapok users: login failed: the login or the password is wrong\n" {
			t.Fatalf("wrong password: %d %q", code, errOut)
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := disable("--user", "admin"); code != 1 || !strings.Contains(errOut, "用户 admin 因多次登录失败已锁定至") {
		t.Fatalf("locked: %d %q", code, errOut)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		if n := fixture.Count(t, m, `SELECT count(*) FROM users WHERE disabled_at IS NOT NULL`); n != 0 {
			t.Fatalf("%d users disabled", n)
		}
	})
	// KAPOK_USER and the password typed at the terminal, prompted on
	// stderr in the locale's language.
	t.Setenv("LANG", "en_US.UTF-8")
	unset(t, passwordEnv)
	t.Setenv(userEnv, "operator_990101") // not a user admin: logged in, then refused
	prompts := atTerminal(t, demo.Password)
	if code, _, errOut := disable(); code != 1 || !strings.Contains(errOut, "is not permitted managing users") || prompts.String() != "Password for operator_990101: \n" {
		t.Fatalf("at the terminal: %d %q, prompted %q", code, errOut, prompts)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		if n := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = 'login.ok' AND actor = 'operator_990101'`); n != 1 {
			t.Fatalf("%d logins journaled", n)
		}
	})
}

// Every command that changes data (and brief, which signs) asks for a
// login: without one it is misused, as the system it is refused, and in
// neither case is the password asked or anything written. The commands
// that only read need neither.
func TestEveryWriteCommandLogsIn(t *testing.T) {
	english(t)
	notAtTerminal(t)
	path := fixture.CityPath(t)
	dir := t.TempDir()
	geojson, values := dir+"/grids.geojson", dir+"/values.csv"
	for f, body := range map[string]string{geojson: `{"type":"FeatureCollection","features":[]}`, values: "indicator,region,time,value\n"} {
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := []string{"--mirror", path}
	writes := [][]string{
		{"import", "--mirror", path, "--layer", "grids", geojson},
		append([]string{"orders", "issue", "--targets", "990101001001001", "--task", "x"}, p...),
		append([]string{"orders", "move", "--order", "1", "--to", "acknowledged"}, p...),
		append([]string{"cases", "report", "--grid", "990101001001001", "--matter", "MD01", "--text", "x"}, p...),
		append([]string{"cases", "move", "--case", "E0", "--to", "filed"}, p...),
		append([]string{"cases", "extend", "--case", "E0", "--reason", "x"}, p...),
		append([]string{"cases", "escalate", "--case", "E0", "--reason", "x"}, p...),
		append([]string{"roster", "plan", "--region", "990101", "--week", "2026-W49"}, p...),
		append([]string{"roster", "assign", "--roster", "r", "--unit", "U1", "--grid", "990101001001001", "--shift", "2026-12-01/day"}, p...),
		append([]string{"roster", "unassign", "--roster", "r", "--unit", "U1", "--grid", "990101001001001", "--shift", "2026-12-01/day"}, p...),
		append([]string{"roster", "publish", "--roster", "r"}, p...),
		append([]string{"roster", "rules", "--district", "990101", "--max-shifts", "5"}, p...),
		append([]string{"roster", "leave", "--unit", "U1", "--from", "2026-12-01T08:00:00+08:00", "--to", "2026-12-01T18:00:00+08:00"}, p...),
		append([]string{"duty", "assign", "--center", "C990101", "--shift", "2026-12-01/day", "--person", "x"}, p...),
		append([]string{"duty", "remove", "--id", "x"}, p...),
		{"feed", "--mirror", path, values},
		append([]string{"alerts", "ack", "--alert", "ffffffff"}, p...),
		append([]string{"brief", "--out", dir + "/b.pdf"}, p...),
		append([]string{"users", "add", "--login", "x", "--name", "X", "--role", "analyst"}, p...),
		append([]string{"users", "passwd"}, p...),
		append([]string{"users", "disable", "--login", "leader"}, p...),
	}
	var journal int64
	readMirror(t, path, func(m *mirror.Mirror) { journal = fixture.Count(t, m, `SELECT count(*) FROM journal`) })
	unset(t, userEnv)
	for _, args := range writes {
		if code, _, errOut := cli(t, args...); code != 2 || !strings.Contains(errOut, "--user LOGIN (or $KAPOK_USER) is required") {
			t.Errorf("%v without a user: %d %q", args[:2], code, errOut)
		}
		at := 2 // after the subcommand, before any file named last
		if strings.HasPrefix(args[1], "-") {
			at = 1
		}
		asSystem := append(append(slices.Clone(args[:at]), "--user", "system"), args[at:]...)
		if code, _, errOut := cli(t, asSystem...); code != 1 || !strings.Contains(errOut, `"system" is Kapok's built-in system user`) {
			t.Errorf("%v as the system: %d %q", args[:2], code, errOut)
		}
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		if n := fixture.Count(t, m, `SELECT count(*) FROM journal`); n != journal {
			t.Fatalf("%d journal entries written", n-journal)
		}
	})
	unset(t, passwordEnv)
	for _, args := range [][]string{
		append([]string{"orders", "list"}, p...),
		append([]string{"cases", "list"}, p...),
		append([]string{"roster", "rules", "--district", "990101"}, p...),
		append([]string{"roster", "coverage", "--region", "990101", "--at", "2026-12-01T10:00:00+08:00"}, p...),
		append([]string{"duty", "show", "--center", "C990101"}, p...),
		append([]string{"alerts", "list"}, p...),
		append([]string{"indicators", "list"}, p...),
		append([]string{"journal", "verify"}, p...),
		append([]string{"users", "list"}, p...),
		{"stats", path},
	} {
		if code, _, errOut := cli(t, args...); code != 0 {
			t.Errorf("%v without a login: %d %q", args[:2], code, errOut)
		}
	}
}
