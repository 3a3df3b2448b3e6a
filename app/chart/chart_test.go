package chart

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	gdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"kapok/data"
	"kapok/internal/golden"
)

// end is the charts' "now" in these tests: Wednesday 2026-11-25, 10:37
// Beijing time.
var end = time.Date(2026, 11, 25, 10, 37, 0, 0, data.BeijingTime)

func indicator(t testing.TB, code string) data.Indicator {
	t.Helper()
	defs, err := data.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		if d.Code == code {
			return d
		}
	}
	t.Fatalf("no indicator %s", code)
	return data.Indicator{}
}

// synthetic is a series like the demo's: an hourly value for 37 days up to
// end following the day's two rush peaks around base, and a value per
// minute over the last 6 hours; for a baseline indicator, the baseline of
// every hour of the last 30 days as the store works it out (the mean of the
// same hour on the seven days before). lift multiplies the last 3 hours.
func synthetic(d data.Indicator, base, swing, lift float64) Series {
	rng := rand.New(rand.NewPCG(1, 2))
	curve := func(t time.Time) float64 {
		l := t.In(data.BeijingTime)
		h := float64(l.Hour()) + float64(l.Minute())/60
		day := 0.5*math.Exp(-math.Pow(h-8, 2)/6) + 0.5*math.Exp(-math.Pow(h-18, 2)/8) - 0.25
		return base * (1 + swing*day)
	}
	s := Series{Indicator: d, Region: "440106", RegionName: "天河区", RegionPinyin: "Tianhe"}
	first := end.Truncate(time.Hour).Add(-37 * 24 * time.Hour)
	byHour := map[time.Time]float64{}
	for h := first; !h.After(end); h = h.Add(time.Hour) {
		v := curve(h) * (1 + rng.NormFloat64()*0.04)
		byHour[h] = v
		s.Points = append(s.Points, Point{At: h, Value: v})
	}
	// Minute values after the hours up to the last six hours' start.
	var pts []Point
	for _, p := range s.Points {
		if p.At.Before(end.Add(-6 * time.Hour)) {
			pts = append(pts, p)
		}
	}
	for m := end.Add(-6 * time.Hour).Truncate(time.Minute); !m.After(end); m = m.Add(time.Minute) {
		v := curve(m) * (1 + rng.NormFloat64()*0.01)
		if m.After(end.Add(-3 * time.Hour)) {
			v *= lift
		}
		pts = append(pts, Point{At: m, Value: v})
	}
	s.Points = pts
	if d.Threshold == data.ThresholdBaseline {
		for h := end.Truncate(time.Hour).Add(-30 * 24 * time.Hour); !h.After(end); h = h.Add(time.Hour) {
			sum := 0.0
			for k := 1; k <= 7; k++ {
				sum += byHour[h.AddDate(0, 0, -k)]
			}
			s.Baseline = append(s.Baseline, Point{At: h, Value: sum / 7})
		}
		s.Baseline = append(s.Baseline, Point{At: end, Value: s.Baseline[len(s.Baseline)-1].Value})
	}
	return s
}

// The three indicators the tests draw: a count judged against its
// baseline (higher better), a rate against absolute thresholds (higher
// better) and an index (lower better).
func metro(t testing.TB, lift float64) Series {
	return synthetic(indicator(t, "transport-01H"), 35, 0.8, lift)
}

func punctuality(t testing.TB) Series {
	return synthetic(indicator(t, "transport-08H"), 88, 0.15, 1)
}

func congestion(t testing.TB) Series {
	return synthetic(indicator(t, "transport-03H"), 1.6, 0.5, 1.2)
}

