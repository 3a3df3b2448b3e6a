package demo

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/data/redcotton"
)

// indicatorValue is one hourly value: the base figure, scaled for the
// district, following the day's two rush peaks, with noise. "today so far"
// counts (and rainfall) accumulate through the local day, "today's mean"
// rates average it (running is the day's sum so far), 7-day means barely
// move.
func indicatorValue(c *demoCity, d IndicatorDef, scale float64, local int, percent, accumulates bool, running *float64) float64 {
	x := d.Base * scale * (1 + d.DailySwing*dayCurve(float64(local)))
	if percent {
		// A rate's noise is a share of what it falls short of 100 %: a
		// compliance of 99 % wanders by tenths, an occupancy of 72 % by
		// points.
		x = 100 - (100-x)*(1+c.rng.NormFloat64()*0.25)
	} else {
		x *= 1 + c.rng.NormFloat64()*0.06
	}
	switch d.Code[len(d.Code)-1] {
	case 'D':
		*running += x
		if accumulates {
			x = *running
		} else {
			x = *running / float64(local+1)
		}
	case 'W':
		x = d.Base * scale * (1 + c.rng.NormFloat64()*0.01)
	}
	return roundLike(d, x, percent)
}

// roundLike rounds a value as the demo writes its metric: tenths of a
// percent (at most 100), whole numbers for large figures, hundredths else.
func roundLike(d IndicatorDef, x float64, percent bool) float64 {
	switch {
	case percent:
		return math.Round(math.Min(x, 100)*10) / 10
	case d.Base >= 10:
		return math.Round(x)
	}
	return math.Round(x*100) / 100
}

// Incidents: a handful of the current-value series run high (or low) in
// the as-of day's last hours, as an operations centre sees on an ordinary
// day — some warnings and an alarm or two, not most values in alarm.
const (
	demoIncidents     = 6
	demoAlarms        = 2    // of them
	incidentHours     = 3    // the as-of hour and the two before
	incidentWarnDepth = 0.4  // how far past the warn threshold, towards the alarm's
	incidentAlarmPast = 0.15 // how far past the alarm threshold, in the same steps
)

// pickIncidents chooses the incident series: (metric, district) indexes,
// each with how far it goes (0.4: a warning; 1.15: an alarm). The
// districts take turns, so that each of a small city has one; the alarms
// are of absolute thresholds, which need no week of history to judge.
func (c *demoCity) pickIncidents(defs []IndicatorDef, catalogue []data.Indicator) map[[2]int]float64 {
	var current, absolute []int
	for i, d := range defs {
		if strings.HasSuffix(d.Code, "H") {
			current = append(current, i)
			if catalogue[i].Threshold == data.ThresholdAbsolute {
				absolute = append(absolute, i)
			}
		}
	}
	out := map[[2]int]float64{}
	n := len(c.src.Districts)
	for k := 0; len(out) < demoIncidents && len(absolute) > 0 && n > 0 && k < 100*demoIncidents; k++ {
		from, f := current, incidentWarnDepth
		if len(out) < demoAlarms {
			from, f = absolute, 1+incidentAlarmPast
		}
		key := [2]int{from[c.rng.IntN(len(from))], len(out) % n}
		if _, dup := out[key]; !dup {
			out[key] = f
		}
	}
	return out
}

// archiveIncident is an incident's value: past the warn threshold by f of
// the way to the alarm's (f > 1: past the alarm's), in the indicator's
// terms — a ratio to the usual value at that hour for baseline ones.
func archiveIncident(def data.Indicator, d IndicatorDef, scale float64, local int, f float64, percent bool) float64 {
	x := def.Warn + (def.Alarm-def.Warn)*f
	if def.Threshold == data.ThresholdBaseline {
		x *= d.Base * scale * (1 + d.DailySwing*dayCurve(float64(local)))
	}
	return roundLike(d, x, percent)
}

func (c *demoCity) writeIndicators(tx *sql.Tx) error {
	// The definitions are the catalogue's (assets/indicators.csv); the
	// demo's metrics (IndicatorDefs) give each its typical value and swing.
	catalogue, err := data.Indicators()
	if err != nil {
		return err
	}
	defs := IndicatorDefs()
	if len(defs) != len(catalogue) {
		return fmt.Errorf("demo: %d indicator metrics for a catalogue of %d", len(defs), len(catalogue))
	}
	b := mirror.NewBatcher(tx, "indicator_defs", "id", "code", "category", "name_zh", "name_en", "unit", "direction", "warn", "alarm",
		"rollup", "threshold", "hysteresis", "refresh_seconds", "source")
	for i, d := range catalogue {
		if defs[i].Code != d.Code {
			return fmt.Errorf("demo: metric %s where the catalogue has %s", defs[i].Code, d.Code)
		}
		if err := b.Add(d.ID, d.Code, d.Category, d.NameZh, d.NameEn, d.Unit, string(d.Direction), d.Warn, d.Alarm,
			string(d.Rollup), string(d.Threshold), d.Hysteresis, int64(d.Refresh.Seconds()), d.Source); err != nil {
			return err
		}
	}
	if err := b.Flush(); err != nil {
		return err
	}
	// Counts scale with a district's share of the grids (its population);
	// rates get a small bias per district.
	gridsIn := map[string]int{}
	for _, g := range c.grids {
		gridsIn[g.Code[:6]]++
	}
	meanGrids := float64(len(c.grids)) / float64(len(c.src.Districts))
	// Local days ending with the as-of day; hours after as-of stay null.
	asOf := c.opt.AsOf.In(beijing)
	firstDay := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, beijing).AddDate(0, 0, 1-c.opt.Days)
	v := mirror.NewBatcher(tx, "indicator_values", "indicator_id", "district_code", "day", "hourly")
	hourly := make([]string, 24)
	incidents := c.pickIncidents(defs, catalogue)
	for i, d := range defs {
		percent := d.Unit == "%"
		// Counts accumulate through the day, and so does rainfall; rates
		// and indexes are averaged.
		accumulates := catalogue[i].Threshold == data.ThresholdBaseline || d.Unit == "mm"
		for di, dist := range c.src.Districts {
			// Counts and volumes (baseline indicators) scale with the
			// district's size; rates, levels and concentrations do not.
			scale := float64(gridsIn[dist.Code]) / meanGrids
			if catalogue[i].Threshold == data.ThresholdAbsolute {
				scale = 1 + (c.rng.Float64()-0.5)*0.08
			}
			incident, hasIncident := incidents[[2]int{i, di}]
			for day := 0; day < c.opt.Days; day++ {
				date := firstDay.AddDate(0, 0, day)
				running := 0.0
				for local := 0; local < 24; local++ {
					if date.Add(time.Duration(local) * time.Hour).After(asOf) {
						hourly[local] = "null"
						continue
					}
					x := indicatorValue(c, d, scale, local, percent, accumulates, &running)
					if hasIncident && day == c.opt.Days-1 && local > asOf.Hour()-incidentHours {
						x = archiveIncident(catalogue[i], d, scale, local, incident, percent)
					}
					hourly[local] = strconv.FormatFloat(x, 'f', -1, 64)
				}
				if err := v.Add(d.ID, dist.Code, date.Format("2006-01-02"), "["+strings.Join(hourly, ",")+"]"); err != nil {
					return err
				}
			}
		}
	}
	return v.Flush()
}

