package mirror

import (
	"time"

	"kapok/data"
)

// The clocks of cases, in one place: the store computes deadlines when a
// case is dispatched or extended and clocks when it lists cases.

// deadlineFor is when a case dispatched at from must be fed back.
func deadlineFor(from time.Time, m data.MatterType, extensions int) time.Time {
	return from.Add(time.Duration(1+extensions) * m.TimeLimit)
}

// clockFor is a case's clock at now.
func clockFor(dispatched, deadline, closed *time.Time, m data.MatterType, extensions int, now time.Time) data.Clock {
	if dispatched == nil || deadline == nil {
		return data.Clock{State: data.ClockNone}
	}
	c := data.Clock{Deadline: *deadline}
	limit := deadline.Sub(*dispatched)
	if closed != nil {
		c.State = data.ClockMet
		if closed.After(*deadline) {
			c.State = data.ClockMissed
		}
		if limit > 0 {
			c.Used = float64(closed.Sub(*dispatched)) / float64(limit)
		}
		return c
	}
	c.Remaining = deadline.Sub(now)
	if limit > 0 {
		c.Used = float64(now.Sub(*dispatched)) / float64(limit)
	}
	switch {
	case now.After(*deadline):
		c.State = data.ClockOverdue
	case c.Used >= 0.75:
		c.State = data.ClockWarning
	default:
		c.State = data.ClockRunning
	}
	return c
}

// escalationDue reports whether an overdue case has been overdue longer
// than its matter's grace.
func escalationDue(c data.Clock, m data.MatterType, now time.Time) bool {
	return c.State == data.ClockOverdue && now.Sub(c.Deadline) > m.Grace
}
