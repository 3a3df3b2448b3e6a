package mirror

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/password"
)

// Logging in (issue 13): a login and password checked against the users
// table's argon2id hash, failures counted and locking the user with a
// back-off, every outcome that touches the counters journaled in the same
// transaction as the counters.

// The lock: after LockAfter failures in a row the user is locked for
// LockFirst, twice as long at each further failure (each tried once the
// lock before has run out), never longer than LockMax. Five leaves room
// for typing mistakes; a minute, doubling, stops guessing at some fifty
// tries a day per user after the first hour, without locking a person out
// of a shift for long.
const (
	LockAfter = 5
	LockFirst = time.Minute
	LockMax   = time.Hour
)

// lockFor is how long the n-th failure in a row locks the user (0: not).
func lockFor(n int) time.Duration {
	if n < LockAfter {
		return 0
	}
	d := LockFirst
	for i := LockAfter; i < n && d < LockMax; i++ {
		d *= 2
	}
	return min(d, LockMax)
}

// Account is a user with what logging in keeps about them.
type Account struct {
	data.User
	HasPassword  bool
	FailedLogins int       // failures in a row since the last success
	LockedUntil  time.Time // zero when never locked; a lock holds while it is after now
}

// Locked reports whether the account is locked at now.
func (a Account) Locked(now time.Time) bool { return a.LockedUntil.After(now) }

// account reads a user's account and password hash ("" for none); an
// unknown login is user_unknown.
func account(ctx context.Context, q queryRower, login string) (Account, string, error) {
	var a Account
	var hash sql.NullString
	var locked gpkg.NullTime
	err := q.QueryRowContext(ctx, `SELECT login, name, role, jurisdiction_code, disabled_at IS NOT NULL, password_hash, failed_logins, locked_until
		FROM users WHERE login = ?`, login).
		Scan(&a.Login, &a.Name, &a.Role, &a.Jurisdiction, &a.Disabled, &hash, &a.FailedLogins, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return a, "", data.Refuse(data.CodeUserUnknown, "user", data.Value("user", login))
	}
	a.HasPassword, a.LockedUntil = hash.Valid, locked.Time
	return a, hash.String, err
}

// Authenticate logs a user in: the user whose login and password these are,
// or a refusal. What the person trying is told:
//
//   - system_user for the system, which has no password and acts only for
//     imports, the demo build and the sweep;
//   - user_locked {user, until} while a lock holds (the password is not even
//     checked: a locked account cannot be guessed at, and costs no hashing);
//   - login_failed for an unknown login, a user without a password and a
//     wrong password alike, and in the same time (an unknown login is
//     hashed against a decoy), so neither the words nor the clock tell
//     whether a login exists;
//   - user_disabled only to someone who gave the right password.
//
// A wrong password counts a failure and the LockAfter-th in a row locks
// the user (lockFor; the locking failure says user_locked); a success
// clears the count and the lock. Each of these writes its journal entry
// (login.fail, login.lock, login.ok; actor and subject the login) in the
// transaction that changes the counters, under the file's write lock, so
// failures tried at once in several processes are all counted. Failures of
// unknown logins are not journaled: there is nothing to count them
// against, and a login field is where people type their password by
// mistake, which a journal kept for good must not hold. Attempts refused
// by a lock write nothing.
//
// The password is hashed outside the write transaction (it takes some
// 20 ms and 19 MiB), so other writers do not wait for it; the transaction
// checks that the hash it was compared with is still the user's, and
// starts again if the password was changed meanwhile.
func (m *Mirror) Authenticate(ctx context.Context, login, pw string, now time.Time) (data.User, error) {
	if login == data.SystemLogin {
		return data.User{}, data.Refuse(data.CodeSystemUser, "login", data.Value("user", login))
	}
	failed := data.Refuse(data.CodeLoginFailed, "password")
	if checkLogin(login) != nil {
		password.Decoy(pw)
		return data.User{}, failed
	}
	for range 3 {
		a, hash, err := account(ctx, m.DB, login)
		if isRefusal(err, data.CodeUserUnknown) {
			password.Decoy(pw)
			return data.User{}, failed
		}
		if err != nil {
			return data.User{}, err
		}
		if a.Locked(now) {
			return data.User{}, lockedRefusal(a)
		}
		if hash == "" {
			password.Decoy(pw)
			return data.User{}, failed
		}
		ok, err := password.Verify(pw, hash)
		if err != nil {
			return data.User{}, err // a stored hash Kapok cannot read: a fault, not the user's
		}
		var result *data.Refusal
		changed := false
		err = m.update(ctx, func(tx *sql.Tx) error {
			cur, curHash, err := account(ctx, tx, login)
			if err != nil {
				return err
			}
			switch {
			case curHash != hash:
				changed = true // a new password, or the user removed and added again: compare again
				return nil
			case cur.Locked(now):
				result = lockedRefusal(cur) // locked by a failure that committed while this one hashed
				return nil
			case !ok:
				result, err = loginFailure(ctx, tx, cur, now)
				return err
			case cur.Disabled:
				result = data.Refuse(data.CodeUserDisabled, "login", data.Value("user", login))
				return journalLogin(ctx, tx, data.KindLoginFail, login, now, map[string]any{"reason": "disabled"})
			}
			a = cur
			if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE login = ?`, login); err != nil {
				return err
			}
			return journalLogin(ctx, tx, data.KindLoginOK, login, now, map[string]any{"failures_before": cur.FailedLogins})
		})
		if err != nil {
			return data.User{}, err
		}
		if changed {
			continue
		}
		if result != nil {
			return data.User{}, result
		}
		return a.User, nil
	}
	return data.User{}, failed // changed three times while checking: treat as a failure, count nothing
}

// loginFailure counts a wrong password: the count, a lock when it earns
// one, and their journal entries. It returns the refusal to give.
func loginFailure(ctx context.Context, tx *sql.Tx, a Account, now time.Time) (*data.Refusal, error) {
	n := a.FailedLogins + 1
	lock := lockFor(n)
	until := gpkg.NullTime{}
	if lock > 0 {
		until = gpkg.NullTime{Time: now.Add(lock), Valid: true}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = ?, locked_until = ? WHERE login = ?`, n, until, a.Login); err != nil {
		return nil, err
	}
	if err := journalLogin(ctx, tx, data.KindLoginFail, a.Login, now, map[string]any{"reason": "password", "failures": n}); err != nil {
		return nil, err
	}
	if lock == 0 {
		return data.Refuse(data.CodeLoginFailed, "password"), nil
	}
	a.LockedUntil = until.Time
	err := journalLogin(ctx, tx, data.KindLoginLock, a.Login, now, map[string]any{"failures": n, "seconds": int64(lock.Seconds()),
		"until": gpkg.FormatTime(until.Time)})
	return lockedRefusal(a), err
}

func lockedRefusal(a Account) *data.Refusal {
	return data.Refuse(data.CodeUserLocked, "login", data.Value("user", a.Login), data.Time("until", a.LockedUntil))
}

// journalLogin writes a login's journal entry: the login is both who acted
// and what the entry is about.
func journalLogin(ctx context.Context, tx *sql.Tx, kind, login string, now time.Time, payload map[string]any) error {
	_, err := journalAppend(ctx, tx, change{Kind: kind, Subject: login, Actor: login, At: now, Payload: payload})
	return err
}
