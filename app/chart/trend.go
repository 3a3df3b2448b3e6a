package chart

import (
	"errors"
	"image"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A trend: a few daily series as lines over the same days (the Red Cotton
// Index's composite and its five dimensions over 30 days), each in its
// colour and width, named in a legend beside the title, Beijing days along
// the x axis.

// TrendLine is one line: its name, colour, width in points (0: 1.2) and
// points in time order; points more than a day and a half apart are not
// joined (a day without a value leaves a gap).
type TrendLine struct {
	Name   string
	Color  color.NRGBA
	Width  float64
	Points []Point
}

// TrendChart is what Trend draws.
type TrendChart struct {
	Title  string
	YLabel string
	Lines  []TrendLine
	// Start and End are the time axis's ends; zero: the points' first
	// and last, half a day out.
	Start, End time.Time
	// YMin and YMax are the value axis's range; both 0: from the values.
	YMin, YMax float64
	// Width and Height are the size in pixels of 1/96 inch; Scale the
	// device's pixels per pixel (0 means 1).
	Width, Height int
	Scale         float64
	Lang          Lang
}

// trendGap is how far apart two days' points may be and still be joined.
const trendGap = 36 * time.Hour

// Trend draws the lines as an image of Width×Height pixels times Scale.
func Trend(t TrendChart) (*image.RGBA, error) {
	f, err := buildTrend(t)
	if err != nil {
		return nil, err
	}
	return figureImage(f, t.Width, t.Height, t.Scale)
}

// DrawTrend draws the lines on a canvas of any vg back end (a region of a
// briefing's page), the legend in rows under them as Trend draws it.
func DrawTrend(c draw.Canvas, t TrendChart) error {
	f, err := buildTrend(t)
	if err != nil {
		return err
	}
	f.drawBelow(c)
	return nil
}

func buildTrend(t TrendChart) (*figure, error) {
	if _, err := loadFont(); err != nil {
		return nil, err
	}
	start, end := t.Start, t.End
	var first, last time.Time
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range t.Lines {
		for _, p := range l.Points {
			if first.IsZero() || p.At.Before(first) {
				first = p.At
			}
			if p.At.After(last) {
				last = p.At
			}
			lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
		}
	}
	if end.IsZero() {
		end = last.Add(12 * time.Hour)
		if last.IsZero() {
			end = time.Now()
		}
	}
	if start.IsZero() {
		start = first.Add(-12 * time.Hour)
		if first.IsZero() {
			start = end.Add(-30 * 24 * time.Hour)
		}
	}
	if !end.After(start) {
		return nil, errors.New("chart: empty time span")
	}
	p := plot.New()
	f := &figure{p: p}
	style(p)
	p.Title.Text = t.Title
	p.X.Label.Text = t.Lang.word("time")
	p.Y.Label.Text = t.YLabel
	p.X.Tick.Marker = timeTicks{lang: t.Lang, width: t.Width}
	p.Y.Tick.Marker = valueTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
	grid.Vertical.Width, grid.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	p.Add(grid)
	if t.YMin != 0 || t.YMax != 0 {
		lo, hi = t.YMin, t.YMax
	} else if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	} else {
		span := math.Max(hi-lo, 1)
		lo, hi = lo-span*0.08, hi+span*0.08
	}
	drawn := false
	for _, l := range t.Lines {
		w := vg.Points(l.Width)
		if l.Width <= 0 {
			w = vg.Points(1.2)
		}
		pts := between(l.Points, start, end)
		for i, r := range runs(pts, trendGap) {
			th, err := addLine(p, r, l.Color, w)
			if err != nil {
				return nil, err
			}
			drawn = true
			if i == 0 {
				f.legend = append(f.legend, entry{l.Name, th})
			}
		}
		// The last day's value as a dot, so that it reads at the edge.
		if len(pts) > 1 {
			last, err := plotter.NewScatter(xys(pts[len(pts)-1:]))
			if err != nil {
				return nil, err
			}
			last.Color, last.Radius, last.Shape = l.Color, w+vg.Points(1), draw.CircleGlyph{}
			p.Add(last)
		}
	}
	p.X.Min, p.X.Max = unix(start), unix(end)
	p.Y.Min, p.Y.Max = lo, hi
	if !drawn {
		return f, noData(p, t.Lang, start, end, lo, hi)
	}
	return f, nil
}
