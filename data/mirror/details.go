package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule"
)

func notFound(kind, code string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return data.Refuse(data.CodeRecordUnknown, "", data.Term("kind", kind), data.Value("code", code))
	}
	return err
}

// CenterDetail reads a center (code "C" + region code) with the counts of
// what lies under it, as of asOf.
func (m *Mirror) CenterDetail(ctx context.Context, code string, asOf time.Time) (*data.CenterDetail, error) {
	d := &data.CenterDetail{}
	var level string
	err := m.DB.QueryRowContext(ctx, `SELECT code, level, region_code, name, duty_phone, staff_on_duty, status FROM centers WHERE code = ?`, code).
		Scan(&d.Code, &level, &d.RegionCode, &d.Name, &d.DutyPhone, &d.StaffOnDuty, &d.Status)
	if err != nil {
		return nil, notFound("center", code, err)
	}
	lv, ok := data.ParseLevel(level)
	if !ok {
		return nil, fmt.Errorf("center %s: level %q", code, level)
	}
	d.Level = lv
	prefix := d.RegionCode
	err = m.DB.QueryRowContext(ctx, `SELECT name FROM `+levelTable(d.Level)+` WHERE code = ?`, prefix).Scan(&d.RegionName)
	if err != nil {
		return nil, notFound("region", prefix, err)
	}
	err = m.DB.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM grids WHERE code LIKE ?1 || '%'),
		(SELECT count(*) FROM units WHERE grid_code LIKE ?1 || '%'),
		(SELECT count(*) FROM units WHERE grid_code LIKE ?1 || '%' AND status = 'available'),
		(SELECT count(*) FROM events WHERE state IN `+openStates+` AND grid_code LIKE ?1 || '%'),
		(SELECT count(*) FROM events WHERE state IN `+openStates+` AND grid_code LIKE ?1 || '%' AND deadline < ?2)`,
		prefix, gpkg.Time{Time: asOf}).Scan(&d.Grids, &d.Units, &d.Available, &d.OpenEvents, &d.Overdue)
	if err != nil {
		return nil, err
	}
	if d.Urgent, err = m.openEvents(ctx, `e.grid_code LIKE ? || '%'`, prefix, asOf, 20); err != nil {
		return nil, err
	}
	// The duty roster from the shift under way to the end of the next day.
	if d.Duty, err = m.DutyOf(ctx, code, asOf, beijingMidnightAfter(asOf).Add(24*time.Hour)); err != nil {
		return nil, err
	}
	// Unstaffed as the board counts it (DutyGaps): nobody on duty in a
	// shift of the district's table under way; in hours the table leaves
	// out nobody is due.
	shifts, err := centerShifts(ctx, m.DB, d.RegionCode, nil)
	if err != nil {
		return nil, err
	}
	_, due := schedule.Coverage{Shifts: data.WeekShifts(data.WeekOf(asOf), shifts)}.ShiftAt(asOf, shifts)
	d.Unstaffed = due
	for _, p := range d.Duty {
		if !p.Start.After(asOf) && p.End.After(asOf) {
			d.Unstaffed = false
		}
	}
	return d, nil
}

// beijingMidnightAfter is the first 00:00 Beijing time after t.
func beijingMidnightAfter(t time.Time) time.Time {
	b := t.In(data.BeijingTime)
	return time.Date(b.Year(), b.Month(), b.Day()+1, 0, 0, 0, 0, data.BeijingTime)
}

// openEvents lists open events matching a condition on e (one argument),
// nearest deadline first (those without one last).
func (m *Mirror) openEvents(ctx context.Context, where string, arg any, asOf time.Time, limit int) ([]data.EventBrief, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT e.code, t.name_zh, t.name_en, e.state, e.priority, e.deadline
		FROM events e JOIN matter_types t ON t.code = e.matter_code
		WHERE `+where+` AND e.state IN `+openStates+` ORDER BY e.deadline IS NULL, e.deadline LIMIT ?`, arg, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.EventBrief
	for rows.Next() {
		var e data.EventBrief
		var deadline gpkg.NullTime
		if err := rows.Scan(&e.Code, &e.MatterZh, &e.MatterEn, &e.State, &e.Priority, &deadline); err != nil {
			return nil, err
		}
		e.Deadline, e.Overdue = deadlineOf(deadline, asOf)
		out = append(out, e)
	}
	return out, rows.Err()
}

