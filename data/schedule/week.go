package schedule

import (
	"time"

	"kapok/data"
)

// weekIndex places shifts in a week's columns by arithmetic instead of by
// formatting or hashing them: a whole city's roster looks up a column for
// every one of its ~100,000 assignments, and Shift.String formats a date.
type weekIndex struct {
	shifts []data.Shift // the week's shifts in time order: the columns
	order  []data.ShiftDef
	monday int64 // Unix seconds of the week's Monday, 00:00 Beijing time
	// starts and ends are the columns' spans in Unix seconds (shift tables
	// are whole hours).
	starts, ends []int64
	keys         []string // Shift.String of each column, made when first asked
}

func newWeekIndex(w data.Week, defs []data.ShiftDef) *weekIndex {
	x := &weekIndex{shifts: data.WeekShifts(w, defs), monday: w.Monday().Unix()}
	// The same stable order by start hour as WeekShifts, so that a day's
	// i-th column is order[i] even in a table with a name twice.
	x.order = append([]data.ShiftDef(nil), defs...)
	for i := 1; i < len(x.order); i++ {
		for j := i; j > 0 && x.order[j].Start < x.order[j-1].Start; j-- {
			x.order[j], x.order[j-1] = x.order[j-1], x.order[j]
		}
	}
	perDay := len(x.order)
	x.starts = make([]int64, len(x.shifts))
	x.ends = make([]int64, len(x.shifts))
	for i, s := range x.shifts {
		d := x.order[i%perDay]
		day := s.Day.Unix()
		x.starts[i] = day + int64(d.Start)*3600
		x.ends[i] = day + int64(d.End)*3600
	}
	return x
}

// col is the column of s in the week, or -1 when it is not one of the
// week's shifts: another week, a Day not at 00:00 Beijing time, or a name
// the table lacks.
func (x *weekIndex) col(s data.Shift) int {
	if len(x.order) == 0 || s.Day.Nanosecond() != 0 {
		return -1
	}
	// Beijing time has no summer time: its days are 86,400 s each.
	d := s.Day.Unix() - x.monday
	if d < 0 || d%86400 != 0 || d/86400 >= 7 {
		return -1
	}
	for i := range x.order { // a handful of shifts: faster than a map
		if x.order[i].Name == s.Name {
			return int(d/86400)*len(x.order) + i
		}
	}
	return -1
}

// key is the column's Shift.String, the form Unit.Unavailable is keyed by.
func (x *weekIndex) key(c int) string {
	if x.keys == nil {
		x.keys = make([]string, len(x.shifts))
	}
	if x.keys[c] == "" {
		x.keys[c] = x.shifts[c].String()
	}
	return x.keys[c]
}

// startOf is when s starts under the table (Day itself for a name the
// table lacks, as Shift.Span has it), for ordering conflicts in time.
func startOf(s data.Shift, defs []data.ShiftDef) time.Time {
	start, _ := s.Span(defs)
	return start
}
