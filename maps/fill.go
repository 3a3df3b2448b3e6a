package maps

import (
	"math"
	"sort"
)

// fillIDs writes id into every pixel of a w×h id raster whose centre lies
// inside the polygon (even-odd over all its rings), and reports how many
// pixels it wrote. Rings are in raster pixel coordinates.
//
// Written by hand because no library rasterizes into an id buffer: the
// anti-aliasing rasterizers (x/image/vector) produce coverage, not ids. Pixel
// centre sampling gives every pixel to exactly one of two polygons sharing an
// edge, so a tiling of grids leaves no seams and no double cover.
func fillIDs(buf []uint32, w, h int, rings [][]float64, id uint32, xs *[]float64) int {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, r := range rings {
		for i := 1; i < len(r); i += 2 {
			ymin, ymax = math.Min(ymin, r[i]), math.Max(ymax, r[i])
		}
	}
	y0 := max(0, int(math.Ceil(ymin-0.5)))
	y1 := min(h-1, int(math.Ceil(ymax-0.5))-1)
	n := 0
	for y := y0; y <= y1; y++ {
		yc := float64(y) + 0.5
		cross := (*xs)[:0]
		for _, r := range rings {
			for i := 0; i+3 < len(r); i += 2 {
				ay, by := r[i+1], r[i+3]
				if (ay <= yc) == (by <= yc) {
					continue
				}
				ax, bx := r[i], r[i+2]
				cross = append(cross, ax+(yc-ay)*(bx-ax)/(by-ay))
			}
		}
		if len(cross) > 2 {
			sort.Float64s(cross)
		} else if len(cross) == 2 && cross[0] > cross[1] {
			cross[0], cross[1] = cross[1], cross[0]
		}
		row := buf[y*w : (y+1)*w]
		for k := 0; k+1 < len(cross); k += 2 {
			a := max(0, int(math.Ceil(cross[k]-0.5)))
			b := min(w, int(math.Ceil(cross[k+1]-0.5)))
			for x := a; x < b; x++ {
				row[x] = id
			}
			if b > a {
				n += b - a
			}
		}
		*xs = cross
	}
	return n
}
