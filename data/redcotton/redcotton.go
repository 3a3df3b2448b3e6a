// Package redcotton computes Guangzhou's Red Cotton "5+1" Index (红棉指数)
// from the operations centre's indicators: five dimensions — safety (安全),
// rule of law (法治), services (服务), harmony (和谐) and participation
// (参与) — and a composite, per district and Beijing day, and the ranking
// of the districts by the composite. The definition is data
// (assets/redcotton.csv, read by Load or Parse); docs/red-cotton-index.md
// explains it with a worked example. No store, no SQL: the mirror reads the
// hourly values and writes what Compute returns.
package redcotton

import (
	"math"

	"kapok/data"
)

// Dimension is one of the five dimensions of the index.
type Dimension int

// The dimensions, in the order of the table red_cotton_index's columns.
const (
	Safety Dimension = iota
	RuleOfLaw
	Services
	Harmony
	Participation
)

// NumDimensions is how many dimensions there are.
const NumDimensions = 5

// Dimensions are the five dimensions in order.
var Dimensions = [NumDimensions]Dimension{Safety, RuleOfLaw, Services, Harmony, Participation}

var dimensionNames = [NumDimensions]string{"safety", "rule_of_law", "services", "harmony", "participation"}
var dimensionNamesZh = [NumDimensions]string{"安全", "法治", "服务", "和谐", "参与"}

// String is the dimension's name as the definition and the table's column
// name it: safety, rule_of_law, services, harmony, participation.
func (d Dimension) String() string {
	if d < 0 || d >= NumDimensions {
		return "unknown"
	}
	return dimensionNames[d]
}

// Zh is the dimension's Chinese name: 安全, 法治, 服务, 和谐, 参与.
func (d Dimension) Zh() string {
	if d < 0 || d >= NumDimensions {
		return "?"
	}
	return dimensionNamesZh[d]
}

// ParseDimension reads a dimension's name.
func ParseDimension(s string) (Dimension, bool) {
	for i, n := range dimensionNames {
		if n == s {
			return Dimension(i), true
		}
	}
	return 0, false
}

// Normalisation is how an input's daily value is turned into a score from
// 0 to 100 among the districts of the day.
type Normalisation string

// Normalisations. MinMax scores the day's value as it is: the best
// district of the day 100, the worst 0, the others in proportion between
// (which is best follows the indicator's direction). MinMaxPerGrid first
// divides the value by the district's number of grids, so that a count
// (calls, cases, volunteers) compares districts of different size.
const (
	MinMax        Normalisation = "minmax"
	MinMaxPerGrid Normalisation = "minmax_per_grid"
)

// Input is one indicator of a dimension.
type Input struct {
	Dimension Dimension
	Indicator string         // an hourly indicator's code (…H) of assets/indicators.csv
	Direction data.Direction // the indicator's: which way is better
	Weight    float64        // within the dimension; a dimension's inputs weigh 1 in all
	Normalise Normalisation
}

// Definition is the index: the weight of each dimension in the composite
// (they add up to 1) and the inputs of each dimension.
type Definition struct {
	Weights [NumDimensions]float64
	Inputs  []Input
}

// Hours are one indicator's 24 hourly values in one district on one
// Beijing day, hour 0 (00:00-01:00) first; NaN where there is no value.
type Hours [24]float64

// NoHours are hours without any value.
func NoHours() Hours {
	var h Hours
	for i := range h {
		h[i] = math.NaN()
	}
	return h
}

// DistrictInput is what a district has on a day: its number of grids (for
// the inputs normalised per grid) and the hours of the indicators, by
// code. An indicator absent from Hours has no value that day.
type DistrictInput struct {
	Code  string
	Grids int
	Hours map[string]Hours
}

// Score is a district's index on a day: the five dimension scores (0-100,
// by Dimension), the composite (their weighted sum) and its rank among the
// districts ranked that day (1 the best).
type Score struct {
	District   string
	Dimensions [NumDimensions]float64
	Composite  float64
	Rank       int
}

// InputScore is one input of one district on the day: its daily value
// (the mean of the day's hourly values, divided by the grids for
// MinMaxPerGrid) and its score from 0 to 100.
type InputScore struct {
	Value, Score float64
}

// LeftOut is a district without an index that day: none of the inputs of
// a dimension had a value for it.
type LeftOut struct {
	District  string
	Dimension Dimension // the first dimension with nothing
}

// Result is one day's index.
type Result struct {
	Scores []Score // by rank, 1 first
	// Inputs are the input scores of each district ranked, by district
	// and indicator code; an input missing for a district is absent.
	Inputs map[string]map[string]InputScore
	Left   []LeftOut // in the order the districts were given
}
