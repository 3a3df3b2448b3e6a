package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// SeriesPoint is one value of a series at an instant.
type SeriesPoint = data.TimeValue

// Series is one indicator's values in one region over a span of time, for
// charts (its data.IndicatorSeries is what app/chart draws): the districts'
// hourly archive and the values fed (the transport group's minute values
// among them) merged in time order.
//
// RegionName and RegionPinyin name the region: its Chinese name, and for
// English its proper name in pinyin ("Tianhe", "Guangzhou": data.RomanName),
// as charts title it. Points are the values from From to To (both
// included), in time order, one per instant: a district's from its hourly
// archive and from the values fed (the archive's where both have one), a
// street's from the values fed, the city's its own values fed and, at the
// instants it has none, its districts' rolled up (summed or averaged by
// Indicator.Rollup) where every district has a value. Baseline is, for a
// baseline indicator, what its thresholds are ratios to, at each whole hour
// from From to To and at To: the mean of the series' value at the same time
// of day on each of the seven days before (the value on that instant, else
// the mean of the values within half an hour of it), where at least
// MinBaselineDays of them have one — as the evaluation takes it. A time
// between two hours has its hour's baseline. Nil for absolute indicators.
type Series struct {
	data.IndicatorSeries
	From, To time.Time
	// RolledUp counts the points that are the districts' rolled up.
	RolledUp int
}

// baselineWindow is how close to the same time of day on a day before a
// value counts for the baseline when none is on that instant (as the
// evaluation's baselines of values fed).
const baselineWindow = 30 * time.Minute

// IndicatorSeries reads the indicator with this code in the region (the
// city, a district or a street; "" for the mirror's city) from from to to.
// An unknown indicator or region is refused; a series without values in
// the span has no points. Archive and values fed are read in one
// statement, so in one snapshot.
func (m *Mirror) IndicatorSeries(ctx context.Context, code, region string, from, to time.Time) (Series, error) {
	if region == "" {
		city, err := queryColumn[string](ctx, m.DB, `SELECT code FROM cities ORDER BY code LIMIT 1`)
		if err != nil {
			return Series{}, err
		}
		if len(city) == 0 {
			return Series{}, errors.New("the mirror has no city")
		}
		region = city[0]
	}
	s := Series{IndicatorSeries: data.IndicatorSeries{Region: region}, From: from, To: to}
	if to.Before(from) {
		return s, fmt.Errorf("series of %s in %s: the end %s is before the start %s", code, region, gpkg.FormatTime(to), gpkg.FormatTime(from))
	}
	defs, err := indicatorDefs(ctx, m.DB)
	if err != nil {
		return s, err
	}
	i := slices.IndexFunc(defs, func(d data.Indicator) bool { return d.Code == code })
	if i < 0 {
		return s, &data.InputError{File: "indicators", Reason: fmt.Sprintf("no indicator %q", code)}
	}
	s.Indicator = defs[i]
	l, ok := data.LevelOfCode(region)
	if !ok || l > data.LevelStreet {
		return s, &data.InputError{File: "region", Reason: fmt.Sprintf("%q is not a city, district or street code (indicators are measured for those)", region)}
	}
	err = m.DB.QueryRowContext(ctx, `SELECT name FROM `+levelTable(l)+` WHERE code = ?`, region).Scan(&s.RegionName)
	if errors.Is(err, sql.ErrNoRows) {
		return s, data.Refuse(data.CodeRegionUnknown, "region", data.Term("kind", l.String()), data.Value("code", region))
	}
	if err != nil {
		return s, err
	}
	s.RegionPinyin = data.RomanName(s.RegionName)
	// The districts a city rolls up.
	var districts []string
	if l == data.LevelCity {
		if districts, err = queryColumn[string](ctx, m.DB, `SELECT code FROM districts WHERE city_code = ? ORDER BY code`, region); err != nil {
			return s, err
		}
	}
	// What the baselines need too: the seven days before.
	start := from
	if s.Indicator.Threshold == data.ThresholdBaseline {
		start = from.AddDate(0, 0, -7).Add(-baselineWindow)
	}
	own, parts, err := readSeries(ctx, m.DB, s.Indicator.ID, region, districts, start, to)
	if err != nil {
		return s, fmt.Errorf("series of %s in %s: %w", code, region, err)
	}
	all, rolled := mergeSeries(own, parts, s.Indicator.Rollup)
	lo := sort.Search(len(all), func(i int) bool { return !all[i].At.Before(from) })
	s.Points = all[lo:]
	for _, p := range s.Points {
		if rolled[p.At.UnixNano()] {
			s.RolledUp++
		}
	}
	if s.Indicator.Threshold == data.ThresholdBaseline {
		s.Baseline = baselineSeries(all, from, to)
	}
	return s, nil
}

