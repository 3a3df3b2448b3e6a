package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/geoio"
	"kapok/data/geom"
	"kapok/data/gpkg"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/twpayne/go-geos"
)

// ImportResult counts what an import did.
type ImportResult struct {
	Added, Updated int
}

// ImportFile imports a GeoJSON (.geojson, .json) or CSV (.csv) file into a
// layer: features are added or updated by code, nothing is deleted. The
// whole file lands in one transaction or, on the first bad feature, nothing
// does and the error names the file, the feature and the reason.
func (m *Mirror) ImportFile(ctx context.Context, layer, path string, r io.Reader, actor string) (*ImportResult, error) {
	var feats []geoio.Feature
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json":
		feats, err = geoio.ReadGeoJSON(path, r)
	case ".csv":
		feats, err = geoio.ReadCSV(path, r)
	default:
		return nil, &data.InputError{File: path, Reason: "unknown format: want .geojson, .json or .csv"}
	}
	if err != nil {
		return nil, err
	}
	return m.Import(ctx, layer, path, feats, actor)
}

// Import writes features read from file into a layer (see ImportFile).
func (m *Mirror) Import(ctx context.Context, layer, file string, feats []geoio.Feature, actor string) (*ImportResult, error) {
	l, err := m.LayerInfo(ctx, layer)
	if err != nil {
		return nil, &data.InputError{File: file, Reason: err.Error()}
	}
	res := &ImportResult{}
	gctx := geos.NewContext()
	parents := map[string]*parentShape{}
	err = m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, actor, data.ActImport)
		if err != nil {
			return err
		}
		seen := map[string]string{}
		for _, f := range feats {
			bad := func(format string, a ...any) error {
				return &data.InputError{File: file, Record: f.Record, Reason: fmt.Sprintf(format, a...)}
			}
			if f.Code == "" {
				return bad("missing code")
			}
			if first, dup := seen[f.Code]; dup {
				return bad("duplicate code %s (also %s)", f.Code, first)
			}
			seen[f.Code] = f.Record
			// A feature's place is its code's digits (a center's C…, a
			// unit's U… name the region or grid they belong to).
			if !user.Covers(strings.TrimLeft(f.Code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
				return bad("%s is outside %s's jurisdiction %s", f.Code, user.Login, user.Jurisdiction)
			}
			f.Props["code"] = f.Code // GeoJSON may give it only as the feature id
			g, err := l.fitGeometry(f.Geom)
			if err != nil {
				return bad("%v", err)
			}
			gg, why, err := geom.Valid(gctx, g)
			if err != nil || why != "" {
				return bad("invalid geometry: %s", firstNonEmpty(why, fmt.Sprint(err)))
			}
			if err := checkParent(ctx, tx, gctx, parents, l, f, gg); err != nil {
				return bad("%v", err)
			}
			added, err := upsert(ctx, tx, l, f, g)
			if err != nil {
				return bad("%v", err)
			}
			if added {
				res.Added++
			} else {
				res.Updated++
			}
		}
		if err := RefreshExtents(ctx, tx); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindImport, Subject: layer, Actor: actor, At: time.Now(),
			Payload: map[string]any{"layer": layer, "file": filepath.Base(file), "features": len(feats), "added": res.Added, "updated": res.Updated}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkParent makes sure the parent the feature names exists, and that a
// grid lies inside its community.
func checkParent(ctx context.Context, tx *sql.Tx, gctx *geos.Context, parents map[string]*parentShape, l *Layer, f geoio.Feature, g *geos.Geom) error {
	table, column := l.ParentTable, l.ParentColumn
	if l.Name == "centers" {
		lv, ok := data.ParseLevel(f.Props["level"])
		if !ok {
			return fmt.Errorf("level %q is not one of city, district, street, community", f.Props["level"])
		}
		table, column = levelTable(lv), "region_code"
	}
	if table == "" {
		return nil
	}
	code := f.Props[column]
	if code == "" {
		return fmt.Errorf("missing %s", column)
	}
	if p := parents[code]; p != nil && l.Name == "grids" {
		return checkInside(p, g, code)
	}
	var parentGeom []byte
	err := tx.QueryRowContext(ctx, `SELECT geom FROM `+table+` WHERE code = ?`, code).Scan(&parentGeom)
	if err == sql.ErrNoRows {
		return fmt.Errorf("unknown parent: %s %s is not in %s", column, code, table)
	}
	if err != nil || l.Name != "grids" {
		return err
	}
	if !strings.HasPrefix(f.Code, code) {
		return fmt.Errorf("grid code %s does not start with its community code %s", f.Code, code)
	}
	p, err := newParentShape(gctx, parentGeom)
	if err != nil {
		return fmt.Errorf("community %s: %v", code, err)
	}
	parents[code] = p
	return checkInside(p, g, code)
}

// parentShape is a community's boundary, prepared once per import for the
// many grids tested against it.
type parentShape struct {
	g    *geos.Geom
	prep *geos.PrepGeom
}

func newParentShape(gctx *geos.Context, blob []byte) (*parentShape, error) {
	pg, err := gpkg.DecodeGeom(blob)
	if err != nil {
		return nil, err
	}
	g, err := geom.ToGEOS(gctx, pg)
	if err != nil {
		return nil, err
	}
	return &parentShape{g: g, prep: g.Prepare()}, nil
}

// insideTolerance is how much of a grid may stick out of its community, in
// square metres, before it counts as outside: floating-point dust only.
const insideTolerance = 1.0

func checkInside(p *parentShape, a *geos.Geom, parentCode string) error {
	if p.prep.Covers(a) {
		return nil
	}
	// Shared edges computed twice can differ in the last bit: measure what
	// lies outside rather than trusting the exact predicate.
	outside, err := geom.Polygons(a.Difference(p.g))
	if err != nil {
		return err
	}
	if m2 := geom.PlanarAreaM2(outside); m2 > insideTolerance {
		return fmt.Errorf("grid outside its community %s (%.0f m² outside)", parentCode, m2)
	}
	return nil
}

// upsert inserts or updates the feature by code; columns the input does not
// give keep their value (or default), derived ones are computed.
func upsert(ctx context.Context, tx *sql.Tx, l *Layer, f geoio.Feature, g orb.Geometry) (added bool, err error) {
	gb, err := gpkg.EncodeGeom(g)
	if err != nil {
		return false, err
	}
	names, marks, args := []string{"geom"}, []string{"?"}, []any{gb}
	for _, c := range l.Columns {
		raw, given := f.Props[c.Name]
		if !given || raw == "" {
			v, ok := derived(c.Name, f, g)
			if !ok {
				if c.Required {
					return false, fmt.Errorf("missing property %s", c.Name)
				}
				continue
			}
			raw = v
		}
		v, err := convert(c, raw)
		if err != nil {
			return false, err
		}
		names, marks, args = append(names, c.Name), append(marks, "?"), append(args, v)
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+l.Name+` WHERE code = ?)`, f.Code).Scan(&exists); err != nil {
		return false, err
	}
	// Not an UPSERT: its conflict policy would override the INSERT OR
	// REPLACE inside the GeoPackage R-tree triggers and fail them.
	if exists {
		// The code is the key children refer to: leave it alone so SQLite
		// does not re-check every reference to it.
		var sets []string
		var vals []any
		for i, n := range names {
			if n != "code" {
				sets, vals = append(sets, n+" = ?"), append(vals, args[i])
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE `+l.Name+` SET `+strings.Join(sets, ", ")+` WHERE code = ?`, append(vals, f.Code)...)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO `+l.Name+` (`+strings.Join(names, ", ")+`) VALUES (`+strings.Join(marks, ", ")+`)`, args...)
	}
	if err != nil {
		return false, sqliteReason(err)
	}
	return !exists, nil
}

func derived(column string, f geoio.Feature, g orb.Geometry) (string, bool) {
	switch column {
	case "pinyin":
		return data.Pinyin(f.Props["name"]), f.Props["name"] != ""
	case "area_km2":
		return strconv.FormatFloat(geo.Area(g)/1e6, 'f', -1, 64), true
	case "area_m2":
		return strconv.FormatFloat(math.Round(geo.Area(g)), 'f', -1, 64), true
	case "length_m":
		if ls, ok := g.(orb.LineString); ok {
			return strconv.FormatFloat(math.Round(geo.Length(ls)), 'f', -1, 64), true
		}
	}
	return "", false
}

// convert turns input text into the column's type.
func convert(c Column, raw string) (any, error) {
	switch c.Type {
	case "INTEGER", "INT":
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not a whole number", c.Name, raw)
		}
		return n, nil
	case "REAL", "DOUBLE", "FLOAT":
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%s %q is not a finite number", c.Name, raw)
		}
		return x, nil
	case "BOOLEAN":
		switch strings.ToLower(raw) {
		case "1", "true":
			return 1, nil
		case "0", "false":
			return 0, nil
		}
		return nil, fmt.Errorf("%s %q is not true or false", c.Name, raw)
	case "DATETIME":
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not an RFC 3339 time", c.Name, raw)
		}
		return gpkg.Time{Time: t}, nil
	}
	return raw, nil
}

// sqliteReason keeps the part of a constraint error a user can act on.
func sqliteReason(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "CHECK constraint failed") {
		return fmt.Errorf("value not allowed: %s", msg)
	}
	return err
}
