package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/redcotton"
)

// The Red Cotton Index (红棉指数): computed per Beijing day from the
// districts' hourly indicator values (the archive and the values fed) by
// data/redcotton, kept in red_cotton_index, read as a day's ranking or a
// district's trend. See docs/red-cotton-index.md.

// RedCottonRow is one district's index on one day (or a street's: then
// Score.District is the street's code).
type RedCottonRow struct {
	Day  string // YYYY-MM-DD, Beijing
	Name string // the district's (the street's)
	redcotton.Score
}

// dayLayout is the form of a Beijing day in the tables.
const dayLayout = "2006-01-02"

// ParseDay reads a Beijing day, YYYY-MM-DD, as its midnight.
func ParseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(dayLayout, s, data.BeijingTime)
	if err != nil {
		return t, fmt.Errorf("%q is not a day (YYYY-MM-DD)", s)
	}
	return t, nil
}

// ComputeRedCotton computes the index of every day from first to last
// (YYYY-MM-DD, Beijing days) from the mirror's indicator values and
// replaces those days' rows, all in one transaction; it returns the rows
// written (a day when no district has every dimension has none). The
// streets' index of those days is computed with it, from the values fed for
// streets (red_cotton_street_index); their rows count too.
func (m *Mirror) ComputeRedCotton(ctx context.Context, def *redcotton.Definition, first, last string) (int, error) {
	var n int
	err := m.update(ctx, func(tx *sql.Tx) (err error) {
		n, err = WriteRedCotton(ctx, tx, def, first, last)
		return err
	})
	return n, err
}

// WriteRedCotton is ComputeRedCotton inside the caller's transaction (the
// demo's build).
func WriteRedCotton(ctx context.Context, tx *sql.Tx, def *redcotton.Definition, first, last string) (int, error) {
	days, err := redCottonDays(first, last)
	if err != nil {
		return 0, err
	}
	inputs, err := redCottonInputs(ctx, tx, def, days)
	if err != nil {
		return 0, err
	}
	streets, err := redCottonInputsOf(ctx, tx, def, days, true)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range []struct {
		table, code string
		inputs      [][]redcotton.DistrictInput
	}{{"red_cotton_index", "district_code", inputs}, {"red_cotton_street_index", "street_code", streets}} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.table+` WHERE day BETWEEN ? AND ?`, first, last); err != nil {
			return 0, err
		}
		b := NewBatcher(tx, t.table, t.code, "day", "safety", "rule_of_law", "services", "harmony", "participation",
			"composite", "rank")
		for i, day := range days {
			for _, s := range redcotton.Compute(def, t.inputs[i]).Scores {
				d := s.Dimensions
				if err := b.Add(s.District, day, d[redcotton.Safety], d[redcotton.RuleOfLaw], d[redcotton.Services], d[redcotton.Harmony],
					d[redcotton.Participation], s.Composite, s.Rank); err != nil {
					return 0, err
				}
				n++
			}
		}
		if err := b.Flush(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// RedCottonInputs are the districts' inputs to the index on a day, as
// ComputeRedCotton reads them: every district with its grids and, for each
// input of def, the day's 24 hours — the archive's value and any values
// fed for the district within the hour, their mean where there are
// several.
func (m *Mirror) RedCottonInputs(ctx context.Context, def *redcotton.Definition, day string) ([]redcotton.DistrictInput, error) {
	days, err := redCottonDays(day, day)
	if err != nil {
		return nil, err
	}
	in, err := redCottonInputs(ctx, m.DB, def, days)
	if err != nil {
		return nil, err
	}
	return in[0], nil
}

// RedCottonStreetInputs are the streets' inputs to their index on a day:
// every street with its grids and, for each input of def, the day's 24
// hours of the values fed for the street (their mean within an hour).
func (m *Mirror) RedCottonStreetInputs(ctx context.Context, def *redcotton.Definition, day string) ([]redcotton.DistrictInput, error) {
	days, err := redCottonDays(day, day)
	if err != nil {
		return nil, err
	}
	in, err := redCottonInputsOf(ctx, m.DB, def, days, true)
	if err != nil {
		return nil, err
	}
	return in[0], nil
}

// redCottonDays are the days from first to last.
func redCottonDays(first, last string) ([]string, error) {
	a, err := ParseDay(first)
	if err != nil {
		return nil, err
	}
	b, err := ParseDay(last)
	if err != nil {
		return nil, err
	}
	if b.Before(a) {
		return nil, fmt.Errorf("the days run from %s to %s: the last is before the first", first, last)
	}
	var out []string
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(dayLayout))
	}
	return out, nil
}

