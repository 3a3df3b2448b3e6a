package main

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

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
