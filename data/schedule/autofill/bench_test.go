package autofill

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"kapok/data"
	"kapok/data/schedule"
)

// synthConfig shapes a synthetic district or city.
type synthConfig struct {
	seed                  uint64
	grids, units, streets int
	km                    float64 // side of the square it covers; 10 when 0
	unavailable           float64 // share of unit-shifts unavailable
	// routes: 3 patrol routes per 100 grids of a street (one walked by
	// day, one by night, one all day), as the demo city has per street.
	routes bool
}

// synthPlan is a deterministic synthetic plan for the default week and
// rules: streets tile a square (a jittered grid of blocks), grids lie in
// their street with the city's mix of kinds (residential 66%, village
// 12%, commercial 11%, industrial 6%, special 5%; one in twenty high
// risk), and each unit lives near a grid of its street, its home grid.
func synthPlan(cfg synthConfig) *schedule.Plan {
	rng := rand.New(rand.NewPCG(cfg.seed, 2026))
	km := cfg.km
	if km == 0 {
		km = 10
	}
	// Streets: a cols × rows grid of blocks with jittered cut lines.
	cols := int(math.Ceil(math.Sqrt(float64(cfg.streets))))
	rows := (cfg.streets + cols - 1) / cols
	cuts := func(n int) []float64 {
		out := []float64{0}
		for i := 1; i < n; i++ {
			out = append(out, (float64(i)+(rng.Float64()-0.5)*0.5)/float64(n))
		}
		return append(out, 1)
	}
	xc, yc := cuts(cols), cuts(rows)
	type block struct {
		code         string
		x0, y0, w, h float64
	}
	var blocks []block
	for i := range cfg.streets {
		cx, cy := i%cols, i/cols
		x0, y0 := xc[cx], yc[cy]
		w, h := xc[cx+1]-x0, yc[cy+1]-y0
		if cy == rows-1 && i == cfg.streets-1 { // the last row's last block takes the row's rest
			w = 1 - x0
		}
		blocks = append(blocks, block{fmt.Sprintf("440103%03d", i+1), x0, y0, w, h})
	}
	// Metres in the square to lon/lat around Guangzhou.
	lat0 := 23.12
	toLL := func(x, y float64) orb.Point {
		return orb.Point{113.26 + x*km*1000/(orb.EarthRadius*math.Pi/180*math.Cos(lat0*math.Pi/180)),
			lat0 + y*km*1000/(orb.EarthRadius*math.Pi/180)}
	}
	kinds := []string{"residential", "village", "commercial", "industrial", "special"}
	mix := []float64{0.66, 0.12, 0.11, 0.06, 0.05}
	kind := func() string {
		x := rng.Float64()
		for i, m := range mix {
			if x < m {
				return kinds[i]
			}
			x -= m
		}
		return kinds[0]
	}
	p := &schedule.Plan{Week: testWeek, Shifts: data.DefaultShifts, Rules: data.DefaultPatrolRules()}
	// Grids shared among streets by area.
	byStreet := make([][]int, len(blocks))
	cum := make([]float64, len(blocks))
	sum := 0.0
	for i, bl := range blocks {
		sum += bl.w * bl.h
		cum[i] = sum
	}
	for range cfg.grids {
		b, _ := slices.BinarySearch(cum, rng.Float64()*sum)
		b = min(b, len(blocks)-1)
		bl := blocks[b]
		code := fmt.Sprintf("%s%06d", bl.code, len(byStreet[b])+1)
		byStreet[b] = append(byStreet[b], len(p.Grids))
		p.Grids = append(p.Grids, schedule.Grid{Code: code, Street: bl.code, Kind: kind(), HighRisk: rng.IntN(20) == 0,
			At: toLL(bl.x0+rng.Float64()*bl.w, bl.y0+rng.Float64()*bl.h)})
	}
	shifts := data.WeekShifts(p.Week, p.Shifts)
	for i := range cfg.units {
		g := p.Grids[rng.IntN(len(p.Grids))]
		// Near its home grid: within about half a grid's spacing.
		spread := km * 1000 / math.Sqrt(float64(cfg.grids)) / 2
		at := orb.Point{g.At[0] + (rng.Float64()-0.5)*spread/(orb.EarthRadius*math.Pi/180*math.Cos(lat0*math.Pi/180)),
			g.At[1] + (rng.Float64()-0.5)*spread/(orb.EarthRadius*math.Pi/180)}
		u := schedule.Unit{Code: fmt.Sprintf("U%s%d", g.Code, i), Street: g.Street, Grid: g.Code, At: at}
		if cfg.unavailable > 0 {
			u.Unavailable = map[string]bool{}
			for _, s := range shifts {
				if rng.Float64() < cfg.unavailable {
					u.Unavailable[s.String()] = true
				}
			}
		}
		p.Units = append(p.Units, u)
	}
	if cfg.routes {
		addSynthRoutes(rng, p)
	}
	return p
}

