package mirror

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kapok/data"
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
	regions, err := m.regionList(ctx)
	if err != nil {
		return nil, err
	}
	open, overdue := map[string]int{}, map[string]int{}
	for g, e := range events {
		for _, n := range []int{4, 6, 9, 12} {
			if len(g) >= n {
				open[g[:n]] += e.Open
				overdue[g[:n]] += e.Overdue
			}
		}
	}
	out := make([]data.RegionSummary, len(regions))
	for i, r := range regions {
		r.Open, r.Overdue = open[r.Code], overdue[r.Code]
		out[i] = r
	}
	return out, nil
}

// regionList is every region with its grid count, kept until the regions
// or grids change (the "regions" generation). The slice is shared: callers
// copy what they change.
func (m *Mirror) regionList(ctx context.Context) ([]data.RegionSummary, error) {
	c := &m.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	err := countIfMoved(ctx, m.DB, "regions", &c.regionsAt, c.regions != nil, func(tx querier) error {
		grids := map[string]int{}
		rows, err := tx.QueryContext(ctx, `SELECT code FROM grids`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var g string
			if err := rows.Scan(&g); err != nil {
				rows.Close()
				return err
			}
			for _, n := range []int{4, 6, 9, 12} {
				if len(g) >= n {
					grids[g[:n]]++
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var out []data.RegionSummary
		parents := [...]string{"NULL", "city_code", "district_code", "street_code"}
		for _, lv := range data.Levels {
			rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT code, name, pinyin, %s FROM %s ORDER BY code`, parents[lv], levelTable(lv)))
			if err != nil {
				return err
			}
			for rows.Next() {
				var r data.RegionSummary
				var parent *string
				if err := rows.Scan(&r.Code, &r.Name, &r.Pinyin, &parent); err != nil {
					rows.Close()
					return err
				}
				if parent != nil {
					r.Parent = *parent
				}
				r.Level, r.Grids = lv, grids[r.Code]
				out = append(out, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		c.regions = out
		return nil
	})
	return c.regions, err
}

// StatusBoard is the status of the regions directly below parent: the
// districts for a city code (or ""), the streets of a district, the
// communities of a street.
func (m *Mirror) StatusBoard(ctx context.Context, parent string, asOf time.Time) ([]data.BoardRow, error) {
	if err := checkPrefix(parent); err != nil {
		return nil, err
	}
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
	// Open and overdue cases from the open-state index; what changes seldom
	// (closed cases' punctuality, units per grid) from the mirror's kept
	// counts; the units not available from their partial index.
	events, err := m.EventsByGrid(ctx, asOf)
	if err != nil {
		return nil, err
	}
	closed, err := m.closedByGrid(ctx)
	if err != nil {
		return nil, err
	}
	units, err := m.unitsByGrid(ctx)
	if err != nil {
		return nil, err
	}
	row := func(grid string) *data.BoardRow {
		if len(grid) < n || !strings.HasPrefix(grid, parent) {
			return nil
		}
		return byCode[grid[:n]]
	}
	for g, e := range events {
		if r := row(g); r != nil {
			r.Open += e.Open
			r.Overdue += e.Overdue
		}
	}
	for g, c := range closed {
		if r := row(g); r != nil {
			r.Closed += c.closed
			r.OnTime += c.onTime
		}
	}
	for g, k := range units {
		if r := row(g); r != nil {
			r.UnitsAvailable += k
		}
	}
	busy, err := m.DB.QueryContext(ctx, `SELECT grid_code, status FROM units WHERE status != 'available'`)
	if err != nil {
		return nil, err
	}
	defer busy.Close()
	for busy.Next() {
		var g string
		var st data.UnitStatus
		if err := busy.Scan(&g, &st); err != nil {
			return nil, err
		}
		if r := row(g); r != nil {
			r.UnitsAvailable--
			if st == data.UnitDispatched {
				r.UnitsDispatched++
			}
		}
	}
	if err := busy.Err(); err != nil {
		return nil, err
	}
	unstaffed, err := m.unstaffedCenters(ctx, parent, asOf)
	if err != nil {
		return nil, err
	}
	for _, region := range unstaffed {
		if r := row(region); r != nil {
			r.Unstaffed++
		}
	}
	res := make([]data.BoardRow, len(out))
	for i, r := range out {
		res[i] = *r
	}
	return res, nil
}
