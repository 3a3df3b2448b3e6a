package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/gpkg"
)

// What the map shows of cases: each open case classed by its clock, and a
// line from each unit dispatched to a case to the case.

// MatterTypes reads the mirror's catalogue of matters, by code.
func (m *Mirror) MatterTypes(ctx context.Context) ([]data.MatterType, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT `+matterColumns+` FROM matter_types ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.MatterType
	for rows.Next() {
		mt, err := scanMatter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, mt)
	}
	return out, rows.Err()
}

// mattersByCode reads the whole catalogue (109 rows) into a map.
func (m *Mirror) mattersByCode(ctx context.Context) (map[string]data.MatterType, error) {
	all, err := m.MatterTypes(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]data.MatterType, len(all))
	for _, mt := range all {
		out[mt.Code] = mt
	}
	return out, nil
}

// caseMarkers are the open cases, classed by their clock at asOf: none
// (not dispatched yet), running, warning (75 % of the limit used) or
// overdue — the same clock the case queue shows.
func (m *Mirror) caseMarkers(ctx context.Context, asOf time.Time) ([]data.MapFeature, error) {
	matters, err := m.mattersByCode(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT code, matter_code, dispatched_at, deadline, geom FROM events
		WHERE state IN `+openStates+` ORDER BY fid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.MapFeature
	var gb sql.RawBytes
	for rows.Next() {
		var f data.MapFeature
		var matter string
		var dispatched, deadline gpkg.NullTime
		if err := rows.Scan(&f.Code, &matter, &dispatched, &deadline, &gb); err != nil {
			return nil, err
		}
		if f.Geom, err = gpkg.DecodeGeom(gb); err != nil {
			return nil, fmt.Errorf("events %s: %w", f.Code, err)
		}
		f.Class = string(clockFor(dispatched.Ptr(), deadline.Ptr(), nil, matters[matter], asOf).State)
		out = append(out, f)
	}
	return out, rows.Err()
}

// dispatchLines are the straight lines from each unit a case holds to the
// case, classed by the unit's code.
func (m *Mirror) dispatchLines(ctx context.Context) ([]data.MapFeature, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT h.unit_code, u.geom, e.geom FROM unit_holds h
		JOIN units u ON u.code = h.unit_code JOIN events e ON e.code = h.holder
		WHERE h.holder_kind = 'case' AND h.released_at IS NULL ORDER BY h.since, h.unit_code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.MapFeature
	var ub, eb sql.RawBytes
	for rows.Next() {
		var unit string
		if err := rows.Scan(&unit, &ub, &eb); err != nil {
			return nil, err
		}
		from, err1 := gpkg.DecodeGeom(ub)
		to, err2 := gpkg.DecodeGeom(eb)
		fp, ok1 := from.(orb.Point)
		tp, ok2 := to.(orb.Point)
		if err1 != nil || err2 != nil || !ok1 || !ok2 {
			continue // a unit or case without a place has no line to draw
		}
		out = append(out, data.MapFeature{Code: unit, Class: "dispatch", Geom: orb.LineString{fp, tp}})
	}
	return out, rows.Err()
}

// UnavailableUnits maps each unit that is not available to its status; the
// others are available. The console refreshes its units layer with it
// after a dispatch rather than reading all units again (through the partial
// index units_not_available).
func (m *Mirror) UnavailableUnits(ctx context.Context) (map[string]data.UnitStatus, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT code, status FROM units WHERE status != 'available'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]data.UnitStatus{}
	for rows.Next() {
		var code string
		var s data.UnitStatus
		if err := rows.Scan(&code, &s); err != nil {
			return nil, err
		}
		out[code] = s
	}
	return out, rows.Err()
}
