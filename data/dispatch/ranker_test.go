package dispatch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"kapok/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// The small city of the table tests: the case lies in grid gCase, in
// community cCase, street sCase, district dCase.
const (
	dCase      = "440101"
	sCase      = dCase + "001"
	cCase      = sCase + "001"
	gCase      = cCase + "001"
	gCommunity = cCase + "002"            // another grid of the case's community
	gStreet    = sCase + "002" + "001"    // a grid of another community of the street
	gDistrict  = dCase + "002" + "001001" // a grid of another street of the district
	gElsewhere = "440102" + "001001001"   // a grid of another district
)

// origin is where the cases are.
var origin = orb.Point{113.30, 23.12}

// at is the point dx metres east and dy metres north of origin.
func at(dx, dy float64) orb.Point {
	const mPerDeg = math.Pi * orb.EarthRadius / 180
	return orb.Point{origin[0] + dx/(mPerDeg*math.Cos(origin[1]*math.Pi/180)), origin[1] + dy/mPerDeg}
}

// unit is an available unit in grid g at (dx, dy) metres from origin.
func unit(code, g string, dx, dy float64, caps ...string) data.Unit {
	return data.Unit{Code: code, Name: code, GridCode: g, Location: at(dx, dy), Capabilities: caps, Status: data.UnitAvailable}
}

func with(u data.Unit, s data.UnitStatus) data.Unit { u.Status = s; return u }

var theCase = data.Event{Code: "E1", GridCode: gCase, Location: origin}

var (
	fire  = data.MatterType{Code: "FIRE", Capabilities: []string{"fire_fighting"}}
	flood = data.MatterType{Code: "FLOOD", Capabilities: []string{"flood_control", "evacuation"}}
	plain = data.MatterType{Code: "PLAIN"}
)

