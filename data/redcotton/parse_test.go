package redcotton

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kapok/data"
)

func catalogue(t testing.TB) []data.Indicator {
	t.Helper()
	c, err := data.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The embedded definition: five dimensions weighing 0.25, 0.15, 0.25, 0.2
// and 0.15, each with its inputs, every one an hourly indicator of the
// catalogue with the catalogue's direction; the document's table lists
// the same inputs.
func TestLoad(t *testing.T) {
	def := load(t)
	if def.Weights != [NumDimensions]float64{0.25, 0.15, 0.25, 0.2, 0.15} {
		t.Errorf("weights %v", def.Weights)
	}
	if why := def.Check(); why != "" {
		t.Fatal(why)
	}
	byCode := map[string]data.Indicator{}
	for _, d := range catalogue(t) {
		byCode[d.Code] = d
	}
	var per [NumDimensions]int
	for _, in := range def.Inputs {
		per[in.Dimension]++
		if d, ok := byCode[in.Indicator]; !ok || d.Direction != in.Direction || !strings.HasSuffix(in.Indicator, "H") {
			t.Errorf("%+v against %+v", in, d)
		}
		// Rates are taken as they are, counts per grid.
		if perGrid := byCode[in.Indicator].Unit != "%" && byCode[in.Indicator].Unit != "小时"; perGrid != (in.Normalise == MinMaxPerGrid) {
			t.Errorf("%s (%s) normalised %s", in.Indicator, byCode[in.Indicator].Unit, in.Normalise)
		}
	}
	if per != [NumDimensions]int{5, 5, 5, 5, 3} {
		t.Errorf("inputs per dimension %v", per)
	}
	doc, err := readDoc()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range def.Inputs {
		if !strings.Contains(doc, "`"+in.Indicator+"`") {
			t.Errorf("docs/red-cotton-index.md does not list %s", in.Indicator)
		}
	}
}

const good = `dimension,indicator,weight,normalise
safety,,0.25,
safety,public_safety-01H,0.5,minmax_per_grid
safety,public_safety-02H,0.5,minmax_per_grid
rule_of_law,,0.15,
rule_of_law,social_stability-02H,1,minmax
services,,0.25,
services,public_services-09H,1,minmax
harmony,,0.2,
harmony,social_stability-03H,1,minmax_per_grid
participation,,0.15,
participation,grid_work-08H,1,minmax_per_grid
`

// A good file is read whatever the order of its rows, with comments and a
// byte-order mark; each bad one is refused naming the file, line and
// column (or the end of the file for what is missing altogether).
func TestParseRefusals(t *testing.T) {
	cat := catalogue(t)
	for _, ok := range []string{good, "\ufeff# comment\n" + good, reorder(good)} {
		def, err := Parse("t.csv", strings.NewReader(ok), cat)
		if err != nil {
			t.Fatalf("%v\n%s", err, ok)
		}
		if len(def.Inputs) != 6 || def.Weights[Harmony] != 0.2 || def.Inputs[0].Direction == "" {
			t.Fatalf("read %+v", def)
		}
	}
	for _, c := range []struct{ text, says string }{
		{"", "t.csv: empty file"},
		{"dimension,indicator,weight\nsafety,,1\n", `t.csv: line 1: no column "normalise"`},
		{strings.Replace(good, "rule_of_law,,", "law,,", 1), `line 5, column dimension: "law" is not safety`},
		{strings.Replace(good, "safety,,0.25,", "safety,,heavy,", 1), `line 2, column weight: "heavy" is not a number`},
		{strings.Replace(good, "safety,,0.25,", "safety,,0,", 1), `line 2, column weight: "0" is not a number above 0`},
		{strings.Replace(good, "safety,,0.25,", "safety,,NaN,", 1), `line 2, column weight`},
		{strings.Replace(good, "public_safety-01H,0.5", "public_safety-99H,0.5", 1), `line 3, column indicator: "public_safety-99H" is not in the indicator catalogue`},
		{strings.Replace(good, "public_safety-01H,0.5", "public_safety-01D,0.5", 1), `line 3, column indicator: public_safety-01D is not an hourly indicator`},
		{strings.Replace(good, "public_safety-02H,0.5", "public_safety-01H,0.5", 1), `line 4, column indicator: public_safety-01H is an input on line 3 already`},
		{strings.Replace(good, "0.5,minmax_per_grid", "0.5,zscore", 1), `line 3, column normalise: "zscore" is not minmax or minmax_per_grid`},
		{strings.Replace(good, "safety,,0.25,", "safety,,0.25,minmax", 1), `line 2, column normalise: a dimension's row`},
		{good + "safety,,0.25,\n", `line 13, column dimension: safety has its weight on line 2 already`},
		{strings.Replace(good, "harmony,,0.2,\n", "", 1), `end of file: no row gives the weight of harmony`},
		{strings.Replace(good, "participation,grid_work-08H,1,minmax_per_grid\n", "", 1), `end of file: participation has no input`},
		{strings.Replace(good, "public_safety-02H,0.5", "public_safety-02H,0.4", 1), `line 4, column weight: the inputs of safety weigh 0.9 in all, not 1`},
		{strings.Replace(good, "participation,,0.15,", "participation,,0.2,", 1), `line 11, column weight: the five dimensions weigh 1.05 in all, not 1`},
		{good + "safety,x\n", `t.csv: record on line 13: wrong number of fields`},
	} {
		_, err := Parse("t.csv", strings.NewReader(c.text), cat)
		var ie *data.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.says) || !strings.HasPrefix(err.Error(), "t.csv: ") {
			t.Errorf("%q: %v, want %q", c.text, err, c.says)
		}
	}
}

