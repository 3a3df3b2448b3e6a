package mirror_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// reportFire reports a blocked fire lane (XF01, needs fire fighting) in
// grid 990101001001001 and files it.
func reportFire(t *testing.T, m *mirror.Mirror) data.CaseRow {
	t.Helper()
	c, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "XF01", Description: "消防通道被占",
		Source: data.SourcePatrol, Actor: "leader_990101"}, caseNow)
	if err != nil {
		t.Fatal(err)
	}
	return move(t, m, data.CaseMove{Case: c.Code, To: data.EventFiled, Version: c.Version}, caseNow)
}

func codes(recs []data.Recommendation) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Unit.Code
	}
	return out
}

// The store's recommendation: available units only, within the actor's
// jurisdiction, the grid's own capable unit first with its reasons; a unit
// dispatched (here or by another process) drops out at once, and comes
// back once freed, now with a load.
func TestRecommend(t *testing.T) {
	m := fixture.City(t)
	c := reportFire(t, m)
	recs, err := m.Recommend(ctx, c.Code, "leader_990101", 5, caseNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("%d recommendations, want 5", len(recs))
	}
	top := recs[0]
	if top.Unit.Code != "U9901010010010011" || !top.SameGrid || top.Tier != data.LevelCommunity+1 ||
		!slices.Equal(top.Has, []string{"fire_fighting"}) || len(top.Lacks) != 0 || top.Load != 0 {
		t.Fatalf("top: %+v", top)
	}
	for i, r := range recs {
		if r.Unit.Status != data.UnitAvailable || !strings.HasPrefix(r.Unit.GridCode, "990101") {
			t.Fatalf("recommendation %d: %s %s in %s", i, r.Unit.Code, r.Unit.Status, r.Unit.GridCode)
		}
		if i > 0 && len(recs[i-1].Lacks) == 0 && len(r.Lacks) == 0 && recs[i-1].DistanceM > r.DistanceM && recs[i-1].Tier == r.Tier {
			t.Fatalf("%s ranked before %s, nearer at the same tier", recs[i-1].Unit.Code, r.Unit.Code)
		}
	}
	busy, err := m.UnavailableUnits(ctx)
	if err != nil || len(busy) == 0 {
		t.Fatalf("no unit of the fixture is out: %v", err)
	}
	for _, r := range recs {
		if _, out := busy[r.Unit.Code]; out {
			t.Fatalf("%s unit %s recommended", busy[r.Unit.Code], r.Unit.Code)
		}
	}
	// The whole city's list, for an actor of the city, reaches past the
	// district; an actor of the other district is offered none of 990101's.
	all, err := m.Recommend(ctx, c.Code, "leader", 50, caseNow)
	if err != nil {
		t.Fatal(err)
	}
	var other int
	for _, r := range all {
		if !strings.HasPrefix(r.Unit.GridCode, "990101") {
			other++
		}
	}
	if other == 0 || len(all) != int(count(t, m, `SELECT count(*) FROM units WHERE status = 'available'`)) {
		t.Fatalf("city-wide: %d of %d, %d outside the district", len(all), count(t, m, `SELECT count(*) FROM units WHERE status = 'available'`), other)
	}
	theirs, err := m.Recommend(ctx, c.Code, "leader_990102", 50, caseNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range theirs {
		if !strings.HasPrefix(r.Unit.GridCode, "990102") {
			t.Fatalf("%s, outside 990102, offered to its leader", r.Unit.Code)
		}
	}

	// Another process dispatches the top unit: this mirror's cached
	// ranker sees it.
	other2, err := mirror.Open(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other2.Close() }()
	c = move(t, other2, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{top.Unit.Code}, Version: c.Version}, caseNow.Add(time.Minute))
	recs, err = m.Recommend(ctx, c.Code, "leader_990101", 5, caseNow.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(codes(recs), top.Unit.Code) {
		t.Fatalf("dispatched unit still recommended: %v", codes(recs))
	}
	// Feedback frees it: recommended again, with the case as its load, and
	// without it a day later.
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventHandling, Version: c.Version}, caseNow.Add(3*time.Minute))
	move(t, m, data.CaseMove{Case: c.Code, To: data.EventFedBack, Result: "已清理", Version: c.Version}, caseNow.Add(time.Hour))
	c2 := reportFire(t, m)
	recs, err = m.Recommend(ctx, c2.Code, "leader_990101", 50, caseNow.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.Index(codes(recs), top.Unit.Code)
	if i < 0 || recs[i].Load != 1 {
		t.Fatalf("freed unit: at %d in %v", i, codes(recs))
	}
	recs, err = m.Recommend(ctx, c2.Code, "leader_990101", 1, caseNow.Add(25*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].Unit.Code != top.Unit.Code || recs[0].Load != 0 {
		t.Fatalf("a day later: %+v", recs[0])
	}

	for _, bad := range []struct {
		code, actor string
		want        data.Code
	}{
		{"E0", "leader_990101", data.CodeCaseUnknown},
		{c2.Code, "nobody", data.CodeUserUnknown},
	} {
		_, err := m.Recommend(ctx, bad.code, bad.actor, 5, caseNow)
		var r *data.Refusal
		if !errors.As(err, &r) || r.Code != bad.want {
			t.Errorf("%s by %s: %v, want %s", bad.code, bad.actor, err, bad.want)
		}
	}
}

// The map's case layers: a marker per open case classed by the clock the
// queue shows, a line from each dispatched unit to its case; the console's
// units layer learns statuses from UnavailableUnits.
func TestCaseMapLayers(t *testing.T) {
	m := fixture.City(t)
	c := reportFire(t, m)
	unit := "U9901010010010011"
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventDispatched, Units: []string{unit}, Version: c.Version}, caseNow)
	classOf := func(at time.Time) string {
		t.Helper()
		fs, err := m.LoadOverlay(ctx, "events", at)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(fs)) != count(t, m, `SELECT count(*) FROM events WHERE state IN `+openStates) {
			t.Fatalf("%d markers", len(fs))
		}
		for _, f := range fs {
			if f.Code == c.Code {
				rows, err := m.Cases(ctx, data.CaseFilter{Region: "990101001001001"}, at)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					if r.Code == c.Code && string(r.Clock.State) != f.Class {
						t.Fatalf("marker %s, queue %s", f.Class, r.Clock.State)
					}
				}
				return f.Class
			}
		}
		t.Fatal("no marker for the case")
		return ""
	}
	// XF01: 8 hours; warning from 6 h, overdue after 8 h.
	for _, tc := range []struct {
		after time.Duration
		want  data.ClockState
	}{{time.Hour, data.ClockRunning}, {6*time.Hour + time.Minute, data.ClockWarning}, {8*time.Hour + time.Minute, data.ClockOverdue}} {
		if got := classOf(caseNow.Add(tc.after)); got != string(tc.want) {
			t.Errorf("after %v: %s, want %s", tc.after, got, tc.want)
		}
	}
	lines, err := m.LoadOverlay(ctx, "dispatch", caseNow)
	if err != nil {
		t.Fatal(err)
	}
	held := count(t, m, `SELECT count(*) FROM unit_holds WHERE holder_kind = 'case' AND released_at IS NULL`)
	i := slices.IndexFunc(lines, func(f data.MapFeature) bool { return f.Code == unit })
	if int64(len(lines)) != held || i < 0 {
		t.Fatalf("%d dispatch lines for %d holds, the new one at %d", len(lines), held, i)
	}
	ls := lines[i].Geom.(orb.LineString)
	if len(ls) != 2 || ls[1] != c.Location {
		t.Fatalf("line %v does not end at the case %v", ls, c.Location)
	}
	busy, err := m.UnavailableUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if busy[unit] != data.UnitDispatched || int64(len(busy)) != count(t, m, `SELECT count(*) FROM units WHERE status != 'available'`) {
		t.Fatalf("unavailable: %d, %s", len(busy), busy[unit])
	}
	c = move(t, m, data.CaseMove{Case: c.Code, To: data.EventHandling, Version: c.Version}, caseNow.Add(time.Hour))
	move(t, m, data.CaseMove{Case: c.Code, To: data.EventFedBack, Result: "已清理", Version: c.Version}, caseNow.Add(2*time.Hour))
	if lines, err = m.LoadOverlay(ctx, "dispatch", caseNow); err != nil || int64(len(lines)) != held-1 ||
		slices.ContainsFunc(lines, func(f data.MapFeature) bool { return f.Code == unit }) {
		t.Fatalf("after feedback: %d lines, %v", len(lines), err)
	}
}

