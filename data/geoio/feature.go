package geoio

import (
	"fmt"

	"github.com/paulmach/orb"
)

func featureRecord(index int, code string) string {
	if code == "" {
		return fmt.Sprintf("feature %d", index)
	}
	return fmt.Sprintf("feature %d (code %s)", index, code)
}

// Feature is one record read from outside input.
type Feature struct {
	Record string // how errors name it
	Code   string
	Props  map[string]string
	Geom   orb.Geometry
}
