package mirror_test

import (
	"slices"
	"testing"

	"kapok/data"
	"kapok/internal/fixture"
)

// Adding users: each check refuses and writes nothing; a good user lands
// with its journal entry and can log in; a login full of quotes, % and SQL
// is data and comes back as given.
func TestAddUser(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	const pw = "kapok-demo-2026"
	journal := count(t, m, `SELECT count(*) FROM journal`)
	users := count(t, m, `SELECT count(*) FROM users`)
	op := data.User{Login: "op_east", Name: "东街道值班员", Role: data.RoleStreetOperator, Jurisdiction: "990101001"}
	with := func(f func(u *data.User)) data.User {
		u := op
		f(&u)
		return u
	}
	for _, c := range []struct {
		what   string
		u      data.User
		pw     string
		actor  string
		refuse data.Code
	}{
		{"not an admin", op, pw, "leader", data.CodeActionNotPermitted},
		{"unknown actor", op, pw, "nobody", data.CodeUserUnknown},
		{"empty login", with(func(u *data.User) { u.Login = "" }), pw, "admin", data.CodeLoginInvalid},
		{"newline in login", with(func(u *data.User) { u.Login = "op\neast" }), pw, "admin", data.CodeLoginInvalid},
		{"space around login", with(func(u *data.User) { u.Login = " op_east" }), pw, "admin", data.CodeLoginInvalid},
		{"tab in login", with(func(u *data.User) { u.Login = "op\teast" }), pw, "admin", data.CodeLoginInvalid},
		{"invalid UTF-8", with(func(u *data.User) { u.Login = "op\xffeast" }), pw, "admin", data.CodeLoginInvalid},
		{"taken", with(func(u *data.User) { u.Login = "leader" }), pw, "admin", data.CodeLoginTaken},
		{"system", with(func(u *data.User) { u.Login = data.SystemLogin }), pw, "admin", data.CodeSystemUser},
		{"no name", with(func(u *data.User) { u.Name = "  " }), pw, "admin", data.CodeUserNameEmpty},
		{"role system", with(func(u *data.User) { u.Role = data.RoleSystem }), pw, "admin", data.CodeRoleUnknown},
		{"role unknown", with(func(u *data.User) { u.Role = "mayor" }), pw, "admin", data.CodeRoleUnknown},
		{"street operator at a district", with(func(u *data.User) { u.Jurisdiction = "990101" }), pw, "admin", data.CodeJurisdictionLevel},
		{"street operator over the city", with(func(u *data.User) { u.Jurisdiction = "" }), pw, "admin", data.CodeJurisdictionLevel},
		{"district operator at a street", with(func(u *data.User) { u.Role, u.Jurisdiction = data.RoleDistrictOperator, "990101001" }), pw, "admin", data.CodeJurisdictionLevel},
		{"grid worker at a street", with(func(u *data.User) { u.Role = data.RoleWorker }), pw, "admin", data.CodeJurisdictionLevel},
		{"no such street", with(func(u *data.User) { u.Jurisdiction = "990101009" }), pw, "admin", data.CodeRegionUnknown},
		{"leader at no region", with(func(u *data.User) { u.Role, u.Jurisdiction = data.RoleLeader, "99" }), pw, "admin", data.CodeRegionCodeInvalid},
		{"short password", op, "kapok", "admin", data.CodePasswordTooShort},
		{"password is the login", with(func(u *data.User) { u.Login = "operator_east" }), "Operator_East", "admin", data.CodePasswordIsLogin},
		{"outside the admin's jurisdiction", with(func(u *data.User) { u.Jurisdiction = "990102001" }), pw, "leader_admin_990101", data.CodeTargetOutsideJurisdiction},
	} {
		if c.actor == "leader_admin_990101" {
			mustExec(t, m, `INSERT OR IGNORE INTO users (login, name, role, jurisdiction_code) VALUES ('leader_admin_990101', '区管理员', 'admin', '990101')`)
			users, journal = count(t, m, `SELECT count(*) FROM users`), count(t, m, `SELECT count(*) FROM journal`)
		}
		refused(t, c.what, m.AddUser(ctx, c.u, c.pw, c.actor, now), c.refuse)
		if count(t, m, `SELECT count(*) FROM journal`) != journal || count(t, m, `SELECT count(*) FROM users`) != users {
			t.Fatalf("%s: written", c.what)
		}
	}
	for _, u := range []data.User{
		op,
		{Login: `o'brien"; DROP TABLE users; --%_\`, Name: "O'Brien 100%", Role: data.RoleAnalyst, Jurisdiction: ""},
		{Login: "网格员_甲", Name: "网格员甲", Role: data.RoleWorker, Jurisdiction: "990101001001001"},
		{Login: "worker_community", Name: "社区网格员", Role: data.RoleWorker, Jurisdiction: "990101001001"},
		{Login: "district_op", Name: "区值班员", Role: data.RoleDistrictOperator, Jurisdiction: "990102"},
	} {
		if err := m.AddUser(ctx, u, pw, "admin", now); err != nil {
			t.Fatalf("%q: %v", u.Login, err)
		}
		got, err := m.User(ctx, u.Login)
		if err != nil || got != u {
			t.Fatalf("read back %q: %+v %v", u.Login, got, err)
		}
		if got, err := m.Authenticate(ctx, u.Login, pw, now); err != nil || got != u {
			t.Fatalf("log in as %q: %+v %v", u.Login, got, err)
		}
		if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'user.add' AND subject = ? AND actor = 'admin'
			AND entry ->> '$.payload.role' = ? AND instr(entry, '$argon2') = 0`, u.Login, string(u.Role)); n != 1 {
			t.Fatalf("%q: %d user.add entries", u.Login, n)
		}
	}
	list, err := m.Users(ctx)
	if err != nil || !slices.ContainsFunc(list, func(u data.User) bool { return u.Login == `o'brien"; DROP TABLE users; --%_\` }) {
		t.Fatalf("list: %v %v", list, err)
	}
	if n := count(t, m, `SELECT count(*) FROM users WHERE login LIKE 'o''brien%'`); n != 1 {
		t.Fatalf("%d users like o'brien", n)
	}
}

// Setting passwords: an admin anyone's, a user their own, nobody another's
// without user.admin; never the system's.
func TestSetPassword(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	withPassword(t, m, "leader", "operator")
	if err := m.SetPassword(ctx, "leader", "my own new one", "leader", now); err != nil {
		t.Fatal(err)
	}
	refused(t, "another's", m.SetPassword(ctx, "operator", "not yours to set", "leader", now), data.CodeActionNotPermitted)
	refused(t, "system's", m.SetPassword(ctx, data.SystemLogin, "no password ever", "admin", now), data.CodeSystemUser)
	refused(t, "unknown", m.SetPassword(ctx, "nobody", "no such user", "admin", now), data.CodeUserUnknown)
	refused(t, "short", m.SetPassword(ctx, "leader", "short", "leader", now), data.CodePasswordTooShort)
	if err := m.SetPassword(ctx, "operator", "set by the admin", "admin", now); err != nil {
		t.Fatal(err)
	}
	for login, pw := range map[string]string{"leader": "my own new one", "operator": "set by the admin"} {
		if _, err := m.Authenticate(ctx, login, pw, now); err != nil {
			t.Fatalf("%s: %v", login, err)
		}
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'user.password' AND entry ->> '$.payload.by' = 'self' AND actor = 'leader'`); n != 1 {
		t.Fatalf("%d self entries", n)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'user.password' AND entry ->> '$.payload.by' = 'admin' AND actor = 'admin'`); n != 1 {
		t.Fatalf("%d admin entries", n)
	}
	// A disabled user cannot set their own.
	if err := m.DisableUser(ctx, "operator", "admin", now); err != nil {
		t.Fatal(err)
	}
	refused(t, "disabled self", m.SetPassword(ctx, "operator", "still me, honest", "operator", now), data.CodeUserDisabled)
}

// Disabling: the user can no longer act (permitted refuses them) nor log
// in; an admin cannot disable themselves, nor the system be disabled.
func TestDisableUser(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	refused(t, "self", m.DisableUser(ctx, "admin", "admin", now), data.CodeUserDisableSelf)
	refused(t, "not an admin", m.DisableUser(ctx, "operator", "leader", now), data.CodeActionNotPermitted)
	refused(t, "not an admin, self", m.DisableUser(ctx, "leader", "leader", now), data.CodeActionNotPermitted)
	refused(t, "system", m.DisableUser(ctx, data.SystemLogin, "admin", now), data.CodeSystemUser)
	refused(t, "unknown", m.DisableUser(ctx, "nobody", "admin", now), data.CodeUserUnknown)
	if err := m.DisableUser(ctx, "leader", "admin", now); err != nil {
		t.Fatal(err)
	}
	refused(t, "twice", m.DisableUser(ctx, "leader", "admin", now), data.CodeUserDisabled)
	_, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: now, End: now.Add(1e12), Targets: []string{"990101001001001"}, Actor: "leader"}, now)
	refused(t, "a disabled user's order", err, data.CodeUserDisabled)
	if a := account(t, m, "leader"); !a.Disabled {
		t.Fatalf("%+v", a)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'user.disable' AND subject = 'leader' AND actor = 'admin'`); n != 1 {
		t.Fatalf("%d disable entries", n)
	}
}

// A mirror in which nobody has a password (made before logins) gets its
// first, a user admin's, without a login; once anyone has one, never again.
func TestSetFirstPassword(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	mustExec(t, m, `UPDATE users SET password_hash = NULL`) // as a mirror of before logins
	refused(t, "not a user admin", m.SetFirstPassword(ctx, "leader", "first of all", now), data.CodeActionNotPermitted)
	refused(t, "the system", m.SetFirstPassword(ctx, data.SystemLogin, "first of all", now), data.CodeSystemUser)
	refused(t, "unknown", m.SetFirstPassword(ctx, "nobody", "first of all", now), data.CodeUserUnknown)
	if err := m.SetFirstPassword(ctx, "admin", "first of all", now); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Authenticate(ctx, "admin", "first of all", now); err != nil {
		t.Fatal(err)
	}
	refused(t, "a second", m.SetFirstPassword(ctx, "admin", "second of all", now), data.CodePasswordsExist)
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'user.password' AND actor = 'system' AND entry ->> '$.payload.by' = 'first'`); n != 1 {
		t.Fatalf("%d first-password entries", n)
	}
}
