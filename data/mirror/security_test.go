package mirror_test

import (
	"slices"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// Police incidents are the open cases reported by the police or of a
// police matter (公安局…) in the window, the latest first, under the
// region; the count is SQL's over the same rows, a later start of the
// window keeps fewer, and a closed or older case is not one.
func TestPoliceIncidents(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	since := now.Add(-72 * time.Hour)
	all, err := m.PoliceIncidents(ctx, "", since, now)
	if err != nil {
		t.Fatal(err)
	}
	want := fixture.Count(t, m, `SELECT count(*) FROM events e JOIN matter_types t ON t.code = e.matter_code
		WHERE e.state NOT IN ('cancelled','closed','evaluated') AND e.reported_at >= ? AND e.reported_at <= ?
		AND (e.source = 'police' OR t.department LIKE '公安局%')`, since.UTC().Format("2006-01-02T15:04:05.000Z"), now.UTC().Format("2006-01-02T15:04:05.000Z"))
	if int64(len(all)) != want || want == 0 {
		t.Fatalf("%d police incidents in 72 h, SQL counts %d", len(all), want)
	}
	for i, p := range all {
		if p.ReportedAt.Before(since) || p.ReportedAt.After(now) || p.At.X() == 0 || p.Category == "" {
			t.Errorf("%+v: outside the window or without a place or category", p)
		}
		if i > 0 && p.ReportedAt.After(all[i-1].ReportedAt) {
			t.Errorf("%s after %s: not the latest first", p.Code, all[i-1].Code)
		}
		if p.Source != string(data.SourcePolice) {
			var dept string
			if err := m.DB.QueryRow(`SELECT department FROM matter_types WHERE code = ?`, p.Matter).Scan(&dept); err != nil {
				t.Fatal(err)
			}
			if len(dept) < len(mirror.PoliceDepartment) || dept[:len(mirror.PoliceDepartment)] != mirror.PoliceDepartment {
				t.Errorf("%s: source %s, matter %s of %s: not a police incident", p.Code, p.Source, p.Matter, dept)
			}
		}
	}
	day, err := m.PoliceIncidents(ctx, "", now.Add(-24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(day) > len(all) {
		t.Errorf("%d in 24 h, %d in 72 h", len(day), len(all))
	}
	east, err := m.PoliceIncidents(ctx, "990101", since, now)
	if err != nil {
		t.Fatal(err)
	}
	west, err := m.PoliceIncidents(ctx, "990102", since, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(east)+len(west) != len(all) {
		t.Errorf("districts %d + %d, all %d", len(east), len(west), len(all))
	}
	// Closing one takes it off.
	if _, err := m.DB.Exec(`UPDATE events SET state = 'closed' WHERE code = ?`, all[0].Code); err != nil {
		t.Fatal(err)
	}
	after, err := m.PoliceIncidents(ctx, "", since, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(all)-1 || slices.ContainsFunc(after, func(p mirror.PoliceIncident) bool { return p.Code == all[0].Code }) {
		t.Errorf("closed %s: %d incidents left of %d", all[0].Code, len(after), len(all))
	}
}

// A unit is on patrol while a running patrol order names it and its window
// holds the instant: not before its start, not after its end, not once
// cancelled, and not for an order of another type; a unit held by two
// patrol orders is listed once.
func TestUnitsOnPatrol(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	const unit, other, third = "U9901010010010011", "U9901020012010011", "U9901010010010021"
	units := func(at time.Time, region string) []string {
		t.Helper()
		ps, err := m.UnitsOnPatrol(ctx, region, at)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			if p.At.X() == 0 || p.Name == "" || p.Order == 0 || !p.Start.Before(p.End) {
				t.Errorf("%+v: without a place, name, order or window", p)
			}
			out = append(out, p.Code)
		}
		return out
	}
	if got := units(now, ""); len(got) != 0 {
		t.Fatalf("the fixture has units on patrol before any order: %v", got)
	}
	issue := func(typ data.OrderType, start, end time.Time, targets ...string) data.Order {
		t.Helper()
		o, err := m.IssueOrder(ctx, data.OrderRequest{Type: typ, Task: "巡逻", Priority: data.PriorityNormal, Start: start, End: end,
			Targets: targets, Actor: "leader"}, now)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	issue(data.OrderPatrol, now.Add(-time.Hour), now.Add(time.Hour), unit, other)
	issue(data.OrderPatrol, now.Add(-30*time.Minute), now.Add(3*time.Hour), unit)
	issue(data.OrderInspection, now.Add(-time.Hour), now.Add(time.Hour), third)
	late := issue(data.OrderPatrol, now.Add(2*time.Hour), now.Add(4*time.Hour), third)
	if got := units(now, ""); !slices.Equal(got, []string{unit, other}) {
		t.Errorf("on patrol now: %v", got)
	}
	if got := units(now, "990101"); !slices.Equal(got, []string{unit}) {
		t.Errorf("on patrol in 990101: %v", got)
	}
	if got := units(now.Add(150*time.Minute), ""); !slices.Equal(got, []string{unit, third}) {
		t.Errorf("on patrol at 11:30: %v", got)
	}
	if _, err := m.MoveOrder(ctx, late.UID, data.OrderCancelled, "leader", now); err != nil {
		t.Fatal(err)
	}
	if got := units(now.Add(150*time.Minute), ""); !slices.Equal(got, []string{unit}) {
		t.Errorf("after cancelling: %v", got)
	}
	if got := units(now.Add(5*time.Hour), ""); len(got) != 0 {
		t.Errorf("after every window: %v", got)
	}
}

// Centers are staffed while someone is on duty; one whose duty is taken
// off in the shift under way is a gap, as DutyGaps lists it; the summary
// counts them so.
func TestCentersOnDutyAndSecuritySummary(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf.Add(30 * time.Minute)
	const center = "C990101001001"
	if _, err := m.DB.Exec(`DELETE FROM center_duty WHERE center_code = ?`, center); err != nil {
		t.Fatal(err)
	}
	cs, err := m.CentersOnDuty(ctx, "", now)
	if err != nil {
		t.Fatal(err)
	}
	gaps, n, err := m.DutyGaps(ctx, "", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != n || n == 0 {
		t.Fatalf("%d centers, DutyGaps counts %d", len(cs), n)
	}
	var staffed, nobody []string
	for _, c := range cs {
		switch c.Duty {
		case mirror.DutyStaffed:
			staffed = append(staffed, c.Code)
		case mirror.DutyNobody:
			nobody = append(nobody, c.Code)
		}
	}
	var gapCodes []string
	for _, g := range gaps {
		gapCodes = append(gapCodes, g.Code)
	}
	if !slices.Equal(nobody, gapCodes) || !slices.Contains(nobody, center) {
		t.Errorf("nobody on duty %v, DutyGaps %v (%s emptied)", nobody, gapCodes, center)
	}
	wantStaffed := fixture.Count(t, m, `SELECT count(DISTINCT center_code) FROM center_duty WHERE start_at <= ?1 AND end_at > ?1`,
		now.UTC().Format("2006-01-02T15:04:05.000Z"))
	if int64(len(staffed)) != wantStaffed {
		t.Errorf("%d staffed, SQL %d", len(staffed), wantStaffed)
	}

	if _, err := m.IssueOrder(ctx, data.OrderRequest{Type: data.OrderPatrol, Task: "巡逻", Priority: data.PriorityNormal,
		Start: now.Add(-time.Hour), End: now.Add(time.Hour), Targets: []string{"U9901010010010011"}, Actor: "leader"}, now); err != nil {
		t.Fatal(err)
	}
	// An open opinion alert in 990101 (the fixture's three days give no
	// baseline, so none opens by itself).
	if _, err := m.DB.Exec(`INSERT INTO alerts (uid, indicator_id, region_code, severity, opened_at, opened_value)
		SELECT 'a1', id, '990101', 'alarm', ?, 40 FROM indicator_defs WHERE code = ?`,
		now.Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000Z"), mirror.OpinionAlertsIndicator); err != nil {
		t.Fatal(err)
	}
	values, err := m.DistrictValues(ctx, mirror.OpinionAlertsIndicator, now)
	if err != nil {
		t.Fatal(err)
	}
	since := now.Add(-24 * time.Hour)
	for _, region := range []string{"", "990101", "990102", "990101001"} {
		s, err := m.SecuritySummary(ctx, region, since, now)
		if err != nil {
			t.Fatal(err)
		}
		police, _ := m.PoliceIncidents(ctx, region, since, now)
		patrol, _ := m.UnitsOnPatrol(ctx, region, now)
		centers, _ := m.CentersOnDuty(ctx, region, now)
		alerts, _ := m.Alerts(ctx, data.AlertFilter{OpenOnly: true, Indicator: mirror.OpinionAlertsIndicator, Region: region})
		district := region
		if len(district) > 6 {
			district = district[:6]
		}
		cam := func(status string) int {
			return int(fixture.Count(t, m, `SELECT count(*) FROM cameras WHERE grid_code LIKE ? || '%' AND status = ?`, region, status))
		}
		cp := func(status string) int {
			return int(fixture.Count(t, m, `SELECT count(*) FROM checkpoints WHERE district_code LIKE ? || '%' AND status = ?`, district, status))
		}
		if s.Police != len(police) || s.Patrol != len(patrol) || s.Centers != len(centers) || s.OpinionAlerts != len(alerts) ||
			s.CamerasOnline != cam("online") || s.CamerasOffline != cam("offline") ||
			s.CheckpointsOnline != cp("online") || s.CheckpointsOffline != cp("offline") {
			t.Errorf("%q: %+v; police %d patrol %d centers %d alerts %d cameras %d/%d checkpoints %d/%d", region, s, len(police), len(patrol),
				len(centers), len(alerts), cam("online"), cam("offline"), cp("online"), cp("offline"))
		}
		judged := 0
		for _, v := range values {
			if v.Severity > data.Normal && v.District[:min(6, len(region))] == region[:min(6, len(region))] {
				judged++
			}
		}
		if s.OpinionDistricts != judged {
			t.Errorf("%q: %d districts' opinion alerts at warn or above, DistrictValues %d", region, s.OpinionDistricts, judged)
		}
		if region == "" && (s.Patrol != 1 || s.Unstaffed != len(gaps) || s.OpinionAlerts != 1 ||
			s.CamerasOnline+s.CamerasOffline == 0 || s.CheckpointsOnline+s.CheckpointsOffline == 0) {
			t.Errorf("the city: %+v", s)
		}
		if region == "990102" && (s.Patrol != 0 || s.OpinionAlerts != 0) {
			t.Errorf("990102: %+v", s)
		}
	}
	if _, err := m.SecuritySummary(ctx, "990199", since, now); err == nil {
		t.Error("an unknown district was counted")
	}
}

// The districts' latest values are the archive's (or the values fed, when
// later), judged as the evaluation judges them (the fixture's three days
// give no baseline: normal).
func TestDistrictValuesAsTheEvaluation(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf.Add(30 * time.Minute)
	if _, err := m.Feed(ctx, "test", []data.Reading{{Indicator: mirror.OpinionAlertsIndicator, Region: "990101", At: now.Add(-10 * time.Minute), Value: 500}},
		"leader", now); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{mirror.CheckpointTrafficIndicator, mirror.OpinionAlertsIndicator} {
		vs, err := m.DistrictValues(ctx, code, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].District != "990101" || vs[1].District != "990102" || vs[0].Name == "" {
			t.Fatalf("%s: %+v", code, vs)
		}
		for _, v := range vs {
			st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: v.District, Indicator: code})
			if err != nil {
				t.Fatal(err)
			}
			if len(st) != 1 || st[0].Value != v.Value || !st[0].At.Equal(v.At) || st[0].Severity != v.Severity {
				t.Errorf("%s %s: %+v; the evaluation %+v", code, v.District, v, st)
			}
		}
		if code == mirror.OpinionAlertsIndicator && (vs[0].Value != 500 || !vs[0].At.Equal(now.Add(-10*time.Minute))) {
			t.Errorf("990101's opinion alerts: %+v, not the value fed", vs[0])
		}
	}
	if _, err := m.DistrictValues(ctx, "nope-01H", now); err == nil {
		t.Error("an unknown indicator was read")
	}
}
