package mirror

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"

	"github.com/paulmach/orb"
)

// caseSelect reads what a case row shows: the case, its matter and the
// matter's clock settings.
// The times are read as "+column": an expression has no declared type, so
// go-sqlite3 hands over the stored text, which gpkg.Time reads in one
// layout, instead of trying its list of layouts on every DATETIME value
// (three failed parses each: half the queue's time).
const caseSelect = `SELECT e.code, e.geom, e.matter_code, e.grid_code, e.source, e.priority, e.state, e.description, +e.reported_at,
	+e.dispatched_at, +e.deadline, +e.closed_at, e.extensions, e.version, e.level, ` + "%s" + `
	FROM events e JOIN matter_types t ON t.code = e.matter_code`

func caseQuery(where string) string {
	return strings.Replace(caseSelect, "%s", matterColumnsOf("t"), 1) + " " + where
}

// scanCaseRow reads a row of caseQuery and computes its clock at now.
func scanCaseRow(sc interface{ Scan(...any) error }, now time.Time) (data.CaseRow, data.MatterType, error) {
	var r data.CaseRow
	var mt data.MatterType
	var reported gpkg.Time
	var dispatched, deadline, closed gpkg.NullTime
	var grace int
	var caps string
	var geom gpkg.Geometry
	err := sc.Scan(&r.Code, &geom, &r.MatterCode, &r.GridCode, &r.Source, &r.Priority, &r.State, &r.Description, &reported,
		&dispatched, &deadline, &closed, &r.Extensions, &r.Version, &r.Level,
		&mt.Code, &mt.NameZh, &mt.NameEn, &mt.Category, &mt.Department, &mt.HandlingLevel, &mt.Limit, &mt.LimitUnit,
		&mt.Extensions, &grace, &caps)
	if err != nil {
		return r, mt, err
	}
	mt.Grace = time.Duration(grace) * time.Hour
	mt.Capabilities = splitNonEmpty(caps)
	mt.TimeLimit = time.Duration(mt.Limit) * time.Hour
	if mt.LimitUnit == data.LimitWorkingDays {
		mt.TimeLimit *= 24
	}
	if p, ok := geom.Geometry.(orb.Point); ok {
		r.Location = p
	}
	r.ReportedAt, r.DispatchedAt, r.Deadline, r.ClosedAt = reported.Time, dispatched.Ptr(), deadline.Ptr(), closed.Ptr()
	r.MatterZh, r.MatterEn, r.Category = mt.NameZh, mt.NameEn, mt.Category
	r.Clock = clockFor(r.DispatchedAt, r.Deadline, r.ClosedAt, mt, now)
	return r, mt, nil
}

// caseRowNow reads one case as the queue shows it.
func (m *Mirror) caseRowNow(ctx context.Context, code string, now time.Time) (data.CaseRow, error) {
	r, _, err := scanCaseRow(m.DB.QueryRowContext(ctx, caseQuery(`WHERE e.code = ?`), code), now)
	if err != nil {
		return r, caseNotFound(code, err)
	}
	return r, nil
}