func render(t testing.TB, s Series, spec Spec) *image.RGBA {
	t.Helper()
	img, err := Image(s, spec)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Golden images of each kind in Chinese and English (look at them:
// testdata/golden/; UPDATE_GOLDEN=1 writes them again).
func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		s    Series
		spec Spec
	}{
		{"metro-day-zh", metro(t, 0.6), Spec{Kind: Day, Width: 800, Height: 300, Lang: Chinese, End: end}},
		{"metro-day-en", metro(t, 0.6), Spec{Kind: Day, Width: 800, Height: 300, Lang: English, End: end}},
		{"metro-month-zh", metro(t, 1), Spec{Kind: Month, Width: 800, Height: 300, Lang: Chinese, End: end}},
		{"punctuality-month-en", punctuality(t), Spec{Kind: Month, Width: 800, Height: 300, Lang: English, End: end}},
		{"congestion-day-zh", congestion(t), Spec{Kind: Day, Width: 640, Height: 260, Lang: Chinese, End: end}},
		{"congestion-spark", congestion(t), Spec{Kind: Sparkline, Width: 120, Height: 32, End: end}},
		{"metro-spark", metro(t, 0.6), Spec{Kind: Sparkline, Width: 120, Height: 32, End: end}},
		{"empty-day-en", Series{Indicator: indicator(t, "environment-01H")}, Spec{Kind: Day, Width: 400, Height: 200, Lang: English, End: end}},
	} {
		t.Run(c.name, func(t *testing.T) {
			golden.Compare(t, c.name+".png", render(t, c.s, c.spec))
		})
	}
}

// rowsOf is, for a colour, the rows of the image's column x that have it
// (within a small distance).
func rowsOf(img *image.RGBA, x int, want color.NRGBA) []int {
	var out []int
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		c := img.RGBAAt(x, y)
		if absDiff(c.R, want.R) <= 4 && absDiff(c.G, want.G) <= 4 && absDiff(c.B, want.B) <= 4 {
			out = append(out, y)
		}
	}
	return out
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// over is a band's colour laid on white.
func over(c color.NRGBA) color.NRGBA {
	a := float64(c.A) / 255
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v)*a + 255*(1-a))) }
	return color.NRGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

// drawn draws a chart at 96 dpi and gives, beside the image, where a time
// and a value land on it (pixel column and row), from gonum/plot's own
// transforms of its data area.
func drawn(t *testing.T, s Series, spec Spec) (img *image.RGBA, col func(time.Time) float64, row func(float64) float64, p *plot.Plot) {
	t.Helper()
	f, err := build(s, spec)
	if err != nil {
		t.Fatal(err)
	}
	w, h, err := spec.size()
	if err != nil {
		t.Fatal(err)
	}
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PixelsPerInch))
	dc := gdraw.New(c)
	f.draw(dc)
	da := f.p.DataCanvas(dc)
	tx, ty := f.p.Transforms(&da)
	col = func(at time.Time) float64 { return tx(unix(at)).Dots(PixelsPerInch) }
	row = func(v float64) float64 { return float64(spec.Height) - ty(v).Dots(PixelsPerInch) }
	return c.Image().(*image.RGBA), col, row, f.p
}

// The bands lie where the thresholds are: on an absolute indicator's
// chart, between the rows of the warn and alarm thresholds (warn) and from
// the alarm threshold to the edge (alarm); on a baseline indicator's, at
// Warn and Alarm times the baseline in force.
func TestBandsAtTheThresholds(t *testing.T) {
	spec := Spec{Kind: Day, Width: 800, Height: 300, Lang: English, End: end}
	check := func(t *testing.T, img *image.RGBA, x int, row func(float64) float64, warnLo, warnHi, alarmLo, alarmHi float64) {
		t.Helper()
		for _, band := range []struct {
			name   string
			c      color.NRGBA
			lo, hi float64
		}{{"warn", over(WarnBand), warnLo, warnHi}, {"alarm", over(AlarmBand), alarmLo, alarmHi}} {
			rows := rowsOf(img, x, band.c)
			if len(rows) == 0 {
				t.Fatalf("%s band: none in column %d", band.name, x)
			}
			// The band's first and last rows, within a pixel of the
			// thresholds' (the grid drawn over it takes a row here and
			// there, not its ends).
			first, last := rows[0], rows[len(rows)-1]
			wantTop, wantBottom := row(band.hi), row(band.lo)
			if math.Abs(float64(first)-wantTop) > 1 || math.Abs(float64(last+1)-wantBottom) > 1 {
				t.Errorf("%s band in rows %d–%d, want %.1f–%.1f", band.name, first, last+1, wantTop, wantBottom)
			}
			// And it is one band: no row of it elsewhere.
			for i := 1; i < len(rows); i++ {
				if rows[i]-rows[i-1] > 3 {
					t.Errorf("%s band broken at rows %d–%d", band.name, rows[i-1], rows[i])
				}
			}
		}
	}
	t.Run("absolute", func(t *testing.T) {
		s := punctuality(t) // higher better: warn 81.8, alarm 72.7
		d := s.Indicator
		img, col, row, p := drawn(t, s, spec)
		check(t, img, int(col(end.Add(-2*time.Hour-30*time.Minute))), row, d.Alarm, d.Warn, p.Y.Min, d.Alarm)
	})
	t.Run("baseline", func(t *testing.T) {
		s := metro(t, 1) // higher better: warn 0.7×, alarm 0.5× the baseline
		d := s.Indicator
		img, col, row, p := drawn(t, s, spec)
		for _, at := range []time.Time{end.Add(-20 * time.Hour), end.Add(-7*time.Hour - 25*time.Minute), end.Add(-50 * time.Minute)} {
			b, ok := baselineAt(s.Baseline, at)
			if !ok {
				t.Fatal("no baseline")
			}
			check(t, img, int(col(at)), row, b*d.Alarm, b*d.Warn, p.Y.Min, b*d.Alarm)
		}
	})
	t.Run("lower better", func(t *testing.T) {
		s := congestion(t) // warn 1.8, alarm 2.1: the alarm band runs up to the top
		d := s.Indicator
		img, col, row, p := drawn(t, s, spec)
		check(t, img, int(col(end.Add(-20*time.Hour))), row, d.Warn, d.Alarm, d.Alarm, p.Y.Max)
	})
}