// hourAcc gathers an hour's values.
type hourAcc struct {
	sum [24]float64
	n   [24]int
}

// redCottonInputs reads the inputs of each of days (in order): every
// district, its grids, and the hours of def's indicators from the archive
// and the values fed.
func redCottonInputs(ctx context.Context, q querier, def *redcotton.Definition, days []string) ([][]redcotton.DistrictInput, error) {
	return redCottonInputsOf(ctx, q, def, days, false)
}

// redCottonInputsOf is redCottonInputs of the districts, or of the streets
// (streets: the values fed for them only; the archive has districts).
func redCottonInputsOf(ctx context.Context, q querier, def *redcotton.Definition, days []string, streets bool) ([][]redcotton.DistrictInput, error) {
	table, width := "districts", 6
	if streets {
		table, width = "streets", 9
	}
	grids := map[string]int{}
	if err := groupCounts(ctx, q, grids, `SELECT substr(code, 1, `+strconv.Itoa(width)+`), count(*) FROM grids GROUP BY 1`); err != nil {
		return nil, err
	}
	districts, err := queryColumn[string](ctx, q, `SELECT code FROM `+table+` ORDER BY code`)
	if err != nil {
		return nil, err
	}
	// The inputs' ids in this mirror (an indicator it lacks has no values).
	idOf := map[string]int{}
	if err := groupCounts(ctx, q, idOf, `SELECT code, id FROM indicator_defs`); err != nil {
		return nil, err
	}
	codes := map[int]string{}
	var ids []string
	for _, in := range def.Inputs {
		if id, ok := idOf[in.Indicator]; ok {
			codes[id] = in.Indicator
			ids = append(ids, strconv.Itoa(id))
		}
	}
	type key struct {
		day, district, code string
	}
	hours := map[key]*hourAcc{}
	add := func(k key, hour int, v float64) {
		a := hours[k]
		if a == nil {
			a = &hourAcc{}
			hours[k] = a
		}
		a.sum[hour] += v
		a.n[hour]++
	}
	if len(ids) > 0 && !streets {
		first, last := days[0], days[len(days)-1]
		// The archive: a row per indicator, district and day.
		rows, err := q.QueryContext(ctx, `SELECT indicator_id, district_code, day, hourly FROM indicator_values
			WHERE indicator_id IN (`+strings.Join(ids, ",")+`) AND day BETWEEN ? AND ?`, first, last)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int
			var district, day, hourly string
			if err := rows.Scan(&id, &district, &day, &hourly); err != nil {
				_ = rows.Close()
				return nil, err
			}
			k := key{day, district, codes[id]}
			for h, f := range strings.Split(strings.Trim(hourly, "[] \n"), ",") {
				f = strings.TrimSpace(f)
				if h >= 24 || f == "null" || f == "" {
					continue
				}
				v, err := strconv.ParseFloat(f, 64)
				if err != nil {
					_ = rows.Close()
					return nil, fmt.Errorf("indicator %d, %s, %s: %w", id, district, day, err)
				}
				add(k, h, v)
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	if len(ids) > 0 {
		// The values fed for a district (a street), within the days.
		start, _ := ParseDay(days[0])
		end, _ := ParseDay(days[len(days)-1])
		rows, err := q.QueryContext(ctx, `SELECT indicator_id, region_code, at, value FROM indicator_readings
			WHERE indicator_id IN (`+strings.Join(ids, ",")+`) AND length(region_code) = ? AND at >= ? AND at < ?`,
			width, gpkg.Time{Time: start}, gpkg.Time{Time: end.AddDate(0, 0, 1)})
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int
			var district string
			var at gpkg.Time
			var v float64
			if err := rows.Scan(&id, &district, &at, &v); err != nil {
				_ = rows.Close()
				return nil, err
			}
			local := at.Time.In(data.BeijingTime)
			add(key{local.Format(dayLayout), district, codes[id]}, local.Hour(), v)
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	out := make([][]redcotton.DistrictInput, len(days))
	for i, day := range days {
		out[i] = make([]redcotton.DistrictInput, len(districts))
		for j, d := range districts {
			in := redcotton.DistrictInput{Code: d, Grids: grids[d], Hours: map[string]redcotton.Hours{}}
			for _, code := range codes {
				a := hours[key{day, d, code}]
				if a == nil {
					continue
				}
				h := redcotton.NoHours()
				for k := range h {
					if a.n[k] > 0 {
						h[k] = a.sum[k] / float64(a.n[k])
					}
				}
				in.Hours[code] = h
			}
			out[i][j] = in
		}
	}
	return out, nil
}

// RedCottonDays are the first and last days the index has ("" when it has
// none).
func (m *Mirror) RedCottonDays(ctx context.Context) (first, last string, err error) {
	var a, b sql.NullString
	err = m.DB.QueryRowContext(ctx, `SELECT min(day), max(day) FROM red_cotton_index`).Scan(&a, &b)
	return a.String, b.String, err
}

// RedCottonRanking is the index of a day (YYYY-MM-DD, Beijing), rank 1
// first; empty when the day has none.
func (m *Mirror) RedCottonRanking(ctx context.Context, day string) ([]RedCottonRow, error) {
	if _, err := ParseDay(day); err != nil {
		return nil, err
	}
	return m.redCottonRows(ctx, `r.day = ? ORDER BY r.rank`, day)
}

// RedCottonStreetRanking is the streets' index of a day (YYYY-MM-DD,
// Beijing), rank 1 first, each row named by its street; empty when no
// street was scored that day.
func (m *Mirror) RedCottonStreetRanking(ctx context.Context, day string) ([]RedCottonRow, error) {
	if _, err := ParseDay(day); err != nil {
		return nil, err
	}
	return m.redCottonRowsOf(ctx, "red_cotton_street_index", "street_code", "streets", `r.day = ? ORDER BY r.rank`, day)
}

// RedCottonTrend is a district's index over the last days days the index
// has (those up to its latest day), oldest first; days without a row for
// the district are absent. An unknown district is refused.
func (m *Mirror) RedCottonTrend(ctx context.Context, district string, days int) ([]RedCottonRow, error) {
	return m.RedCottonTrendTo(ctx, district, "", days)
}

// RedCottonTrendTo is RedCottonTrend over the days days up to last
// (YYYY-MM-DD; "": the index's latest day).
func (m *Mirror) RedCottonTrendTo(ctx context.Context, district, last string, days int) ([]RedCottonRow, error) {
	var n int
	if err := m.DB.QueryRowContext(ctx, `SELECT count(*) FROM districts WHERE code = ?`, district).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, data.Refuse(data.CodeRegionUnknown, "district", data.Term("kind", data.LevelDistrict.String()), data.Value("code", district))
	}
	if last == "" {
		var err error
		if _, last, err = m.RedCottonDays(ctx); err != nil || last == "" {
			return nil, err
		}
	}
	end, err := ParseDay(last)
	if err != nil {
		return nil, err
	}
	first := end.AddDate(0, 0, 1-max(days, 1)).Format(dayLayout)
	return m.redCottonRows(ctx, `r.district_code = ? AND r.day BETWEEN ? AND ? ORDER BY r.day`, district, first, last)
}

// redCottonRows reads rows of the index with their districts' names.
func (m *Mirror) redCottonRows(ctx context.Context, where string, args ...any) ([]RedCottonRow, error) {
	return m.redCottonRowsOf(ctx, "red_cotton_index", "district_code", "districts", where, args...)
}

// redCottonRowsOf reads rows of an index table keyed by code, named from
// regions.
func (m *Mirror) redCottonRowsOf(ctx context.Context, table, code, regions, where string, args ...any) ([]RedCottonRow, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT r.day, r.`+code+`, d.name, r.safety, r.rule_of_law, r.services, r.harmony,
		r.participation, r.composite, r.rank FROM `+table+` r JOIN `+regions+` d ON d.code = r.`+code+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RedCottonRow
	for rows.Next() {
		var r RedCottonRow
		d := &r.Dimensions
		if err := rows.Scan(&r.Day, &r.District, &r.Name, &d[redcotton.Safety], &d[redcotton.RuleOfLaw], &d[redcotton.Services],
			&d[redcotton.Harmony], &d[redcotton.Participation], &r.Composite, &r.Rank); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
