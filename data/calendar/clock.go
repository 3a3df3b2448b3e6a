package calendar

import (
	"time"

	"kapok/data"
)

// ClockAt is a case's clock at now: dispatched at dispatched (zero: not yet,
// and the clock has not started), closed at *closed (nil: still open), with
// extensions approved. The deadline is Deadline's; Remaining runs to it in
// wall time (negative once past) and is zero once closed; Used is the share
// of the time from dispatch to the deadline gone by now (or by the closing)
// — working time for a working-day limit, so a weekend uses none of it —
// and passes 1 when overdue. The state: met or missed once closed (missed:
// closed after the deadline, which counts as overdue); open, overdue past
// the deadline, warning from 75 % used, running before.
func (c *Calendar) ClockAt(dispatched time.Time, closed *time.Time, m data.MatterType, extensions int, now time.Time) data.Clock {
	if dispatched.IsZero() {
		return data.Clock{State: data.ClockNone}
	}
	return c.ClockTo(dispatched, c.Deadline(dispatched, m, extensions), closed, m, now)
}

// ClockTo is ClockAt against a deadline already fixed — the one a store
// wrote when the case was dispatched or extended, or the city platform's —
// so that the clock and every count of overdue cases (deadline < now) agree
// on the same instant.
func (c *Calendar) ClockTo(dispatched, deadline time.Time, closed *time.Time, m data.MatterType, now time.Time) data.Clock {
	if dispatched.IsZero() || deadline.IsZero() {
		return data.Clock{State: data.ClockNone}
	}
	clk := data.Clock{Deadline: deadline}
	end := now
	if closed != nil {
		end = *closed
	}
	used, total := c.elapsed(dispatched, end, m), c.elapsed(dispatched, clk.Deadline, m)
	if total > 0 {
		clk.Used = float64(used) / float64(total)
	}
	switch {
	case closed != nil && closed.After(clk.Deadline):
		clk.State = data.ClockMissed
	case closed != nil:
		clk.State = data.ClockMet
	case now.After(clk.Deadline):
		clk.State, clk.Remaining = data.ClockOverdue, clk.Deadline.Sub(now)
	// The yellow card at 75 % used, compared in whole nanoseconds rather
	// than through Used: a float could put a case at exactly 75 % on
	// either side by rounding.
	case used*4 >= total*3:
		clk.State, clk.Remaining = data.ClockWarning, clk.Deadline.Sub(now)
	default:
		clk.State, clk.Remaining = data.ClockRunning, clk.Deadline.Sub(now)
	}
	return clk
}

// elapsed is the time of [from, to) that counts against m's limit.
func (c *Calendar) elapsed(from, to time.Time, m data.MatterType) time.Duration {
	if inWorkingDays(m) {
		return c.WorkingTime(from, to)
	}
	return max(to.Sub(from), 0)
}

// EscalationDue says whether an open case with this clock has been overdue
// for longer than its matter's grace at now, and so goes one level up. The
// deadline decides, not the clock's state, so that a clock taken a while
// ago still answers for now; a closed case is never escalated. Grace
// counts wall hours for every matter: it is the command centers' patience,
// and they work round the clock.
func EscalationDue(clk data.Clock, m data.MatterType, now time.Time) bool {
	switch clk.State {
	case data.ClockRunning, data.ClockWarning, data.ClockOverdue:
		return !clk.Deadline.IsZero() && now.Sub(clk.Deadline) > m.Grace
	}
	return false
}

// ClockAt is the clock by the embedded official calendar.
func ClockAt(dispatched time.Time, closed *time.Time, m data.MatterType, extensions int, now time.Time) data.Clock {
	return embedded().ClockAt(dispatched, closed, m, extensions, now)
}

// ClockTo is ClockTo by the embedded official calendar.
func ClockTo(dispatched, deadline time.Time, closed *time.Time, m data.MatterType, now time.Time) data.Clock {
	return embedded().ClockTo(dispatched, deadline, closed, m, now)
}
