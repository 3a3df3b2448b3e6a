package chart

import (
	"errors"
	"image/color"
	"math"
	"sort"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"kapok/data"
)

// Point is one value of a series at an instant.
type Point = data.TimeValue

// Series is what a chart draws: an indicator's values in a region, as the
// store reads them (mirror.Series holds one).
type Series = data.IndicatorSeries

// Kind is which chart to draw.
type Kind int

// Kinds of chart.
const (
	// Sparkline is small, without axes or words: the last 24 hours, the
	// line and its last value in the colour of the severity.
	Sparkline Kind = iota
	// Day is the last 24 hours as a line chart.
	Day
	// Month is the last 30 days as a line chart: the hourly series and
	// the daily means.
	Month
)

// Span is how much time the kind of chart shows.
func (k Kind) Span() time.Duration {
	if k == Month {
		return 30 * 24 * time.Hour
	}
	return 24 * time.Hour
}

// Spec says how to draw a chart.
type Spec struct {
	Kind Kind
	// Width and Height are the size in pixels of 1/96 inch: an image at
	// Scale 1 has that many pixels, a PDF or SVG is that size in points
	// times 0.75.
	Width, Height int
	// Scale is the device's pixels per pixel (0 means 1), for images on
	// screens of high density.
	Scale float64
	Lang  Lang
	// End is the right edge of the time axis; zero: the last point's time.
	End time.Time
	// Severity, when set, is how the indicator stands (the store's
	// evaluation); otherwise the chart judges its own values in turn, with
	// hysteresis, from normal at the start of the span.
	Severity *data.Severity
}

// PixelsPerInch is the resolution Width and Height are counted in.
const PixelsPerInch = 96

// Colours. Severities as the case clocks' colours (green, amber, red).
var (
	SeverityColor = [...]color.NRGBA{data.Normal: {30, 150, 70, 255}, data.Warn: {240, 170, 0, 255}, data.Alarm: {200, 20, 20, 255}}
	// WarnBand and AlarmBand shade the thresholds' bands: light amber and
	// light red, opaque (the chart's ground is white), so that a band can
	// be filled in overlapping pieces without seams.
	WarnBand  = color.NRGBA{252, 235, 196, 255}
	AlarmBand = color.NRGBA{245, 213, 213, 255}
	lineColor = color.NRGBA{30, 90, 170, 255}
	hourColor = color.NRGBA{120, 160, 215, 255}
	meanColor = color.NRGBA{20, 45, 110, 255}
	baseColor = color.NRGBA{100, 100, 100, 255}
	gridColor = color.NRGBA{225, 225, 225, 255}
	textColor = color.NRGBA{40, 40, 48, 255}
)

// Font sizes in points.
const (
	titleSize = 12
	labelSize = 9.5
	tickSize  = 8.5
)

// gap is how far apart two points may be and still be joined by the line.
const gap = 2 * time.Hour

// window is the span a chart shows.
func (spec Spec) window(s *Series) (start, end time.Time) {
	end = spec.End
	if end.IsZero() && len(s.Points) > 0 {
		end = s.Points[len(s.Points)-1].At
	}
	if end.IsZero() {
		end = time.Now()
	}
	return end.Add(-spec.Kind.Span()), end
}

// Size is the chart's size as vg lengths.
func (spec Spec) size() (vg.Length, vg.Length, error) {
	if spec.Width <= 0 || spec.Height <= 0 {
		return 0, 0, errors.New("chart: width and height must be above 0")
	}
	px := vg.Inch / PixelsPerInch
	return vg.Length(spec.Width) * px, vg.Length(spec.Height) * px, nil
}

// between is the points from start to end (both included).
func between(ps []Point, start, end time.Time) []Point {
	lo := sort.Search(len(ps), func(i int) bool { return !ps[i].At.Before(start) })
	hi := sort.Search(len(ps), func(i int) bool { return ps[i].At.After(end) })
	if lo >= hi {
		return nil
	}
	return ps[lo:hi]
}

// baselineAt is the baseline in force at t: the last point at or before
// it.
func baselineAt(bs []Point, t time.Time) (float64, bool) {
	i := sort.Search(len(bs), func(i int) bool { return bs[i].At.After(t) })
	if i == 0 {
		return 0, false
	}
	return bs[i-1].Value, true
}

