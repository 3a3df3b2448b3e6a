package data

import (
	"math"
	"strings"
	"testing"
)

func TestIndicatorCatalogue(t *testing.T) {
	defs, err := Indicators()
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 211 {
		t.Fatalf("%d indicators, want the operations centre's 211", len(defs))
	}
	perCategory := map[string]int{}
	for i, d := range defs {
		perCategory[d.Category]++
		if d.ID != i+1 {
			t.Fatalf("%s has ID %d on line %d", d.Code, d.ID, i+2)
		}
	}
	if len(perCategory) != len(IndicatorCategories) {
		t.Fatalf("categories %v", perCategory)
	}
}

func TestJudge(t *testing.T) {
	lower := Indicator{Direction: LowerBetter, Warn: 10, Alarm: 20, Hysteresis: 2}
	higher := Indicator{Direction: HigherBetter, Warn: 90, Alarm: 80, Hysteresis: 1}
	for _, c := range []struct {
		d      *Indicator
		v      float64
		before Severity
		want   Severity
	}{
		{&lower, 5, Normal, Normal},
		{&lower, 10, Normal, Warn}, // at the threshold
		{&lower, 19.9, Normal, Warn},
		{&lower, 20, Normal, Alarm}, // straight to alarm
		{&lower, 25, Warn, Alarm},
		{&lower, 19, Alarm, Alarm},   // not 2 back past 20 yet
		{&lower, 18.5, Alarm, Alarm}, // 1.5 back: inside the band
		{&lower, 17.9, Alarm, Warn},  // past 18: down to warn
		{&lower, 9, Warn, Warn},      // within the band below 10
		{&lower, 8, Warn, Warn},      // exactly 2 back: still the band's edge
		{&lower, 7.9, Warn, Normal},
		{&lower, 7.9, Alarm, Normal}, // past both bands at once
		{&lower, 9, Alarm, Warn},     // past the alarm's band, inside the warn's
		{&lower, math.NaN(), Alarm, Alarm},
		{&lower, math.Inf(1), Normal, Normal},
		{&higher, 95, Normal, Normal},
		{&higher, 90, Normal, Warn},
		{&higher, 80, Warn, Alarm},
		{&higher, 80.5, Alarm, Alarm},
		{&higher, 81.5, Alarm, Warn},
		{&higher, 90.5, Warn, Warn},
		{&higher, 91.5, Warn, Normal},
	} {
		if got := c.d.Judge(c.v, c.before); got != c.want {
			t.Errorf("%s %v after %v: %v, want %v", c.d.Direction, c.v, c.before, got, c.want)
		}
	}
}

// A value that hovers about a threshold does not flap: with hysteresis it
// opens one episode where without it would open many.
func TestJudgeDoesNotFlap(t *testing.T) {
	d := Indicator{Direction: LowerBetter, Warn: 10, Alarm: 20, Hysteresis: 1}
	episodes := func(d Indicator) int {
		n, l := 0, Normal
		for i := range 200 {
			v := 10 + 0.8*math.Sin(float64(i)) // between 9.2 and 10.8
			next := d.Judge(v, l)
			if l == Normal && next > Normal {
				n++
			}
			l = next
		}
		return n
	}
	if with, without := episodes(d), episodes(Indicator{Direction: LowerBetter, Warn: 10, Alarm: 20}); with != 1 || without < 20 {
		t.Fatalf("%d episodes with hysteresis, %d without", with, without)
	}
}

func TestParseIndicatorsRefusals(t *testing.T) {
	head := strings.Join(indicatorColumns, ",") + "\n"
	good := "transport-01H,transport,地铁客流量,metro ridership,万人次,higher_better,sum,baseline,0.7,0.5,0.05,1m,市交通运输局\n"
	if defs, err := ParseIndicators("t.csv", strings.NewReader(head+good)); err != nil || len(defs) != 1 || defs[0].Refresh.Minutes() != 1 {
		t.Fatalf("%+v %v", defs, err)
	}
	for _, c := range []struct{ row, says string }{
		{strings.Replace(good, "transport-01H", "T1", 1), "line 2, column code"},
		{strings.Replace(good, ",transport,", ",traffic,", 1), "unknown category traffic"},
		{strings.Replace(good, "higher_better", "up", 1), "direction is"},
		{strings.Replace(good, ",sum,", ",max,", 1), "rollup is"},
		{strings.Replace(good, "baseline", "relative", 1), "threshold is"},
		{strings.Replace(good, "0.7,0.5", "0.5,0.7", 1), "beyond the warn"},
		{strings.Replace(good, "0.7,0.5,0.05", "0.7,0.5,-1", 1), "hysteresis"},
		{strings.Replace(good, "0.7,0.5", "x,0.5", 1), "column warn"},
		{strings.Replace(good, ",1m,", ",often,", 1), "column refresh"},
		{strings.Replace(good, ",1m,", ",-1m,", 1), "positive duration"},
		{strings.Replace(good, "metro ridership", "", 1), "column name_en: empty"},
		{good + good, "is on line 2 already"},
	} {
		_, err := ParseIndicators("t.csv", strings.NewReader(head+c.row))
		if err == nil || !strings.Contains(err.Error(), c.says) || !strings.HasPrefix(err.Error(), "t.csv: ") {
			t.Errorf("%q: %v, want %q", c.row, err, c.says)
		}
	}
}

func FuzzParseIndicators(f *testing.F) {
	f.Add(strings.Join(indicatorColumns, ",") + "\ntransport-01H,transport,地铁,metro,万人次,higher_better,sum,baseline,0.7,0.5,0.05,1m,局\n")
	f.Add("code\n")
	f.Fuzz(func(t *testing.T, s string) {
		defs, err := ParseIndicators("f.csv", strings.NewReader(s))
		if err != nil {
			return
		}
		for i := range defs {
			if why := CheckIndicator(&defs[i]); why != "" {
				t.Fatalf("accepted %+v: %s", defs[i], why)
			}
		}
	})
}
