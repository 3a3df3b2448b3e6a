package geom

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// Partition splits poly into exactly n polygonal parts that tile it: the
// parts are Voronoi cells of n seeds, clipped to poly, relaxed a few times
// toward equal size (Lloyd's algorithm). Because every cell is cut from the
// same Voronoi diagram and the same parent, neighbours share their edges
// exactly and the parts' union is the parent: no gaps, no overlaps.
func Partition(ctx *geos.Context, poly *geos.Geom, n int, rng *rand.Rand, relax int) ([]*geos.Geom, error) {
	if n <= 1 {
		return []*geos.Geom{poly}, nil
	}
	// Point-in-polygon in Go: go-geos built against GEOS < 3.12 (Debian 12)
	// stubs GEOSPreparedContainsXY to always answer false.
	shape, err := Polygons(poly)
	if err != nil {
		return nil, err
	}
	inside := func(x, y float64) bool { return planar.MultiPolygonContains(shape, orb.Point{x, y}) }
	seeds := randomPointsIn(poly, inside, n, rng)
	var cells []*geos.Geom
	for it := 0; ; it++ {
		cells, err = voronoiCells(ctx, poly, seeds)
		if err != nil {
			return nil, err
		}
		if it == relax {
			break
		}
		seeds = seeds[:0]
		for _, c := range cells {
			p := c.Centroid()
			if !inside(p.X(), p.Y()) {
				p = c.PointOnSurface()
			}
			seeds = append(seeds, [2]float64{p.X(), p.Y()})
		}
	}
	cells = mergeFragments(cells)
	// Coincident seeds can leave fewer cells than asked for: cut the
	// largest in two until the count is right.
	for len(cells) < n {
		sort.Slice(cells, func(i, j int) bool { return cells[i].Area() > cells[j].Area() })
		a, b := cutInTwo(ctx, cells[0])
		cells = append(cells[1:], a, b)
	}
	return cells, nil
}

func voronoiCells(ctx *geos.Context, poly *geos.Geom, seeds [][2]float64) ([]*geos.Geom, error) {
	b := poly.Bounds()
	pad := 0.01 + (b.MaxX - b.MinX + b.MaxY - b.MinY)
	box := [][2]float64{{b.MinX - pad, b.MinY - pad}, {b.MaxX + pad, b.MinY - pad}, {b.MaxX + pad, b.MaxY + pad}, {b.MinX - pad, b.MaxY + pad}}
	// Two seeds at one spot would give two copies of one cell: keep one
	// (partition splits a part again if that leaves too few).
	seen := map[[2]float64]bool{}
	unique := seeds[:0:0]
	for _, s := range seeds {
		k := [2]float64{math.Round(s[0] * 1e9), math.Round(s[1] * 1e9)}
		if !seen[k] {
			seen[k] = true
			unique = append(unique, s)
		}
	}
	seeds = unique
	var cells []*geos.Geom
	for i := range seeds {
		ring := voronoiCell(seeds, i, box)
		if len(ring) < 3 {
			continue
		}
		coords := make([][]float64, 0, len(ring)+1)
		for _, p := range ring {
			coords = append(coords, []float64{p[0], p[1]})
		}
		coords = append(coords, coords[0])
		c := ctx.NewPolygon([][][]float64{coords}).Intersection(poly)
		if c.IsEmpty() || c.Area() == 0 {
			continue
		}
		cells = append(cells, polygonal(ctx, c))
	}
	return cells, nil
}

// voronoiCell is the convex Voronoi cell of seeds[i] within box: the box cut
// by the bisector half-plane of every nearer seed. Written here because the
// go-geos releases that build against Debian 12's GEOS 3.11 lack
// GEOSVoronoiDiagram, and orb has no Voronoi.
func voronoiCell(seeds [][2]float64, i int, box [][2]float64) [][2]float64 {
	si := seeds[i]
	order := make([]int, 0, len(seeds)-1)
	for j := range seeds {
		if j != i {
			order = append(order, j)
		}
	}
	d2 := func(j int) float64 { dx, dy := seeds[j][0]-si[0], seeds[j][1]-si[1]; return dx*dx + dy*dy }
	sort.Slice(order, func(a, b int) bool { return d2(order[a]) < d2(order[b]) })
	cell := append([][2]float64(nil), box...)
	for _, j := range order {
		// A seed farther than twice the cell's reach cannot cut it.
		reach := 0.0
		for _, p := range cell {
			dx, dy := p[0]-si[0], p[1]-si[1]
			reach = max(reach, dx*dx+dy*dy)
		}
		if d2(j) > 4*reach {
			break
		}
		cell = clipHalfPlane(cell, si, seeds[j])
		if len(cell) < 3 {
			return nil
		}
	}
	return cell
}

