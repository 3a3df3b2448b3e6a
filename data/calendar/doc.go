// Package calendar counts case time limits against the official calendar of
// mainland China: public holidays and make-up working days (调休上班) as the
// State Council announces them, shipped as data (assets/calendar).
//
// Days are Beijing days (UTC+8, no daylight saving): an instant belongs to
// the Beijing calendar day it falls in, whatever its time.Location.
//
// A limit in hours counts wall-clock hours: holidays and nights included.
//
// A limit of N working days is N × 24 hours of working time, where working
// time is every instant that falls on a working day — Monday to Friday
// unless a holiday, and the make-up Saturdays and Sundays. Kapok counts whole
// days, not office hours: a department's day is the calendar day, and the
// centers that watch the clocks are manned round the clock. So:
//
//   - dispatched on a working day at clock time T, a case is due at T on the
//     Nth working day after (Friday 17:30 + 1 working day = Monday 17:30;
//     a late evening is no different);
//   - dispatched on a weekend or a holiday, its clock starts at 00:00 of the
//     next working day, and it is due at the end (24:00) of the Nth working
//     day counted from that one, which is the same instant as 00:00 of the
//     calendar day after it.
//
// For dates outside the years the data covers the calendar knows weekends
// only (Covers tells); the 2027 arrangement is derived until the State
// Council's notice is checked (Official tells, assets/calendar/README.md
// says how it was derived).
package calendar
