package mirror

import (
	"time"

	"kapok/data"
	"kapok/data/calendar"
)

// The clocks of cases, in one place: the store fixes a case's deadline by
// the working-day calendar when it is dispatched or extended, and takes
// clocks against that stored deadline, so that a clock's "overdue" and
// every count of overdue cases in SQL (deadline < now) are one definition.

// deadlineFor is when a case dispatched at from must be fed back.
func deadlineFor(from time.Time, m data.MatterType, extensions int) time.Time {
	return calendar.Deadline(from, m, extensions)
}

// clockFor is a case's clock at now.
func clockFor(dispatched, deadline, closed *time.Time, m data.MatterType, now time.Time) data.Clock {
	if dispatched == nil || deadline == nil {
		return data.Clock{State: data.ClockNone}
	}
	return calendar.ClockTo(*dispatched, *deadline, closed, m, now)
}

// escalationDue reports whether an open case has been overdue longer than
// its matter's grace.
func escalationDue(c data.Clock, m data.MatterType, now time.Time) bool {
	return calendar.EscalationDue(c, m, now)
}
