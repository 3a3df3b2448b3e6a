package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// The GeoPackage geometry blob (spec 1.2, clause 2.1.3) is a small header
// followed by standard WKB. orb encodes the WKB; the header is written here by
// hand because no maintained Go library writes it without pulling in a whole
// GIS stack.

// SRS is the spatial reference of every geometry Kapok stores: WGS 84
// longitude/latitude.
const SRS = 4326

var errNotGPKG = errors.New("not a GeoPackage geometry blob")

// EncodeGeom returns the GeoPackage blob of g in EPSG:4326. Non-point
// geometries carry their envelope so the R-tree triggers read it cheaply.
func EncodeGeom(g orb.Geometry) ([]byte, error) {
	body, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, err
	}
	empty := IsEmpty(g)
	envelope := !empty && g.GeoJSONType() != "Point"
	flags := byte(1) // little endian
	size := 8
	if envelope {
		flags |= 1 << 1 // envelope [minx, maxx, miny, maxy]
		size += 32
	}
	if empty {
		flags |= 1 << 4
	}
	out := make([]byte, size, size+len(body))
	out[0], out[1], out[2], out[3] = 'G', 'P', 0, flags
	binary.LittleEndian.PutUint32(out[4:], SRS)
	if envelope {
		b := g.Bound()
		for i, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			binary.LittleEndian.PutUint64(out[8+8*i:], math.Float64bits(v))
		}
	}
	return append(out, body...), nil
}

// IsEmpty reports whether g has no points (a NaN point is GeoPackage's empty point).
func IsEmpty(g orb.Geometry) bool {
	switch t := g.(type) {
	case orb.Point:
		return math.IsNaN(t[0])
	case orb.MultiPolygon:
		return len(t) == 0
	case orb.Polygon:
		return len(t) == 0
	case orb.LineString:
		return len(t) == 0
	case orb.MultiLineString:
		return len(t) == 0
	case orb.MultiPoint:
		return len(t) == 0
	}
	return false
}

// gpkgHeader is the parsed blob header.
type gpkgHeader struct {
	empty    bool
	envelope []float64 // minx, maxx, miny, maxy[, ...] or nil
	wkbStart int
}

func parseHeader(b []byte) (gpkgHeader, error) {
	var h gpkgHeader
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return h, errNotGPKG
	}
	flags := b[3]
	var order binary.ByteOrder = binary.BigEndian
	if flags&1 == 1 {
		order = binary.LittleEndian
	}
	code := (flags >> 1) & 7
	if code > 4 {
		return h, fmt.Errorf("%w: bad envelope code %d", errNotGPKG, code)
	}
	n := [5]int{0, 4, 6, 6, 8}[code] // doubles in the envelope

	h.wkbStart = 8 + 8*n
	if len(b) < h.wkbStart {
		return h, fmt.Errorf("%w: truncated header", errNotGPKG)
	}
	for i := 0; i < n; i++ {
		h.envelope = append(h.envelope, math.Float64frombits(order.Uint64(b[8+8*i:])))
	}
	h.empty = flags&(1<<4) != 0
	return h, nil
}

// DecodeGeom reads a GeoPackage blob.
func DecodeGeom(b []byte) (orb.Geometry, error) {
	h, err := parseHeader(b)
	if err != nil {
		return nil, err
	}
	return wkb.Unmarshal(b[h.wkbStart:])
}

// Bounds is the blob's envelope, from the header when present, and whether
// the geometry is empty.
func Bounds(b []byte) (orb.Bound, bool, error) {
	h, err := parseHeader(b)
	if err != nil {
		return orb.Bound{}, false, err
	}
	if h.empty {
		return orb.Bound{}, true, nil
	}
	if len(h.envelope) >= 4 {
		e := h.envelope
		return orb.Bound{Min: orb.Point{e[0], e[2]}, Max: orb.Point{e[1], e[3]}}, false, nil
	}
	g, err := wkb.Unmarshal(b[h.wkbStart:])
	if err != nil {
		return orb.Bound{}, false, err
	}
	return g.Bound(), IsEmpty(g), nil
}
