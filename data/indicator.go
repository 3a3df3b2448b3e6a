package data

import (
	"math"
	"time"
)

// The operations centre's indicators (issue 11): 211 of them in eight
// categories, defined as data (assets/indicators.csv, read by Indicators),
// each measured per region — the city, its districts, and streets where the
// metric exists — and judged normal, warn or alarm against its thresholds.

// IndicatorCategories are the eight categories the operations centre
// groups its indicators in, in display order.
var IndicatorCategories = []string{"transport", "public_safety", "urban_management", "environment",
	"public_services", "emergency", "social_stability", "grid_work"}

// Direction says which way an indicator is better.
type Direction string

// Directions.
const (
	HigherBetter Direction = "higher_better"
	LowerBetter  Direction = "lower_better"
)

// Rollup is how a parent region's value is made of its children's: the sum
// of counts, the mean of rates.
type Rollup string

// Rollups.
const (
	RollupSum  Rollup = "sum"
	RollupMean Rollup = "mean"
)

// ThresholdMode says what the thresholds are compared with.
type ThresholdMode string

// Threshold modes. Absolute thresholds are in the indicator's unit (a
// percentage, an index, a speed) and hold for every region. Baseline
// thresholds are ratios to the region's own baseline — the mean of the same
// hour of day over the seven days before — for counts and volumes, which
// differ from region to region and follow the day (a quiet night is not an
// alarm; three times the usual accidents at 08:00 is).
const (
	ThresholdAbsolute ThresholdMode = "absolute"
	ThresholdBaseline ThresholdMode = "baseline"
)

// Severity is how an indicator stands: normal, warn or alarm.
type Severity int

// Severities, in order.
const (
	Normal Severity = iota
	Warn
	Alarm
)

// String is the severity's name: normal, warn, alarm.
func (l Severity) String() string {
	switch l {
	case Warn:
		return "warn"
	case Alarm:
		return "alarm"
	}
	return "normal"
}

// ParseSeverity reads a severity's name.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "normal":
		return Normal, true
	case "warn":
		return Warn, true
	case "alarm":
		return Alarm, true
	}
	return Normal, false
}

// Indicator is one definition of the catalogue.
type Indicator struct {
	ID                             int // its row in the mirror (the catalogue's line order, from 1)
	Code, Category, NameZh, NameEn string
	Unit                           string
	Direction                      Direction
	Rollup                         Rollup
	Threshold                      ThresholdMode
	// Warn and Alarm are the thresholds (ratios for baseline ones); a
	// value at or beyond one has that level.
	Warn, Alarm float64
	// Hysteresis is how far back past a threshold a value must come for
	// the level to fall below it (in the thresholds' terms), so that a
	// value hovering at a threshold does not open and clear alerts hour
	// after hour.
	Hysteresis float64
	Refresh    time.Duration // how often a value arrives
	Source     string        // the office that supplies it
}

// Judge is the severity (level) of value v (for a baseline indicator, v divided by
// the baseline: the caller passes the ratio) given the level before: a
// level rises as soon as v reaches its threshold, and falls only once v is
// back past the threshold by Hysteresis. A NaN or infinite v keeps the
// level before.
func (d *Indicator) Judge(v float64, before Severity) Severity {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return before
	}
	// worse is whether v is at or beyond t in the bad direction.
	worse := func(v, t float64) bool {
		if d.Direction == LowerBetter {
			return v >= t
		}
		return v <= t
	}
	back := d.Hysteresis
	if d.Direction == LowerBetter {
		back = -back
	}
	level := Normal
	switch {
	case worse(v, d.Alarm):
		level = Alarm
	case worse(v, d.Warn):
		level = Warn
	}
	// Falling: stay at each level above until v has come back past its
	// threshold by the hysteresis.
	for l := before; l > level; l-- {
		t := d.Warn
		if l == Alarm {
			t = d.Alarm
		}
		if worse(v, t+back) {
			return l
		}
	}
	return level
}

