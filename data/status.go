package data

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/paulmach/orb"
)

// Shape is a coded boundary, for drawing.
type Shape struct {
	Code, Name, Pinyin string
	Boundary           orb.MultiPolygon
	// LabelAt is where the region's name goes: its governance center, which
	// lies inside it (or the boundary's first vertex without one).
	LabelAt orb.Point
}

// LoadShapes reads the code, name and boundary of every region of a level.
func (m *Mirror) LoadShapes(level Level) ([]Shape, error) {
	rows, err := m.DB.Query(`SELECT r.code, r.name, r.pinyin, r.geom, c.geom FROM ` + level.Table() + ` r
		LEFT JOIN centers c ON c.region_code = r.code ORDER BY r.code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Shape
	var gb, cb sql.RawBytes
	for rows.Next() {
		var s Shape
		if err := rows.Scan(&s.Code, &s.Name, &s.Pinyin, &gb, &cb); err != nil {
			return nil, err
		}
		g, err := DecodeGeom(gb)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", level, s.Code, err)
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("%s %s: geometry is %s", level, s.Code, g.GeoJSONType())
		}
		s.Boundary = mp
		s.LabelAt = mp[0][0][0]
		if cb != nil {
			if c, err := DecodeGeom(cb); err == nil {
				if p, ok := c.(orb.Point); ok {
					s.LabelAt = p
				}
			}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// GridEvents counts a grid's open and overdue events.
type GridEvents struct{ Open, Overdue int }

// AsOf is the mirror's "now": the demo's as-of time if it has one, else now.
func (m *Mirror) AsOf() time.Time {
	if s, _ := m.Meta("as_of"); s != "" {
		if t, err := ParseTime(s); err == nil {
			return t
		}
	}
	return time.Now()
}

// EventsByGrid counts open and overdue events per grid code as of asOf.
func (m *Mirror) EventsByGrid(asOf time.Time) (map[string]GridEvents, error) {
	// Only open events count, so the state index does the work; deadlines
	// are all written in one UTC format, so text order is time order.
	rows, err := m.DB.Query(`SELECT grid_code, count(*), count(*) FILTER (WHERE deadline < ?)
		FROM events WHERE state IN ('collected','filed','dispatched','handling','fed_back','returned','parked')
		GROUP BY grid_code`, gpkgTime(&asOf))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]GridEvents{}
	for rows.Next() {
		var code string
		var e GridEvents
		if err := rows.Scan(&code, &e.Open, &e.Overdue); err != nil {
			return nil, err
		}
		out[code] = e
	}
	return out, rows.Err()
}

// LoadUnits reads every emergency unit's code, grid, location and status.
func (m *Mirror) LoadUnits() ([]Unit, error) {
	rows, err := m.DB.Query(`SELECT code, name, unit_type, grid_code, status, geom FROM units ORDER BY fid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Unit
	var gb sql.RawBytes
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.UnitType, &u.GridCode, &u.Status, &gb); err != nil {
			return nil, err
		}
		g, err := DecodeGeom(gb)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", u.Code, err)
		}
		p, ok := g.(orb.Point)
		if !ok {
			return nil, fmt.Errorf("unit %s: geometry is %s", u.Code, g.GeoJSONType())
		}
		u.Location = p
		out = append(out, u)
	}
	return out, rows.Err()
}

// RegionBound is the lon/lat bound of the region or grid with this code
// (6, 9, 12 or 15 digits).
func (m *Mirror) RegionBound(code string) (orb.Bound, error) {
	table := map[int]string{4: "cities", 6: "districts", 9: "streets", 12: "communities", GridCodeLength: "grids"}[len(code)]
	if table == "" {
		return orb.Bound{}, fmt.Errorf("%q is not a 4, 6, 9, 12 or 15-digit code", code)
	}
	var b orb.Bound
	err := m.DB.QueryRow(`SELECT minx, miny, maxx, maxy FROM rtree_`+table+`_geom r JOIN `+table+` t ON t.fid = r.id WHERE t.code = ?`, code).
		Scan(&b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1])
	if err == sql.ErrNoRows {
		return b, fmt.Errorf("no %s with code %s", table, code)
	}
	return b, err
}

// RegionBoundary reads the boundary (lon/lat) of the region or grid with
// this code.
func (m *Mirror) RegionBoundary(code string) (orb.MultiPolygon, error) {
	table := map[int]string{4: "cities", 6: "districts", 9: "streets", 12: "communities", GridCodeLength: "grids"}[len(code)]
	if table == "" {
		return nil, fmt.Errorf("%q is not a 4, 6, 9, 12 or 15-digit code", code)
	}
	var gb []byte
	if err := m.DB.QueryRow(`SELECT geom FROM `+table+` WHERE code = ?`, code).Scan(&gb); err != nil {
		return nil, notFound(table, code, err)
	}
	g, err := DecodeGeom(gb)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", table, code, err)
	}
	switch t := g.(type) {
	case orb.MultiPolygon:
		return t, nil
	case orb.Polygon:
		return orb.MultiPolygon{t}, nil
	}
	return nil, fmt.Errorf("%s %s: geometry is %s", table, code, g.GeoJSONType())
}
