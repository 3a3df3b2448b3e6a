package mirror

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/password"
)

// Managing users (issue 13): adding them, setting passwords, disabling
// them. Each change passes permitted (data.ActUserAdmin) in its transaction
// and writes its journal entry there; the actor's jurisdiction must cover
// the user's. Passwords are hashed before the transaction (hashing takes
// tens of milliseconds, which other writers should not wait for) and never
// journaled.

// maxLoginLength bounds a login, in characters.
const maxLoginLength = 64

// checkLogin refuses a login people could not type or tell apart from
// another: empty, too long, invalid UTF-8, control characters (a newline
// would forge lines of a log or a table) or space at either end. Anything
// else is data — quotes, %, SQL, Chinese — and is stored as given.
func checkLogin(login string) error {
	if login == "" || utf8.RuneCountInString(login) > maxLoginLength || !utf8.ValidString(login) ||
		strings.ContainsFunc(login, unicode.IsControl) || strings.TrimSpace(login) != login {
		return data.Refuse(data.CodeLoginInvalid, "login", data.Value("login", login))
	}
	return nil
}

// checkJurisdiction refuses a jurisdiction that does not fit the role (a
// district operator's must be a district, …; Role.JurisdictionLevel) or
// names no region of the mirror. "" (the whole city) fits the roles that
// have no level.
func checkJurisdiction(ctx context.Context, q queryRower, role data.Role, code string) error {
	levels := role.JurisdictionLevel()
	if levels != nil && !slices.Contains(levels, len(code)) {
		l, _ := data.LevelOfCode(strings.Repeat("0", levels[0]))
		return data.Refuse(data.CodeJurisdictionLevel, "jurisdiction", data.Term("role", role), data.Value("jurisdiction", code),
			data.Term("level", l.String()))
	}
	if code == "" {
		return nil
	}
	return regionExists(ctx, q, code)
}

// AddUser adds a user with a first password, on behalf of actor (who must
// be permitted user.admin, with a jurisdiction covering the new user's).
// The login must be new and well formed (checkLogin), the name not empty,
// the role one of the matrix's but the system's, the jurisdiction fit the
// role and exist, the password pass the policy (password.Check).
func (m *Mirror) AddUser(ctx context.Context, u data.User, pw, actor string, now time.Time) error {
	u.Name = strings.TrimSpace(u.Name)
	if err := checkLogin(u.Login); err != nil {
		return err
	}
	if u.Login == data.SystemLogin {
		return data.Refuse(data.CodeSystemUser, "login", data.Value("user", u.Login))
	}
	if u.Name == "" {
		return data.Refuse(data.CodeUserNameEmpty, "name")
	}
	assignable := slices.DeleteFunc(slices.Clone(data.Roles), func(r data.Role) bool { return r == data.RoleSystem })
	if !slices.Contains(assignable, u.Role) {
		names := make([]string, len(assignable))
		for i, r := range assignable {
			names[i] = string(r)
		}
		return data.Refuse(data.CodeRoleUnknown, "role", data.Value("role", u.Role), data.Value("allowed", strings.Join(names, ", ")))
	}
	if err := password.Check(pw, u.Login); err != nil {
		return err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	return m.update(ctx, func(tx *sql.Tx) error {
		admin, _, err := permitted(ctx, tx, actor, data.ActUserAdmin)
		if err != nil {
			return err
		}
		if err := checkJurisdiction(ctx, tx, u.Role, u.Jurisdiction); err != nil {
			return err
		}
		if err := adminCovers(admin, u.Jurisdiction); err != nil {
			return err
		}
		if _, _, err := userAndID(ctx, tx, u.Login); err == nil {
			return data.Refuse(data.CodeLoginTaken, "login", data.Value("login", u.Login))
		} else if !isRefusal(err, data.CodeUserUnknown) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (login, name, role, jurisdiction_code, password_hash) VALUES (?, ?, ?, ?, ?)`,
			u.Login, u.Name, u.Role, u.Jurisdiction, hash); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindUserAdd, Subject: u.Login, Actor: admin.Login, At: now,
			Payload: map[string]any{"login": u.Login, "name": u.Name, "role": string(u.Role), "jurisdiction": u.Jurisdiction}})
		return err
	})
}

// SetPassword sets a user's password and clears their failed logins and
// lock. An actor permitted user.admin sets anyone's within their
// jurisdiction; any other user only their own, and only while not
// disabled. The store trusts the actor as every change does: the edge
// authenticates them first, so changing one's own password takes the
// current one (the command line's authentication asks for it).
func (m *Mirror) SetPassword(ctx context.Context, login, pw, actor string, now time.Time) error {
	return m.writePassword(ctx, login, pw, actor, now, func(tx *sql.Tx) (string, error) {
		if actor != login {
			return "admin", adminOver(ctx, tx, actor, login)
		}
		u, _, err := userAndID(ctx, tx, actor)
		if err == nil && u.Disabled {
			err = data.Refuse(data.CodeUserDisabled, "user", data.Value("user", login))
		}
		return "self", err
	})
}

// SetFirstPassword sets the first password of a mirror in which nobody has
// one yet (a mirror made before logins, or imported users): a user admin's,
// without anyone logging in, since nobody can. It is refused once any user
// has a password (passwords_exist): from then on a user admin sets them. It
// gives away nothing: whoever can write the mirror's file (0600, its
// owner's) could change its users table anyway. Journaled as the system's
// change.
func (m *Mirror) SetFirstPassword(ctx context.Context, login, pw string, now time.Time) error {
	return m.writePassword(ctx, login, pw, data.SystemLogin, now, func(tx *sql.Tx) (string, error) {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE password_hash IS NOT NULL`).Scan(&n); err != nil {
			return "", err
		}
		if n > 0 {
			return "", data.Refuse(data.CodePasswordsExist, "login")
		}
		// The first password is a user admin's, who then sets the others'.
		_, _, err := permitted(ctx, tx, login, data.ActUserAdmin)
		return "first", err
	})
}

