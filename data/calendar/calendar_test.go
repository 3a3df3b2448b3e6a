package calendar

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"kapok/data"
)

// bj is a Beijing wall-clock time.
func bj(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, Beijing)
}

func utc(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
}

func TestEmbeddedCalendar(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if !c.Covers(2026) || !c.Covers(2027) || c.Covers(2025) || c.Covers(2028) {
		t.Error("the calendar should cover 2026 and 2027 only")
	}
	if !c.Official(2026) || c.Official(2027) {
		t.Error("2026 is the State Council's notice, 2027 derived")
	}
	// Each year has the seven holidays, and 2026 the notice's 33 days off
	// and 6 make-up working days.
	names := map[int]map[string]bool{2026: {}, 2027: {}}
	off, makeUp := 0, 0
	for d := dayOfDate(2026, 1, 1); d < dayOfDate(2028, 1, 1); d++ {
		day := c.DayOf(d.start())
		if day.Kind != Ordinary {
			names[day.Date.Year()][day.NameZh+"/"+day.NameEn] = true
		}
		if day.Date.Year() == 2026 && day.Kind == Holiday {
			off++
		}
		if day.Date.Year() == 2026 && day.Kind == Workday {
			makeUp++
		}
	}
	for y, ns := range names {
		for _, n := range []string{"元旦/New Year's Day", "春节/Spring Festival", "清明节/Qingming Festival", "劳动节/Labour Day",
			"端午节/Dragon Boat Festival", "中秋节/Mid-Autumn Festival", "国庆节/National Day"} {
			if !ns[n] {
				t.Errorf("%d lacks %s", y, n)
			}
		}
		if len(ns) != 7 {
			t.Errorf("%d has %d holiday names: %v", y, len(ns), ns)
		}
	}
	if off != 33 || makeUp != 6 {
		t.Errorf("2026: %d days off and %d make-up days, want 33 and 6", off, makeUp)
	}
}

func TestIsWorkingDay(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want bool
		why  string
	}{
		{bj(2026, 3, 6, 12, 0), true, "an ordinary Friday"},
		{bj(2026, 3, 7, 12, 0), false, "an ordinary Saturday"},
		{bj(2026, 1, 1, 12, 0), false, "New Year's Day, a Thursday"},
		{bj(2026, 1, 2, 12, 0), false, "the Friday after New Year's Day"},
		{bj(2026, 1, 4, 12, 0), true, "the make-up Sunday for New Year's Day"},
		{bj(2026, 2, 14, 12, 0), true, "the make-up Saturday before the Spring Festival"},
		{bj(2026, 2, 16, 12, 0), false, "Spring Festival's eve, a Monday"},
		{bj(2026, 2, 23, 12, 0), false, "the Spring Festival's last day, a Monday"},
		{bj(2026, 2, 24, 0, 0), true, "the Tuesday after the Spring Festival"},
		{bj(2026, 2, 28, 12, 0), true, "the make-up Saturday after the Spring Festival"},
		{bj(2026, 3, 1, 12, 0), false, "the Sunday after it"},
		{bj(2026, 9, 20, 12, 0), true, "the make-up Sunday before National Day"},
		{bj(2026, 10, 7, 23, 59), false, "National Day's last day, a Wednesday"},
		{bj(2026, 10, 8, 0, 0), true, "the Thursday after National Day"},
		{bj(2026, 10, 10, 12, 0), true, "the make-up Saturday after National Day"},
		{bj(2027, 2, 8, 12, 0), false, "the Spring Festival 2027 (derived)"},
		{bj(2028, 1, 3, 12, 0), true, "a Monday in a year not covered"},
		{bj(2028, 1, 1, 12, 0), false, "a Saturday in a year not covered"},
		// Beijing days, not UTC ones.
		{utc(2026, 3, 6, 20, 0), false, "Friday in UTC, Saturday 04:00 in Beijing"},
		{utc(2026, 3, 8, 17, 0), true, "Sunday in UTC, Monday 01:00 in Beijing"},
		{utc(2026, 9, 30, 16, 0), false, "Wednesday 30 September in UTC, 1 October 00:00 in Beijing"},
		{utc(2026, 9, 30, 15, 59), true, "30 September 23:59 in Beijing"},
		{utc(2026, 10, 9, 16, 0), true, "Friday in UTC, the make-up Saturday in Beijing"},
	} {
		if got := IsWorkingDay(c.at); got != c.want {
			t.Errorf("%s (%v): working %v, want %v", c.why, c.at, got, c.want)
		}
	}
	d := official(t).DayOf(utc(2026, 2, 13, 16, 0))
	if d.Kind != Workday || !d.Working || d.NameZh != "春节" || d.NameEn != "Spring Festival" || !d.Date.Equal(bj(2026, 2, 14, 0, 0)) {
		t.Errorf("14 February 2026: %+v", d)
	}
}