// Severity is how the series stands at the end of the window [start, end]:
// its values judged in turn against the thresholds (a baseline indicator's
// by their ratio to the baseline in force; values without one keep the
// level), with hysteresis, from normal.
func Severity(s Series, start, end time.Time) data.Severity {
	level := data.Normal
	for _, p := range between(s.Points, start, end) {
		v := p.Value
		if s.Indicator.Threshold == data.ThresholdBaseline {
			b, ok := baselineAt(s.Baseline, p.At)
			if !ok || !(b > 0) {
				continue
			}
			v /= b
		}
		level = s.Indicator.Judge(v, level)
	}
	return level
}

// unix is an instant on the time axis (seconds).
func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// xys is points on the chart's axes.
func xys(ps []Point) plotter.XYs {
	out := make(plotter.XYs, len(ps))
	for i, p := range ps {
		out[i] = plotter.XY{X: unix(p.At), Y: p.Value}
	}
	return out
}

// runs cuts points where two are more than gap apart, so that the line
// does not bridge hours without values.
func runs(ps []Point, gap time.Duration) [][]Point {
	var out [][]Point
	from := 0
	for i := 1; i <= len(ps); i++ {
		if i == len(ps) || ps[i].At.Sub(ps[i-1].At) > gap {
			out = append(out, ps[from:i])
			from = i
		}
	}
	return out
}

// hourly is the points averaged per hour (each at its hour's start).
func hourly(ps []Point) []Point {
	var out []Point
	n := 0
	for _, p := range ps {
		h := p.At.Truncate(time.Hour) // whole hours of UTC are whole hours of Beijing time
		if len(out) > 0 && out[len(out)-1].At.Equal(h) {
			last := &out[len(out)-1]
			n++
			last.Value += (p.Value - last.Value) / float64(n)
			continue
		}
		out = append(out, Point{At: h, Value: p.Value})
		n = 1
	}
	return out
}

// dailyMeans is the mean of the hourly points of each Beijing day, placed
// in the middle of the hours it covers.
func dailyMeans(hours []Point) []Point {
	var out []Point
	for i := 0; i < len(hours); {
		day := hours[i].At.In(data.BeijingTime).Format(time.DateOnly)
		j, sum := i, 0.0
		for ; j < len(hours) && hours[j].At.In(data.BeijingTime).Format(time.DateOnly) == day; j++ {
			sum += hours[j].Value
		}
		mid := hours[i].At.Add(hours[j-1].At.Sub(hours[i].At) / 2)
		out = append(out, Point{At: mid, Value: sum / float64(j-i)})
		i = j
	}
	return out
}

