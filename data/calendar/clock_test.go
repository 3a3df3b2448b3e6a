package calendar

import (
	"math"
	"testing"
	"time"

	"kapok/data"
)

func TestClockAt(t *testing.T) {
	at := func(tm time.Time) *time.Time { return &tm }
	for _, c := range []struct {
		why        string
		dispatched time.Time
		closed     *time.Time
		m          data.MatterType
		extensions int
		now        time.Time
		state      data.ClockState
		deadline   time.Time
		remaining  time.Duration
		used       float64
	}{
		{"not dispatched", time.Time{}, nil, hours(4), 0, bj(2026, 3, 2, 10, 0), data.ClockNone, time.Time{}, 0, 0},
		// 4 hours from 10:00: the yellow card at 13:00 sharp.
		{"half used", bj(2026, 3, 2, 10, 0), nil, hours(4), 0, bj(2026, 3, 2, 12, 0), data.ClockRunning, bj(2026, 3, 2, 14, 0), 2 * time.Hour, 0.5},
		{"a second short of 75 %", bj(2026, 3, 2, 10, 0), nil, hours(4), 0, bj(2026, 3, 2, 12, 59).Add(59 * time.Second), data.ClockRunning, bj(2026, 3, 2, 14, 0), time.Hour + time.Second, 0.75 - 1.0/4/3600},
		{"75 % used", bj(2026, 3, 2, 10, 0), nil, hours(4), 0, bj(2026, 3, 2, 13, 0), data.ClockWarning, bj(2026, 3, 2, 14, 0), time.Hour, 0.75},
		{"at the deadline: not yet overdue", bj(2026, 3, 2, 10, 0), nil, hours(4), 0, bj(2026, 3, 2, 14, 0), data.ClockWarning, bj(2026, 3, 2, 14, 0), 0, 1},
		{"a minute past", bj(2026, 3, 2, 10, 0), nil, hours(4), 0, bj(2026, 3, 2, 14, 1), data.ClockOverdue, bj(2026, 3, 2, 14, 0), -time.Minute, 1 + 1.0/240},
		{"extended once: running again", bj(2026, 3, 2, 10, 0), nil, hours(4), 1, bj(2026, 3, 2, 15, 0), data.ClockRunning, bj(2026, 3, 2, 18, 0), 3 * time.Hour, 5.0 / 8},
		// 4 working days from Monday 09:00: due Friday 09:00, yellow from Thursday 09:00.
		{"working days, before 75 %", bj(2026, 3, 2, 9, 0), nil, workingDays(4), 0, bj(2026, 3, 5, 8, 0), data.ClockRunning, bj(2026, 3, 6, 9, 0), 25 * time.Hour, 71.0 / 96},
		{"working days, 75 % used", bj(2026, 3, 2, 9, 0), nil, workingDays(4), 0, bj(2026, 3, 5, 9, 0), data.ClockWarning, bj(2026, 3, 6, 9, 0), 24 * time.Hour, 0.75},
		// A weekend uses none of a working-day limit.
		{"Sunday: only Friday's half day used", bj(2026, 3, 6, 12, 0), nil, workingDays(1), 0, bj(2026, 3, 8, 12, 0), data.ClockRunning, bj(2026, 3, 9, 12, 0), 24 * time.Hour, 0.5},
		{"Monday 06:00: 75 %", bj(2026, 3, 6, 12, 0), nil, workingDays(1), 0, bj(2026, 3, 9, 6, 0), data.ClockWarning, bj(2026, 3, 9, 12, 0), 6 * time.Hour, 0.75},
		// The Spring Festival: 3 working days from Thursday 12 February, 10:00, due 24 February.
		{"in the holiday", bj(2026, 2, 12, 10, 0), nil, workingDays(3), 0, bj(2026, 2, 20, 10, 0), data.ClockWarning, bj(2026, 2, 24, 10, 0), 96 * time.Hour, 62.0 / 72},
		{"after it, overdue", bj(2026, 2, 12, 10, 0), nil, workingDays(3), 0, bj(2026, 2, 24, 22, 0), data.ClockOverdue, bj(2026, 2, 24, 10, 0), -12 * time.Hour, 84.0 / 72},
		// Hours run through the holiday.
		{"hours in the holiday", bj(2026, 2, 16, 10, 0), nil, hours(24), 0, bj(2026, 2, 17, 10, 0), data.ClockWarning, bj(2026, 2, 17, 10, 0), 0, 1},
		// Closed.
		{"closed on time", bj(2026, 3, 2, 10, 0), at(bj(2026, 3, 2, 11, 0)), hours(4), 0, bj(2026, 3, 9, 0, 0), data.ClockMet, bj(2026, 3, 2, 14, 0), 0, 0.25},
		{"closed at the deadline", bj(2026, 3, 2, 10, 0), at(bj(2026, 3, 2, 14, 0)), hours(4), 0, bj(2026, 3, 9, 0, 0), data.ClockMet, bj(2026, 3, 2, 14, 0), 0, 1},
		{"closed late", bj(2026, 3, 2, 10, 0), at(bj(2026, 3, 2, 15, 0)), hours(4), 0, bj(2026, 3, 9, 0, 0), data.ClockMissed, bj(2026, 3, 2, 14, 0), 0, 1.25},
		{"closed within the extension", bj(2026, 3, 2, 10, 0), at(bj(2026, 3, 2, 15, 0)), hours(4), 1, bj(2026, 3, 9, 0, 0), data.ClockMet, bj(2026, 3, 2, 18, 0), 0, 5.0 / 8},
		{"closed late on working days", bj(2026, 3, 6, 12, 0), at(bj(2026, 3, 10, 0, 0)), workingDays(1), 0, bj(2026, 3, 9, 0, 0), data.ClockMissed, bj(2026, 3, 9, 12, 0), 0, 1.5},
		// Beijing days: dispatched on Friday in UTC, Saturday in Beijing.
		{"UTC input", utc(2026, 3, 6, 20, 0), nil, workingDays(1), 0, utc(2026, 3, 8, 20, 0), data.ClockRunning, utc(2026, 3, 9, 16, 0), 20 * time.Hour, 4.0 / 24},
	} {
		got := ClockAt(c.dispatched, c.closed, c.m, c.extensions, c.now)
		if got.State != c.state || !got.Deadline.Equal(c.deadline) || got.Remaining != c.remaining || math.Abs(got.Used-c.used) > 1e-9 {
			t.Errorf("%s: %s, due %v, %v left, %.6f used; want %s, %v, %v, %.6f", c.why,
				got.State, got.Deadline, got.Remaining, got.Used, c.state, c.deadline, c.remaining, c.used)
		}
	}
}

