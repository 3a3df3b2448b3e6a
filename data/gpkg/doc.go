// Package gpkg holds the GeoPackage 1.2 codecs Kapok's SQLite stores share:
// the geometry blob (a small header and WKB), the one text form of stored
// times, both as sql.Scanner and driver.Valuer, and the go-sqlite3 driver
// with the SQL functions GeoPackage's R-tree triggers call.
package gpkg
