package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"kapok/data"
	"kapok/data/gpkg"
)

// ReferenceRows reads every row of a reference table (cities, districts,
// streets, communities, grids, centers, units) in fid order: per row the
// named columns as the driver gives them (string, int64, float64, bool),
// then the geometry decoded (an orb.Geometry, nil when the row has none).
// Also the users, in id order, their geometry always nil, without the
// built-in system user (every mirror's own). What `kapok upstream load`
// publishes.
func (m *Mirror) ReferenceRows(ctx context.Context, table string, columns []string) ([][]any, error) {
	return m.referenceRows(ctx, table, columns, nil)
}

// referenceRows are ReferenceRows, only those whose first column holds one
// of keys when keys is not nil.
func (m *Mirror) referenceRows(ctx context.Context, table string, columns []string, keys []string) ([][]any, error) {
	where, order, geom := "", "fid", "geom"
	switch table {
	case "cities", "districts", "streets", "communities", "grids", "centers", "units":
	case "users":
		where, order, geom = `login <> '`+data.SystemLogin+`'`, "id", "NULL"
	default:
		return nil, fmt.Errorf("%s is not a reference table", table)
	}
	if len(columns) == 0 {
		return nil, fmt.Errorf("%s: no columns", table)
	}
	for _, c := range columns {
		if strings.Trim(c, "abcdefghijklmnopqrstuvwxyz_0123456789") != "" {
			return nil, fmt.Errorf("column %q", c)
		}
	}
	var args []any
	if keys != nil {
		js, err := json.Marshal(keys)
		if err != nil {
			return nil, err
		}
		if where != "" {
			where += " AND "
		}
		where += columns[0] + ` IN (SELECT value FROM json_each(?))`
		args = append(args, string(js))
	}
	if where != "" {
		where = " WHERE " + where
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT `+strings.Join(columns, ", ")+`, `+geom+` FROM `+table+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(columns)+1)
		ptrs := make([]any, len(vals))
		for i := range columns {
			ptrs[i] = &vals[i]
		}
		var gb sql.RawBytes
		ptrs[len(columns)] = &gb
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		if gb != nil {
			g, err := gpkg.DecodeGeom(gb)
			if err != nil {
				return nil, fmt.Errorf("%s %v: %w", table, vals[0], err)
			}
			vals[len(columns)] = g
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// WriteCatalogues writes the matter catalogue and the indicator
// definitions (data.Matters, data.Indicators: assets/matters.csv and
// indicators.csv) into a new mirror, every column as a demo build gives
// them: what kapok sync --init writes besides the upstream's rows.
func WriteCatalogues(tx *sql.Tx, matters []data.MatterType, indicators []data.Indicator) error {
	b := NewBatcher(tx, "matter_types", "code", "name_zh", "name_en", "category", "department", "time_limit_hours", "handling_level",
		"limit_value", "limit_unit", "extensions_allowed", "grace_hours", "capabilities")
	for _, mt := range matters {
		if err := b.Add(mt.Code, mt.NameZh, mt.NameEn, mt.Category, mt.Department, int(mt.TimeLimit.Hours()), mt.HandlingLevel,
			mt.Limit, mt.LimitUnit, mt.Extensions, int(mt.Grace.Hours()), strings.Join(mt.Capabilities, ",")); err != nil {
			return err
		}
	}
	if err := b.Flush(); err != nil {
		return err
	}
	b = NewBatcher(tx, "indicator_defs", "id", "code", "category", "name_zh", "name_en", "unit", "direction", "warn", "alarm",
		"rollup", "threshold", "hysteresis", "refresh_seconds", "source")
	for _, d := range indicators {
		if err := b.Add(d.ID, d.Code, d.Category, d.NameZh, d.NameEn, d.Unit, string(d.Direction), d.Warn, d.Alarm,
			string(d.Rollup), string(d.Threshold), d.Hysteresis, int64(d.Refresh.Seconds()), d.Source); err != nil {
			return err
		}
	}
	return b.Flush()
}
