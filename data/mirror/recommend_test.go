package mirror_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

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
	for _, busy := range []string{"U9901010010010021", "U9901010010010042", "U9901010010010051"} {
		if slices.Contains(codes(recs), busy) {
			t.Fatalf("busy unit %s recommended", busy)
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