// build makes the chart as a gonum/plot plot and its legend's entries.
func build(s Series, spec Spec) (*figure, error) {
	if _, err := loadFont(); err != nil {
		return nil, err
	}
	start, end := spec.window(&s)
	if !end.After(start) {
		return nil, errors.New("chart: empty time span")
	}
	sev := Severity(s, start, end)
	if spec.Severity != nil {
		sev = *spec.Severity
	}
	if spec.Kind == Sparkline {
		p, err := sparkline(s, start, end, sev)
		return &figure{p: p}, err
	}
	l := spec.Lang
	p := plot.New()
	f := &figure{p: p}
	style(p)
	p.Title.Text = l.title(&s)
	p.X.Label.Text = l.word("time")
	p.Y.Label.Text = l.unit(s.Indicator.Unit)
	p.X.Tick.Marker = timeTicks{lang: l, width: spec.Width}
	p.Y.Tick.Marker = valueTicks{}
	p.X.Min, p.X.Max = unix(start), unix(end)

	pts := between(s.Points, start, end)
	line := pts
	if spec.Kind == Month {
		line = hourly(pts)
	}
	// The baseline in force over the window: the step before start too.
	var base []Point
	if s.Indicator.Threshold == data.ThresholdBaseline {
		if b, ok := baselineAt(s.Baseline, start); ok {
			base = append(base, Point{At: start, Value: b})
		}
		for _, b := range between(s.Baseline, start, end) {
			if b.At.After(start) {
				base = append(base, b)
			}
		}
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
	grid.Vertical.Width, grid.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	if len(line) == 0 {
		p.Add(grid)
		// No bands either: they would fill the chart with nothing to
		// compare.
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = plot.ConstantTicks(nil)
		return f, noData(p, l, start, end, 0, 1)
	}
	ymin, ymax := yRange(line, base, &s.Indicator)
	p.Y.Min, p.Y.Max = ymin, ymax
	dense := spec.Kind == Month
	if err := addBands(p, &s.Indicator, base, start, end, ymin, ymax, dense); err != nil {
		return nil, err
	}
	p.Add(grid) // over the bands, which are opaque
	if err := addBaseline(p, f, l, base, end, dense); err != nil {
		return nil, err
	}
	color, width := lineColor, vg.Points(1.2)
	if spec.Kind == Month {
		color, width = hourColor, vg.Points(0.7)
	}
	for i, r := range runs(line, gap) {
		th, err := addLine(p, r, color, width)
		if err != nil {
			return nil, err
		}
		if i == 0 && spec.Kind == Month {
			f.legend = append(f.legend, entry{l.word("hourly"), th})
		}
	}
	if spec.Kind == Month {
		means := dailyMeans(line)
		for i, r := range runs(means, 36*time.Hour) {
			th, err := addLine(p, r, meanColor, vg.Points(1.8))
			if err != nil {
				return nil, err
			}
			if i == 0 {
				f.legend = append(f.legend, entry{l.word("daily mean"), th})
			}
		}
	}
	if err := addLast(p, line[len(line)-1], sev, vg.Points(3.2)); err != nil {
		return nil, err
	}
	// Plotters widen the axes to their data: keep the range the bands
	// were clipped to.
	p.X.Min, p.X.Max = unix(start), unix(end)
	p.Y.Min, p.Y.Max = ymin, ymax
	return f, nil
}

// style sets the plot's fonts and colours.
func style(p *plot.Plot) {
	p.Title.TextStyle.Font = fontOf(titleSize)
	p.Title.TextStyle.Color = textColor
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = fontOf(labelSize)
		a.Label.TextStyle.Color = textColor
		a.Tick.Label.Font = fontOf(tickSize)
		a.Tick.Label.Color = textColor
		a.Color, a.Tick.Color = textColor, textColor
		a.Padding = 0
	}
	p.Legend.TextStyle.Font = fontOf(tickSize)
	p.Legend.TextStyle.Color = textColor
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(4)
	p.Legend.YOffs = -vg.Points(2)
	p.Legend.ThumbnailWidth = vg.Points(14)
	p.Legend.Padding = vg.Points(1)
}

