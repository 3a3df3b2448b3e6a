package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Column is one attribute column of a feature layer, as the schema declares it.
type Column struct {
	Name     string
	Type     string // SQL declared type: TEXT, INTEGER, REAL, BOOLEAN, DATETIME
	Required bool   // NOT NULL without a default
}

// Layer describes a feature layer for import and export; it is read from the
// mirror's schema so the two never disagree.
type Layer struct {
	Name         string
	GeomType     string   // MULTIPOLYGON, POINT, LINESTRING
	Columns      []Column // without fid and geom
	ParentColumn string   // e.g. community_code, "" for none
	ParentTable  string
}

// derived columns are computed from the geometry or name when the input
// leaves them out.
var derivedColumns = []string{"pinyin", "area_km2", "area_m2", "length_m"}

// LayerInfo reads the description of a feature layer from the mirror.
func (m *Mirror) LayerInfo(ctx context.Context, name string) (*Layer, error) {
	if !slices.Contains(FeatureLayers, name) {
		return nil, fmt.Errorf("unknown layer %q (layers: %s)", name, strings.Join(FeatureLayers, ", "))
	}
	l := &Layer{Name: name}
	if err := m.DB.QueryRowContext(ctx, `SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?`, name).Scan(&l.GeomType); err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value FROM pragma_table_info(?)`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		var notNull bool
		var dflt sql.NullString
		if err := rows.Scan(&c.Name, &c.Type, &notNull, &dflt); err != nil {
			return nil, err
		}
		if c.Name == "fid" || c.Name == "geom" {
			continue
		}
		c.Required = notNull && !dflt.Valid && !slices.Contains(derivedColumns, c.Name)
		l.Columns = append(l.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fks, err := m.DB.QueryContext(ctx, `SELECT "table", "from" FROM pragma_foreign_key_list(?)`, name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = fks.Close() }()
	for fks.Next() {
		var table, from string
		if err := fks.Scan(&table, &from); err != nil {
			return nil, err
		}
		// The region chain and the grid are the parents; other references
		// (matter types) are checked by SQLite.
		if slices.Contains(FeatureLayers, table) {
			l.ParentTable, l.ParentColumn = table, from
		}
	}
	return l, fks.Err()
}

// ColumnNames are the layer's attribute columns' names, in schema order.
func (l *Layer) ColumnNames() []string {
	out := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		out[i] = c.Name
	}
	return out
}

// fitGeometry returns g as the layer's geometry type, promoting a Polygon
// to a MultiPolygon, or says why it does not fit.
func (l *Layer) fitGeometry(g orb.Geometry) (orb.Geometry, error) {
	if g == nil {
		return nil, fmt.Errorf("null geometry")
	}
	switch l.GeomType {
	case "MULTIPOLYGON":
		switch t := g.(type) {
		case orb.MultiPolygon:
			return t, nil
		case orb.Polygon:
			return orb.MultiPolygon{t}, nil
		}
	case "POINT":
		if p, ok := g.(orb.Point); ok {
			return p, nil
		}
	case "LINESTRING":
		if ls, ok := g.(orb.LineString); ok {
			return ls, nil
		}
	}
	return nil, fmt.Errorf("wrong geometry type %s: layer %s holds %s", g.GeoJSONType(), l.Name, strings.ToLower(l.GeomType))
}
