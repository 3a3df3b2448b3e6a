package mirror

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/paulmach/orb"
)

// GridGeometry reads the code, kind and boundary of every grid that has a
// geometry: what a frame of the whole city draws, without the other
// attributes. Each point goes through transform as it is decoded (nil
// keeps longitude/latitude), so a map projects on the decoding cores in
// the same pass.
//
// SQLite concatenates the codes, the kinds and the geometry blobs in one
// pass over the table (so the three stay in step) and hands them over as
// one row, because go-sqlite3 spends more per row and value handed to Go
// than SQLite spends reading them: 20,000 rows took twice as long. The
// blobs are then decoded on every core into a few large arrays, not one
// allocation per ring. (Reading ranges of fids on several connections at
// once cost more CPU than it saved time.)
func (m *Mirror) GridGeometry(ctx context.Context, transform func(orb.Point) orb.Point) (codes, kinds []string, boundaries []orb.MultiPolygon, err error) {
	// Codes are 15 characters (a CHECK says so); kinds are words, so a
	// comma between them; geometry blobs delimit themselves. The blobs are
	// decoded from the driver's buffer (RawBytes), not from a copy of it.
	rows, err := m.DB.QueryContext(ctx, `SELECT count(*), ifnull(group_concat(code, ''), ''), ifnull(group_concat(kind, ','), ''),
		ifnull(CAST(group_concat(geom, '') AS BLOB), x'') FROM grids WHERE geom IS NOT NULL`)
	if err != nil {
		return nil, nil, nil, err
	}
	defer func() { _ = rows.Close() }()
	var codeCat, kindCat string
	var geomCat sql.RawBytes
	var n int
	if !rows.Next() {
		return nil, nil, nil, cmp.Or(rows.Err(), sql.ErrNoRows)
	}
	if err := rows.Scan(&n, &codeCat, &kindCat, &geomCat); err != nil || n == 0 {
		return nil, nil, nil, err
	}
	kinds = strings.Split(kindCat, ",")
	if len(codeCat) != 15*n || len(kinds) != n {
		return nil, nil, nil, fmt.Errorf("grids: %d rows but %d bytes of codes and %d kinds", n, len(codeCat), len(kinds))
	}
	codes = make([]string, n)
	for i := range codes {
		codes[i] = codeCat[15*i : 15*i+15] // shares codeCat's memory
	}
	if boundaries, err = decodeMultiPolygons(geomCat, n, transform); err != nil {
		return nil, nil, nil, err
	}
	return codes, kinds, boundaries, rows.Close()
}

// decodeMultiPolygons decodes n concatenated GeoPackage blobs of polygons
// or multipolygons. A first pass finds where each blob starts and how many
// polygons, rings and points it holds; the second decodes on every core
// into shared arrays. Written here, beside data/gpkg's decoder (orb's WKB),
// because that one allocates every ring and needs each blob's length,
// which a concatenation does not give.
func decodeMultiPolygons(cat []byte, n int, transform func(orb.Point) orb.Point) ([]orb.MultiPolygon, error) {
	type span struct{ at, polys, rings, points int } // where blob i starts; counts before it
	spans := make([]span, n+1)
	var s span
	for i := 0; i < n; i++ {
		spans[i] = s
		next, polys, rings, points, err := wkbShape(cat, s.at)
		if err != nil {
			return nil, fmt.Errorf("grid geometry %d: %w", i, err)
		}
		s = span{next, s.polys + polys, s.rings + rings, s.points + points}
	}
	if s.at != len(cat) {
		return nil, fmt.Errorf("grid geometry: %d bytes left after %d blobs", len(cat)-s.at, n)
	}
	spans[n] = s
	mps := make([]orb.MultiPolygon, n)
	polys := make([]orb.Polygon, s.polys)
	rings := make([]orb.Ring, s.rings)
	points := make([]orb.Point, s.points)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, last := w*n/workers, (w+1)*n/workers
			for i := first; i < last; i++ {
				sp, end := spans[i], spans[i+1]
				mps[i] = wkbFill(cat, sp.at, polys[sp.polys:end.polys:end.polys], rings[sp.rings:end.rings:end.rings], points[sp.points:end.points:end.points])
			}
			if transform != nil {
				for i := spans[first].points; i < spans[last].points; i++ {
					points[i] = transform(points[i])
				}
			}
		}()
	}
	wg.Wait()
	return mps, nil
}

