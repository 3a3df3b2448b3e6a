package demo

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"

	"github.com/google/uuid"
)

// The demo's innovation program (issue 16): about forty projects across
// the incubator's stages, their milestones and indicators, the 2020–2021
// contest (round 2021: published criteria, twenty entries, district
// leaders' scores of other districts' entries) and the demonstration
// point's party-building-led governance project, piloted at the point and
// rolled out to a few streets, planned for a few more. Written directly in
// the build's transaction with their history rows and no journal entries
// (the build is one entry), from a random stream of its own.

const (
	demoProjects   = 40
	demoEntries    = 20
	demoRound      = 2021
	demoJudges     = 5 // district leaders judging (fewer if the city has fewer districts)
	demoRolledOut  = 4 // streets the demonstration project is rolled out to
	demoPlannedFor = 3 // and planned for
)

// demoStages are how many of the projects are at each stage; the first
// project (the demonstration point's) is rolled out.
var demoStages = map[data.Stage]int{data.StageProposed: 6, data.StageIncubating: 8, data.StagePiloting: 9,
	data.StageEvaluated: 6, data.StageRolledOut: 7, data.StageStopped: 4}

var (
	projectTopics = []string{"网格化服务管理提质", "矛盾纠纷多元化解", "社区议事协商", "智慧平安社区建设", "出租屋流动人口服务",
		"“粤心安”社会心理服务", "综治中心规范化建设", "群防群治志愿巡逻", "“红棉”调解工作室", "老旧小区自治管理",
		"城中村治安共治", "青少年关爱帮扶", "外卖骑手融入社区", "“一码通”问题上报", "楼栋长联系群众",
		"企业劳资纠纷预警", "校园周边安全共治", "平安商圈联防", "“令行禁止、有呼必应”", "村规民约修订"}
	projectForms  = []string{"试点", "工作法", "模式探索", "创新实践", "示范项目", "机制建设"}
	stopReasons   = []string{"经费未落实", "牵头单位调整，项目并入区级统筹", "试点成效未达预期", "与上级新部署重复"}
	milestoneKind = []string{"完成调研与方案论证", "召开启动会", "制度文件印发", "首批网格上线运行", "中期评估", "群众满意度测评", "形成经验总结材料"}
	criteria2021  = []data.Criterion{
		{Code: "innovation", NameZH: "创新性", NameEN: "Innovation", Weight: 30, Max: 100},
		{Code: "effect", NameZH: "实效性", NameEN: "Effect", Weight: 30, Max: 100},
		{Code: "replicable", NameZH: "可复制推广性", NameEN: "Replicability", Weight: 25, Max: 100},
		{Code: "sustainable", NameZH: "可持续性", NameEN: "Sustainability", Weight: 15, Max: 100},
	}
)

// demoProject is a project before it is written.
type demoProject struct {
	key, region, unit, title, text string
	stages                         []data.Stage // every stage reached, proposed first
	at                             []time.Time  // when each was reached
	reason                         string
	indicators                     []string
	quality                        float64 // the judges' scores centre on it
	entered                        bool
}

// demoUID is a UUIDv7 of the instant at with its random bits from rng: the
// same seed gives the same keys.
func demoUID(rng *rand.Rand, at time.Time) string {
	var u uuid.UUID
	ms := uint64(at.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (8 * (5 - i)))
	}
	for i := 6; i < 16; i++ {
		u[i] = byte(rng.IntN(256))
	}
	u[6] = u[6]&0x0f | 0x70
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

func beijingDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 0, 0, 0, data.BeijingTime).UTC()
}

// between is an instant at random between a and b (a if b is not after it),
// to the second.
func between(rng *rand.Rand, a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(rng.Int64N(int64(b.Sub(a))))).Truncate(time.Second)
}

