package chart

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// figure is a chart ready to draw: the plot and its legend's entries.
type figure struct {
	p      *plot.Plot
	legend []entry
}

type entry struct {
	name  string
	thumb plot.Thumbnailer
}

// Draw draws the chart on a canvas of any vg back end (a region of a
// briefing's page, say).
func Draw(c draw.Canvas, s Series, spec Spec) error {
	f, err := build(s, spec)
	if err != nil {
		return err
	}
	f.draw(c)
	return nil
}

// draw draws the plot and its legend: in one row at the right of the
// title's when it fits there, so that it hides no values; else down the
// top left corner of the data area (gonum/plot's legend).
func (f *figure) draw(c draw.Canvas) {
	p := f.p
	if len(f.legend) == 0 {
		p.Draw(c)
		return
	}
	l := p.Legend // styled, without entries
	em := l.TextStyle.Rectangle("  ").Max.X
	widths := make([]vg.Length, len(f.legend))
	total := vg.Length(0)
	for i, e := range f.legend {
		widths[i] = l.ThumbnailWidth + l.TextStyle.Rectangle(" "+e.name).Max.X
		total += widths[i] + em
	}
	title := p.Title.TextStyle.Rectangle(p.Title.Text)
	right := c.Max.X - vg.Points(6)
	if c.Center().X+title.Size().X/2+2*em+total > right {
		for _, e := range f.legend {
			p.Legend.Add(e.name, e.thumb)
		}
		p.Draw(c)
		return
	}
	p.Draw(c)
	// The legend's row: the title's, from the right. Each entry is drawn
	// by gonum/plot's legend on a canvas of its own, one after the other
	// (gonum/plot's legend stacks entries in a column only).
	x := right - total + em
	for i, e := range f.legend {
		one := l
		one.Top, one.Left = true, true
		one.XOffs, one.YOffs = 0, 0
		one.Add(e.name, e.thumb)
		sub := c
		sub.Min.X, sub.Max.X = x, x+widths[i]
		sub.Min.Y = c.Max.Y - title.Size().Y
		one.Draw(sub)
		x += widths[i] + em
	}
}

// valueTicks are gonum/plot's ticks on the value axis with labels written
// with as few decimals as they need (its own give every label the
// decimals of the step: 75.00, 100.00).
type valueTicks struct{}

// Ticks implements plot.Ticker.
func (valueTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	decimals := 0
	for ; decimals < 6; decimals++ {
		whole := true
		k := math.Pow10(decimals)
		for _, t := range ticks {
			if t.Label != "" && math.Abs(t.Value*k-math.Round(t.Value*k)) > 1e-6*math.Max(1, math.Abs(t.Value*k)) {
				whole = false
				break
			}
		}
		if whole {
			break
		}
	}
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = strconv.FormatFloat(t.Value, 'f', decimals, 64)
		}
	}
	return ticks
}
