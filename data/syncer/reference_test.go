package syncer_test

import (
	"context"
	"testing"

	"kapok/data"
	"kapok/data/upstream"
	"kapok/internal/fixture"
)

// The city platform changes its reference rows: a grid's population, a
// unit's name (and its status, which stays the console's), a new grid. A
// sync brings exactly those rows in, counted, and leaves the rest alone.
func TestReferenceChangesArrive(t *testing.T) {
	a, src := fixture.City(t), fixture.City(t)
	conn := upstreamOf(t, a)
	syncOnce(t, a, conn)
	// The console marks its unit off duty; the platform, meanwhile,
	// renames the unit, recounts a grid and adds a grid.
	if _, err := a.DB.Exec(`UPDATE units SET status = 'offline' WHERE code = ?`, unit); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE units SET name = '大源一队', status = 'available' WHERE code = '` + unit + `'`,
		`UPDATE grids SET population = population + 7 WHERE code = '` + grid + `'`,
		`INSERT INTO grids (geom, code, community_code, kind, area_m2, population, households)
			SELECT geom, '990101001001009', community_code, kind, area_m2, 0, 0 FROM grids WHERE code = '` + grid + `'`,
	} {
		if _, err := src.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	// (The users as they were: each fixture's passwords have salts of
	// their own.)
	if _, err := upstream.Load(ctx, conn, func(ctx context.Context, tb upstream.Table) ([][]any, error) {
		if tb.Name == "users" {
			return a.ReferenceRows(ctx, tb.Name, tb.Columns)
		}
		return src.ReferenceRows(ctx, tb.Name, tb.Columns)
	}); err != nil {
		t.Fatal(err)
	}
	popBefore := fixture.Count(t, a, `SELECT population FROM grids WHERE code = ?`, grid)
	res := syncOnce(t, a, conn)
	if res.RefAdded != 1 || res.RefUpdated != 2 {
		t.Fatalf("added %d, updated %d reference rows; want 1 and 2", res.RefAdded, res.RefUpdated)
	}
	if got := fixture.Count(t, a, `SELECT population FROM grids WHERE code = ?`, grid); got != popBefore+7 {
		t.Errorf("population %d, want %d", got, popBefore+7)
	}
	var name, status string
	if err := a.DB.QueryRow(`SELECT name, status FROM units WHERE code = ?`, unit).Scan(&name, &status); err != nil {
		t.Fatal(err)
	}
	if name != "大源一队" || status != string(data.UnitOffline) {
		t.Errorf("unit %s %s: want the platform's name and the console's status", name, status)
	}
	if n := fixture.Count(t, a, `SELECT count(*) FROM grids WHERE code = '990101001001009'`); n != 1 {
		t.Errorf("the new grid: %d rows", n)
	}
	// Nothing changed since: nothing compared, nothing written.
	if res := syncOnce(t, a, conn); res.RefAdded+res.RefUpdated != 0 {
		t.Fatalf("idle: %+v", res)
	}
}
