package maps

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// A scale bar's length is the longest 1, 2 or 5 times a power of ten that
// fits, written in metres below a kilometre and in kilometres from one.
func TestScaleBarLengths(t *testing.T) {
	for _, tc := range []struct {
		max   float64
		want  float64
		label string
	}{
		{0.7, 0.5, "0.5 m"},
		{1, 1, "1 m"},
		{49.9, 20, "20 m"},
		{50, 50, "50 m"},
		{99.99, 50, "50 m"},
		{100, 100, "100 m"},
		{160, 100, "100 m"},
		{199, 100, "100 m"},
		{200, 200, "200 m"},
		{499, 200, "200 m"},
		{500, 500, "500 m"},
		{999, 500, "500 m"},
		{1000, 1000, "1 km"},
		{1999, 1000, "1 km"},
		{2000, 2000, "2 km"},
		{4999, 2000, "2 km"},
		{5000, 5000, "5 km"},
		{9999, 5000, "5 km"},
		{10000, 10000, "10 km"},
		{37000, 20000, "20 km"},
		{1e6, 1e6, "1000 km"},
	} {
		got := NiceLength(tc.max)
		if got != tc.want || ScaleLabel(got) != tc.label {
			t.Errorf("NiceLength(%g) = %g %q, want %g %q", tc.max, got, ScaleLabel(got), tc.want, tc.label)
		}
	}
	for _, bad := range []float64{0, -3, math.Inf(1)} {
		if got := NiceLength(bad); got != bad {
			t.Errorf("NiceLength(%g) = %g", bad, got)
		}
	}
	// Every power of ten from a millimetre to a thousand kilometres is its
	// own length (Log10 of some comes out a hair low).
	for e := -3; e <= 6; e++ {
		p := math.Pow(10, float64(e))
		if got := NiceLength(p); math.Abs(got-p) > p*1e-9 {
			t.Errorf("NiceLength(1e%d) = %g", e, got)
		}
	}
}

// The bar for a map: at most maxLen units long, its length the round
// number of metres over the metres per unit.
func TestScaleBar(t *testing.T) {
	metres, px, label := ScaleBar(3.1, 160) // 496 m fit
	if metres != 200 || math.Abs(px-200/3.1) > 1e-9 || label != "200 m" {
		t.Fatalf("ScaleBar(3.1, 160) = %g m, %g px, %q", metres, px, label)
	}
}

// Ground metres per pixel: Mercator's shrunk by the cosine of the latitude
// (Guangzhou at 23.13°N), and doubled by one zoom level out.
func TestGroundResolution(t *testing.T) {
	v := NewViewport(800, 600)
	v.Center = ProjectPoint(orb.Point{113.26, 23.13})
	v.Zoom = 12
	got := GroundResolution(v)
	want := v.Resolution() * math.Cos(23.13*math.Pi/180)
	if math.Abs(got-want) > 1e-9 || math.Abs(got-35.13) > 0.05 {
		t.Fatalf("ground resolution at z12, 23.13°N: %g m/px, want %g (≈35.13)", got, want)
	}
	v.Zoom = 11
	if r := GroundResolution(v); math.Abs(r-2*got) > 1e-9 {
		t.Fatalf("one level out: %g, want %g", r, 2*got)
	}
	v.Scale = 2
	if r := GroundResolution(v); math.Abs(r-got) > 1e-9 {
		t.Fatalf("at device scale 2, z11: %g, want %g (half the pixels' size)", r, got)
	}
}
