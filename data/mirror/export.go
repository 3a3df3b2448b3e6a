package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data/geoio"
	"kapok/data/gpkg"
	"kapok/data/outfile"
)

// exportRows reads a layer's features in code order: geometry and the
// values of l.Columns (nil for NULL, times in the one stored form).
func (m *Mirror) exportRows(ctx context.Context, l *Layer, each func(g orb.Geometry, values []any) error) error {
	names := l.ColumnNames()
	rows, err := m.DB.QueryContext(ctx, `SELECT geom, `+strings.Join(names, ", ")+` FROM `+l.Name+` ORDER BY code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g gpkg.Geometry
		vals := make([]any, len(names))
		ptrs := []any{&g}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			switch t := v.(type) {
			case []byte:
				vals[i] = string(t)
			case time.Time: // go-sqlite3 parses DATETIME columns
				vals[i] = gpkg.FormatTime(t)
			}
		}
		if err := each(g.Geometry, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Export writes a layer as GeoJSON, CSV (geometry as WKT in column "wkt") or
// a standalone GeoPackage. What it writes imports back unchanged; the file
// appears only when complete.
func (m *Mirror) Export(ctx context.Context, layer, format, out string) (int, error) {
	if err := outfile.Check(out); err != nil {
		return 0, err
	}
	l, err := m.LayerInfo(ctx, layer)
	if err != nil {
		return 0, err
	}
	if format == "gpkg" {
		return m.exportGPKG(ctx, l, out)
	}
	if format != "geojson" && format != "csv" {
		return 0, fmt.Errorf("unknown format %q: want geojson, gpkg or csv", format)
	}
	// Private as the mirror (FileMode): the events layer holds reporters'
	// contacts. A partial file left by a killed export goes first, so the
	// new one is made with this mode rather than keeping that one's.
	tmp := out + ".partial"
	_ = os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
	if err != nil {
		return 0, err
	}
	defer func() { _ = os.Remove(tmp) }()
	var w geoio.FeatureWriter
	if format == "geojson" {
		w = geoio.NewGeoJSONWriter(f, l.ColumnNames())
	} else if w, err = geoio.NewCSVWriter(f, l.ColumnNames()); err != nil {
		_ = f.Close()
		return 0, err
	}
	n := 0
	err = m.exportRows(ctx, l, func(g orb.Geometry, values []any) error {
		n++
		return w.Write(g, values)
	})
	if err == nil {
		err = w.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return n, os.Rename(tmp, out)
}

// exportGPKG writes the layer alone into a new GeoPackage, with its R-tree,
// for use in desktop GIS. References to other layers are kept as plain codes.
func (m *Mirror) exportGPKG(ctx context.Context, l *Layer, out string) (int, error) {
	tmp := out + ".partial"
	if err := Remove(tmp); err != nil {
		return 0, err
	}
	defer func() { _ = Remove(tmp) }()
	if err := createPrivate(tmp); err != nil {
		return 0, err
	}
	db, err := sql.Open(gpkg.DriverName, gpkg.URI(tmp, url.Values{"_foreign_keys": {"1"}}))
	if err != nil {
		return 0, err
	}
	defer func() { _ = db.Close() }()
	core, err := migrationFS.ReadFile("migrations/0001_geopackage.sql")
	if err != nil {
		return 0, err
	}
	cols := []string{"fid INTEGER PRIMARY KEY AUTOINCREMENT", "geom " + l.GeomType}
	names := []string{"geom"}
	for _, c := range l.Columns {
		decl := c.Name + " " + c.Type
		if c.Name == "code" {
			decl += " NOT NULL UNIQUE"
		}
		cols, names = append(cols, decl), append(names, c.Name)
	}
	var desc string
	if err := m.DB.QueryRowContext(ctx, `SELECT description FROM gpkg_contents WHERE table_name = ?`, l.Name).Scan(&desc); err != nil {
		return 0, err
	}
	ddl := []string{fmt.Sprintf(`PRAGMA application_id = %d; PRAGMA user_version = %d`, gpkg.ApplicationID, gpkg.UserVersion),
		string(core), `CREATE TABLE ` + l.Name + ` (` + strings.Join(cols, ", ") + `)`}
	// The R-tree and its triggers exactly as the mirror has them.
	trig, err := m.DB.QueryContext(ctx, `SELECT sql FROM sqlite_master WHERE name = ? OR (type = 'trigger' AND tbl_name = ? AND name LIKE 'rtree_%') ORDER BY type DESC`,
		"rtree_"+l.Name+"_geom", l.Name)
	if err != nil {
		return 0, err
	}
	for trig.Next() {
		var s string
		if err := trig.Scan(&s); err != nil {
			trig.Close()
			return 0, err
		}
		ddl = append(ddl, s)
	}
	trig.Close()
	if err := trig.Err(); err != nil {
		return 0, err
	}
	for _, s := range ddl {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("gpkg export: %w", err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback() }()
	_, err = tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, 4326);
		INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0);
		INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`,
		l.Name, l.Name, desc, l.Name, l.GeomType, l.Name)
	if err != nil {
		return 0, err
	}
	b := NewBatcher(tx, l.Name, names...)
	n := 0
	err = m.exportRows(ctx, l, func(g orb.Geometry, values []any) error {
		n++
		return b.Add(append([]any{gpkg.Geometry{Geometry: g}}, values...)...)
	})
	if err == nil {
		err = b.Flush()
	}
	if err != nil {
		return 0, err
	}
	if err := refreshExtent(ctx, tx, l.Name); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if err := db.Close(); err != nil {
		return 0, err
	}
	if err := Remove(out); err != nil {
		return 0, err
	}
	return n, os.Rename(tmp, out)
}
