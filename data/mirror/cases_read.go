package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// caseRowAfter is the case as a step left it, for the step's caller; a
// step replayed by sync has no caller to tell, and may run inside a batch
// another connection cannot read yet.
func (m *Mirror) caseRowAfter(ctx context.Context, code string, now time.Time) (data.CaseRow, error) {
	if replayOf(ctx) != nil {
		return data.CaseRow{}, nil
	}
	return m.caseRowNow(ctx, code, now)
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
// then not yet dispatched), priority, state or report time. With a Limit,
// SQLite sorts and only the first Limit rows are read (the queue of all
// 45,000 demo cases: reading every row costs 0.4 s, the first 500 a tenth
// of that); the order is SortCases's either way.
func (m *Mirror) Cases(ctx context.Context, f data.CaseFilter, now time.Time) ([]data.CaseRow, error) {
	if err := checkPrefix(f.Region); err != nil {
		return nil, err
	}
	where, args := caseWhere(f, now)
	q := caseQuery(where)
	if f.Limit > 0 {
		// Which cases first, from the queue's index alone; then their rows.
		fids, err := m.firstCases(ctx, f, where, args)
		if err != nil {
			return nil, err
		}
		if len(fids) == 0 {
			return nil, nil
		}
		q, args = caseQuery("WHERE e.fid IN ("+strings.Repeat("?,", len(fids)-1)+"?)"), fids
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
	return out, nil
}

// firstCases are the fids of the first f.Limit cases in f's order.
func (m *Mirror) firstCases(ctx context.Context, f data.CaseFilter, where string, args []any) ([]any, error) {
	from := "events e"
	if f.Category != "" {
		from += " JOIN matter_types t ON t.code = e.matter_code"
	}
	rows, err := m.DB.QueryContext(ctx, "SELECT e.fid FROM "+from+" "+where+" ORDER BY "+caseOrder(f.Sort)+" LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fids []any
	for rows.Next() {
		var fid int64
		if err := rows.Scan(&fid); err != nil {
			return nil, err
		}
		fids = append(fids, fid)
	}
	return fids, rows.Err()
}

// CaseCounts counts the cases the filter picks (its Limit aside): all of
// them, the overdue ones and those past 75 % of their limit (a yellow card),
// with clocks at now, for the queue's heading when it lists only the first.
func (m *Mirror) CaseCounts(ctx context.Context, f data.CaseFilter, now time.Time) (data.CaseCounts, error) {
	var n data.CaseCounts
	if err := checkPrefix(f.Region); err != nil {
		return n, err
	}
	where, args := caseWhere(f, now)
	at := gpkg.Time{Time: now}
	from := "events e"
	if f.Category != "" {
		from += " JOIN matter_types t ON t.code = e.matter_code"
	}
	if err := m.DB.QueryRowContext(ctx, `SELECT count(*),
		count(*) FILTER (WHERE e.deadline IS NOT NULL AND ((e.state IN `+openStates+` AND e.deadline < ?) OR e.closed_at > e.deadline))
		FROM `+from+" "+where, append([]any{at}, args...)...).Scan(&n.All, &n.Overdue); err != nil {
		return n, err
	}
	// A yellow card needs the clock (working days by the calendar): only
	// open cases still within their deadline can have one, a few thousand
	// at most, read with their matter's limit.
	cond := "e.state IN " + openStates + " AND e.closed_at IS NULL AND e.deadline >= ?"
	if where != "" {
		cond = strings.TrimPrefix(where, "WHERE ") + " AND " + cond
	}
	matters, err := m.mattersByCode(ctx)
	if err != nil {
		return n, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT e.matter_code, +e.dispatched_at, +e.deadline FROM `+from+` WHERE `+cond, append(args, at)...)
	if err != nil {
		return n, err
	}
	defer rows.Close()
	for rows.Next() {
		var matter string
		var dispatched, deadline gpkg.NullTime
		if err := rows.Scan(&matter, &dispatched, &deadline); err != nil {
			return n, err
		}
		if clockFor(dispatched.Ptr(), deadline.Ptr(), nil, matters[matter], now).State == data.ClockWarning {
			n.Warning++
		}
	}
	return n, rows.Err()
}

// caseWhere is the WHERE clause (or "") and its arguments for a filter.
func caseWhere(f data.CaseFilter, now time.Time) (string, []any) {
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
	if len(where) == 0 {
		return "", args
	}
	return "WHERE " + strings.Join(where, " AND "), args
}

// caseOrder is SortCases's order as SQL (times are stored in one
// fixed-width form, so text order is time order; codes compare bytewise in
// both). TestCaseOrderInSQLIsSortCases holds them together.
func caseOrder(by string) string {
	rank := func(col string, values []string) string {
		var b strings.Builder
		b.WriteString("CASE " + col)
		for i, v := range values {
			fmt.Fprintf(&b, " WHEN '%s' THEN %d", v, i)
		}
		b.WriteString(" ELSE -1 END")
		return b.String()
	}
	switch by {
	case "priority":
		return rank("e.priority", []string{string(data.PriorityUrgent), string(data.PriorityHigh), string(data.PriorityNormal), string(data.PriorityLow)}) + ", e.code"
	case "state":
		return rank("e.state", stateNames(data.EventStates)) + ", e.code"
	case "reported":
		return "e.reported_at DESC, e.code"
	}
	noClock := "(e.deadline IS NULL OR e.closed_at IS NOT NULL)"
	return "CASE WHEN " + noClock + " THEN 2 WHEN e.state = '" + string(data.EventParked) + "' THEN 1 ELSE 0 END, " +
		"CASE WHEN NOT " + noClock + " THEN e.deadline END, " +
		"CASE WHEN " + noClock + " THEN e.reported_at END DESC, e.code"
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
	d.Units, err = queryColumn[string](ctx, m.DB, `SELECT unit_code FROM unit_holds WHERE holder_kind = 'case' AND holder = ? AND released_at IS NULL ORDER BY unit_code`, code)
	return d, err
}

// caseNotFound turns a missing row into the case_unknown refusal.
func caseNotFound(code string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return data.Refuse(data.CodeCaseUnknown, "case", data.Value("case", code))
	}
	return err
}
