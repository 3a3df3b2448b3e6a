package demo

import (
	"context"
	"database/sql"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
)

// transportCity builds the fixture city (data/demo/testdata/city, as of
// 2026-11-25 09:00 Beijing time, 3 days) with seed, and writes the
// transport group's minute values into it afresh (whatever the build
// wrote of them before).
func transportCity(t *testing.T, seed int64) (*mirror.Mirror, *CitySource, Options) {
	t.Helper()
	dir := filepath.Join("testdata", "city")
	open := func(n string) (io.ReadCloser, error) { return os.Open(filepath.Join(dir, n)) }
	src, err := ReadCitySource(open, "districts.geojson", "streets.csv", "villages.csv", "测试市")
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions()
	opt.Seed, opt.Grids, opt.Units, opt.Days, opt.DemoPoint = seed, 40, 50, 3, "990102001201"
	opt.AsOf = time.Date(2026, 11, 25, 9, 0, 0, 0, beijing)
	path := filepath.Join(t.TempDir(), "city.gpkg")
	if _, err := Build(context.Background(), path, src, opt); err != nil {
		t.Fatal(err)
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	c := &demoCity{src: src, opt: opt}
	err = m.Update(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM indicator_readings`); err != nil {
			return err
		}
		return c.writeTransport(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return m, src, opt
}

// The minute values: the nine transport indicators refreshed every minute,
// for each district, every minute of the six hours up to AsOf but the
// hours (the archive's), close to the archive's value next to each hour.
func TestTransportMinutes(t *testing.T) {
	m, src, opt := transportCity(t, 1)
	catalogue, err := data.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	metrics := IndicatorDefs()
	var codes []string
	for _, d := range catalogue {
		if d.Refresh == time.Minute {
			codes = append(codes, d.Code)
		}
	}
	if len(codes) != 9 || codes[0] != "transport-01H" || codes[8] != "transport-09H" {
		t.Fatalf("indicators refreshed every minute: %v", codes)
	}
	var rows, regions, hours int
	var first, last string
	if err := m.DB.QueryRow(`SELECT count(*), count(DISTINCT region_code), min(at), max(at), sum(substr(at, 15, 2) = '00')
		FROM indicator_readings`).Scan(&rows, &regions, &first, &last, &hours); err != nil {
		t.Fatal(err)
	}
	// 180 minutes (06:01–09:00) less the 3 hours (07:00–09:00), 9
	// indicators, 2 districts; none for the city.
	if rows != 9*2*(transportMinutes-3) || regions != len(src.Districts) || hours != 0 ||
		first != gpkg.FormatTime(opt.AsOf.Add(-(transportMinutes-1)*time.Minute)) || last != gpkg.FormatTime(opt.AsOf.Add(-time.Minute)) {
		t.Fatalf("%d values in %d regions from %s to %s, %d on the hour", rows, regions, first, last, hours)
	}
	// Next to each hour the values are the archive's, give or take the
	// noise (3.5 sigma, 1.2% each) and the rounding.
	ctx := context.Background()
	for i, code := range codes {
		base := metrics[i].Base
		step := 0.01
		switch {
		case catalogue[i].Unit == "%":
			step = 0.1
		case base >= 10:
			step = 1
		}
		for _, d := range src.Districts {
			s, err := m.IndicatorSeries(ctx, code, d.Code, opt.AsOf.Add(-(transportMinutes-1)*time.Minute), opt.AsOf)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Points) != transportMinutes {
				t.Fatalf("%s in %s: %d points, want %d", code, d.Code, len(s.Points), transportMinutes)
			}
			for j, p := range s.Points {
				if p.At.Minute() != 0 {
					continue
				}
				for _, k := range []int{j - 1, j + 1} {
					if k < 0 || k >= len(s.Points) {
						continue
					}
					q := s.Points[k]
					if tol := p.Value*0.045 + step; math.Abs(q.Value-p.Value) > tol {
						t.Errorf("%s in %s: %v at %s next to the archive's %v at %s", code, d.Code, q.Value, q.At.In(beijing).Format("15:04"),
							p.Value, p.At.In(beijing).Format("15:04"))
					}
				}
			}
		}
		// The city, rolled up from its districts at every minute.
		city, err := m.IndicatorSeries(ctx, code, "", opt.AsOf.Add(-(transportMinutes-1)*time.Minute), opt.AsOf)
		if err != nil || len(city.Points) != transportMinutes || city.RolledUp != transportMinutes {
			t.Fatalf("%s in the city: %d points, %d rolled up, %v", code, len(city.Points), city.RolledUp, err)
		}
	}
	// A feed of a value there is already is refused.
	_, err = m.Feed(ctx, "t", []data.Reading{{Indicator: "transport-01H", Region: src.Districts[0].Code, At: opt.AsOf.Add(-time.Minute), Value: 1}},
		data.SystemLogin, opt.AsOf)
	if err == nil || !strings.Contains(err.Error(), "is there already") {
		t.Fatalf("a minute fed again: %v", err)
	}
}

// The same seed writes the same values; another seed others.
func TestTransportMinutesAreDeterministic(t *testing.T) {
	values := func(m *mirror.Mirror) string {
		var s string
		if err := m.DB.QueryRow(`SELECT group_concat(indicator_id || region_code || at || value, ',')
			FROM (SELECT * FROM indicator_readings ORDER BY 1, 2, 3)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, _, _ := transportCity(t, 1)
	b, _, _ := transportCity(t, 1)
	c, _, _ := transportCity(t, 2)
	if x, y := values(a), values(b); x == "" || x != y {
		t.Fatal("two builds with the same seed wrote different minute values")
	}
	if values(a) == values(c) {
		t.Fatal("two seeds wrote the same minute values")
	}
}
