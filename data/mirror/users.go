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
	err := q.QueryRowContext(ctx, `SELECT id, login, name, role, jurisdiction_code FROM users WHERE login = ?`, login).
		Scan(&id, &u.Login, &u.Name, &u.Role, &u.Jurisdiction)
	if errors.Is(err, sql.ErrNoRows) {
		return u, 0, data.Refuse(data.CodeUserUnknown, "user", data.Value("user", login))
	}
	return u, id, err
}
