package data

import (
	"fmt"
	"sort"
	"time"
)

// openStates are the event states that still need handling.
const openStates = `('collected','filed','dispatched','handling','fed_back','returned','parked')`

// RegionSummary is a region of the navigation tree with its status.
type RegionSummary struct {
	Code, Name, Pinyin string
	Level              Level
	Parent             string // code of the region above ("" for the city)
	Grids              int
	Open, Overdue      int // open events in its grids, and those past their deadline
}

// RegionSummaries lists the city, its districts, streets and communities
// (each level in code order) with their grid and open/overdue event counts
// as of asOf. Codes nest by prefix, so a grid counts towards every region
// whose code starts its own.
func (m *Mirror) RegionSummaries(asOf time.Time) ([]RegionSummary, error) {
	events, err := m.EventsByGrid(asOf)
	if err != nil {
		return nil, err
	}
	grids := map[string]int{}
	rows, err := m.DB.Query(`SELECT code FROM grids`)
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
	var out []RegionSummary
	parents := [...]string{"NULL", "city_code", "district_code", "street_code"}
	for lv := LevelCity; lv <= LevelCommunity; lv++ {
		rows, err := m.DB.Query(fmt.Sprintf(`SELECT code, name, pinyin, %s FROM %s ORDER BY code`, parents[lv], lv.Table()))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r RegionSummary
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

// BoardRow is one region's line on the status board.
type BoardRow struct {
	Code, Name      string
	Open, Overdue   int
	Closed, OnTime  int // events closed that had a deadline, and those closed by it
	UnitsAvailable  int
	UnitsDispatched int
}

// OnTimeRate is the share of closed events closed by their deadline, or -1
// when none has closed.
func (r BoardRow) OnTimeRate() float64 {
	if r.Closed == 0 {
		return -1
	}
	return float64(r.OnTime) / float64(r.Closed)
}

// StatusBoard is the status of the regions directly below parent: the
// districts for a city code (or ""), the streets of a district, the
// communities of a street.
func (m *Mirror) StatusBoard(parent string, asOf time.Time) ([]BoardRow, error) {
	var child Level
	switch len(parent) {
	case 0, 4:
		child = LevelDistrict
	case 6:
		child = LevelStreet
	case 9:
		child = LevelCommunity
	default:
		return nil, fmt.Errorf("status board: %q is not a city, district or street code", parent)
	}
	n := child.CodeLength()
	byCode := map[string]*BoardRow{}
	var out []*BoardRow
	rows, err := m.DB.Query(`SELECT code, name FROM `+child.Table()+` WHERE code LIKE ? || '%' ORDER BY code`, parent)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r := &BoardRow{}
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
	at := gpkgTime(&asOf)
	queries := []struct {
		sql  string
		args []any
		dest func(r *BoardRow) []any
	}{
		{`SELECT substr(grid_code, 1, ?1) k,
			count(*) FILTER (WHERE state IN ` + openStates + `),
			count(*) FILTER (WHERE state IN ` + openStates + ` AND deadline < ?3),
			count(*) FILTER (WHERE closed_at IS NOT NULL AND deadline IS NOT NULL),
			count(*) FILTER (WHERE closed_at IS NOT NULL AND deadline IS NOT NULL AND closed_at <= deadline)
			FROM events WHERE grid_code LIKE ?2 || '%' GROUP BY k`, []any{n, parent, at},
			func(r *BoardRow) []any { return []any{&r.Open, &r.Overdue, &r.Closed, &r.OnTime} }},
		{`SELECT substr(grid_code, 1, ?1) k, count(*) FILTER (WHERE status = 'available'),
			count(*) FILTER (WHERE status = 'dispatched')
			FROM units WHERE grid_code LIKE ?2 || '%' GROUP BY k`, []any{n, parent},
			func(r *BoardRow) []any { return []any{&r.UnitsAvailable, &r.UnitsDispatched} }},
	}
	for _, q := range queries {
		rows, err := m.DB.Query(q.sql, q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			scanned := &BoardRow{}
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
	res := make([]BoardRow, len(out))
	for i, r := range out {
		res[i] = *r
	}
	return res, nil
}

// addCounts adds the counts of src to dst: each query fills its own
// fields of src, the rest stay zero.
func addCounts(dst, src *BoardRow) {
	dst.Open += src.Open
	dst.Overdue += src.Overdue
	dst.Closed += src.Closed
	dst.OnTime += src.OnTime
	dst.UnitsAvailable += src.UnitsAvailable
	dst.UnitsDispatched += src.UnitsDispatched
}

// SortBoard sorts rows by a column: "name" (code order), "open", "overdue",
// "ontime", "available", "dispatched"; numbers descending, so the worst or
// busiest region comes first (on-time rate ascending, for the same reason).
func SortBoard(rows []BoardRow, column string) error {
	key := map[string]func(BoardRow) float64{
		"open":       func(r BoardRow) float64 { return -float64(r.Open) },
		"overdue":    func(r BoardRow) float64 { return -float64(r.Overdue) },
		"ontime":     func(r BoardRow) float64 { return r.OnTimeRate() },
		"available":  func(r BoardRow) float64 { return -float64(r.UnitsAvailable) },
		"dispatched": func(r BoardRow) float64 { return -float64(r.UnitsDispatched) },
	}
	if column == "name" {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Code < rows[j].Code })
		return nil
	}
	k, ok := key[column]
	if !ok {
		return fmt.Errorf("status board: no column %q", column)
	}
	sort.SliceStable(rows, func(i, j int) bool { return k(rows[i]) < k(rows[j]) })
	return nil
}
