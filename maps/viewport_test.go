package maps

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestProjectionRoundTrip(t *testing.T) {
	for _, p := range []orb.Point{{113.2644, 23.1291}, {0, 0}, {-179.9, -84}, {179.9, 84}} {
		back := Unproject(ProjectPoint(p))
		if !near(back[0], p[0], 1e-9) || !near(back[1], p[1], 1e-9) {
			t.Errorf("%v → %v", p, back)
		}
	}
	// EPSG:3857 closed form: x = R·λ, y = R·ln tan(π/4 + φ/2).
	m := ProjectPoint(orb.Point{113.2644, 23.1291})
	wantX := orb.EarthRadius * 113.2644 * math.Pi / 180
	wantY := orb.EarthRadius * math.Log(math.Tan(math.Pi/4+23.1291*math.Pi/360))
	if !near(m[0], wantX, 1e-6) || !near(m[1], wantY, 1e-6) || !near(wantX, 12608535, 1) {
		t.Errorf("Web Mercator of Guangzhou = %v", m)
	}
}

func TestViewportRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 1000; i++ {
		v := Viewport{Center: orb.Point{rng.Float64()*2e7 - 1e7, rng.Float64()*2e7 - 1e7}, Zoom: rng.Float64() * 20,
			Width: 100 + rng.IntN(2000), Height: 100 + rng.IntN(1200), Scale: []float64{1, 1.5, 2}[rng.IntN(3)]}
		x, y := rng.Float64()*float64(v.PixelWidth()), rng.Float64()*float64(v.PixelHeight())
		w := v.ToWorld(x, y)
		x2, y2 := v.ToScreen(w)
		if !near(x, x2, 1e-6) || !near(y, y2, 1e-6) {
			t.Fatalf("screen (%g,%g) → world → (%g,%g) at %+v", x, y, x2, y2, v)
		}
		z := v.ZoomAbout(x, y, rng.Float64()*4-2)
		if a := z.ToWorld(x, y); !near(a[0], w[0], 1e-6*v.Resolution()+1e-6) || !near(a[1], w[1], 1e-6*v.Resolution()+1e-6) {
			t.Fatalf("zoom about (%g,%g) moved the anchor from %v to %v", x, y, w, a)
		}
		p := v.Pan(37, -12)
		if sx, sy := p.ToScreen(w); !near(sx, x+37, 1e-6) || !near(sy, y-12, 1e-6) {
			t.Fatalf("pan moved the content to (%g,%g), want (%g,%g)", sx, sy, x+37, y-12)
		}
	}
}

func TestViewportFit(t *testing.T) {
	b := orb.Bound{Min: ProjectPoint(orb.Point{112.95, 22.51}), Max: ProjectPoint(orb.Point{114.06, 23.93})}
	v := NewViewport(1920, 1080).Fit(b, 10)
	vb := v.Bounds()
	if vb.Min[0] > b.Min[0] || vb.Min[1] > b.Min[1] || vb.Max[0] < b.Max[0] || vb.Max[1] < b.Max[1] {
		t.Fatalf("fit %v does not contain %v", vb, b)
	}
	// Tight on the binding axis (height here): 10 px padding each side.
	_, top := v.ToScreen(orb.Point{0, b.Max[1]})
	if !near(top, 10, 1e-6) {
		t.Fatalf("top edge at %g px, want 10", top)
	}
}
