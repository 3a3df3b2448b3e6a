package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// InputError is bad outside input: it names the file, the record and why.
type InputError struct {
	File   string
	Record string // "feature 12 (code 440111021200001)", "line 7", or ""
	Reason string
}

func (e *InputError) Error() string {
	if e.Record == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Record, e.Reason)
}

func featureRecord(index int, code string) string {
	if code == "" {
		return fmt.Sprintf("feature %d", index)
	}
	return fmt.Sprintf("feature %d (code %s)", index, code)
}

// Feature is one record read from outside input.
type Feature struct {
	Record string // how errors name it
	Code   string
	Props  map[string]string
	Geom   orb.Geometry
}

// ReadGeoJSON reads an RFC 7946 FeatureCollection. Each feature's code is its
// properties.code, else its id. Geometry shape (closed rings, finite
// coordinates in range) is checked here; topology is checked on import.
func ReadGeoJSON(file string, r io.Reader) ([]Feature, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, &InputError{File: file, Reason: err.Error()}
	}
	var top struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, &InputError{File: file, Reason: jsonReason(raw, err)}
	}
	if top.Type != "FeatureCollection" {
		return nil, &InputError{File: file, Reason: fmt.Sprintf("top-level type is %q, want \"FeatureCollection\"", top.Type)}
	}
	out := make([]Feature, 0, len(top.Features))
	for i, fr := range top.Features {
		f, err := readFeature(i, fr)
		if err != nil {
			err.File = file
			return nil, err
		}
		out = append(out, f)
	}
	if !utf8.Valid(raw) {
		return nil, &InputError{File: file, Reason: fmt.Sprintf("invalid UTF-8 at byte %d", invalidUTF8At(raw))}
	}
	return out, nil
}

func readFeature(i int, raw json.RawMessage) (Feature, *InputError) {
	var f struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Properties json.RawMessage `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	}
	fail := func(code, reason string) (Feature, *InputError) {
		return Feature{}, &InputError{Record: featureRecord(i, code), Reason: reason}
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return fail("", jsonReason(raw, err))
	}
	props, err := decodeProps(f.Properties)
	if err != nil {
		return fail("", "properties: "+err.Error())
	}
	code := props["code"]
	if code == "" && len(f.ID) > 0 {
		code = jsonScalar(f.ID)
	}
	if !utf8.Valid(raw) {
		return fail(strings.ToValidUTF8(code, "?"), fmt.Sprintf("invalid UTF-8 at byte %d of the feature", invalidUTF8At(raw)))
	}
	if f.Type != "Feature" {
		return fail(code, fmt.Sprintf("type is %q, want \"Feature\"", f.Type))
	}
	if len(f.Geometry) == 0 || string(bytes.TrimSpace(f.Geometry)) == "null" {
		return fail(code, "null geometry")
	}
	var g geojson.Geometry
	if err := json.Unmarshal(f.Geometry, &g); err != nil {
		return fail(code, "geometry: "+jsonReason(f.Geometry, err))
	}
	if g.Coordinates == nil {
		return fail(code, fmt.Sprintf("geometry type %q has no coordinates", g.Type))
	}
	if err := CheckShape(g.Coordinates); err != nil {
		return fail(code, err.Error())
	}
	return Feature{Record: featureRecord(i, code), Code: code, Props: props, Geom: g.Coordinates}, nil
}

// decodeProps flattens a properties object to text values; numbers keep
// their exact digits (a division code is a number in some publications).
func decodeProps(raw json.RawMessage) (map[string]string, error) {
	out := map[string]string{}
	if len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return out, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for k, v := range m {
		out[k] = jsonScalar(v)
	}
	return out, nil
}

func jsonScalar(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	t := strings.TrimSpace(string(v))
	if t == "null" {
		return ""
	}
	return t
}

func jsonReason(raw []byte, err error) string {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end"):
		return fmt.Sprintf("truncated JSON (ends at byte %d)", len(raw))
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d: %v", syn.Offset, err)
	case err.Error() == "unexpected end of JSON input":
		return fmt.Sprintf("truncated JSON (ends at byte %d)", len(raw))
	}
	return err.Error()
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// CheckShape checks what can be checked of a geometry on its own: finite
// coordinates within WGS84 range, lines of two points or more, rings closed
// and of four points or more.
func CheckShape(g orb.Geometry) error {
	switch t := g.(type) {
	case orb.Point:
		return checkPoint(t, "point")
	case orb.MultiPoint:
		for i, p := range t {
			if err := checkPoint(p, fmt.Sprintf("point %d", i)); err != nil {
				return err
			}
		}
	case orb.LineString:
		return checkLine(t, "line")
	case orb.MultiLineString:
		for i, l := range t {
			if err := checkLine(l, fmt.Sprintf("line %d", i)); err != nil {
				return err
			}
		}
	case orb.Polygon:
		return checkPolygon(t, "")
	case orb.MultiPolygon:
		if len(t) == 0 {
			return errors.New("empty multipolygon")
		}
		for i, p := range t {
			if err := checkPolygon(p, fmt.Sprintf("polygon %d ", i)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unsupported geometry type %s", g.GeoJSONType())
	}
	return nil
}

func checkPoint(p orb.Point, what string) error {
	x, y := p[0], p[1]
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return fmt.Errorf("%s has a non-finite coordinate", what)
	}
	if x < -180 || x > 180 || y < -90 || y > 90 {
		return fmt.Errorf("%s (%g, %g) is out of range for longitude/latitude", what, x, y)
	}
	return nil
}

func checkLine(l orb.LineString, what string) error {
	if len(l) < 2 {
		return fmt.Errorf("%s has %d points, needs at least 2", what, len(l))
	}
	for i, p := range l {
		if err := checkPoint(p, fmt.Sprintf("%s point %d", what, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkPolygon(p orb.Polygon, prefix string) error {
	if len(p) == 0 {
		return fmt.Errorf("%shas no rings", prefix)
	}
	for i, r := range p {
		what := fmt.Sprintf("%sring %d", prefix, i)
		if len(r) < 4 {
			return fmt.Errorf("%s has %d points, needs at least 4", what, len(r))
		}
		if !r.Closed() {
			return fmt.Errorf("%s is not closed (first point %v, last %v)", what, r[0], r[len(r)-1])
		}
		for j, pt := range r {
			if err := checkPoint(pt, fmt.Sprintf("%s point %d", what, j)); err != nil {
				return err
			}
		}
	}
	return nil
}
