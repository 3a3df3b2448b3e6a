package demo

import (
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

	"kapok/data"
	"kapok/data/geom"
	"kapok/data/mirror"
	"kapok/data/password"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// Password is every demo user's password, documented in the README: a
// demo is for trying every role. The system user has none: nobody logs in
// as it.
const Password = "kapok-demo-2026"

// writeUsers writes the demo's people: the city's leadership group,
// commander, command-post operator, analyst and user admin, each
// district's leadership group and district operator, the operator of the
// demonstration point's street and grid workers of two of its
// communities, all with the one demo Password. It is hashed once for them
// all (one argon2id hash takes some 25 ms; one a user would add a third of
// a second to every build, the fixture city's in every test included), so
// their PHC strings share a salt: harmless for a password the README
// prints, never done for real users (AddUser hashes each).
func (c *demoCity) writeUsers(tx *sql.Tx) error {
	hash, err := password.Hash(Password)
	if err != nil {
		return err
	}
	b := mirror.NewBatcher(tx, "users", "login", "name", "role", "jurisdiction_code", "password_hash")
	city := c.src.City
	add := func(login, name string, role data.Role, code string) { b.Add(login, name, role, code, hash) }
	add("admin", "系统管理员", data.RoleAdmin, city.Code)
	add("leader", city.Name+"领导小组", data.RoleLeader, city.Code)
	add("commander", city.Name+"指挥中心指挥长", data.RoleCommander, city.Code)
	add("operator", city.Name+"指挥中心值班员", data.RoleOperator, city.Code)
	add("analyst_"+city.Code, city.Name+"数据分析员", data.RoleAnalyst, city.Code)
	for _, d := range c.src.Districts {
		add("leader_"+d.Code, d.Name+"领导小组", data.RoleLeader, d.Code)
		add("operator_"+d.Code, d.Name+"综治中心值班员", data.RoleDistrictOperator, d.Code)
	}
	street, workers := c.demoStreet()
	if street.Code != "" {
		add("operator_"+street.Code, street.Name+"综治中心值班员", data.RoleStreetOperator, street.Code)
	}
	for _, cm := range workers {
		add("worker_"+cm.Code, cm.Name+"网格员", data.RoleWorker, cm.Code)
	}
	return b.Flush()
}

// demoStreet is the street of the demonstration point (else the first
// street) and up to two of its communities, the point first.
func (c *demoCity) demoStreet() (data.Region, []data.Region) {
	var street data.Region
	for i, s := range c.src.Streets {
		if i == 0 || strings.HasPrefix(c.opt.DemoPoint, s.Code) {
			street = s
		}
	}
	var out []data.Region
	for _, cm := range c.src.Communities {
		if cm.ParentCode == street.Code {
			out = append(out, cm)
		}
	}
	if i := slices.IndexFunc(out, func(r data.Region) bool { return r.Code == c.opt.DemoPoint }); i > 0 {
		out[0], out[i] = out[i], out[0]
	}
	return street, out[:min(2, len(out))]
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
