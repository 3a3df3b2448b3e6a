package mirror_test

import (
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The small write paths — duty rosters, unit leave, a district's rules, an
// alert's acknowledgement — under kill -9 and side by side, as the orders,
// cases, rosters and feeds are tested elsewhere.

const smallWriterEnv = "KAPOK_SMALL_WRITER"

// TestHelperSmallWriter is not a test: run with KAPOK_SMALL_WRITER=path, it
// puts people on duty and takes them off, marks and ends leave, sets a
// district's rules and acknowledges alerts on that mirror until it is
// killed.
func TestHelperSmallWriter(t *testing.T) {
	path := os.Getenv(smallWriterEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	now := fixture.AsOf
	shifts := data.WeekShifts(data.WeekOf(now), data.DefaultShifts)
	writingNow()
	for i := 0; ; i++ {
		d, err := m.AssignDuty(ctx, data.DutyRequest{Center: "C990101001002", Shift: shifts[i%len(shifts)].String(),
			Person: "值班员" + string(rune('甲'+i%10)), Actor: "leader"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := m.RemoveDuty(ctx, d.UID, "leader", now); err != nil {
				t.Fatal(err)
			}
		}
		from := now.Add(time.Duration(i) * time.Hour)
		uid, err := m.MarkLeave(ctx, "U9901010010010011", from, from.Add(30*time.Minute), "培训", "leader", now)
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if err := m.EndLeave(ctx, uid, "leader", now); err != nil {
				t.Fatal(err)
			}
		}
		rules := data.DefaultPatrolRules()
		rules.MaxShifts = 4 + i%3
		if err := m.SetDistrictRules(ctx, "990101", nil, &rules, "leader", now); err != nil {
			t.Fatal(err)
		}
		at := now.Add(-time.Duration(i+1) * time.Second)
		if _, err := m.Feed(ctx, "writer", []data.Reading{reading(aqi, feedStreet, at, float64(60+120*(i%2)))}, "operator", now); err != nil {
			t.Fatal(err)
		}
		if open, err := m.Alerts(ctx, data.AlertFilter{OpenOnly: true, Unacked: true, Region: feedStreet}); err != nil {
			t.Fatal(err)
		} else if len(open) > 0 {
			if _, err := m.AckAlert(ctx, open[0].UID, "operator", now); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// kill -9 while the small writes run: the journal's chain holds, and every
// table says what its journal entries say.
func TestSmallWritesSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	path := fixture.CityPath(t)
	rng := rand.New(rand.NewPCG(21, 22))
	var last int64
	for round := range 6 {
		m := reopenAfterKill(t, rng, round, "TestHelperSmallWriter", smallWriterEnv, path)
		j := func(kind string) int64 {
			return count(t, m, `SELECT count(*) FROM journal WHERE kind = ?`, kind)
		}
		// Duty: the writer's rows are those assigned and not removed since
		// (a person assigned again to a shift they hold keeps their row
		// and its key: an entry more, no row more).
		standing := count(t, m, `SELECT count(DISTINCT subject) FROM journal a WHERE kind = 'duty.assign' AND NOT EXISTS
			(SELECT 1 FROM journal r WHERE r.kind = 'duty.remove' AND r.subject = a.subject AND r.seq > a.seq)`)
		duty := count(t, m, `SELECT count(*) FROM center_duty WHERE uid IN (SELECT subject FROM journal WHERE kind = 'duty.assign')`)
		if duty != standing {
			t.Fatalf("round %d: %d duty rows for %d assigned and not removed since (%d entries, %d removals)", round, duty, standing,
				j("duty.assign"), j("duty.remove"))
		}
		// Leave: marked less cancelled before they began (an ended one is kept, cut short).
		leave := count(t, m, `SELECT count(*) FROM unit_leave`)
		cancelled := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'unit.leave.cancel' AND entry ->> '$.payload.cancelled' = 1`)
		if leave+cancelled != j("unit.leave") {
			t.Fatalf("round %d: %d leave kept and %d cancelled for %d marked", round, leave, cancelled, j("unit.leave"))
		}
		// Rules: the last entry's is the district's.
		if n := j("district.rules"); n > 0 {
			var logged, stored int64
			if err := m.DB.QueryRow(`SELECT entry ->> '$.payload.rules.max_shifts' FROM journal WHERE kind = 'district.rules' ORDER BY seq DESC LIMIT 1`).Scan(&logged); err != nil {
				t.Fatal(err)
			}
			if err := m.DB.QueryRow(`SELECT patrol_rules ->> '$.max_shifts' FROM district_schedule_rules WHERE district_code = '990101'`).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if logged != stored {
				t.Fatalf("round %d: the journal says max %d shifts, the district has %d", round, logged, stored)
			}
		}
		// Acknowledgements: one entry per alert acknowledged.
		if acked := count(t, m, `SELECT count(*) FROM alerts WHERE acked_at IS NOT NULL`); acked != j("alert.ack") {
			t.Fatalf("round %d: %d alerts acknowledged, %d entries", round, acked, j("alert.ack"))
		}
		total := j("duty.assign") + j("unit.leave") + j("district.rules") + j("alert.ack")
		if total < last {
			t.Fatalf("round %d: %d entries, fewer than %d", round, total, last)
		}
		last = total
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if last == 0 {
		t.Fatal("the writer wrote nothing: the test tested nothing")
	}
}

// Two consoles at once: the same person put on the same shift is one
// entry; the same alert acknowledged twice is acknowledged once; both
// districts' rules set at once keep one of the two whole.
func TestConcurrentSmallWrites(t *testing.T) {
	path := fixture.CityPath(t)
	var ms [2]*mirror.Mirror
	for i := range ms {
		m, err := mirror.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = m.Close() }()
		ms[i] = m
	}
	now := fixture.AsOf
	if _, err := ms[0].Feed(ctx, "t", []data.Reading{reading(aqi, feedStreet, now.Add(-time.Minute), 170)}, "operator", now); err != nil {
		t.Fatal(err)
	}
	open, err := ms[0].Alerts(ctx, data.AlertFilter{OpenOnly: true, Region: feedStreet})
	if err != nil || len(open) != 1 {
		t.Fatalf("%+v %v", open, err)
	}
	var wg sync.WaitGroup
	var duty, ack, rules [2]error
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, duty[i] = m.AssignDuty(ctx, data.DutyRequest{Center: "C990101001002", Shift: "2026-12-01/day", Person: "王伟", Actor: "leader"}, now)
			_, ack[i] = m.AckAlert(ctx, open[0].UID, "operator", now)
			r := data.DefaultPatrolRules()
			r.MaxShifts, r.MinRest = 4+i, time.Duration(9+i)*time.Hour
			rules[i] = m.SetDistrictRules(ctx, "990101", nil, &r, "leader", now)
		}()
	}
	wg.Wait()
	for i := range ms {
		if duty[i] != nil || rules[i] != nil {
			t.Fatalf("duty %v, rules %v", duty[i], rules[i])
		}
	}
	if n := count(t, ms[0], `SELECT count(*) FROM center_duty WHERE center_code = 'C990101001002' AND shift = '2026-12-01/day' AND person = '王伟'`); n != 1 {
		t.Fatalf("%d entries for one person on one shift", n)
	}
	okAcks := 0
	for _, err := range ack {
		if err == nil {
			okAcks++
		} else {
			refused(t, "the second acknowledgement", err, data.CodeAlertAcked)
		}
	}
	if okAcks != 1 || count(t, ms[0], `SELECT count(*) FROM journal WHERE kind = 'alert.ack'`) != 1 {
		t.Fatalf("%d acknowledgements succeeded", okAcks)
	}
	_, got, err := ms[1].DistrictRules(ctx, "990101")
	if err != nil || !(got.MaxShifts == 4 && got.MinRest == 9*time.Hour || got.MaxShifts == 5 && got.MinRest == 10*time.Hour) {
		t.Fatalf("rules after two at once: %+v %v", got, err)
	}
}