// The clock and the domain's Event.Overdue agree: overdue open past the
// deadline, or closed after it.
func TestClockAgreesWithEventOverdue(t *testing.T) {
	m := workingDays(1)
	dispatched := bj(2026, 3, 6, 12, 0)
	for _, now := range []time.Time{bj(2026, 3, 9, 11, 0), bj(2026, 3, 9, 12, 0), bj(2026, 3, 9, 12, 1)} {
		for _, closed := range []*time.Time{nil, &now} {
			clk := ClockAt(dispatched, closed, m, 0, now)
			e := data.Event{State: data.EventHandling, DispatchedAt: &dispatched, Deadline: &clk.Deadline}
			if closed != nil {
				e.State, e.ClosedAt = data.EventClosed, closed
			}
			overdue := clk.State == data.ClockOverdue || clk.State == data.ClockMissed
			if e.Overdue(now) != overdue {
				t.Errorf("at %v, closed %v: clock %s, event overdue %v", now, closed != nil, clk.State, e.Overdue(now))
			}
		}
	}
}

func TestEscalationDue(t *testing.T) {
	m := hours(4) // grace 2 h
	dispatched := bj(2026, 3, 2, 10, 0)
	for _, c := range []struct {
		why    string
		closed bool      // at 23:00, after the deadline
		clock  time.Time // when the clock was taken
		now    time.Time
		want   bool
	}{
		{"not yet overdue", false, bj(2026, 3, 2, 13, 0), bj(2026, 3, 2, 13, 0), false},
		{"overdue within the grace", false, bj(2026, 3, 2, 15, 0), bj(2026, 3, 2, 15, 0), false},
		{"overdue exactly the grace", false, bj(2026, 3, 2, 16, 0), bj(2026, 3, 2, 16, 0), false},
		{"overdue longer than the grace", false, bj(2026, 3, 2, 16, 1), bj(2026, 3, 2, 16, 1), true},
		{"a clock taken while running, asked later", false, bj(2026, 3, 2, 11, 0), bj(2026, 3, 2, 17, 0), true},
		{"closed late: nothing to escalate", true, bj(2026, 3, 3, 0, 0), bj(2026, 3, 3, 0, 0), false},
	} {
		var closed *time.Time
		if c.closed {
			late := bj(2026, 3, 2, 23, 0)
			closed = &late
		}
		clk := ClockAt(dispatched, closed, m, 0, c.clock)
		if got := EscalationDue(clk, m, c.now); got != c.want {
			t.Errorf("%s (%s): escalation due %v, want %v", c.why, clk.State, got, c.want)
		}
	}
	if EscalationDue(ClockAt(time.Time{}, nil, m, 0, dispatched), m, dispatched.Add(1000*time.Hour)) {
		t.Error("a case not dispatched was escalated")
	}
	// Working-day matters: grace counts wall hours, weekends included.
	wd := workingDays(1) // grace 24 h; due Friday 6 March 12:00
	clk := ClockAt(bj(2026, 3, 5, 12, 0), nil, wd, 0, bj(2026, 3, 7, 12, 1))
	if !EscalationDue(clk, wd, bj(2026, 3, 7, 12, 1)) {
		t.Error("a working-day case overdue over a weekend was not escalated after its grace")
	}
}

// A clock for each of the demo's ~45,000 cases, a third of them in working
// days, for the case queue (sorted by remaining time: ≤ 30 ms in all).
func BenchmarkClocks45000(b *testing.B) {
	now := bj(2026, 11, 26, 10, 0)
	ms := []data.MatterType{hours(4), hours(72), workingDays(5)}
	for b.Loop() {
		for i := range 45000 {
			dispatched := now.Add(-time.Duration(i%(30*24)) * time.Hour)
			_ = ClockAt(dispatched, nil, ms[i%3], i%2, now)
		}
	}
}