func official(t *testing.T) *Calendar {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The counts without loops agree with counting day by day, before 1970 too.
func TestCountsAgreeWithALoop(t *testing.T) {
	c := official(t)
	for _, span := range [][2]day{{-800, -700}, {-3, 12}, {dayOfDate(2025, 12, 1), dayOfDate(2028, 2, 1)}} {
		for a := span[0]; a < span[1]; a++ {
			n, w := int64(0), int64(0)
			for b := a; b < span[1]; b++ {
				if c.countWorking(a, b) != n {
					t.Fatalf("countWorking(%v, %v) = %d, want %d", a.start(), b.start(), c.countWorking(a, b), n)
				}
				if weekdaysBefore(b)-weekdaysBefore(a) != w {
					t.Fatalf("weekdays in [%v, %v) = %d, want %d", a.start(), b.start(), weekdaysBefore(b)-weekdaysBefore(a), w)
				}
				if c.working(b) {
					n++
				}
				if !b.weekend() {
					w++
				}
			}
			if a-span[0] > 40 {
				a += 6 // enough starting days; keep the test quick
			}
		}
	}
	// WorkingTime against summing hour by hour.
	r := rand.New(rand.NewPCG(1, 2))
	base := bj(2025, 12, 20, 0, 0)
	for range 300 {
		from := base.Add(time.Duration(r.IntN(800*24)) * time.Hour)
		to := from.Add(time.Duration(r.IntN(40*24)) * time.Hour)
		var want time.Duration
		for h := from; h.Before(to); h = h.Add(time.Hour) {
			if c.IsWorkingDay(h) {
				want += time.Hour
			}
		}
		if got := c.WorkingTime(from, to); got != want {
			t.Fatalf("WorkingTime(%v, %v) = %v, want %v", from, to, got, want)
		}
	}
}

func TestParseRefusals(t *testing.T) {
	const header = "date,kind,name_zh,name_en,basis\n"
	const good = "2026-01-01,holiday,元旦,New Year's Day,official\n"
	if c, err := Parse("h.csv", strings.NewReader(header+good+"2026-01-04,workday,元旦,New Year's Day,official\n")); err != nil ||
		c.IsWorkingDay(bj(2026, 1, 1, 9, 0)) || !c.IsWorkingDay(bj(2026, 1, 4, 9, 0)) || !c.Covers(2026) {
		t.Fatalf("a good file: %v", err)
	}
	for _, c := range []struct{ name, in, record, reason string }{
		{"empty", "", "", "no header"},
		{"header only", header, "", "no dates"},
		{"no column", "date,kind,name_zh,name_en\n" + good, "line 1", `"basis"`},
		{"bad date", header + "2026-02-30,holiday,元旦,New Year's Day,official\n", "line 2", `"2026-02-30"`},
		{"bad kind", header + "2026-01-01,day_off,元旦,New Year's Day,official\n", "line 2", `"day_off"`},
		{"workday on a weekday", header + good + "2026-01-05,workday,元旦,New Year's Day,official\n", "line 3", "Monday"},
		{"no name", header + "2026-01-01,holiday,元旦,,official\n", "line 2", "name"},
		{"out of order", header + "2026-01-02,holiday,元旦,New Year's Day,official\n" + good, "line 3", "ascending"},
		{"twice", header + good + good, "line 3", "each once"},
		{"bad basis", header + "2026-01-01,holiday,元旦,New Year's Day,rumour\n", "line 2", `"rumour"`},
		{"mixed basis", header + good + "2026-01-04,workday,元旦,New Year's Day,derived\n", "line 3", "mixes"},
		{"a year missing", header + good + "2028-01-01,holiday,元旦,New Year's Day,derived\n", "", "no dates for 2027"},
		{"bad csv", header + "2026-01-01,holiday\n", "", "wrong number of fields"},
	} {
		_, err := Parse("h.csv", strings.NewReader(c.in))
		var ie *data.InputError
		if !errors.As(err, &ie) || ie.File != "h.csv" || ie.Record != c.record || !strings.Contains(ie.Reason, c.reason) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
