package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/gpkg"
)

// This file holds what the map draws: grids, region boundaries, units,
// overlay layers and the grids under running orders.

// LoadGrids reads every grid, geometry and attributes, into memory: what the
// map engine draws from.
func (m *Mirror) LoadGrids(ctx context.Context) ([]data.Grid, error) {
	var n int
	if err := m.DB.QueryRowContext(ctx, `SELECT count(*) FROM grids`).Scan(&n); err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT fid, code, community_code, kind, area_m2, population, households, geom FROM grids ORDER BY fid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]data.Grid, 0, n)
	var gb sql.RawBytes
	for rows.Next() {
		var g data.Grid
		if err := rows.Scan(&g.FID, &g.Code, &g.CommunityCode, &g.Kind, &g.AreaM2, &g.Population, &g.Households, &gb); err != nil {
			return nil, err
		}
		mp, err := multiPolygon(gb)
		if err != nil {
			return nil, fmt.Errorf("grid %s: %w", g.Code, err)
		}
		g.Boundary = mp
		out = append(out, g)
	}
	return out, rows.Err()
}

// multiPolygon decodes a blob that must hold a (multi)polygon.
func multiPolygon(b []byte) (orb.MultiPolygon, error) {
	g, err := gpkg.DecodeGeom(b)
	if err != nil {
		return nil, err
	}
	switch t := g.(type) {
	case orb.MultiPolygon:
		return t, nil
	case orb.Polygon:
		return orb.MultiPolygon{t}, nil
	}
	return nil, fmt.Errorf("geometry is %s, want MultiPolygon", g.GeoJSONType())
}

// GridLookup finds grids by code with one prepared statement, for the hot
// paths of the console (hover, search).
type GridLookup struct{ stmt *sql.Stmt }

// NewGridLookup prepares the lookup; Close it when done.
func (m *Mirror) NewGridLookup(ctx context.Context) (*GridLookup, error) {
	st, err := m.DB.PrepareContext(ctx, `SELECT fid, code, community_code, kind, area_m2, population, households FROM grids WHERE code = ?`)
	return &GridLookup{st}, err
}

// Close releases the statement.
func (l *GridLookup) Close() error { return l.stmt.Close() }

// Grid returns the grid's attributes (without its boundary), or
// sql.ErrNoRows.
func (l *GridLookup) Grid(ctx context.Context, code string) (data.Grid, error) {
	var g data.Grid
	err := l.stmt.QueryRowContext(ctx, code).Scan(&g.FID, &g.Code, &g.CommunityCode, &g.Kind, &g.AreaM2, &g.Population, &g.Households)
	return g, err
}

// GridsInBox returns the fids of the grids whose bounds meet the box, through
// the GeoPackage R-tree.
func (m *Mirror) GridsInBox(ctx context.Context, b orb.Bound) ([]int64, error) {
	return queryColumn[int64](ctx, m.DB, `SELECT id FROM rtree_grids_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?`,
		b.Min[0], b.Max[0], b.Min[1], b.Max[1])
}

