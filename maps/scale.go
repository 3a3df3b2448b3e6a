package maps

import (
	"image"
	"image/color"
	"math"
	"strconv"
)

// GroundResolution is the ground metres one device pixel spans at the
// view's centre: Web Mercator metres shrink with the cosine of the
// latitude.
func GroundResolution(v Viewport) float64 {
	lat := Unproject(v.Center)[1] * math.Pi / 180
	return v.Resolution() * math.Cos(lat)
}

// NiceLength rounds a length down to 1, 2 or 5 times a power of ten: the
// scale bars' lengths (… 50 m, 100 m, 200 m, 500 m, 1 km, 2 km, 5 km …),
// the console's and a briefing's. Zero or less stays as it is.
func NiceLength(m float64) float64 {
	if !(m > 0) || math.IsInf(m, 1) {
		return m
	}
	p := math.Pow(10, math.Floor(math.Log10(m)))
	// Log10 of an exact power of ten may come out a hair low.
	if p*10 <= m {
		p *= 10
	}
	for _, f := range []float64{5, 2, 1} {
		if f*p <= m*(1+1e-12) {
			return f * p
		}
	}
	return p
}

// ScaleLabel writes a scale bar's length: metres below a kilometre,
// kilometres from one (50 m, 500 m, 1 km, 20 km).
func ScaleLabel(m float64) string {
	if m >= 1000 {
		return strconv.FormatFloat(m/1000, 'f', -1, 64) + " km"
	}
	return strconv.FormatFloat(m, 'f', -1, 64) + " m"
}

// ScaleBar is a bar of a round ground length at most maxLen long, for a
// map where one unit of length (a pixel, a millimetre) spans perUnit
// ground metres: its length in metres, in units, and its label.
func ScaleBar(perUnit, maxLen float64) (metres, length float64, label string) {
	metres = NiceLength(perUnit * maxLen)
	return metres, metres / perUnit, ScaleLabel(metres)
}

// Text is one or more lines of text over their halo, as the map's labels
// are drawn; size is in points at 72 dpi (device pixels). The image is
// shared (cached): draw from it, never into it. Nil when the face cannot
// be made.
func (l *Labeler) Text(size float64, text string, fg, halo color.NRGBA) *image.RGBA {
	if s := l.sprite(size, text, fg, halo); s != nil {
		return s.img
	}
	return nil
}
