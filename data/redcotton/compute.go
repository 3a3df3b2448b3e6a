package redcotton

import (
	"math"
	"sort"

	"kapok/data"
)

// MinCoverage is the share of hours a district must have of an input, as
// against the district that has the most hours of it that day, for the
// input to count for it: a feed that stopped at noon does not compare the
// morning's mean with other districts' whole day.
const MinCoverage = 0.75

// Neutral is the score every district gets on an input whose value is the
// same for all of them that day: it says nothing of who is better.
const Neutral = 50.0

// rankPlaces is how many decimal places of the composite (and of the
// dimension scores that break its ties) the ranking looks at: composites
// equal to a millionth of a point are tied.
const rankPlaces = 1e6

// Compute is the index of one day from the districts' inputs (one entry
// per district), as docs/red-cotton-index.md explains:
//
//  1. each input's daily value is the mean of the district's hourly
//     values that day (for MinMaxPerGrid, divided by its grids); it is
//     missing where the district has no value, fewer hours than
//     MinCoverage of the best-covered district's, or no grids;
//  2. a district missing every input of a dimension is left out;
//  3. among the others, each input scores 0 (the day's worst value) to
//     100 (the best) in proportion, Neutral when all have the same;
//  4. a dimension is the weighted mean of the inputs present (weights
//     re-scaled over them), the composite the dimensions' weighted sum;
//  5. ranks follow the composite, higher first; ties go to the higher
//     score on the dimensions in order of weight (heavier first, the
//     table's order among equals), then to the lower district code.
//
// def must be valid (Parse, or Check).
func Compute(def *Definition, districts []DistrictInput) Result {
	n := len(districts)
	// 1. Daily values; ok where present.
	type cell struct {
		value float64
		hours int
		ok    bool
	}
	cells := make([][]cell, len(def.Inputs))
	for i, in := range def.Inputs {
		row := make([]cell, n)
		most := 0
		for d := range districts {
			h, has := districts[d].Hours[in.Indicator]
			if !has {
				continue
			}
			row[d].value, row[d].hours = dailyMean(&h)
			most = max(most, row[d].hours)
		}
		for d := range row {
			c := &row[d]
			if c.hours == 0 || float64(c.hours) < MinCoverage*float64(most) {
				continue
			}
			if in.Normalise == MinMaxPerGrid {
				if districts[d].Grids <= 0 {
					continue
				}
				c.value /= float64(districts[d].Grids)
			}
			c.ok = true
		}
		cells[i] = row
	}
	// 2. Districts with something in every dimension.
	var res Result
	ranked := make([]int, 0, n)
	for d := range districts {
		var has [NumDimensions]bool
		for i, in := range def.Inputs {
			has[in.Dimension] = has[in.Dimension] || cells[i][d].ok
		}
		out := -1
		for _, k := range Dimensions {
			if !has[k] {
				out = int(k)
				break
			}
		}
		if out >= 0 {
			res.Left = append(res.Left, LeftOut{District: districts[d].Code, Dimension: Dimension(out)})
			continue
		}
		ranked = append(ranked, d)
	}
	// 3-4. Scores among the districts ranked.
	res.Inputs = make(map[string]map[string]InputScore, len(ranked))
	type acc struct{ sum, weight float64 }
	dims := make([][NumDimensions]acc, n)
	for i, in := range def.Inputs {
		lo, hi, seen := math.Inf(1), math.Inf(-1), false
		for _, d := range ranked {
			if c := cells[i][d]; c.ok {
				lo, hi, seen = math.Min(lo, c.value), math.Max(hi, c.value), true
			}
		}
		if !seen {
			continue
		}
		for _, d := range ranked {
			c := cells[i][d]
			if !c.ok {
				continue
			}
			s := minMax(c.value, lo, hi, in.Direction)
			code := districts[d].Code
			if res.Inputs[code] == nil {
				res.Inputs[code] = map[string]InputScore{}
			}
			res.Inputs[code][in.Indicator] = InputScore{Value: c.value, Score: s}
			a := &dims[d][in.Dimension]
			a.sum += in.Weight * s
			a.weight += in.Weight
		}
	}
	for _, d := range ranked {
		s := Score{District: districts[d].Code}
		for _, k := range Dimensions {
			s.Dimensions[k] = clamp(dims[d][k].sum / dims[d][k].weight)
			s.Composite += def.Weights[k] * s.Dimensions[k]
		}
		s.Composite = clamp(s.Composite)
		res.Scores = append(res.Scores, s)
	}
	// 5. Ranks.
	rank(res.Scores, def.Weights)
	return res
}

// dailyMean is the mean of the hours that have a value, and how many do.
func dailyMean(h *Hours) (float64, int) {
	sum, k := 0.0, 0
	for _, v := range h {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += v
			k++
		}
	}
	if k == 0 {
		return math.NaN(), 0
	}
	return sum / float64(k), k
}

// clamp keeps a weighted mean of scores within 0-100 against rounding.
func clamp(x float64) float64 { return math.Min(100, math.Max(0, x)) }

// minMax is v's score between the day's lowest and highest values: 100 at
// the better end, 0 at the worse, Neutral when they are the same.
func minMax(v, lo, hi float64, dir data.Direction) float64 {
	if hi-lo <= 1e-12*math.Max(math.Abs(lo), math.Abs(hi)) {
		return Neutral
	}
	if dir == data.LowerBetter {
		return 100 * ((hi - v) / (hi - lo))
	}
	return 100 * ((v - lo) / (hi - lo))
}

// rank sorts scores best first and numbers them from 1: by the composite,
// then the dimensions heaviest first (the table's order among equal
// weights), each to a millionth of a point, then the district code.
func rank(scores []Score, weights [NumDimensions]float64) {
	order := Dimensions
	sort.SliceStable(order[:], func(i, j int) bool { return weights[order[i]] > weights[order[j]] })
	key := func(x float64) float64 { return math.Round(x * rankPlaces) }
	sort.Slice(scores, func(i, j int) bool {
		a, b := &scores[i], &scores[j]
		if ka, kb := key(a.Composite), key(b.Composite); ka != kb {
			return ka > kb
		}
		for _, k := range order {
			if ka, kb := key(a.Dimensions[k]), key(b.Dimensions[k]); ka != kb {
				return ka > kb
			}
		}
		return a.District < b.District
	})
	for i := range scores {
		scores[i].Rank = i + 1
	}
}
