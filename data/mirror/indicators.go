package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// Indicators (issue 11): the catalogue as the mirror holds it, each
// series' latest value (the hourly archive of the districts, the values fed
// since), its baseline, and how it stands.

// IndicatorDefs reads the mirror's indicator definitions, by ID.
func (m *Mirror) IndicatorDefs(ctx context.Context) ([]data.Indicator, error) {
	return indicatorDefs(ctx, m.DB)
}

func indicatorDefs(ctx context.Context, q querier) ([]data.Indicator, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, category, name_zh, name_en, unit, direction, rollup, threshold, warn, alarm,
		hysteresis, refresh_seconds, source FROM indicator_defs ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Indicator
	for rows.Next() {
		var d data.Indicator
		var refresh int64
		if err := rows.Scan(&d.ID, &d.Code, &d.Category, &d.NameZh, &d.NameEn, &d.Unit, &d.Direction, &d.Rollup, &d.Threshold,
			&d.Warn, &d.Alarm, &d.Hysteresis, &refresh, &d.Source); err != nil {
			return nil, err
		}
		d.Refresh = time.Duration(refresh) * time.Second
		out = append(out, d)
	}
	return out, rows.Err()
}

// MinBaselineDays is how many of the seven days before must have a value
// at the hour for a baseline: fewer say too little of what is usual.
const MinBaselineDays = 3

// series is one indicator in one region.
type series struct {
	id     int
	region string
}

// sample is a series' value at an instant, with its baseline (NaN: none).
type sample struct {
	at       time.Time
	value    float64
	baseline float64
	rolledUp bool // the city's, made of its districts'
	// firstFed is when the series' first value was fed (a fed sample's):
	// no baseline can be found before MinBaselineDays days of them.
	firstFed time.Time
	judged   bool // its baseline was looked for (NaN: none found)
}

// archiveCache keeps the districts' latest archived values with their
// baselines, worked out from the hourly archive once per hour of the
// clock and archive generation: reading seven days of it takes tens of
// milliseconds, and it changes only when the archive is written.
type archiveCache struct {
	mu   sync.Mutex
	gen  int64
	key  string // the local hour of now it was made for
	kept map[series]sample
	// db, when set, reads the week's baselines on a connection of its own
	// while the archive's latest values are read (a cold evaluation's two
	// long reads, side by side on two cores).
	db *sql.DB
}

// dayHour is a Beijing day and an hour of it.
type dayHour struct {
	day  string
	hour int
}

