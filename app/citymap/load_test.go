package citymap

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"kapok/data/gpkg"
	"kapok/internal/fixture"
	kmaps "kapok/maps"
)

// The bulk read `kapok render` uses gives every grid's code, kind and
// boundary exactly as LoadGrids does, whatever the blob holds: a polygon
// with a hole, a multipolygon of two parts, big-endian WKB.
func TestGridGeometryMatchesLoadGrids(t *testing.T) {
	m := fixture.City(t)
	ctx := context.Background()
	grids, err := m.LoadGrids(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Three grids get unusual geometry, each inside its old bound.
	shrink := func(b orb.Bound, f float64) orb.Ring {
		c, w, h := b.Center(), (b.Max[0]-b.Min[0])*f/2, (b.Max[1]-b.Min[1])*f/2
		return orb.Ring{{c[0] - w, c[1] - h}, {c[0] + w, c[1] - h}, {c[0] + w, c[1] + h}, {c[0] - w, c[1] + h}, {c[0] - w, c[1] - h}}
	}
	b0, b1, b2 := grids[0].Boundary.Bound(), grids[1].Boundary.Bound(), grids[2].Boundary.Bound()
	withHole := orb.Polygon{shrink(b0, 0.9), shrink(b0, 0.3)}
	twoParts := orb.MultiPolygon{{shrink(b1, 0.2)}, {orb.Ring{b1.Min, {b1.Min[0] + 1e-4, b1.Min[1]}, {b1.Min[0], b1.Min[1] + 1e-4}, b1.Min}}}
	bigEndian := orb.MultiPolygon{{shrink(b2, 0.5)}}
	for code, blob := range map[string][]byte{
		grids[0].Code: encode(t, withHole),
		grids[1].Code: encode(t, twoParts),
		grids[2].Code: bigEndianBlob(t, bigEndian),
	} {
		if _, err := m.DB.Exec(`UPDATE grids SET geom = ? WHERE code = ?`, blob, code); err != nil {
			t.Fatal(err)
		}
	}
	if grids, err = m.LoadGrids(ctx); err != nil {
		t.Fatal(err)
	}
	codes, kinds, boundaries, err := m.GridGeometry(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != len(grids) || len(kinds) != len(grids) || len(boundaries) != len(grids) {
		t.Fatalf("%d codes, %d kinds, %d boundaries for %d grids", len(codes), len(kinds), len(boundaries), len(grids))
	}
	for i, g := range grids {
		if codes[i] != g.Code || kinds[i] != g.Kind || !orb.Equal(boundaries[i], g.Boundary) {
			t.Fatalf("grid %d: %s %s %v, LoadGrids has %s %s %v", i, codes[i], kinds[i], boundaries[i], g.Code, g.Kind, g.Boundary)
		}
	}
	if !orb.Equal(boundaries[0], orb.MultiPolygon{withHole}) || !orb.Equal(boundaries[2], bigEndian) {
		t.Fatal("unusual geometry not read back")
	}
	// Projected while decoding: the same points as projecting after.
	_, _, projected, err := m.GridGeometry(ctx, kmaps.ProjectPoint)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range grids {
		kmaps.ProjectBound(g.Boundary)
		if !orb.Equal(projected[i], g.Boundary) {
			t.Fatalf("grid %s projected while decoding differs", g.Code)
		}
	}
}

// A blob cut short or of the wrong kind is an error, not a crash or a
// wrong map.
func TestGridGeometryRefusesBadBlobs(t *testing.T) {
	good := encode(t, orb.MultiPolygon{{{{113, 23}, {113.01, 23}, {113.01, 23.01}, {113, 23}}}})
	for name, blob := range map[string][]byte{
		"truncated":  good[:len(good)-5],
		"a point":    encode(t, orb.Point{113, 23}),
		"not a blob": []byte("not a geometry at all"),
	} {
		t.Run(name, func(t *testing.T) {
			m := fixture.City(t)
			// The R-tree triggers would refuse the blob first.
			for _, n := range []string{"1", "2", "3", "4"} {
				if _, err := m.DB.Exec(`DROP TRIGGER rtree_grids_geom_update` + n); err != nil {
					t.Fatal(err)
				}
			}
			var code string
			if err := m.DB.QueryRow(`SELECT code FROM grids LIMIT 1`).Scan(&code); err != nil {
				t.Fatal(err)
			}
			if _, err := m.DB.Exec(`UPDATE grids SET geom = ? WHERE code = ?`, blob, code); err != nil {
				t.Fatal(err)
			}
			if _, _, _, err := m.GridGeometry(context.Background(), nil); err == nil {
				t.Fatal("read without an error")
			}
		})
	}
}

// `kapok render` (bulk read, no tile cache) draws exactly what the console's
// map (LoadGrids, cached tiles) draws.
func TestRenderDrawsWhatTheConsoleDraws(t *testing.T) {
	m := fixture.City(t)
	ctx := context.Background()
	for _, theme := range Themes {
		console, err := LoadAt(ctx, m, theme, fixture.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		render, err := load(ctx, m, theme, false, fixture.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		if console.Extent != render.Extent {
			t.Fatalf("%s: extent %v, console %v", theme, render.Extent, console.Extent)
		}
		for _, v := range []kmaps.Viewport{kmaps.NewViewport(640, 400).Fit(console.Extent, 12), kmaps.NewViewport(500, 500).Fit(console.Extent, 12).ZoomAbout(100, 120, 2)} {
			a, err := console.Map.Render(ctx, v)
			if err != nil {
				t.Fatal(err)
			}
			b, err := render.Map.Render(ctx, v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Pix, b.Pix) {
				t.Fatalf("%s at zoom %.1f: the render path draws another picture", theme, v.Zoom)
			}
		}
	}
}

func encode(t *testing.T, g orb.Geometry) []byte {
	t.Helper()
	b, err := gpkg.EncodeGeom(g)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bigEndianBlob is a GeoPackage blob whose header and WKB are big-endian.
func bigEndianBlob(t *testing.T, g orb.Geometry) []byte {
	t.Helper()
	body, err := wkb.Marshal(g, binary.BigEndian)
	if err != nil {
		t.Fatal(err)
	}
	out := []byte{'G', 'P', 0, 1 << 1, 0, 0, 0x10, 0xe6} // envelope [minx, maxx, miny, maxy], SRS 4326
	b := g.Bound()
	for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		out = binary.BigEndian.AppendUint64(out, math.Float64bits(v))
	}
	return append(out, body...)
}
