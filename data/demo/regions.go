package demo

import (
	"database/sql"
	"fmt"
	"math"
	"strings"

	"kapok/data"
	"kapok/data/geom"
	"kapok/data/mirror"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

func (c *demoCity) writeUsers(tx *sql.Tx) error {
	b := mirror.NewBatcher(tx, "users", "login", "name", "role", "jurisdiction_code")
	city := c.src.City
	b.Add("admin", "系统管理员", "admin", city.Code)
	b.Add("leader", city.Name+"领导小组", "leader", city.Code)
	b.Add("operator", city.Name+"指挥中心值班员", "operator", city.Code)
	for _, d := range c.src.Districts {
		b.Add("leader_"+d.Code, d.Name+"领导小组", "leader", d.Code)
		b.Add("operator_"+d.Code, d.Name+"综治中心值班员", "operator", d.Code)
	}
	return b.Flush()
}

func (c *demoCity) writeRegions(tx *sql.Tx) error {
	city := c.src.City
	if _, err := tx.Exec(`INSERT INTO cities (geom, code, name, pinyin, area_km2) VALUES (?, ?, ?, ?, ?)`,
		blob(city.Boundary), city.Code, city.Name, city.Pinyin, city.AreaKm2); err != nil {
		return err
	}
	b := mirror.NewBatcher(tx, "districts", "geom", "code", "name", "pinyin", "city_code", "area_km2")
	for _, d := range c.src.Districts {
		b.Add(blob(d.Boundary), d.Code, d.Name, d.Pinyin, city.Code, d.AreaKm2)
	}
	if err := b.Flush(); err != nil {
		return err
	}
	b = mirror.NewBatcher(tx, "streets", "geom", "code", "name", "pinyin", "district_code", "kind", "area_km2")
	for _, s := range c.src.Streets {
		b.Add(blob(s.Boundary), s.Code, s.Name, s.Pinyin, s.ParentCode, s.Kind, s.AreaKm2)
	}
	if err := b.Flush(); err != nil {
		return err
	}
	b = mirror.NewBatcher(tx, "communities", "geom", "code", "name", "pinyin", "street_code", "kind", "area_km2", "demo_point")
	for _, cm := range c.src.Communities {
		b.Add(blob(cm.Boundary), cm.Code, cm.Name, cm.Pinyin, cm.ParentCode, cm.Kind, cm.AreaKm2, cm.Code == c.opt.DemoPoint)
	}
	return b.Flush()
}

// gridKind picks a grid's kind from its community's.
func gridKind(rng interface{ Float64() float64 }, communityKind string) string {
	x := rng.Float64()
	if communityKind == "village" {
		switch {
		case x < 0.78:
			return data.GridVillage
		case x < 0.94:
			return data.GridIndustrial
		case x < 0.97:
			return data.GridCommercial
		}
		return data.GridSpecial
	}
	switch {
	case x < 0.78:
		return data.GridResidential
	case x < 0.91:
		return data.GridCommercial
	case x < 0.95:
		return data.GridIndustrial
	}
	return data.GridSpecial
}

// householdsPerKind is the typical range of households in a grid of a kind;
// Guangzhou sizes grids at roughly 300 households.
var householdsPerKind = map[string][2]int{data.GridResidential: {250, 600}, data.GridVillage: {120, 400},
	data.GridCommercial: {40, 200}, data.GridIndustrial: {30, 150}, data.GridSpecial: {5, 60}}

func (c *demoCity) writeGrids(tx *sql.Tx) error {
	kinds := map[string]string{}
	for _, cm := range c.src.Communities {
		kinds[cm.Code] = cm.Kind
	}
	c.workers = map[string]int{}
	b := mirror.NewBatcher(tx, "grids", "geom", "code", "community_code", "kind", "area_m2", "population", "households")
	w := mirror.NewBatcher(tx, "grid_workers", "grid_code", "name", "phone", "on_duty")
	for i := range c.grids {
		g := &c.grids[i]
		g.Kind = gridKind(c.rng, kinds[g.CommunityCode])
		r := householdsPerKind[g.Kind]
		g.Households = r[0] + c.rng.IntN(r[1]-r[0]+1)
		g.Population = int(float64(g.Households) * (2.4 + c.rng.Float64()*0.8))
		if err := b.Add(blob(g.Boundary), g.Code, g.CommunityCode, g.Kind, math.Round(g.AreaM2), g.Population, g.Households); err != nil {
			return err
		}
		n := 1 + g.Households/400
		c.workers[g.Code] = n
		for k := 0; k < n; k++ {
			if err := w.Add(g.Code, personName(c.rng), mobile(c.rng), boolInt(c.rng.Float64() < 0.7)); err != nil {
				return err
			}
		}
	}
	if err := b.Flush(); err != nil {
		return err
	}
	return w.Flush()
}

func (c *demoCity) writeCenters(tx *sql.Tx) error {
	ctx := geos.NewContext()
	b := mirror.NewBatcher(tx, "centers", "geom", "code", "level", "region_code", "name", "duty_phone", "staff_on_duty", "status")
	add := func(r data.Region, staff int) error {
		g, err := geom.ToGEOS(ctx, r.Boundary)
		if err != nil {
			return err
		}
		p := g.PointOnSurface()
		status := pick(c.rng, []string{"normal", "normal", "normal", "normal", "normal", "normal", "normal", "alert", "alert", "emergency"})
		if c.rng.Float64() < 0.01 {
			status = "offline"
		}
		name := data.ShortName(r.Name) + "综治中心"
		return b.Add(blob(orb.Point{p.X(), p.Y()}), "C"+r.Code, r.Level.String(), r.Code, name,
			fmt.Sprintf("020-8%07d", c.rng.IntN(10000000)), staff+c.rng.IntN(staff/2+2), status)
	}
	if err := add(c.src.City, 24); err != nil {
		return err
	}
	for _, set := range []struct {
		regions []data.Region
		staff   int
	}{{c.src.Districts, 10}, {c.src.Streets, 5}, {c.src.Communities, 2}} {
		for _, r := range set.regions {
			if err := add(r, set.staff); err != nil {
				return err
			}
		}
	}
	return b.Flush()
}

func (c *demoCity) writeMatters(tx *sql.Tx) error {
	b := mirror.NewBatcher(tx, "matter_types", "code", "name_zh", "name_en", "category", "department", "time_limit_hours", "handling_level",
		"limit_value", "limit_unit", "extensions_allowed", "grace_hours", "capabilities")
	for _, m := range c.matters {
		b.Add(m.Code, m.NameZh, m.NameEn, m.Category, m.Department, int(m.TimeLimit.Hours()), m.HandlingLevel,
			m.Limit, m.LimitUnit, m.Extensions, int(m.Grace.Hours()), strings.Join(m.Capabilities, ","))
	}
	return b.Flush()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var (
	surnames   = []rune("陈李黄张梁林刘吴罗何郑谢冯邓曾彭钟苏卢蔡潘郭杨叶朱余许胡赖周区麦欧关")
	givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华文辉建国志永健雪梅玲晓东海波宇婷嘉欣俊浩子轩思琪")
)

func personName(rng interface{ IntN(int) int }) string {
	name := []rune{surnames[rng.IntN(len(surnames))], givenChars[rng.IntN(len(givenChars))]}
	if rng.IntN(3) > 0 {
		name = append(name, givenChars[rng.IntN(len(givenChars))])
	}
	return string(name)
}

func mobile(rng interface{ IntN(int) int }) string {
	return fmt.Sprintf("13%d%08d", rng.IntN(10), rng.IntN(100000000))
}
