package redcotton

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"kapok/assets"
	"kapok/data"
)

// The definition (assets/redcotton.csv) has one row per dimension and per
// input, in any order, lines starting with # being comments:
//
//	dimension,indicator,weight,normalise
//	safety,,0.25,
//	safety,public_safety-01H,0.2,minmax_per_grid
//
// A row without an indicator gives the dimension's weight in the
// composite; a row with one is an input of the dimension with its weight
// within it. Each of the five dimensions has its row and at least one
// input; an indicator is an input once; the weights are above 0 and at
// most 1, and add up to 1 for the dimensions and for each dimension's
// inputs.

// File is the definition's name among the embedded assets.
const File = "redcotton.csv"

var columns = []string{"dimension", "indicator", "weight", "normalise"}

// weightSlack is how far from 1 a sum of weights may be (decimal weights
// do not add up exactly in binary).
const weightSlack = 1e-6

// Load reads the embedded definition (assets/redcotton.csv) against the
// embedded indicator catalogue.
func Load() (*Definition, error) {
	catalogue, err := data.Indicators()
	if err != nil {
		return nil, err
	}
	f, err := assets.FS.Open(File)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return Parse(File, f, catalogue)
}

// Parse reads a definition in the form of assets/redcotton.csv, taking
// each input's direction from the catalogue. Any bad value is refused with
// a *data.InputError naming file, line and column (sums of weights that
// are not 1 name the line where the last weight of the sum stands; a
// dimension missing altogether, the end of the file).
func Parse(file string, r io.Reader, catalogue []data.Indicator) (*Definition, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &data.InputError{File: file, Reason: "empty file: no header row"}
	}
	if err != nil {
		return nil, &data.InputError{File: file, Reason: err.Error()}
	}
	headerLine, _ := cr.FieldPos(0)
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, want := range columns {
		if _, ok := col[want]; !ok {
			return nil, &data.InputError{File: file, Record: fmt.Sprintf("line %d", headerLine), Reason: fmt.Sprintf("no column %q", want)}
		}
	}
	byCode := map[string]*data.Indicator{}
	for i := range catalogue {
		byCode[catalogue[i].Code] = &catalogue[i]
	}
	def := &Definition{}
	var weightLine, lastInput [NumDimensions]int // lines of each dimension's row and of its last input
	inputLine := map[string]int{}
	lastWeight := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &data.InputError{File: file, Reason: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		row := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		bad := func(c, reason string) error {
			return &data.InputError{File: file, Record: fmt.Sprintf("line %d, column %s", line, c), Reason: reason}
		}
		dim, ok := ParseDimension(row("dimension"))
		if !ok {
			return nil, bad("dimension", fmt.Sprintf("%q is not safety, rule_of_law, services, harmony or participation", row("dimension")))
		}
		w, err := strconv.ParseFloat(row("weight"), 64)
		if err != nil || !(w > 0 && w <= 1) {
			return nil, bad("weight", fmt.Sprintf("%q is not a number above 0 and at most 1", row("weight")))
		}
		code := row("indicator")
		if code == "" {
			switch {
			case weightLine[dim] != 0:
				return nil, bad("dimension", fmt.Sprintf("%s has its weight on line %d already", dim, weightLine[dim]))
			case row("normalise") != "":
				return nil, bad("normalise", "a dimension's row (no indicator) has no normalisation")
			}
			weightLine[dim], def.Weights[dim], lastWeight = line, w, line
			continue
		}
		ind := byCode[code]
		switch {
		case ind == nil:
			return nil, bad("indicator", fmt.Sprintf("%q is not in the indicator catalogue", code))
		case !strings.HasSuffix(code, "H"):
			return nil, bad("indicator", fmt.Sprintf("%s is not an hourly indicator (…H): the index takes the mean of a day's hourly values", code))
		case inputLine[code] != 0:
			return nil, bad("indicator", fmt.Sprintf("%s is an input on line %d already", code, inputLine[code]))
		}
		n := Normalisation(row("normalise"))
		if n != MinMax && n != MinMaxPerGrid {
			return nil, bad("normalise", fmt.Sprintf("%q is not minmax or minmax_per_grid", row("normalise")))
		}
		inputLine[code], lastInput[dim] = line, line
		def.Inputs = append(def.Inputs, Input{Dimension: dim, Indicator: code, Direction: ind.Direction, Weight: w, Normalise: n})
	}
	end := func(reason string) error { return &data.InputError{File: file, Record: "end of file", Reason: reason} }
	for _, d := range Dimensions {
		switch {
		case weightLine[d] == 0:
			return nil, end(fmt.Sprintf("no row gives the weight of %s (a row with no indicator)", d))
		case lastInput[d] == 0:
			return nil, end(fmt.Sprintf("%s has no input", d))
		}
		if sum := def.inputWeight(d); math.Abs(sum-1) > weightSlack {
			return nil, &data.InputError{File: file, Record: fmt.Sprintf("line %d, column weight", lastInput[d]),
				Reason: fmt.Sprintf("the inputs of %s weigh %g in all, not 1", d, sum)}
		}
	}
	if sum := def.dimensionWeight(); math.Abs(sum-1) > weightSlack {
		return nil, &data.InputError{File: file, Record: fmt.Sprintf("line %d, column weight", lastWeight),
			Reason: fmt.Sprintf("the five dimensions weigh %g in all, not 1", sum)}
	}
	return def, nil
}

// inputWeight is the sum of the weights of a dimension's inputs.
func (def *Definition) inputWeight(d Dimension) float64 {
	sum := 0.0
	for _, in := range def.Inputs {
		if in.Dimension == d {
			sum += in.Weight
		}
	}
	return sum
}

// dimensionWeight is the sum of the dimensions' weights.
func (def *Definition) dimensionWeight() float64 {
	sum := 0.0
	for _, w := range def.Weights {
		sum += w
	}
	return sum
}

// Check says what is wrong with a definition ("" when nothing is): what
// Parse refuses, for definitions made otherwise.
func (def *Definition) Check() string {
	seen := map[string]bool{}
	for _, in := range def.Inputs {
		switch {
		case in.Dimension < 0 || in.Dimension >= NumDimensions:
			return fmt.Sprintf("%s: no dimension %d", in.Indicator, in.Dimension)
		case in.Indicator == "" || seen[in.Indicator]:
			return fmt.Sprintf("input %q empty or twice", in.Indicator)
		case in.Direction != data.HigherBetter && in.Direction != data.LowerBetter:
			return fmt.Sprintf("%s: direction %q", in.Indicator, in.Direction)
		case !(in.Weight > 0 && in.Weight <= 1):
			return fmt.Sprintf("%s: weight %g", in.Indicator, in.Weight)
		case in.Normalise != MinMax && in.Normalise != MinMaxPerGrid:
			return fmt.Sprintf("%s: normalisation %q", in.Indicator, in.Normalise)
		}
		seen[in.Indicator] = true
	}
	for _, d := range Dimensions {
		if w := def.Weights[d]; !(w > 0 && w <= 1) {
			return fmt.Sprintf("%s weighs %g", d, w)
		}
		if sum := def.inputWeight(d); math.Abs(sum-1) > weightSlack {
			return fmt.Sprintf("the inputs of %s weigh %g in all", d, sum)
		}
	}
	if sum := def.dimensionWeight(); math.Abs(sum-1) > weightSlack {
		return fmt.Sprintf("the dimensions weigh %g in all", sum)
	}
	return ""
}