// writeIndex computes the Red Cotton Index of each of the demo's days from
// the indicator values just written (assets/redcotton.csv,
// docs/red-cotton-index.md), as the mirror does for any day.
func (c *demoCity) writeIndex(tx *sql.Tx) error {
	if c.opt.Days < 1 {
		return nil
	}
	def, err := redcotton.Load()
	if err != nil {
		return err
	}
	last := c.opt.AsOf.In(beijing)
	_, err = mirror.WriteRedCotton(context.Background(), tx, def, last.AddDate(0, 0, 1-c.opt.Days).Format("2006-01-02"), last.Format("2006-01-02"))
	return err
}

// Street inputs: the Red Cotton Index's inputs for every street, one value
// each at one hour of the as-of day (noon, or the as-of hour if earlier,
// kept before the incidents' hours), so that the as-of day has a street
// index. A count is the district's scaled by the street's share of its
// grids (a similar rate per grid) with noise; a rate or level is the
// district's with small noise. Streets are not in the hourly archive, so
// they go to indicator_readings, as values fed.
const (
	streetInputHour   = 12
	streetCountNoise  = 0.12
	streetRateNoise   = 0.03
	streetShareNoise  = 0.2 // of what a percentage falls short of 100
	streetInputsLabel = "street inputs"
)

func (c *demoCity) writeStreetInputs(tx *sql.Tx) error {
	if c.opt.Days < 1 {
		return nil
	}
	def, err := redcotton.Load()
	if err != nil {
		return err
	}
	rng := regionRand(c.opt.Seed, streetInputsLabel)
	asOf := c.opt.AsOf.In(beijing)
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, beijing)
	hour := max(0, min(streetInputHour, asOf.Hour()-incidentHours))
	at := day.Add(time.Duration(hour) * time.Hour)
	gridsIn := map[string]int{}
	for _, g := range c.grids {
		gridsIn[g.Code[:6]]++
		gridsIn[g.Code[:9]]++
	}
	metric := map[string]IndicatorDef{}
	for _, d := range IndicatorDefs() {
		metric[d.Code] = d
	}
	b := mirror.NewBatcher(tx, "indicator_readings", "indicator_id", "region_code", "at", "value")
	for _, in := range def.Inputs {
		d, ok := metric[in.Indicator]
		if !ok {
			continue
		}
		// The districts' values at that hour.
		of := map[string]float64{}
		rows, err := tx.Query(`SELECT district_code, hourly FROM indicator_values WHERE indicator_id = ? AND day = ?`, d.ID, day.Format("2006-01-02"))
		if err != nil {
			return err
		}
		for rows.Next() {
			var code, hourly string
			if err := rows.Scan(&code, &hourly); err != nil {
				_ = rows.Close()
				return err
			}
			var hs []*float64
			if err := json.Unmarshal([]byte(hourly), &hs); err != nil {
				_ = rows.Close()
				return fmt.Errorf("demo: %s of %s: %w", d.Code, code, err)
			}
			if hour < len(hs) && hs[hour] != nil {
				of[code] = *hs[hour]
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		percent := d.Unit == "%"
		for _, s := range c.src.Streets {
			x, ok := of[s.ParentCode]
			if !ok || gridsIn[s.Code] == 0 || gridsIn[s.ParentCode] == 0 {
				continue
			}
			switch {
			case in.Normalise == redcotton.MinMaxPerGrid:
				x *= float64(gridsIn[s.Code]) / float64(gridsIn[s.ParentCode]) * (1 + rng.NormFloat64()*streetCountNoise)
			case percent:
				x = 100 - (100-x)*(1+rng.NormFloat64()*streetShareNoise)
			default:
				x *= 1 + rng.NormFloat64()*streetRateNoise
			}
			if err := b.Add(d.ID, s.Code, gpkg.Time{Time: at}, roundLike(d, math.Max(0, x), percent)); err != nil {
				return err
			}
		}
	}
	return b.Flush()
}
