package chart

import (
	"math"
	"time"

	"gonum.org/v1/plot"

	"kapok/data"
)

// timeTicks places the time axis's ticks on whole hours and days of
// Beijing time. Written here because gonum/plot's TimeTicks formats the
// labels of its number ticker, whose ticks fall on round numbers of
// seconds (09:46:40), not on the clock's hours or the calendar's days.
type timeTicks struct {
	lang  Lang
	width int // the chart's width in pixels: how many labels fit
}

// Ticks implements plot.Ticker over seconds since the Unix epoch.
func (tt timeTicks) Ticks(lo, hi float64) []plot.Tick {
	start := time.Unix(int64(math.Ceil(lo)), 0).In(data.BeijingTime)
	end := time.Unix(int64(math.Floor(hi)), 0).In(data.BeijingTime)
	span := end.Sub(start)
	// About one label per 90 pixels.
	labels := max(2, tt.width/90)
	var out []plot.Tick
	if span <= 3*24*time.Hour {
		step := 1
		for _, h := range []int{1, 2, 3, 4, 6, 12, 24} {
			step = h
			if span/time.Duration(h)/time.Hour <= time.Duration(labels) {
				break
			}
		}
		t := time.Date(start.Year(), start.Month(), start.Day(), start.Hour(), 0, 0, 0, data.BeijingTime)
		for ; !t.After(end); t = t.Add(time.Hour) {
			if t.Before(start) {
				continue
			}
			tick := plot.Tick{Value: float64(t.Unix())}
			if t.Hour()%step == 0 {
				tick.Label = t.Format("15:04")
				if t.Hour() == 0 {
					tick.Label = tt.lang.date(t)
				}
			}
			out = append(out, tick)
		}
		return out
	}
	days := int(span / (24 * time.Hour))
	step := 1
	for _, d := range []int{1, 2, 5, 7, 10, 15, 30} {
		step = d
		if days/d <= labels {
			break
		}
	}
	t := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, data.BeijingTime)
	for !t.After(end) {
		if !t.Before(start) {
			tick := plot.Tick{Value: float64(t.Unix())}
			// Labels on days counted from the epoch's, so that they do
			// not move as the window slides a day.
			if (t.Unix()/86400)%int64(step) == 0 {
				tick.Label = tt.lang.date(t)
			}
			out = append(out, tick)
		}
		t = t.AddDate(0, 0, 1)
	}
	return out
}