func TestRanking(t *testing.T) {
	tests := []struct {
		name   string
		units  []data.Unit
		loads  map[string]int
		matter data.MatterType
		n      int
		want   []string
	}{
		{name: "tiers: grid, community, street, district, elsewhere, all 400 m away",
			units: []data.Unit{unit("U5", gElsewhere, -400, 0), unit("U4", gDistrict, 0, -400), unit("U3", gStreet, 0, 400),
				unit("U2", gCommunity, 400, 0), unit("U1", gCase, 283, 283)},
			matter: plain, n: 5, want: []string{"U1", "U2", "U3", "U4", "U5"}},
		{name: "distance within a tier",
			units:  []data.Unit{unit("A", gCommunity, 300, 0), unit("B", gCommunity, 0, 100), unit("C", gCommunity, -200, 0)},
			matter: plain, n: 3, want: []string{"B", "C", "A"}},
		{name: "the community's unit up to 500 m further than the street's (900 m: 1,400 < 1,600)",
			units:  []data.Unit{unit("STREET", gStreet, 100, 0), unit("COMM", gCommunity, 900, 0)},
			matter: plain, n: 2, want: []string{"COMM", "STREET"}},
		{name: "but not 1,200 m (1,700 > 1,600)",
			units:  []data.Unit{unit("STREET", gStreet, 100, 0), unit("COMM", gCommunity, 1200, 0)},
			matter: plain, n: 2, want: []string{"STREET", "COMM"}},
		{name: "a district line costs more than the district's far corner is away",
			units:  []data.Unit{unit("NEAR", gElsewhere, 500, 0), unit("FAR", gDistrict, 5000, 0)},
			matter: plain, n: 2, want: []string{"FAR", "NEAR"}},
		{name: "a further unit of a better tier displaces a nearer one found before it",
			// Met in this order: G1 100, G2 200, C 800 (cost 1,300), G3 1,100 (cost 1,100).
			units: []data.Unit{unit("C", gCommunity, 800, 0), unit("G1", gCase, 100, 0), unit("G2", gCase, 0, 200),
				unit("G3", gCase, -1100, 0), unit("G4", gCase, 0, -1400)},
			matter: plain, n: 3, want: []string{"G1", "G2", "G3"}},
		{name: "capable first: the next community's fire unit before the grid's own without",
			units:  []data.Unit{unit("OWN", gCase, 100, 0, "first_aid"), unit("FIRE", gStreet, 2000, 0, "fire_fighting")},
			matter: fire, n: 2, want: []string{"FIRE", "OWN"}},
		{name: "both capabilities before one before none",
			units: []data.Unit{unit("NONE", gCase, 10, 0), unit("ONE", gCase, 20, 0, "evacuation"),
				unit("BOTH", gCase, 30, 0, "evacuation", "flood_control")},
			matter: flood, n: 3, want: []string{"BOTH", "ONE", "NONE"}},
		{name: "a matter naming no capability: distance only",
			units:  []data.Unit{unit("FIRE", gCase, 200, 0, "fire_fighting"), unit("PLAIN", gCase, 100, 0)},
			matter: plain, n: 2, want: []string{"PLAIN", "FIRE"}},
		{name: "load breaks a tie",
			units: []data.Unit{unit("A", gCase, 100, 0), unit("B", gCase, 100, 0), unit("C", gCase, 100, 0)},
			loads: map[string]int{"A": 2, "C": 1}, matter: plain, n: 3, want: []string{"B", "C", "A"}},
		{name: "a case on hand counts as a kilometre",
			units: []data.Unit{unit("BUSY", gCase, 100, 0), unit("FREE", gCase, 1000, 0)},
			loads: map[string]int{"BUSY": 1}, matter: plain, n: 2, want: []string{"FREE", "BUSY"}},
		{name: "equal cost: by code",
			units:  []data.Unit{unit("U3", gCase, 0, 100), unit("U1", gCase, 0, 100), unit("U2", gCase, 0, 100)},
			matter: plain, n: 3, want: []string{"U1", "U2", "U3"}},
		{name: "only available units",
			units: []data.Unit{with(unit("D", gCase, 10, 0), data.UnitDispatched), with(unit("B", gCase, 20, 0), data.UnitBusy),
				with(unit("O", gCase, 30, 0), data.UnitOffline), with(unit("X", gCase, 35, 0), "unknown"), unit("A", gDistrict, 9000, 0)},
			matter: plain, n: 5, want: []string{"A"}},
		{name: "a unit with no location is never proposed",
			units:  []data.Unit{{Code: "NOWHERE", GridCode: gCase, Status: data.UnitAvailable}, unit("A", gStreet, 900, 0)},
			matter: plain, n: 5, want: []string{"A"}},
		{name: "n beyond the candidates: all of them",
			units:  []data.Unit{unit("A", gCase, 10, 0), unit("B", gStreet, 10, 0), with(unit("C", gCase, 5, 0), data.UnitBusy)},
			matter: plain, n: 50, want: []string{"A", "B"}},
		{name: "n = 1", units: []data.Unit{unit("A", gCase, 10, 0), unit("B", gCase, 20, 0)}, matter: plain, n: 1, want: []string{"A"}},
		{name: "n = 0", units: []data.Unit{unit("A", gCase, 10, 0)}, matter: plain, n: 0, want: []string{}},
		{name: "n < 0", units: []data.Unit{unit("A", gCase, 10, 0)}, matter: plain, n: -1, want: []string{}},
		{name: "no unit", matter: plain, n: 3, want: []string{}},
		{name: "no unit available", units: []data.Unit{with(unit("A", gCase, 10, 0), data.UnitOffline)}, matter: plain, n: 3, want: []string{}},
		{name: "duplicate codes: the first kept",
			units:  []data.Unit{unit("A", gCase, 500, 0), unit("A", gCase, 10, 0), unit("B", gCase, 100, 0)},
			matter: plain, n: 3, want: []string{"B", "A"}},
		{name: "the package comment's example",
			units: []data.Unit{unit("A", gCase, 320, 0), unit("B", gCommunity, 0, 650, "fire_fighting"),
				unit("C", gStreet, -900, 0, "fire_fighting"), unit("D", gElsewhere, 0, -700, "fire_fighting")},
			loads: map[string]int{"B": 1}, matter: fire, n: 4, want: []string{"B", "C", "A", "D"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRanker(tc.units, tc.loads)
			if got := codes(r.Recommend(theCase, tc.matter, tc.n)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReasons(t *testing.T) {
	units := []data.Unit{
		unit("G", gCase, 300, 0, "evacuation", "first_aid"),
		unit("C", gCommunity, 0, 400, "flood_control", "evacuation"),
		unit("S", gStreet, 600, 0),
		unit("D", gDistrict, 0, -800, "flood_control"),
		unit("E", gElsewhere, -900, 0, "evacuation", "flood_control", "hazmat"),
	}
	r := NewRanker(units, map[string]int{"S": 3, "E": -2})
	recs := r.Recommend(theCase, data.MatterType{Code: "M", Capabilities: []string{"flood_control", "evacuation", "flood_control"}}, 5)
	type reason struct {
		code      string
		tier      data.Level
		same      bool
		d         float64
		has, lack []string
		load      int
	}
	want := map[string]reason{
		"G": {"G", TierGrid, true, 300, []string{"evacuation"}, []string{"flood_control"}, 0},
		"C": {"C", data.LevelCommunity, false, 400, []string{"flood_control", "evacuation"}, nil, 0},
		"S": {"S", data.LevelStreet, false, 600, nil, []string{"flood_control", "evacuation"}, 3},
		"D": {"D", data.LevelDistrict, false, 800, []string{"flood_control"}, []string{"evacuation"}, 0},
		"E": {"E", data.LevelCity, false, 900, []string{"flood_control", "evacuation"}, nil, 0},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d recommendations, want %d", len(recs), len(want))
	}
	for _, rec := range recs {
		w := want[rec.Unit.Code]
		if rec.Tier != w.tier || rec.SameGrid != w.same || !slices.Equal(rec.Has, w.has) || !slices.Equal(rec.Lacks, w.lack) || rec.Load != w.load {
			t.Errorf("%s: tier %v same grid %v has %v lacks %v load %d; want tier %v same grid %v has %v lacks %v load %d",
				rec.Unit.Code, rec.Tier, rec.SameGrid, rec.Has, rec.Lacks, rec.Load, w.tier, w.same, w.has, w.lack, w.load)
		}
		// Within 0.1 % of both the intended offset and the great circle.
		gc := geo.Distance(origin, rec.Unit.Location)
		if math.Abs(rec.DistanceM-w.d) > w.d*0.001 || math.Abs(rec.DistanceM-gc) > gc*0.001 {
			t.Errorf("%s: %.1f m, want %.0f m (great circle %.1f m)", rec.Unit.Code, rec.DistanceM, w.d, gc)
		}
		if rec.Unit.Status != data.UnitAvailable || rec.Unit.GridCode == "" || rec.Unit.Name != rec.Unit.Code {
			t.Errorf("%s: the unit is not given whole: %+v", rec.Unit.Code, rec.Unit)
		}
	}
}

// A case with no capable unit anywhere still gets the best available, with
// what they lack.
func TestNoCapableUnit(t *testing.T) {
	r := NewRanker([]data.Unit{unit("FAR", gStreet, 3000, 0, "first_aid"), unit("NEAR", gCase, 100, 0, "mediation"),
		with(unit("GONE", gCase, 50, 0, "hazmat"), data.UnitBusy)}, nil)
	recs := r.Recommend(theCase, data.MatterType{Code: "CHEM", Capabilities: []string{"hazmat"}}, 3)
	if got := codes(recs); !slices.Equal(got, []string{"NEAR", "FAR"}) {
		t.Fatalf("got %v, want [NEAR FAR]", got)
	}
	for _, rec := range recs {
		if len(rec.Has) != 0 || !slices.Equal(rec.Lacks, []string{"hazmat"}) {
			t.Errorf("%s: has %v lacks %v, want lacks [hazmat]", rec.Unit.Code, rec.Has, rec.Lacks)
		}
	}
	// A capability no unit of the city has at all.
	recs = r.Recommend(theCase, data.MatterType{Code: "X", Capabilities: []string{"levitation"}}, 1)
	if len(recs) != 1 || recs[0].Unit.Code != "NEAR" || !slices.Equal(recs[0].Lacks, []string{"levitation"}) {
		t.Errorf("got %+v, want NEAR lacking levitation", recs)
	}
}

// Statuses and loads change in place; a unit dispatched drops out and
// comes back when freed.
func TestUpdates(t *testing.T) {
	r := NewRanker([]data.Unit{unit("A", gCase, 100, 0), unit("B", gCase, 200, 0), unit("C", gCommunity, 300, 0)}, nil)
	step := func(what string, want ...string) {
		t.Helper()
		if got := codes(r.Recommend(theCase, plain, 3)); !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", what, got, want)
		}
	}
	step("at first", "A", "B", "C")
	r.SetStatus("A", data.UnitDispatched)
	step("A dispatched", "B", "C")
	r.SetStatus("B", data.UnitBusy)
	r.SetStatus("C", data.UnitOffline)
	step("none available")
	r.SetStatus("A", data.UnitAvailable)
	r.SetStatus("B", data.UnitAvailable)
	r.SetStatus("C", data.UnitAvailable)
	step("all freed", "A", "B", "C")
	r.SetLoad("A", 1)
	step("A on a case (1,100 m against C's 800 m)", "B", "C", "A")
	r.SetLoad("A", 0)
	step("A's case closed", "A", "B", "C")
	if r.SetStatus("NOPE", data.UnitBusy) || r.SetLoad("NOPE", 1) {
		t.Error("an unknown unit was accepted")
	}
}

// The same units in plain order, asked plain number of times, give the same
// answer.
func TestDeterministic(t *testing.T) {
	var units []data.Unit
	rng := rand.New(rand.NewPCG(5, 5))
	grids := []string{gCase, gCommunity, gStreet, gDistrict, gElsewhere}
	for i := range 200 {
		// Many on a lattice: ties in distance everywhere.
		u := unit(fmt.Sprintf("U%03d", i), grids[rng.IntN(len(grids))], float64(rng.IntN(5)*100), float64(rng.IntN(5)*100))
		if rng.IntN(2) == 0 {
			u.Capabilities = []string{"fire_fighting"}
		}
		units = append(units, u)
	}
	want := NewRanker(units, nil).Recommend(theCase, fire, 30)
	for k := range 20 {
		rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
		r := NewRanker(units, nil)
		for range 3 {
			if got := r.Recommend(theCase, fire, 30); !sameRecs(got, want) {
				t.Fatalf("shuffle %d: got %v, want %v", k, codes(got), codes(want))
			}
		}
	}
}

// A case without a location is placed among its grid's units, else its
// community's, street's or district's.
func TestNoLocation(t *testing.T) {
	units := []data.Unit{
		unit("G1", gCase, 1000, 0), with(unit("G2", gCase, 1200, 0), data.UnitBusy), // the grid's centre: 1,100 m east
		unit("C", gCommunity, 1100, 300),
		unit("S", gStreet, 1100, -2000),
	}
	r := NewRanker(units, nil)
	c := theCase
	c.Location = orb.Point{}
	recs := r.Recommend(c, plain, 3)
	if got := codes(recs); !slices.Equal(got, []string{"G1", "C", "S"}) {
		t.Fatalf("got %v, want [G1 C S]", got)
	}
	for i, want := range []float64{100, 300, 2000} {
		if math.Abs(recs[i].DistanceM-want) > 1 {
			t.Errorf("%s: %.1f m from the grid's centre, want %.0f", recs[i].Unit.Code, recs[i].DistanceM, want)
		}
	}
	// A grid with no unit: placed among its community's units, at
	// (1,100, 100).
	c.GridCode = cCase + "009"
	if recs := r.Recommend(c, plain, 1); len(recs) != 1 || recs[0].Unit.Code != "G1" || math.Abs(recs[0].DistanceM-math.Sqrt2*100) > 1 {
		t.Errorf("grid without units: got %v, want G1 141 m away", recs)
	}
	// NaN is no location either.
	c = theCase
	c.Location = orb.Point{math.NaN(), 23}
	if got := codes(r.Recommend(c, plain, 1)); !slices.Equal(got, []string{"G1"}) {
		t.Errorf("NaN location: got %v, want [G1]", got)
	}
	// Nothing to place it by.
	for _, g := range []string{"", "440199001001001", "44"} {
		c := data.Event{GridCode: g}
		if recs := r.Recommend(c, plain, 3); len(recs) != 0 {
			t.Errorf("grid %q, no location: got %v, want none", g, codes(recs))
		}
	}
}

func TestRecommendWithin(t *testing.T) {
	r := NewRanker([]data.Unit{unit("G", gCase, 100, 0), unit("C", gCommunity, 50, 0), unit("S", gStreet, 10, 0),
		unit("D", gDistrict, 10, 10), unit("E", gElsewhere, 0, 10)}, nil)
	for _, tc := range []struct {
		region string
		want   []string
	}{
		{"", []string{"G", "C", "S", "D", "E"}},
		{dCase, []string{"G", "C", "S", "D"}},
		{sCase, []string{"G", "C", "S"}},
		{cCase, []string{"G", "C"}},
		{gCase, []string{"G"}},
		{"440102", []string{"E"}},
		{"440199", []string{}},
	} {
		if got := codes(r.RecommendWithin(theCase, plain, 10, tc.region)); !slices.Equal(got, tc.want) {
			t.Errorf("within %q: got %v, want %v", tc.region, got, tc.want)
		}
	}
}

// What a recommendation gives is the caller's: changing it changes nothing
// in the ranker, and changing the input after NewRanker neither.
func TestCopies(t *testing.T) {
	units := []data.Unit{unit("A", gCase, 100, 0, "fire_fighting")}
	r := NewRanker(units, nil)
	units[0].Capabilities[0] = "nothing"
	recs := r.Recommend(theCase, fire, 1)
	if len(recs) != 1 || !slices.Equal(recs[0].Has, []string{"fire_fighting"}) {
		t.Fatalf("after the input changed: %+v", recs)
	}
	recs[0].Unit.Capabilities[0] = "nothing"
	if recs := r.Recommend(theCase, fire, 1); !slices.Equal(recs[0].Unit.Capabilities, []string{"fire_fighting"}) {
		t.Errorf("after a recommendation changed: %v", recs[0].Unit.Capabilities)
	}
}

// Recommendations while statuses and loads change (go test -race).
func TestConcurrent(t *testing.T) {
	sc := newSynthCity(9)
	r := NewRanker(sc.units[:3000], sc.loads)
	cases := sc.cases(9, 200)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				if w == 0 {
					u := sc.units[i].Code
					r.SetStatus(u, data.UnitStatuses[i%len(data.UnitStatuses)])
					r.SetLoad(u, i%3)
					continue
				}
				recs := r.Recommend(cases[i], benchMatters[i%len(benchMatters)], 5)
				for _, rec := range recs {
					if rec.Unit.Status != data.UnitAvailable {
						t.Errorf("recommended a unit %s", rec.Unit.Status)
					}
				}
			}
		})
	}
	wg.Wait()
}

