package mirror_test

import (
	"testing"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The mirror's kept counts (open cases per grid, closed cases, units per
// grid, the regions) follow every write that changes them, whoever makes
// it: a case reported and closed through another mirror on the same file
// (another process, as far as this one can tell), a unit moved to another
// district, a closed event deleted and a district renamed by plain SQL.
// After each, the board equals its counts read straight from the tables.
func TestBoardCountsFollowWritesByOthers(t *testing.T) {
	path := fixture.CityPath(t)
	mine, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = mine.Close() }()
	other, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	now := fixture.AsOf

	check := func(step string) {
		t.Helper()
		board, err := mine.StatusBoard(ctx, "", now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range board {
			want := data.BoardRow{Code: r.Code, Name: r.Name,
				Open:            int(fixture.Count(t, mine, `SELECT count(*) FROM events WHERE grid_code LIKE ? || '%' AND state IN `+openStates, r.Code)),
				Overdue:         int(fixture.Count(t, mine, `SELECT count(*) FROM events WHERE grid_code LIKE ? || '%' AND state IN `+openStates+` AND deadline < ?`, r.Code, gpkg.Time{Time: now})),
				Closed:          int(fixture.Count(t, mine, `SELECT count(*) FROM events WHERE grid_code LIKE ? || '%' AND closed_at IS NOT NULL AND deadline IS NOT NULL`, r.Code)),
				OnTime:          int(fixture.Count(t, mine, `SELECT count(*) FROM events WHERE grid_code LIKE ? || '%' AND closed_at <= deadline`, r.Code)),
				UnitsAvailable:  int(fixture.Count(t, mine, `SELECT count(*) FROM units WHERE grid_code LIKE ? || '%' AND status = 'available'`, r.Code)),
				UnitsDispatched: int(fixture.Count(t, mine, `SELECT count(*) FROM units WHERE grid_code LIKE ? || '%' AND status = 'dispatched'`, r.Code)),
				Unstaffed: int(fixture.Count(t, mine, `SELECT count(*) FROM centers c WHERE c.region_code LIKE ? || '%' AND NOT EXISTS
					(SELECT 1 FROM center_duty d WHERE d.center_code = c.code AND d.start_at <= ?2 AND d.end_at > ?2)`, r.Code, gpkg.Time{Time: now})),
			}
			if r != want {
				t.Fatalf("%s: board row %+v, tables say %+v", step, r, want)
			}
		}
	}
	district := func(code string) data.BoardRow {
		t.Helper()
		board, err := mine.StatusBoard(ctx, "", now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range board {
			if r.Code == code {
				return r
			}
		}
		t.Fatalf("no row %s", code)
		return data.BoardRow{}
	}
	openIn := func(grid string) (inGrid, inDistrict int) {
		t.Helper()
		events, err := mine.EventsByGrid(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		regions, err := mine.RegionSummaries(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range regions {
			if r.Code == grid[:6] {
				inDistrict = r.Open
			}
		}
		return events[grid].Open, inDistrict
	}
	check("at first")
	before := district("990101")
	gridBefore, districtBefore := openIn("990101001001001")

	// A case walked to closed by the other mirror, on time: open in the
	// grid's counts once reported, closed in the board's once closed.
	c, err := other.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "噪音扰民",
		Source: data.SourceHotline, Actor: "leader"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if g, d := openIn("990101001001001"); g != gridBefore+1 || d != districtBefore+1 {
		t.Fatalf("a case reported elsewhere: open in its grid %d→%d, in its district %d→%d", gridBefore, g, districtBefore, d)
	}
	for _, mv := range []data.CaseMove{{To: data.EventFiled}, {To: data.EventDispatched, Units: []string{"U9901010010010011"}},
		{To: data.EventHandling}, {To: data.EventFedBack, Result: "已调解"}, {To: data.EventClosed}} {
		mv.Case, mv.Actor, mv.Version = c.Code, "leader", c.Version
		if c, err = other.MoveCase(ctx, mv, now); err != nil {
			t.Fatalf("%s: %v", mv.To, err)
		}
	}
	check("after a case closed elsewhere")
	if after := district("990101"); after.Closed != before.Closed+1 || after.OnTime != before.OnTime+1 {
		t.Fatalf("closed %d→%d, on time %d→%d", before.Closed, after.Closed, before.OnTime, after.OnTime)
	}

	// A unit moved to the other district, and a closed event deleted, by SQL.
	if _, err := other.DB.Exec(`UPDATE units SET grid_code = (SELECT min(code) FROM grids WHERE code LIKE '990102%') WHERE code = 'U9901010010010011'`); err != nil {
		t.Fatal(err)
	}
	check("after a unit moved")
	if _, err := other.DB.Exec(`DELETE FROM event_history WHERE event_code = ?`, c.Code); err != nil {
		t.Fatal(err)
	}
	if _, err := other.DB.Exec(`DELETE FROM unit_holds WHERE holder = ?`, c.Code); err != nil {
		t.Fatal(err)
	}
	if _, err := other.DB.Exec(`DELETE FROM events WHERE code = ?`, c.Code); err != nil {
		t.Fatal(err)
	}
	check("after a closed case was deleted")
	if _, err := other.DB.Exec(`UPDATE districts SET name = '丙区' WHERE code = '990101'`); err != nil {
		t.Fatal(err)
	}
	regions, err := mine.RegionSummaries(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regions {
		if r.Code == "990101" && r.Name != "丙区" {
			t.Fatalf("a district renamed elsewhere is still called %s", r.Name)
		}
	}
	if after := district("990101"); after.Closed != before.Closed || after.UnitsAvailable != before.UnitsAvailable-1 {
		t.Fatalf("closed %d→%d, available %d→%d", before.Closed, after.Closed, before.UnitsAvailable, after.UnitsAvailable)
	}
}
