package data

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

// exportRow is one feature read for export.
type exportRow struct {
	geom   orb.Geometry
	values []any // in Layer.Columns order; nil for NULL
}

func (m *Mirror) exportRows(l *Layer, each func(exportRow) error) error {
	names := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		names[i] = c.Name
	}
	rows, err := m.DB.Query(`SELECT geom, ` + strings.Join(names, ", ") + ` FROM ` + l.Name + ` ORDER BY code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var gb []byte
		vals := make([]any, len(names))
		ptrs := []any{&gb}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		g, err := DecodeGeom(gb)
		if err != nil {
			return err
		}
		for i, v := range vals {
			switch t := v.(type) {
			case []byte:
				vals[i] = string(t)
			case time.Time: // go-sqlite3 parses DATETIME columns
				vals[i] = t.UTC().Format(time.RFC3339Nano)
			}
		}
		if err := each(exportRow{geom: g, values: vals}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Export writes a layer as GeoJSON, CSV (geometry as WKT in column "wkt") or
// a standalone GeoPackage. What it writes imports back unchanged.
func (m *Mirror) Export(layer, format, out string) (int, error) {
	l, err := m.LayerInfo(layer)
	if err != nil {
		return 0, err
	}
	if format == "gpkg" {
		return m.exportGPKG(l, out)
	}
	tmp := out + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp)
	var n int
	switch format {
	case "geojson":
		n, err = m.exportGeoJSON(l, f)
	case "csv":
		n, err = m.exportCSV(l, f)
	default:
		err = fmt.Errorf("unknown format %q: want geojson, gpkg or csv", format)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return n, os.Rename(tmp, out)
}

func (m *Mirror) exportGeoJSON(l *Layer, w io.Writer) (int, error) {
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return 0, err
	}
	n := 0
	err := m.exportRows(l, func(r exportRow) error {
		f := geojson.NewFeature(r.geom)
		for i, c := range l.Columns {
			if r.values[i] != nil {
				f.Properties[c.Name] = r.values[i]
			}
		}
		f.ID = f.Properties["code"]
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if n > 0 {
			io.WriteString(w, ",\n")
		}
		n++
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return 0, err
	}
	_, err = io.WriteString(w, "]}\n")
	return n, err
}

func (m *Mirror) exportCSV(l *Layer, w io.Writer) (int, error) {
	cw := csv.NewWriter(w)
	header := []string{}
	for _, c := range l.Columns {
		header = append(header, c.Name)
	}
	cw.Write(append(header, "wkt"))
	n := 0
	err := m.exportRows(l, func(r exportRow) error {
		rec := make([]string, 0, len(header)+1)
		for _, v := range r.values {
			rec = append(rec, csvValue(v))
		}
		n++
		return cw.Write(append(rec, wkt.MarshalString(r.geom)))
	})
	if err != nil {
		return 0, err
	}
	cw.Flush()
	return n, cw.Error()
}

func csvValue(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case string:
		return t
	}
	return fmt.Sprint(v)
}

// exportGPKG writes the layer alone into a new GeoPackage, with its R-tree,
// for use in desktop GIS. References to other layers are kept as plain codes.
func (m *Mirror) exportGPKG(l *Layer, out string) (int, error) {
	tmp := out + ".partial"
	removeMirror(tmp)
	defer removeMirror(tmp)
	db, err := sql.Open(driverName, sqliteURI(tmp, url.Values{"_foreign_keys": {"1"}}))
	if err != nil {
		return 0, err
	}
	defer db.Close()
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
	if err := m.DB.QueryRow(`SELECT description FROM gpkg_contents WHERE table_name = ?`, l.Name).Scan(&desc); err != nil {
		return 0, err
	}
	ddl := []string{fmt.Sprintf(`PRAGMA application_id = %d; PRAGMA user_version = %d`, gpkgApplicationID, gpkgUserVersion),
		string(core), `CREATE TABLE ` + l.Name + ` (` + strings.Join(cols, ", ") + `)`}
	// The R-tree and its triggers exactly as the mirror has them.
	trig, err := m.DB.Query(`SELECT sql FROM sqlite_master WHERE name = ? OR (type = 'trigger' AND tbl_name = ? AND name LIKE 'rtree_%') ORDER BY type DESC`,
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
	for _, s := range ddl {
		if _, err := db.Exec(s); err != nil {
			return 0, fmt.Errorf("gpkg export: %w", err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	_, err = tx.Exec(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, 4326);
		INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0);
		INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`,
		l.Name, l.Name, desc, l.Name, l.GeomType, l.Name)
	if err != nil {
		return 0, err
	}
	b := newBatcher(tx, l.Name, names...)
	n := 0
	err = m.exportRows(l, func(r exportRow) error {
		n++
		return b.add(append([]any{blob(r.geom)}, r.values...)...)
	})
	if err == nil {
		err = b.flush()
	}
	if err != nil {
		return 0, err
	}
	if err := refreshExtent(tx, l.Name); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if err := db.Close(); err != nil {
		return 0, err
	}
	removeMirror(out)
	return n, os.Rename(tmp, out)
}
