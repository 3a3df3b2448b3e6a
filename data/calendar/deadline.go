package calendar

import (
	"time"

	"kapok/data"
)

// inWorkingDays says whether m's limit counts working days; a matter with a
// working-day unit but no limit falls back to its nominal TimeLimit in
// hours rather than being due at once.
func inWorkingDays(m data.MatterType) bool {
	return m.LimitUnit == data.LimitWorkingDays && m.Limit > 0
}

// hoursLimit is an hour-based matter's limit: Limit hours, or TimeLimit for
// a matter built without Limit.
func hoursLimit(m data.MatterType) time.Duration {
	if m.Limit > 0 && m.LimitUnit != data.LimitWorkingDays {
		return time.Duration(m.Limit) * time.Hour
	}
	return m.TimeLimit
}

// Deadline is when a case dispatched at from must be done: for a limit in
// hours, from + (1+extensions) × the limit, holidays and nights included;
// for a limit in working days, once (1+extensions) × the limit working days
// of working time have passed (see the package comment: the same clock time
// on the last working day counted, or the end of that day when from is not
// on a working day). Negative extensions count as none.
func (c *Calendar) Deadline(from time.Time, m data.MatterType, extensions int) time.Time {
	n := 1 + max(extensions, 0)
	if !inWorkingDays(m) {
		return from.Add(time.Duration(n) * hoursLimit(m))
	}
	days := int64(n) * int64(m.Limit)
	d := dayOf(from)
	if c.working(d) {
		return c.nthWorkingDayAfter(d, days).start().Add(from.Sub(d.start())).In(from.Location())
	}
	// Not a working day: the first working day after it is the first day
	// counted, and the deadline ends the last one.
	first := c.nthWorkingDayAfter(d, 1)
	return c.nthWorkingDayAfter(first, days-1).start().Add(dayLength).In(from.Location())
}

// nthWorkingDayAfter is the nth working day after d (d itself for n = 0).
// It jumps n days at a time, counting the working days jumped over without
// a loop (the case queue takes tens of thousands of clocks at once), and
// steps back from a weekend or holiday it lands on.
func (c *Calendar) nthWorkingDayAfter(d day, n int64) day {
	if n <= 0 {
		return d
	}
	for n > 0 {
		next := d + day(n)
		n -= c.countWorking(d+1, next+1)
		d = next
	}
	for !c.working(d) {
		d--
	}
	return d
}

// WorkingTime is how much of [from, to) falls on working days (zero when
// to is not after from).
func (c *Calendar) WorkingTime(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	a, b := dayOf(from), dayOf(to)
	if a == b {
		if c.working(a) {
			return to.Sub(from)
		}
		return 0
	}
	var w time.Duration
	if c.working(a) {
		w += (a + 1).start().Sub(from)
	}
	w += time.Duration(c.countWorking(a+1, b)) * dayLength
	if c.working(b) {
		w += to.Sub(b.start())
	}
	return w
}

// Deadline is the deadline by the embedded official calendar.
func Deadline(from time.Time, m data.MatterType, extensions int) time.Time {
	return embedded().Deadline(from, m, extensions)
}

// WorkingTime is the working time in [from, to) by the embedded official
// calendar.
func WorkingTime(from, to time.Time) time.Duration { return embedded().WorkingTime(from, to) }
