package mirror

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// MarkLeave records a unit off duty between two instants (leave, training,
// repair): rosters see it unavailable in the shifts it overlaps. Journaled;
// refused for an unknown unit, a unit outside the actor's jurisdiction or
// an end not after the start.
func (m *Mirror) MarkLeave(ctx context.Context, unit string, from, to time.Time, reason, actor string, now time.Time) (string, error) {
	if !to.After(from) {
		return "", data.Refuse(data.CodeWindowReversed, "leave", data.Time("start", from), data.Time("end", to))
	}
	var uid string
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, err := userBy(ctx, tx, actor)
		if err != nil {
			return err
		}
		var grid string
		err = tx.QueryRowContext(ctx, `SELECT grid_code FROM units WHERE code = ?`, unit).Scan(&grid)
		if errors.Is(err, sql.ErrNoRows) {
			return data.Refuse(data.CodeUnitUnknown, "unit", data.Value("unit", unit))
		}
		if err != nil {
			return err
		}
		if !user.Covers(grid) {
			return data.Refuse(data.CodeUnitOutsideJurisdiction, "unit", data.Value("unit", unit), data.Value("jurisdiction", user.Jurisdiction))
		}
		if uid, err = newUID(); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_leave (uid, unit_code, start_at, end_at, reason) VALUES (?, ?, ?, ?, ?)`,
			uid, unit, gpkg.Time{Time: from}, gpkg.Time{Time: to}, reason); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindUnitLeave, Subject: unit, Actor: user.Login, At: now,
			Payload: map[string]any{"uid": uid, "unit": unit, "start": gpkg.FormatTime(from), "end": gpkg.FormatTime(to), "reason": reason}})
		return err
	})
	return uid, err
}
