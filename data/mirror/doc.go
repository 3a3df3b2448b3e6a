// Package mirror is the store Kapok keeps on a workstation: one SQLite file
// that is also an OGC GeoPackage 1.2, so GDAL and QGIS open it as it is. It
// implements the services of package data over that file: numbered,
// embedded migrations (SQL, and Go where SQL cannot do the step), the reads
// the console and the map need, orders written with their journal entry in
// one transaction, import and export, and the hash-chained journal of
// changes (package data/journal computes the hashes).
//
// Writes run in BEGIN IMMEDIATE transactions, so writers queue for the file
// before reading what they change; every stored instant is in one text form
// (data/gpkg.TimeLayout); records made at a console get UUIDv7 keys.
package mirror
