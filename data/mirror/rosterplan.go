package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule"
)

// A grid is high-risk for a roster when at least HighRiskCases cases were
// reported in it in the HighRiskWindow before the roster's week: it then
// needs the rules' extra patrols.
const (
	HighRiskCases  = 3
	HighRiskWindow = 30 * 24 * time.Hour
)

// RosterPlan gathers what a roster is checked, covered and filled against
// (data/schedule): its week, shifts and the district's rules; the grids of
// its region (kind, street, risk, the centre of their bounds); the units of
// its district (a street's roster may borrow from the rest of the
// district, flagged as lent) with the shifts each cannot patrol; its
// assignments; the patrol routes of its streets (the grids each crosses);
// and the actor's jurisdiction.
//
// A unit cannot patrol a shift that overlaps its leave, the window of an
// order holding it (issued, acknowledged or in progress), or — when it is
// on a case now — the shift under way at now.
func (m *Mirror) RosterPlan(ctx context.Context, id, actor string, now time.Time) (*schedule.Plan, error) {
	v, err := m.Roster(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := m.regionPlan(ctx, data.Roster{ID: v.ID, Region: v.Region, Week: v.Week, Shifts: v.Shifts}, actor, now)
	if err != nil {
		return nil, err
	}
	if p.Routes, err = m.PatrolRoutes(ctx, v.Region); err != nil {
		return nil, err
	}
	p.Assignments = v.Assignments
	return p, nil
}

// CoverageAt is the coverage of a region (a district or street) by the
// published rosters of the week holding at, and the index of the shift at
// at (-1 when no shift of the district's table holds it).
func (m *Mirror) CoverageAt(ctx context.Context, region, actor string, at, now time.Time) (schedule.Coverage, int, error) {
	return m.coverage(ctx, region, actor, at, now, false)
}

// CoverageAsOf is the coverage of a region as it stood at a past moment:
// the rosters published by then, with the assignments they had then (the
// roster's history after it taken back: an assignment added since removed,
// one removed since put back). The grids' kinds and risk and the district's
// rules are read as they are.
func (m *Mirror) CoverageAsOf(ctx context.Context, region, actor string, at time.Time) (schedule.Coverage, int, error) {
	return m.coverage(ctx, region, actor, at, at, true)
}

func (m *Mirror) coverage(ctx context.Context, region, actor string, at, now time.Time, asOf bool) (schedule.Coverage, int, error) {
	if len(region) != 4 && len(region) != 6 && len(region) != 9 {
		return schedule.Coverage{}, -1, data.Refuse(data.CodeRosterRegion, "region", data.Value("code", region))
	}
	if err := regionExists(ctx, m.DB, region); err != nil {
		return schedule.Coverage{}, -1, err
	}
	// The whole city is covered in the default shifts (its districts may
	// each have their own table; a district or street in its own).
	shifts := data.DefaultShifts
	if len(region) >= 6 {
		var err error
		if shifts, err = districtShifts(ctx, m.DB, region[:6]); err != nil {
			return schedule.Coverage{}, -1, err
		}
	}
	week := data.WeekOf(at)
	p, err := m.regionPlan(ctx, data.Roster{Region: region, Week: week, Shifts: shifts}, actor, now)
	if err != nil {
		return schedule.Coverage{}, -1, err
	}
	// The published assignments to the region's grids, and the walks of
	// its streets' routes (a route of a neighbouring street crossing into
	// the region is not counted here).
	var assigned []assignmentKey
	if asOf {
		assigned, err = m.assignmentsAsOf(ctx, region, week, at)
	} else {
		assigned, err = queryAssignments(ctx, m.DB, `SELECT a.unit_code, ifnull(a.grid_code, ''), ifnull(a.route_code, ''), a.shift
			FROM roster_assignments a JOIN rosters r ON r.uid = a.roster_uid
			WHERE r.week = ?1 AND r.state = 'published' AND (a.grid_code LIKE ?2 || '%'
				OR a.route_code IN (SELECT code FROM patrol_routes WHERE street_code LIKE ?2 || '%'))`, week.String(), region)
	}
	if err != nil {
		return schedule.Coverage{}, -1, err
	}
	walked := map[string]bool{}
	for _, k := range assigned {
		a := data.Assignment{Unit: k.unit, Grid: k.grid, Route: k.route}
		if a.Shift, err = data.ParseShift(k.shift, shifts); err == nil {
			p.Assignments = append(p.Assignments, a)
			if a.Route != "" {
				walked[a.Route] = true
			}
		}
	}
	if p.Routes, err = m.routesNamed(ctx, slices.Sorted(maps.Keys(walked))); err != nil {
		return schedule.Coverage{}, -1, err
	}
	c := schedule.Cover(p)
	i, ok := c.ShiftAt(at, shifts)
	if !ok {
		i = -1
	}
	return c, i, nil
}

// regionPlan is a plan for the region, week and shifts of r without
// assignments: the grids, the units and what they cannot patrol (r.ID, if
// any, names the roster whose own orders do not count against its units).
func (m *Mirror) regionPlan(ctx context.Context, v data.Roster, actor string, now time.Time) (*schedule.Plan, error) {
	user, err := userBy(ctx, m.DB, actor)
	if err != nil {
		return nil, err
	}
	// The units of the district (a street's roster may borrow from the
	// rest of it); for the whole city, the city's, under the default rules.
	district := v.Region
	rules := data.DefaultPatrolRules()
	if len(district) >= 6 {
		district = district[:6]
		if rules, err = districtRules(ctx, m.DB, district); err != nil {
			return nil, err
		}
	}
	p := &schedule.Plan{Week: v.Week, Shifts: v.Shifts, Rules: rules, Jurisdiction: user.Jurisdiction}
	monday := v.Week.Monday()

	risk, err := m.casesByGrid(ctx, v.Region, monday.Add(-HighRiskWindow), monday)
	if err != nil {
		return nil, err
	}
	grids, units, err := m.planBase(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range withPrefix(grids, v.Region, func(g schedule.Grid) string { return g.Code }) {
		g.HighRisk = risk[g.Code] >= HighRiskCases
		p.Grids = append(p.Grids, g)
	}
	shifts := data.WeekShifts(v.Week, v.Shifts)
	byCode := map[string]int{}
	for _, u := range withPrefix(units, district, func(u schedule.Unit) string { return u.Grid }) {
		byCode[u.Code] = len(p.Units)
		p.Units = append(p.Units, u) // a copy: Unavailable is this plan's
	}
	sort.Slice(p.Units, func(i, j int) bool { return p.Units[i].Code < p.Units[j].Code })
	for i, u := range p.Units {
		byCode[u.Code] = i
	}
	unavailable := func(unit string, from, to time.Time) {
		i, ok := byCode[unit]
		if !ok {
			return
		}
		for _, s := range shifts {
			if start, end := s.Span(v.Shifts); start.Before(to) && from.Before(end) {
				if p.Units[i].Unavailable == nil {
					p.Units[i].Unavailable = map[string]bool{}
				}
				p.Units[i].Unavailable[s.String()] = true
			}
		}
	}
	weekEnd := monday.AddDate(0, 0, 7)
	for _, q := range []string{
		`SELECT unit_code, +start_at, +end_at FROM unit_leave WHERE unit_code IN (SELECT code FROM units WHERE grid_code LIKE ?1 || '%')
			AND start_at < ?3 AND end_at > ?2`,
		`SELECT t.target_code, +o.start_at, +o.end_at FROM orders o JOIN order_targets t ON t.order_uid = o.uid
			WHERE t.target_kind = 'unit' AND t.target_code IN (SELECT code FROM units WHERE grid_code LIKE ?1 || '%')
			AND o.state IN ` + dueOrders + ` AND o.start_at < ?3 AND o.end_at > ?2
			AND o.uid NOT IN (SELECT order_uid FROM roster_assignments WHERE roster_uid = ?4 AND order_uid IS NOT NULL)`,
	} {
		// (The roster's own patrol orders do not make its units unavailable.)
		rows, err := m.DB.QueryContext(ctx, q, district, gpkg.Time{Time: monday}, gpkg.Time{Time: weekEnd}, v.ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var unit string
			var from, to gpkg.Time
			if err := rows.Scan(&unit, &from, &to); err != nil {
				_ = rows.Close()
				return nil, err
			}
			unavailable(unit, from.Time, to.Time)
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	// Units another draft roster of the week has patrolling: the check
	// says so (softly) and auto-fill leaves them be. By the shift's text:
	// the rosters of one district share its shift table.
	// From the week's other drafts (CROSS JOIN keeps SQLite starting there:
	// from the district's units it would walk this roster's own thousands
	// of assignments to throw them away).
	rows, err := m.DB.QueryContext(ctx, `SELECT a.unit_code, a.shift, min(a.roster_uid) FROM rosters r
		CROSS JOIN roster_assignments a ON a.roster_uid = r.uid
		WHERE r.week = ? AND r.state = 'draft' AND r.uid != ? AND a.unit_code IN (SELECT code FROM units WHERE grid_code LIKE ? || '%')
		GROUP BY a.unit_code, a.shift`, v.Week.String(), v.ID, district)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var unit, shift, roster string
		if err := rows.Scan(&unit, &shift, &roster); err != nil {
			_ = rows.Close()
			return nil, err
		}
		if i, ok := byCode[unit]; ok {
			if p.Units[i].Booked == nil {
				p.Units[i].Booked = map[string]string{}
			}
			p.Units[i].Booked[shift] = roster
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	busy, err := m.UnavailableUnits(ctx)
	if err != nil {
		return nil, err
	}
	for unit, st := range busy {
		if st == data.UnitDispatched || st == data.UnitOffline {
			unavailable(unit, now, now.Add(time.Nanosecond))
		}
	}
	return p, nil
}

// districtRules are a district's patrol rules: its own if it set them (as
// JSON over the defaults), else the defaults.
func districtRules(ctx context.Context, q queryRower, district string) (data.PatrolRules, error) {
	rules := data.DefaultPatrolRules()
	var js sql.NullString
	err := q.QueryRowContext(ctx, `SELECT patrol_rules FROM district_schedule_rules WHERE district_code = ?`, district).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !js.Valid {
		return rules, nil
	}
	if err != nil {
		return rules, err
	}
	rules, err = rulesFromJSON([]byte(js.String))
	if err != nil {
		return rules, fmt.Errorf("district %s's patrol rules: %w", district, err)
	}
	return rules, nil
}

// rulesFromJSON is a district's own patrol rules as stored (and journaled)
// over the defaults: fields it leaves out keep the default.
func rulesFromJSON(js []byte) (data.PatrolRules, error) {
	rules := data.DefaultPatrolRules()
	var own struct {
		Required      map[string]map[string]int `json:"required"`
		HighRiskExtra *int                      `json:"high_risk_extra"`
		MaxShifts     *int                      `json:"max_shifts"`
		MinRestHours  *float64                  `json:"min_rest_hours"`
		AllowLending  *bool                     `json:"allow_lending"`
	}
	if err := json.Unmarshal(js, &own); err != nil {
		return rules, err
	}
	if own.Required != nil {
		rules.Required = own.Required
	}
	if own.HighRiskExtra != nil {
		rules.HighRiskExtra = *own.HighRiskExtra
	}
	if own.MaxShifts != nil {
		rules.MaxShifts = *own.MaxShifts
	}
	if own.MinRestHours != nil {
		rules.MinRest = time.Duration(*own.MinRestHours * float64(time.Hour))
	}
	if own.AllowLending != nil {
		rules.AllowLending = *own.AllowLending
	}
	return rules, nil
}

// planBase is every grid (code, kind, street, the centre of its bounds) in
// code order and every unit (code, home grid and street, place) in grid
// order, kept until the regions or the units change (their generations):
// a plan takes its region's share of them. The slices are shared: callers
// copy the elements they change.
func (m *Mirror) planBase(ctx context.Context) ([]schedule.Grid, []schedule.Unit, error) {
	c := &m.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	err := countIfMoved(ctx, m.DB, "regions", &c.gridsAt, c.grids != nil, func(tx querier) error {
		rows, err := tx.QueryContext(ctx, `SELECT g.code, g.kind, (r.minx + r.maxx) / 2, (r.miny + r.maxy) / 2
			FROM grids g JOIN rtree_grids_geom r ON r.id = g.fid ORDER BY g.code`)
		if err != nil {
			return err
		}
		var out []schedule.Grid
		for rows.Next() {
			var g schedule.Grid
			if err := rows.Scan(&g.Code, &g.Kind, &g.At[0], &g.At[1]); err != nil {
				_ = rows.Close()
				return err
			}
			g.Street = g.Code[:min(9, len(g.Code))]
			out = append(out, g)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		c.grids = out
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = countIfMoved(ctx, m.DB, "units", &c.unitsListAt, c.unitList != nil, func(tx querier) error {
		rows, err := tx.QueryContext(ctx, `SELECT code, grid_code, geom FROM units ORDER BY grid_code, code`)
		if err != nil {
			return err
		}
		var out []schedule.Unit
		var gb sql.RawBytes
		for rows.Next() {
			var u schedule.Unit
			if err := rows.Scan(&u.Code, &u.Grid, &gb); err != nil {
				_ = rows.Close()
				return err
			}
			g, err := gpkg.DecodeGeom(gb)
			if err != nil {
				_ = rows.Close()
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
			if pt, ok := g.(orb.Point); ok {
				u.At = pt
			}
			u.Street = u.Grid[:min(9, len(u.Grid))]
			out = append(out, u)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		c.unitList = out
		return nil
	})
	return c.grids, c.unitList, err
}

// withPrefix is the run of xs (sorted by key) whose key starts with prefix.
func withPrefix[T any](xs []T, prefix string, key func(T) string) []T {
	lo := sort.Search(len(xs), func(i int) bool { return key(xs[i]) >= prefix })
	hi := sort.Search(len(xs), func(i int) bool { k := key(xs[i]); return k > prefix && !strings.HasPrefix(k, prefix) })
	return xs[lo:max(lo, hi)]
}