// CheckIndicator refuses a definition whose thresholds cannot be judged:
// the alarm not beyond the warn threshold in the bad direction, a negative
// or NaN hysteresis, an unknown direction, rollup, mode or category.
func CheckIndicator(d *Indicator) string {
	switch {
	case d.Code == "":
		return "empty code"
	case !validCategory(d.Category):
		return "unknown category " + d.Category
	case d.Direction != HigherBetter && d.Direction != LowerBetter:
		return "direction is higher_better or lower_better"
	case d.Rollup != RollupSum && d.Rollup != RollupMean:
		return "rollup is sum or mean"
	case d.Threshold != ThresholdAbsolute && d.Threshold != ThresholdBaseline:
		return "threshold is absolute or baseline"
	case math.IsNaN(d.Warn) || math.IsNaN(d.Alarm) || math.IsInf(d.Warn, 0) || math.IsInf(d.Alarm, 0):
		return "thresholds must be numbers"
	case d.Direction == LowerBetter && d.Alarm <= d.Warn, d.Direction == HigherBetter && d.Alarm >= d.Warn:
		return "the alarm threshold must lie beyond the warn threshold"
	case !(d.Hysteresis >= 0):
		return "hysteresis must be 0 or more"
	case d.Threshold == ThresholdBaseline && (d.Warn <= 0 || d.Alarm <= 0):
		return "baseline thresholds are ratios above 0"
	case d.Refresh <= 0:
		return "refresh must be a positive duration"
	}
	return ""
}

func validCategory(c string) bool {
	for _, k := range IndicatorCategories {
		if k == c {
			return true
		}
	}
	return false
}

// TimeValue is one value of a series at an instant (a store's series and
// a chart's points alike).
type TimeValue struct {
	At    time.Time
	Value float64
}

// Reading is one value of an indicator in a region at an instant.
type Reading struct {
	Indicator string // code
	Region    string // region code (city, district or street)
	At        time.Time
	Value     float64
}

// IndicatorStatus is how an indicator stands in a region after the last
// evaluation.
type IndicatorStatus struct {
	Indicator Indicator
	Region    string
	At        time.Time // of the value judged
	Value     float64
	Baseline  float64 // for baseline indicators (0 when there is none yet)
	Severity  Severity
}

// Alert is one episode of an indicator in a region at one severity (warn
// or alarm): opened when the severity rose to it, cleared when it fell.
type Alert struct {
	UID         string
	Indicator   Indicator
	Region      string
	Severity    Severity
	OpenedAt    time.Time
	OpenedValue float64
	ClearedAt   time.Time // zero while open
	AckedAt     time.Time // zero until acknowledged
	AckedBy     string    // login
}

// Open is whether the alert is still open.
func (a Alert) Open() bool { return a.ClearedAt.IsZero() }

// TimeToAck is how long the alert waited to be acknowledged (0 while it
// has not been).
func (a Alert) TimeToAck() time.Duration {
	if a.AckedAt.IsZero() {
		return 0
	}
	return a.AckedAt.Sub(a.OpenedAt)
}

// AlertFilter picks alerts; zero fields pick all.
type AlertFilter struct {
	OpenOnly  bool
	OpenAt    time.Time // not zero: the alerts open at that moment (opened by then, cleared after), for a replay
	Unacked   bool
	Severity  Severity // Warn or Alarm; Normal: either
	Region    string   // code prefix
	Category  string
	Indicator string // code
	Limit     int
}

// IndicatorFilter picks indicator statuses; zero fields pick all.
type IndicatorFilter struct {
	Category  string
	Region    string   // exactly this region ("": the city)
	Within    bool     // Region and every region below it (a briefing's)
	AtLeast   Severity // Warn: warn and alarm; Alarm: alarm only
	Indicator string
}

// EvaluationResult is what an evaluation of every indicator did.
type EvaluationResult struct {
	Series, Changed int // series judged, statuses written
	Opened, Cleared int // alerts
}

// IndicatorSeries is one indicator's values in one region over a span of
// time: what a store reads (data/mirror's Series holds one) and a chart
// draws (app/chart's Series is this type).
type IndicatorSeries struct {
	Indicator Indicator
	// Region is the region's code, RegionName its Chinese name and
	// RegionPinyin its name in pinyin, for English ("Tianhe"); any may be
	// empty (a chart's title then names the region by its code, or not at
	// all).
	Region, RegionName, RegionPinyin string
	// Points are the values in time order.
	Points []TimeValue
	// Baseline is, for a baseline indicator, the baseline in time order:
	// each point holds until the next (a value is judged by its hour's
	// baseline); nil for none.
	Baseline []TimeValue
}
