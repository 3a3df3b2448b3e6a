package mirror_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The fixture's archive: the districts' hourly values of the three days
// ending 2026-11-25 09:00 (Beijing time), read here with SQLite's JSON
// functions, apart from how the store splits the arrays.
func archived(t *testing.T, m *mirror.Mirror, code, district string) []mirror.SeriesPoint {
	t.Helper()
	rows, err := m.DB.Query(`SELECT v.day, h.key, h.value FROM indicator_values v JOIN indicator_defs d ON d.id = v.indicator_id,
		json_each(v.hourly) h WHERE d.code = ? AND v.district_code = ? AND h.value IS NOT NULL ORDER BY v.day, h.key`, code, district)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []mirror.SeriesPoint
	for rows.Next() {
		var day string
		var hour int
		var v float64
		if err := rows.Scan(&day, &hour, &v); err != nil {
			t.Fatal(err)
		}
		d, err := time.ParseInLocation(time.DateOnly, day, data.BeijingTime)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, mirror.SeriesPoint{At: d.Add(time.Duration(hour) * time.Hour), Value: v})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func samePoints(t *testing.T, what string, got, want []mirror.SeriesPoint) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d points, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !got[i].At.Equal(want[i].At) || math.Abs(got[i].Value-want[i].Value) > 1e-9*math.Max(1, math.Abs(want[i].Value)) {
			t.Fatalf("%s: point %d is %v %v, want %v %v", what, i, got[i].At, got[i].Value, want[i].At, want[i].Value)
		}
	}
}

