package chart

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Grouped bars: a group of bars per label along the x axis (a district),
// one bar per series in each group (a dimension), each series in its
// colour, named in a legend beside the title. The console draws the Red
// Cotton Index's five dimensions of each district with it.

// BarSeries is one bar of every group: its name (in the legend), colour
// and a value per group (NaN: no bar).
type BarSeries struct {
	Name   string
	Color  color.NRGBA
	Values []float64
}

// BarChart is what Bars draws.
type BarChart struct {
	Title  string
	YLabel string
	Groups []string // the groups' labels, left to right
	Series []BarSeries
	// YMin and YMax are the value axis's range; both 0: from the values
	// (from 0 up).
	YMin, YMax float64
	// Highlight is a group shaded behind its bars (-1: none).
	Highlight int
	// Width and Height are the size in pixels of 1/96 inch; Scale the
	// device's pixels per pixel (0 means 1).
	Width, Height int
	Scale         float64
	Lang          Lang // of "no data"
}

// DimensionColors are the Red Cotton Index's five dimensions' colours in
// the console's charts and the briefings', the composite's last.
var DimensionColors = []color.NRGBA{{200, 40, 40, 255}, {60, 90, 170, 255}, {40, 150, 90, 255}, {230, 150, 20, 255}, {130, 70, 160, 255},
	{20, 20, 30, 255}}

// HighlightColor shades the group highlighted.
var HighlightColor = color.NRGBA{255, 240, 200, 255}

// barsMarginPx is about how much of a chart's width the axis and margins
// take, in pixels: the rest is the groups'.
const barsMarginPx = 56

// Bars draws grouped bars as an image of Width×Height pixels times Scale.
func Bars(b BarChart) (*image.RGBA, error) {
	f, err := buildBars(b)
	if err != nil {
		return nil, err
	}
	return figureImage(f, b.Width, b.Height, b.Scale)
}

// DrawBars draws grouped bars on a canvas of any vg back end (a region of
// a briefing's page), the legend in rows under the bars as Bars draws it.
func DrawBars(c draw.Canvas, b BarChart) error {
	f, err := buildBars(b)
	if err != nil {
		return err
	}
	f.drawBelow(c)
	return nil
}

func buildBars(b BarChart) (*figure, error) {
	if _, err := loadFont(); err != nil {
		return nil, err
	}
	if b.Width <= barsMarginPx || b.Height <= 0 {
		return nil, fmt.Errorf("chart: %d×%d pixels is too small for bars", b.Width, b.Height)
	}
	for _, s := range b.Series {
		if len(s.Values) != len(b.Groups) {
			return nil, fmt.Errorf("chart: series %q has %d values for %d groups", s.Name, len(s.Values), len(b.Groups))
		}
	}
	p := plot.New()
	f := &figure{p: p}
	style(p)
	p.Title.Text = b.Title
	p.Y.Label.Text = b.YLabel
	p.Y.Tick.Marker = valueTicks{}
	n := len(b.Groups)
	lo, hi := b.YMin, b.YMax
	if lo == 0 && hi == 0 {
		for _, s := range b.Series {
			for _, v := range s.Values {
				if !math.IsNaN(v) {
					hi = math.Max(hi, v)
				}
			}
		}
		if hi == 0 {
			hi = 1
		}
		hi *= 1.05
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Transparent
	grid.Horizontal.Color, grid.Horizontal.Width = gridColor, vg.Points(0.5)
	if b.Highlight >= 0 && b.Highlight < n {
		x := float64(b.Highlight)
		shade, err := plotter.NewPolygon(plotter.XYs{{X: x - 0.5, Y: lo}, {X: x + 0.5, Y: lo}, {X: x + 0.5, Y: hi}, {X: x - 0.5, Y: hi}})
		if err != nil {
			return nil, err
		}
		shade.Color, shade.LineStyle.Width = HighlightColor, 0
		p.Add(shade)
	}
	p.Add(grid)
	if n == 0 || len(b.Series) == 0 {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
		p.X.Tick.Marker = plot.ConstantTicks(nil)
		p.Y.Tick.Marker = plot.ConstantTicks(nil)
		return f, noDataAt(p, b.Lang, 0.5, 0.5)
	}
	// Each group takes one unit of x; its bars 80 % of it, side by side.
	groupPt := float64(b.Width-barsMarginPx) * 72 / PixelsPerInch / float64(n)
	barW := vg.Length(groupPt * 0.8 / float64(len(b.Series)))
	for i, s := range b.Series {
		vals := make(plotter.Values, n)
		for g, v := range s.Values {
			if !math.IsNaN(v) {
				vals[g] = v
			}
		}
		bars, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return nil, err
		}
		bars.Color = s.Color
		bars.LineStyle.Width = 0
		bars.Offset = barW * vg.Length(float64(i)-float64(len(b.Series)-1)/2)
		p.Add(bars)
		f.legend = append(f.legend, entry{s.Name, bars})
	}
	p.NominalX(b.Groups...)
	p.X.Tick.Length = 0
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = lo, hi
	return f, nil
}