// writePassword checks pw against the policy and hashes it (before the
// transaction: hashing takes tens of milliseconds), then, in one
// transaction that first passes check (which says who sets it: self,
// admin, first), stores it for login, clears the failed logins and the
// lock, and journals the change as actor's.
func (m *Mirror) writePassword(ctx context.Context, login, pw, actor string, now time.Time, check func(tx *sql.Tx) (by string, err error)) error {
	if login == data.SystemLogin {
		return data.Refuse(data.CodeSystemUser, "login", data.Value("user", login))
	}
	if err := password.Check(pw, login); err != nil {
		return err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	return m.update(ctx, func(tx *sql.Tx) error {
		by, err := check(tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE login = ?`,
			hash, login); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindUserPassword, Subject: login, Actor: actor, At: now,
			Payload: map[string]any{"login": login, "by": by}})
		return err
	})
}

// DisableUser disables a user: they can no longer log in or act, and stay
// in the mirror because the journal, orders and history name them. An
// admin cannot disable themselves, so the last admin cannot be disabled
// by mistake.
func (m *Mirror) DisableUser(ctx context.Context, login, actor string, now time.Time) error {
	if login == data.SystemLogin {
		return data.Refuse(data.CodeSystemUser, "login", data.Value("user", login))
	}
	return m.update(ctx, func(tx *sql.Tx) error {
		if login == actor {
			if _, _, err := permitted(ctx, tx, actor, data.ActUserAdmin); err != nil {
				return err
			}
			return data.Refuse(data.CodeUserDisableSelf, "login", data.Value("user", login))
		}
		if err := adminOver(ctx, tx, actor, login); err != nil {
			return err
		}
		u, _, err := userAndID(ctx, tx, login)
		if err != nil {
			return err
		}
		if u.Disabled {
			return data.Refuse(data.CodeUserDisabled, "login", data.Value("user", login))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE login = ?`, gpkg.Time{Time: now}, login); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindUserDisable, Subject: login, Actor: actor, At: now,
			Payload: map[string]any{"login": login}})
		return err
	})
}

// adminOver checks that actor may manage the user login: permitted
// user.admin, the user known, their jurisdiction within the actor's.
func adminOver(ctx context.Context, tx *sql.Tx, actor, login string) error {
	admin, _, err := permitted(ctx, tx, actor, data.ActUserAdmin)
	if err != nil {
		return err
	}
	u, _, err := userAndID(ctx, tx, login)
	if err != nil {
		return err
	}
	return adminCovers(admin, u.Jurisdiction)
}

// adminCovers refuses a jurisdiction outside the admin's. A mirror holds
// one city, so an admin of the city (or of "") covers the whole city's
// jurisdiction "".
func adminCovers(admin data.User, code string) error {
	if admin.Covers(code) || code == "" && len(admin.Jurisdiction) <= data.LevelCity.CodeLength() {
		return nil
	}
	return data.Refuse(data.CodeTargetOutsideJurisdiction, "jurisdiction", data.Term("kind", "region"), data.Value("target", code),
		data.Value("jurisdiction", admin.Jurisdiction))
}

// Users lists the users, by login.
func (m *Mirror) Users(ctx context.Context) ([]data.User, error) {
	as, err := m.Accounts(ctx)
	out := make([]data.User, len(as))
	for i, a := range as {
		out[i] = a.User
	}
	return out, err
}

// Accounts lists the users with what logging in keeps about them, by login.
func (m *Mirror) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT login, name, role, jurisdiction_code, disabled_at IS NOT NULL, password_hash IS NOT NULL,
		failed_logins, locked_until FROM users ORDER BY login`)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []Account
	for rows.Next() {
		var a Account
		var locked gpkg.NullTime
		if err := rows.Scan(&a.Login, &a.Name, &a.Role, &a.Jurisdiction, &a.Disabled, &a.HasPassword, &a.FailedLogins, &locked); err != nil {
			return nil, err
		}
		a.LockedUntil = locked.Time
		out = append(out, a)
	}
	return out, rows.Err()
}