// The title is set in the CJK font: in Chinese the title row has text
// where the English title has none and the other way round, and a
// Chinese title is wider than a row of the font's missing-glyph boxes
// would be — checked by the glyphs themselves: the font has every
// character of every indicator's name and unit.
func TestChineseText(t *testing.T) {
	s := metro(t, 1)
	zh := render(t, s, Spec{Kind: Day, Width: 800, Height: 300, Lang: Chinese, End: end})
	ink := func(img *image.RGBA) int {
		n := 0
		for y := 0; y < 22; y++ { // the title's rows
			for x := 0; x < img.Bounds().Dx(); x++ {
				if c := img.RGBAAt(x, y); c.R < 160 && c.G < 160 && c.B < 160 {
					n++
				}
			}
		}
		return n
	}
	if n := ink(zh); n < 150 {
		t.Fatalf("the Chinese title has %d dark pixels", n)
	}
	// The same title drawn with the characters one by one: each one has
	// ink of its own (a font without the glyph would draw nothing or a
	// box, the same for every character).
	seen := map[string]bool{}
	for _, r := range s.Indicator.NameZh {
		one := s
		one.Indicator.NameZh = string(r)
		one.RegionName = "-"
		img := render(t, one, Spec{Kind: Day, Width: 200, Height: 120, Lang: Chinese, End: end})
		var sig strings.Builder
		for y := 0; y < 22; y++ {
			for x := 80; x < 120; x++ {
				if c := img.RGBAAt(x, y); c.R < 160 {
					sig.WriteByte('#')
				} else {
					sig.WriteByte('.')
				}
			}
		}
		if !strings.Contains(sig.String(), "#") {
			t.Errorf("%c drew nothing", r)
		}
		if seen[sig.String()] {
			t.Errorf("%c drew the same as another character", r)
		}
		seen[sig.String()] = true
	}
	if err := checkGlyphs(); err != nil {
		t.Fatal(err)
	}
}

// The PDF is a PDF whose title can be read back as text (with pdftotext,
// where installed); the SVG embeds the font and holds the title.
func TestVectorOutput(t *testing.T) {
	s := metro(t, 0.6)
	for _, lang := range []Lang{Chinese, English} {
		var pdf, svg bytes.Buffer
		spec := Spec{Kind: Day, Width: 800, Height: 300, Lang: lang, End: end}
		if err := Write(&pdf, PDF, s, spec); err != nil {
			t.Fatal(err)
		}
		if err := Write(&svg, SVG, s, spec); err != nil {
			t.Fatal(err)
		}
		title := lang.title(&s)
		if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) || !bytes.Contains(pdf.Bytes()[pdf.Len()-8:], []byte("%%EOF")) {
			t.Fatalf("%s: not a PDF: %q…", lang, pdf.Bytes()[:min(20, pdf.Len())])
		}
		if !strings.Contains(svg.String(), "<svg") || !strings.Contains(svg.String(), "@font-face") || !strings.Contains(svg.String(), title) {
			t.Fatalf("%s: the SVG lacks the font or the title", lang)
		}
		// The same chart twice is the same file.
		var again bytes.Buffer
		if err := Write(&again, PDF, s, spec); err != nil || !bytes.Equal(again.Bytes(), pdf.Bytes()) {
			t.Fatalf("%s: two PDFs of one chart differ (%v)", lang, err)
		}
		tool, err := exec.LookPath("pdftotext")
		if err != nil {
			t.Logf("pdftotext is not installed (Debian: poppler-utils): the PDF's text is not read back")
			continue
		}
		path := filepath.Join(t.TempDir(), "chart.pdf")
		if err := os.WriteFile(path, pdf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		if !strings.Contains(string(out), title) {
			t.Fatalf("%s: pdftotext reads %q, want the title %q", lang, out, title)
		}
		if unit := lang.unit(s.Indicator.Unit); !strings.Contains(string(out), unit) {
			t.Fatalf("%s: pdftotext reads %q, want the unit %q", lang, out, unit)
		}
	}
}

