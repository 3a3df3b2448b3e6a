package maps

import (
	"math"

	"github.com/paulmach/orb"
)

// Linework turns the boundaries of polygons that tile each other into lines
// with every shared edge once, leaving out edges in skip (the linework of a
// coarser level already drawn): a district edge is also a street, community
// and grid edge, and stroking it once per level and per side made outlines
// the most expensive part of a frame. Edges are matched on their endpoints
// rounded to a millimetre, since neighbours computed separately may differ
// in the last bits. The result is chained into polylines so level-of-detail
// simplification and stroking see long lines, not single segments. The
// same polygons give the same lines: vertices and edges are walked in the
// order they were first met (not in map order), so frames are repeatable.
type Linework struct {
	Lines []orb.LineString
	edges map[edgeKey]struct{}
}

// maxLinePoints caps the vertices of one chained line.
const maxLinePoints = 24

type vkey [2]int64

type edgeKey struct{ a, b vkey }

func keyOf(p orb.Point) vkey {
	return vkey{int64(math.Round(p[0] * 1000)), int64(math.Round(p[1] * 1000))}
}

func edgeOf(p, q orb.Point) edgeKey {
	a, b := keyOf(p), keyOf(q)
	if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
		a, b = b, a
	}
	return edgeKey{a, b}
}

// NewLinework builds the linework of polygons (Web Mercator metres).
func NewLinework(polys []orb.Geometry, skip *Linework) *Linework {
	n := 0
	for _, g := range polys {
		for _, ring := range rings(g) {
			n += len(ring)
		}
	}
	lw := &Linework{edges: make(map[edgeKey]struct{}, n/2)}
	// Vertices by id in the order met, each with the ids of its kept edges.
	vid := make(map[vkey]int32, n/2)
	var verts []orb.Point
	var adj [][]int32
	var ends [][2]int32 // edge id → its two vertex ids
	vertex := func(k vkey, p orb.Point) int32 {
		if v, ok := vid[k]; ok {
			return v
		}
		v := int32(len(verts))
		vid[k] = v
		verts, adj = append(verts, p), append(adj, nil)
		return v
	}
	for _, g := range polys {
		for _, ring := range rings(g) {
			for i := 0; i+1 < len(ring); i++ {
				p, q := ring[i], ring[i+1]
				e := edgeOf(p, q)
				if e.a == e.b {
					continue
				}
				if _, seen := lw.edges[e]; seen {
					continue
				}
				if skip != nil {
					if _, drawn := skip.edges[e]; drawn {
						continue
					}
				}
				lw.edges[e] = struct{}{}
				a, b := vertex(keyOf(p), p), vertex(keyOf(q), q)
				id := int32(len(ends))
				ends = append(ends, [2]int32{a, b})
				adj[a], adj[b] = append(adj[a], id), append(adj[b], id)
			}
		}
	}
	// Chain: walk from each unused edge until a junction or dead end.
	used := make([]bool, len(ends))
	walk := func(from int32) {
		for _, first := range adj[from] {
			if used[first] {
				continue
			}
			line := orb.LineString{verts[from]}
			cur, e := from, first
			for {
				used[e] = true
				next := ends[e][0]
				if next == cur {
					next = ends[e][1]
				}
				line = append(line, verts[next])
				// Short pieces: a tile then converts and strokes only lines
				// near it, not a whole boundary that grazes it.
				if len(adj[next]) != 2 || len(line) >= maxLinePoints {
					break
				}
				found := false
				for _, c := range adj[next] {
					if !used[c] {
						e, found = c, true
						break
					}
				}
				if !found {
					break
				}
				cur = next
			}
			lw.Lines = append(lw.Lines, line)
		}
	}
	// Start at junctions and ends first, then close the remaining loops.
	for v := range verts {
		if len(adj[v]) != 2 {
			walk(int32(v))
		}
	}
	for v := range verts {
		walk(int32(v))
	}
	return lw
}

func rings(g orb.Geometry) []orb.Ring {
	switch t := g.(type) {
	case orb.MultiPolygon:
		var out []orb.Ring
		for _, p := range t {
			out = append(out, p...)
		}
		return out
	case orb.Polygon:
		return t
	}
	return nil
}
