// Package maps is Kapok's map engine: projection, viewport, spatial index,
// hit-testing and rasterizing. It knows geometry and pixels only (orb and the
// image packages): no UI toolkit, no database.
package maps
