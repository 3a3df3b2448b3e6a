package app

import (
	"math"
	"time"

	"github.com/paulmach/orb"

	kmaps "kapok/maps"
)

// flightSteps and flightStep make a flight of about a quarter second: long
// enough to see where the map went, short enough not to wait for.
const (
	flightSteps = 8
	flightStep  = 30 * time.Millisecond
)

// FlyTo fits the map to a Web Mercator bound with a margin: a short flight
// when Animate is set, else a jump.
func (mv *MapView) FlyTo(b orb.Bound) {
	from := mv.View()
	to := from.Fit(b, 40)
	to.Zoom = math.Min(to.Zoom, 18)
	mv.mu.Lock()
	mv.flight++
	id := mv.flight
	mv.flying = mv.Animate
	mv.mu.Unlock()
	if !mv.Animate {
		mv.SetView(to)
		return
	}
	go func() {
		tick := time.NewTicker(flightStep)
		defer tick.Stop()
		for i := 1; i <= flightSteps; i++ {
			<-tick.C
			v, last := flightView(from, to, float64(i)/flightSteps), i == flightSteps
			// Steps run on the UI goroutine; one from a flight that a newer
			// flight or a move by hand replaced does nothing.
			deliverFrame(func() {
				mv.mu.Lock()
				current := mv.flight == id
				if current && last {
					mv.flying = false
				}
				mv.mu.Unlock()
				if current {
					mv.setView(v)
				}
			})
		}
	}()
}

// flightView is the view a fraction t (0–1) of the way from one view to
// another: zoom linear in t, eased at both ends; the centre moves so that it
// goes at an even pace on screen rather than in metres.
func flightView(from, to kmaps.Viewport, t float64) kmaps.Viewport {
	e := t * t * (3 - 2*t) // smoothstep
	v := to
	v.Zoom = from.Zoom + (to.Zoom-from.Zoom)*e
	// Pixels per metre change as 2^zoom: blending the centre by the share of
	// the way in screen space keeps the target from racing ahead when zooming in.
	k := e
	if dz := to.Zoom - from.Zoom; math.Abs(dz) > 1e-6 {
		k = (math.Exp2(dz*e) - 1) / (math.Exp2(dz) - 1)
	}
	v.Center = orb.Point{from.Center[0] + (to.Center[0]-from.Center[0])*k, from.Center[1] + (to.Center[1]-from.Center[1])*k}
	return v
}

// setView moves the map as part of a flight, without ending it.
func (mv *MapView) setView(v kmaps.Viewport) {
	mv.mu.Lock()
	mv.view = v
	mv.fitPending = false
	mv.mu.Unlock()
	mv.changed()
}

// endFlight stops a flight in progress (mu held): the map was moved by hand.
func (mv *MapView) endFlight() {
	mv.flight++
	mv.flying = false
}
