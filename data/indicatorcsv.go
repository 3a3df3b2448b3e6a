package data

import (
	"fmt"
	"io"
	"regexp"
	"time"

	"kapok/assets"
)

// The catalogue (assets/indicators.csv) has one row per indicator:
//
//	code,category,name_zh,name_en,unit,direction,rollup,threshold,warn,alarm,hysteresis,refresh,source
//
// How the thresholds were set: counts and volumes (accidents, calls,
// riders) are judged against the region's own baseline — lower-better ones
// warn at 1.5 times it and alarm at 2 (hysteresis 0.1), higher-better ones
// warn at 0.7 and alarm at 0.5 (hysteresis 0.05). Rates, indexes, speeds
// and times are absolute: the national standards where there is one (AQI
// 100 and 150, the light and moderate pollution bands of HJ 633-2012;
// PM2.5 75 and 115 µg/m³ and ozone 160 and 200 µg/m³, its 24-hour and
// one-hour grade-two limits; a rainstorm's 20 and 50 mm in an hour, 50 and
// 100 mm in a day; heat at 35 and 38 °C; the congestion index's "congested"
// 1.8 and "heavily congested" 2.1), otherwise 15 % and 30 % beyond the
// metric's usual daily extreme (10 % and 20 % short of it for higher-better
// ones), with a fifth of the gap between them as hysteresis.

var indicatorColumns = []string{"code", "category", "name_zh", "name_en", "unit", "direction", "rollup", "threshold",
	"warn", "alarm", "hysteresis", "refresh", "source"}

var indicatorCode = regexp.MustCompile(`^[a-z_]+-[0-9]{2}[A-Z]$`)

// Indicators reads the embedded catalogue of indicators
// (assets/indicators.csv); their IDs are their line order from 1.
func Indicators() ([]Indicator, error) {
	const file = "indicators.csv"
	f, err := assets.FS.Open(file)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return ParseIndicators(file, f)
}

// ParseIndicators reads a catalogue of indicators in the form of
// assets/indicators.csv, refusing any bad value with an *InputError naming
// the line and the column.
func ParseIndicators(file string, r io.Reader) ([]Indicator, error) {
	var out []Indicator
	err := readCatalogue(file, r, indicatorColumns, func(p catalogueRow) (string, error) {
		d, err := indicatorOf(p)
		d.ID = len(out) + 1
		out = append(out, d)
		return d.Code, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func indicatorOf(p catalogueRow) (Indicator, error) {
	d := Indicator{Code: p.get("code"), Category: p.get("category"), NameZh: p.get("name_zh"), NameEn: p.get("name_en"),
		Unit: p.get("unit"), Direction: Direction(p.get("direction")), Rollup: Rollup(p.get("rollup")),
		Threshold: ThresholdMode(p.get("threshold")), Source: p.get("source")}
	if !indicatorCode.MatchString(d.Code) {
		return d, p.bad("code", fmt.Sprintf("%q is not category-NNX (e.g. transport-01H)", d.Code))
	}
	for _, c := range []string{"name_zh", "name_en", "unit", "source"} {
		if p.get(c) == "" {
			return d, p.bad(c, "empty")
		}
	}
	var err error
	if d.Warn, err = p.number("warn"); err != nil {
		return d, err
	}
	if d.Alarm, err = p.number("alarm"); err != nil {
		return d, err
	}
	if d.Hysteresis, err = p.number("hysteresis"); err != nil {
		return d, err
	}
	if d.Refresh, err = time.ParseDuration(p.get("refresh")); err != nil {
		return d, p.bad("refresh", fmt.Sprintf("%q is not a duration (1m, 1h)", p.get("refresh")))
	}
	if why := CheckIndicator(&d); why != "" {
		return d, p.bad("code", d.Code+": "+why)
	}
	return d, nil
}