// The cached ranker is built again when a unit is moved or given other
// capabilities by another process (its place and skills are taken when the
// ranker is built; only statuses and loads are updated in place).
func TestRecommendSeesUnitsMovedElsewhere(t *testing.T) {
	m := fixture.City(t)
	c := reportFire(t, m)
	first := func() data.Recommendation {
		t.Helper()
		recs, err := m.Recommend(ctx, c.Code, "leader", 1, caseNow)
		if err != nil || len(recs) != 1 {
			t.Fatalf("%v %v", recs, err)
		}
		return recs[0]
	}
	top := first()
	if top.Unit.Code != "U9901010010010011" || !top.SameGrid {
		t.Fatalf("top: %+v", top)
	}
	other, err := mirror.Open(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	// Moved, place and grid, to a unit of the other district.
	if _, err := other.DB.Exec(`UPDATE units SET grid_code = f.grid_code, geom = f.geom
		FROM (SELECT grid_code, geom FROM units WHERE grid_code LIKE '990102%' ORDER BY code LIMIT 1) f WHERE code = ?`, top.Unit.Code); err != nil {
		t.Fatal(err)
	}
	if now := first(); now.Unit.Code == top.Unit.Code {
		t.Fatalf("the unit moved away is still first: %+v", now)
	}
	// Back in the case's grid, without the capability the matter needs.
	if _, err := other.DB.Exec(`UPDATE units SET grid_code = '990101001001001', geom = (SELECT geom FROM units WHERE code = 'U9901010010010021'),
		capabilities = '' WHERE code = ?`, top.Unit.Code); err != nil {
		t.Fatal(err)
	}
	recs, err := m.Recommend(ctx, c.Code, "leader", 50, caseNow)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.Index(codes(recs), top.Unit.Code)
	if i < 0 || len(recs[i].Has) != 0 || len(recs[i].Lacks) == 0 {
		t.Fatalf("the unit without its capability: at %d of %v", i, codes(recs))
	}
}