// A district's series is its hourly archive in the span; the city's is its
// districts' summed (counts) or averaged (rates) hour by hour.
func TestSeriesFromTheArchive(t *testing.T) {
	m := fixture.City(t)
	from := fixture.AsOf.Add(-72 * time.Hour)
	for _, code := range []string{aqi, "public_safety-01H"} {
		d1, d2 := archived(t, m, code, "990101"), archived(t, m, code, "990102")
		// Three Beijing days up to 09:00 of the last: 24 + 24 + 10 hours.
		if len(d1) != 58 || len(d2) != 58 {
			t.Fatalf("%s: the fixture archives %d and %d hours", code, len(d1), len(d2))
		}
		s, err := m.IndicatorSeries(ctx, code, "990101", from, fixture.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		if s.Indicator.Code != code || s.Region != "990101" || s.RegionName == "" || s.RolledUp != 0 || s.Baseline != nil && s.Indicator.Threshold == data.ThresholdAbsolute {
			t.Fatalf("%s in 990101: %+v", code, s)
		}
		samePoints(t, code+" in 990101", s.Points, d1)
		city, err := m.IndicatorSeries(ctx, code, "", from, fixture.AsOf) // "": the city
		if err != nil {
			t.Fatal(err)
		}
		want := make([]mirror.SeriesPoint, len(d1))
		for i := range d1 {
			want[i] = mirror.SeriesPoint{At: d1[i].At, Value: d1[i].Value + d2[i].Value}
			if city.Indicator.Rollup == data.RollupMean {
				want[i].Value /= 2
			}
		}
		samePoints(t, code+" in the city", city.Points, want)
		if city.RolledUp != len(want) || city.Region != "9901" || city.RegionName != "测试市" {
			t.Fatalf("the city: %d of %d rolled up, named %q", city.RolledUp, len(want), city.RegionName)
		}
		// The span is cut at both ends, both included.
		mid, err := m.IndicatorSeries(ctx, code, "990101", d1[10].At, d1[20].At)
		if err != nil {
			t.Fatal(err)
		}
		samePoints(t, code+" cut", mid.Points, d1[10:21])
	}
	if code := aqi; len(archived(t, m, code, "990101001")) != 0 {
		t.Fatal("a street in the archive")
	}
}

// Values fed join the archive in time order; the city's own values stand
// where it has them, its districts' rolled up only at instants all of them
// have; a street has what was fed for it.
func TestSeriesWithValuesFed(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	eight := now.Add(-time.Hour) // 08:00 Beijing time
	fed := []data.Reading{
		reading(aqi, "990101", eight.Add(20*time.Minute), 70),
		reading(aqi, "990102", eight.Add(20*time.Minute), 90),
		reading(aqi, "990101", eight.Add(40*time.Minute), 75), // 990102 has none then: no city value
		reading(aqi, "9901", now, 61),                         // the city's own, where the rollup would be
		reading(aqi, "9901", eight.Add(30*time.Minute), 64),
		reading(aqi, feedStreet, eight.Add(5*time.Minute), 40),
		reading(aqi, feedStreet, eight.Add(-26*time.Hour), 41),
	}
	if _, err := m.Feed(ctx, "test", fed, "operator", now); err != nil {
		t.Fatal(err)
	}
	from := now.Add(-3 * time.Hour)
	d, err := m.IndicatorSeries(ctx, aqi, "990101", from, now)
	if err != nil {
		t.Fatal(err)
	}
	a1 := archived(t, m, aqi, "990101")
	a2 := archived(t, m, aqi, "990102")
	n := len(a1)
	want := []mirror.SeriesPoint{a1[n-4], a1[n-3], a1[n-2], {At: eight.Add(20 * time.Minute), Value: 70}, {At: eight.Add(40 * time.Minute), Value: 75}, a1[n-1]}
	samePoints(t, "990101", d.Points, want)
	city, err := m.IndicatorSeries(ctx, aqi, "9901", from, now)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(i int) float64 { return (a1[i].Value + a2[i].Value) / 2 }
	want = []mirror.SeriesPoint{{At: a1[n-4].At, Value: mean(n - 4)}, {At: a1[n-3].At, Value: mean(n - 3)}, {At: a1[n-2].At, Value: mean(n - 2)},
		{At: eight.Add(20 * time.Minute), Value: 80}, {At: eight.Add(30 * time.Minute), Value: 64}, {At: now, Value: 61}}
	samePoints(t, "the city", city.Points, want)
	if city.RolledUp != 4 {
		t.Fatalf("%d of the city's points rolled up, want 4", city.RolledUp)
	}
	street, err := m.IndicatorSeries(ctx, aqi, feedStreet, now.Add(-30*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	samePoints(t, "the street", street.Points, []mirror.SeriesPoint{{At: eight.Add(-26 * time.Hour), Value: 41}, {At: eight.Add(5 * time.Minute), Value: 40}})
	if s, err := m.IndicatorSeries(ctx, aqi, "990102001", from, now); err != nil || len(s.Points) != 0 {
		t.Fatalf("a street with nothing fed: %+v %v", s, err)
	}
}

// A baseline indicator's series carries its baseline at every hour: the
// mean of the same hour on the seven days before, where three or more have
// a value — the baseline the evaluation judges the latest value by, for a
// district from its archive and for the city rolled up.
func TestSeriesBaseline(t *testing.T) {
	m := fixture.City(t)
	// Four more days of archive before the fixture's three, so that the
	// 25th's hours have a week before them: 990101's value at hour h on
	// 2026-11-(18+k) is 10+k+h/100, 990102's twice that.
	var id int
	if err := m.DB.QueryRow(`SELECT id FROM indicator_defs WHERE code = ?`, accidents).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for k := range 4 {
		for i, d := range []string{"990101", "990102"} {
			vals := make([]string, 24)
			for h := range vals {
				vals[h] = fmt.Sprint(float64(i+1) * (10 + float64(k) + float64(h)/100))
			}
			if _, err := m.DB.Exec(`INSERT INTO indicator_values (indicator_id, district_code, day, hourly) VALUES (?, ?, ?, ?)`,
				id, d, fmt.Sprintf("2026-11-%d", 18+k), "["+strings.Join(vals, ",")+"]"); err != nil {
				t.Fatal(err)
			}
		}
	}
	now := fixture.AsOf
	from := now.Add(-24 * time.Hour)
	if _, err := m.EvaluateIndicators(ctx, now); err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"990101", "9901"} {
		s, err := m.IndicatorSeries(ctx, accidents, region, from, now)
		if err != nil {
			t.Fatal(err)
		}
		// Every hour from 09:00 on the 24th to 09:00 on the 25th: the 24th's
		// have six days before them (18th–23rd), the 25th's seven.
		if len(s.Baseline) != 25 || !s.Baseline[0].At.Equal(from) || !s.Baseline[24].At.Equal(now) {
			t.Fatalf("%s: baseline %v", region, s.Baseline)
		}
		all, err := m.IndicatorSeries(ctx, accidents, region, now.AddDate(0, 0, -8), now)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range s.Baseline {
			n, sum := 0, 0.0
			for _, p := range all.Points {
				for k := 1; k <= 7; k++ {
					if p.At.Equal(b.At.AddDate(0, 0, -k)) {
						n++
						sum += p.Value
					}
				}
			}
			if n < 3 || math.Abs(b.Value-sum/float64(n)) > 1e-9 {
				t.Fatalf("%s: baseline at %v is %v, want the mean of %d days, %v", region, b.At, b.Value, n, sum/float64(n))
			}
		}
		st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: region, Indicator: accidents})
		if err != nil || len(st) != 1 {
			t.Fatalf("%s: status %+v %v", region, st, err)
		}
		if last := s.Baseline[len(s.Baseline)-1]; !st[0].At.Equal(last.At) || math.Abs(st[0].Baseline-last.Value) > 1e-9 {
			t.Fatalf("%s: the evaluation's baseline %v at %v, the series' %v at %v", region, st[0].Baseline, st[0].At, last.Value, last.At)
		}
	}
	// An absolute indicator has none; a span between hours ends with its
	// hour's baseline.
	if s, err := m.IndicatorSeries(ctx, aqi, "990101", from, now); err != nil || s.Baseline != nil {
		t.Fatalf("absolute: %v %v", s.Baseline, err)
	}
	s, err := m.IndicatorSeries(ctx, accidents, "990101", now.Add(-90*time.Minute), now.Add(-20*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Baseline) != 2 || !s.Baseline[1].At.Equal(now.Add(-20*time.Minute)) || s.Baseline[1].Value != s.Baseline[0].Value {
		t.Fatalf("between hours: %v", s.Baseline)
	}
}

// Unknown indicators and regions are refused; a community is not measured.
func TestSeriesRefusals(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	var in *data.InputError
	if _, err := m.IndicatorSeries(ctx, "transport-99H", "9901", now.Add(-time.Hour), now); !errors.As(err, &in) || !strings.Contains(in.Reason, `no indicator "transport-99H"`) {
		t.Errorf("unknown indicator: %v", err)
	}
	if _, err := m.IndicatorSeries(ctx, aqi, "990101001001", now.Add(-time.Hour), now); !errors.As(err, &in) || !strings.Contains(in.Reason, "not a city, district or street") {
		t.Errorf("a community: %v", err)
	}
	_, err := m.IndicatorSeries(ctx, aqi, "990109", now.Add(-time.Hour), now)
	refused(t, "unknown district", err, data.CodeRegionUnknown)
	if _, err := m.IndicatorSeries(ctx, aqi, "9901", now, now.Add(-time.Hour)); err == nil {
		t.Error("an end before the start")
	}
}

// A 30-day chart's read of the demo Guangzhou: the city (its 11 districts
// rolled up, the week before for the baselines) and one district.
func BenchmarkIndicatorSeries30Days(b *testing.B) {
	m := fixture.Guangzhou(b)
	end := fixture.AsOf
	for _, region := range []string{"4401", "440106"} {
		b.Run(region, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := m.IndicatorSeries(ctx, "transport-01H", region, end.AddDate(0, 0, -30), end)
				if err != nil || len(s.Points) < 700 || len(s.Baseline) < 600 {
					b.Fatalf("%d points, %d baselines, %v", len(s.Points), len(s.Baseline), err)
				}
			}
		})
	}
}
