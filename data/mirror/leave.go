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
		user, _, err := permitted(ctx, tx, actor, data.ActRosterEdit)
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
		if uid, err = newUID(tx); err != nil {
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

// Leave is a unit off duty between two instants.
type Leave struct {
	UID, Unit  string
	Start, End time.Time
	Reason     string
}

// Leaves lists the leave that overlaps [from, to) of one unit (a code
// "U…") or of the units in a region (a code prefix of their grids; "" for
// the whole city), by start then unit.
func (m *Mirror) Leaves(ctx context.Context, unitOrRegion string, from, to time.Time) ([]Leave, error) {
	// A unit's code is matched whole: "U…1" is no prefix of "U…12".
	which := `unit_code IN (SELECT code FROM units WHERE grid_code LIKE ?1 || '%')`
	if strings.HasPrefix(unitOrRegion, "U") {
		which = `unit_code = ?1`
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT uid, unit_code, +start_at, +end_at, reason FROM unit_leave
		WHERE `+which+` AND start_at < ?3 AND end_at > ?2 ORDER BY start_at, unit_code, uid`,
		unitOrRegion, gpkg.Time{Time: from}, gpkg.Time{Time: to})
	if err != nil {
		return nil, err
	}
	var out []Leave
	for rows.Next() {
		var l Leave
		var start, end gpkg.Time
		if err := rows.Scan(&l.UID, &l.Unit, &start, &end, &l.Reason); err != nil {
			_ = rows.Close()
			return nil, err
		}
		l.Start, l.End = start.Time, end.Time
		out = append(out, l)
	}
	return out, closeRows(rows)
}

// EndLeave ends a unit's leave at now: a leave not begun is cancelled (its
// row goes; the journal keeps it), one under way is cut short to end now.
// Rosters see the unit available again from then on. Refused for an
// unknown leave, a unit outside the actor's jurisdiction and a leave over
// already (its end is not after now: nothing is left to end).
func (m *Mirror) EndLeave(ctx context.Context, uid, actor string, now time.Time) error {
	now = now.Truncate(time.Millisecond) // as stored: an end cut to now stays after the start
	return m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, actor, data.ActRosterEdit)
		if err != nil {
			return err
		}
		var l Leave
		var start, end gpkg.Time
		var grid string
		err = tx.QueryRowContext(ctx, `SELECT l.unit_code, +l.start_at, +l.end_at, u.grid_code FROM unit_leave l JOIN units u ON u.code = l.unit_code
			WHERE l.uid = ?`, uid).Scan(&l.Unit, &start, &end, &grid)
		if errors.Is(err, sql.ErrNoRows) {
			return data.Refuse(data.CodeLeaveUnknown, "leave", data.Value("leave", uid))
		}
		if err != nil {
			return err
		}
		l.Start, l.End = start.Time, end.Time
		if !user.Covers(grid) {
			return data.Refuse(data.CodeUnitOutsideJurisdiction, "unit", data.Value("unit", l.Unit), data.Value("jurisdiction", user.Jurisdiction))
		}
		if !l.End.After(now) {
			// Nothing is left to end: ending it now would put its end
			// after where it is.
			return data.Refuse(data.CodeLeaveOver, "leave", data.Value("leave", uid), data.Time("end", l.End))
		}
		payload := map[string]any{"uid": uid, "unit": l.Unit, "start": gpkg.FormatTime(l.Start), "end": gpkg.FormatTime(l.End)}
		if l.Start.Before(now) {
			_, err = tx.ExecContext(ctx, `UPDATE unit_leave SET end_at = ? WHERE uid = ?`, gpkg.Time{Time: now}, uid)
			payload["ended"] = gpkg.FormatTime(now)
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM unit_leave WHERE uid = ?`, uid)
			payload["cancelled"] = true
		}
		if err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindUnitLeaveEnd, Subject: l.Unit, Actor: user.Login, At: now, Payload: payload})
		return err
	})
}