// addSynthRoutes gives each street of the plan 3 routes per 100 of its
// grids (rounded up), by day, by night and all day in turn, each a loop
// around a random grid of the street through the 20 of its grids nearest
// that one (all of them in a smaller street), starting at the loop's
// farthest grid.
func addSynthRoutes(rng *rand.Rand, p *schedule.Plan) {
	var streets []string
	byStreet := map[string][]int{}
	for i, g := range p.Grids {
		if _, ok := byStreet[g.Street]; !ok {
			streets = append(streets, g.Street)
		}
		byStreet[g.Street] = append(byStreet[g.Street], i)
	}
	times := []string{data.RouteByDay, data.RouteByNight, data.RouteAllDay}
	for _, st := range streets {
		gs := byStreet[st]
		n := 3 * ((len(gs) + 99) / 100)
		for i := range n {
			centre := p.Grids[gs[rng.IntN(len(gs))]].At
			near := slices.Clone(gs)
			slices.SortFunc(near, func(a, b int) int {
				return cmp.Compare(geo.Distance(centre, p.Grids[a].At), geo.Distance(centre, p.Grids[b].At))
			})
			near = near[:min(20, len(near))]
			codes := make([]string, len(near))
			for j, g := range near {
				codes[j] = p.Grids[g].Code
			}
			slices.Sort(codes)
			p.Routes = append(p.Routes, schedule.Route{Code: fmt.Sprintf("%sR%02d", st, i+1), Street: st,
				Times: times[i%3], Grids: codes, At: p.Grids[near[len(near)-1]].At})
		}
	}
}

var (
	districtConfig = synthConfig{seed: 1, grids: 2000, units: 2000, streets: 10, km: 12, unavailable: 0.05}
	// The whole city: the demo Guangzhou's grids and units, in 50 streets.
	cityConfig = synthConfig{seed: 2, grids: 20031, units: 21590, streets: 50, km: 60, unavailable: 0.05}
)

// required is the plan's total required patrols in the week.
func required(p *schedule.Plan) int {
	n := 0
	for _, s := range data.WeekShifts(p.Week, p.Shifts) {
		for _, g := range p.Grids {
			n += p.Rules.RequiredPatrols(g.Kind, s.Name, g.HighRisk)
		}
	}
	return n
}

