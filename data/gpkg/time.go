package gpkg

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// TimeLayout is the one text form of every instant Kapok stores: UTC with
// milliseconds, as GeoPackage writes DATETIME ("2026-11-25T08:00:00.000Z").
// Every stored time has the same width and zone, so text order is time order
// (for years 0000–9999) and SQL compares times as strings.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime is t in TimeLayout.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseTime reads a stored time. It also takes any RFC 3339 time, the form
// of times written before TimeLayout was the only one.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// Time is an instant as a SQL value: written in TimeLayout, read from text or
// from the time.Time go-sqlite3 makes of a DATETIME column.
type Time struct{ time.Time }

// Value writes the time in TimeLayout.
func (t Time) Value() (driver.Value, error) { return FormatTime(t.Time), nil }

// Scan reads a stored time; NULL is refused (use NullTime).
func (t *Time) Scan(src any) error {
	var n NullTime
	if err := n.Scan(src); err != nil {
		return err
	}
	if !n.Valid {
		return fmt.Errorf("gpkg.Time: NULL")
	}
	t.Time = n.Time
	return nil
}

// NullTime is an instant or NULL.
type NullTime struct {
	Time  time.Time
	Valid bool
}

// NullTimeOf is a NullTime from a pointer (nil for NULL).
func NullTimeOf(t *time.Time) NullTime {
	if t == nil {
		return NullTime{}
	}
	return NullTime{Time: *t, Valid: true}
}

// Ptr is the time as a pointer, nil for NULL.
func (n NullTime) Ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time
	return &t
}

// Value writes the time in TimeLayout, or NULL.
func (n NullTime) Value() (driver.Value, error) {
	if !n.Valid {
		return nil, nil
	}
	return FormatTime(n.Time), nil
}

// Scan reads a stored time or NULL.
func (n *NullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n = NullTime{}
		return nil
	case time.Time:
		*n = NullTime{Time: v.UTC(), Valid: true}
		return nil
	case string:
		return n.parse(v)
	case []byte:
		return n.parse(string(v))
	}
	return fmt.Errorf("gpkg.NullTime: cannot read %T", src)
}

func (n *NullTime) parse(s string) error {
	t, err := ParseTime(s)
	if err != nil {
		return fmt.Errorf("stored time %q: %w", s, err)
	}
	*n = NullTime{Time: t.UTC(), Valid: true}
	return nil
}
