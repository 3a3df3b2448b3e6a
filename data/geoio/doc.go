// Package geoio reads and writes features as GeoJSON (RFC 7946) and CSV
// (geometry as WKT, or lon/lat columns for points), without a database. Bad
// input is refused as a *data.InputError naming the file, the record and the
// reason; every reader is fuzzed (seeds in testdata/).
package geoio