// shortName is a region's name as titles say it: a community's without
// its committee ("大源村委会" → "大源村", "杏林居委会" → "杏林社区").
func shortName(r data.Region) string {
	if r.Level != data.LevelCommunity {
		return r.Name
	}
	name := r.Name
	for _, cut := range [][2]string{{"村民委员会", "村"}, {"村委会", "村"}, {"居民委员会", ""}, {"居委会", ""}, {"委员会", ""}} {
		if base, ok := strings.CutSuffix(name, cut[0]); ok {
			name = base + cut[1]
			break
		}
	}
	if !strings.HasSuffix(name, "村") && !strings.HasSuffix(name, "社区") {
		name += "社区"
	}
	return name
}

// unitOf is a plausible proposing unit of a region.
func unitOf(rng *rand.Rand, r data.Region) string {
	switch r.Level {
	case data.LevelDistrict:
		return r.Name + pick(rng, []string{"委政法委", "综治中心", "司法局", "民政局"})
	case data.LevelStreet:
		return r.Name + pick(rng, []string{"综治中心", "党工委", "派出所", "司法所"})
	}
	name := shortName(r)
	if strings.HasSuffix(name, "村") {
		return name + pick(rng, []string{"村委会", "党支部"})
	}
	return name + pick(rng, []string{"居委会", "党委"})
}