// yRange is the y axis's extent: the values and the thresholds (for a
// baseline indicator, the bands' edges where there is a baseline), with a
// margin.
func yRange(line, base []Point, d *data.Indicator) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	take := func(v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	for _, p := range line {
		take(p.Value)
	}
	if d.Threshold == data.ThresholdBaseline {
		for _, b := range base {
			take(b.Value)
			take(b.Value * d.Warn)
			take(b.Value * d.Alarm)
		}
	} else {
		take(d.Warn)
		take(d.Alarm)
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	span := hi - lo
	if span == 0 {
		span = math.Max(1, math.Abs(hi)*0.1)
	}
	lo, hi = lo-span*0.08, hi+span*0.08
	// A quantity that cannot be negative does not run below 0 on the axis.
	if lo < 0 && lo+span*0.08 >= 0 {
		lo = 0
	}
	return lo, hi
}

// seg is a step of the baseline: v from t0 to t1.
type seg struct {
	t0, t1 time.Time
	v      float64
}

// steps cuts the baseline points into runs of steps that meet: each point
// holds until the next, and at most to the end of its hour (an hour
// without a baseline has none), and not past end.
func steps(base []Point, end time.Time) [][]seg {
	var out [][]seg
	for i, b := range base {
		until := end
		if i+1 < len(base) && base[i+1].At.Before(until) {
			until = base[i+1].At
		}
		if h := b.At.Truncate(time.Hour).Add(time.Hour); until.After(h) {
			until = h
		}
		if !until.After(b.At) {
			continue
		}
		s := seg{b.At, until, b.Value}
		if n := len(out); n > 0 && out[n-1][len(out[n-1])-1].t1.Equal(b.At) {
			out[n-1] = append(out[n-1], s)
			continue
		}
		out = append(out, []seg{s})
	}
	return out
}

// outline is the line through a run of steps at y of each: its corners,
// or when dense (the 30-day chart, where an hour is about a pixel wide)
// the middle of each step — the same to the eye, with half the vertices
// for the rasterizer.
func outline(run []seg, y func(seg) float64, dense bool) plotter.XYs {
	out := make(plotter.XYs, 0, 2*len(run))
	for i, s := range run {
		switch {
		case !dense:
			out = append(out, plotter.XY{X: unix(s.t0), Y: y(s)}, plotter.XY{X: unix(s.t1), Y: y(s)})
		case i == 0:
			out = append(out, plotter.XY{X: unix(s.t0), Y: y(s)})
			fallthrough
		default:
			out = append(out, plotter.XY{X: (unix(s.t0) + unix(s.t1)) / 2, Y: y(s)})
		}
	}
	if dense && len(run) > 0 {
		last := run[len(run)-1]
		out = append(out, plotter.XY{X: unix(last.t1), Y: y(last)})
	}
	return out
}

// addBands shades the warn and alarm bands between start and end, clipped
// to [ymin, ymax]: for an absolute indicator between its thresholds and
// beyond the alarm one; for a baseline indicator the same of Warn×baseline
// and Alarm×baseline, stepping with the baseline.
func addBands(p *plot.Plot, d *data.Indicator, base []Point, start, end time.Time, ymin, ymax float64, dense bool) error {
	// edge is the far edge of the alarm band: up when lower is better.
	edge := ymin
	if d.Direction == data.LowerBetter {
		edge = ymax
	}
	clip := func(v float64) float64 { return math.Max(ymin, math.Min(ymax, v)) }
	// band shades, over a run of steps, from the first threshold times
	// the step's value to the second (or to the edge).
	band := func(run []seg, t1, t2 float64, toEdge bool, c color.Color) error {
		ys := func(s seg) (float64, float64) {
			a, b := clip(s.v*t1), edge
			if !toEdge {
				b = clip(s.v * t2)
			}
			return math.Max(a, b), math.Min(a, b)
		}
		upper := func(run []seg) plotter.XYs {
			return outline(run, func(s seg) float64 { hi, _ := ys(s); return hi }, dense)
		}
		lower := func(run []seg) plotter.XYs {
			return outline(run, func(s seg) float64 { _, lo := ys(s); return lo }, dense)
		}
		// In pieces of polygonChunk steps, each overlapping the one
		// before by a step: as with lines (addPolyline), freetype's
		// rasterizer slows with the edges a row meets, and the 30-day
		// chart's bands have over a thousand.
		for i := 0; i < len(run); i += polygonChunk - 1 {
			part := run[i:min(len(run), i+polygonChunk)]
			ring := upper(part)
			lower := lower(part)
			for i := len(lower) - 1; i >= 0; i-- {
				ring = append(ring, lower[i])
			}
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return err
			}
			poly.Color = c
			poly.LineStyle.Width = 0
			p.Add(poly)
			if i+polygonChunk >= len(run) {
				break
			}
		}
		return nil
	}
	runs := steps(base, end)
	if d.Threshold == data.ThresholdAbsolute {
		runs = [][]seg{{{start, end, 1}}}
	}
	for _, r := range runs {
		if err := band(r, d.Warn, d.Alarm, false, WarnBand); err != nil {
			return err
		}
		if err := band(r, d.Alarm, 0, true, AlarmBand); err != nil {
			return err
		}
	}
	return nil
}

// addBaseline draws the baseline as a dashed step line.
func addBaseline(p *plot.Plot, f *figure, l Lang, base []Point, end time.Time, dense bool) error {
	for i, r := range steps(base, end) {
		corners := outline(r, func(s seg) float64 { return s.v }, dense)
		ln, err := addPolyline(p, corners, func(ln *plotter.Line) {
			ln.Color, ln.Width, ln.Dashes = baseColor, vg.Points(0.8), []vg.Length{vg.Points(3), vg.Points(2)}
		})
		if err != nil {
			return err
		}
		if i == 0 {
			f.legend = append(f.legend, entry{l.word("baseline"), ln})
		}
	}
	return nil
}

