package demo_test

import (
	"context"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/demo"
	"kapok/internal/fixture"
)

// The living city feeds the minute indicators every step, reports a case
// now and then, and its incidents open an alert and clear it again.
func TestLiveCity(t *testing.T) {
	ctx := context.Background()
	m := fixture.City(t)
	now := fixture.AsOf
	l, err := demo.NewLive(ctx, m, 7, now)
	if err != nil {
		t.Fatal(err)
	}
	values, cases, opened, cleared := 0, 0, 0, 0
	for i := range 300 { // 25 minutes
		step, err := l.Step(ctx, m, "system", now.Add(time.Duration(i)*5*time.Second))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		values += step.Values
		if step.Case != "" {
			cases++
		}
		opened += step.Alerts.Opened
		cleared += step.Alerts.Cleared
	}
	// The minute indicators (a 1-minute refresh) × the 2 districts.
	defs, err := data.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	minute := 0
	for _, d := range defs {
		if d.Refresh == time.Minute {
			minute++
		}
	}
	if minute == 0 || values != 300*minute*2 {
		t.Fatalf("%d values fed in 300 steps for %d minute indicators", values, minute)
	}
	if cases < 20 || cases > 80 {
		t.Fatalf("%d cases in 300 steps, want about 50", cases)
	}
	if opened == 0 || cleared == 0 {
		t.Fatalf("alerts opened %d, cleared %d: no incident came and went", opened, cleared)
	}
	if n, err := m.Alerts(ctx, data.AlertFilter{OpenOnly: true}); err != nil || len(n) > opened {
		t.Fatalf("open alerts %d of %d opened, %v", len(n), opened, err)
	}
	// A step in the same second writes nothing.
	if s, err := l.Step(ctx, m, "system", now.Add(299*5*time.Second)); err != nil || s.Values != 0 {
		t.Fatalf("a second step in the same second: %+v %v", s, err)
	}
}

// The demo's values are ordinary for a day: a handful of series in warn
// or alarm (its incidents, and what the hour brings), not most of them —
// the first catalogue's thresholds had nine values in ten in alarm.
func TestDemoHasAHandfulOfAlerts(t *testing.T) {
	ctx := context.Background()
	m := fixture.City(t)
	res, err := m.EvaluateIndicators(ctx, fixture.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := m.Alerts(ctx, data.AlertFilter{OpenOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	alarms, byDistrict := 0, map[string]int{}
	for _, a := range alerts {
		if a.Severity == data.Alarm {
			alarms++
		}
		byDistrict[a.Region]++
	}
	if len(alerts) < 2 || len(alerts)*20 > res.Series || alarms < 1 || byDistrict["990101"] == 0 || byDistrict["990102"] == 0 {
		t.Fatalf("%d alerts (%d alarms) of %d series, by district %v", len(alerts), alarms, res.Series, byDistrict)
	}
}
