package mirror_test

import (
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/redcotton"
	"kapok/internal/fixture"
)

// The fixture's street 990101001 and an absolute and a baseline indicator
// of the catalogue.
const (
	feedStreet = "990101001"
	aqi        = "environment-01H" // absolute, lower better: warn 100, alarm 150, hysteresis 10
	accidents  = "transport-05H"   // baseline, lower better: warn 1.5×, alarm 2×, hysteresis 0.1
)

func reading(code, region string, at time.Time, v float64) data.Reading {
	return data.Reading{Indicator: code, Region: region, At: at, Value: v}
}

// Every indicator is judged in every district and the city; the city's
// value of a sum is the sum of its districts', of a mean their mean.
func TestEvaluateIndicators(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	res, err := m.EvaluateIndicators(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	streets := count(t, m, `SELECT count(DISTINCT indicator_id || region_code) FROM indicator_readings WHERE length(region_code) = 9`)
	if res.Series != 211*3+int(streets) || streets == 0 || res.Changed != res.Series {
		t.Fatalf("evaluation %+v: want 211 indicators × (2 districts and the city) and the demo's %d street inputs", res, streets)
	}
	again, err := m.EvaluateIndicators(ctx, now)
	if err != nil || again.Changed != 0 || again.Opened != 0 {
		t.Fatalf("evaluated again at the same instant: %+v %v", again, err)
	}
	city, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{})
	if err != nil || len(city) != 211 {
		t.Fatalf("%d city statuses, %v", len(city), err)
	}
	for _, st := range city {
		var districts []data.IndicatorStatus
		for _, d := range []string{"990101", "990102"} {
			s, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: d, Indicator: st.Indicator.Code})
			if err != nil || len(s) != 1 {
				t.Fatalf("%s in %s: %+v %v", st.Indicator.Code, d, s, err)
			}
			districts = append(districts, s[0])
		}
		want := districts[0].Value + districts[1].Value
		if st.Indicator.Rollup == data.RollupMean {
			want /= 2
		}
		if math.Abs(st.Value-want) > 1e-9*math.Max(1, math.Abs(want)) || !st.At.Equal(districts[0].At) {
			t.Fatalf("%s: the city's %v at %v, its districts' %v and %v", st.Indicator.Code, st.Value, st.At, districts[0].Value, districts[1].Value)
		}
		// The fixture has 3 days: two before today, fewer than a baseline
		// needs, so baseline indicators are normal.
		if st.Indicator.Threshold == data.ThresholdBaseline && (st.Severity != data.Normal || st.Baseline != 0) {
			t.Fatalf("%s without a week of history: %+v", st.Indicator.Code, st)
		}
	}
	// The latest hour as of 09:00 Beijing time is 09:00's.
	if at := city[0].At.In(data.BeijingTime); at.Hour() != 9 || at.Day() != 25 {
		t.Fatalf("judged the value of %v", at)
	}
}

