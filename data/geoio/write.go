package geoio

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

// A FeatureWriter streams features to a file format. Values come in the
// order of the columns it was made with: string, int64, float64 or nil for
// NULL. What it writes, ReadGeoJSON and ReadCSV read back unchanged.
type FeatureWriter interface {
	Write(g orb.Geometry, values []any) error
	// Close writes what ends the file (it does not close the io.Writer).
	Close() error
}

// GeoJSONWriter writes an RFC 7946 FeatureCollection, one feature per line;
// a feature's id is its "code" property.
type GeoJSONWriter struct {
	w       io.Writer
	columns []string
	n       int
	err     error
}

// NewGeoJSONWriter starts a FeatureCollection on w.
func NewGeoJSONWriter(w io.Writer, columns []string) *GeoJSONWriter {
	gw := &GeoJSONWriter{w: w, columns: columns}
	_, gw.err = io.WriteString(w, `{"type":"FeatureCollection","features":[`)
	return gw
}

// Write adds one feature.
func (gw *GeoJSONWriter) Write(g orb.Geometry, values []any) error {
	if gw.err != nil {
		return gw.err
	}
	if len(values) != len(gw.columns) {
		return fmt.Errorf("geojson: %d values for %d columns", len(values), len(gw.columns))
	}
	f := geojson.NewFeature(g)
	for i, c := range gw.columns {
		if values[i] != nil {
			f.Properties[c] = values[i]
		}
	}
	f.ID = f.Properties["code"]
	b, err := json.Marshal(f)
	if err != nil {
		gw.err = err
		return err
	}
	if gw.n > 0 {
		b = append([]byte(",\n"), b...)
	}
	gw.n++
	_, gw.err = gw.w.Write(b)
	return gw.err
}

// Close ends the collection.
func (gw *GeoJSONWriter) Close() error {
	if gw.err != nil {
		return gw.err
	}
	_, gw.err = io.WriteString(gw.w, "]}\n")
	return gw.err
}

// CSVWriter writes a header row of the columns and "wkt", then a row per
// feature with its geometry as WKT.
type CSVWriter struct {
	cw   *csv.Writer
	cols int
}

// NewCSVWriter writes the header to w.
func NewCSVWriter(w io.Writer, columns []string) (*CSVWriter, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{}, columns...), "wkt")); err != nil {
		return nil, err
	}
	return &CSVWriter{cw: cw, cols: len(columns)}, nil
}

// Write adds one row.
func (w *CSVWriter) Write(g orb.Geometry, values []any) error {
	if len(values) != w.cols {
		return fmt.Errorf("csv: %d values for %d columns", len(values), w.cols)
	}
	rec := make([]string, 0, len(values)+1)
	for _, v := range values {
		rec = append(rec, csvValue(v))
	}
	return w.cw.Write(append(rec, wkt.MarshalString(g)))
}

// Close flushes the rows.
func (w *CSVWriter) Close() error {
	w.cw.Flush()
	return w.cw.Error()
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