// The sparkline takes the colour of the severity: the metro series sinking
// to 0.6 of its baseline is in warn, to 0.4 in alarm.
func TestSparklineSeverity(t *testing.T) {
	for _, c := range []struct {
		s    Series
		want data.Severity
	}{{metro(t, 1), data.Normal}, {metro(t, 0.6), data.Warn}, {metro(t, 0.4), data.Alarm}, {punctuality(t), data.Normal},
		// Congestion rose past the alarm threshold and came back under it
		// by more than the hysteresis: warn.
		{congestion(t), data.Warn}} {
		if got := Severity(c.s, end.Add(-24*time.Hour), end); got != c.want {
			t.Errorf("%s lifted: %v, want %v", c.s.Indicator.Code, got, c.want)
		}
		img := render(t, c.s, Spec{Kind: Sparkline, Width: 120, Height: 32, End: end})
		// The last value's disc, at the right end, is in the colour.
		want := SeverityColor[c.want]
		found := false
		for y := 0; y < 32 && !found; y++ {
			for x := 110; x < 120; x++ {
				if p := img.RGBAAt(x, y); absDiff(p.R, want.R) < 10 && absDiff(p.G, want.G) < 10 && absDiff(p.B, want.B) < 10 && p.A > 240 {
					found = true
					break
				}
			}
		}
		if !found {
			t.Errorf("%s: no %v disc at the right end", c.s.Indicator.Code, c.want)
		}
		// The store's severity, when given, wins.
		alarm := data.Alarm
		if _, err := Image(c.s, Spec{Kind: Sparkline, Width: 120, Height: 32, End: end, Severity: &alarm}); err != nil {
			t.Fatal(err)
		}
	}
}

// Refusals: no size, an unknown format.
func TestRefusals(t *testing.T) {
	if _, err := Image(metro(t, 1), Spec{Kind: Day}); err == nil {
		t.Error("no size")
	}
	if _, err := FormatOf("chart.jpg"); err == nil {
		t.Error("a .jpg")
	}
	if f, err := FormatOf("Chart.PDF"); err != nil || f != PDF {
		t.Errorf("Chart.PDF: %v %v", f, err)
	}
	if ParseLang("zh_CN.UTF-8") != Chinese || ParseLang("en_US") != English || ParseLang("") != English {
		t.Error("ParseLang")
	}
}

// The package stays headless: no Fyne, no SQL.
func TestHeadless(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "fyne.io/") || p == "database/sql" || strings.HasPrefix(p, "kapok/data/") || p == "kapok/app" {
			t.Errorf("app/chart depends on %s", p)
		}
	}
}

func BenchmarkChart30Days(b *testing.B) {
	s := metro(b, 1)
	// 720 hourly points: the month without the minute values.
	s.Points = s.Points[len(s.Points)-720-360:]
	var hours []Point
	for _, p := range s.Points {
		if p.At.Minute() == 0 {
			hours = append(hours, p)
		}
	}
	s.Points = hours[len(hours)-720:]
	spec := Spec{Kind: Month, Width: 800, Height: 300, Lang: Chinese, End: s.Points[len(s.Points)-1].At}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Image(s, spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChartDay(b *testing.B) {
	s := metro(b, 1)
	spec := Spec{Kind: Day, Width: 800, Height: 300, Lang: Chinese, End: end}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Image(s, spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSparkline(b *testing.B) {
	s := metro(b, 1)
	spec := Spec{Kind: Sparkline, Width: 120, Height: 32, End: end}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Image(s, spec); err != nil {
			b.Fatal(err)
		}
	}
}
