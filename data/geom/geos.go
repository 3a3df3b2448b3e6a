package geom

import (
	"math"

	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb/planar"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/twpayne/go-geos"
)

// GEOS does the computational geometry Kapok needs beyond orb: exact overlay
// (intersection, union), Voronoi diagrams and OGC validity. orb and GEOS meet
// through WKB.

func ToGEOS(ctx *geos.Context, g orb.Geometry) (*geos.Geom, error) {
	b, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, err
	}
	return ctx.NewGeomFromWKB(b)
}

// FromGEOS converts a GEOS geometry back to orb.
func FromGEOS(g *geos.Geom) (orb.Geometry, error) {
	return wkb.Unmarshal(g.ToWKB())
}

// Polygons returns the polygons of a GEOS result as one orb MultiPolygon,
// dropping any lines or points an overlay left behind.
func Polygons(g *geos.Geom) (orb.MultiPolygon, error) {
	og, err := FromGEOS(g)
	if err != nil {
		return nil, err
	}
	var out orb.MultiPolygon
	var walk func(orb.Geometry)
	walk = func(x orb.Geometry) {
		switch t := x.(type) {
		case orb.Polygon:
			out = append(out, t)
		case orb.MultiPolygon:
			out = append(out, t...)
		case orb.Collection:
			for _, c := range t {
				walk(c)
			}
		}
	}
	walk(og)
	return out, nil
}

// Valid converts g to GEOS and returns it, or GEOS's reason when g is
// not OGC-valid (for example a self-intersecting ring).
func Valid(ctx *geos.Context, g orb.Geometry) (*geos.Geom, string, error) {
	gg, err := ToGEOS(ctx, g)
	if err != nil {
		return nil, "", fmt.Errorf("geometry: %w", err)
	}
	if gg.IsValid() {
		return gg, "", nil
	}
	return nil, gg.IsValidReason(), nil
}

// PlanarAreaM2 measures an overlay residue (gap, overlap, part outside) in
// square metres. It must be planar: the shapes are straight in lon/lat, and
// a spherical formula (orb's geo.Area) gives a sliver of zero width along a
// long edge hundreds of square metres, because its points lie on one straight
// lon/lat line but not on one great circle.
func PlanarAreaM2(g orb.Geometry) float64 {
	return PlanarAreaM2At(g, g.Bound().Center()[1])
}

// PlanarAreaM2At is PlanarAreaM2 with the scale taken at one latitude, so
// that areas of neighbouring shapes can be added and compared.
func PlanarAreaM2At(g orb.Geometry, lat float64) float64 {
	const metresPerDegree = 111319.49
	return math.Abs(planar.Area(g)) * metresPerDegree * metresPerDegree * math.Cos(lat*math.Pi/180)
}