// The synthetic city has the demo's shape: its counts, its code structure,
// each unit inside its own grid's box.
func TestSyntheticCity(t *testing.T) {
	sc := newSynthCity(1)
	districts, streets, communities := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, g := range sc.grids {
		if !data.IsGridCode(g.code) {
			t.Fatalf("grid code %q", g.code)
		}
		districts[g.code[:6]], streets[g.code[:9]], communities[g.code[:12]] = true, true, true
	}
	if len(districts) != cityDistricts || len(streets) != cityStreets || len(communities) != cityCommunities ||
		len(sc.grids) != cityGrids || len(sc.units) != cityUnits {
		t.Errorf("%d districts, %d streets, %d communities, %d grids, %d units", len(districts), len(streets), len(communities), len(sc.grids), len(sc.units))
	}
	boxes := map[string]orb.Bound{}
	for _, g := range sc.grids {
		boxes[g.code] = g.box
	}
	for _, u := range sc.units {
		if p := unwarp(u.Location); u.Code[1:16] != u.GridCode || !boxes[u.GridCode].Pad(1e-9).Contains(p) {
			t.Fatalf("unit %s at %v, grid %s %v", u.Code, p, u.GridCode, boxes[u.GridCode])
		}
	}
}

// unwarp undoes warp.
func unwarp(ll orb.Point) orb.Point {
	x, y := (ll[0]-113.50)/0.55, (ll[1]-23.25)/0.70
	if r := math.Hypot(x, y); r > 0 {
		s := math.Pow(r/math.Sqrt2, 1/1.7) * math.Sqrt2 / r
		x, y = x*s, y*s
	}
	return orb.Point{(x + 1) / 2, (y + 1) / 2}
}
