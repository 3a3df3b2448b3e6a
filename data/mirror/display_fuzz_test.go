package mirror

import (
	"testing"

	"github.com/paulmach/orb"

	"kapok/data/gpkg"
)

// The grids' geometry is read from the mirror, a file anyone can edit: the
// decoder of concatenated blobs must refuse what is not a run of polygon
// blobs, never panic or allocate for counts the bytes cannot hold, and
// decode what is, the same as the blob decoder.
func FuzzDecodeMultiPolygons(f *testing.F) {
	var cat []byte
	for _, g := range []orb.Geometry{
		orb.MultiPolygon{{{{113, 23}, {113.1, 23}, {113.1, 23.1}, {113, 23}}}},
		orb.Polygon{{{114, 22}, {114.2, 22}, {114.2, 22.3}, {114, 22}}, {{114.05, 22.05}, {114.1, 22.05}, {114.1, 22.1}, {114.05, 22.05}}},
	} {
		b, err := gpkg.EncodeGeom(g)
		if err != nil {
			f.Fatal(err)
		}
		cat = append(cat, b...)
	}
	f.Add(cat, 2)
	f.Add(cat[:len(cat)-3], 2)
	f.Add([]byte("GP\x00\x01\xe6\x10\x00\x00\x01\x06\x00\x00\x00\xff\xff\xff\x7f"), 1)
	f.Fuzz(func(t *testing.T, in []byte, n int) {
		if n < 0 || n > 64 {
			return
		}
		mps, err := decodeMultiPolygons(in, n, nil)
		if err != nil {
			return
		}
		if len(mps) != n {
			t.Fatalf("%d geometries for %d blobs", len(mps), n)
		}
		// What decodes as one blob decodes the same through data/gpkg.
		if n == 1 {
			g, err := gpkg.DecodeGeom(in)
			if err != nil {
				t.Fatalf("decoded here, refused by gpkg: %v", err)
			}
			want, ok := g.(orb.MultiPolygon)
			if p, isPoly := g.(orb.Polygon); isPoly {
				want, ok = orb.MultiPolygon{p}, true
			}
			if !ok || !orb.Equal(want, mps[0]) {
				t.Fatalf("decoded %v here, %v by gpkg", mps[0], g)
			}
		}
	})
}
