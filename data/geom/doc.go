// Package geom is the computational geometry Kapok needs beyond orb, done by
// GEOS (cgo): exact overlay, OGC validity, and cutting a region into parts
// that tile it (Voronoi cells clipped to the parent, relaxed toward equal
// areas). orb and GEOS meet through WKB.
package geom
