package geoio

import (
	"bytes"
	"testing"

	"github.com/paulmach/orb"
)

// What the writers write, the readers read back: codes, text with commas
// and quotes, numbers with their digits, empty values, geometry.
func TestWriteThenReadBack(t *testing.T) {
	cols := []string{"code", "name", "population", "area_m2", "note"}
	rows := []struct {
		g    orb.Geometry
		vals []any
	}{
		{orb.MultiPolygon{{{{113, 23}, {113.1, 23}, {113.1, 23.1}, {113, 23}}}}, []any{"990101001001001", "大源村, \"一\"", int64(1234), 5678.25, nil}},
		{orb.MultiPolygon{{{{113.2, 23}, {113.3, 23}, {113.3, 23.1}, {113.2, 23}}}}, []any{"990101001001002", "b", int64(0), 0.5, "x"}},
	}
	for _, format := range []string{"geojson", "csv"} {
		var buf bytes.Buffer
		var w FeatureWriter
		if format == "geojson" {
			w = NewGeoJSONWriter(&buf, cols)
		} else {
			cw, err := NewCSVWriter(&buf, cols)
			if err != nil {
				t.Fatal(err)
			}
			w = cw
		}
		for _, r := range rows {
			if err := w.Write(r.g, r.vals); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Write(nil, []any{"too few"}); err == nil {
			t.Fatalf("%s: a row of the wrong width written", format)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		read := ReadGeoJSON
		if format == "csv" {
			read = ReadCSV
		}
		feats, err := read("out."+format, &buf)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(feats) != len(rows) {
			t.Fatalf("%s: %d features back", format, len(feats))
		}
		for i, f := range feats {
			r := rows[i]
			if f.Code != r.vals[0] || f.Props["name"] != r.vals[1] || f.Props["population"] != "1234" && i == 0 ||
				f.Props["area_m2"] != map[int]string{0: "5678.25", 1: "0.5"}[i] || f.Props["note"] != map[int]string{0: "", 1: "x"}[i] {
				t.Errorf("%s feature %d: %+v", format, i, f.Props)
			}
			if !orb.Equal(f.Geom, r.g) {
				t.Errorf("%s feature %d: geometry %v", format, i, f.Geom)
			}
		}
	}
}