// reorder puts the lines after the header in reverse order.
func reorder(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, j := 1, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}

// Check refuses what Parse refuses, in definitions made by hand.
func TestCheck(t *testing.T) {
	def, err := Parse("t.csv", strings.NewReader(good), catalogue(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		change func(d *Definition)
		says   string
	}{
		{func(d *Definition) { d.Weights[Safety] = 0.3 }, "the dimensions weigh"},
		{func(d *Definition) { d.Weights[Safety] = 0 }, "safety weighs 0"},
		{func(d *Definition) { d.Inputs[0].Weight = 0.6 }, "the inputs of safety weigh"},
		{func(d *Definition) { d.Inputs[0].Direction = "sideways" }, "direction"},
		{func(d *Definition) { d.Inputs[0].Normalise = "rank" }, "normalisation"},
		{func(d *Definition) { d.Inputs[1].Indicator = d.Inputs[0].Indicator }, "twice"},
		{func(d *Definition) { d.Inputs[0].Dimension = 7 }, "no dimension 7"},
		{func(d *Definition) { d.Inputs = d.Inputs[:5] }, "the inputs of participation weigh 0"},
	} {
		d := *def
		d.Inputs = append([]Input(nil), def.Inputs...)
		c.change(&d)
		if why := d.Check(); !strings.Contains(why, c.says) {
			t.Errorf("%q, want %q", why, c.says)
		}
	}
}

// Whatever Parse accepts is a definition Compute can take, of hourly
// indicators of the catalogue with the catalogue's directions.
func FuzzParse(f *testing.F) {
	f.Add(good)
	f.Add(reorder(good))
	f.Add("dimension,indicator,weight,normalise\n")
	cat := catalogue(f)
	byCode := map[string]data.Indicator{}
	for _, d := range cat {
		byCode[d.Code] = d
	}
	f.Fuzz(func(t *testing.T, s string) {
		def, err := Parse("f.csv", strings.NewReader(s), cat)
		if err != nil {
			var ie *data.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		if why := def.Check(); why != "" {
			t.Fatalf("accepted %+v: %s", def, why)
		}
		for _, in := range def.Inputs {
			if d, ok := byCode[in.Indicator]; !ok || d.Direction != in.Direction || !strings.HasSuffix(in.Indicator, "H") {
				t.Fatalf("accepted input %+v", in)
			}
		}
	})
}

// readDoc reads docs/red-cotton-index.md from the source tree.
func readDoc() (string, error) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "red-cotton-index.md"))
	return string(b), err
}
