package main

import (
	"encoding/json"
	"strings"
	"testing"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// kapok users: the admin adds a user, who logs in with the password set
// and changes it; the admin disables them; list shows it all. Non-admins,
// bad input and missing passwords are refused and write nothing.
func TestUsersCommand(t *testing.T) {
	english(t)
	notAtTerminal(t)
	path := fixture.CityPath(t)
	asUser(t, "admin")
	const login = `o'brien"; DROP TABLE users; --%_`
	t.Setenv(newPasswordEnv, "first passphrase")
	add := []string{"users", "add", "--mirror", path, "--login", login, "--name", "王 小明", "--role", "street_operator", "--jurisdiction", "990101001"}
	if code, out, errOut := cli(t, add...); code != 0 || out != login+" added\n" {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{add, 1, refusalText(t, "users", msg.English, data.CodeLoginTaken, data.Value("login", login))},
		{[]string{"users", "add", "--mirror", path, "--login", "x", "--name", "X", "--role", "district_operator", "--jurisdiction", "990101001"}, 1,
			refusalText(t, "users", msg.English, data.CodeJurisdictionLevel, data.Term("role", data.RoleDistrictOperator), data.Value("jurisdiction", "990101001"),
				data.Term("level", "district"))},
		{[]string{"users", "add", "--mirror", path, "--login", "x", "--name", "X", "--role", "mayor"}, 1, `no role "mayor"`},
		{[]string{"users", "add", "--mirror", path, "--login", "x", "--name", "X", "--role", "analyst", "--user", "leader"}, 1,
			"leader (leader) is not permitted managing users"},
		{[]string{"users", "add", "--mirror", path, "--login", "x", "--role", "analyst"}, 2, "--login, --name and --role are required"},
		{[]string{"users", "add", "--mirror", path, "--login", "x", "--name", "X", "--role", "analyst", "--password", "secret"}, 2,
			"flag provided but not defined: -password"},
		{[]string{"users", "disable", "--mirror", path, "--login", "admin"}, 1, "you cannot disable yourself (admin)"},
		{[]string{"users", "rename"}, 2, "give add, passwd, disable, list"},
	} {
		code, _, errOut := cli(t, bad.args...)
		if code != bad.code || !strings.Contains(errOut, strings.TrimSuffix(bad.says, "\n")) {
			t.Errorf("%v: %d %q, want %d %q", bad.args[1:], code, errOut, bad.code, bad.says)
		}
	}
	t.Setenv(newPasswordEnv, "short")
	if code, _, errOut := cli(t, "users", "add", "--mirror", path, "--login", "x", "--name", "X", "--role", "analyst"); code != 1 ||
		errOut != refusalText(t, "users", msg.English, data.CodePasswordTooShort, data.Value("min", 8)) {
		t.Fatalf("short password: %d %q", code, errOut)
	}
	// The new password typed twice at the terminal, once mistyped.
	unset(t, newPasswordEnv)
	atTerminal(t, "second passphrase", "second passphrasf")
	if code, _, errOut := cli(t, "users", "add", "--mirror", path, "--login", "x", "--name", "X", "--role", "analyst"); code != 1 ||
		errOut != refusalText(t, "users", msg.English, data.CodePasswordMismatch) {
		t.Fatalf("mistyped: %d %q", code, errOut)
	}
	notAtTerminal(t)
	if code, _, errOut := cli(t, "users", "add", "--mirror", path, "--login", "x", "--name", "X", "--role", "analyst"); code != 1 ||
		errOut != refusalText(t, "users", msg.English, data.CodePasswordNotGiven, data.Value("variable", newPasswordEnv)) {
		t.Fatalf("no new password: %d %q", code, errOut)
	}

	// The new user logs in and sets their own password, giving the old.
	t.Setenv(userEnv, login)
	t.Setenv(passwordEnv, "first passphrase")
	t.Setenv(newPasswordEnv, "my own passphrase")
	if code, out, errOut := cli(t, "users", "passwd", "--mirror", path); code != 0 || out != "password of "+login+" set\n" {
		t.Fatalf("own passwd: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "users", "passwd", "--mirror", path, "--login", "leader"); code != 1 || !strings.Contains(errOut, "login failed") {
		t.Fatalf("with the old password: %d %q", code, errOut)
	}
	t.Setenv(passwordEnv, "my own passphrase")
	if code, _, errOut := cli(t, "users", "passwd", "--mirror", path, "--login", "leader"); code != 1 || !strings.Contains(errOut, "(street operator) is not permitted managing users") {
		t.Fatalf("another's: %d %q", code, errOut)
	}
	// The admin disables them; they can no longer log in.
	asUser(t, "admin")
	if code, out, errOut := cli(t, "users", "disable", "--mirror", path, "--login", login); code != 0 || out != login+" disabled\n" {
		t.Fatalf("disable: %d %q %q", code, out, errOut)
	}
	t.Setenv(userEnv, login)
	t.Setenv(passwordEnv, "my own passphrase")
	if code, _, errOut := cli(t, "users", "passwd", "--mirror", path); code != 1 ||
		errOut != refusalText(t, "users", msg.English, data.CodeUserDisabled, data.Value("user", login)) {
		t.Fatalf("disabled: %d %q", code, errOut)
	}

	// list: no login needed (it reads); every user with role, jurisdiction,
	// disabled and lock.
	unset(t, userEnv, passwordEnv)
	code, out, errOut := cli(t, "users", "list", "--mirror", path, "--format", "json")
	if code != 0 {
		t.Fatalf("list: %d %q", code, errOut)
	}
	var rows []map[string]string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r map[string]string
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	want := map[string]string{"login": login, "name": "王 小明", "role": "street_operator", "jurisdiction": "990101001", "disabled": "true",
		"locked_until": "", "failed_logins": "0", "password": "true"}
	found := false
	for _, r := range rows {
		if r["login"] == login {
			found = true
			for k, v := range want {
				if r[k] != v {
					t.Errorf("%s: %q, want %q", k, r[k], v)
				}
			}
		}
		if r["login"] == "system" && r["password"] != "false" {
			t.Errorf("system has a password: %v", r)
		}
	}
	if !found || len(rows) != 14 {
		t.Fatalf("%d users listed, ours found %v:\n%s", len(rows), found, out)
	}
	if code, out, _ := cli(t, "users", "list", "--mirror", path); code != 0 || !strings.Contains(out, "leader_990101  ") || !strings.HasPrefix(out, "login ") {
		t.Fatalf("table: %d %q", code, out)
	}
	readMirror(t, path, func(m *mirror.Mirror) {
		for kind, n := range map[string]int64{data.KindUserAdd: 1, data.KindUserPassword: 1, data.KindUserDisable: 1} {
			if got := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = ? AND subject = ?`, kind, login); got != n {
				t.Errorf("%s: %d entries", kind, got)
			}
		}
		if _, err := m.Authenticate(ctx, "admin", demo.Password, fixture.AsOf); err != nil {
			t.Fatal(err)
		}
	})
}

// A mirror of before logins, where nobody has a password, gets its first
// user admin's password with --first and no login; then never again.
func TestUsersFirstPassword(t *testing.T) {
	english(t)
	notAtTerminal(t)
	path := fixture.CityPath(t)
	readMirror(t, path, func(m *mirror.Mirror) {
		if _, err := m.DB.Exec(`UPDATE users SET password_hash = NULL`); err != nil {
			t.Fatal(err)
		}
	})
	unset(t, userEnv, passwordEnv)
	t.Setenv(newPasswordEnv, "the first of all")
	if code, _, errOut := cli(t, "users", "passwd", "--mirror", path, "--first"); code != 2 || !strings.Contains(errOut, "--first needs --login ADMIN") {
		t.Fatalf("no login: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, "users", "passwd", "--mirror", path, "--first", "--login", "leader"); code != 1 || !strings.Contains(errOut, "not permitted managing users") {
		t.Fatalf("not an admin: %d %q", code, errOut)
	}
	if code, out, errOut := cli(t, "users", "passwd", "--mirror", path, "--first", "--login", "admin"); code != 0 || out != "password of admin set\n" {
		t.Fatalf("first: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "users", "passwd", "--mirror", path, "--first", "--login", "admin"); code != 1 ||
		errOut != refusalText(t, "users", msg.English, data.CodePasswordsExist) {
		t.Fatalf("second: %d %q", code, errOut)
	}
	// The admin, logged in, sets the others'.
	asUser(t, "admin")
	t.Setenv(passwordEnv, "the first of all")
	t.Setenv(newPasswordEnv, "the leader's own")
	if code, _, errOut := cli(t, "users", "passwd", "--mirror", path, "--login", "leader"); code != 0 {
		t.Fatalf("the admin sets the leader's: %d %q", code, errOut)
	}
}
