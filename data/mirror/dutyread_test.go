package mirror_test

import (
	"slices"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// gapCodes are the codes of the centers DutyGaps lists.
func gapCodes(t *testing.T, m *mirror.Mirror, region string, at time.Time) []string {
	t.Helper()
	gaps, _, err := m.DutyGaps(ctx, region, at)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range gaps {
		out = append(out, g.Code)
	}
	return out
}

// A center is read with its name, level and the shift table its duty is
// kept in: its district's own once set, the default shifts for the city's
// center; an unknown center is refused.
func TestDutyCenterOf(t *testing.T) {
	m := fixture.City(t)
	c, err := m.DutyCenterOf(ctx, "C990102001201")
	if err != nil || c.Name != "大源村综治中心" || c.Level != data.LevelCommunity || c.Region != "990102001201" || !slices.Equal(c.Shifts, data.DefaultShifts) {
		t.Fatalf("center: %+v, %v", c, err)
	}
	own := []data.ShiftDef{{Name: "day", Start: 8, End: 20}, {Name: "night", Start: 20, End: 24}}
	if err := m.SetDistrictRules(ctx, "990102", own, nil, "leader", fixture.AsOf); err != nil {
		t.Fatal(err)
	}
	if c, err := m.DutyCenterOf(ctx, "C990102001201"); err != nil || !slices.Equal(c.Shifts, own) {
		t.Fatalf("under the district's own table: %+v, %v", c.Shifts, err)
	}
	if c, err := m.DutyCenterOf(ctx, "C9901"); err != nil || c.Level != data.LevelCity || !slices.Equal(c.Shifts, data.DefaultShifts) {
		t.Fatalf("the city's center: %+v, %v", c, err)
	}
	_, err = m.DutyCenterOf(ctx, "C990109")
	refused(t, "unknown center", err, data.CodeCenterUnknown)
}

// DutyGaps lists the centers with nobody on duty in the shift under way:
// the same centers the status board counts; a center is listed once its
// shift is emptied and no more once someone is put on it; a region narrows
// the list; a district's table without a shift at that hour has no gaps
// then.
func TestDutyGaps(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf // Wednesday 25 November 09:00 Beijing time: the day shift
	all, centers, err := m.DutyGaps(ctx, "", now)
	if err != nil || centers != 16 {
		t.Fatalf("%d centers, %v", centers, err)
	}
	if want := count(t, m, `SELECT count(*) FROM centers c WHERE NOT EXISTS (SELECT 1 FROM center_duty d WHERE d.center_code = c.code
		AND d.shift = '2026-11-25/day')`); int64(len(all)) != want {
		t.Fatalf("%d gaps, %d centers have nobody on 2026-11-25/day", len(all), want)
	}
	board := func() int {
		rows, err := m.StatusBoard(ctx, "", now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Code == "990101" {
				return r.Unstaffed
			}
		}
		t.Fatal("no row for 990101 on the board")
		return 0
	}
	const center = "C990101001002"
	mustExec(t, m, `DELETE FROM center_duty WHERE center_code = ? AND shift = '2026-11-25/day'`, center)
	gaps, centers, err := m.DutyGaps(ctx, "990101", now)
	if err != nil || centers != 8 || len(gaps) != board() {
		t.Fatalf("under 990101: %d gaps of %d centers, board %d, %v", len(gaps), centers, board(), err)
	}
	i := slices.IndexFunc(gaps, func(g mirror.DutyGap) bool { return g.Code == center })
	if i < 0 {
		t.Fatalf("%s emptied is not listed: %+v", center, gaps)
	}
	g := gaps[i]
	if g.Shift.String() != "2026-11-25/day" || g.Name != "二社区综治中心" || g.Level != data.LevelCommunity ||
		g.Start.UTC() != time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) || g.End.UTC() != time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) {
		t.Fatalf("gap %+v", g)
	}
	for _, g := range gaps {
		if g.Region[:6] != "990101" {
			t.Fatalf("%s listed under 990101", g.Code)
		}
	}
	if _, err := m.AssignDuty(ctx, data.DutyRequest{Center: center, Shift: "2026-11-25/day", Person: "王伟", Actor: "leader"}, now); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(gapCodes(t, m, "990101", now), center) {
		t.Fatal("still listed with someone on duty")
	}
	// Still listed in the shift after, which nobody holds.
	if !slices.Contains(gapCodes(t, m, "990101", time.Date(2026, 11, 28, 10, 0, 0, 0, data.BeijingTime)), center) {
		t.Fatal("not listed on Saturday, when the demo staffs nobody")
	}

	// Saturday 10:00: nobody is on duty anywhere; district 990102 keeps
	// only a night shift, so its centers are due nobody then.
	sat := time.Date(2026, 11, 28, 10, 0, 0, 0, data.BeijingTime)
	if n := len(gapCodes(t, m, "", sat)); n != 16 {
		t.Fatalf("%d gaps on Saturday, want all 16 centers", n)
	}
	if err := m.SetDistrictRules(ctx, "990102", []data.ShiftDef{{Name: "night", Start: 0, End: 8}}, nil, "leader", now); err != nil {
		t.Fatal(err)
	}
	codes := gapCodes(t, m, "", sat)
	if len(codes) != 9 || slices.ContainsFunc(codes, func(c string) bool { return len(c) > 6 && c[:7] == "C990102" }) {
		t.Fatalf("with 990102 keeping a night shift only: %v", codes)
	}
	// The board and the center's details count alike.
	rows, err := m.StatusBoard(ctx, "", sat)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if want := map[string]int{"990101": 8, "990102": 0}[r.Code]; r.Unstaffed != want {
			t.Fatalf("board on Saturday: %s %d unstaffed, want %d", r.Code, r.Unstaffed, want)
		}
	}
	if d, err := m.CenterDetail(ctx, "C990102", sat); err != nil || d.Unstaffed {
		t.Fatalf("C990102's details on Saturday: unstaffed %v, %v", d.Unstaffed, err)
	}
	if d, err := m.CenterDetail(ctx, "C990101", sat); err != nil || !d.Unstaffed {
		t.Fatalf("C990101's details on Saturday: unstaffed %v, %v", d.Unstaffed, err)
	}
	if codes := gapCodes(t, m, "990102", time.Date(2026, 11, 28, 3, 0, 0, 0, data.BeijingTime)); len(codes) != 7 {
		t.Fatalf("990102's night: %v", codes)
	}

	_, _, err = m.DutyGaps(ctx, "990109", now)
	refused(t, "unknown region", err, data.CodeRegionUnknown)
	_, _, err = m.DutyGaps(ctx, "99", now)
	refused(t, "not a region code", err, data.CodeRegionCodeInvalid)
}