// LoadShapes reads the code, name and boundary of every region of a level.
func (m *Mirror) LoadShapes(ctx context.Context, level data.Level) ([]data.Shape, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT r.code, r.name, r.pinyin, r.geom, c.geom FROM `+levelTable(level)+` r
		LEFT JOIN centers c ON c.region_code = r.code ORDER BY r.code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Shape
	var gb, cb sql.RawBytes
	for rows.Next() {
		var s data.Shape
		if err := rows.Scan(&s.Code, &s.Name, &s.Pinyin, &gb, &cb); err != nil {
			return nil, err
		}
		mp, err := multiPolygon(gb)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", level, s.Code, err)
		}
		s.Boundary = mp
		s.LabelAt = mp[0][0][0]
		if cb != nil {
			if c, err := gpkg.DecodeGeom(cb); err == nil {
				if p, ok := c.(orb.Point); ok {
					s.LabelAt = p
				}
			}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// EventsByGrid counts open and overdue events per grid code as of asOf.
// The count is kept until the next change to events (or another asOf): a
// refresh asks for it three times (badges, board, map). The map is shared:
// callers only read it.
func (m *Mirror) EventsByGrid(ctx context.Context, asOf time.Time) (map[string]data.GridEvents, error) {
	c := &m.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	have := c.events != nil && c.eventsAsOf.Equal(asOf)
	err := countIfMoved(ctx, m.DB, "events", &c.eventsAt, have, func(tx querier) error {
		// Only open events count, so an index holds all it reads; all
		// times are stored in one fixed-width UTC form, so text order is
		// time order.
		rows, err := tx.QueryContext(ctx, `SELECT grid_code, count(*), count(*) FILTER (WHERE deadline < ?)
			FROM events WHERE state IN `+openStates+` GROUP BY grid_code`, gpkg.Time{Time: asOf})
		if err != nil {
			return err
		}
		defer rows.Close()
		out := map[string]data.GridEvents{}
		for rows.Next() {
			var code string
			var e data.GridEvents
			if err := rows.Scan(&code, &e.Open, &e.Overdue); err != nil {
				return err
			}
			out[code] = e
		}
		if err := rows.Err(); err != nil {
			return err
		}
		c.events, c.eventsAsOf = out, asOf
		return nil
	})
	return c.events, err
}

// LoadUnits reads every emergency unit's code, grid, location, status and
// capabilities.
func (m *Mirror) LoadUnits(ctx context.Context) ([]data.Unit, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT code, name, unit_type, grid_code, status, capabilities, geom FROM units ORDER BY fid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Unit
	var gb sql.RawBytes
	for rows.Next() {
		var u data.Unit
		var caps string
		if err := rows.Scan(&u.Code, &u.Name, &u.UnitType, &u.GridCode, &u.Status, &caps, &gb); err != nil {
			return nil, err
		}
		u.Capabilities = splitNonEmpty(caps)
		g, err := gpkg.DecodeGeom(gb)
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

// regionTable is the table of the region or grid a code names, by length.
func regionTable(code string) (table string, kind data.TargetKind, err error) {
	if len(code) == data.GridCodeLength {
		return "grids", data.TargetGrid, nil
	}
	if l, ok := data.LevelOfCode(code); ok {
		return levelTable(l), data.TargetKind(l.String()), nil
	}
	return "", "", data.Refuse(data.CodeRegionCodeInvalid, "region", data.Value("code", code))
}

// RegionBound is the lon/lat bound of the region or grid with this code
// (4, 6, 9, 12 or 15 digits).
func (m *Mirror) RegionBound(ctx context.Context, code string) (orb.Bound, error) {
	table, kind, err := regionTable(code)
	if err != nil {
		return orb.Bound{}, err
	}
	var b orb.Bound
	err = m.DB.QueryRowContext(ctx, `SELECT minx, miny, maxx, maxy FROM rtree_`+table+`_geom r JOIN `+table+` t ON t.fid = r.id WHERE t.code = ?`, code).
		Scan(&b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1])
	if errors.Is(err, sql.ErrNoRows) {
		return b, data.Refuse(data.CodeRegionUnknown, "region", data.Term("kind", kind), data.Value("code", code))
	}
	return b, err
}

// RegionBoundary reads the boundary (lon/lat) of the region or grid with
// this code.
func (m *Mirror) RegionBoundary(ctx context.Context, code string) (orb.MultiPolygon, error) {
	table, kind, err := regionTable(code)
	if err != nil {
		return nil, err
	}
	var gb []byte
	err = m.DB.QueryRowContext(ctx, `SELECT geom FROM `+table+` WHERE code = ?`, code).Scan(&gb)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, data.Refuse(data.CodeRegionUnknown, "region", data.Term("kind", kind), data.Value("code", code))
	}
	if err != nil {
		return nil, err
	}
	mp, err := multiPolygon(gb)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", table, code, err)
	}
	return mp, nil
}

// LoadOverlay reads one overlay layer. Events are the open cases, classed
// by their clock at asOf (none, running, warning, overdue); dispatch is a
// line from each unit on a case to the case.
func (m *Mirror) LoadOverlay(ctx context.Context, layer string, asOf time.Time) ([]data.MapFeature, error) {
	switch layer {
	case "events":
		return m.caseMarkers(ctx, asOf)
	case "dispatch":
		return m.dispatchLines(ctx)
	}
	q := map[string]string{
		"centers":       `SELECT code, level, geom FROM centers ORDER BY fid`,
		"cameras":       `SELECT code, status, geom FROM cameras ORDER BY fid`,
		"checkpoints":   `SELECT code, status, geom FROM checkpoints ORDER BY fid`,
		"patrol_routes": `SELECT code, shift, geom FROM patrol_routes ORDER BY fid`,
	}[layer]
	if q == "" {
		return nil, fmt.Errorf("no overlay layer %q", layer)
	}
	rows, err := m.DB.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.MapFeature
	var gb sql.RawBytes
	for rows.Next() {
		var f data.MapFeature
		if err := rows.Scan(&f.Code, &f.Class, &gb); err != nil {
			return nil, err
		}
		if f.Geom, err = gpkg.DecodeGeom(gb); err != nil {
			return nil, fmt.Errorf("%s %s: %w", layer, f.Code, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ActiveOrderGrids maps each grid that a running order names as a target,
// directly or through a unit stationed in it, to the state of most concern:
// overdue wins over the others.
func (m *Mirror) ActiveOrderGrids(ctx context.Context) (map[string]data.OrderState, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT coalesce(u.grid_code, t.target_code), o.state
		FROM order_targets t JOIN orders o ON o.uid = t.order_uid
		LEFT JOIN units u ON t.target_kind = 'unit' AND u.code = t.target_code
		WHERE o.state IN `+runningOrders+` AND t.target_kind IN ('grid','unit')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]data.OrderState{}
	for rows.Next() {
		var g string
		var state data.OrderState
		if err := rows.Scan(&g, &state); err != nil {
			return nil, err
		}
		if out[g] != data.OrderOverdue {
			out[g] = state
		}
	}
	return out, rows.Err()
}
