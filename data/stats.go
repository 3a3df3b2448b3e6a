package data

import (
	"database/sql"
	"fmt"
	"os"
	"time"

	"github.com/paulmach/orb"
)

// FeatureLayers are the mirror's GeoPackage feature tables, top down.
var FeatureLayers = []string{"cities", "districts", "streets", "communities", "grids", "centers", "units",
	"events", "cameras", "checkpoints", "patrol_routes"}

// AttributeTables are the mirror's tables without geometry.
var AttributeTables = []string{"grid_workers", "responders", "matter_types", "event_history", "orders",
	"order_targets", "indicator_defs", "indicator_values", "red_cotton_index", "users", "audit_log"}

// refreshExtents records each layer's extent in gpkg_contents (GDAL reports
// it as the layer extent) from the layer's R-tree.
func refreshExtents(tx *sql.Tx) error {
	for _, t := range FeatureLayers {
		if err := refreshExtent(tx, t); err != nil {
			return err
		}
	}
	return nil
}

func refreshExtent(tx *sql.Tx, table string) error {
	r := "rtree_" + table + "_geom"
	now := time.Now()
	_, err := tx.Exec(`UPDATE gpkg_contents SET
		min_x = (SELECT min(minx) FROM `+r+`), max_x = (SELECT max(maxx) FROM `+r+`),
		min_y = (SELECT min(miny) FROM `+r+`), max_y = (SELECT max(maxy) FROM `+r+`),
		last_change = ? WHERE table_name = ?`, gpkgTime(&now), table)
	return err
}

// LayerCounts counts the rows of every feature layer and attribute table.
func (m *Mirror) LayerCounts() (map[string]int64, error) {
	out := map[string]int64{}
	for _, t := range append(append([]string{}, FeatureLayers...), AttributeTables...) {
		var n int64
		if err := m.DB.QueryRow(`SELECT count(*) FROM ` + t).Scan(&n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}

// Stats describes a mirror for `kapok stats`.
type Stats struct {
	Path           string
	SizeBytes      int64
	SchemaVersion  int
	GeoPackage     string
	City           string
	AsOf           string
	Counts         map[string]int64
	CentersByLevel map[string]int64
	EventsByState  map[string]int64
	OpenEvents     int64
	OverdueEvents  int64
	Extent         orb.Bound
}

// Stats gathers the figures of the mirror.
func (m *Mirror) Stats() (*Stats, error) {
	s := &Stats{Path: m.Path, CentersByLevel: map[string]int64{}, EventsByState: map[string]int64{}}
	var err error
	if s.Counts, err = m.LayerCounts(); err != nil {
		return nil, err
	}
	if s.SchemaVersion, err = m.SchemaVersion(); err != nil {
		return nil, err
	}
	var uv int
	if err := m.DB.QueryRow(`PRAGMA user_version`).Scan(&uv); err != nil {
		return nil, err
	}
	s.GeoPackage = fmt.Sprintf("%d.%d.%d", uv/10000, uv/100%100, uv%100)
	s.City, _ = m.Meta("city_name")
	s.AsOf, _ = m.Meta("as_of")
	if err := groupCount(m.DB, `SELECT level, count(*) FROM centers GROUP BY level`, s.CentersByLevel); err != nil {
		return nil, err
	}
	if err := groupCount(m.DB, `SELECT state, count(*) FROM events GROUP BY state`, s.EventsByState); err != nil {
		return nil, err
	}
	asOf := s.AsOf
	if asOf == "" {
		asOf = FormatTime(time.Now())
	}
	if err := m.DB.QueryRow(`SELECT
			count(*) FILTER (WHERE state NOT IN ('cancelled','closed','evaluated')),
			count(*) FILTER (WHERE deadline IS NOT NULL AND (
				(closed_at IS NULL AND state NOT IN ('cancelled','closed','evaluated') AND julianday(deadline) < julianday(?))
				OR julianday(closed_at) > julianday(deadline)))
		FROM events`, asOf).Scan(&s.OpenEvents, &s.OverdueEvents); err != nil {
		return nil, err
	}
	var minx, miny, maxx, maxy sql.NullFloat64
	if err := m.DB.QueryRow(`SELECT min(min_x), min(min_y), max(max_x), max(max_y) FROM gpkg_contents WHERE data_type = 'features'`).
		Scan(&minx, &miny, &maxx, &maxy); err != nil {
		return nil, err
	}
	s.Extent = orb.Bound{Min: orb.Point{minx.Float64, miny.Float64}, Max: orb.Point{maxx.Float64, maxy.Float64}}
	if _, err := m.DB.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		return nil, err
	}
	fi, err := os.Stat(m.Path)
	if err != nil {
		return nil, err
	}
	s.SizeBytes = fi.Size()
	if wal, err := os.Stat(m.Path + "-wal"); err == nil {
		s.SizeBytes += wal.Size()
	}
	return s, nil
}

func groupCount(db *sql.DB, q string, into map[string]int64) error {
	rows, err := db.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		into[k] = n
	}
	return rows.Err()
}

// Meta reads one kapok_meta value ("" when unset).
func (m *Mirror) Meta(key string) (string, error) {
	var v string
	err := m.DB.QueryRow(`SELECT value FROM kapok_meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}