// GridDetail reads a grid's community, workers, units and open events.
func (m *Mirror) GridDetail(ctx context.Context, code string, asOf time.Time) (*data.GridDetail, error) {
	d := &data.GridDetail{}
	err := m.DB.QueryRowContext(ctx, `SELECT g.fid, g.code, g.community_code, g.kind, g.area_m2, g.population, g.households, c.name
		FROM grids g JOIN communities c ON c.code = g.community_code WHERE g.code = ?`, code).
		Scan(&d.FID, &d.Code, &d.CommunityCode, &d.Kind, &d.AreaM2, &d.Population, &d.Households, &d.CommunityName)
	if err != nil {
		return nil, notFound("grid", code, err)
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT name, 'grid_worker', phone, on_duty FROM grid_workers WHERE grid_code = ? ORDER BY id`, code)
	if err != nil {
		return nil, err
	}
	if d.Workers, err = scanPeople(rows); err != nil {
		return nil, err
	}
	rows, err = m.DB.QueryContext(ctx, `SELECT code, name, unit_type, grid_code, status, capabilities FROM units WHERE grid_code = ? ORDER BY code`, code)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var u data.Unit
		var caps string
		if err := rows.Scan(&u.Code, &u.Name, &u.UnitType, &u.GridCode, &u.Status, &caps); err != nil {
			rows.Close()
			return nil, err
		}
		u.Capabilities = splitNonEmpty(caps)
		d.Units = append(d.Units, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if d.Open, err = m.openEvents(ctx, `e.grid_code = ?`, code, asOf, -1); err != nil {
		return nil, err
	}
	for _, e := range d.Open {
		if e.Overdue {
			d.Overdue++
		}
	}
	return d, nil
}

// UnitDetail reads a unit and its responders.
func (m *Mirror) UnitDetail(ctx context.Context, code string) (*data.UnitDetail, error) {
	d := &data.UnitDetail{}
	var caps string
	err := m.DB.QueryRowContext(ctx, `SELECT code, name, unit_type, grid_code, status, capabilities FROM units WHERE code = ?`, code).
		Scan(&d.Code, &d.Name, &d.UnitType, &d.GridCode, &d.Status, &caps)
	if err != nil {
		return nil, notFound("unit", code, err)
	}
	d.Capabilities = splitNonEmpty(caps)
	rows, err := m.DB.QueryContext(ctx, `SELECT name, role, phone, on_duty FROM responders WHERE unit_code = ? ORDER BY id`, code)
	if err != nil {
		return nil, err
	}
	d.Members, err = scanPeople(rows)
	return d, err
}

// EventDetail reads an event, its matter type and its state history.
func (m *Mirror) EventDetail(ctx context.Context, code string, asOf time.Time) (*data.EventDetail, error) {
	d := &data.EventDetail{}
	var deadline gpkg.NullTime
	var reported gpkg.Time
	var hours int
	err := m.DB.QueryRowContext(ctx, `SELECT e.code, e.matter_code, t.name_zh, t.name_en, t.time_limit_hours, e.grid_code, e.source,
		e.priority, e.state, e.description, e.reported_at, e.deadline
		FROM events e JOIN matter_types t ON t.code = e.matter_code WHERE e.code = ?`, code).
		Scan(&d.Code, &d.MatterCode, &d.MatterZh, &d.MatterEn, &hours, &d.GridCode, &d.Source,
			&d.Priority, &d.State, &d.Description, &reported, &deadline)
	if err != nil {
		return nil, notFound("event", code, err)
	}
	d.TimeLimit = time.Duration(hours) * time.Hour
	d.Reported = reported.Time
	d.Deadline, d.Overdue = deadlineOf(deadline, asOf)
	d.Overdue = d.Overdue && d.State.Open()
	rows, err := m.DB.QueryContext(ctx, `SELECT state, at, actor, note FROM event_history WHERE event_code = ? ORDER BY step`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s data.StateStep
		var at gpkg.Time
		if err := rows.Scan(&s.State, &at, &s.Actor, &s.Note); err != nil {
			return nil, err
		}
		s.At = at.Time
		d.History = append(d.History, s)
	}
	return d, rows.Err()
}

// deadlineOf is a deadline (zero when there is none) and whether it has
// passed at asOf.
func deadlineOf(d gpkg.NullTime, asOf time.Time) (time.Time, bool) {
	if !d.Valid {
		return time.Time{}, false
	}
	return d.Time, d.Time.Before(asOf)
}

func scanPeople(rows *sql.Rows) ([]data.Person, error) {
	defer rows.Close()
	var out []data.Person
	for rows.Next() {
		var p data.Person
		if err := rows.Scan(&p.Name, &p.Role, &p.Phone, &p.OnDuty); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
