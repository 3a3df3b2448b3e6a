package maps

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// The hand-written Douglas-Peucker keeps exactly the points orb/simplify
// keeps, on rings and lines of every size and at every band's tolerance.
func TestSimplifyMatchesOrb(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var sc dpScratch
	for k := 0; k < 3000; k++ {
		n := 2 + rng.IntN(60)
		r := make(orb.Ring, n)
		for i := range r[:n-1] {
			a := 2 * math.Pi * float64(i) / float64(n-1)
			rad := 500 + rng.Float64()*400
			r[i] = orb.Point{rad * math.Cos(a), rad * math.Sin(a)}
		}
		r[n-1] = r[0]
		tol := lodTolerance(rng.IntN(len(lodZooms) - 1))
		want := simplify.DouglasPeucker(tol).Ring(r.Clone())
		if len(want) < 4 {
			want = r
		}
		got := simplifyKeepingShape(orb.MultiPolygon{{r}}, tol, &sc).(orb.MultiPolygon)[0][0]
		if !orb.Equal(got, want) {
			t.Fatalf("ring of %d at %.1f m: got %d points, orb %d", n, tol, len(got), len(want))
		}
		line := orb.LineString(r[:n-1])
		wantLine := simplify.DouglasPeucker(tol).LineString(line.Clone())
		if gotLine := simplifyKeepingShape(line, tol, &sc); !orb.Equal(gotLine, wantLine) {
			t.Fatalf("line of %d at %.1f m: got %v, orb %v", n-1, tol, gotLine, wantLine)
		}
	}
}
