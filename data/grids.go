package data

import (
	"database/sql"
	"fmt"

	"github.com/paulmach/orb"
)

// LoadGrids reads every grid, geometry and attributes, into memory: what the
// map engine draws from.
func (m *Mirror) LoadGrids() ([]Grid, error) {
	var n int
	if err := m.DB.QueryRow(`SELECT count(*) FROM grids`).Scan(&n); err != nil {
		return nil, err
	}
	rows, err := m.DB.Query(`SELECT fid, code, community_code, kind, area_m2, population, households, geom FROM grids ORDER BY fid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Grid, 0, n)
	var gb sql.RawBytes
	for rows.Next() {
		var g Grid
		if err := rows.Scan(&g.FID, &g.Code, &g.CommunityCode, &g.Kind, &g.AreaM2, &g.Population, &g.Households, &gb); err != nil {
			return nil, err
		}
		geom, err := DecodeGeom(gb)
		if err != nil {
			return nil, fmt.Errorf("grid %s: %w", g.Code, err)
		}
		mp, ok := geom.(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("grid %s: geometry is %s, want MultiPolygon", g.Code, geom.GeoJSONType())
		}
		g.Boundary = mp
		out = append(out, g)
	}
	return out, rows.Err()
}

// GridLookup finds grids by code with one prepared statement, for the hot
// paths of the console (hover, search).
type GridLookup struct{ stmt *sql.Stmt }

// NewGridLookup prepares the lookup; Close it when done.
func (m *Mirror) NewGridLookup() (*GridLookup, error) {
	st, err := m.DB.Prepare(`SELECT fid, code, community_code, kind, area_m2, population, households FROM grids WHERE code = ?`)
	return &GridLookup{st}, err
}

// Close releases the statement.
func (l *GridLookup) Close() error { return l.stmt.Close() }

// Grid returns the grid's attributes (without its boundary), or
// sql.ErrNoRows.
func (l *GridLookup) Grid(code string) (Grid, error) {
	var g Grid
	err := l.stmt.QueryRow(code).Scan(&g.FID, &g.Code, &g.CommunityCode, &g.Kind, &g.AreaM2, &g.Population, &g.Households)
	return g, err
}

// GridsInBox returns the fids of the grids whose bounds meet the box, through
// the GeoPackage R-tree.
func (m *Mirror) GridsInBox(b orb.Bound) ([]int64, error) {
	rows, err := m.DB.Query(`SELECT id FROM rtree_grids_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?`,
		b.Min[0], b.Max[0], b.Min[1], b.Max[1])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
