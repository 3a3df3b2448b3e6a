package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/calendar"
	"kapok/data/gpkg"
)

// FeatureLayers are the mirror's GeoPackage feature tables, top down.
var FeatureLayers = []string{"cities", "districts", "streets", "communities", "grids", "centers", "units",
	"events", "cameras", "checkpoints", "patrol_routes"}

// AttributeTables are the mirror's tables without geometry.
var AttributeTables = []string{"grid_workers", "responders", "matter_types", "event_history", "orders",
	"order_targets", "indicator_defs", "indicator_values", "red_cotton_index", "users", "journal"}

// levelTable is the feature table holding regions of a level.
func levelTable(l data.Level) string {
	return [...]string{"cities", "districts", "streets", "communities"}[l]
}

// RefreshExtents records each layer's extent in gpkg_contents (GDAL reports
// it as the layer extent) from the layer's R-tree.
func RefreshExtents(ctx context.Context, tx *sql.Tx) error {
	for _, t := range FeatureLayers {
		if err := refreshExtent(ctx, tx, t); err != nil {
			return err
		}
	}
	return nil
}

func refreshExtent(ctx context.Context, tx *sql.Tx, table string) error {
	r := "rtree_" + table + "_geom"
	_, err := tx.ExecContext(ctx, `UPDATE gpkg_contents SET
		min_x = (SELECT min(minx) FROM `+r+`), max_x = (SELECT max(maxx) FROM `+r+`),
		min_y = (SELECT min(miny) FROM `+r+`), max_y = (SELECT max(maxy) FROM `+r+`),
		last_change = ? WHERE table_name = ?`, gpkg.Time{Time: time.Now()}, table)
	return err
}

// LayerCounts counts the rows of every feature layer and attribute table.
func (m *Mirror) LayerCounts(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for _, t := range append(append([]string{}, FeatureLayers...), AttributeTables...) {
		var n int64
		if err := m.DB.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
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
	BuiltAsOf      string    // the instant the demo's histories end ("" for a city not built by kapok demo)
	Now            time.Time // the instant the clocks below are taken at
	Counts         map[string]int64
	CentersByLevel map[string]int64
	EventsByState  map[string]int64
	OpenEvents     int64
	OverdueEvents  int64 // open past the deadline, or closed after it
	OpenOverdue    int64 // of the overdue, those still open (what the console's badges count)
	Extent         orb.Bound
}

// Stats gathers the figures of the mirror, its clocks taken at now (the
// wall clock for `kapok stats`, as in the console and `kapok cases`).
func (m *Mirror) Stats(ctx context.Context, now time.Time) (*Stats, error) {
	s := &Stats{Path: m.Path, Now: now, CentersByLevel: map[string]int64{}, EventsByState: map[string]int64{}}
	var err error
	if s.Counts, err = m.LayerCounts(ctx); err != nil {
		return nil, err
	}
	if s.SchemaVersion, err = m.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	var uv int
	if err := m.DB.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&uv); err != nil {
		return nil, err
	}
	s.GeoPackage = fmt.Sprintf("%d.%d.%d", uv/10000, uv/100%100, uv%100)
	if s.City, err = m.Meta(ctx, "city_name"); err != nil {
		return nil, err
	}
	if s.BuiltAsOf, err = m.Meta(ctx, "as_of"); err != nil {
		return nil, err
	}
	if err := groupCounts(ctx, m.DB, s.CentersByLevel, `SELECT level, count(*) FROM centers GROUP BY level`); err != nil {
		return nil, err
	}
	if err := groupCounts(ctx, m.DB, s.EventsByState, `SELECT state, count(*) FROM events GROUP BY state`); err != nil {
		return nil, err
	}
	// Overdue as the domain says (data.Event.Overdue): open past the
	// deadline, or closed after it.
	if err := m.DB.QueryRowContext(ctx, `SELECT
			count(*) FILTER (WHERE state IN `+openStates+`),
			count(*) FILTER (WHERE deadline IS NOT NULL AND (
				(state IN `+openStates+` AND deadline < ?1) OR closed_at > deadline)),
			count(*) FILTER (WHERE state IN `+openStates+` AND deadline < ?1)
		FROM events`, gpkg.Time{Time: now}).Scan(&s.OpenEvents, &s.OverdueEvents, &s.OpenOverdue); err != nil {
		return nil, err
	}
	var minx, miny, maxx, maxy sql.NullFloat64
	if err := m.DB.QueryRowContext(ctx, `SELECT min(min_x), min(min_y), max(max_x), max(max_y) FROM gpkg_contents WHERE data_type = 'features'`).
		Scan(&minx, &miny, &maxx, &maxy); err != nil {
		return nil, err
	}
	s.Extent = orb.Bound{Min: orb.Point{minx.Float64, miny.Float64}, Max: orb.Point{maxx.Float64, maxy.Float64}}
	if _, err := m.DB.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
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

// Meta reads one kapok_meta value ("" when unset).
func (m *Mirror) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := m.DB.QueryRowContext(ctx, `SELECT value FROM kapok_meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// Print writes the stats as `kapok stats` shows them.
func (s *Stats) Print(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "mirror          %s\n", s.Path)
	fmt.Fprintf(&b, "city            %s\n", s.City)
	if s.BuiltAsOf != "" {
		fmt.Fprintf(&b, "demo built as of %s\n", s.BuiltAsOf)
	}
	fmt.Fprintf(&b, "clocks at       %s (Beijing time)\n", s.Now.In(calendar.Beijing).Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "file size       %.1f MB\n", float64(s.SizeBytes)/1e6)
	fmt.Fprintf(&b, "schema version  %d (GeoPackage %s)\n", s.SchemaVersion, s.GeoPackage)
	fmt.Fprintf(&b, "extent          %.6f,%.6f,%.6f,%.6f (lon/lat, EPSG:4326)\n", s.Extent.Min[0], s.Extent.Min[1], s.Extent.Max[0], s.Extent.Max[1])
	fmt.Fprintf(&b, "regions         city %d, districts %d, streets/towns %d, communities/villages %d\n",
		s.Counts["cities"], s.Counts["districts"], s.Counts["streets"], s.Counts["communities"])
	fmt.Fprintf(&b, "centers         %d (city %d, district %d, street %d, community %d)\n", s.Counts["centers"],
		s.CentersByLevel["city"], s.CentersByLevel["district"], s.CentersByLevel["street"], s.CentersByLevel["community"])
	fmt.Fprintf(&b, "events          %d (open %d, of which past the deadline %d; overdue in all, closed late included, %d)\n",
		s.Counts["events"], s.OpenEvents, s.OpenOverdue, s.OverdueEvents)
	var states []string
	for _, st := range data.EventStates {
		if n := s.EventsByState[string(st)]; n > 0 {
			states = append(states, fmt.Sprintf("%s %d", st, n))
		}
	}
	fmt.Fprintf(&b, "  by state      %s\n", strings.Join(states, ", "))
	fmt.Fprintln(&b, "layers:")
	for _, t := range FeatureLayers {
		fmt.Fprintf(&b, "  %-16s %9d\n", t, s.Counts[t])
	}
	fmt.Fprintln(&b, "tables:")
	for _, t := range AttributeTables {
		fmt.Fprintf(&b, "  %-16s %9d\n", t, s.Counts[t])
	}
	_, err := io.WriteString(w, b.String())
	return err
}
