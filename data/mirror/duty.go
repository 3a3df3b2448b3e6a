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

// Duty rosters of the governance centers: who is on duty at a center in a
// shift of its district's table, each change with its journal entry.

// AssignDuty puts a person on a center's duty roster for a shift.
func (m *Mirror) AssignDuty(ctx context.Context, req data.DutyRequest, now time.Time) (data.Duty, error) {
	d := data.Duty{Center: req.Center, Person: strings.TrimSpace(req.Person), Phone: strings.TrimSpace(req.Phone), Role: req.Role}
	if d.Role == "" {
		d.Role = data.DutyOfficer
	}
	if d.Role != data.DutyOfficer && d.Role != data.DutyLeader {
		return d, data.Refuse(data.CodeDutyRoleUnknown, "role", data.Value("role", string(d.Role)))
	}
	if d.Person == "" {
		return d, data.Refuse(data.CodeDutyPersonEmpty, "person")
	}
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, req.Actor, data.ActDutyEdit)
		if err != nil {
			return err
		}
		region, err := centerRegion(ctx, tx, req.Center)
		if err != nil {
			return err
		}
		if !user.Covers(region) {
			return data.Refuse(data.CodeTargetOutsideJurisdiction, "center", data.Term("kind", data.TargetCenter), data.Value("target", req.Center),
				data.Value("jurisdiction", user.Jurisdiction))
		}
		shifts := data.DefaultShifts
		if len(region) >= 6 {
			if shifts, err = districtShifts(ctx, tx, region[:6]); err != nil {
				return err
			}
		}
		s, err := data.ParseShift(req.Shift, shifts)
		if err != nil {
			return err
		}
		d.Shift = s.String()
		d.Start, d.End = s.Span(shifts)
		if d.UID, err = newUID(tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO center_duty (uid, center_code, shift, start_at, end_at, person, phone, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (center_code, shift, person) DO UPDATE SET phone = excluded.phone, role = excluded.role`,
			d.UID, d.Center, d.Shift, gpkg.Time{Time: d.Start}, gpkg.Time{Time: d.End}, d.Person, d.Phone, d.Role); err != nil {
			return err
		}
		// The row kept (a person already on that shift keeps their key).
		if err := tx.QueryRowContext(ctx, `SELECT uid FROM center_duty WHERE center_code = ? AND shift = ? AND person = ?`, d.Center, d.Shift, d.Person).Scan(&d.UID); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindDutyAssign, Subject: d.UID, Actor: user.Login, At: now,
			Payload: map[string]any{"uid": d.UID, "center": d.Center, "shift": d.Shift, "person": d.Person, "phone": d.Phone, "role": d.Role}})
		return err
	})
	return d, err
}

// RemoveDuty takes a person off a center's duty roster.
func (m *Mirror) RemoveDuty(ctx context.Context, uid, actor string, now time.Time) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, actor, data.ActDutyEdit)
		if err != nil {
			return err
		}
		var center string
		err = tx.QueryRowContext(ctx, `SELECT center_code FROM center_duty WHERE uid = ?`, uid).Scan(&center)
		if errors.Is(err, sql.ErrNoRows) {
			return data.Refuse(data.CodeDutyUnknown, "duty", data.Value("duty", uid))
		}
		if err != nil {
			return err
		}
		region, err := centerRegion(ctx, tx, center)
		if err != nil {
			return err
		}
		if !user.Covers(region) {
			return data.Refuse(data.CodeTargetOutsideJurisdiction, "center", data.Term("kind", data.TargetCenter), data.Value("target", center),
				data.Value("jurisdiction", user.Jurisdiction))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM center_duty WHERE uid = ?`, uid); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindDutyRemove, Subject: uid, Actor: user.Login, At: now,
			Payload: map[string]any{"uid": uid, "center": center}})
		return err
	})
}

// DutyOf lists a center's duty in [from, to), in time order, leaders first.
func (m *Mirror) DutyOf(ctx context.Context, center string, from, to time.Time) ([]data.Duty, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT uid, center_code, shift, +start_at, +end_at, person, phone, role FROM center_duty
		WHERE center_code = ? AND start_at < ? AND end_at > ? ORDER BY start_at, role DESC, person`, center, gpkg.Time{Time: to}, gpkg.Time{Time: from})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Duty
	for rows.Next() {
		var d data.Duty
		var start, end gpkg.Time
		if err := rows.Scan(&d.UID, &d.Center, &d.Shift, &start, &end, &d.Person, &d.Phone, &d.Role); err != nil {
			return nil, err
		}
		d.Start, d.End = start.Time, end.Time
		out = append(out, d)
	}
	return out, rows.Err()
}

// unstaffedCenters lists the region codes of the centers under parent ("":
// all) with nobody on duty at at, in a shift of their district's table
// (DutyGaps: the board and kapok duty gaps count alike).
func (m *Mirror) unstaffedCenters(ctx context.Context, parent string, at time.Time) ([]string, error) {
	gaps, _, err := m.DutyGaps(ctx, parent, at)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Region
	}
	return out, nil
}

func centerRegion(ctx context.Context, q queryRower, center string) (string, error) {
	var region string
	err := q.QueryRowContext(ctx, `SELECT region_code FROM centers WHERE code = ?`, center).Scan(&region)
	if errors.Is(err, sql.ErrNoRows) {
		return "", data.Refuse(data.CodeCenterUnknown, "center", data.Value("center", center))
	}
	return region, err
}