// latestSamples are every series' latest value at or before now: the
// districts' from the hourly archive, any region's from the values fed
// (the later wins), and the city's — where nothing was fed for it — the
// rollup of its districts' at their latest common hour. Baselines are the
// mean of the same hour of day over the seven days before, from the same
// sources, for the baseline indicators.
func latestSamples(ctx context.Context, q querier, defs []data.Indicator, now time.Time, cache *archiveCache) (map[series]sample, error) {
	byID := map[int]*data.Indicator{}
	for i := range defs {
		byID[defs[i].ID] = &defs[i]
	}
	archived, err := cache.samples(ctx, q, byID, now)
	if err != nil {
		return nil, err
	}
	out := maps.Clone(archived)
	// Values fed: each series' latest up to now — the one the trigger kept
	// (a row per series, however many were fed), or for a series whose
	// latest lies past now, the last one before it.
	rows, err := q.QueryContext(ctx, `SELECT l.indicator_id, l.region_code,
		CASE WHEN l.at <= ?1 THEN l.at ELSE (SELECT max(r.at) FROM indicator_readings r
			WHERE r.indicator_id = l.indicator_id AND r.region_code = l.region_code AND r.at <= ?1) END AS at2,
		CASE WHEN l.at <= ?1 THEN l.value ELSE (SELECT r.value FROM indicator_readings r
			WHERE r.indicator_id = l.indicator_id AND r.region_code = l.region_code AND r.at <= ?1 ORDER BY r.at DESC LIMIT 1) END,
		+l.first_at
		FROM indicator_latest l`, gpkg.Time{Time: now})
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s series
		var at, first gpkg.NullTime
		var v sql.NullFloat64
		if err := rows.Scan(&s.id, &s.region, &at, &v, &first); err != nil {
			_ = rows.Close()
			return nil, err
		}
		if !at.Valid || !v.Valid {
			continue // fed only ahead of now
		}
		if old, ok := out[s]; !ok || at.Time.After(old.at) {
			out[s] = sample{at: at.Time, value: v.Float64, baseline: math.NaN(), firstFed: first.Time}
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	// The city, from its districts, where nothing was fed for it.
	city, err := queryColumn[string](ctx, q, `SELECT code FROM cities LIMIT 1`)
	if err != nil {
		return nil, err
	}
	c := ""
	if len(city) == 1 {
		c = city[0]
		rollupCity(out, byID, c)
	}
	// Baselines: the same hour of day on each of the seven days before.
	return out, baselines(ctx, q, byID, out, c, nil)
}

// samples are the districts' latest archived values up to now with their
// baselines, from the cache while the archive and the hour are the same.
func (c *archiveCache) samples(ctx context.Context, q querier, byID map[int]*data.Indicator, now time.Time) (map[series]sample, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gen, err := queryColumn[int64](ctx, q, `SELECT gen FROM kapok_count_gens WHERE name = 'indicator_archive'`)
	if err != nil {
		return nil, err
	}
	key := now.In(data.BeijingTime).Format("2006-01-02T15")
	if c.kept != nil && len(gen) == 1 && gen[0] == c.gen && key == c.key {
		return c.kept, nil
	}
	// The archive's latest values are almost always at now's hour: the
	// week's means for that hour are read meanwhile, and used when so.
	local := now.In(data.BeijingTime)
	guess := dayHour{local.Format("2006-01-02"), local.Hour()}
	var pre map[dayHour]map[series]float64
	var preErr error
	done := make(chan struct{})
	if c.db != nil {
		go func() {
			defer close(done)
			var means map[series]float64
			if means, preErr = weekMeans(ctx, c.db, byID, guess); preErr == nil {
				pre = map[dayHour]map[series]float64{guess: means}
			}
		}()
	} else {
		close(done)
	}
	out, err := archiveSamples(ctx, q, now)
	<-done
	if err != nil {
		return nil, err
	}
	if preErr != nil {
		return nil, preErr
	}
	if err := baselines(ctx, q, byID, out, "", pre); err != nil {
		return nil, err
	}
	if len(gen) == 1 {
		c.gen, c.key, c.kept = gen[0], key, out
	}
	return out, nil
}

// archiveSamples are the districts' latest values in the hourly archive up
// to now.
func archiveSamples(ctx context.Context, q querier, now time.Time) (map[series]sample, error) {
	out := map[series]sample{}
	local := now.In(data.BeijingTime)
	today := local.Format("2006-01-02")
	// Today's row per series (the day before's, when today has no value
	// yet), its last value up to now's hour. The rows' arrays are split
	// here: SQLite's JSON functions over them took most of the time.
	rows, err := q.QueryContext(ctx, `SELECT indicator_id, district_code, day, hourly FROM indicator_values
		WHERE day IN (?1, date(?1, '-1 day'))`, today)
	if err != nil {
		return nil, err
	}
	lastDay := map[series]string{}
	days := map[string]time.Time{}
	for rows.Next() {
		var s series
		var day, hourly string
		if err := rows.Scan(&s.id, &s.region, &day, &hourly); err != nil {
			_ = rows.Close()
			return nil, err
		}
		if d, ok := lastDay[s]; ok && d > day {
			continue
		}
		upTo := 23
		if day == today {
			upTo = local.Hour()
		}
		hour, v, ok, err := lastValue(hourly, upTo)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("indicator %d, %s, %s: %w", s.id, s.region, day, err)
		}
		if !ok {
			continue
		}
		at, seen := days[day]
		if !seen {
			if at, err = time.ParseInLocation("2006-01-02", day, data.BeijingTime); err != nil {
				_ = rows.Close()
				return nil, err
			}
			days[day] = at
		}
		lastDay[s] = day
		out[s] = sample{at: at.Add(time.Duration(hour) * time.Hour), value: v, baseline: math.NaN()}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	return out, nil
}

// lastValue is the last value (not null) of a day's JSON array of 24 at
// or before hour upTo, and its hour.
func lastValue(hourly string, upTo int) (int, float64, bool, error) {
	// Walked field by field without splitting: an evaluation reads some
	// 20,000 of these arrays, and the slices Split made were most of it.
	body := strings.Trim(hourly, "[] \n")
	last, lastField := -1, ""
	for h := 0; h <= upTo && body != ""; h++ {
		field, rest, _ := strings.Cut(body, ",")
		if f := strings.TrimSpace(field); f != "null" && f != "" {
			last, lastField = h, f
		}
		body = rest
	}
	if last < 0 {
		return 0, 0, false, nil
	}
	v, err := strconv.ParseFloat(lastField, 64)
	return last, v, err == nil, err
}

// rollupCity adds the city's value of each indicator that has none of its
// own: the sum or mean of the districts' values at the latest instant all
// of them have reached.
func rollupCity(out map[series]sample, byID map[int]*data.Indicator, city string) {
	type acc struct {
		n     int
		sum   float64
		first time.Time
	}
	accs := map[int]*acc{}
	for s, v := range out {
		if len(s.region) != 6 || !strings.HasPrefix(s.region, city) {
			continue
		}
		a := accs[s.id]
		if a == nil {
			a = &acc{first: v.at}
			accs[s.id] = a
		}
		a.n++
		a.sum += v.value
		if v.at.Before(a.first) {
			a.first = v.at
		}
	}
	for id, a := range accs {
		d := byID[id]
		s := series{id, city}
		if _, own := out[s]; own || d == nil {
			continue
		}
		v := a.sum
		if d.Rollup == data.RollupMean {
			v /= float64(a.n)
		}
		out[s] = sample{at: a.first, value: v, baseline: math.NaN(), rolledUp: true}
	}
}

// baselines fills the baseline of each baseline indicator's sample: the
// mean of its values at the same hour of day on the seven days before —
// from the hourly archive for a district, as the rollup of its districts'
// baselines for a city rolled up from them, and from the values fed within
// half an hour of that time of day otherwise.
// pre holds the week's means already read for a (day, hour), if any.
func baselines(ctx context.Context, q querier, byID map[int]*data.Indicator, out map[series]sample, city string,
	pre map[dayHour]map[series]float64) error {
	// Those of baseline indicators not looked for yet.
	wanted := func(s series) bool {
		d := byID[s.id]
		return d != nil && d.Threshold == data.ThresholdBaseline && !out[s].judged
	}
	// Districts, grouped by the (day, hour) their latest sample is at.
	groups := map[dayHour][]series{}
	for s, v := range out {
		if wanted(s) && len(s.region) == 6 {
			l := v.at.In(data.BeijingTime)
			k := dayHour{l.Format("2006-01-02"), l.Hour()}
			groups[k] = append(groups[k], s)
		}
	}
	for k, ss := range groups {
		mean, ok := pre[k]
		if !ok {
			var err error
			if mean, err = weekMeans(ctx, q, byID, k); err != nil {
				return err
			}
		}
		for _, s := range ss {
			v := out[s]
			if b, ok := mean[s]; ok {
				v.baseline = b
			}
			v.judged = true
			out[s] = v
		}
	}
	// Others: the city rolled up, or the values fed.
	for s, v := range out {
		if !wanted(s) || len(s.region) == 6 {
			continue
		}
		v.judged = true
		if s.region == city && v.rolledUp {
			v.baseline = cityBaseline(out, byID[s.id], city)
			out[s] = v
			continue
		}
		// Fed too recently for MinBaselineDays days of the same hour: none
		// to look for (a street fed once a day would cost a query a series
		// on every evaluation).
		if !v.firstFed.IsZero() && v.firstFed.After(v.at.AddDate(0, 0, -MinBaselineDays).Add(30*time.Minute)) {
			out[s] = v
			continue
		}
		var args []any
		var cond []string
		for k := 1; k <= 7; k++ {
			t := v.at.AddDate(0, 0, -k)
			cond = append(cond, `at BETWEEN ? AND ?`)
			args = append(args, gpkg.Time{Time: t.Add(-30 * time.Minute)}, gpkg.Time{Time: t.Add(30 * time.Minute)})
		}
		// The days with a value near that time, each day's mean, then
		// their mean.
		var b sql.NullFloat64
		var days int
		if err := q.QueryRowContext(ctx, `SELECT avg(v), count(*) FROM (SELECT avg(value) AS v FROM indicator_readings
			WHERE indicator_id = ? AND region_code = ? AND (`+strings.Join(cond, " OR ")+`) GROUP BY substr(at, 1, 10))`,
			append([]any{s.id, s.region}, args...)...).Scan(&b, &days); err != nil {
			return err
		}
		if b.Valid && days >= MinBaselineDays {
			v.baseline = b.Float64
		}
		out[s] = v
	}
	return nil
}

// weekMeans are the districts' baselines at a (day, hour): the mean of
// each baseline indicator's archived value at that hour on the seven days
// before (of at least MinBaselineDays of them).
func weekMeans(ctx context.Context, q querier, byID map[int]*data.Indicator, k dayHour) (map[series]float64, error) {
	// Only the baseline indicators' rows are read (119 of the 211).
	var ids []int
	for id, d := range byID {
		if d.Threshold == data.ThresholdBaseline {
			ids = append(ids, id)
		}
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// The arrays are walked here, as in archiveSamples.
	rows, err := q.QueryContext(ctx, `SELECT indicator_id, district_code, hourly FROM indicator_values
		WHERE indicator_id IN (SELECT value FROM json_each(?2)) AND district_code IN (SELECT code FROM districts)
		AND day BETWEEN date(?1, '-7 day') AND date(?1, '-1 day')`, k.day, string(idList))
	if err != nil {
		return nil, err
	}
	type acc struct {
		n   int
		sum float64
	}
	sums := map[series]acc{}
	for rows.Next() {
		var s series
		var hourly string
		if err := rows.Scan(&s.id, &s.region, &hourly); err != nil {
			_ = rows.Close()
			return nil, err
		}
		h, v, ok, err := lastValue(hourly, k.hour)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("indicator %d, %s: %w", s.id, s.region, err)
		}
		if ok && h == k.hour {
			a := sums[s]
			sums[s] = acc{a.n + 1, a.sum + v}
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	mean := map[series]float64{}
	for s, a := range sums {
		if a.n >= MinBaselineDays {
			mean[s] = a.sum / float64(a.n)
		}
	}
	return mean, nil
}

// cityBaseline is the rollup of the districts' baselines (NaN when one is
// missing).
func cityBaseline(out map[series]sample, d *data.Indicator, city string) float64 {
	n, sum := 0, 0.0
	for s, v := range out {
		if s.id != d.ID || len(s.region) != 6 || !strings.HasPrefix(s.region, city) {
			continue
		}
		if math.IsNaN(v.baseline) {
			return math.NaN()
		}
		n++
		sum += v.baseline
	}
	if n == 0 {
		return math.NaN()
	}
	if d.Rollup == data.RollupMean {
		return sum / float64(n)
	}
	return sum
}

// Judge is how a sample stands for its indicator given its severity before:
// the ratio to the baseline for baseline indicators (normal without one).
func judge(d *data.Indicator, s sample, before data.Severity) data.Severity {
	if d.Threshold == data.ThresholdBaseline {
		if !(s.baseline > 0) {
			return data.Normal
		}
		return d.Judge(s.value/s.baseline, before)
	}
	return d.Judge(s.value, before)
}
