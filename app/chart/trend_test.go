package chart

import (
	"image/color"
	"math"
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/golden"
)

// thirtyDays are a composite and two dimensions over 30 days to
// 2026-11-24, a day missing in the middle.
func thirtyDays(lang Lang) TrendChart {
	last := time.Date(2026, 11, 24, 12, 0, 0, 0, data.BeijingTime)
	tc := TrendChart{Title: "红棉指数 · 天河区", YLabel: "得分", YMin: 0, YMax: 100, Width: 640, Height: 260, Lang: lang,
		Start: last.AddDate(0, 0, -29).Add(-12 * time.Hour), End: last.Add(12 * time.Hour)}
	if lang == English {
		tc.Title, tc.YLabel = "Red Cotton Index · Tianhe", "score"
	}
	names := []string{"综合", "安全", "服务"}
	if lang == English {
		names = []string{"composite", "safety", "services"}
	}
	colors := []color.NRGBA{{20, 20, 30, 255}, testDims[0].c, testDims[2].c}
	for i := range 3 {
		l := TrendLine{Name: names[i], Color: colors[i], Width: map[bool]float64{true: 2.2, false: 1}[i == 0]}
		for d := 29; d >= 0; d-- {
			if d == 15 {
				continue
			}
			v := 50 + 30*math.Sin(float64(d)/4+float64(i))
			l.Points = append(l.Points, Point{At: last.AddDate(0, 0, -d), Value: v})
		}
		tc.Lines = append(tc.Lines, l)
	}
	return tc
}

// Golden images of a 30-day trend in Chinese and English, and of one
// without values.
func TestTrendGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		tc   TrendChart
	}{
		{"trend-zh.png", thirtyDays(Chinese)},
		{"trend-en.png", thirtyDays(English)},
		{"trend-empty.png", TrendChart{Title: "Red Cotton Index · Tianhe", Lines: []TrendLine{{Name: "composite"}}, YMax: 100,
			End: time.Date(2026, 11, 25, 0, 0, 0, 0, data.BeijingTime), Width: 400, Height: 200, Lang: English}},
	} {
		img, err := Trend(c.tc)
		if err != nil {
			t.Fatal(err)
		}
		golden.Compare(t, c.name, img)
	}
}

// A day without a value breaks the line: the composite's colour is absent
// from the columns of the missing day, and present either side.
func TestTrendGapOnAMissingDay(t *testing.T) {
	tc := thirtyDays(English)
	tc.Lines = tc.Lines[:1]
	img, err := Trend(tc)
	if err != nil {
		t.Fatal(err)
	}
	// The data area's columns by time: find the plot's x of a day from the
	// line's extent (first and last day's dots).
	c := tc.Lines[0].Color
	cols := []int{}
	for x := 0; x < img.Bounds().Dx(); x++ {
		for y := 30; y < img.Bounds().Dy()-30; y++ {
			if p := img.RGBAAt(x, y); p.R == c.R && p.G == c.G && p.B == c.B {
				cols = append(cols, x)
				break
			}
		}
	}
	if len(cols) == 0 {
		t.Fatal("no line drawn")
	}
	first, last := cols[0], cols[len(cols)-1]
	perDay := float64(last-first) / 29
	gapAt := first + int(perDay*14.5) // between day 14 and day 16 after the first
	has := func(x int) bool {
		for _, cx := range cols {
			if cx == x {
				return true
			}
		}
		return false
	}
	if has(gapAt) || !has(first+int(perDay*5)) || !has(first+int(perDay*25)) {
		t.Errorf("the missing day's column %d drawn %v; days 5 and 25 drawn %v %v", gapAt, has(gapAt),
			has(first+int(perDay*5)), has(first+int(perDay*25)))
	}
}
