package mirror

import (
	"context"
	"database/sql"
	"errors"

	"kapok/data"
)

// User finds a user by login.
func (m *Mirror) User(ctx context.Context, login string) (data.User, error) {
	return userBy(ctx, m.DB, login)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userBy finds a user by login, in a transaction or not; it also returns
// the user's row id, which orders refer to.
func userBy(ctx context.Context, q queryRower, login string) (data.User, error) {
	u, _, err := userAndID(ctx, q, login)
	return u, err
}

func userAndID(ctx context.Context, q queryRower, login string) (data.User, int64, error) {
	var u data.User
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id, login, name, role, jurisdiction_code, disabled_at IS NOT NULL FROM users WHERE login = ?`, login).
		Scan(&id, &u.Login, &u.Name, &u.Role, &u.Jurisdiction, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return u, 0, data.Refuse(data.CodeUserUnknown, "user", data.Value("user", login))
	}
	return u, id, err
}

// permitted is the one permission check every change made on someone's behalf
// passes first, inside the change's transaction: the user is looked up,
// must not be disabled, and their role must permit the action (the matrix
// of data.Permissions). The change then checks that what it touches lies
// in the user's jurisdiction (each change knows what it touches: an
// order's targets, a case's grid and units, a roster's region, an alert's
// region). It returns the user and the row id the journal and orders name.
func permitted(ctx context.Context, q queryRower, login string, a data.Action) (data.User, int64, error) {
	if replayOf(ctx) == nil {
		// While sync has taken this console's unconfirmed changes back to
		// let earlier arrivals go first, the mirror is not as its users
		// left it: a change waits until sync has put them on top again.
		phase, err := metaTx(ctx, q, "sync_phase")
		if err != nil {
			return data.User{}, 0, err
		}
		if phase != "" {
			return data.User{}, 0, data.Refuse(data.CodeSyncInProgress, "")
		}
	}
	u, id, err := userAndID(ctx, q, login)
	if err != nil {
		return u, id, err
	}
	if u.Disabled {
		return u, id, data.Refuse(data.CodeUserDisabled, "user", data.Value("user", login))
	}
	if !u.Role.Permits(a) {
		return u, id, data.Refuse(data.CodeActionNotPermitted, "user", data.Value("user", login), data.Term("role", u.Role), data.Term("action", a))
	}
	return u, id, nil
}
