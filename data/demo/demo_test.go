package demo_test

import (
	"context"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"

	"kapok/assets"
	"kapok/data"
	"kapok/data/calendar"
	"kapok/data/demo"
	"kapok/data/geom"
	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

func TestCitySourceReportsWhatItSkips(t *testing.T) {
	src := fixture.Source(t)
	if len(src.Districts) != 2 || len(src.Streets) != 4 || len(src.Communities) != 9 {
		t.Fatalf("kept %d districts, %d streets, %d communities; want 2, 4, 9", len(src.Districts), len(src.Streets), len(src.Communities))
	}
	report := strings.Join(src.Skipped, "\n")
	for _, want := range []string{
		"district 990103 丙区 has a boundary but no streets", // boundary, no streets
		"990104001",    // street of a district with no boundary
		"990104001001", // its community
		"990109001001", // community of an unknown street
		"990102003 空街道 has no communities",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("skip report lacks %q:\n%s", want, report)
		}
	}
	if src.City.Code != "9901" || len(src.City.Boundary) != 2 { // mainland + island
		t.Fatalf("city %s with %d polygons", src.City.Code, len(src.City.Boundary))
	}
}

// checkNesting asserts that children tile their parent: each inside it, no
// two overlapping, and no gap: the children's union has the parent's area.
func checkNesting(t *testing.T, m *mirror.Mirror, parentTable, childTable, parentColumn string, tolM2 float64) {
	t.Helper()
	parents := loadShapes(t, m, `SELECT code, geom FROM `+parentTable)
	children := loadShapes(t, m, `SELECT `+parentColumn+`, geom FROM `+childTable)
	ctx := geos.NewContext()
	bad := 0
	for code, ps := range parents {
		parent, kids := ps[0], children[code]
		if len(kids) == 0 {
			t.Errorf("%s %s has no %s", parentTable, code, childTable)
			continue
		}
		lat := parent.Bound().Center()[1]
		p, _ := geom.ToGEOS(ctx, parent)
		gs := make([]*geos.Geom, len(kids))
		var sum, outside, overlap float64
		area := func(g *geos.Geom) float64 {
			if g == nil {
				t.Fatalf("%s %s: GEOS overlay failed", parentTable, code)
			}
			mp, _ := geom.Polygons(g)
			return geom.PlanarAreaM2At(mp, lat)
		}
		for i, k := range kids {
			gs[i], _ = geom.ToGEOS(ctx, k)
			sum += geom.PlanarAreaM2At(k, lat)
			outside += area(gs[i].Difference(p))
			for j := 0; j < i; j++ {
				if kids[j].Bound().Intersects(k.Bound()) {
					overlap += area(gs[i].Intersection(gs[j]))
				}
			}
		}
		// What the children leave of the parent (inclusion-exclusion).
		gap := geom.PlanarAreaM2At(parent, lat) - (sum - overlap - outside)
		if overlap > tolM2 || outside > tolM2 || gap > tolM2 {
			bad++
			if bad < 5 {
				t.Errorf("%s %s: overlap %.2f m², outside %.2f m², gap %.2f m²", parentTable, code, overlap, outside, gap)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d %s are not tiled exactly by their %s", bad, len(parents), parentTable, childTable)
	}
}

// loadShapes groups the multipolygons a query returns by its first column.
func loadShapes(t *testing.T, m *mirror.Mirror, q string) map[string][]orb.MultiPolygon {
	out := map[string][]orb.MultiPolygon{}
	rows, err := m.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var b []byte
		if err := rows.Scan(&code, &b); err != nil {
			t.Fatal(err)
		}
		g, err := gpkg.DecodeGeom(b)
		if err != nil {
			t.Fatal(err)
		}
		out[code] = append(out[code], g.(orb.MultiPolygon))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDemoCityNestsExactly(t *testing.T) {
	m, rep := buildTestCity(t)
	if rep.Counts["grids"] != 40 || rep.Counts["centers"] != 1+2+4+9 || rep.Counts["units"] != 50 {
		t.Fatalf("counts %v", rep.Counts)
	}
	checkNesting(t, m, "districts", "streets", "district_code", 1)
	checkNesting(t, m, "streets", "communities", "street_code", 1)
	checkNesting(t, m, "communities", "grids", "community_code", 1)
	// Every grid's code is its community's plus a sequence from 001.
	if n := fixture.Count(t, m, `SELECT count(*) FROM grids WHERE substr(code, 1, 12) != community_code OR length(code) != 15`); n != 0 {
		t.Fatalf("%d grids with a bad code", n)
	}
	if n := fixture.Count(t, m, `SELECT count(*) FROM communities WHERE demo_point AND code = '990102001201'`); n != 1 {
		t.Fatal("demonstration point not flagged")
	}
	// The island of district 990102 is covered by its streets too.
	if n := fixture.Count(t, m, `SELECT count(*) FROM rtree_streets_geom WHERE maxx >= 113.235`); n == 0 {
		t.Fatal("no street reaches the island")
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	a, _ := buildTestCity(t)
	b, _ := buildTestCity(t)
	for _, q := range []string{`SELECT group_concat(code || hex(geom) || population, ',') FROM (SELECT * FROM grids ORDER BY code)`,
		`SELECT group_concat(code || state || coalesce(deadline, ''), ',') FROM (SELECT * FROM events ORDER BY code)`,
		`SELECT group_concat(hourly, ',') FROM (SELECT * FROM indicator_values ORDER BY 1, 2, 3)`} {
		var x, y string
		if err := a.DB.QueryRow(q).Scan(&x); err != nil {
			t.Fatal(err)
		}
		if err := b.DB.QueryRow(q).Scan(&y); err != nil {
			t.Fatal(err)
		}
		if x == "" || x != y {
			t.Fatalf("two builds with the same seed differ: %s", q)
		}
	}
}

func TestDemoEventsFollowTheWorkflow(t *testing.T) {
	m, _ := buildTestCity(t)
	rows, err := m.DB.Query(`SELECT event_code, state FROM event_history ORDER BY event_code, step`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	prev, prevState := "", data.EventState("")
	for rows.Next() {
		var code string
		var state data.EventState
		if err := rows.Scan(&code, &state); err != nil {
			t.Fatal(err)
		}
		if code == prev && state != prevState && !prevState.CanMoveTo(state) {
			t.Fatalf("event %s moved %s → %s", code, prevState, state)
		}
		if code != prev && state != data.EventCollected {
			t.Fatalf("event %s starts in %s", code, state)
		}
		prev, prevState = code, state
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// The deadline is the matter's limit after dispatch (plus extensions),
	// in working days for the matters counted so: none falls on a weekend
	// or holiday, and they span more wall time than their nominal hours.
	checked, workingDays, longer := checkDeadlines(t, m)
	if checked == 0 || workingDays == 0 || longer == 0 {
		t.Fatalf("%d deadlines checked, %d in working days, %d spanning a day off: the demo does not exercise the calendar", checked, workingDays, longer)
	}
	if n := fixture.Count(t, m, `SELECT count(*) FROM events e WHERE state != (SELECT state FROM event_history h WHERE h.event_code = e.code ORDER BY step DESC LIMIT 1)`); n != 0 {
		t.Fatalf("%d events whose state is not their last history entry", n)
	}
}

// checkDeadlines checks every dispatched event's deadline: its matter's
// limit after dispatch (plus extensions) by the calendar, a working-day
// limit ending on a working day. It counts the deadlines checked, those in
// working days, and those of them spanning more wall time than their
// nominal hours (a weekend or holiday inside).
func checkDeadlines(t *testing.T, m *mirror.Mirror) (checked, workingDays, longer int) {
	t.Helper()
	matters := map[string]data.MatterType{}
	all, err := data.Matters()
	if err != nil {
		t.Fatal(err)
	}
	for _, mt := range all {
		matters[mt.Code] = mt
	}
	rows, err := m.DB.Query(`SELECT code, matter_code, dispatched_at, deadline, extensions FROM events WHERE dispatched_at IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, matter string
		var dispatched, deadline gpkg.Time
		var ext int
		if err := rows.Scan(&code, &matter, &dispatched, &deadline, &ext); err != nil {
			t.Fatal(err)
		}
		mt := matters[matter]
		if want := calendar.Deadline(dispatched.Time, mt, ext); !deadline.Time.Equal(want) {
			t.Fatalf("event %s (%s) dispatched %v: deadline %v, want %v", code, matter, dispatched.Time, deadline.Time, want)
		}
		checked++
		if mt.LimitUnit == data.LimitWorkingDays {
			workingDays++
			if !calendar.IsWorkingDay(deadline.Time.Add(-time.Second)) {
				t.Fatalf("event %s: a working-day deadline %v ends a day off", code, deadline.Time)
			}
			if deadline.Time.Sub(dispatched.Time) > time.Duration(1+ext)*mt.TimeLimit {
				longer++
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return checked, workingDays, longer
}

func TestDemoGuangzhou(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole city")
	}
	open := func(n string) (io.ReadCloser, error) { return assets.FS.Open(path.Join("guangzhou", n)) }
	src, err := demo.ReadCitySource(open, "districts.geojson", "streets.csv", "villages.csv", "广州市")
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Skipped) != 0 {
		t.Fatalf("Guangzhou inputs should all fit: %v", src.Skipped)
	}
	out := filepath.Join(t.TempDir(), "gz.gpkg")
	rep, err := demo.Build(context.Background(), out, src, fixture.GuangzhouOptions())
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Counts
	within := func(name string, got int64, want, tol float64) {
		if float64(got) < want*(1-tol) || float64(got) > want*(1+tol) {
			t.Errorf("%s: %d, want %.0f ± %.0f%%", name, got, want, tol*100)
		}
	}
	within("grids", c["grids"], 20031, 0.01)
	within("units", c["units"], 21590, 0.01)
	within("responders", c["responders"], 110000, 0.05)
	if c["districts"] != 11 || c["streets"] != 178 || c["communities"] != 2851 || c["centers"] != 3041 || c["matter_types"] != 109 || c["indicator_defs"] != 211 {
		t.Errorf("counts %v", c)
	}
	fi, _ := os.Stat(out)
	if fi.Size() > 100<<20 {
		t.Errorf("mirror is %d MB, over 100 MB", fi.Size()>>20)
	}
	m, err := mirror.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	if n := fixture.Count(t, m, `SELECT count(*) FROM communities WHERE demo_point AND code = '440111021200' AND name = '大源村委会'`); n != 1 {
		t.Error("Dayuan Village is not the demonstration point")
	}
	// Small, dense grids in the urban core; large ones in the outskirts.
	var core, outer float64
	if err := m.DB.QueryRow(`SELECT avg(area_m2) FROM grids WHERE substr(code, 1, 6) IN ('440103','440104','440105','440106')`).Scan(&core); err != nil {
		t.Fatal(err)
	}
	if err := m.DB.QueryRow(`SELECT avg(area_m2) FROM grids WHERE substr(code, 1, 6) IN ('440117','440118')`).Scan(&outer); err != nil {
		t.Fatal(err)
	}
	if core <= 0 || outer < 10*core {
		t.Errorf("mean grid area core %.0f m², outskirts %.0f m²: want outskirts ≥ 10× core", core, outer)
	}
	s, err := m.Stats(context.Background(), fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if s.OverdueEvents == 0 || s.OpenEvents == 0 || s.EventsByState[string(data.EventEvaluated)] == 0 {
		t.Errorf("event mix: %d open, %d overdue, %v", s.OpenEvents, s.OverdueEvents, s.EventsByState)
	}
	checkNesting(t, m, "districts", "streets", "district_code", 1)
	checkNesting(t, m, "streets", "communities", "street_code", 1)
	checkNesting(t, m, "communities", "grids", "community_code", 1)
	// The escalation sweep ran at AsOf: the cases overdue past their grace
	// stand escalated (each with its step and journal entry, at AsOf), and
	// the console's first sweep finds none left.
	escalated := fixture.Count(t, m, `SELECT count(*) FROM event_history WHERE action = 'escalate' AND at = ?`, gpkg.Time{Time: fixture.AsOf})
	journaled := fixture.Count(t, m, `SELECT count(*) FROM journal WHERE kind = 'case.escalate'`)
	if escalated == 0 || journaled != escalated {
		t.Errorf("%d cases escalated at AsOf, %d journal entries", escalated, journaled)
	}
	if n, err := m.EscalateOverdue(context.Background(), fixture.AsOf.Add(time.Minute)); err != nil || n != 0 {
		t.Errorf("the first sweep after AsOf escalated %d more (%v)", n, err)
	}
}

// buildTestCity writes the fixture city to a mirror in a temporary folder.
func buildTestCity(t testing.TB) (*mirror.Mirror, *demo.Report) {
	t.Helper()
	return buildCity(t, fixture.Options())
}

// buildCity writes the fixture city with these options to a mirror in a
// temporary folder.
func buildCity(t testing.TB, opt demo.Options) (*mirror.Mirror, *demo.Report) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "city.gpkg")
	rep, err := demo.Build(context.Background(), path, fixture.Source(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m, rep
}

// The demo's histories end at AsOf whatever its time of day, weekday or
// year: nothing is reported or done after it, reports fill the Days × 24
// hours before it and follow Beijing's working day, steps follow each other,
// extensions stay within their matter's allowance, and the indicators' and
// the index's last day is AsOf's Beijing day with no value after AsOf's
// hour. (2028 lies outside the calendar's years: deadlines there count
// weekends only.)
func TestDemoEndsAtAsOf(t *testing.T) {
	for _, asOf := range []time.Time{
		time.Now().Truncate(time.Second),
		time.Date(2026, 11, 28, 3, 17, 0, 0, beijing),  // a Saturday night
		time.Date(2026, 10, 3, 22, 0, 0, 0, beijing),   // National Day holiday
		time.Date(2026, 12, 1, 0, 0, 0, 0, beijing),    // midnight, a Tuesday
		time.Date(2028, 3, 15, 10, 30, 0, 0, time.UTC), // outside the calendar
	} {
		t.Run(asOf.Format(time.RFC3339), func(t *testing.T) {
			opt := fixture.Options()
			opt.AsOf, opt.Grids, opt.Days = asOf, 120, 7
			m, _ := buildCity(t, opt)
			at := func(x time.Time) string { return gpkg.FormatTime(x) }
			start := asOf.Add(-7 * 24 * time.Hour)
			for _, c := range []struct {
				what, query string
				args        []any
			}{
				{"events reported outside the window", `SELECT count(*) FROM events WHERE reported_at > ? OR reported_at < ?`, []any{at(asOf), at(start)}},
				{"steps after as-of", `SELECT count(*) FROM event_history WHERE at > ?`, []any{at(asOf)}},
				{"events with a time after as-of", `SELECT count(*) FROM events WHERE dispatched_at > ?1 OR closed_at > ?1`, []any{at(asOf)}},
				{"first steps not at the report", `SELECT count(*) FROM events e JOIN event_history h ON h.event_code = e.code AND h.step = 1 WHERE h.at != e.reported_at`, nil},
				{"steps before the one before", `SELECT count(*) FROM event_history a JOIN event_history b ON b.event_code = a.event_code AND b.step = a.step + 1 WHERE b.at < a.at`, nil},
				{"extensions beyond the allowance", `SELECT count(*) FROM events e JOIN matter_types t ON t.code = e.matter_code WHERE e.extensions > t.extensions_allowed`, nil},
				{"extensions without their step", `SELECT count(*) FROM events e WHERE e.extensions != (SELECT count(*) FROM event_history h WHERE h.event_code = e.code AND h.action = 'extend')`, nil},
			} {
				if n := fixture.Count(t, m, c.query, c.args...); n != 0 {
					t.Errorf("%d %s", n, c.what)
				}
			}
			var latest gpkg.Time
			var total, working int
			if err := m.DB.QueryRow(`SELECT max(reported_at), count(*),
				sum(CAST(strftime('%H', reported_at, '+8 hours') AS INTEGER) BETWEEN 8 AND 19) FROM events`).Scan(&latest, &total, &working); err != nil {
				t.Fatal(err)
			}
			if asOf.Sub(latest.Time) > 24*time.Hour {
				t.Errorf("latest report %v, more than a day before %v", latest.Time, asOf)
			}
			if share := float64(working) / float64(total); total < 7*9/2 || share < 0.6 {
				t.Errorf("%d reports, %.0f%% of them 8:00-20:00 in Beijing; want about %d, most in working hours", total, 100*share, 7*9)
			}
			if checked, _, _ := checkDeadlines(t, m); checked == 0 {
				t.Error("no case dispatched")
			}
			// Indicators and the index: Days Beijing days ending with as-of's.
			day := asOf.In(beijing).Format("2006-01-02")
			for _, table := range []string{"indicator_values", "red_cotton_index"} {
				var last string
				var days int
				if err := m.DB.QueryRow(`SELECT max(day), count(DISTINCT day) FROM `+table).Scan(&last, &days); err != nil {
					t.Fatal(err)
				}
				if last != day || days != 7 {
					t.Errorf("%s: %d days up to %s; want 7 up to %s", table, days, last, day)
				}
			}
			var hourly string
			if err := m.DB.QueryRow(`SELECT hourly FROM indicator_values WHERE day = ? LIMIT 1`, day).Scan(&hourly); err != nil {
				t.Fatal(err)
			}
			values := strings.Split(strings.Trim(hourly, "[]"), ",")
			if h := asOf.In(beijing).Hour(); len(values) != 24 || values[h] == "null" || h < 23 && values[h+1] != "null" {
				t.Errorf("as of %02d:xx in Beijing, the last day's values are %s", h, hourly)
			}
		})
	}
}

// A demo built as of now is live at once: its latest report is within the
// last day, and the clocks of its open cases, taken now, are mostly not
// overdue. Those that are, are the parked backlog (挂账, never resumed in
// the demo): about a quarter of the open cases (19-33 % over 56 instants
// of a week in this city; 24 % in the demo Guangzhou), while of the cases
// being worked hardly any (0 here; 1 % in Guangzhou).
func TestDemoAsOfNowIsLive(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	opt := fixture.Options()
	opt.AsOf, opt.Grids, opt.Days = now, 400, 30
	m, _ := buildCity(t, opt)
	var latest gpkg.Time
	if err := m.DB.QueryRow(`SELECT max(reported_at) FROM events`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	if latest.Time.After(now) || now.Sub(latest.Time) > 24*time.Hour {
		t.Errorf("latest report %v, now %v", latest.Time, now)
	}
	rows, err := m.Cases(context.Background(), data.CaseFilter{}, now)
	if err != nil {
		t.Fatal(err)
	}
	var clocked, overdue, worked, workedOverdue int
	for _, r := range rows {
		if r.Clock.State == data.ClockNone {
			continue
		}
		clocked++
		late := r.Clock.State == data.ClockOverdue
		if late {
			overdue++
		}
		if r.State != data.EventParked {
			worked++
			if late {
				workedOverdue++
			}
		}
	}
	share, workedShare := float64(overdue)/float64(clocked), float64(workedOverdue)/float64(worked)
	t.Logf("%d open cases, %d with a clock: %d overdue (%.0f%%); of %d not parked, %d overdue", len(rows), clocked, overdue, 100*share, worked, workedOverdue)
	if clocked < 20 || share >= 0.5 || workedShare > 0.1 {
		t.Errorf("%d of %d open cases overdue now, %d of the %d not parked: the demo is not live", overdue, clocked, workedOverdue, worked)
	}
}

var beijing = time.FixedZone("CST", 8*3600)

// The demo's dispatched units are those its open cases hold: each one held
// once, by a case dispatched or in handling; feeding such a case back
// frees its unit. No unit is busy or dispatched without a hold.
func TestDemoUnitsAreHeldByTheirCases(t *testing.T) {
	m, _ := buildTestCity(t)
	if n := fixture.Count(t, m, `SELECT count(*) FROM units u WHERE status IN ('dispatched','busy') AND
		(SELECT count(*) FROM unit_holds h WHERE h.unit_code = u.code AND h.released_at IS NULL) != 1`); n != 0 {
		t.Fatalf("%d units dispatched or busy without exactly one hold", n)
	}
	if n := fixture.Count(t, m, `SELECT count(*) FROM unit_holds h JOIN events e ON e.code = h.holder
		WHERE h.released_at IS NULL AND (e.state NOT IN ('dispatched','handling') OR h.since != e.dispatched_at)`); n != 0 {
		t.Fatalf("%d holds on cases not being worked, or not from their dispatch", n)
	}
	held := fixture.Count(t, m, `SELECT count(*) FROM unit_holds WHERE released_at IS NULL`)
	working := fixture.Count(t, m, `SELECT count(*) FROM events WHERE state IN ('dispatched','handling')`)
	if held == 0 || held > working || held < working*9/10 {
		t.Fatalf("%d holds for %d cases being worked", held, working)
	}
	var code, unit string
	var version int64
	if err := m.DB.QueryRow(`SELECT e.code, e.version, h.unit_code FROM events e JOIN unit_holds h ON h.holder = e.code
		WHERE e.state = 'handling' LIMIT 1`).Scan(&code, &version, &unit); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MoveCase(context.Background(), data.CaseMove{Case: code, To: data.EventFedBack, Result: "已处置", Actor: data.SystemLogin, Version: version}, fixture.AsOf.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := fixture.Count(t, m, `SELECT count(*) FROM units WHERE code = ? AND status = 'available'`, unit); n != 1 {
		t.Fatalf("feedback did not free %s", unit)
	}
}
