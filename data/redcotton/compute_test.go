package redcotton

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"kapok/data"
)

func load(t testing.TB) *Definition {
	t.Helper()
	def, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// flat is a day whose 24 hours all have the value v.
func flat(v float64) Hours {
	var h Hours
	for i := range h {
		h[i] = v
	}
	return h
}

// near is whether a and b agree to 1e-9.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

// alike is districts with these codes and grids whose every input of def
// has the same value everywhere (the same per grid for inputs per grid).
func alike(def *Definition, codes []string, grids []int) []DistrictInput {
	out := make([]DistrictInput, len(codes))
	for d := range codes {
		out[d] = DistrictInput{Code: codes[d], Grids: grids[d], Hours: map[string]Hours{}}
		for _, in := range def.Inputs {
			v := 7.0
			if in.Normalise == MinMaxPerGrid {
				v = 0.01 * float64(grids[d])
			}
			out[d].Hours[in.Indicator] = flat(v)
		}
	}
	return out
}

// scoreOf is the district's score in r (failing when it is not ranked).
func scoreOf(t *testing.T, r Result, code string) Score {
	t.Helper()
	for _, s := range r.Scores {
		if s.District == code {
			return s
		}
	}
	t.Fatalf("%s not ranked: %+v", code, r)
	return Score{}
}

// The worked example of docs/red-cotton-index.md, through Compute with the
// definition of assets/redcotton.csv: three districts alike but for
// safety; then B's police calls rise, or C's fire calls rise, or C's
// accidents are missing, or all of C's safety inputs are.
func TestWorkedExample(t *testing.T) {
	def := load(t)
	const a, b, c = "440103", "440104", "440105"
	example := func() []DistrictInput {
		in := alike(def, []string{a, b, c}, []int{400, 500, 800})
		for code, v := range map[string][3]float64{
			"public_safety-01H": {12, 14, 16},
			"public_safety-02H": {0.8, 1.5, 2.0},
			"public_safety-03H": {2.0, 2.0, 4.8},
			"emergency-03H":     {0.4, 0.5, 0.8},
			"transport-05H":     {1.2, 2.0, 2.4},
		} {
			for d := range in {
				in[d].Hours[code] = flat(v[d])
			}
		}
		return in
	}
	type want struct {
		safety, composite float64
		rank              int
	}
	check := func(name string, r Result, wants map[string]want) {
		t.Helper()
		if len(r.Scores) != len(wants) {
			t.Fatalf("%s: %d ranked, want %d: %+v", name, len(r.Scores), len(wants), r)
		}
		for code, w := range wants {
			s := scoreOf(t, r, code)
			if !near(s.Dimensions[Safety], w.safety) || !near(s.Composite, w.composite) || s.Rank != w.rank {
				t.Errorf("%s: %s safety %v composite %v rank %d; want %v %v %d", name, code, s.Dimensions[Safety], s.Composite, s.Rank,
					w.safety, w.composite, w.rank)
			}
			for _, k := range []Dimension{RuleOfLaw, Services, Harmony, Participation} {
				if !near(s.Dimensions[k], 50) {
					t.Errorf("%s: %s %s = %v, want 50", name, code, k, s.Dimensions[k])
				}
			}
		}
	}

	base := Compute(def, example())
	check("base", base, map[string]want{a: {62.5, 53.125, 1}, c: {62.5, 53.125, 2}, b: {29, 44.75, 3}})
	// The table's scores, input by input.
	for code, scores := range map[string][3]float64{
		"public_safety-01H": {0, 20, 100}, "public_safety-02H": {100, 0, 50}, "public_safety-03H": {50, 100, 0},
		"emergency-03H": {50, 50, 50}, "transport-05H": {100, 0, 100},
	} {
		for d, dist := range []string{a, b, c} {
			if got := base.Inputs[dist][code].Score; !near(got, scores[d]) {
				t.Errorf("%s of %s scores %v, want %v", code, dist, got, scores[d])
			}
		}
	}
	if got := base.Inputs[b]["public_safety-01H"].Value; !near(got, 0.028) {
		t.Errorf("B's police calls per grid %v, want 0.028", got)
	}

	in := example()
	in[1].Hours["public_safety-01H"] = flat(15)
	check("B's police calls rise", Compute(def, in), map[string]want{a: {62.5, 53.125, 1}, c: {62.5, 53.125, 2}, b: {25, 43.75, 3}})

	in = example()
	in[2].Hours["emergency-03H"] = flat(1.2)
	check("C's fire calls rise", Compute(def, in), map[string]want{a: {72.5, 55.625, 1}, c: {52.5, 50.625, 2}, b: {39, 47.25, 3}})

	in = example()
	delete(in[2].Hours, "transport-05H")
	r := Compute(def, in)
	check("C's accidents missing", r, map[string]want{a: {62.5, 53.125, 1}, c: {53.125, 50.78125, 2}, b: {29, 44.75, 3}})
	if _, ok := r.Inputs[c]["transport-05H"]; ok || r.Inputs[a]["transport-05H"].Score != 100 || r.Inputs[b]["transport-05H"].Score != 0 {
		t.Errorf("accidents without C: %v %v %v", r.Inputs[a]["transport-05H"], r.Inputs[b]["transport-05H"], r.Inputs[c]["transport-05H"])
	}

	in = example()
	for _, x := range def.Inputs {
		if x.Dimension == Safety {
			delete(in[2].Hours, x.Indicator)
		}
	}
	r = Compute(def, in)
	if len(r.Left) != 1 || r.Left[0] != (LeftOut{District: c, Dimension: Safety}) || r.Inputs[c] != nil {
		t.Fatalf("C without safety: left %+v, inputs %v", r.Left, r.Inputs[c])
	}
	// A and B, scored between themselves: A 0+25+0+10+20, B 20+0+15+10+0.
	check("C without safety", r, map[string]want{a: {55, 51.25, 1}, b: {45, 48.75, 2}})
}

// Raising one input's value for one district, all else alike, moves that
// input's score to 100 or 0 as its direction says (the others to the other
// end), its dimension by the input's weight times the move from 50, and the
// composite by the dimension's weight times that — for every input of the
// definition.
func TestOneInputMovesItsDimension(t *testing.T) {
	def := load(t)
	codes, grids := []string{"440103", "440104", "440105", "440106"}, []int{300, 900, 450, 1200}
	for _, x := range def.Inputs {
		in := alike(def, codes, grids)
		h := in[1].Hours[x.Indicator]
		for i := range h {
			h[i] *= 1.1
		}
		in[1].Hours[x.Indicator] = h
		r := Compute(def, in)
		own, others := 100.0, 0.0
		if x.Direction == data.LowerBetter {
			own, others = 0, 100
		}
		for d, code := range codes {
			want := others
			if d == 1 {
				want = own
			}
			s := scoreOf(t, r, code)
			dim := 50 + x.Weight*(want-50)
			if got := r.Inputs[code][x.Indicator].Score; got != want || !near(s.Dimensions[x.Dimension], dim) ||
				!near(s.Composite, 50+def.Weights[x.Dimension]*(dim-50)) {
				t.Errorf("%s raised in %s: %s scores %v, %s %v, composite %v; want %v, %v, %v", x.Indicator, codes[1], code, got,
					x.Dimension, s.Dimensions[x.Dimension], s.Composite, want, dim, 50+def.Weights[x.Dimension]*(dim-50))
			}
		}
		// Raised where better, the district ranks first; where worse, last.
		if first := r.Scores[0].District; x.Direction == data.HigherBetter && first != codes[1] ||
			x.Direction == data.LowerBetter && r.Scores[len(r.Scores)-1].District != codes[1] {
			t.Errorf("%s raised in %s: ranking %+v", x.Indicator, codes[1], r.Scores)
		}
	}
}

// Per grid: a district twice the size with twice the count scores the
// same; the raw count (minmax) would not.
func TestPerGrid(t *testing.T) {
	def := &Definition{Weights: [NumDimensions]float64{0.2, 0.2, 0.2, 0.2, 0.2}}
	for _, k := range Dimensions {
		def.Inputs = append(def.Inputs, Input{Dimension: k, Indicator: k.String(), Direction: data.LowerBetter, Weight: 1, Normalise: MinMaxPerGrid})
	}
	def.Inputs[0].Normalise = MinMax
	if why := def.Check(); why != "" {
		t.Fatal(why)
	}
	in := []DistrictInput{{Code: "1", Grids: 100, Hours: map[string]Hours{}}, {Code: "2", Grids: 200, Hours: map[string]Hours{}}}
	for _, k := range Dimensions {
		in[0].Hours[k.String()], in[1].Hours[k.String()] = flat(3), flat(6)
	}
	r := Compute(def, in)
	for _, s := range r.Scores {
		if s.Dimensions[Safety] != map[string]float64{"1": 100, "2": 0}[s.District] {
			t.Errorf("raw counts: %+v", s)
		}
		for _, k := range Dimensions[1:] {
			if s.Dimensions[k] != Neutral {
				t.Errorf("per grid: %s %v", k, s.Dimensions[k])
			}
		}
	}
	// No grids: the per-grid inputs are missing, and so is the district.
	in[1].Grids = 0
	if r := Compute(def, in); len(r.Scores) != 1 || len(r.Left) != 1 || r.Left[0] != (LeftOut{"2", RuleOfLaw}) {
		t.Errorf("without grids: %+v", r)
	}
}

// The day's value is the mean of the hours there are; an input counts for
// a district with at least three quarters of the hours of the district
// that has the most (18 of 24), and not with fewer; a day under way (every
// district to 09:00) counts whole.
func TestHoursAndCoverage(t *testing.T) {
	def := load(t)
	codes, grids := []string{"440103", "440104"}, []int{100, 100}
	const code = "public_services-09H" // satisfaction, higher better, as it is
	for _, c := range []struct {
		name    string
		hours   int // of district 2; district 1 has 24
		present bool
	}{{"18 of 24", 18, true}, {"17 of 24", 17, false}, {"none", 0, false}} {
		in := alike(def, codes, grids)
		h := NoHours()
		for i := 0; i < c.hours; i++ {
			h[i] = 90 // better than 7
		}
		in[1].Hours[code] = h
		r := Compute(def, in)
		got, ok := r.Inputs[codes[1]][code]
		if ok != c.present || ok && (got.Value != 90 || got.Score != 100) {
			t.Errorf("%s: %v %v", c.name, got, ok)
		}
		if !ok && (r.Inputs[codes[0]][code].Score != Neutral || !near(scoreOf(t, r, codes[1]).Dimensions[Services], 50)) {
			t.Errorf("%s: missing input not left out of the scale or the dimension: %+v", c.name, r)
		}
	}
	// A day to 09:00 in both: the mean of ten hours each.
	in := alike(def, codes, grids)
	for d, vs := range [][2]float64{{80, 90}, {85, 85}} {
		h := NoHours()
		for i := 0; i <= 9; i++ {
			h[i] = vs[i%2]
		}
		in[d].Hours[code] = h
	}
	r := Compute(def, in)
	if a, b := r.Inputs[codes[0]][code], r.Inputs[codes[1]][code]; a.Value != 85 || b.Value != 85 || a.Score != Neutral || b.Score != Neutral {
		t.Errorf("day under way: %+v %+v", a, b)
	}
}

// Ties: equal composites go to the heavier dimension's score (safety and
// services weigh 0.25, harmony 0.2, rule of law and participation 0.15:
// safety, services, harmony, rule of law, participation), each to a
// millionth of a point, then to the lower code.
func TestTies(t *testing.T) {
	weights := load(t).Weights
	mk := func(code string, dims ...float64) Score {
		s := Score{District: code}
		copy(s.Dimensions[:], dims)
		for k, v := range s.Dimensions {
			s.Composite += weights[k] * v
		}
		return s
	}
	for _, c := range []struct {
		name   string
		scores []Score
		want   string // the districts in rank order
	}{
		{"composite first", []Score{mk("1", 10, 10, 10, 10, 10), mk("2", 90, 90, 90, 90, 90)}, "2 1"},
		// 0.25×40 + 0.25×60 = 0.25×60 + 0.25×40: safety decides.
		{"safety before services", []Score{mk("1", 40, 50, 60, 50, 50), mk("2", 60, 50, 40, 50, 50)}, "2 1"},
		// 0.25×70 + 0.2×25 = 0.25×30 + 0.2×75: services decides.
		{"services next", []Score{mk("1", 50, 50, 70, 25, 50), mk("2", 50, 50, 30, 75, 50)}, "1 2"},
		// 0.15×80 = 0.2×60 (12): harmony (0.2) before rule of law (0.15).
		{"harmony before rule of law", []Score{mk("1", 50, 80, 50, 0, 50), mk("2", 50, 0, 50, 60, 50)}, "2 1"},
		// Rule of law before participation (equal weights, table order).
		{"rule of law before participation", []Score{mk("1", 50, 40, 50, 50, 60), mk("2", 50, 60, 50, 50, 40)}, "2 1"},
		{"all equal: the lower code", []Score{mk("3", 50, 50, 50, 50, 50), mk("1", 50, 50, 50, 50, 50), mk("2", 50, 50, 50, 50, 50)}, "1 2 3"},
		// Within a millionth of a point is a tie; the lower code wins.
		{"a millionth", []Score{mk("2", 50, 50, 50, 50, 50), {District: "1", Composite: 50 - 1e-8, Dimensions: [NumDimensions]float64{50, 50, 50, 50, 50}}}, "1 2"},
	} {
		rank(c.scores, weights)
		var got []string
		for i, s := range c.scores {
			if s.Rank != i+1 {
				t.Errorf("%s: rank %d at %d", c.name, s.Rank, i)
			}
			got = append(got, s.District)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %v, want %s", c.name, got, c.want)
		}
	}
}

// Property: for any inputs, every district is ranked or left out; ranks
// are 1..n in order of the composite; the composite is the dimensions'
// weighted sum; every score lies in 0-100.
func TestComputeProperties(t *testing.T) {
	def := load(t)
	rng := rand.New(rand.NewPCG(11, 4))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(14)
		var in []DistrictInput
		for d := 0; d < n; d++ {
			di := DistrictInput{Code: string(rune('A' + d)), Grids: rng.IntN(3) * rng.IntN(2000), Hours: map[string]Hours{}}
			for _, x := range def.Inputs {
				if rng.IntN(10) == 0 {
					continue // missing
				}
				h := NoHours()
				for i := range h {
					if rng.IntN(8) != 0 {
						h[i] = float64(rng.IntN(4)) * rng.Float64() * 100 // ties now and then
					}
				}
				di.Hours[x.Indicator] = h
			}
			in = append(in, di)
		}
		r := Compute(def, in)
		if len(r.Scores)+len(r.Left) != n {
			t.Fatalf("trial %d: %d ranked + %d left of %d", trial, len(r.Scores), len(r.Left), n)
		}
		for i, s := range r.Scores {
			sum := 0.0
			for k, v := range s.Dimensions {
				if !(v >= 0 && v <= 100) {
					t.Fatalf("trial %d: %s %s = %v", trial, s.District, Dimension(k), v)
				}
				sum += def.Weights[k] * v
			}
			if s.Rank != i+1 || math.Abs(s.Composite-sum) > 1e-9 || !(s.Composite >= 0 && s.Composite <= 100) {
				t.Fatalf("trial %d: %+v (weighted sum %v) at %d", trial, s, sum, i)
			}
			if i > 0 && math.Round(s.Composite*rankPlaces) > math.Round(r.Scores[i-1].Composite*rankPlaces) {
				t.Fatalf("trial %d: %+v ranked below %+v", trial, s, r.Scores[i-1])
			}
			for code, x := range r.Inputs[s.District] {
				if !(x.Score >= 0 && x.Score <= 100) {
					t.Fatalf("trial %d: %s %s scores %v", trial, s.District, code, x.Score)
				}
			}
		}
	}
}

// Compute does not depend on the order the districts come in.
func TestComputeIgnoresOrder(t *testing.T) {
	def := load(t)
	rng := rand.New(rand.NewPCG(5, 5))
	var in []DistrictInput
	for d := 0; d < 11; d++ {
		di := DistrictInput{Code: string(rune('a' + d)), Grids: 100 + rng.IntN(2000), Hours: map[string]Hours{}}
		for _, x := range def.Inputs {
			di.Hours[x.Indicator] = flat(rng.Float64() * 50)
		}
		in = append(in, di)
	}
	a := Compute(def, in)
	rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
	b := Compute(def, in)
	for i := range a.Scores {
		if a.Scores[i] != b.Scores[i] {
			t.Fatalf("order matters: %+v vs %+v", a.Scores[i], b.Scores[i])
		}
	}
}
