package calendar

import (
	"math/rand/v2"
	"testing"
	"time"

	"kapok/data"
)

func workingDays(n int) data.MatterType {
	return data.MatterType{Code: "WD", Limit: n, LimitUnit: data.LimitWorkingDays, TimeLimit: time.Duration(n) * 24 * time.Hour, Grace: 24 * time.Hour}
}

func hours(n int) data.MatterType {
	return data.MatterType{Code: "H", Limit: n, LimitUnit: data.LimitHours, TimeLimit: time.Duration(n) * time.Hour, Grace: 2 * time.Hour}
}

func TestDeadline(t *testing.T) {
	for _, c := range []struct {
		why        string
		from       time.Time
		m          data.MatterType
		extensions int
		want       time.Time
	}{
		// Weekends.
		{"Friday afternoon + 1 working day: Monday, same time", bj(2026, 3, 6, 17, 30), workingDays(1), 0, bj(2026, 3, 9, 17, 30)},
		{"Friday late evening: no office hours, Monday same time", bj(2026, 3, 6, 23, 30), workingDays(1), 0, bj(2026, 3, 9, 23, 30)},
		{"Friday + 3 working days: Wednesday", bj(2026, 3, 6, 17, 30), workingDays(3), 0, bj(2026, 3, 11, 17, 30)},
		{"Saturday: counting starts Monday 00:00, due at Monday's end", bj(2026, 3, 7, 10, 0), workingDays(1), 0, bj(2026, 3, 10, 0, 0)},
		{"Sunday 23:59, the same", bj(2026, 3, 8, 23, 59), workingDays(1), 0, bj(2026, 3, 10, 0, 0)},
		{"Monday 00:00 is a working day's start", bj(2026, 3, 9, 0, 0), workingDays(1), 0, bj(2026, 3, 10, 0, 0)},
		// The Spring Festival 2026: off 15–23 February, make-up 14 and 28 February.
		{"before it: the make-up Saturday counts", bj(2026, 2, 12, 10, 0), workingDays(3), 0, bj(2026, 2, 24, 10, 0)},
		{"during it: from the Tuesday after", bj(2026, 2, 18, 15, 0), workingDays(1), 0, bj(2026, 2, 25, 0, 0)},
		{"on the make-up Saturday after it", bj(2026, 2, 28, 9, 0), workingDays(1), 0, bj(2026, 3, 2, 9, 0)},
		{"the Friday before the make-up Saturday", bj(2026, 2, 27, 9, 0), workingDays(2), 0, bj(2026, 3, 2, 9, 0)},
		// National Day 2026: off 1–7 October, make-up 20 September and 10 October.
		{"across the make-up Sunday before it", bj(2026, 9, 18, 14, 0), workingDays(3), 0, bj(2026, 9, 22, 14, 0)},
		{"across the week off", bj(2026, 9, 29, 11, 0), workingDays(3), 0, bj(2026, 10, 9, 11, 0)},
		{"across it and the make-up Saturday after", bj(2026, 9, 29, 11, 0), workingDays(5), 0, bj(2026, 10, 12, 11, 0)},
		{"the Mid-Autumn Festival, a Friday", bj(2026, 9, 24, 8, 0), workingDays(1), 0, bj(2026, 9, 28, 8, 0)},
		// Hours skip nothing.
		{"72 hours across National Day", bj(2026, 9, 30, 12, 0), hours(72), 0, bj(2026, 10, 3, 12, 0)},
		{"4 hours across midnight into the Spring Festival", bj(2026, 2, 14, 22, 0), hours(4), 0, bj(2026, 2, 15, 2, 0)},
		// Extensions: each one more limit.
		{"3 working days, extended once", bj(2026, 3, 2, 9, 0), workingDays(3), 1, bj(2026, 3, 10, 9, 0)},
		{"24 hours, extended twice", bj(2026, 3, 2, 9, 0), hours(24), 2, bj(2026, 3, 5, 9, 0)},
		{"negative extensions count as none", bj(2026, 3, 2, 9, 0), hours(24), -1, bj(2026, 3, 3, 9, 0)},
		// Beijing days, not UTC ones.
		{"Friday 20:00 UTC is Saturday in Beijing", utc(2026, 3, 6, 20, 0), workingDays(1), 0, utc(2026, 3, 9, 16, 0)},
		{"Friday 15:30 UTC is Friday 23:30 in Beijing", utc(2026, 3, 6, 15, 30), workingDays(1), 0, utc(2026, 3, 9, 15, 30)},
		{"30 September 16:00 UTC is National Day in Beijing", utc(2026, 9, 30, 16, 0), workingDays(1), 0, utc(2026, 10, 8, 16, 0)},
		// Years.
		{"into 2027's New Year (derived)", bj(2026, 12, 31, 10, 0), workingDays(1), 0, bj(2027, 1, 4, 10, 0)},
		{"a year not covered: weekends only", bj(2028, 1, 3, 10, 0), workingDays(2), 0, bj(2028, 1, 5, 10, 0)},
		// A matter without a limit in its unit falls back to its nominal length.
		{"working days without Limit", bj(2026, 3, 6, 10, 0), data.MatterType{LimitUnit: data.LimitWorkingDays, TimeLimit: 48 * time.Hour}, 0, bj(2026, 3, 8, 10, 0)},
		{"no unit, TimeLimit only", bj(2026, 3, 6, 10, 0), data.MatterType{TimeLimit: 8 * time.Hour}, 0, bj(2026, 3, 6, 18, 0)},
	} {
		got := Deadline(c.from, c.m, c.extensions)
		if !got.Equal(c.want) {
			t.Errorf("%s: %v, want %v", c.why, got.In(Beijing), c.want.In(Beijing))
		}
		if got.Location() != c.from.Location() {
			t.Errorf("%s: deadline in %v, dispatched in %v", c.why, got.Location(), c.from.Location())
		}
	}
}