func (c *demoCity) writeInnovation(tx *sql.Tx) error {
	if !c.opt.Innovation {
		return nil
	}
	ctx := context.Background()
	rng := regionRand(c.opt.Seed, "innovation")
	src, asOf := c.src, c.opt.AsOf.UTC()
	userID := func(login string) (int64, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE login = ?`, login).Scan(&id)
		return id, err
	}
	leaderOf := map[string]int64{}
	for _, d := range src.Districts {
		id, err := userID("leader_" + d.Code)
		if err != nil {
			return err
		}
		leaderOf[d.Code] = id
	}
	cityLeader, err := userID("leader")
	if err != nil {
		return err
	}
	indicators, err := columnOf(ctx, tx, `SELECT code FROM indicator_defs ORDER BY code`)
	if err != nil {
		return err
	}
	if len(src.Districts) == 0 || len(src.Streets) == 0 || len(src.Communities) == 0 {
		return nil
	}

	// The stages, the demonstration project's first (rolled out).
	var stages []data.Stage
	for _, s := range data.Stages {
		for range demoStages[s] {
			stages = append(stages, s)
		}
	}
	i := slices.Index(stages, data.StageRolledOut)
	stages[0], stages[i] = stages[i], stages[0]
	rest := stages[1:]
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })

	point := src.Communities[0]
	if i := slices.IndexFunc(src.Communities, func(r data.Region) bool { return r.Code == c.opt.DemoPoint }); i >= 0 {
		point = src.Communities[i]
	}
	contestOpen := beijingDate(2020, time.September, 1)
	projects := make([]demoProject, len(stages))
	entries := 0
	for n, stage := range stages {
		p := &projects[n]
		var owner data.Region
		switch {
		case n == 0:
			owner = src.Districts[slices.IndexFunc(src.Districts, func(r data.Region) bool { return strings.HasPrefix(point.Code, r.Code) })]
			p.title, p.unit = shortName(point)+"“党建引领基层治理”示范点建设", owner.Name+"委政法委"
			p.text = "以" + shortName(point) + "为试验田，党组织领办网格、议事会协商、综治中心兜底，形成可复制的党建引领基层治理模式"
			p.quality = 93
		default:
			switch rng.IntN(3) {
			case 0:
				owner = pick(rng, src.Districts)
			case 1:
				owner = pick(rng, src.Streets)
			default:
				owner = pick(rng, src.Communities)
			}
			p.title = shortName(owner) + pick(rng, projectTopics) + pick(rng, projectForms)
			p.unit = unitOf(rng, owner)
			p.text = "围绕" + pick(rng, projectTopics) + "，探索可量化、可复制的基层治理做法"
			p.quality = 55 + 38*rng.Float64()
		}
		p.region = owner.Code
		// The first twenty past their proposal (in the shuffled order) are
		// the 2020 contest's entries; the rest were proposed after.
		p.entered = stage != data.StageProposed && entries < demoEntries
		var proposed time.Time
		if p.entered {
			entries++
			proposed = between(rng, beijingDate(2020, time.January, 6), contestOpen)
		} else {
			proposed = between(rng, beijingDate(2021, time.March, 1), asOf.AddDate(0, 0, -60))
		}
		if n == 0 {
			proposed = beijingDate(2020, time.March, 16)
		}
		proposed = minTime(proposed, asOf)
		// Its stages, the ones reached in between evenly apart (jittered).
		path := data.Stages[:slices.Index(data.Stages, stage)+1]
		if stage == data.StageStopped {
			path = append(slices.Clone(data.Stages[:1+rng.IntN(3)]), data.StageStopped)
			p.reason = pick(rng, stopReasons)
		}
		span := asOf.Sub(proposed) / time.Duration(len(path)+1)
		p.stages, p.at = path, []time.Time{proposed}
		for k := 1; k < len(path); k++ {
			p.at = append(p.at, minTime(proposed.Add(time.Duration(k)*span+time.Duration(rng.Int64N(int64(span/3)+1))).Truncate(time.Second), asOf))
		}
		p.key = demoUID(rng, proposed)
		for range 1 + rng.IntN(3) {
			if code := pick(rng, indicators); !slices.Contains(p.indicators, code) {
				p.indicators = append(p.indicators, code)
			}
		}
		if n == 0 {
			// The demonstration point means to move what party-building-led
			// governance is judged by (drawn all the same, so that the rest
			// of the program stays as it was).
			p.indicators = slices.Clone(demoPointIndicators)
		}
		slices.Sort(p.indicators)
	}

	for _, p := range projects {
		actor := leaderOf[p.region[:len(src.Districts[0].Code)]]
		last := len(p.stages) - 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO projects (uid, region_code, unit, title, description, stage, reason, proposed_at, stage_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.key, p.region, p.unit, p.title, p.text, p.stages[last], p.reason,
			gpkg.Time{Time: p.at[0]}, gpkg.Time{Time: p.at[last]}, actor); err != nil {
			return err
		}
		for k, s := range p.stages {
			var from data.Stage
			reason := ""
			if k > 0 {
				from = p.stages[k-1]
			}
			if s == data.StageStopped {
				reason = p.reason
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO project_history (project_uid, seq, at, actor, from_stage, to_stage, reason)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, p.key, k+1, gpkg.Time{Time: p.at[k]}, actor, from, s, reason); err != nil {
				return err
			}
		}
		for _, code := range p.indicators {
			if _, err := tx.ExecContext(ctx, `INSERT INTO project_indicators (project_uid, indicator_code) VALUES (?, ?)`, p.key, code); err != nil {
				return err
			}
		}
		// Milestones from its incubation on: those due before the stage
		// it is at were reached; of the rest, those due before AsOf are
		// overdue in about one case in two (never for one rolled out).
		if len(p.stages) < 2 {
			continue
		}
		start := p.at[1]
		for k, title := range milestoneKind[:2+rng.IntN(len(milestoneKind)-1)] {
			due := beijingMidnight(start.AddDate(0, 2*(k+1), 0)).Add(18 * time.Hour)
			var done any
			current := p.stages[last]
			switch {
			case due.Before(p.at[last]) || current == data.StageRolledOut:
				done = gpkg.Time{Time: minTime(due.Add(-time.Duration(rng.IntN(10*24))*time.Hour), asOf)}
			case due.Before(asOf) && current != data.StageStopped && rng.IntN(2) == 0:
				done = gpkg.Time{Time: between(rng, due, asOf)}
			}
			// A name-based key (the project's key and the milestone's
			// place): the same in every build of the same demo, and no
			// draw from rng, which would change the rest of the program.
			uid := uuid.NewSHA1(uuid.NameSpaceOID, []byte(p.key+"/milestone/"+strconv.Itoa(k))).String()
			if _, err := tx.ExecContext(ctx, `INSERT INTO milestones (project_uid, uid, title, due_at, done_at) VALUES (?, ?, ?, ?, ?)`,
				p.key, uid, title, gpkg.Time{Time: due}, done); err != nil {
				return err
			}
		}
	}

	if err := c.writeContest(ctx, tx, rng, projects, leaderOf, cityLeader); err != nil {
		return err
	}
	return c.writeRollouts(ctx, tx, rng, projects[0], point, leaderOf)
}

// writeContest writes round 2021: its criteria, the entries, and the
// scores of demoJudges district leaders, each scoring every entry of the
// other districts on every criterion.
func (c *demoCity) writeContest(ctx context.Context, tx *sql.Tx, rng *rand.Rand, projects []demoProject, leaderOf map[string]int64, opener int64) error {
	opened := beijingDate(2020, time.September, 1)
	if _, err := tx.ExecContext(ctx, `INSERT INTO contest_rounds (year, opened_at, opened_by) VALUES (?, ?, ?)`,
		demoRound, gpkg.Time{Time: opened}, opener); err != nil {
		return err
	}
	for i, cr := range criteria2021 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contest_criteria (round, code, seq, name_zh, name_en, weight, max) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			demoRound, cr.Code, i+1, cr.NameZH, cr.NameEN, cr.Weight, cr.Max); err != nil {
			return err
		}
	}
	districts := make([]string, len(c.src.Districts))
	for i, d := range c.src.Districts {
		districts[i] = d.Code
	}
	rng.Shuffle(len(districts), func(i, j int) { districts[i], districts[j] = districts[j], districts[i] })
	judges := districts[:min(demoJudges, len(districts))]
	slices.Sort(judges)
	for _, p := range projects {
		if !p.entered {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contest_entries (round, project_uid, entered_at) VALUES (?, ?, ?)`,
			demoRound, p.key, gpkg.Time{Time: between(rng, maxTime(p.at[0], opened), beijingDate(2020, time.November, 30))}); err != nil {
			return err
		}
		for _, j := range judges {
			if strings.HasPrefix(p.region, j) {
				continue // the rule: never their own region's entries
			}
			at := between(rng, beijingDate(2021, time.January, 11), beijingDate(2021, time.January, 15))
			for _, cr := range criteria2021 {
				v := math.Round(2*min(cr.Max, max(0, p.quality+rng.NormFloat64()*6))) / 2
				if _, err := tx.ExecContext(ctx, `INSERT INTO contest_scores (round, project_uid, judge, criterion, value, at) VALUES (?, ?, ?, ?, ?, ?)`,
					demoRound, p.key, leaderOf[j], cr.Code, v, gpkg.Time{Time: at}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// writeRollouts writes the demonstration project's pilot at the point,
// the streets (of the point's) it was rolled out to, first planned, and
// those only planned, each with its history rows.
func (c *demoCity) writeRollouts(ctx context.Context, tx *sql.Tx, rng *rand.Rand, demo demoProject, point data.Region, leaderOf map[string]int64) error {
	dlen := len(c.src.Districts[0].Code)
	add := func(key, region string, steps []data.RolloutState, at []time.Time) error {
		actor := leaderOf[region[:dlen]]
		last := len(steps) - 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_rollouts (project_uid, region_code, state, since) VALUES (?, ?, ?, ?)`,
			key, region, steps[last], gpkg.Time{Time: at[last]}); err != nil {
			return err
		}
		for k, s := range steps {
			var from data.RolloutState
			if k > 0 {
				from = steps[k-1]
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO project_rollout_history (project_uid, region_code, seq, at, actor, from_state, to_state)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, key, region, k+1, gpkg.Time{Time: at[k]}, actor, from, s); err != nil {
				return err
			}
		}
		return nil
	}
	// The point: piloted from the project's piloting on.
	piloting := demo.at[slices.Index(demo.stages, data.StagePiloting)]
	if err := add(demo.key, point.Code, []data.RolloutState{data.RolloutPilot}, []time.Time{piloting}); err != nil {
		return err
	}
	measured := map[string]time.Time{point.Code[:data.LevelStreet.CodeLength()]: piloting} // street → since
	var streets []data.Region
	for _, s := range c.src.Streets {
		if !strings.HasPrefix(point.Code, s.Code) {
			streets = append(streets, s)
		}
	}
	rng.Shuffle(len(streets), func(i, j int) { streets[i], streets[j] = streets[j], streets[i] })
	rolled := demo.at[len(demo.at)-1]
	for i, s := range streets[:min(demoRolledOut+demoPlannedFor, len(streets))] {
		planned := between(rng, demo.at[slices.Index(demo.stages, data.StageEvaluated)], rolled)
		if i < demoRolledOut {
			since := between(rng, rolled, c.opt.AsOf.UTC())
			if err := add(demo.key, s.Code, []data.RolloutState{data.RolloutPlanned, data.RolloutRolledOut},
				[]time.Time{planned, since}); err != nil {
				return err
			}
			measured[s.Code] = since
		} else if err := add(demo.key, s.Code, []data.RolloutState{data.RolloutPlanned}, []time.Time{planned}); err != nil {
			return err
		}
	}
	return c.writeRolloutReadings(tx, demo.indicators, measured)
}

// demoPointIndicators are the demonstration project's indicators: disputes
// resolved, mediation success, grid events closed on time (higher better),
// and the mean handling time of a grid event (lower better).
var demoPointIndicators = []string{"grid_work-02H", "grid_work-09H", "social_stability-02H", "social_stability-06H"}

// Rollout readings: a street's values of the demonstration project's
// indicators once a day (10:00 Beijing) over data.RolloutWindow before
// and after the project came to it (the pilot's street from the piloting),
// so that the before/after comparison has something to compare. Before,
// about the warning threshold; after, better by 4–7 points (a rate) or
// 10–18 % (a time). Streets hold no history otherwise (street inputs are
// one value on the as-of day): these end before that day, so the latest
// value stays the as-of day's. Their own random stream, so the rest of the
// demo is unchanged.
const (
	rolloutReadingHour  = 10
	rolloutReadingLabel = "rollout readings"
)

func (c *demoCity) writeRolloutReadings(tx *sql.Tx, indicators []string, since map[string]time.Time) error {
	defs := map[string]data.Indicator{}
	all, err := data.Indicators()
	if err != nil {
		return err
	}
	for _, d := range all {
		defs[d.Code] = d
	}
	end := beijingMidnight(c.opt.AsOf) // the as-of day's values stay the latest
	rng := regionRand(c.opt.Seed, rolloutReadingLabel)
	b := mirror.NewBatcher(tx, "indicator_readings", "indicator_id", "region_code", "at", "value")
	for _, street := range slices.Sorted(maps.Keys(since)) {
		at := since[street]
		for _, code := range indicators {
			d, ok := defs[code]
			if !ok {
				return fmt.Errorf("demo: no indicator %s in the catalogue", code)
			}
			lower := d.Direction == data.LowerBetter
			before := d.Warn + rng.NormFloat64()*math.Abs(d.Warn-d.Alarm)/4
			gain := 4 + 3*rng.Float64() // points of a rate
			if d.Unit != "%" {
				gain = before * (0.10 + 0.08*rng.Float64())
			}
			day := beijingMidnight(at.Add(-data.RolloutWindow)).Add(rolloutReadingHour * time.Hour)
			for ; day.Before(at.Add(data.RolloutWindow)) && day.Before(end); day = day.Add(24 * time.Hour) {
				v := before
				if !day.Before(at) {
					if lower {
						v -= gain
					} else {
						v += gain
					}
				}
				v += rng.NormFloat64() * math.Abs(d.Warn-d.Alarm) / 10
				if d.Unit == "%" {
					v = min(v, 99.5)
				}
				if err := b.Add(d.ID, street, gpkg.Time{Time: day}, math.Round(v*100)/100); err != nil {
					return err
				}
			}
		}
	}
	return b.Flush()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
