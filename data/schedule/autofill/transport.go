package autofill

// transport is a min-cost bipartite transportation problem solved by
// successive shortest augmenting paths (the Hungarian method with
// capacities): left nodes are processed one copy at a time, each finding
// the cheapest augmenting path to a right node with spare capacity.
//
// Why by hand: the standard library has no flow algorithm, gonum's graph
// packages have max flow but no min-cost flow, and the few min-cost-flow
// modules are unmaintained or dense (O(n²) memory for 20,000 × 20,000).
// What this needs is narrow — a sparse bipartite graph, integer costs,
// unit capacity on one side — and the early-exit Dijkstra below makes
// the usual augmentation cost the size of the neighbourhood it touches,
// not of the graph.
//
// Correctness: with node potentials keeping every residual arc's reduced
// cost non-negative, each augmentation along a shortest path keeps the
// flow of least cost for its value (the left copies processed so far). A
// copy that finds no path stays unmatched; in bipartite matching it would
// find none later either, so the flow's value is the maximum. Its cost is
// least among flows that saturate the same left copies, which is the
// least among maximum flows when the smaller side is the left (every copy
// then saturates, the caller arranges that).
//
// Early exit: Dijkstra stops when it settles the sink at distance D; the
// potentials of settled nodes v then move by dist(v) − D and the others
// stay, which keeps reduced costs non-negative (each arc's case checks
// out: both settled, one settled, neither) and costs only the nodes the
// search touched.
type transport struct {
	nL, nR int
	capR   []int32 // right capacities
	usedR  []int32
	// Left adjacency, CSR: edges of left l are eHead[l]:eHead[l+1].
	eHead []int32
	eTo   []int32 // right node
	eFrom []int32 // left node
	eCost []int64
	eFlow []bool
	// Edges into each right node, CSR over the same edge ids.
	rHead []int32
	rEdge []int32

	pot []int64 // left 0..nL-1, right nL.., sink nL+nR

	// Search scratch, reset through the touched list.
	dist    []int64
	prev    []int32 // right: the forward edge; left: the reverse edge; sink: the right node
	state   []uint8 // 0 untouched, 1 in heap, 2 settled
	touched []int32
	heap    nodeHeap
}

// newTransport builds the problem from a left-side edge list in CSR form.
func newTransport(nL, nR int, capR []int32, eHead, eTo []int32, eCost []int64) *transport {
	t := &transport{nL: nL, nR: nR, capR: capR, usedR: make([]int32, nR),
		eHead: eHead, eTo: eTo, eCost: eCost, eFlow: make([]bool, len(eTo))}
	t.eFrom = make([]int32, len(eTo))
	for l := range nL {
		for e := eHead[l]; e < eHead[l+1]; e++ {
			t.eFrom[e] = int32(l)
		}
	}
	t.rHead = make([]int32, nR+1)
	for _, r := range eTo {
		t.rHead[r+1]++
	}
	for r := range nR {
		t.rHead[r+1] += t.rHead[r]
	}
	t.rEdge = make([]int32, len(eTo))
	fill := append([]int32(nil), t.rHead[:nR]...)
	for e, r := range eTo {
		t.rEdge[fill[r]] = int32(e)
		fill[r]++
	}
	n := nL + nR + 1
	t.pot = make([]int64, n)
	t.dist = make([]int64, n)
	t.prev = make([]int32, n)
	t.state = make([]uint8, n)
	return t
}

// augment sends one unit from left l0 along a cheapest path to a right
// node with spare capacity; false when there is none.
func (t *transport) augment(l0 int) bool {
	sink := int32(t.nL + t.nR)
	nL := int32(t.nL)
	t.reach(int32(l0), 0, -1)
	found := false
	var D int64
	for t.heap.Len() > 0 {
		d, v := t.heap.pop()
		if t.state[v] == 2 || d > t.dist[v] {
			continue
		}
		t.state[v] = 2
		if v == sink {
			found, D = true, d
			break
		}
		if v < nL {
			pv := t.pot[v]
			for e := t.eHead[v]; e < t.eHead[v+1]; e++ {
				if t.eFlow[e] {
					continue
				}
				r := nL + t.eTo[e]
				t.reach(r, d+t.eCost[e]+pv-t.pot[r], e)
			}
			continue
		}
		r := v - nL
		pv := t.pot[v]
		if t.usedR[r] < t.capR[r] {
			t.reach(sink, d+pv-t.pot[sink], r)
		}
		for i := t.rHead[r]; i < t.rHead[r+1]; i++ {
			e := t.rEdge[i]
			if !t.eFlow[e] {
				continue
			}
			l := t.eFrom[e]
			t.reach(l, d-t.eCost[e]+pv-t.pot[l], e)
		}
	}
	if found {
		r := t.prev[sink]
		t.usedR[r]++
		for {
			e := t.prev[nL+r]
			t.eFlow[e] = true
			l := t.eFrom[e]
			if l == int32(l0) {
				break
			}
			back := t.prev[l]
			t.eFlow[back] = false
			r = t.eTo[back]
		}
		for _, v := range t.touched {
			if t.state[v] == 2 && t.dist[v] < D {
				t.pot[v] -= D - t.dist[v]
			}
		}
	}
	for _, v := range t.touched {
		t.state[v] = 0
	}
	t.touched = t.touched[:0]
	t.heap.reset()
	return found
}

// reach offers node v the distance d through prev.
func (t *transport) reach(v int32, d int64, prev int32) {
	switch t.state[v] {
	case 2:
		return
	case 1:
		if d >= t.dist[v] {
			return
		}
	default:
		t.state[v] = 1
		t.touched = append(t.touched, v)
	}
	t.dist[v] = d
	t.prev[v] = prev
	t.heap.push(d, v)
}

// nodeHeap is a binary min-heap of (distance, node) with lazy deletion.
type nodeHeap struct {
	d []int64
	v []int32
}

func (h *nodeHeap) Len() int { return len(h.d) }
func (h *nodeHeap) reset()   { h.d, h.v = h.d[:0], h.v[:0] }

func (h *nodeHeap) push(d int64, v int32) {
	h.d = append(h.d, d)
	h.v = append(h.v, v)
	i := len(h.d) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.d[p] <= d {
			break
		}
		h.d[i], h.v[i] = h.d[p], h.v[p]
		i = p
	}
	h.d[i], h.v[i] = d, v
}

func (h *nodeHeap) pop() (int64, int32) {
	d, v := h.d[0], h.v[0]
	n := len(h.d) - 1
	ld, lv := h.d[n], h.v[n]
	h.d, h.v = h.d[:n], h.v[:n]
	if n > 0 {
		i := 0
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if c+1 < n && h.d[c+1] < h.d[c] {
				c++
			}
			if h.d[c] >= ld {
				break
			}
			h.d[i], h.v[i] = h.d[c], h.v[c]
			i = c
		}
		h.d[i], h.v[i] = ld, lv
	}
	return d, v
}
