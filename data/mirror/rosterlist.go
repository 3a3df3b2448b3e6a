package mirror

import (
	"context"
	"encoding/json"

	"kapok/data"
)

// Rosters lists the rosters planned for a region (a district or street
// code, matched exactly: a district's list does not hold its streets'
// rosters) and an ISO week, in the order they were planned. A week that is
// not one is refused; a region without rosters lists none.
func (m *Mirror) Rosters(ctx context.Context, region, week string) ([]data.Roster, error) {
	w, err := data.ParseWeek(week)
	if err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT uid, region_code, state, version, shifts FROM rosters
		WHERE region_code = ? AND week = ? ORDER BY created_at, uid`, region, w.String())
	if err != nil {
		return nil, err
	}
	var out []data.Roster
	for rows.Next() {
		r := data.Roster{Week: w}
		var shifts string
		if err := rows.Scan(&r.ID, &r.Region, &r.State, &r.Version, &shifts); err != nil {
			_ = rows.Close()
			return nil, err
		}
		var sj []shiftJSON
		if err := json.Unmarshal([]byte(shifts), &sj); err != nil {
			_ = rows.Close()
			return nil, err
		}
		for _, s := range sj {
			r.Shifts = append(r.Shifts, data.ShiftDef{Name: s.Name, Start: s.Start, End: s.End})
		}
		out = append(out, r)
	}
	return out, closeRows(rows)
}

// ShiftTable is the shift table of a district (or of the district of a
// street or anything below it): its own if it set one, else the default —
// the table its rosters are planned with.
func (m *Mirror) ShiftTable(ctx context.Context, region string) ([]data.ShiftDef, error) {
	if len(region) < 6 {
		return nil, data.Refuse(data.CodeRosterRegion, "region", data.Value("code", region))
	}
	return districtShifts(ctx, m.DB, region[:6])
}
