package demo

import (
	"database/sql"
	"fmt"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
)

// writeDuty fills the centers' duty rosters for AsOf's Beijing day and the
// next, in the default shifts: a duty officer at every center, and a leader
// on duty at the city's and the districts'. About one community center
// shift in a hundred is left unstaffed, so the board has something to flag.
// Its own random stream: the rest of the city is the same with or without
// it.
func (c *demoCity) writeDuty(tx *sql.Tx) error {
	rng := regionRand(c.opt.Seed, "duty")
	b := mirror.NewBatcher(tx, "center_duty", "uid", "center_code", "shift", "start_at", "end_at", "person", "phone", "role")
	day := beijingMidnight(c.opt.AsOf)
	var regions []data.Region
	regions = append(regions, c.src.City)
	regions = append(regions, c.src.Districts...)
	regions = append(regions, c.src.Streets...)
	regions = append(regions, c.src.Communities...)
	n := 0
	for d := range 2 {
		for _, s := range data.DefaultShifts {
			shift := data.Shift{Day: day.AddDate(0, 0, d), Name: s.Name}
			start, end := shift.Span(data.DefaultShifts)
			for _, r := range regions {
				if r.Level == data.LevelCommunity && rng.Float64() < 0.01 {
					continue
				}
				roles := []data.DutyRole{data.DutyOfficer}
				if r.Level <= data.LevelDistrict {
					roles = append(roles, data.DutyLeader)
				}
				for _, role := range roles {
					n++
					if err := b.Add(fmt.Sprintf("demo-duty-%d", n), "C"+r.Code, shift.String(), gpkg.Time{Time: start}, gpkg.Time{Time: end},
						personName(rng), mobile(rng), role); err != nil {
						return err
					}
				}
			}
		}
	}
	return b.Flush()
}
