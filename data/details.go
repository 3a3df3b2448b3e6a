package data

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CenterDetail is what the console shows for a governance center.
type CenterDetail struct {
	Center
	RegionName          string
	Grids, Units        int
	Available           int // units available now
	OpenEvents, Overdue int
	Urgent              []EventBrief // up to 20 open events, nearest deadline first
}

// GridDetail is what the console shows for a grid.
type GridDetail struct {
	Grid
	CommunityName string
	Workers       []Person
	Units         []Unit
	Open          []EventBrief // open events, most urgent deadline first
	Overdue       int
}

// UnitDetail is a unit and its members.
type UnitDetail struct {
	Unit
	Members []Person
}

// Person is a grid worker or a unit's responder.
type Person struct {
	Name, Role, Phone string
	OnDuty            bool
}

// EventBrief is an event in a list.
type EventBrief struct {
	Code, MatterZh, MatterEn, State, Priority string
	Deadline                                  time.Time // zero when not yet dispatched
	Overdue                                   bool
}

// EventDetail is an event with its matter type and state history.
type EventDetail struct {
	EventBrief
	MatterCode, GridCode, Source, Description string
	TimeLimit                                 time.Duration
	Reported                                  time.Time
	History                                   []StateStep
}

// StateStep is one move of an event through its workflow.
type StateStep struct {
	State string
	At    time.Time
	Actor string
	Note  string
}

func notFound(what, code string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no %s with code %q", what, code)
	}
	return err
}

// CenterDetail reads a center (code "C" + region code) with the counts of
// what lies under it, as of asOf.
func (m *Mirror) CenterDetail(code string, asOf time.Time) (*CenterDetail, error) {
	d := &CenterDetail{}
	var level string
	err := m.DB.QueryRow(`SELECT code, level, region_code, name, duty_phone, staff_on_duty, status FROM centers WHERE code = ?`, code).
		Scan(&d.Code, &level, &d.RegionCode, &d.Name, &d.DutyPhone, &d.StaffOnDuty, &d.Status)
	if err != nil {
		return nil, notFound("center", code, err)
	}
	for lv, name := range levelNames {
		if name == level {
			d.Level = Level(lv)
		}
	}
	prefix := d.RegionCode
	err = m.DB.QueryRow(`SELECT name FROM `+d.Level.Table()+` WHERE code = ?`, prefix).Scan(&d.RegionName)
	if err != nil {
		return nil, notFound("region", prefix, err)
	}
	err = m.DB.QueryRow(`SELECT
		(SELECT count(*) FROM grids WHERE code LIKE ?1 || '%'),
		(SELECT count(*) FROM units WHERE grid_code LIKE ?1 || '%'),
		(SELECT count(*) FROM units WHERE grid_code LIKE ?1 || '%' AND status = 'available'),
		(SELECT count(*) FROM events WHERE state IN `+openStates+` AND grid_code LIKE ?1 || '%'),
		(SELECT count(*) FROM events WHERE state IN `+openStates+` AND grid_code LIKE ?1 || '%' AND deadline < ?2)`,
		prefix, gpkgTime(&asOf)).Scan(&d.Grids, &d.Units, &d.Available, &d.OpenEvents, &d.Overdue)
	if err != nil {
		return nil, err
	}
	d.Urgent, err = m.openEvents(`e.grid_code LIKE ? || '%'`, prefix, asOf, 20)
	return d, err
}