// gpkgBody returns where the WKB of the GeoPackage blob at cat[at:] starts.
func gpkgBody(cat []byte, at int) (int, error) {
	if len(cat) < at+8 || cat[at] != 'G' || cat[at+1] != 'P' {
		return 0, errors.New("not a GeoPackage geometry blob")
	}
	code := cat[at+3] >> 1 & 7
	if code > 4 {
		return 0, fmt.Errorf("bad envelope code %d", code)
	}
	return at + 8 + 8*[5]int{0, 4, 6, 6, 8}[code], nil
}

// wkbShape walks the blob at cat[at:] without decoding its points: where
// the next blob starts and how many polygons, rings and points it holds.
func wkbShape(cat []byte, at int) (next, polys, rings, points int, err error) {
	p, err := gpkgBody(cat, at)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	r := wkbReader{b: cat, at: p}
	np := 1
	switch r.header() {
	case 3: // a polygon: read its header again below
		r.at -= 5
	case 6:
		if np = r.uint32(); np == 0 && r.err == nil {
			r.err = errors.New("a multipolygon with no polygons") // as data/gpkg's decoder refuses it
		}
	default:
		r.err = cmp.Or(r.err, errors.New("not a polygon or multipolygon (or has Z or M)"))
		np = 0
	}
	for range np {
		if r.header() != 3 {
			r.err = cmp.Or(r.err, errors.New("a multipolygon member is not a polygon"))
		}
		nr := r.uint32()
		for range nr {
			k := r.uint32()
			if r.err != nil || r.at > len(cat) {
				break // a count the bytes cannot hold: stop before looping on it
			}
			r.at += 16 * k
			points += k
		}
		rings += nr
		if r.err != nil {
			break
		}
	}
	if r.err == nil && r.at > len(cat) {
		r.err = errors.New("truncated")
	}
	return r.at, np, rings, points, r.err
}

// wkbFill decodes the blob at cat[at:], which wkbShape has checked, into
// the given slices, which are exactly its size.
func wkbFill(cat []byte, at int, polys []orb.Polygon, rings []orb.Ring, points []orb.Point) orb.MultiPolygon {
	p, _ := gpkgBody(cat, at)
	r := wkbReader{b: cat, at: p}
	np := 1
	if r.header() == 6 {
		np = r.uint32()
	} else {
		r.at -= 5
	}
	for i := range np {
		r.header()
		nr := r.uint32()
		polys[i], rings = rings[:nr:nr], rings[nr:]
		for j := range nr {
			k := r.uint32()
			ring := points[:k:k]
			points = points[k:]
			raw := r.b[r.at : r.at+16*k]
			r.at += 16 * k
			if !r.big {
				for q := range ring {
					ring[q] = orb.Point{math.Float64frombits(binary.LittleEndian.Uint64(raw[16*q:])), math.Float64frombits(binary.LittleEndian.Uint64(raw[16*q+8:]))}
				}
			} else {
				for q := range ring {
					ring[q] = orb.Point{math.Float64frombits(binary.BigEndian.Uint64(raw[16*q:])), math.Float64frombits(binary.BigEndian.Uint64(raw[16*q+8:]))}
				}
			}
			polys[i][j] = ring
		}
	}
	return orb.MultiPolygon(polys[:np:np])
}

// wkbReader reads WKB numbers in the byte order of the geometry being read.
type wkbReader struct {
	b   []byte
	at  int
	big bool // big-endian
	err error
}

func (r *wkbReader) order() binary.ByteOrder {
	if r.big {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// header reads a byte order and a geometry type.
func (r *wkbReader) header() uint32 {
	if r.err != nil || r.at+5 > len(r.b) {
		r.err = cmp.Or(r.err, errors.New("truncated"))
		return 0
	}
	if r.b[r.at] > 1 {
		r.err = fmt.Errorf("byte order %d is neither 0 nor 1", r.b[r.at])
		return 0
	}
	r.big = r.b[r.at] == 0
	t := r.order().Uint32(r.b[r.at+1:])
	r.at += 5
	return t
}

func (r *wkbReader) uint32() int {
	if r.err != nil || r.at+4 > len(r.b) {
		r.err = cmp.Or(r.err, errors.New("truncated"))
		return 0
	}
	v := r.order().Uint32(r.b[r.at:])
	r.at += 4
	if v > uint32(len(r.b)) {
		r.err = errors.New("count larger than the data")
		return 0
	}
	return int(v)
}
