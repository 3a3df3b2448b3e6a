package gpkg

import (
	"database/sql/driver"
	"fmt"

	"github.com/paulmach/orb"
)

// Geometry is an orb geometry as a SQL value: a GeoPackage blob in EPSG:4326.
// A nil geometry is NULL.
type Geometry struct{ orb.Geometry }

// Value encodes the geometry.
func (g Geometry) Value() (driver.Value, error) {
	if g.Geometry == nil {
		return nil, nil
	}
	return EncodeGeom(g.Geometry)
}

// Scan decodes a GeoPackage blob (NULL gives a nil geometry).
func (g *Geometry) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		g.Geometry = nil
		return nil
	case []byte:
		geom, err := DecodeGeom(v)
		if err != nil {
			return err
		}
		g.Geometry = geom
		return nil
	}
	return fmt.Errorf("gpkg.Geometry: cannot read %T", src)
}
