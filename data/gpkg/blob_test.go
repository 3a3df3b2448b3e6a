package gpkg

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestGeometryBlobRoundTrip(t *testing.T) {
	geoms := []orb.Geometry{
		orb.Point{113.26, 23.13},
		orb.LineString{{113, 23}, {113.1, 23.05}, {113.2, 23}},
		orb.MultiPolygon{{{{113, 23}, {113.1, 23}, {113.1, 23.1}, {113, 23}}}},
	}
	for _, g := range geoms {
		b, err := EncodeGeom(g)
		if err != nil {
			t.Fatal(err)
		}
		if string(b[:2]) != "GP" || b[2] != 0 {
			t.Fatalf("%s: header % x", g.GeoJSONType(), b[:4])
		}
		back, err := DecodeGeom(b)
		if err != nil {
			t.Fatal(err)
		}
		if !orb.Equal(g, back) {
			t.Fatalf("%s: got %v back", g.GeoJSONType(), back)
		}
	}
	if _, err := DecodeGeom([]byte("XP\x00\x01\x00\x00\x00\x00")); err == nil {
		t.Fatal("a blob without the GP magic decoded")
	}
	if _, err := DecodeGeom([]byte("GP\x00\x03")); err == nil {
		t.Fatal("a truncated header decoded")
	}
}

// Mirrors edited elsewhere (QGIS) are outside input too.
func FuzzDecodeGeom(f *testing.F) {
	p, _ := EncodeGeom(orb.Point{113.26, 23.13})
	f.Add(p)
	f.Add([]byte("GP\x00\x03\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		g, err := DecodeGeom(in)
		if err == nil && g == nil {
			t.Fatal("nil geometry without error")
		}
		if _, _, err := Bounds(in); err == nil && len(in) < 8 {
			t.Fatalf("bounds of a %d-byte blob", len(in))
		}
	})
}
