package mirror

import (
	"context"
	"fmt"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// RegionSummaries lists the city, its districts, streets and communities
// (each level in code order) with their grid and open/overdue event counts
// as of asOf. Codes nest by prefix, so a grid counts towards every region
// whose code starts its own.
func (m *Mirror) RegionSummaries(ctx context.Context, asOf time.Time) ([]data.RegionSummary, error) {
	events, err := m.EventsByGrid(ctx, asOf)
	if err != nil {
		return nil, err
	}
	grids := map[string]int{}
	rows, err := m.DB.QueryContext(ctx, `SELECT code FROM grids`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			rows.Close()
			return nil, err
		}
		for _, n := range []int{4, 6, 9, 12} {
			grids[g[:n]]++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	open, overdue := map[string]int{}, map[string]int{}
	for g, e := range events {
		for _, n := range []int{4, 6, 9, 12} {
			open[g[:n]] += e.Open
			overdue[g[:n]] += e.Overdue
		}
	}
	var out []data.RegionSummary
	parents := [...]string{"NULL", "city_code", "district_code", "street_code"}
	for _, lv := range data.Levels {
		rows, err := m.DB.QueryContext(ctx, fmt.Sprintf(`SELECT code, name, pinyin, %s FROM %s ORDER BY code`, parents[lv], levelTable(lv)))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r data.RegionSummary
			var parent *string
			if err := rows.Scan(&r.Code, &r.Name, &r.Pinyin, &parent); err != nil {
				rows.Close()
				return nil, err
			}
			if parent != nil {
				r.Parent = *parent
			}
			r.Level, r.Grids, r.Open, r.Overdue = lv, grids[r.Code], open[r.Code], overdue[r.Code]
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StatusBoard is the status of the regions directly below parent: the
// districts for a city code (or ""), the streets of a district, the
// communities of a street.
func (m *Mirror) StatusBoard(ctx context.Context, parent string, asOf time.Time) ([]data.BoardRow, error) {
	var child data.Level
	switch len(parent) {
	case 0, 4:
		child = data.LevelDistrict
	case 6:
		child = data.LevelStreet
	case 9:
		child = data.LevelCommunity
	default:
		return nil, fmt.Errorf("status board: %q is not a city, district or street code", parent)
	}
	n := child.CodeLength()
	byCode := map[string]*data.BoardRow{}
	var out []*data.BoardRow
	rows, err := m.DB.QueryContext(ctx, `SELECT code, name FROM `+levelTable(child)+` WHERE code LIKE ? || '%' ORDER BY code`, parent)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r := &data.BoardRow{}
		if err := rows.Scan(&r.Code, &r.Name); err != nil {
			rows.Close()
			return nil, err
		}
		byCode[r.Code] = r
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	at := gpkg.Time{Time: asOf}
	queries := []struct {
		sql  string
		args []any
		dest func(r *data.BoardRow) []any
	}{
		{`SELECT substr(grid_code, 1, ?1) k,
			count(*) FILTER (WHERE state IN ` + openStates + `),
			count(*) FILTER (WHERE state IN ` + openStates + ` AND deadline < ?3),
			count(*) FILTER (WHERE closed_at IS NOT NULL AND deadline IS NOT NULL),
			count(*) FILTER (WHERE closed_at IS NOT NULL AND deadline IS NOT NULL AND closed_at <= deadline)
			FROM events WHERE grid_code LIKE ?2 || '%' GROUP BY k`, []any{n, parent, at},
			func(r *data.BoardRow) []any { return []any{&r.Open, &r.Overdue, &r.Closed, &r.OnTime} }},
		{`SELECT substr(grid_code, 1, ?1) k, count(*) FILTER (WHERE status = 'available'),
			count(*) FILTER (WHERE status = 'dispatched')
			FROM units WHERE grid_code LIKE ?2 || '%' GROUP BY k`, []any{n, parent},
			func(r *data.BoardRow) []any { return []any{&r.UnitsAvailable, &r.UnitsDispatched} }},
	}
	for _, q := range queries {
		rows, err := m.DB.QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			scanned := &data.BoardRow{}
			if err := rows.Scan(append([]any{&k}, q.dest(scanned)...)...); err != nil {
				rows.Close()
				return nil, err
			}
			if r := byCode[k]; r != nil {
				addCounts(r, scanned)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	res := make([]data.BoardRow, len(out))
	for i, r := range out {
		res[i] = *r
	}
	return res, nil
}

// addCounts adds the counts of src to dst: each query fills its own
// fields of src, the rest stay zero.
func addCounts(dst, src *data.BoardRow) {
	dst.Open += src.Open
	dst.Overdue += src.Overdue
	dst.Closed += src.Closed
	dst.OnTime += src.OnTime
	dst.UnitsAvailable += src.UnitsAvailable
	dst.UnitsDispatched += src.UnitsDispatched
}