func benchFill(b *testing.B, cfg synthConfig) {
	p := synthPlan(cfg)
	var r Result
	b.ResetTimer()
	for b.Loop() {
		var err error
		if r, err = Fill(context.Background(), p, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cov := schedule.Cover(withNew(p, r))
	sum := cov.Summary()
	b.ReportMetric(100*float64(sum.Planned)/float64(sum.Required), "coverage%")
	lo, hi := dayCoverage(cov)
	b.ReportMetric(100*lo, "worstday%")
	b.ReportMetric(100*hi, "bestday%")
	b.ReportMetric(r.Travel/float64(max(len(r.Assignments), 1)), "m/assignment")
	b.ReportMetric(float64(lentCount(r)), "lent")
	walks := 0
	for _, a := range r.Assignments {
		if a.Route != "" {
			walks++
		}
	}
	b.ReportMetric(float64(walks), "walks")
}

// dayCoverage is the least and the most share of a day's required patrols
// planned, over the week's days.
func dayCoverage(cov schedule.Coverage) (lo, hi float64) {
	perDay := len(cov.Shifts) / 7
	lo = 1
	for d := range 7 {
		req, planned := 0, 0
		for g := range cov.Grids {
			for c := d * perDay; c < (d+1)*perDay; c++ {
				cell := cov.At(g, c)
				req += cell.Required
				planned += min(cell.Planned, cell.Required)
			}
		}
		if req > 0 {
			lo = min(lo, float64(planned)/float64(req))
			hi = max(hi, float64(planned)/float64(req))
		}
	}
	return lo, hi
}

func benchGreedy(b *testing.B, cfg synthConfig) {
	p := synthPlan(cfg)
	req := required(p)
	var as []data.Assignment
	var travel float64
	b.ResetTimer()
	for b.Loop() {
		as, travel = greedyNearest(p)
	}
	b.ReportMetric(100*float64(len(as))/float64(req), "coverage%")
	b.ReportMetric(travel/float64(max(len(as), 1)), "m/assignment")
}

// The district: ~2,000 grids and units, 21 shifts, default rules
// (target 2 s).
func BenchmarkFillDistrict(b *testing.B)   { benchFill(b, districtConfig) }
func BenchmarkGreedyDistrict(b *testing.B) { benchGreedy(b, districtConfig) }

// The whole city: 20,031 grids, 21,590 units, 50 streets (target 20 s).
func BenchmarkFillCity(b *testing.B)   { benchFill(b, cityConfig) }
func BenchmarkGreedyCity(b *testing.B) { benchGreedy(b, cityConfig) }

// The same with patrol routes, 3 per 100 grids of a street (60 in the
// district, 600 in the city), each crossing 20 grids; the same targets.
func BenchmarkFillDistrictRoutes(b *testing.B) { benchFill(b, withRoutes(districtConfig)) }
func BenchmarkFillCityRoutes(b *testing.B)     { benchFill(b, withRoutes(cityConfig)) }

func withRoutes(cfg synthConfig) synthConfig {
	cfg.routes = true
	return cfg
}

// greedyNearest is the anchor to compare with: shift by shift in time
// order, the (grid, unit) pairs of each shift (every grid's 32 nearest
// units that may take the shift, own street first) taken nearest first
// while the grid misses patrols and the unit is free — the obvious
// roster, with the same rules and no look back.
func greedyNearest(p *schedule.Plan) ([]data.Assignment, float64) {
	s := newSolver(context.Background(), p)
	var out []data.Assignment
	var travel float64
	type pair struct {
		g, u int32
		cost int64
	}
	for c := range s.S {
		for range 3 {
			var grids, units []int32
			for g := range s.gRow {
				if s.gIn[g] && s.need[g*s.S+c] > 0 {
					grids = append(grids, int32(g))
				}
			}
			for u := range s.uRow {
				if s.canTake(u, c) {
					units = append(units, int32(u))
				}
			}
			if len(grids) == 0 || len(units) == 0 {
				break
			}
			var ps []pair
			for _, pr := range s.nearPairs(grids, units) {
				ps = append(ps, pair{pr[0], pr[1], s.cost(int(pr[1]), int(pr[0]))})
			}
			slices.SortFunc(ps, func(a, b pair) int {
				if a.cost != b.cost {
					if a.cost < b.cost {
						return -1
					}
					return 1
				}
				return int(a.g-b.g)*1<<20 + int(a.u-b.u)
			})
			made := 0
			for _, pr := range ps {
				if s.need[int(pr.g)*s.S+c] > 0 && s.canTake(int(pr.u), c) {
					s.assign(int(pr.u), int(pr.g), c)
					made++
					pu, pg := p.Units[s.uRow[pr.u]], p.Grids[s.gRow[pr.g]]
					out = append(out, data.Assignment{Unit: pu.Code, Grid: pg.Code, Shift: s.shifts[c], Lent: pu.Street != pg.Street})
					travel += geo.Distance(pu.At, pg.At)
				}
			}
			if made == 0 {
				break
			}
		}
	}
	return out, travel
}