// Alerts open as a value rises through the thresholds and clear as it
// falls back past them by the hysteresis.
func TestAlertsFollowTheValueWithHysteresis(t *testing.T) {
	m := fixture.City(t)
	t0 := fixture.AsOf.Add(-time.Hour)
	want := []struct {
		v        float64
		severity data.Severity
	}{
		{90, data.Normal}, {120, data.Warn}, {155, data.Alarm}, {145, data.Alarm}, {139, data.Warn},
		{95, data.Warn}, {89, data.Normal}, {101, data.Warn}, {160, data.Alarm}, {80, data.Normal},
	}
	for i, w := range want {
		at := t0.Add(time.Duration(i) * time.Minute)
		if _, err := m.Feed(ctx, "test", []data.Reading{reading(aqi, feedStreet, at, w.v)}, "operator", at); err != nil {
			t.Fatal(err)
		}
		st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: feedStreet, Indicator: aqi})
		if err != nil || len(st) != 1 || st[0].Severity != w.severity || st[0].Value != w.v {
			t.Fatalf("step %d (%v): %+v %v, want %v", i, w.v, st, err, w.severity)
		}
	}
	alerts, err := m.Alerts(ctx, data.AlertFilter{Indicator: aqi, Region: feedStreet})
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: alarm (160), warn (101), warn (139), alarm (155), warn (120).
	var got []string
	for _, a := range alerts {
		got = append(got, a.Severity.String())
		if a.Open() {
			t.Errorf("alert %+v still open after the value fell to 80", a)
		}
	}
	if strings.Join(got, " ") != "alarm warn warn alarm warn" {
		t.Fatalf("alerts %v", got)
	}
	first := alerts[len(alerts)-1]
	if !first.OpenedAt.Equal(t0.Add(time.Minute)) || first.OpenedValue != 120 || !first.ClearedAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("the first alert: %+v", first)
	}
	// As a replay asks: the alert open at each moment — on an opening, on
	// a clearing, between — is the one whose span holds it.
	for s := -30; s <= 11*60; s += 15 {
		at := t0.Add(time.Duration(s) * time.Second)
		open, err := m.Alerts(ctx, data.AlertFilter{Indicator: aqi, Region: feedStreet, OpenAt: at})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, a := range alerts {
			if !a.OpenedAt.After(at) && (a.ClearedAt.IsZero() || a.ClearedAt.After(at)) {
				want = append(want, a.UID)
			}
		}
		var got []string
		for _, a := range open {
			got = append(got, a.UID)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("open at %s: %v, want %v", at.Format(time.TimeOnly), got, want)
		}
		if at.Equal(t0.Add(3*time.Minute)) && len(got) != 1 {
			t.Fatalf("at the third value one alert is open, not %d", len(got))
		}
	}
}

// A baseline indicator is judged by its ratio to the mean of the same
// hour on the seven days before.
func TestBaselineIndicator(t *testing.T) {
	m := fixture.City(t)
	at := time.Date(2026, 11, 25, 8, 0, 0, 0, data.BeijingTime)
	var week []data.Reading
	for k := 1; k <= 7; k++ {
		week = append(week, reading(accidents, feedStreet, at.AddDate(0, 0, -k), float64(8+k%3))) // mean 9
	}
	if _, err := m.Feed(ctx, "history", week, "operator", at.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		minute   int
		v        float64
		severity data.Severity
	}{{0, 12, data.Normal}, {1, 13.5, data.Warn}, {2, 18, data.Alarm}, {3, 9, data.Normal}} {
		when := at.Add(time.Duration(c.minute) * time.Minute)
		if _, err := m.Feed(ctx, "now", []data.Reading{reading(accidents, feedStreet, when, c.v)}, "operator", when); err != nil {
			t.Fatal(err)
		}
		st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: feedStreet, Indicator: accidents})
		if err != nil || len(st) != 1 || st[0].Severity != c.severity || math.Abs(st[0].Baseline-9) > 1e-9 {
			t.Fatalf("%v against a baseline of 9: %+v %v, want %v", c.v, st, err, c.severity)
		}
	}
}

