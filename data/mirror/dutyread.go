package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule"
)

// Reads of the centers' duty rosters for the command line: a center with
// its shift table, and the centers with nobody on duty in the shift under
// way at an instant.

// DutyCenter is a governance center as its duty roster is kept: its name,
// level and region, and the shift table its duty is kept in (its
// district's; the default shifts for the city's center).
type DutyCenter struct {
	Code, Name, Region string
	Level              data.Level
	Shifts             []data.ShiftDef
}

// DutyGap is a center with nobody on duty in the shift of its table that
// holds an instant.
type DutyGap struct {
	DutyCenter
	Shift      data.Shift
	Start, End time.Time
}

// DutyCenterOf reads a center (code "C" + region code) and its shift
// table; an unknown center is refused.
func (m *Mirror) DutyCenterOf(ctx context.Context, code string) (DutyCenter, error) {
	c := DutyCenter{Code: code}
	var level string
	err := m.DB.QueryRowContext(ctx, `SELECT name, level, region_code FROM centers WHERE code = ?`, code).Scan(&c.Name, &level, &c.Region)
	if errors.Is(err, sql.ErrNoRows) {
		return c, data.Refuse(data.CodeCenterUnknown, "center", data.Value("center", code))
	}
	if err != nil {
		return c, err
	}
	if c.Level, err = parseCenterLevel(code, level); err != nil {
		return c, err
	}
	c.Shifts, err = centerShifts(ctx, m.DB, c.Region, nil)
	return c, err
}

// DutyGaps lists, by code, the centers under region (a city, district,
// street or community code; "": the whole mirror) that have a shift under
// way at at — in their district's table — and nobody on duty then. centers
// is how many centers lie under the region. A center whose table has no
// shift at that hour is no gap: nobody is due. An unknown region is
// refused.
func (m *Mirror) DutyGaps(ctx context.Context, region string, at time.Time) (gaps []DutyGap, centers int, err error) {
	if region != "" {
		if err := regionExists(ctx, m.DB, region); err != nil {
			return nil, 0, err
		}
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT c.code, c.name, c.level, c.region_code,
		EXISTS (SELECT 1 FROM center_duty d WHERE d.center_code = c.code AND d.start_at <= ?2 AND d.end_at > ?2)
		FROM centers c WHERE c.region_code LIKE ?1 || '%' ORDER BY c.code`, region, gpkg.Time{Time: at})
	if err != nil {
		return nil, 0, err
	}
	var empty []DutyCenter
	for rows.Next() {
		var c DutyCenter
		var level string
		var staffed bool
		if err := rows.Scan(&c.Code, &c.Name, &level, &c.Region, &staffed); err != nil {
			_ = rows.Close()
			return nil, 0, err
		}
		if c.Level, err = parseCenterLevel(c.Code, level); err != nil {
			_ = rows.Close()
			return nil, 0, err
		}
		centers++
		if !staffed {
			empty = append(empty, c)
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, 0, err
	}
	tables := map[string][]data.ShiftDef{} // by district: a handful
	for _, c := range empty {
		if c.Shifts, err = centerShifts(ctx, m.DB, c.Region, tables); err != nil {
			return nil, 0, err
		}
		shifts := data.WeekShifts(data.WeekOf(at), c.Shifts)
		i, ok := schedule.Coverage{Shifts: shifts}.ShiftAt(at, c.Shifts)
		if !ok {
			continue
		}
		g := DutyGap{DutyCenter: c, Shift: shifts[i]}
		g.Start, g.End = g.Shift.Span(c.Shifts)
		gaps = append(gaps, g)
	}
	return gaps, centers, nil
}

// centerShifts is the shift table a center's duty is kept in, as
// AssignDuty reads it: its district's, the default shifts above the
// districts. Tables read are kept in seen (nil: none kept).
func centerShifts(ctx context.Context, q queryRower, region string, seen map[string][]data.ShiftDef) ([]data.ShiftDef, error) {
	if len(region) < 6 {
		return append([]data.ShiftDef(nil), data.DefaultShifts...), nil
	}
	if defs, ok := seen[region[:6]]; ok {
		return defs, nil
	}
	defs, err := districtShifts(ctx, q, region[:6])
	if err == nil && seen != nil {
		seen[region[:6]] = defs
	}
	return defs, err
}

func parseCenterLevel(code, level string) (data.Level, error) {
	lv, ok := data.ParseLevel(level)
	if !ok {
		return 0, fmt.Errorf("center %s: level %q", code, level)
	}
	return lv, nil
}