// openEvents lists open events matching a condition on e (one argument),
// nearest deadline first (those without one last).
func (m *Mirror) openEvents(where string, arg any, asOf time.Time, limit int) ([]EventBrief, error) {
	rows, err := m.DB.Query(`SELECT e.code, t.name_zh, t.name_en, e.state, e.priority, coalesce(e.deadline, '')
		FROM events e JOIN matter_types t ON t.code = e.matter_code
		WHERE `+where+` AND e.state IN `+openStates+` ORDER BY e.deadline IS NULL, e.deadline LIMIT ?`, arg, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EventBrief
	for rows.Next() {
		var e EventBrief
		var deadline string
		if err := rows.Scan(&e.Code, &e.MatterZh, &e.MatterEn, &e.State, &e.Priority, &deadline); err != nil {
			return nil, err
		}
		e.Deadline, e.Overdue = deadlineOf(deadline, asOf)
		out = append(out, e)
	}
	return out, rows.Err()
}

// GridDetail reads a grid's community, workers, units and open events.
func (m *Mirror) GridDetail(code string, asOf time.Time) (*GridDetail, error) {
	d := &GridDetail{}
	err := m.DB.QueryRow(`SELECT g.fid, g.code, g.community_code, g.kind, g.area_m2, g.population, g.households, c.name
		FROM grids g JOIN communities c ON c.code = g.community_code WHERE g.code = ?`, code).
		Scan(&d.FID, &d.Code, &d.CommunityCode, &d.Kind, &d.AreaM2, &d.Population, &d.Households, &d.CommunityName)
	if err != nil {
		return nil, notFound("grid", code, err)
	}
	rows, err := m.DB.Query(`SELECT name, 'grid_worker', phone, on_duty FROM grid_workers WHERE grid_code = ? ORDER BY id`, code)
	if err != nil {
		return nil, err
	}
	if d.Workers, err = scanPeople(rows); err != nil {
		return nil, err
	}
	rows, err = m.DB.Query(`SELECT code, name, unit_type, grid_code, status, capabilities FROM units WHERE grid_code = ? ORDER BY code`, code)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var u Unit
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
	if d.Open, err = m.openEvents(`e.grid_code = ?`, code, asOf, -1); err != nil {
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
func (m *Mirror) UnitDetail(code string) (*UnitDetail, error) {
	d := &UnitDetail{}
	var caps string
	err := m.DB.QueryRow(`SELECT code, name, unit_type, grid_code, status, capabilities FROM units WHERE code = ?`, code).
		Scan(&d.Code, &d.Name, &d.UnitType, &d.GridCode, &d.Status, &caps)
	if err != nil {
		return nil, notFound("unit", code, err)
	}
	d.Capabilities = splitNonEmpty(caps)
	rows, err := m.DB.Query(`SELECT name, role, phone, on_duty FROM responders WHERE unit_code = ? ORDER BY id`, code)
	if err != nil {
		return nil, err
	}
	d.Members, err = scanPeople(rows)
	return d, err
}

// EventDetail reads an event, its matter type and its state history.
func (m *Mirror) EventDetail(code string, asOf time.Time) (*EventDetail, error) {
	d := &EventDetail{}
	var deadline, reported string
	var hours int
	err := m.DB.QueryRow(`SELECT e.code, e.matter_code, t.name_zh, t.name_en, t.time_limit_hours, e.grid_code, e.source,
		e.priority, e.state, e.description, e.reported_at, coalesce(e.deadline, '')
		FROM events e JOIN matter_types t ON t.code = e.matter_code WHERE e.code = ?`, code).
		Scan(&d.Code, &d.MatterCode, &d.MatterZh, &d.MatterEn, &hours, &d.GridCode, &d.Source,
			&d.Priority, &d.State, &d.Description, &reported, &deadline)
	if err != nil {
		return nil, notFound("event", code, err)
	}
	d.TimeLimit = time.Duration(hours) * time.Hour
	d.Reported, _ = time.Parse(time.RFC3339, reported)
	d.Deadline, d.Overdue = deadlineOf(deadline, asOf)
	d.Overdue = d.Overdue && strings.Contains(openStates, "'"+d.State+"'")
	rows, err := m.DB.Query(`SELECT state, at, actor, note FROM event_history WHERE event_code = ? ORDER BY step`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s StateStep
		var at string
		if err := rows.Scan(&s.State, &at, &s.Actor, &s.Note); err != nil {
			return nil, err
		}
		s.At, _ = time.Parse(time.RFC3339, at)
		d.History = append(d.History, s)
	}
	return d, rows.Err()
}

func deadlineOf(s string, asOf time.Time) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil && t.Before(asOf)
}

func scanPeople(rows *sql.Rows) ([]Person, error) {
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var p Person
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
