package mirror_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/demo"
	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// busyTestCity is the fixture city with a month of events, so that some
// open events are past their deadline.
func busyTestCity(t *testing.T) *mirror.Mirror {
	t.Helper()
	opt := fixture.Options()
	opt.Days = 30
	path := filepath.Join(t.TempDir(), "city.gpkg")
	if _, err := demo.Build(ctx, path, fixture.Source(t), opt); err != nil {
		t.Fatal(err)
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// openStates is the open event states as an SQL list, for counting in tests.
var openStates = func() string {
	var parts []string
	for _, s := range data.OpenEventStates {
		parts = append(parts, "'"+string(s)+"'")
	}
	return "(" + strings.Join(parts, ",") + ")"
}()

func TestRegionSummariesAddUpLevelByLevel(t *testing.T) {
	m := busyTestCity(t)
	asOf := fixture.AsOf
	regions, err := m.RegionSummaries(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	totalGrids := int(count(t, m, `SELECT count(*) FROM grids`))
	totalOpen := int(count(t, m, `SELECT count(*) FROM events WHERE state IN `+openStates))
	totalOverdue := int(count(t, m, `SELECT count(*) FROM events WHERE state IN `+openStates+` AND deadline < ?`, gpkg.Time{Time: asOf}))
	if totalOpen == 0 || totalOverdue == 0 {
		t.Fatalf("fixture has %d open, %d overdue events: the test needs both", totalOpen, totalOverdue)
	}
	var sum [4]struct{ grids, open, overdue, n int }
	for _, r := range regions {
		s := &sum[r.Level]
		s.grids += r.Grids
		s.open += r.Open
		s.overdue += r.Overdue
		s.n++
		if r.Level > data.LevelCity && !strings.HasPrefix(r.Code, r.Parent) {
			t.Errorf("%s's parent is %s", r.Code, r.Parent)
		}
	}
	for lv, s := range sum {
		if s.grids != totalGrids || s.open != totalOpen || s.overdue != totalOverdue {
			t.Errorf("level %v: %d grids, %d open, %d overdue; want %d, %d, %d", data.Level(lv), s.grids, s.open, s.overdue, totalGrids, totalOpen, totalOverdue)
		}
	}
	if n := int(count(t, m, `SELECT count(*) FROM communities`)); sum[data.LevelCommunity].n != n {
		t.Errorf("%d communities listed, %d in the mirror", sum[data.LevelCommunity].n, n)
	}
}

func TestStatusBoardDrillsDownAndSorts(t *testing.T) {
	m := fixture.City(t)
	asOf := fixture.AsOf
	districts, err := m.StatusBoard(ctx, "", asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(districts) != int(count(t, m, `SELECT count(*) FROM districts`)) {
		t.Fatalf("%d district rows", len(districts))
	}
	var open, avail, closed, onTime int
	for _, r := range districts {
		open += r.Open
		avail += r.UnitsAvailable
		closed += r.Closed
		onTime += r.OnTime
	}
	if want := int(count(t, m, `SELECT count(*) FROM events WHERE state IN `+openStates)); open != want {
		t.Errorf("board open %d, mirror %d", open, want)
	}
	if want := int(count(t, m, `SELECT count(*) FROM units WHERE status = 'available'`)); avail != want {
		t.Errorf("board available %d, mirror %d", avail, want)
	}
	if want := int(count(t, m, `SELECT count(*) FROM events WHERE closed_at <= deadline`)); onTime != want || closed < onTime {
		t.Errorf("board on time %d of %d closed, mirror %d", onTime, closed, want)
	}
	streets, err := m.StatusBoard(ctx, districts[0].Code, asOf)
	if err != nil || len(streets) == 0 {
		t.Fatalf("streets of %s: %v %v", districts[0].Code, streets, err)
	}
	sOpen := 0
	for _, s := range streets {
		if !strings.HasPrefix(s.Code, districts[0].Code) || len(s.Code) != 9 {
			t.Errorf("street row %s under %s", s.Code, districts[0].Code)
		}
		sOpen += s.Open
	}
	if sOpen != districts[0].Open {
		t.Errorf("streets add to %d open, district has %d", sOpen, districts[0].Open)
	}
	communities, err := m.StatusBoard(ctx, streets[0].Code, asOf)
	if err != nil || len(communities) == 0 || len(communities[0].Code) != 12 {
		t.Fatalf("communities: %v %v", communities, err)
	}
	if _, err := m.StatusBoard(ctx, "99010100100", asOf); err == nil {
		t.Error("an 11-digit parent was accepted")
	}
	rows := append([]data.BoardRow(nil), communities...)
	if err := data.SortBoard(rows, "open"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Open > rows[i-1].Open {
			t.Fatalf("sorted by open: %d before %d", rows[i-1].Open, rows[i].Open)
		}
	}
	if err := data.SortBoard(rows, "name"); err != nil || rows[0].Code != communities[0].Code {
		t.Errorf("sorted by name: %s first, %v", rows[0].Code, err)
	}
	if err := data.SortBoard(rows, "colour"); err == nil {
		t.Error("an unknown column was accepted")
	}
}

func TestDetailsOfCenterGridUnitEvent(t *testing.T) {
	m := busyTestCity(t)
	asOf := fixture.AsOf
	grid := "990102001201001"
	c, err := m.CenterDetail(ctx, "C990102001201", asOf)
	if err != nil {
		t.Fatal(err)
	}
	district, err := m.CenterDetail(ctx, "C990101", asOf)
	if err != nil || district.OpenEvents == 0 || len(district.Urgent) != min(20, district.OpenEvents) {
		t.Fatalf("district center: %+v %v", district, err)
	}
	for i := 1; i < len(district.Urgent); i++ {
		if a, b := district.Urgent[i-1].Deadline, district.Urgent[i].Deadline; !b.IsZero() && a.After(b) {
			t.Fatalf("urgent events out of order: %v before %v", a, b)
		}
	}
	if c.Level != data.LevelCommunity || c.RegionName == "" || c.DutyPhone == "" ||
		c.Grids != int(count(t, m, `SELECT count(*) FROM grids WHERE community_code = '990102001201'`)) {
		t.Errorf("center: %+v", c)
	}
	g, err := m.GridDetail(ctx, grid, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if g.CommunityCode != "990102001201" || g.CommunityName != c.RegionName || len(g.Workers) == 0 ||
		len(g.Units) != int(count(t, m, `SELECT count(*) FROM units WHERE grid_code = ?`, grid)) ||
		len(g.Open) != int(count(t, m, `SELECT count(*) FROM events WHERE grid_code = ? AND state IN `+openStates, grid)) {
		t.Errorf("grid: %+v", g)
	}
	var unit string
	if err := m.DB.QueryRow(`SELECT code FROM units ORDER BY code LIMIT 1`).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	u, err := m.UnitDetail(ctx, unit)
	if err != nil || len(u.Members) != int(count(t, m, `SELECT count(*) FROM responders WHERE unit_code = ?`, unit)) || len(u.Members) == 0 {
		t.Errorf("unit: %+v %v", u, err)
	}
	var event string
	if err := m.DB.QueryRow(`SELECT code FROM events WHERE state IN `+openStates+` AND deadline < ? LIMIT 1`, gpkg.Time{Time: asOf}).Scan(&event); err != nil {
		t.Fatal(err)
	}
	e, err := m.EventDetail(ctx, event, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Overdue || e.MatterZh == "" || e.TimeLimit <= 0 || len(e.History) == 0 || e.History[0].State != data.EventCollected ||
		len(e.History) != int(count(t, m, `SELECT count(*) FROM event_history WHERE event_code = ?`, event)) {
		t.Errorf("event: %+v", e)
	}
	if b, err := m.RegionBoundary(ctx, "990102001201"); err != nil || len(b) == 0 || !b.Bound().Contains(g.Boundary.Bound().Center()) && g.Boundary != nil {
		t.Errorf("community boundary: %v", err)
	}
	if _, err := m.RegionBoundary(ctx, "99010200120"); err == nil {
		t.Error("an 11-digit code was accepted")
	}
	for _, bad := range []func() error{
		func() error { _, err := m.CenterDetail(ctx, "C000000", asOf); return err },
		func() error { _, err := m.GridDetail(ctx, "000000000000000", asOf); return err },
		func() error { _, err := m.UnitDetail(ctx, "U0"); return err },
		func() error { _, err := m.EventDetail(ctx, "E0", asOf); return err },
	} {
		var r *data.Refusal
		if err := bad(); !errors.As(err, &r) || r.Code != data.CodeRecordUnknown {
			t.Errorf("unknown code: %v", err)
		}
	}
}

func TestOverlaysAndActiveOrderGrids(t *testing.T) {
	m := fixture.City(t)
	asOf := fixture.AsOf
	for _, layer := range data.Overlays {
		if layer == "dispatch" {
			continue // TestCaseMapLayers
		}
		fs, err := m.LoadOverlay(ctx, layer, asOf)
		if err != nil {
			t.Fatalf("%s: %v", layer, err)
		}
		table := layer
		want := count(t, m, `SELECT count(*) FROM `+table)
		if layer == "events" {
			want = count(t, m, `SELECT count(*) FROM events WHERE state IN `+openStates)
		}
		if int64(len(fs)) != want || want == 0 {
			t.Errorf("%s: %d features, want %d", layer, len(fs), want)
		}
	}
	if _, err := m.LoadOverlay(ctx, "roads", asOf); err == nil {
		t.Error("an unknown layer was accepted")
	}
	var unit, unitGrid string
	if err := m.DB.QueryRow(`SELECT code, grid_code FROM units WHERE grid_code != '990102001201001' LIMIT 1`).Scan(&unit, &unitGrid); err != nil {
		t.Fatal(err)
	}
	start := asOf.Add(-2 * time.Hour)
	o, err := m.IssueOrder(ctx, data.OrderRequest{Type: "patrol", Task: "巡逻", Start: start, End: start.Add(time.Hour),
		Targets: []string{"990102001201001", unit}, Actor: "leader"}, start)
	if err != nil {
		t.Fatal(err)
	}
	active, err := m.ActiveOrderGrids(ctx)
	if err != nil || len(active) != 2 || active["990102001201001"] != "issued" || active[unitGrid] != "issued" {
		t.Fatalf("active: %v %v", active, err)
	}
	if _, err := m.MarkOverdue(ctx, asOf); err != nil {
		t.Fatal(err)
	}
	if active, err = m.ActiveOrderGrids(ctx); err != nil || active["990102001201001"] != data.OrderOverdue {
		t.Errorf("after the sweep: %v", active)
	}
	if _, err := m.MoveOrder(ctx, o.UID, data.OrderCancelled, "leader", asOf); err != nil {
		t.Fatal(err)
	}
	if active, err = m.ActiveOrderGrids(ctx); err != nil || len(active) != 0 {
		t.Errorf("a closed order still marks grids: %v", active)
	}
}
