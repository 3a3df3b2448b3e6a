package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"kapok/data"
	"kapok/data/gpkg"
)

// caseRow is a case as the store reads it to change it.
type caseRow struct {
	code, uid, grid, matter, level string
	state                          data.EventState
	version                        int64
	dispatched, deadline, closed   *time.Time
	extensions                     int
}

// readCase reads the case with this code inside tx.
func readCase(ctx context.Context, tx *sql.Tx, code string) (caseRow, error) {
	var c caseRow
	var uid sql.NullString
	var dispatched, deadline, closed gpkg.NullTime
	err := tx.QueryRowContext(ctx, `SELECT code, uid, grid_code, matter_code, level, state, version, dispatched_at, deadline, closed_at, extensions
		FROM events WHERE code = ?`, code).Scan(&c.code, &uid, &c.grid, &c.matter, &c.level, &c.state, &c.version,
		&dispatched, &deadline, &closed, &c.extensions)
	if errors.Is(err, sql.ErrNoRows) {
		return c, data.Refuse(data.CodeCaseUnknown, "case", data.Value("case", code))
	}
	c.uid, c.dispatched, c.deadline, c.closed = uid.String, dispatched.Ptr(), deadline.Ptr(), closed.Ptr()
	return c, err
}

const matterColumns = `code, name_zh, name_en, category, department, handling_level, limit_value, limit_unit,
	extensions_allowed, grace_hours, capabilities`

func scanMatter(sc interface{ Scan(...any) error }) (data.MatterType, error) {
	var m data.MatterType
	var grace int
	var caps string
	err := sc.Scan(&m.Code, &m.NameZh, &m.NameEn, &m.Category, &m.Department, &m.HandlingLevel, &m.Limit, &m.LimitUnit,
		&m.Extensions, &grace, &caps)
	m.Grace = time.Duration(grace) * time.Hour
	m.Capabilities = splitNonEmpty(caps)
	m.TimeLimit = time.Duration(m.Limit) * time.Hour
	if m.LimitUnit == data.LimitWorkingDays {
		m.TimeLimit *= 24
	}
	return m, err
}

// matterBy reads a matter of the catalogue.
func matterBy(ctx context.Context, q queryRower, code string) (data.MatterType, error) {
	m, err := scanMatter(q.QueryRowContext(ctx, `SELECT `+matterColumns+` FROM matter_types WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return m, data.Refuse(data.CodeMatterUnknown, "matter", data.Value("matter", code))
	}
	return m, err
}

// ReportCase records a reported case: collected, with its first history
// row and its journal entry. A case reported at a console gets a globally
// unique key (UUIDv7) and a code made from the day and that key.
func (m *Mirror) ReportCase(ctx context.Context, r data.CaseReport, now time.Time) (data.CaseRow, error) {
	if f := data.CheckReport(&r); f != nil {
		return data.CaseRow{}, f
	}
	var code string
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, r.Actor, data.ActCaseReport)
		if err != nil {
			return err
		}
		grid, loc, err := placeCase(ctx, tx, r)
		if err != nil {
			return err
		}
		if !user.Covers(grid) {
			return data.Refuse(data.CodeCaseOutsideJurisdiction, "grid", data.Value("case", "—"), data.Value("grid", grid),
				data.Value("jurisdiction", user.Jurisdiction))
		}
		matter, err := matterBy(ctx, tx, r.Matter)
		if err != nil {
			return err
		}
		uid, err := newUID(tx)
		if err != nil {
			return err
		}
		code = caseCode(now, uid)
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (geom, code, uid, matter_code, grid_code, source, priority, state,
			description, reporter_contact, level, reported_at, version) VALUES (?, ?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, 1)`,
			gpkg.Geometry{Geometry: loc}, code, uid, matter.Code, grid, r.Source, data.EventCollected, r.Description, r.Contact,
			matter.HandlingLevel, gpkg.Time{Time: now}); err != nil {
			return err
		}
		if err := addStep(ctx, tx, code, data.ActReport, data.EventCollected, user.Login, now, "", data.Clock{State: data.ClockNone}); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindCaseReport, Subject: code, Actor: user.Login, At: now,
			Payload: map[string]any{"code": code, "uid": uid, "matter": matter.Code, "grid": grid, "source": r.Source,
				"description": r.Description, "contact": r.Contact, "at": []float64{loc[0], loc[1]}}})
		return err
	})
	if err != nil {
		return data.CaseRow{}, err
	}
	return m.caseRowAfter(ctx, code, now)
}