// noDataAt writes "no data" at a point of the plot.
func noDataAt(p *plot.Plot, l Lang, x, y float64) error {
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: y}}, Labels: []string{l.word("no data")}})
	if err != nil {
		return err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].Font = fontOf(labelSize)
		labels.TextStyle[i].Color = baseColor
		labels.TextStyle[i].XAlign, labels.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
	}
	p.Add(labels)
	return nil
}

// figureImage draws a figure on a white image of w×h pixels times scale.
func figureImage(f *figure, w, h int, scale float64) (*image.RGBA, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("chart: %d×%d pixels", w, h)
	}
	if scale <= 0 {
		scale = 1
	}
	px := func(n int) vg.Length { return vg.Length(n) * vg.Inch / PixelsPerInch }
	c := vgimg.NewWith(vgimg.UseWH(px(w), px(h)), vgimg.UseDPI(int(PixelsPerInch*scale+0.5)), vgimg.UseBackgroundColor(color.White))
	f.drawBelow(draw.New(c))
	img, ok := c.Image().(*image.RGBA)
	if !ok {
		return nil, fmt.Errorf("chart: the canvas drew a %T", c.Image())
	}
	return img, nil
}

// drawBelow draws the plot with its legend in rows under it, centred: the
// bars and lines of a chart with many series keep the whole data area.
func (f *figure) drawBelow(c draw.Canvas) {
	if len(f.legend) == 0 {
		f.p.Draw(c)
		return
	}
	l := f.p.Legend // styled, without entries
	em := l.TextStyle.Rectangle("  ").Max.X
	rowH := l.TextStyle.Rectangle("安Ay").Size().Y + vg.Points(4)
	widths := make([]vg.Length, len(f.legend))
	for i, e := range f.legend {
		widths[i] = l.ThumbnailWidth + l.TextStyle.Rectangle(" "+e.name).Max.X
	}
	// Entries in rows as many as fit the width.
	avail := c.Max.X - c.Min.X - vg.Points(12)
	var rows [][]int
	var rowW []vg.Length
	for i, w := range widths {
		if n := len(rows); n == 0 || rowW[n-1]+w > avail {
			rows, rowW = append(rows, nil), append(rowW, 0)
		}
		n := len(rows) - 1
		rows[n], rowW[n] = append(rows[n], i), rowW[n]+w+em
	}
	plotArea := c
	plotArea.Min.Y += rowH*vg.Length(len(rows)) + vg.Points(2)
	f.p.Draw(plotArea)
	for r, row := range rows {
		x := c.Center().X - (rowW[r]-em)/2
		y := c.Min.Y + rowH*vg.Length(len(rows)-1-r) + vg.Points(2)
		for _, i := range row {
			one := l
			one.Top, one.Left = true, true
			one.XOffs, one.YOffs = 0, 0
			one.Add(f.legend[i].name, f.legend[i].thumb)
			sub := c
			sub.Min.X, sub.Max.X = x, x+widths[i]
			sub.Min.Y, sub.Max.Y = y, y+rowH
			one.Draw(sub)
			x += widths[i] + em
		}
	}
}
