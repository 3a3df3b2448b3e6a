package demo

import (
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
)

// transportMinutes is how far back before AsOf the transport group's
// current values are kept minute by minute: three hours, enough for the
// console's live view, and as much as the mirror's size allows (six took
// it past 100 MB).
const transportMinutes = 3 * 60

// minuteNoise is the spread of a minute's value about the line between
// the hours (a share of it).
const minuteNoise = 0.012

// dayCurve is the day's shape of the demo's values at local hour h (with
// fractions): the morning and evening rush peaks, as indicatorValue
// draws the hours.
func dayCurve(h float64) float64 {
	return 0.5*math.Exp(-math.Pow(h-8, 2)/6) + 0.5*math.Exp(-math.Pow(h-18, 2)/8) - 0.25
}

// writeTransport writes the transport group's current values (the
// catalogue's transport indicators refreshed every minute: transport-NNH)
// as a value per minute over the six hours before AsOf, for each district,
// into indicator_readings. They run through the hourly archive written
// before them: at each hour the archive's value (kept by the archive, not
// repeated here: a feed refuses a district's value the archive has),
// between two hours along the day's curve scaled from one hour's value to
// the next, with a little noise per minute; after the last hour the
// archive has, from that hour's value along the curve. Rounded as the
// archive is. The city has none of its own: the store rolls it up from
// its districts minute by minute, as the evaluation does, and so judges
// its baseline indicators against its districts' baselines, which values
// of its own without a week of history behind them would leave without
// one. The noise comes from a stream of its own, so the rest of the demo
// is what it was without these values.
func (c *demoCity) writeTransport(tx *sql.Tx) error {
	catalogue, err := data.Indicators()
	if err != nil {
		return err
	}
	metrics := IndicatorDefs()
	if len(metrics) != len(catalogue) {
		return fmt.Errorf("demo: %d indicator metrics for a catalogue of %d", len(metrics), len(catalogue))
	}
	var picked []int
	for i, d := range catalogue {
		if d.Category == "transport" && d.Refresh == time.Minute && strings.HasSuffix(d.Code, "H") {
			picked = append(picked, i)
		}
	}
	if len(picked) == 0 {
		return nil
	}
	// The minutes before AsOf (not at it: a living demo's first values
	// may come then).
	end := c.opt.AsOf.Add(-time.Nanosecond).Truncate(time.Minute)
	start := end.Add(-(transportMinutes - 1) * time.Minute)
	// The archive's hours around the window, by indicator and district.
	type key struct {
		id       int
		district string
	}
	hours := map[key]map[int64]float64{}
	var ids []string
	for _, i := range picked {
		ids = append(ids, strconv.Itoa(catalogue[i].ID))
	}
	rows, err := tx.Query(`SELECT indicator_id, district_code, day, hourly FROM indicator_values
		WHERE indicator_id IN (`+strings.Join(ids, ",")+`) AND day BETWEEN ? AND ?`,
		start.Add(-time.Hour).In(beijing).Format(time.DateOnly), end.Add(time.Hour).In(beijing).Format(time.DateOnly))
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		var day, hourly string
		if err := rows.Scan(&k.id, &k.district, &day, &hourly); err != nil {
			_ = rows.Close()
			return err
		}
		midnight, err := time.ParseInLocation(time.DateOnly, day, beijing)
		if err != nil {
			_ = rows.Close()
			return err
		}
		if hours[k] == nil {
			hours[k] = map[int64]float64{}
		}
		for h, f := range strings.Split(strings.Trim(hourly, "[]"), ",") {
			if f == "null" {
				continue
			}
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				_ = rows.Close()
				return fmt.Errorf("demo: archive of %d in %s on %s: %w", k.id, k.district, day, err)
			}
			hours[k][midnight.Add(time.Duration(h)*time.Hour).Unix()] = v
		}
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rng := regionRand(c.opt.Seed, "transport minutes")
	b := mirror.NewBatcher(tx, "indicator_readings", "indicator_id", "region_code", "at", "value")
	for _, i := range picked {
		d, m := catalogue[i], metrics[i]
		percent := d.Unit == "%"
		// curve is the value's shape at t, as a factor of the day's level.
		curve := func(t time.Time) float64 {
			l := t.In(beijing)
			return 1 + m.DailySwing*dayCurve(float64(l.Hour())+float64(l.Minute())/60)
		}
		for _, dist := range c.src.Districts {
			archive := hours[key{d.ID, dist.Code}]
			for t := start; !t.After(end); t = t.Add(time.Minute) {
				h0 := t.Truncate(time.Hour)
				if t.Equal(h0) {
					continue // the archive's
				}
				v0, ok := archive[h0.Unix()]
				if !ok {
					continue
				}
				h1 := h0.Add(time.Hour)
				level0 := v0 / curve(h0)
				level := level0
				if v1, ok := archive[h1.Unix()]; ok {
					level += (v1/curve(h1) - level0) * t.Sub(h0).Hours()
				}
				x := curve(t) * level * (1 + rng.NormFloat64()*minuteNoise)
				switch {
				case percent:
					x = math.Round(math.Min(x, 100)*10) / 10
				case m.Base >= 10:
					x = math.Round(x)
				default:
					x = math.Round(x*100) / 100
				}
				if err := b.Add(d.ID, dist.Code, gpkg.Time{Time: t}, math.Max(0, x)); err != nil {
					return err
				}
			}
		}
	}
	return b.Flush()
}