// addLine adds a run of points as a line (a lone point as a dot), and
// returns it for a legend.
func addLine(p *plot.Plot, ps []Point, c color.Color, w vg.Length) (plot.Thumbnailer, error) {
	if len(ps) == 1 {
		sc, err := plotter.NewScatter(xys(ps))
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Radius, sc.Shape = c, w, draw.CircleGlyph{}
		p.Add(sc)
		return sc, nil
	}
	return addPolyline(p, xys(ps), func(ln *plotter.Line) { ln.Color, ln.Width = c, w })
}

// polylineChunk is how many points one stroke of a long line takes, and
// polygonChunk how many steps one piece of a band.
const (
	polylineChunk = 32
	polygonChunk  = 48
)

// addPolyline adds a line through xy in strokes of polylineChunk points,
// each starting where the one before ended, styled by style; it returns
// the first, for a legend. The image back end's rasterizer (freetype's)
// keeps each row's cells in a list it searches for every edge, so one
// stroke through 720 points that swing across the chart cost most of a
// 30-day chart's time (50 ms); short strokes keep the lists short.
func addPolyline(p *plot.Plot, xy plotter.XYs, style func(*plotter.Line)) (*plotter.Line, error) {
	var first *plotter.Line
	for i := 0; i+1 < len(xy); i += polylineChunk - 1 {
		ln, err := plotter.NewLine(xy[i:min(len(xy), i+polylineChunk)])
		if err != nil {
			return nil, err
		}
		style(ln)
		p.Add(ln)
		if first == nil {
			first = ln
		}
	}
	return first, nil
}

// addLast marks the last value with a disc in the colour of the severity,
// ringed in white.
func addLast(p *plot.Plot, last Point, sev data.Severity, r vg.Length) error {
	ring, err := plotter.NewScatter(xys([]Point{last}))
	if err != nil {
		return err
	}
	ring.Color, ring.Radius, ring.Shape = color.White, r+vg.Points(1.2), draw.CircleGlyph{}
	dot, err := plotter.NewScatter(xys([]Point{last}))
	if err != nil {
		return err
	}
	dot.Color, dot.Radius, dot.Shape = SeverityColor[sev], r, draw.CircleGlyph{}
	p.Add(ring, dot)
	return nil
}

// noData writes "no data" in the middle of an empty chart.
func noData(p *plot.Plot, l Lang, start, end time.Time, ymin, ymax float64) error {
	return noDataAt(p, l, (unix(start)+unix(end))/2, (ymin+ymax)/2)
}

// sparkline is the small chart: no axes, no words, the line and the last
// value in the colour of the severity.
func sparkline(s Series, start, end time.Time, sev data.Severity) (*plot.Plot, error) {
	p := plot.New()
	p.BackgroundColor = color.Transparent
	p.HideAxes()
	const dot = 2.2
	p.X.Padding, p.Y.Padding = vg.Points(dot+0.6), vg.Points(dot+0.6)
	p.X.Min, p.X.Max = unix(start), unix(end)
	pts := between(s.Points, start, end)
	if len(pts) == 0 {
		p.Y.Min, p.Y.Max = 0, 1
		return p, nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, q := range pts {
		lo, hi = math.Min(lo, q.Value), math.Max(hi, q.Value)
	}
	if span := hi - lo; span > 0 {
		lo, hi = lo-span*0.05, hi+span*0.05
	} else {
		lo, hi = lo-1, hi+1
	}
	p.Y.Min, p.Y.Max = lo, hi
	c := SeverityColor[sev]
	for _, r := range runs(pts, gap) {
		if _, err := addLine(p, r, c, vg.Points(1.1)); err != nil {
			return nil, err
		}
	}
	last := pts[len(pts)-1]
	d, err := plotter.NewScatter(xys([]Point{last}))
	if err != nil {
		return nil, err
	}
	d.Color, d.Radius, d.Shape = c, vg.Points(dot), draw.CircleGlyph{}
	p.Add(d)
	return p, nil
}
