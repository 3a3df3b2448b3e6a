package schedule

import (
	"reflect"
	"testing"
	"time"

	"kapok/data"
)

// routePlan: streets A and B; route RA (street A, walked by night)
// crosses A01, A02 and B01; route RD (street A, by day) crosses A02.
func routePlan() *Plan {
	return &Plan{
		Week:   week49,
		Shifts: data.DefaultShifts,
		Rules: data.PatrolRules{
			Required:     map[string]map[string]int{"residential": {"day": 1, "evening": 1, "night": 1}},
			MaxShifts:    6,
			MinRest:      8 * time.Hour,
			AllowLending: true,
		},
		Grids: []Grid{{Code: "A01", Street: "A", Kind: "residential"}, {Code: "A02", Street: "A", Kind: "residential"},
			{Code: "A03", Street: "A", Kind: "residential"}, {Code: "B01", Street: "B", Kind: "residential"}},
		Routes: []Route{{Code: "RA", Street: "A", Times: data.RouteByNight, Grids: []string{"A01", "A02", "B01"}},
			{Code: "RD", Street: "A", Times: data.RouteByDay, Grids: []string{"A02"}}},
		Units: []Unit{{Code: "u1", Street: "A", Grid: "A01"}, {Code: "u2", Street: "B", Grid: "B01"}},
	}
}

func TestCoverCountsARouteInEveryGridItCrosses(t *testing.T) {
	p := routePlan()
	evening := on(1, "evening")
	p.Assignments = []data.Assignment{
		{Unit: "u1", Route: "RA", Shift: evening},
		{Unit: "u2", Grid: "A02", Shift: evening}, // A02 twice: two patrols
		{Unit: "u1", Route: "RA", Shift: evening}, // made twice: once
		{Unit: "u2", Route: "R9", Shift: evening}, // unknown: nowhere
	}
	c := Cover(p)
	col := -1
	for i, s := range c.Shifts {
		if s == evening {
			col = i
		}
	}
	got := map[string]int{}
	for g, code := range c.Grids {
		got[code] = c.At(g, col).Planned
	}
	want := map[string]int{"A01": 1, "A02": 2, "A03": 0, "B01": 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("planned in the evening = %v, want %v", got, want)
	}
	if s := c.Summary(); s.Planned != 3 || s.Covered != 3 {
		t.Errorf("summary %+v: want 3 patrols that count (A02's second is over), 3 cells covered", s)
	}
}

func TestCheckRoutes(t *testing.T) {
	p := routePlan()
	p.Jurisdiction = "A"
	day, evening := on(2, "day"), on(2, "evening")
	p.Assignments = []data.Assignment{
		{Unit: "u1", Route: "RA", Shift: day},     // a night route by day
		{Unit: "u1", Grid: "A03", Shift: day},     // and a grid in the same shift
		{Unit: "u2", Route: "RA", Shift: evening}, // lent to street A; home outside A
		{Unit: "u1", Route: "R9", Shift: on(4, "night")},
	}
	got := Check(p)
	offShift := hard(RouteOffShift, "u1", "", day)
	offShift.Route = "RA"
	dbRoute := doubleBooked("u1", "", day)
	dbRoute.Route = "RA"
	unknown := hard(UnknownRoute, "u1", "", on(4, "night"))
	unknown.Route = "R9"
	outside := hard(OutsideJurisdiction, "u2", "", evening)
	outside.Route = "RA"
	lentRA := lent("u2", "", evening, false)
	lentRA.Route = "RA"
	want := []Conflict{
		dbRoute, doubleBooked("u1", "A03", day), offShift, // routes before grids: a route's grid is ""
		unknown,
		outside, lentRA,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check:%s\nwant:%s", listed(got), listed(want))
	}
	if want := naiveCheck(p); !reflect.DeepEqual(got, want) {
		t.Errorf("the naive check disagrees:%s", listed(want))
	}
}
