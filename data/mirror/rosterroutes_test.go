package mirror_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/data/schedule"
	"kapok/internal/fixture"
)

// The grids a route crosses are those it runs through for MinRouteInGrid
// metres or more: compared with the length measured by walking the line in
// one-metre steps, for every route of the fixture city.
func TestPatrolRoutesCrossTheGridsTheyRunThrough(t *testing.T) {
	m := fixture.City(t)
	routes, err := m.PatrolRoutes(ctx, "99")
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, m, `SELECT count(*) FROM patrol_routes`); len(routes) != int(n) || n == 0 {
		t.Fatalf("%d routes read of %d", len(routes), n)
	}
	grids := map[string]orb.Geometry{}
	rows, err := m.DB.Query(`SELECT code, geom FROM grids`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var blob []byte
		if err := rows.Scan(&code, &blob); err != nil {
			t.Fatal(err)
		}
		if grids[code], err = gpkg.DecodeGeom(blob); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	crossings := 0
	for _, r := range routes {
		var blob []byte
		if err := m.DB.QueryRow(`SELECT geom FROM patrol_routes WHERE code = ?`, r.Code).Scan(&blob); err != nil {
			t.Fatal(err)
		}
		g, err := gpkg.DecodeGeom(blob)
		if err != nil {
			t.Fatal(err)
		}
		line := g.(orb.LineString)
		inside := walkedInside(line, grids)
		for code, metres := range inside {
			in := slices.Contains(r.Grids, code)
			// A metre's step either way of the threshold is the walk's own error.
			if metres >= mirror.MinRouteInGrid+2 && !in || metres < mirror.MinRouteInGrid-2 && in {
				t.Errorf("route %s runs %.1f m in grid %s; crossed: %v", r.Code, metres, code, in)
			}
		}
		for _, code := range r.Grids {
			if inside[code] == 0 {
				t.Errorf("route %s said to cross grid %s it never enters", r.Code, code)
			}
		}
		if !slices.IsSorted(r.Grids) || r.At != line[0] || r.Street != r.Code[1:10] || !strings.HasSuffix(r.Name, "巡逻线") {
			t.Errorf("route %s: %+v", r.Code, r)
		}
		crossings += len(r.Grids)
	}
	if crossings < len(routes) {
		t.Fatalf("%d routes cross %d grids in all", len(routes), crossings)
	}
	// A street's routes, and the same again from the cache.
	street := routes[0].Street
	a, err := m.PatrolRoutes(ctx, street)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.PatrolRoutes(ctx, street)
	if err != nil || len(a) != 3 || !slices.EqualFunc(a, b, func(x, y schedule.Route) bool { return slices.Equal(x.Grids, y.Grids) && x.Code == y.Code }) {
		t.Fatalf("street %s: %d routes, then %d, %v", street, len(a), len(b), err)
	}
	// A route moved is worked out again (the routes' generation moved).
	if _, err := m.DB.Exec(`UPDATE patrol_routes SET geom = (SELECT geom FROM patrol_routes WHERE code = ?) WHERE code = ?`, routes[len(routes)-1].Code, a[0].Code); err != nil {
		t.Fatal(err)
	}
	c, err := m.PatrolRoutes(ctx, street)
	if err != nil || !slices.Equal(c[0].Grids, routes[len(routes)-1].Grids) {
		t.Fatalf("after moving route %s onto %s's line: %v, want %v (%v)", a[0].Code, routes[len(routes)-1].Code, c[0].Grids, routes[len(routes)-1].Grids, err)
	}
}

// walkedInside is how far the line runs inside each grid, walked in steps
// of about a metre.
func walkedInside(line orb.LineString, grids map[string]orb.Geometry) map[string]float64 {
	out := map[string]float64{}
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		n := int(geo.Distance(a, b)) + 1
		step := geo.Distance(a, b) / float64(n)
		for k := range n {
			f := (float64(k) + 0.5) / float64(n)
			p := orb.Point{a[0] + (b[0]-a[0])*f, a[1] + (b[1]-a[1])*f}
			for code, g := range grids {
				if g.Bound().Contains(p) && containsPoint(g, p) {
					out[code] += step
				}
			}
		}
	}
	return out
}

func containsPoint(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}

