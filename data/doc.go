// Package data is Kapok's domain: the regions, grids, governance centers,
// units, grid matters, events (cases), orders and users of a city; the states
// they move through and the rules of those moves; the refusals a change can
// meet, as codes with arguments; and the interfaces of the services that
// store them, every method taking a context.Context.
//
// It holds no SQL and no cgo. The stores live in sub-packages: data/mirror
// (the SQLite file on a workstation). Beside them: data/gpkg (GeoPackage
// codecs), data/geoio (GeoJSON and CSV), data/geom (GEOS), data/journal (the
// hash-chained journal of changes) and data/demo (the demo city).
package data
