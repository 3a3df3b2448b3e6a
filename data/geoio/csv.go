package geoio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"kapok/data"
)

// ReadCSV reads a CSV file with a header row into features. Geometry comes
// from a "wkt" column, or from "lon" and "lat" columns for points; a file
// with neither (a division list) gives features without geometry.
func ReadCSV(file string, r io.Reader) ([]Feature, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0 // every row as wide as the header
	header, err := cr.Read()
	if err != nil {
		return nil, &data.InputError{File: file, Record: "line 1", Reason: csvReason(err, "header")}
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !utf8.ValidString(header[i]) {
			return nil, &data.InputError{File: file, Record: "line 1", Reason: "invalid UTF-8 in the header"}
		}
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[h]; dup {
			return nil, &data.InputError{File: file, Record: "line 1", Reason: fmt.Sprintf("column %q appears twice", h)}
		}
		col[h] = i
	}
	var out []Feature
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			record := ""
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				record = fmt.Sprintf("line %d", pe.Line)
			}
			return nil, &data.InputError{File: file, Record: record, Reason: csvReason(err, "row")}
		}
		line, _ := cr.FieldPos(0)
		record := fmt.Sprintf("line %d", line)
		props := make(map[string]string, len(header))
		for i, v := range rec {
			if !utf8.ValidString(v) {
				return nil, &data.InputError{File: file, Record: record, Reason: fmt.Sprintf("invalid UTF-8 in column %q", header[i])}
			}
			props[header[i]] = strings.TrimSpace(v)
		}
		code := props["code"]
		if code != "" {
			record = fmt.Sprintf("line %d (code %s)", line, code)
		}
		g, err := csvGeometry(props, col)
		if err != nil {
			return nil, &data.InputError{File: file, Record: record, Reason: err.Error()}
		}
		out = append(out, Feature{Record: record, Code: code, Props: props, Geom: g})
	}
}

func csvReason(err error, what string) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("malformed CSV %s: %v", what, pe.Err)
	}
	if err == io.EOF {
		return "empty file: no header row"
	}
	return err.Error()
}

func csvGeometry(props map[string]string, col map[string]int) (orb.Geometry, error) {
	if _, ok := col["wkt"]; ok {
		text := props["wkt"]
		if text == "" {
			return nil, errors.New("null geometry: empty wkt")
		}
		g, err := wkt.Unmarshal(text)
		if err != nil {
			return nil, fmt.Errorf("wkt: %v", err)
		}
		if err := CheckShape(g); err != nil {
			return nil, err
		}
		return g, nil
	}
	_, hasLon := col["lon"]
	_, hasLat := col["lat"]
	if !hasLon || !hasLat {
		return nil, nil
	}
	x, err := strconv.ParseFloat(props["lon"], 64)
	if err != nil {
		return nil, fmt.Errorf("lon %q is not a number", props["lon"])
	}
	y, err := strconv.ParseFloat(props["lat"], 64)
	if err != nil {
		return nil, fmt.Errorf("lat %q is not a number", props["lat"])
	}
	p := orb.Point{x, y}
	return p, checkPoint(p, "point")
}