// clipHalfPlane keeps the part of convex polygon poly nearer to a than to b.
func clipHalfPlane(poly [][2]float64, a, b [2]float64) [][2]float64 {
	nx, ny := b[0]-a[0], b[1]-a[1]
	mx, my := (a[0]+b[0])/2, (a[1]+b[1])/2
	side := func(p [2]float64) float64 { return (p[0]-mx)*nx + (p[1]-my)*ny }
	var out [][2]float64
	for k := range poly {
		p, q := poly[k], poly[(k+1)%len(poly)]
		sp, sq := side(p), side(q)
		if sp <= 0 {
			out = append(out, p)
		}
		if (sp < 0 && sq > 0) || (sp > 0 && sq < 0) {
			t := sp / (sp - sq)
			out = append(out, [2]float64{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])})
		}
	}
	return out
}

// cutInTwo cuts a part along its longer side with a straight line through
// its centroid. Any line through the centroid has area on both sides, so
// both halves are non-empty whatever the shape.
func cutInTwo(ctx *geos.Context, g *geos.Geom) (*geos.Geom, *geos.Geom) {
	b, c := g.Bounds(), g.Centroid()
	lo, hi := ctx.NewGeomFromBounds(b.MinX-1, b.MinY-1, c.X(), b.MaxY+1), ctx.NewGeomFromBounds(c.X(), b.MinY-1, b.MaxX+1, b.MaxY+1)
	if b.MaxY-b.MinY > b.MaxX-b.MinX {
		lo, hi = ctx.NewGeomFromBounds(b.MinX-1, b.MinY-1, b.MaxX+1, c.Y()), ctx.NewGeomFromBounds(b.MinX-1, c.Y(), b.MaxX+1, b.MaxY+1)
	}
	return polygonal(ctx, g.Intersection(lo)), polygonal(ctx, g.Intersection(hi))
}

// polygonal drops lines and points an overlay may leave in a collection.
func polygonal(ctx *geos.Context, g *geos.Geom) *geos.Geom {
	switch g.TypeID() {
	case geos.TypeIDPolygon, geos.TypeIDMultiPolygon:
		return g
	}
	var polys []*geos.Geom
	for i := 0; i < g.NumGeometries(); i++ {
		p := g.Geometry(i)
		switch p.TypeID() {
		case geos.TypeIDPolygon:
			polys = append(polys, ctx.Clone(p))
		case geos.TypeIDMultiPolygon:
			for j := 0; j < p.NumGeometries(); j++ {
				polys = append(polys, ctx.Clone(p.Geometry(j)))
			}
		}
	}
	return ctx.NewCollection(geos.TypeIDMultiPolygon, polys)
}

// mergeFragments moves each detached piece of a cell (a cell cut in two by a
// bend of the parent's boundary) into the neighbour it shares the longest edge
// with, so parts are single polygons wherever the parent allows.
func mergeFragments(cells []*geos.Geom) []*geos.Geom {
	type piece struct {
		g    *geos.Geom
		from int
	}
	var frags []piece
	for i, c := range cells {
		if c.NumGeometries() < 2 {
			continue
		}
		best := 0
		for j := 1; j < c.NumGeometries(); j++ {
			if c.Geometry(j).Area() > c.Geometry(best).Area() {
				best = j
			}
		}
		main := c.Geometry(best).Clone()
		for j := 0; j < c.NumGeometries(); j++ {
			if j != best {
				frags = append(frags, piece{c.Geometry(j).Clone(), i})
			}
		}
		cells[i] = main
	}
	for _, f := range frags {
		target, shared := f.from, 0.0
		fb := f.g.Boundary()
		for j, c := range cells {
			if j == f.from || !c.Intersects(f.g) {
				continue
			}
			if l := fb.Intersection(c.Boundary()).Length(); l > shared {
				target, shared = j, l
			}
		}
		cells[target] = cells[target].Union(f.g)
	}
	return cells
}

// randomPointsIn draws n points inside poly, by rejection from its bounds.
func randomPointsIn(poly *geos.Geom, inside func(x, y float64) bool, n int, rng *rand.Rand) [][2]float64 {
	b := poly.Bounds()
	out := make([][2]float64, 0, n)
	for tries := 0; len(out) < n; tries++ {
		x := b.MinX + rng.Float64()*(b.MaxX-b.MinX)
		y := b.MinY + rng.Float64()*(b.MaxY-b.MinY)
		if inside(x, y) {
			out = append(out, [2]float64{x, y})
		} else if tries > 1000*n {
			// A sliver the box hardly covers: fall back to its interior point.
			p := poly.PointOnSurface()
			out = append(out, [2]float64{p.X() + (rng.Float64()-0.5)*1e-9, p.Y()})
		}
	}
	return out
}