// Bad values are refused with the record's number, and nothing of the
// feed is written.
func TestFeedRefusals(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	ok := reading(aqi, feedStreet, now.Add(-time.Minute), 50)
	if _, err := m.Feed(ctx, "first", []data.Reading{ok}, "operator", now); err != nil {
		t.Fatal(err)
	}
	before := count(t, m, `SELECT count(*) FROM indicator_readings`) + count(t, m, `SELECT count(*) FROM journal`)
	onTheHour := time.Date(2026, 11, 25, 8, 0, 0, 0, data.BeijingTime) // the archive has 990101's 08:00
	for _, c := range []struct {
		r    data.Reading
		says string
	}{
		{reading("transport-99H", feedStreet, now, 1), `no indicator "transport-99H"`},
		{reading(aqi, "990109", now, 1), `no region "990109"`},
		{reading(aqi, "990101001001", now, 1), `no region "990101001001"`}, // a community: not measured
		{reading(aqi, feedStreet, now, math.NaN()), "is not a number"},
		{reading(aqi, feedStreet, now, math.Inf(-1)), "is not a number"},
		{reading(aqi, feedStreet, now.Add(6*time.Minute), 1), "more than 5m0s ahead of now"},
		{reading(aqi, feedStreet, time.Time{}, 1), "no time"},
		{ok, "is there already"},
		{reading(aqi, "990101", onTheHour, 1), "is there already"},
	} {
		// The bad one third, after two good ones.
		batch := []data.Reading{reading(aqi, feedStreet, now.Add(-3*time.Minute), 1), reading(aqi, "990102", now.Add(-3*time.Minute), 2), c.r}
		_, err := m.Feed(ctx, "values.csv", batch, "operator", now)
		var in *data.InputError
		if !errors.As(err, &in) || in.File != "values.csv" || in.Record != "record 3" || !strings.Contains(in.Reason, c.says) {
			t.Errorf("%+v: %v, want record 3: %s", c.r, err, c.says)
		}
	}
	// Twice in one feed.
	twice := reading(aqi, feedStreet, now.Add(-2*time.Minute), 1)
	_, err := m.Feed(ctx, "values.csv", []data.Reading{twice, twice}, "operator", now)
	if err == nil || !strings.Contains(err.Error(), "record 2") {
		t.Fatalf("the same value twice: %v", err)
	}
	// Within five minutes ahead is taken; off the hour a district's value is
	// no duplicate of the archive's.
	if _, err := m.Feed(ctx, "ahead", []data.Reading{reading(aqi, feedStreet, now.Add(4*time.Minute), 1),
		reading(aqi, "990101", onTheHour.Add(time.Minute), 1)}, "operator", now); err != nil {
		t.Fatal(err)
	}
	if after := count(t, m, `SELECT count(*) FROM indicator_readings`) + count(t, m, `SELECT count(*) FROM journal`); after != before+3 {
		t.Fatalf("refused feeds wrote: %d rows and entries more, want the last feed's 2 values and 1 entry", after-before)
	}
}

