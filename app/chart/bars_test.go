package chart

import (
	"image"
	"image/color"
	"math"
	"testing"

	"kapok/internal/golden"
)

// The five dimensions' colours of the tests (the console has its own).
var testDims = []struct {
	zh, en string
	c      color.NRGBA
}{
	{"安全", "safety", color.NRGBA{200, 40, 40, 255}},
	{"法治", "rule of law", color.NRGBA{60, 90, 170, 255}},
	{"服务", "services", color.NRGBA{40, 150, 90, 255}},
	{"和谐", "harmony", color.NRGBA{230, 150, 20, 255}},
	{"参与", "participation", color.NRGBA{130, 70, 160, 255}},
}

// threeDistricts are bars of three districts' dimensions (the worked
// example's numbers), Baiyun without its services.
func threeDistricts(lang Lang) BarChart {
	values := [][]float64{{62.5, 50, 50, 50, 50}, {52.5, 30, 80, 40, 70}, {29, 50, math.NaN(), 90, 10}}
	b := BarChart{Groups: []string{"天河区", "越秀区", "白云区"}, Highlight: 1, YMin: 0, YMax: 100, Width: 560, Height: 240, Lang: lang,
		Title: "红棉指数 五个维度 · 2026-11-24", YLabel: "得分"}
	if lang == English {
		b.Groups, b.Title, b.YLabel = []string{"Tianhe", "Yuexiu", "Baiyun"}, "Red Cotton Index, five dimensions · 2026-11-24", "score"
	}
	for i, d := range testDims {
		s := BarSeries{Name: d.zh, Color: d.c}
		if lang == English {
			s.Name = d.en
		}
		for _, v := range values {
			s.Values = append(s.Values, v[i])
		}
		b.Series = append(b.Series, s)
	}
	return b
}

func renderBars(t *testing.T, b BarChart) *image.RGBA {
	t.Helper()
	img, err := Bars(b)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Golden images of grouped bars, in Chinese and English (look at them:
// testdata/golden/bars-*.png).
func TestBarsGolden(t *testing.T) {
	golden.Compare(t, "bars-zh.png", renderBars(t, threeDistricts(Chinese)))
	golden.Compare(t, "bars-en.png", renderBars(t, threeDistricts(English)))
	empty := BarChart{Title: "no districts", Highlight: -1, Width: 300, Height: 160, Lang: English}
	golden.Compare(t, "bars-empty.png", renderBars(t, empty))
}

// Each bar is as high as its value on the axis and in its series' colour;
// a missing value draws no bar; the group highlighted is shaded behind.
func TestBarsHeightsAndColours(t *testing.T) {
	b := threeDistricts(English)
	img := renderBars(t, b)
	// The columns of each series' colour, and the topmost row each
	// reaches, per group (the image's thirds between the axis and the
	// right edge are the groups, roughly).
	type px struct{ x, y, s int }
	var seen []px
	lox, hix, bottom := img.Bounds().Dx(), 0, 0
	for y := 30; y < img.Bounds().Dy()-30; y++ { // above the axis and the legend
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			p := img.RGBAAt(x, y)
			for s, d := range testDims {
				if p.R == d.c.R && p.G == d.c.G && p.B == d.c.B {
					seen = append(seen, px{x, y, s})
					lox, hix, bottom = min(lox, x), max(hix, x), max(bottom, y)
				}
			}
		}
	}
	// The topmost row each series reaches in each group (the thirds of
	// the bars' extent).
	top := map[[2]int]int{}
	for _, p := range seen {
		g := min(2, (p.x-lox)*3/(hix-lox+1))
		if _, ok := top[[2]int{g, p.s}]; !ok {
			top[[2]int{g, p.s}] = p.y
		}
	}
	if _, ok := top[[2]int{2, 2}]; ok || len(top) != 14 {
		t.Errorf("%d bars drawn, Baiyun's missing services %v", len(top), ok)
	}
	// Heights in proportion to the values: Baiyun's harmony (90) about
	// nine times its participation's (10).
	h := func(g, s int) float64 { return float64(bottom - top[[2]int{g, s}]) }
	if r := h(2, 3) / h(2, 4); r < 7.5 || r > 10.5 {
		t.Errorf("harmony 90 / participation 10 drawn %.1f times as high", r)
	}
	if r := h(0, 0) / h(0, 1); math.Abs(r-1.25) > 0.08 {
		t.Errorf("62.5 / 50 drawn %.2f times as high", r)
	}
	// The highlight shades Yuexiu's group, not Tianhe's.
	shaded := func(g int) bool {
		x := lox + (hix-lox)*(2*g+1)/6
		p := img.RGBAAt(x, 45)
		return p.R == HighlightColor.R && p.G == HighlightColor.G && p.B == HighlightColor.B
	}
	if !shaded(1) || shaded(0) || shaded(2) {
		t.Errorf("highlight: Tianhe %v, Yuexiu %v, Baiyun %v", shaded(0), shaded(1), shaded(2))
	}
	if _, err := Bars(BarChart{Groups: []string{"a"}, Series: []BarSeries{{Values: []float64{1, 2}}}, Width: 200, Height: 100}); err == nil {
		t.Error("a series with more values than groups was drawn")
	}
}
