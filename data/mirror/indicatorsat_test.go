package mirror_test

import (
	"fmt"
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// How the indicators stood at a past moment, read without writing, is how
// the evaluation left them then: a value rising and falling through the
// thresholds with hysteresis, fed and evaluated step by step, the statuses
// taken after each step; read back afterwards at each step's instant and
// half-way to the next, they are the same.
func TestIndicatorStatusesAtAreTheEvaluations(t *testing.T) {
	m := fixture.City(t)
	t0 := fixture.AsOf.Add(-time.Hour)
	values := []float64{90, 120, 155, 145, 139, 95, 89, 101, 160, 80, 120, 148}
	f := data.IndicatorFilter{Region: "990101", Within: true}
	type step struct {
		at   time.Time
		want []data.IndicatorStatus
	}
	var steps []step
	for i, v := range values {
		at := t0.Add(time.Duration(i) * time.Minute)
		if _, err := m.Feed(ctx, "test", []data.Reading{reading(aqi, feedStreet, at, v)}, "operator", at); err != nil {
			t.Fatal(err)
		}
		st, err := m.IndicatorStatuses(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, step{at, st})
	}
	severities := map[data.Severity]bool{}
	for i, s := range steps {
		for _, at := range []time.Time{s.at, s.at.Add(30 * time.Second)} {
			got, err := m.IndicatorStatusesAt(ctx, f, at)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(s.want) {
				t.Fatalf("step %d at %s:\n%v\nthe evaluation then:\n%v", i, at, got, s.want)
			}
			for _, st := range got {
				if st.Indicator.Code == aqi && st.Region == feedStreet {
					severities[st.Severity] = true
				}
			}
		}
	}
	if len(severities) != 3 {
		t.Fatalf("the value went through %v only", severities)
	}
	// Reading the past wrote nothing.
	now, err := m.IndicatorStatuses(ctx, f)
	if err != nil || fmt.Sprint(now) != fmt.Sprint(steps[len(steps)-1].want) {
		t.Fatalf("the statuses of now changed: %v", err)
	}
}