func TestAckAlert(t *testing.T) {
	m := fixture.City(t)
	opened := fixture.AsOf.Add(-10 * time.Minute)
	if _, err := m.Feed(ctx, "t", []data.Reading{reading(aqi, feedStreet, opened, 170)}, "operator", opened); err != nil {
		t.Fatal(err)
	}
	open, err := m.Alerts(ctx, data.AlertFilter{OpenOnly: true, Unacked: true, Severity: data.Alarm, Region: feedStreet})
	if err != nil || len(open) != 1 || open[0].Region != feedStreet || open[0].Indicator.Code != aqi {
		t.Fatalf("open alarms: %+v %v", open, err)
	}
	_, err = m.AckAlert(ctx, open[0].UID, "leader_990102", fixture.AsOf)
	refused(t, "outside the jurisdiction", err, data.CodeAlertOutsideJurisdiction)
	_, err = m.AckAlert(ctx, "ffffffff", "operator", fixture.AsOf)
	refused(t, "unknown", err, data.CodeAlertUnknown)
	// The demo's alerts opened in the same minute: a short prefix is
	// ambiguous.
	_, err = m.AckAlert(ctx, open[0].UID[:8], "operator", fixture.AsOf)
	refused(t, "an ambiguous prefix", err, data.CodeAlertAmbiguous)
	a, err := m.AckAlert(ctx, open[0].UID, "leader_990101", fixture.AsOf)
	if err != nil || a.AckedBy != "leader_990101" || a.TimeToAck() != 10*time.Minute {
		t.Fatalf("acknowledged: %+v %v", a, err)
	}
	_, err = m.AckAlert(ctx, open[0].UID, "operator", fixture.AsOf)
	refused(t, "twice", err, data.CodeAlertAcked)
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'alert.ack' AND subject = ? AND entry ->> '$.payload.seconds_to_ack' = 600`, a.UID); n != 1 {
		t.Fatalf("%d acknowledgement entries", n)
	}
	if left, err := m.Alerts(ctx, data.AlertFilter{OpenOnly: true, Unacked: true, Region: feedStreet}); err != nil || len(left) != 0 {
		t.Fatalf("unacknowledged left: %+v %v", left, err)
	}
}

// Two processes feeding at once: every value is kept once, and no series
// has two open alerts.
func TestConcurrentFeeds(t *testing.T) {
	path := fixture.CityPath(t)
	var ms []*mirror.Mirror
	for range 2 {
		m, err := mirror.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = m.Close() }()
		ms = append(ms, m)
	}
	demo := count(t, ms[0], `SELECT count(*) FROM indicator_readings WHERE region_code = ?`, feedStreet) // the demo's street inputs
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				at := fixture.AsOf.Add(time.Duration(-60+k*2+i) * time.Minute)
				v := []float64{90, 130, 160}[(k+i)%3]
				if _, err := m.Feed(ctx, "p", []data.Reading{reading(aqi, feedStreet, at, v)}, "operator", fixture.AsOf); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, ms[0], `SELECT count(*) FROM indicator_readings WHERE region_code = ?`, feedStreet); n != demo+40 {
		t.Fatalf("%d values kept of 40 (and the demo's %d)", n-demo, demo)
	}
	if n := count(t, ms[0], `SELECT count(*) FROM (SELECT 1 FROM alerts WHERE cleared_at IS NULL GROUP BY indicator_id, region_code HAVING count(*) > 1)`); n != 0 {
		t.Fatal("a series has two open alerts")
	}
}

const feedWriterEnv = "KAPOK_FEED_WRITER"

// TestHelperFeedWriter is not a test: run with KAPOK_FEED_WRITER=path, it
// feeds batches of values into that mirror until it is killed.
func TestHelperFeedWriter(t *testing.T) {
	path := os.Getenv(feedWriterEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Truncate(time.Second)
	writingNow()
	for i := 0; ; i++ {
		var batch []data.Reading
		for k := range 50 {
			batch = append(batch, reading(aqi, feedStreet, start.Add(-time.Duration(i*50+k)*time.Second), float64(80+k)))
		}
		if _, err := m.Feed(ctx, "writer", batch, "operator", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// kill -9 while feeding: every feed in the journal has its values, and
// none is there without its entry.
func TestFeedSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	path := fixture.CityPath(t)
	rng := rand.New(rand.NewPCG(11, 12))
	var last int64
	for round := range 6 {
		m := reopenAfterKill(t, rng, round, "TestHelperFeedWriter", feedWriterEnv, path)
		// The values fed, less the demo's street inputs (at its street hour).
		values := count(t, m, `SELECT count(*) FROM indicator_readings WHERE region_code = ? AND at != ?`, feedStreet, demoStreetHour(t, m))

		fed := count(t, m, `SELECT ifnull(sum(entry ->> '$.payload.values'), 0) FROM journal WHERE kind = 'indicator.feed'`)
		if values != fed || values%50 != 0 || values < last {
			t.Fatalf("round %d: %d values, the journal's feeds have %d", round, values, fed)
		}
		last = values
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if last == 0 {
		t.Fatal("nothing was fed: the test tested nothing")
	}
}

// An evaluation judges each series' latest value up to its now: one fed a
// little ahead waits for its time.
func TestEvaluationTakesNoValueAheadOfNow(t *testing.T) {
	m := fixture.City(t)
	now := fixture.AsOf
	if _, err := m.Feed(ctx, "t", []data.Reading{reading(aqi, feedStreet, now.Add(-time.Minute), 200), reading(aqi, feedStreet, now.Add(4*time.Minute), 50)},
		"operator", now); err != nil {
		t.Fatal(err)
	}
	st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: feedStreet, Indicator: aqi})
	if err != nil || len(st) != 1 || st[0].Value != 200 || st[0].Severity != data.Alarm {
		t.Fatalf("at now: %+v %v", st, err)
	}
	if _, err := m.EvaluateIndicators(ctx, now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	st, err = m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: feedStreet, Indicator: aqi})
	if err != nil || len(st) != 1 || st[0].Value != 50 || st[0].Severity != data.Normal {
		t.Fatalf("five minutes later: %+v %v", st, err)
	}
}

// A feed of a district's values computes that day's Red Cotton Index
// again, in its transaction: the day's rows are what computing them anew
// gives.
func TestFeedComputesTheDaysIndexAgain(t *testing.T) {
	m := fixture.City(t)
	day := fixture.AsOf.In(data.BeijingTime).Format("2006-01-02")
	row := func() string {
		var s string
		if err := m.DB.QueryRow(`SELECT group_concat(district_code || ':' || safety || ':' || composite || ':' || rank, ' ')
			FROM (SELECT * FROM red_cotton_index WHERE day = ? ORDER BY district_code)`, day).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := row()
	// Police calls (lower better) in 990101 far above the usual, off the hour.
	var rs []data.Reading
	for k := range 8 {
		rs = append(rs, reading("public_safety-01H", "990101", fixture.AsOf.Add(-time.Duration(k*10+5)*time.Minute), 5000))
	}
	res, err := m.Feed(ctx, "t", rs, "operator", fixture.AsOf)
	if err != nil || res.IndexDays != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	after := row()
	if after == before {
		t.Fatalf("the index of %s did not move: %s", day, after)
	}
	def, err := redcotton.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ComputeRedCotton(ctx, def, day, day); err != nil {
		t.Fatal(err)
	}
	if again := row(); again != after {
		t.Fatalf("computed anew: %s, after the feed: %s", again, after)
	}
	// A street's value computes the day again (the streets' index) and
	// leaves the districts' rows be.
	if res, err := m.Feed(ctx, "t", []data.Reading{reading("public_safety-01H", feedStreet, fixture.AsOf.Add(-time.Minute), 1)}, "operator", fixture.AsOf); err != nil || res.IndexDays != 1 {
		t.Fatalf("a street's value: %+v %v", res, err)
	}
	if again := row(); again != after {
		t.Fatalf("after a street's value: %s, before: %s", again, after)
	}
}

// demoStreetHour is the instant of the demo's street inputs (its street
// values' one time).
func demoStreetHour(t *testing.T, m *mirror.Mirror) string {
	t.Helper()
	var at string
	if err := m.DB.QueryRow(`SELECT min(at) FROM indicator_readings WHERE length(region_code) = 9 AND indicator_id =
		(SELECT id FROM indicator_defs WHERE code = 'public_safety-01H')`).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

// The week's baselines read beside the archive's latest values (for the
// hour of now) and those read after it (when the latest lie in an earlier
// hour) are the same.
func TestBaselinesReadEitherWay(t *testing.T) {
	path := fixture.WritableGuangzhou(t).Path // 30 days: baselines exist (a copy: evaluating writes)
	baselinesAt := func(now time.Time) map[string]float64 {
		m, err := mirror.Open(path) // a new handle: nothing kept
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = m.Close() }()
		if _, err := m.EvaluateIndicators(ctx, now); err != nil {
			t.Fatal(err)
		}
		st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: "440106"})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, s := range st {
			if s.Indicator.Threshold == data.ThresholdBaseline && !strings.HasPrefix(s.Indicator.Code, "transport-") {
				out[s.Indicator.Code] = s.Baseline
			}
		}
		return out
	}
	// At the as-of the archive's latest hour is now's; 70 minutes on it
	// is the hour before now's (the archive ends at the as-of).
	a, b := baselinesAt(fixture.AsOf), baselinesAt(fixture.AsOf.Add(70*time.Minute))
	if len(a) < 50 || !maps.Equal(a, b) {
		t.Fatalf("%d baselines at the as-of, %d seventy minutes on, equal %v", len(a), len(b), maps.Equal(a, b))
	}
	for code, v := range a {
		if v <= 0 {
			t.Fatalf("%s in Tianhe: baseline %v", code, v)
		}
	}
}