// readSeries reads the values of an indicator from start to end: the
// region's own (its archive, then its values fed, each in time order) and,
// for a city, each district's. Both sources are read in one statement.
func readSeries(ctx context.Context, q querier, id int, region string, districts []string, start, end time.Time) (own []SeriesPoint, parts map[string][]SeriesPoint, err error) {
	regions := append([]string{region}, districts...)
	marks := strings.TrimSuffix(strings.Repeat("?,", len(regions)), ",")
	// Beijing days are whole: the archive's rows of every day the span
	// touches, cut to the span below.
	firstDay, lastDay := start.In(data.BeijingTime).Format(time.DateOnly), end.In(data.BeijingTime).Format(time.DateOnly)
	args := []any{id, firstDay, lastDay}
	for _, r := range regions {
		args = append(args, r)
	}
	args = append(args, id, gpkg.Time{Time: start}, gpkg.Time{Time: end})
	for _, r := range regions {
		args = append(args, r)
	}
	rows, err := q.QueryContext(ctx, `SELECT 0, district_code, day, hourly, 0 FROM indicator_values
			WHERE indicator_id = ? AND day BETWEEN ? AND ? AND district_code IN (`+marks+`)
		UNION ALL
		SELECT 1, region_code, at, '', value FROM indicator_readings
			WHERE indicator_id = ? AND at BETWEEN ? AND ? AND region_code IN (`+marks+`)`, args...)
	if err != nil {
		return nil, nil, err
	}
	type source struct{ archive, fed []SeriesPoint }
	by := map[string]*source{}
	for rows.Next() {
		var fed int
		var reg, when, hourly string
		var v float64
		if err := rows.Scan(&fed, &reg, &when, &hourly, &v); err != nil {
			_ = rows.Close()
			return nil, nil, err
		}
		src := by[reg]
		if src == nil {
			src = &source{}
			by[reg] = src
		}
		if fed == 1 {
			at, err := time.Parse(gpkg.TimeLayout, when)
			if err != nil {
				_ = rows.Close()
				return nil, nil, fmt.Errorf("value of %s at %q: %w", reg, when, err)
			}
			src.fed = append(src.fed, SeriesPoint{At: at, Value: v})
			continue
		}
		if src.archive, err = appendHourly(src.archive, when, hourly, start, end); err != nil {
			_ = rows.Close()
			return nil, nil, fmt.Errorf("archive of %s on %s: %w", reg, when, err)
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, nil, err
	}
	// Each source in time order, then archive and values fed merged, the
	// archive's value kept where both have one (a feed refuses a district's
	// value the archive has).
	merged := func(src *source) []SeriesPoint {
		if src == nil {
			return nil
		}
		byTime := func(a, b SeriesPoint) int { return a.At.Compare(b.At) }
		slices.SortFunc(src.archive, byTime)
		slices.SortFunc(src.fed, byTime)
		out := make([]SeriesPoint, 0, len(src.archive)+len(src.fed))
		i, j := 0, 0
		for i < len(src.archive) || j < len(src.fed) {
			switch {
			case j == len(src.fed) || i < len(src.archive) && src.archive[i].At.Before(src.fed[j].At):
				out = append(out, src.archive[i])
				i++
			case i == len(src.archive) || src.fed[j].At.Before(src.archive[i].At):
				out = append(out, src.fed[j])
				j++
			default: // the same instant
				out = append(out, src.archive[i])
				i++
				j++
			}
		}
		return out
	}
	own = merged(by[region])
	if len(districts) > 0 {
		parts = make(map[string][]SeriesPoint, len(districts))
		for _, d := range districts {
			parts[d] = merged(by[d])
		}
	}
	return own, parts, nil
}

// appendHourly appends a day's archived values (a JSON array of 24, null
// for hours without one) that lie from start to end.
func appendHourly(out []SeriesPoint, day, hourly string, start, end time.Time) ([]SeriesPoint, error) {
	midnight, err := time.ParseInLocation(time.DateOnly, day, data.BeijingTime)
	if err != nil {
		return out, err
	}
	fields := strings.Split(strings.Trim(hourly, "[] \n"), ",")
	if len(fields) != 24 {
		return out, fmt.Errorf("%d hourly values, want 24", len(fields))
	}
	for h, f := range fields {
		f = strings.TrimSpace(f)
		if f == "null" {
			continue
		}
		at := midnight.Add(time.Duration(h) * time.Hour)
		if at.Before(start) || at.After(end) {
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return out, err
		}
		out = append(out, SeriesPoint{At: at, Value: v})
	}
	return out, nil
}

// mergeSeries adds to a region's own points its districts' rolled up at
// the instants where it has none and every district has one; rolled holds
// those instants (UnixNano).
func mergeSeries(own []SeriesPoint, parts map[string][]SeriesPoint, rollup data.Rollup) ([]SeriesPoint, map[int64]bool) {
	if len(parts) == 0 {
		return own, nil
	}
	type acc struct {
		at  time.Time
		n   int
		sum float64
	}
	accs := map[int64]*acc{}
	// The districts in code order, so that sums are the same on every run.
	codes := make([]string, 0, len(parts))
	for d := range parts {
		codes = append(codes, d)
	}
	sort.Strings(codes)
	for _, d := range codes {
		for _, p := range parts[d] {
			k := p.At.UnixNano()
			a := accs[k]
			if a == nil {
				a = &acc{at: p.At}
				accs[k] = a
			}
			a.n++
			a.sum += p.Value
		}
	}
	ownAt := make(map[int64]bool, len(own))
	for _, p := range own {
		ownAt[p.At.UnixNano()] = true
	}
	rolled := map[int64]bool{}
	out := slices.Clone(own)
	for k, a := range accs {
		if a.n < len(parts) || ownAt[k] {
			continue
		}
		v := a.sum
		if rollup == data.RollupMean {
			v /= float64(a.n)
		}
		out = append(out, SeriesPoint{At: a.at, Value: v})
		rolled[k] = true
	}
	slices.SortFunc(out, func(a, b SeriesPoint) int { return a.At.Compare(b.At) })
	return out, rolled
}

// baselineSeries is the baseline at every whole hour from from to to, and
// at to, worked out from the points (which reach seven days before from):
// the mean of the value near the same time on each of the seven days
// before, where MinBaselineDays have one. Hours without one are left out.
func baselineSeries(points []SeriesPoint, from, to time.Time) []SeriesPoint {
	// near is the series' value at t: on that instant, else the mean of
	// the values within baselineWindow of it.
	near := func(t time.Time) (float64, bool) {
		lo := sort.Search(len(points), func(i int) bool { return !points[i].At.Before(t.Add(-baselineWindow)) })
		n, sum := 0, 0.0
		for i := lo; i < len(points) && !points[i].At.After(t.Add(baselineWindow)); i++ {
			if points[i].At.Equal(t) {
				return points[i].Value, true
			}
			n++
			sum += points[i].Value
		}
		return sum / float64(n), n > 0
	}
	at := func(h time.Time) (float64, bool) {
		n, sum := 0, 0.0
		for k := 1; k <= 7; k++ {
			if v, ok := near(h.AddDate(0, 0, -k)); ok {
				n++
				sum += v
			}
		}
		return sum / float64(n), n >= MinBaselineDays
	}
	var out []SeriesPoint
	// Whole hours of Beijing time are whole hours of UTC (UTC+8).
	h := from.Truncate(time.Hour)
	if h.Before(from) {
		h = h.Add(time.Hour)
	}
	for ; !h.After(to); h = h.Add(time.Hour) {
		if v, ok := at(h); ok {
			out = append(out, SeriesPoint{At: h, Value: v})
		}
	}
	if last := to.Truncate(time.Hour); !last.Equal(to) && !last.Before(from.Truncate(time.Hour)) {
		if v, ok := at(last); ok {
			out = append(out, SeriesPoint{At: to, Value: v})
		}
	}
	return out
}
