package geoio

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// CheckShape checks what can be checked of a geometry on its own: finite
// coordinates within WGS84 range, lines of two points or more, rings closed
// and of four points or more.
func CheckShape(g orb.Geometry) error {
	switch t := g.(type) {
	case orb.Point:
		return checkPoint(t, "point")
	case orb.MultiPoint:
		for i, p := range t {
			if err := checkPoint(p, fmt.Sprintf("point %d", i)); err != nil {
				return err
			}
		}
	case orb.LineString:
		return checkLine(t, "line")
	case orb.MultiLineString:
		for i, l := range t {
			if err := checkLine(l, fmt.Sprintf("line %d", i)); err != nil {
				return err
			}
		}
	case orb.Polygon:
		return checkPolygon(t, "")
	case orb.MultiPolygon:
		if len(t) == 0 {
			return errors.New("empty multipolygon")
		}
		for i, p := range t {
			if err := checkPolygon(p, fmt.Sprintf("polygon %d ", i)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unsupported geometry type %s", g.GeoJSONType())
	}
	return nil
}

func checkPoint(p orb.Point, what string) error {
	x, y := p[0], p[1]
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return fmt.Errorf("%s has a non-finite coordinate", what)
	}
	if x < -180 || x > 180 || y < -90 || y > 90 {
		return fmt.Errorf("%s (%g, %g) is out of range for longitude/latitude", what, x, y)
	}
	return nil
}

func checkLine(l orb.LineString, what string) error {
	if len(l) < 2 {
		return fmt.Errorf("%s has %d points, needs at least 2", what, len(l))
	}
	for i, p := range l {
		if err := checkPoint(p, fmt.Sprintf("%s point %d", what, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkPolygon(p orb.Polygon, prefix string) error {
	if len(p) == 0 {
		return fmt.Errorf("%shas no rings", prefix)
	}
	for i, r := range p {
		what := fmt.Sprintf("%sring %d", prefix, i)
		if len(r) < 4 {
			return fmt.Errorf("%s has %d points, needs at least 4", what, len(r))
		}
		if !r.Closed() {
			return fmt.Errorf("%s is not closed (first point %v, last %v)", what, r[0], r[len(r)-1])
		}
		for j, pt := range r {
			if err := checkPoint(pt, fmt.Sprintf("%s point %d", what, j)); err != nil {
				return err
			}
		}
	}
	return nil
}
