package demo

import (
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"

	"kapok/data"
	"kapok/data/mirror"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// unitTypeOf is the kind of unit a grid of a kind stands up.
var unitTypeOf = map[string][]string{data.GridResidential: {"community"}, data.GridVillage: {"village"},
	data.GridCommercial: {"market", "transport"}, data.GridIndustrial: {"enterprise"}, data.GridSpecial: {"school", "hospital"}}

var capabilityTags = data.Capabilities

// writeUnits stands up one minimum emergency disposal unit per grid and more
// in the most populous grids, with about five responders each.
func (c *demoCity) writeUnits(tx *sql.Tx) error {
	perGrid := make([]int, len(c.grids))
	for i := range perGrid {
		perGrid[i] = 1
	}
	if extra := c.opt.Units - len(c.grids); extra > 0 {
		order := make([]int, len(c.grids))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return c.grids[order[a]].Population > c.grids[order[b]].Population })
		for k := 0; k < extra; k++ {
			perGrid[order[k%len(order)]]++
		}
	}
	names := map[string]string{}
	for _, cm := range c.src.Communities {
		names[cm.Code] = data.ShortName(cm.Name)
	}
	ub := mirror.NewBatcher(tx, "units", "geom", "code", "name", "unit_type", "grid_code", "capabilities", "status")
	rb := mirror.NewBatcher(tx, "responders", "unit_code", "name", "role", "phone", "on_duty")
	for i, g := range c.grids {
		for k := 1; k <= perGrid[i]; k++ {
			u := data.Unit{Code: fmt.Sprintf("U%s%d", g.Code, k), GridCode: g.Code, UnitType: pick(c.rng, unitTypeOf[g.Kind]),
				Location: pointIn(c.rng, g.Boundary), Status: data.UnitAvailable}
			// Some are off duty; the dispatched ones are those the open
			// cases hold (writeHolds), so that closing a case frees them.
			// The draw that once picked a random status is still taken:
			// the capabilities and people drawn after it stay as they were.
			_ = c.rng.IntN(10)
			if c.rng.Float64() < 0.03 {
				u.Status = data.UnitOffline
			}
			u.Name = fmt.Sprintf("%s%s号网格第%d应急处置单元", names[g.CommunityCode], strings.TrimLeft(g.Code[12:], "0"), k)
			perm := c.rng.Perm(len(capabilityTags))
			for _, t := range perm[:2+c.rng.IntN(3)] {
				u.Capabilities = append(u.Capabilities, capabilityTags[t])
			}
			sort.Strings(u.Capabilities)
			c.units = append(c.units, u)
			if err := ub.Add(blob(u.Location), u.Code, u.Name, u.UnitType, u.GridCode, strings.Join(u.Capabilities, ","), u.Status); err != nil {
				return err
			}
			// A police officer in most units, staff of the responsible unit, the
			// grid worker, and neighbourhood volunteers (广州街坊).
			roles := []string{data.RoleGridWorker}
			if c.rng.Float64() < 0.6 {
				roles = append(roles, data.RolePolice)
			}
			for n := 1 + c.rng.IntN(2); n > 0; n-- {
				roles = append(roles, data.RoleUnitStaff)
			}
			for n := 1 + c.rng.IntN(3); n > 0; n-- {
				roles = append(roles, data.RoleVolunteer)
			}
			for _, role := range roles {
				if err := rb.Add(u.Code, personName(c.rng), role, mobile(c.rng), boolInt(c.rng.Float64() < 0.75)); err != nil {
					return err
				}
			}
		}
	}
	if err := ub.Flush(); err != nil {
		return err
	}
	return rb.Flush()
}

// writeSecurity places cameras in grids, checkpoints on district
// boundaries and patrol loops in streets.
func (c *demoCity) writeSecurity(tx *sql.Tx) error {
	cams := mirror.NewBatcher(tx, "cameras", "geom", "code", "name", "grid_code", "kind", "status")
	n := 0
	for _, g := range c.grids {
		count := 1
		switch g.Kind {
		case data.GridResidential, data.GridCommercial:
			count = 1 + c.rng.IntN(2)
		case data.GridVillage:
			count = c.rng.IntN(2)
		}
		for k := 0; k < count; k++ {
			n++
			kind := pick(c.rng, []string{"street", "entrance", "traffic", "public_place"})
			status := "online"
			if c.rng.Float64() < 0.03 {
				status = "offline"
			}
			if err := cams.Add(blob(pointIn(c.rng, g.Boundary)), fmt.Sprintf("V%s%d", g.Code, k+1),
				fmt.Sprintf("视频点位%06d", n), g.Code, kind, status); err != nil {
				return err
			}
		}
	}
	if err := cams.Flush(); err != nil {
		return err
	}
	cps := mirror.NewBatcher(tx, "checkpoints", "geom", "code", "name", "district_code", "kind", "status")
	for _, d := range c.src.Districts {
		ring := d.Boundary[0][0]
		count := 12 + c.rng.IntN(20)
		for k := 0; k < count; k++ {
			p := ring[c.rng.IntN(len(ring))]
			kind := "boundary"
			if k%4 == 1 {
				kind, p = "road", pointIn(c.rng, d.Boundary)
			} else if k%9 == 2 {
				kind, p = "station", pointIn(c.rng, d.Boundary)
			}
			if err := cps.Add(blob(p), fmt.Sprintf("K%s%03d", d.Code, k+1), fmt.Sprintf("%s%d号卡口", d.Name, k+1),
				d.Code, kind, pick(c.rng, []string{"online", "online", "online", "online", "offline"})); err != nil {
				return err
			}
		}
	}
	if err := cps.Flush(); err != nil {
		return err
	}
	routes := mirror.NewBatcher(tx, "patrol_routes", "geom", "code", "name", "street_code", "shift", "length_m")
	for _, s := range c.src.Streets {
		for k, shift := range []string{"day", "night", "all_day"} {
			line := patrolLoop(c, s.Boundary)
			if err := routes.Add(blob(line), fmt.Sprintf("R%s%d", s.Code, k+1), fmt.Sprintf("%s%d号巡逻线", s.Name, k+1),
				s.Code, shift, math.Round(geo.Length(line))); err != nil {
				return err
			}
		}
	}
	return routes.Flush()
}

// patrolLoop is a closed walk through a few points of a street, visited in
// order of angle about their centre so it does not cross itself.
func patrolLoop(c *demoCity, area orb.MultiPolygon) orb.LineString {
	pts := make([]orb.Point, 5+c.rng.IntN(4))
	var cx, cy float64
	for i := range pts {
		pts[i] = pointIn(c.rng, area)
		cx += pts[i][0] / float64(len(pts))
		cy += pts[i][1] / float64(len(pts))
	}
	sort.Slice(pts, func(i, j int) bool {
		return math.Atan2(pts[i][1]-cy, pts[i][0]-cx) < math.Atan2(pts[j][1]-cy, pts[j][0]-cx)
	})
	return append(orb.LineString(pts), pts[0])
}
