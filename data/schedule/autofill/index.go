package autofill

import "math"

// bucketIndex finds the nearest of a set of points: a uniform grid of
// square cells (about two points a cell) searched ring by ring outward from
// the query's cell. The solver builds one for every set it searches (a
// shift's free units, its open grids, each street's) and throws it away:
// building is a counting sort, cheaper than keeping a dynamic tree in step
// with assignments made and undone.
//
// Coordinates are planar metres (see solver.project): the index only picks
// candidates, whose costs are then the travel metric itself.
type bucketIndex struct {
	minX, minY float64
	cell       float64
	nx, ny     int
	start      []int32 // cell c holds ids[start[c]:start[c+1]]
	ids        []int32
	xs, ys     []float64 // coordinates by id (shared with the solver)
}

// neighbor is a candidate found by nearest: its id and squared planar
// distance.
type neighbor struct {
	id int32
	d2 float64
}

func newBucketIndex(ids []int32, xs, ys []float64) *bucketIndex {
	b := &bucketIndex{xs: xs, ys: ys}
	if len(ids) == 0 {
		return b
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, id := range ids {
		minX, maxX = math.Min(minX, xs[id]), math.Max(maxX, xs[id])
		minY, maxY = math.Min(minY, ys[id]), math.Max(maxY, ys[id])
	}
	w, h := maxX-minX, maxY-minY
	// About two points a cell, and never a cell under a metre (points
	// stacked on one spot would otherwise make cells of nothing).
	cell := math.Sqrt(math.Max(w*h, 1) / (float64(len(ids)) / 2))
	cell = math.Max(cell, 1)
	b.minX, b.minY, b.cell = minX, minY, cell
	b.nx = int(w/cell) + 1
	b.ny = int(h/cell) + 1
	// A degenerate spread (all on a line) would make one long row of
	// cells; cap the count so memory stays proportional to the points.
	for b.nx*b.ny > 4*len(ids)+16 {
		b.cell *= 1.5
		b.nx = int(w/b.cell) + 1
		b.ny = int(h/b.cell) + 1
	}
	b.start = make([]int32, b.nx*b.ny+1)
	cellOf := make([]int32, len(ids))
	for i, id := range ids {
		c := b.cellAt(xs[id], ys[id])
		cellOf[i] = int32(c)
		b.start[c+1]++
	}
	for c := 1; c < len(b.start); c++ {
		b.start[c] += b.start[c-1]
	}
	b.ids = make([]int32, len(ids))
	fill := append([]int32(nil), b.start[:len(b.start)-1]...)
	for i, id := range ids {
		c := cellOf[i]
		b.ids[fill[c]] = id
		fill[c]++
	}
	return b
}

func (b *bucketIndex) cellXY(x, y float64) (int, int) {
	cx := int((x - b.minX) / b.cell)
	cy := int((y - b.minY) / b.cell)
	return min(max(cx, 0), b.nx-1), min(max(cy, 0), b.ny-1)
}

func (b *bucketIndex) cellAt(x, y float64) int {
	cx, cy := b.cellXY(x, y)
	return cy*b.nx + cx
}

// nearest appends to out the k points nearest (x, y), nearest first. It
// scans rings of cells around the query's cell and stops once the next
// ring cannot hold anything nearer than the k-th found: a point in ring r
// is at least (r-1) cells away, even for a query outside the box.
func (b *bucketIndex) nearest(x, y float64, k int, out []neighbor) []neighbor {
	if len(b.ids) == 0 || k <= 0 {
		return out
	}
	base := len(out)
	cx, cy := b.cellXY(x, y)
	maxR := max(cx, b.nx-1-cx, cy, b.ny-1-cy)
	for r := 0; r <= maxR; r++ {
		if n := len(out) - base; n == k {
			lim := float64(r-1) * b.cell
			if lim > 0 && out[len(out)-1].d2 <= lim*lim {
				break
			}
		}
		for yy := cy - r; yy <= cy+r; yy++ {
			if yy < 0 || yy >= b.ny {
				continue
			}
			step := 1
			if yy != cy-r && yy != cy+r {
				step = 2 * r // only the ring's two side cells
			}
			for xx := cx - r; xx <= cx+r; xx += max(step, 1) {
				if xx < 0 || xx >= b.nx {
					continue
				}
				c := yy*b.nx + xx
				for _, id := range b.ids[b.start[c]:b.start[c+1]] {
					dx, dy := b.xs[id]-x, b.ys[id]-y
					out = insertNeighbor(out, base, k, neighbor{id, dx*dx + dy*dy})
				}
			}
		}
	}
	return out
}

// insertNeighbor keeps out[base:] the k nearest seen, in order: k is a few
// dozen, where insertion into a sorted slice beats a heap.
func insertNeighbor(out []neighbor, base, k int, nb neighbor) []neighbor {
	n := len(out) - base
	if n == k {
		if nb.d2 >= out[len(out)-1].d2 {
			return out
		}
		out = out[:len(out)-1]
	}
	out = append(out, nb)
	i := len(out) - 1
	for i > base && (out[i-1].d2 > nb.d2 || out[i-1].d2 == nb.d2 && out[i-1].id > nb.id) {
		out[i] = out[i-1]
		i--
	}
	out[i] = nb
	return out
}