// caseCode is a case's code: "E", the Beijing day, and the last eight hex
// digits of its key (random bits of the UUIDv7).
func caseCode(now time.Time, uid string) string {
	return "E" + now.In(beijing).Format("20060102") + "-" + uid[len(uid)-8:]
}

var beijing = data.BeijingTime

// placeCase finds the case's grid and a point for it: the grid given (its
// point the grid's inner point) or the grid containing the point given.
func placeCase(ctx context.Context, tx *sql.Tx, r data.CaseReport) (string, orb.Point, error) {
	if r.At == nil {
		var gb []byte
		err := tx.QueryRowContext(ctx, `SELECT geom FROM grids WHERE code = ?`, r.Grid).Scan(&gb)
		if errors.Is(err, sql.ErrNoRows) {
			return "", orb.Point{}, data.Refuse(data.CodeGridUnknown, "grid", data.Value("grid", r.Grid))
		}
		if err != nil {
			return "", orb.Point{}, err
		}
		mp, err := multiPolygon(gb)
		if err != nil {
			return "", orb.Point{}, fmt.Errorf("grid %s: %w", r.Grid, err)
		}
		return r.Grid, innerPoint(mp), nil
	}
	p := *r.At
	rows, err := tx.QueryContext(ctx, `SELECT g.code, g.geom FROM rtree_grids_geom t JOIN grids g ON g.fid = t.id
		WHERE t.minx <= ?1 AND t.maxx >= ?1 AND t.miny <= ?2 AND t.maxy >= ?2 ORDER BY g.code`, p[0], p[1])
	if err != nil {
		return "", orb.Point{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var gb []byte
		if err := rows.Scan(&code, &gb); err != nil {
			return "", orb.Point{}, err
		}
		mp, err := multiPolygon(gb)
		if err != nil {
			return "", orb.Point{}, fmt.Errorf("grid %s: %w", code, err)
		}
		if planar.MultiPolygonContains(mp, p) {
			return code, p, nil
		}
	}
	if err := rows.Err(); err != nil {
		return "", orb.Point{}, err
	}
	return "", orb.Point{}, data.Refuse(data.CodePointInNoGrid, "at", data.Value("lon", p[0]), data.Value("lat", p[1]))
}

// innerPoint is a point inside the grid, where a case reported by grid code
// is marked: its centroid when that lies inside (most grids), else the
// first of 63 points across the middle of its bounds that does.
func innerPoint(mp orb.MultiPolygon) orb.Point {
	c, _ := planar.CentroidArea(mp)
	if planar.MultiPolygonContains(mp, c) {
		return c
	}
	b := mp.Bound()
	y := (b.Min[1] + b.Max[1]) / 2
	for i := 1; i < 64; i++ {
		p := orb.Point{b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/64, y}
		if planar.MultiPolygonContains(mp, p) {
			return p
		}
	}
	return mp[0][0][0]
}

// addStep appends a step to a case's history, with the case's clock as the
// step left it.
func addStep(ctx context.Context, tx *sql.Tx, code string, action data.CaseAction, state data.EventState, actor string, at time.Time,
	note string, clock data.Clock) error {
	var deadline, remaining any
	if clock.State != data.ClockNone && clock.State != "" {
		deadline, remaining = gpkg.Time{Time: clock.Deadline}, int64(clock.Remaining/time.Second)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO event_history (event_code, step, state, at, actor, note, action, clock, deadline, remaining_s)
		VALUES (?1, (SELECT coalesce(max(step), 0) + 1 FROM event_history WHERE event_code = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
		code, state, gpkg.Time{Time: at}, actor, note, action, clock.State, deadline, remaining)
	return err
}