// A working-day deadline is the first instant by which the limit's working
// time has passed, from any moment.
func TestDeadlineIsTheLimitInWorkingTime(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	base := bj(2025, 12, 1, 0, 0)
	for range 2000 {
		from := base.Add(time.Duration(r.IntN(800*24*60)) * time.Minute)
		n, ext := 1+r.IntN(10), r.IntN(3)
		dl := Deadline(from, workingDays(n), ext)
		want := time.Duration((1+ext)*n) * 24 * time.Hour
		if got := WorkingTime(from, dl); got != want {
			t.Fatalf("%v + %d×%d working days = %v: %v of working time", from, 1+ext, n, dl, got)
		}
		if WorkingTime(from, dl.Add(-time.Second)) >= want {
			t.Fatalf("%v + %d×%d working days = %v is not the first instant", from, 1+ext, n, dl)
		}
	}
}

func TestWorkingTime(t *testing.T) {
	for _, c := range []struct {
		why      string
		from, to time.Time
		want     time.Duration
	}{
		{"over a weekend", bj(2026, 3, 6, 12, 0), bj(2026, 3, 9, 12, 0), 24 * time.Hour},
		{"within a Saturday", bj(2026, 3, 7, 1, 0), bj(2026, 3, 7, 23, 0), 0},
		{"within a Monday", bj(2026, 3, 9, 1, 0), bj(2026, 3, 9, 23, 0), 22 * time.Hour},
		{"the Spring Festival, with its make-up Saturday", bj(2026, 2, 13, 12, 0), bj(2026, 2, 24, 12, 0), 48 * time.Hour},
		{"backwards", bj(2026, 3, 9, 12, 0), bj(2026, 3, 6, 12, 0), 0},
		{"Beijing's Saturday in UTC", utc(2026, 3, 6, 16, 0), utc(2026, 3, 7, 16, 0), 0},
	} {
		if got := WorkingTime(c.from, c.to); got != c.want {
			t.Errorf("%s: %v, want %v", c.why, got, c.want)
		}
	}
}
