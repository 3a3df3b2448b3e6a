package data

import (
	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/twpayne/go-geos"
)

// GEOS does the computational geometry Kapok needs beyond orb: exact overlay
// (intersection, union), Voronoi diagrams and OGC validity. orb and GEOS meet
// through WKB.

func toGEOS(ctx *geos.Context, g orb.Geometry) (*geos.Geom, error) {
	b, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, err
	}
	return ctx.NewGeomFromWKB(b)
}

func fromGEOS(g *geos.Geom) (orb.Geometry, error) {
	return wkb.Unmarshal(g.ToWKB())
}

// polygonsOf returns the polygons of a GEOS result as one orb MultiPolygon,
// dropping any lines or points an overlay left behind.
func polygonsOf(g *geos.Geom) (orb.MultiPolygon, error) {
	og, err := fromGEOS(g)
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

// geosInvalid returns GEOS's reason when g is not OGC-valid (for example a
// self-intersecting ring), or "".
func geosInvalid(ctx *geos.Context, g orb.Geometry) (string, error) {
	gg, err := toGEOS(ctx, g)
	if err != nil {
		return "", fmt.Errorf("geometry: %w", err)
	}
	if gg.IsValid() {
		return "", nil
	}
	return gg.IsValidReason(), nil
}