// A route is assigned, checked, covered, published and amended like a
// grid; what can never be right is refused and writes nothing.
func TestRouteAssignments(t *testing.T) {
	m := fixture.City(t)
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := m.PatrolRoutes(ctx, "990101")
	if err != nil {
		t.Fatal(err)
	}
	var night, day schedule.Route // a night route and a day route crossing grids
	for _, rt := range routes {
		switch {
		case rt.Times == data.RouteByNight && len(rt.Grids) > 1 && night.Code == "":
			night = rt
		case rt.Times == data.RouteByDay && len(rt.Grids) > 0 && day.Code == "":
			day = rt
		}
	}
	if night.Code == "" || day.Code == "" {
		t.Fatalf("the fixture's district 990101 has no night and day routes crossing grids: %+v", routes)
	}
	var unit string // a unit of the night route's street
	if err := m.DB.QueryRow(`SELECT code FROM units WHERE substr(grid_code, 1, 9) = ? ORDER BY code LIMIT 1`, night.Street).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	var otherRoute string // a route of the other district
	if err := m.DB.QueryRow(`SELECT code FROM patrol_routes WHERE street_code LIKE '990102%' LIMIT 1`).Scan(&otherRoute); err != nil {
		t.Fatal(err)
	}
	change := func(add bool, c data.RosterChange) error {
		c.Roster, c.Actor = r.ID, "leader_990101"
		var err error
		if add {
			_, err = m.AssignPatrol(ctx, c, rosterNow)
		} else {
			_, err = m.UnassignPatrol(ctx, c, rosterNow)
		}
		return err
	}
	before := count(t, m, `SELECT count(*) FROM roster_assignments`) + count(t, m, `SELECT count(*) FROM journal`)
	for _, bad := range []struct {
		c    data.RosterChange
		code data.Code
	}{
		{data.RosterChange{Unit: unit, Shift: "2026-12-01/night"}, data.CodeAreaEither},
		{data.RosterChange{Unit: unit, Grid: "990101001001001", Route: night.Code, Shift: "2026-12-01/night"}, data.CodeAreaEither},
		{data.RosterChange{Unit: unit, Route: "R000", Shift: "2026-12-01/night"}, data.CodeRouteUnknown},
		{data.RosterChange{Unit: unit, Route: otherRoute, Shift: "2026-12-01/night"}, data.CodeRouteOutsideRoster},
	} {
		refused(t, "assign "+bad.c.Route, change(true, bad.c), bad.code)
	}
	if after := count(t, m, `SELECT count(*) FROM roster_assignments`) + count(t, m, `SELECT count(*) FROM journal`); after != before {
		t.Fatal("a refused change wrote")
	}

	walk := data.RosterChange{Unit: unit, Route: night.Code, Shift: "2026-12-02/night"}
	if err := change(true, walk); err != nil {
		t.Fatal(err)
	}
	if err := change(true, walk); err != nil { // made twice: once
		t.Fatal(err)
	}
	v, err := m.Roster(ctx, r.ID)
	if err != nil || len(v.Assignments) != 1 || v.Assignments[0].Route != night.Code || v.Assignments[0].Grid != "" {
		t.Fatalf("roster: %+v %v", v.Assignments, err)
	}
	// Covered in every grid of the district the route crosses.
	conflicts, p, err := m.CheckRoster(ctx, r.ID, "leader_990101", rosterNow)
	if err != nil || len(conflicts) != 0 {
		t.Fatalf("conflicts %+v %v", conflicts, err)
	}
	cov := schedule.Cover(p)
	col := slices.IndexFunc(cov.Shifts, func(s data.Shift) bool { return s.String() == "2026-12-02/night" })
	var planned []string
	for g, code := range cov.Grids {
		if cov.At(g, col).Planned == 1 {
			planned = append(planned, code)
		}
	}
	var want []string
	for _, g := range night.Grids {
		if g[:6] == "990101" {
			want = append(want, g)
		}
	}
	if !slices.Equal(planned, want) {
		t.Fatalf("planned that night in %v, want the route's grids %v", planned, want)
	}
	// A day route in a night shift is a hard conflict; so is a unit on a
	// route and in a grid in one shift.
	if err := change(true, data.RosterChange{Unit: unit, Route: day.Code, Shift: "2026-12-04/night"}); err != nil {
		t.Fatal(err)
	}
	if err := change(true, data.RosterChange{Unit: unit, Grid: night.Grids[0], Shift: "2026-12-02/night"}); err != nil {
		t.Fatal(err)
	}
	conflicts, _, err = m.CheckRoster(ctx, r.ID, "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[schedule.ConflictKind]int{}
	for _, c := range conflicts {
		kinds[c.Kind]++
	}
	if kinds[schedule.RouteOffShift] != 1 || kinds[schedule.DoubleBooked] != 2 {
		t.Fatalf("conflicts %+v", conflicts)
	}
	for _, c := range []data.RosterChange{{Unit: unit, Route: day.Code, Shift: "2026-12-04/night"}, {Unit: unit, Grid: night.Grids[0], Shift: "2026-12-02/night"}} {
		if err := change(false, c); err != nil {
			t.Fatal(err)
		}
	}

	// Published: the walk's order targets the unit and the route's grids
	// in the roster's region.
	if _, n, err := m.PublishRoster(ctx, r.ID, "leader_990101", 0, rosterNow); err != nil || n != 1 {
		t.Fatalf("publish: %d orders, %v", n, err)
	}
	var orderUID string
	if err := m.DB.QueryRow(`SELECT order_uid FROM roster_assignments WHERE roster_uid = ? AND route_code = ?`, r.ID, night.Code).Scan(&orderUID); err != nil {
		t.Fatal(err)
	}
	targets, err := m.DB.Query(`SELECT target_code FROM order_targets WHERE order_uid = ? ORDER BY target_code`, orderUID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for targets.Next() {
		var code string
		if err := targets.Scan(&code); err != nil {
			t.Fatal(err)
		}
		got = append(got, code)
	}
	if err := targets.Close(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, append(slices.Clone(want), unit)) {
		t.Fatalf("order targets %v, want %v and %s", got, want, unit)
	}
	// Published coverage that night counts the walk.
	cov, si, err := m.CoverageAt(ctx, "990101", "leader", time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC), rosterNow)
	if err != nil || cov.Shifts[si].String() != "2026-12-02/night" {
		t.Fatalf("coverage: %v", err)
	}
	for g, code := range cov.Grids {
		if (cov.At(g, si).Planned == 1) != slices.Contains(want, code) {
			t.Fatalf("published coverage of grid %s that night: %+v", code, cov.At(g, si))
		}
	}
	// Taken off: an amendment cancelling the order, on record with the route.
	if err := change(false, walk); err != nil {
		t.Fatal(err)
	}
	if count(t, m, `SELECT count(*) FROM orders WHERE uid = ? AND state = 'cancelled'`, orderUID) != 1 {
		t.Fatal("the walk's order was not cancelled")
	}
	if k := count(t, m, `SELECT count(*) FROM roster_history WHERE roster_uid = ? AND route_code = ? AND action IN ('assign', 'amend')`, r.ID, night.Code); k != 2 {
		t.Fatalf("%d history rows name the route", k)
	}
	if k := count(t, m, `SELECT count(*) FROM journal WHERE subject = ? AND kind = 'roster.unassign' AND entry ->> '$.payload.route' = ?`, r.ID, night.Code); k != 1 {
		t.Fatalf("%d journal entries of the walk taken off", k)
	}
}

// A mirror whose rosters were made before routes keeps its assignments.
func TestMigrationKeepsGridAssignments(t *testing.T) {
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", rosterNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: "U9901010010010011", Grid: "990101001001001", Shift: "2026-12-01/day", Actor: "leader_990101"}, rosterNow); err != nil {
		t.Fatal(err)
	}
	// Back to the table as migration 9 made it, then migration 11 again.
	for _, s := range []string{
		`CREATE TABLE old AS SELECT uid, roster_uid, unit_code, grid_code, shift, lent, order_uid FROM roster_assignments`,
		`DROP TABLE roster_assignments`,
		`ALTER TABLE old RENAME TO roster_assignments`,
		// (sync's undo triggers name every column: made again below)
		`DROP TRIGGER sync_undo_roster_history_insert`, `DROP TRIGGER sync_undo_roster_history_update`, `DROP TRIGGER sync_undo_roster_history_delete`,
		`ALTER TABLE roster_history DROP COLUMN route_code`,
		`DELETE FROM kapok_count_gens WHERE name = 'routes'`,
		`DROP TRIGGER patrol_routes_insert_gen`, `DROP TRIGGER patrol_routes_delete_gen`, `DROP TRIGGER patrol_routes_update_gen`,
	} {
		if _, err := m.DB.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	migs, err := mirror.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB.Exec(migs[10].SQL); err != nil {
		t.Fatalf("%s: %v", migs[10].Name, err)
	}
	defer func() { _ = m.Close() }()
	v, err := m.Roster(ctx, r.ID)
	if err != nil || len(v.Assignments) != 1 || v.Assignments[0].Grid != "990101001001001" || v.Assignments[0].Route != "" {
		t.Fatalf("after the migration: %+v %v", v.Assignments, err)
	}
}
