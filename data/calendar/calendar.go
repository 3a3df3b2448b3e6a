package calendar

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"kapok/assets"
	"kapok/data"
)

// Kind is what the official calendar makes of a day that departs from
// "Monday to Friday work".
type Kind string

// Day kinds.
const (
	Ordinary Kind = ""        // not listed: Monday to Friday work, weekends rest
	Holiday  Kind = "holiday" // a day off, whatever its weekday
	Workday  Kind = "workday" // a make-up working day on a Saturday or Sunday
)

// Day is one Beijing day of the calendar.
type Day struct {
	Date    time.Time // 00:00 Beijing time
	Kind    Kind
	Working bool
	// NameZh, NameEn: the holiday, or the one a make-up day makes up for;
	// empty for an ordinary day.
	NameZh, NameEn string
}

// Calendar is the official calendar of some consecutive years.
type Calendar struct {
	first day    // 1 January of the first year covered
	kinds []Kind // by day from first, to 31 December of the last year
	// adj[i] is how many more working days the days first … first+i-1 have
	// than weekdays alone would give (negative: holidays on weekdays), so
	// counts over any range need no loop.
	adj        []int64
	names      map[day][2]string
	official   map[int]bool // by year covered
	yMin, yMax int
}

// File is where the embedded calendar lives in assets.FS.
const File = "calendar/cn-holidays.csv"

var loadDefault = sync.OnceValues(func() (*Calendar, error) {
	f, err := assets.FS.Open(File)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return Parse(File, f)
})

// Default is the embedded calendar (assets/calendar/cn-holidays.csv), read
// once. The package's functions use it.
func Default() (*Calendar, error) { return loadDefault() }

// embedded is the default calendar; its file is checked by the tests, so
// one that does not read is a broken build, not an input to refuse.
func embedded() *Calendar {
	c, err := Default()
	if err != nil {
		panic(err)
	}
	return c
}

var columns = []string{"date", "kind", "name_zh", "name_en", "basis"}

// Parse reads a calendar in the form of assets/calendar/cn-holidays.csv:
// dates ascending, each once; make-up working days on weekends only; every
// year between the first and the last present, each wholly official or
// wholly derived. Anything else is a *data.InputError naming the line.
func Parse(file string, r io.Reader) (*Calendar, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &data.InputError{File: file, Reason: "empty file: no header row"}
	}
	if err != nil {
		return nil, &data.InputError{File: file, Reason: err.Error()}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, want := range columns {
		if _, ok := col[want]; !ok {
			return nil, &data.InputError{File: file, Record: "line 1", Reason: fmt.Sprintf("no column %q", want)}
		}
	}
	type row struct {
		d    day
		kind Kind
		zh   string
		en   string
	}
	var rows []row
	official := map[int]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &data.InputError{File: file, Reason: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		bad := func(format string, a ...any) error {
			return &data.InputError{File: file, Record: fmt.Sprintf("line %d", line), Reason: fmt.Sprintf(format, a...)}
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		t, err := time.Parse(time.DateOnly, get("date"))
		if err != nil {
			return nil, bad("date %q is not YYYY-MM-DD", get("date"))
		}
		r := row{d: dayOfDate(t.Date()), kind: Kind(get("kind")), zh: get("name_zh"), en: get("name_en")}
		switch {
		case r.kind != Holiday && r.kind != Workday:
			return nil, bad("kind %q is not %s or %s", r.kind, Holiday, Workday)
		case r.kind == Workday && !r.d.weekend():
			return nil, bad("%s is a %s: a make-up working day falls on a weekend", get("date"), r.d.weekday())
		case r.zh == "" || r.en == "":
			return nil, bad("the holiday's name is missing (name_zh and name_en)")
		case len(rows) > 0 && r.d <= rows[len(rows)-1].d:
			return nil, bad("%s does not come after the date before it (dates ascending, each once)", get("date"))
		}
		var isOfficial bool
		switch get("basis") {
		case "official":
			isOfficial = true
		case "derived":
		default:
			return nil, bad("basis %q is not official or derived", get("basis"))
		}
		if o, seen := official[t.Year()]; seen && o != isOfficial {
			return nil, bad("%d mixes official and derived dates", t.Year())
		}
		official[t.Year()] = isOfficial
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, &data.InputError{File: file, Reason: "no dates"}
	}
	c := &Calendar{official: official, names: map[day][2]string{}}
	c.yMin, c.yMax = c.year(rows[0].d), c.year(rows[len(rows)-1].d)
	for y := c.yMin; y <= c.yMax; y++ {
		if _, ok := official[y]; !ok {
			return nil, &data.InputError{File: file, Reason: fmt.Sprintf("no dates for %d, between %d and %d: a year is covered whole or not at all", y, c.yMin, c.yMax)}
		}
	}
	c.first = dayOfDate(c.yMin, time.January, 1)
	c.kinds = make([]Kind, dayOfDate(c.yMax+1, time.January, 1)-c.first)
	for _, r := range rows {
		c.kinds[r.d-c.first] = r.kind
		c.names[r.d] = [2]string{r.zh, r.en}
	}
	c.adj = make([]int64, len(c.kinds)+1)
	for i, k := range c.kinds {
		d, delta := c.first+day(i), int64(0)
		if k == Holiday && !d.weekend() {
			delta = -1
		} else if k == Workday {
			delta = 1
		}
		c.adj[i+1] = c.adj[i] + delta
	}
	return c, nil
}

func (c *Calendar) year(d day) int { return d.start().Year() }

// Covers says whether the calendar has the official (or derived) holidays
// of year y; outside, it knows weekends only.
func (c *Calendar) Covers(y int) bool { return y >= c.yMin && y <= c.yMax }

// Official says whether year y's holidays are from the State Council's
// notice, not derived (false for a year not covered).
func (c *Calendar) Official(y int) bool { return c.official[y] }

func (c *Calendar) kind(d day) Kind {
	if i := d - c.first; i >= 0 && int(i) < len(c.kinds) {
		return c.kinds[i]
	}
	return Ordinary
}

func (c *Calendar) working(d day) bool {
	switch c.kind(d) {
	case Holiday:
		return false
	case Workday:
		return true
	}
	return !d.weekend()
}

// countWorking is the number of working days in [a, b).
func (c *Calendar) countWorking(a, b day) int64 {
	adj := func(d day) int64 { return c.adj[min(max(int64(d-c.first), 0), int64(len(c.kinds)))] }
	return weekdaysBefore(b) - weekdaysBefore(a) + adj(b) - adj(a)
}

// IsWorkingDay says whether the Beijing day that t falls in is a working
// day. Mind the zone: 2026-03-06T20:00Z is Saturday in Beijing.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.working(dayOf(t)) }

// DayOf describes the Beijing day that t falls in.
func (c *Calendar) DayOf(t time.Time) Day {
	d := dayOf(t)
	n := c.names[d]
	return Day{Date: d.start(), Kind: c.kind(d), Working: c.working(d), NameZh: n[0], NameEn: n[1]}
}

// IsWorkingDay says whether the Beijing day that t falls in is a working
// day of the official calendar.
func IsWorkingDay(t time.Time) bool { return embedded().IsWorkingDay(t) }