// Cases lists the cases the filter picks with their clocks at now, sorted
// by remaining time (most urgent first: overdue, then nearest deadline,
// then not yet dispatched), priority, state or report time.
func (m *Mirror) Cases(ctx context.Context, f data.CaseFilter, now time.Time) ([]data.CaseRow, error) {
	var where []string
	var args []any
	switch {
	case len(f.States) > 0:
		where = append(where, "e.state IN "+sqlList(f.States))
	case !f.All:
		where = append(where, "e.state IN "+openStates)
	}
	if f.Region != "" {
		where = append(where, "e.grid_code LIKE ? || '%'")
		args = append(args, f.Region)
	}
	if f.Source != "" {
		where = append(where, "e.source = ?")
		args = append(args, f.Source)
	}
	if f.Category != "" {
		where = append(where, "t.category = ?")
		args = append(args, f.Category)
	}
	if f.Overdue {
		where = append(where, "e.deadline IS NOT NULL AND ((e.state IN "+openStates+" AND e.deadline < ?) OR e.closed_at > e.deadline)")
		args = append(args, gpkg.Time{Time: now})
	}
	q := caseQuery("")
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := m.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.CaseRow
	for rows.Next() {
		r, _, err := scanCaseRow(rows, now)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	SortCases(out, f.Sort)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// SortCases orders cases for the queue: "remaining" (overdue first, most
// overdue first, then the nearest deadline; then parked cases the same way;
// then cases without a deadline, newest report first), "priority" (urgent first), "state" (workflow order),
// "reported" (newest first). Ties go by code.
func SortCases(rows []data.CaseRow, by string) {
	prio := map[data.Priority]int{data.PriorityUrgent: 0, data.PriorityHigh: 1, data.PriorityNormal: 2, data.PriorityLow: 3}
	state := map[data.EventState]int{}
	for i, s := range data.EventStates {
		state[s] = i
	}
	// Parked cases (挂账: known not to be fixable within the limit) come
	// after the running ones: their clocks stay on, overdue, but the queue
	// is for the cases that can still be met.
	remaining := func(r data.CaseRow) (int, time.Time) {
		switch {
		case r.Deadline == nil || r.ClosedAt != nil:
			return 2, time.Time{}
		case r.State == data.EventParked:
			return 1, *r.Deadline
		}
		return 0, *r.Deadline
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch by {
		case "priority":
			if prio[a.Priority] != prio[b.Priority] {
				return prio[a.Priority] < prio[b.Priority]
			}
		case "state":
			if state[a.State] != state[b.State] {
				return state[a.State] < state[b.State]
			}
		case "reported":
			if !a.ReportedAt.Equal(b.ReportedAt) {
				return a.ReportedAt.After(b.ReportedAt)
			}
		default:
			ka, ta := remaining(a)
			kb, tb := remaining(b)
			if ka != kb {
				return ka < kb
			}
			if !ta.Equal(tb) {
				return ta.Before(tb)
			}
			if ka == 2 && !a.ReportedAt.Equal(b.ReportedAt) {
				return a.ReportedAt.After(b.ReportedAt)
			}
		}
		return a.Code < b.Code
	})
}

// Case reads a case with its matter, its steps (with the clock at each),
// the units it holds and its clock at now.
func (m *Mirror) Case(ctx context.Context, code string, now time.Time) (*data.CaseDetail, error) {
	row, mt, err := scanCaseRow(m.DB.QueryRowContext(ctx, caseQuery(`WHERE e.code = ?`), code), now)
	if err != nil {
		return nil, caseNotFound(code, err)
	}
	d := &data.CaseDetail{CaseRow: row, Matter: mt}
	if err := m.DB.QueryRowContext(ctx, `SELECT reporter_contact, department, result FROM events WHERE code = ?`, code).
		Scan(&d.Contact, &d.Department, &d.Result); err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT action, state, at, actor, note, clock, deadline, remaining_s FROM event_history WHERE event_code = ? ORDER BY step`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s data.CaseStep
		var at gpkg.Time
		var clock string
		var deadline gpkg.NullTime
		var remaining sql.NullInt64
		if err := rows.Scan(&s.Action, &s.State, &at, &s.Actor, &s.Note, &clock, &deadline, &remaining); err != nil {
			return nil, err
		}
		s.At = at.Time
		if s.Action == "" {
			s.Action = data.CaseAction(s.State)
		}
		if clock != "" { // as the step left it
			s.Clock = data.Clock{State: data.ClockState(clock), Deadline: deadline.Time, Remaining: time.Duration(remaining.Int64) * time.Second}
			d.Steps = append(d.Steps, s)
			continue
		}
		// The platform's history keeps no clock: the step's is reckoned
		// from the case's dispatch and deadline as they are now.
		var closed *time.Time
		if row.ClosedAt != nil && !row.ClosedAt.After(s.At) {
			closed = row.ClosedAt
		}
		if row.DispatchedAt != nil && !row.DispatchedAt.After(s.At) {
			s.Clock = clockFor(row.DispatchedAt, row.Deadline, closed, mt, s.At)
		} else {
			s.Clock = data.Clock{State: data.ClockNone}
		}
		d.Steps = append(d.Steps, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	urows, err := m.DB.QueryContext(ctx, `SELECT unit_code FROM unit_holds WHERE holder_kind = 'case' AND holder = ? AND released_at IS NULL ORDER BY unit_code`, code)
	if err != nil {
		return nil, err
	}
	defer urows.Close()
	for urows.Next() {
		var u string
		if err := urows.Scan(&u); err != nil {
			return nil, err
		}
		d.Units = append(d.Units, u)
	}
	return d, urows.Err()
}

// caseNotFound turns a missing row into the case_unknown refusal.
func caseNotFound(code string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return data.Refuse(data.CodeCaseUnknown, "case", data.Value("case", code))
	}
	return err
}
