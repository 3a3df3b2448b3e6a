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
// simplification and stroking see long lines, not single segments.
type Linework struct {
	Lines []orb.LineString
	edges map[edgeKey]bool
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
	lw := &Linework{edges: map[edgeKey]bool{}}
	adj := map[vkey][]orb.Point{} // vertex → neighbours along kept edges
	pos := map[vkey]orb.Point{}
	for _, g := range polys {
		for _, ring := range rings(g) {
			for i := 0; i+1 < len(ring); i++ {
				p, q := ring[i], ring[i+1]
				e := edgeOf(p, q)
				if e.a == e.b || lw.edges[e] || (skip != nil && skip.edges[e]) {
					continue
				}
				lw.edges[e] = true
				ka, kb := keyOf(p), keyOf(q)
				pos[ka], pos[kb] = p, q
				adj[ka] = append(adj[ka], q)
				adj[kb] = append(adj[kb], p)
			}
		}
	}
	// Chain: walk from each unused edge until a junction or dead end.
	used := map[edgeKey]bool{}
	walk := func(from vkey) {
		for _, first := range adj[from] {
			if used[edgeOf(pos[from], first)] {
				continue
			}
			line := orb.LineString{pos[from]}
			cur, next := from, first
			for {
				used[edgeOf(pos[cur], next)] = true
				line = append(line, next)
				nk := keyOf(next)
				// Short pieces: a tile then converts and strokes only lines
				// near it, not a whole boundary that grazes it.
				if len(adj[nk]) != 2 || len(line) >= maxLinePoints {
					break
				}
				var step orb.Point
				found := false
				for _, c := range adj[nk] {
					if !used[edgeOf(next, c)] {
						step, found = c, true
						break
					}
				}
				if !found {
					break
				}
				cur, next = nk, step
			}
			lw.Lines = append(lw.Lines, line)
		}
	}
	// Start at junctions and ends first, then close the remaining loops.
	for k, n := range adj {
		if len(n) != 2 {
			walk(k)
		}
	}
	for k := range adj {
		walk(k)
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
