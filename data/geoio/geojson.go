package geoio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb/geojson"

	"kapok/data"
)

// ReadGeoJSON reads an RFC 7946 FeatureCollection. Each feature's code is its
// properties.code, else its id. Geometry shape (closed rings, finite
// coordinates in range) is checked here; topology is checked on import.
func ReadGeoJSON(file string, r io.Reader) ([]Feature, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, &data.InputError{File: file, Reason: err.Error()}
	}
	var top struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, &data.InputError{File: file, Reason: jsonReason(raw, err)}
	}
	if top.Type != "FeatureCollection" {
		return nil, &data.InputError{File: file, Reason: fmt.Sprintf("top-level type is %q, want \"FeatureCollection\"", top.Type)}
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
		return nil, &data.InputError{File: file, Reason: fmt.Sprintf("invalid UTF-8 at byte %d", invalidUTF8At(raw))}
	}
	return out, nil
}

func readFeature(i int, raw json.RawMessage) (Feature, *data.InputError) {
	var f struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Properties json.RawMessage `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	}
	fail := func(code, reason string) (Feature, *data.InputError) {
		return Feature{}, &data.InputError{Record: featureRecord(i, code), Reason: reason}
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
