package calendar

import (
	"time"

	"kapok/data"
)

// Beijing is China Standard Time (data.BeijingTime). A fixed zone rather
// than Asia/Shanghai: it needs no time-zone database, and China has kept
// UTC+8 since 1991.
var Beijing = data.BeijingTime

const (
	dayLength = 24 * time.Hour
	offset    = 8 * 60 * 60 // Beijing's offset from UTC, in seconds
)

// day numbers Beijing calendar days: 0 is 1970-01-01, a Thursday.
type day int64

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// dayOf is the Beijing day an instant falls in.
func dayOf(t time.Time) day { return day(floorDiv(t.Unix()+offset, 86400)) }

// dayOfDate is the day of a civil date.
func dayOfDate(y int, m time.Month, d int) day {
	return day(floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400))
}

// start is the day's first instant (00:00 Beijing time).
func (d day) start() time.Time { return time.Unix(int64(d)*86400-offset, 0).In(Beijing) }

func (d day) weekday() time.Weekday { return time.Weekday((int64(d)%7 + 7 + 4) % 7) }

func (d day) weekend() bool { wd := d.weekday(); return wd == time.Saturday || wd == time.Sunday }

// weekdaysBefore counts the days Monday to Friday in [0, d) (negative for
// d < 0), so that weekdaysBefore(b) - weekdaysBefore(a) counts them in
// [a, b) without a loop.
func weekdaysBefore(d day) int64 {
	// Days 0…6 of a week from day 0 run Thursday … Wednesday.
	cum := [7]int64{0, 1, 2, 2, 2, 3, 4}
	w := floorDiv(int64(d), 7)
	return 5*w + cum[int64(d)-7*w]
}
