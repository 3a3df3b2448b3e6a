package brief

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"kapok/app/chart"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/schedule"
	"kapok/data/timeline"
)

// How much of each list a briefing prints: the most urgent first, the
// rest counted.
const (
	maxCases      = 20
	maxOrders     = 15
	maxGaps       = 15
	maxDutyGaps   = 10
	maxIndicators = 20
	maxCharts     = 4
	maxStreets    = 15
)

// facts are what a briefing says, read from the mirror at one instant;
// a nil or empty part is a section left out.
type facts struct {
	Region     data.RegionSummary
	Path       []data.RegionSummary // from the city down to the region
	CityCode   string
	Now        time.Time
	Fresh      mirror.Freshness
	Board      []data.BoardRow // the child regions (a community: its grids)
	Total      data.BoardRow   // the region's own line
	Counts     data.CaseCounts
	Cases      []data.CaseRow // red and yellow cards, most urgent first
	CardN      int            // red and yellow cards in all (Cases holds the first)
	Orders     []data.Order   // in force with a target in the region
	OrderN     int            // all of them (Orders holds the first)
	Rosters    []data.Roster  // this week's published, of the region's districts and streets
	Drafts     int            // this week's not yet published
	Cover      *coverFacts
	DutyGaps   []mirror.DutyGap
	DutyN      int                           // duty gaps in all
	Centers    int                           // centers under the region
	Statuses   []data.IndicatorStatus        // in warn or alarm, alarms first
	StatusN    int                           // in warn or alarm in all
	AlarmN     int                           // in alarm
	Measured   int                           // series judged in the region (0: no indicator section)
	Series     []chart.Series                // the last 24 hours of the first statuses
	Severities []data.Severity               // theirs
	Regions    map[string]data.RegionSummary // every region by code, for the tables' names
	RedCotton  *redCottonFacts
	Innovation *innovationFacts // nil: the region owns no project and has no rollout

	// A replay (Options.At): Now is the moment replayed, State the city
	// as it stood then, Broken what is wrong with the journal the replay
	// read (nil when its chain holds).
	Replay    bool
	State     timeline.State
	Broken    *data.Refusal
	Published map[string]time.Time // the rosters published by then, when
}

// coverFacts are the patrol coverage of the shift under way.
type coverFacts struct {
	Shift   data.Shift
	Summary schedule.Summary
	Grids   int
	Gaps    []schedule.Gap // the shift's, most missing first
	GapN    int
}

// redCottonFacts are the index's latest day.
type redCottonFacts struct {
	Day      string
	District string // the region's district ("" for the city)
	Rows     []mirror.RedCottonRow
	Trend    []mirror.RedCottonRow // the district's last 30 days
	Streets  []mirror.RedCottonRow // the district's scored streets, best first
	StreetN  int
	Street   *mirror.RedCottonRow // the region's street, when scored
}

// unknownRegion is the refusal for a region code no region has: one not
// of a region's form (a grid's included: a briefing covers a region), or
// of no region of the mirror.
func unknownRegion(code string) error {
	l, ok := data.LevelOfCode(code)
	if !ok || strings.Trim(code, "0123456789") != "" {
		return data.Refuse(data.CodeRegionCodeInvalid, "region", data.Value("code", code))
	}
	return data.Refuse(data.CodeRegionUnknown, "region", data.Term("kind", l.String()), data.Value("code", code))
}

// gather reads the facts of a briefing of region at now; a replay (at not
// zero) reads them as the region stood at that past moment.
func gather(ctx context.Context, m *mirror.Mirror, region string, now, at time.Time, mapOnly bool) (*facts, error) {
	f := &facts{Now: now, Regions: map[string]data.RegionSummary{}}
	if !at.IsZero() {
		tl, err := m.Timeline(ctx, at, at)
		if err != nil {
			return nil, err
		}
		f.Now, f.Replay, f.State, f.Broken = at, true, tl.At(at), tl.Broken
		now = at
	}
	sums, err := m.RegionSummaries(ctx, now)
	if err != nil {
		return nil, err
	}
	for _, s := range sums {
		f.Regions[s.Code] = s
		if s.Level == data.LevelCity {
			f.CityCode = s.Code
		}
	}
	if region == "" {
		region = f.CityCode
	}
	r, ok := f.Regions[region]
	if !ok {
		return nil, unknownRegion(region)
	}
	if f.Replay {
		r.Open, r.Overdue = 0, 0
		for g, e := range f.State.Grids {
			if strings.HasPrefix(g, r.Code) {
				r.Open += e.Open
				r.Overdue += e.Overdue
			}
		}
	}
	f.Region = r
	for c := r; ; c = f.Regions[c.Parent] {
		f.Path = append([]data.RegionSummary{c}, f.Path...)
		if c.Parent == "" {
			break
		}
	}
	if f.Fresh, err = m.FreshnessAt(ctx, now); err != nil {
		return nil, err
	}
	if mapOnly {
		return f, nil
	}
	if f.Replay {
		return f, f.readReplay(ctx, m)
	}
	if err := f.readBoard(ctx, m); err != nil {
		return nil, err
	}
	if err := f.readCases(ctx, m); err != nil {
		return nil, err
	}
	if err := f.readOrders(ctx, m); err != nil {
		return nil, err
	}
	if err := f.readSchedules(ctx, m); err != nil {
		return nil, err
	}
	if err := f.readIndicators(ctx, m); err != nil {
		return nil, err
	}
	if err := f.readRedCotton(ctx, m); err != nil {
		return nil, err
	}
	if err := f.readInnovation(ctx, m); err != nil {
		return nil, err
	}
	return f, nil
}

// scope is the region's code as a prefix of the codes under it (the
// city's code prefixes every code).
func (f *facts) scope() string { return f.Region.Code }

// readBoard reads the child regions' lines and the region's own: a
// community's children are its grids.
func (f *facts) readBoard(ctx context.Context, m *mirror.Mirror) error {
	if f.Region.Level == data.LevelCommunity {
		rows, err := m.StatusBoard(ctx, f.Region.Parent, f.Now)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if row.Code == f.Region.Code {
				f.Total = row
			}
		}
		grids, err := m.GridCodes(ctx, f.Region.Code)
		if err != nil {
			return err
		}
		for _, g := range grids {
			d, err := m.GridDetail(ctx, g, f.Now)
			if err != nil {
				return err
			}
			row := data.BoardRow{Code: g, Name: g, Open: len(d.Open), Overdue: d.Overdue}
			for _, u := range d.Units {
				switch u.Status {
				case data.UnitAvailable:
					row.UnitsAvailable++
				case data.UnitDispatched:
					row.UnitsDispatched++
				}
			}
			f.Board = append(f.Board, row)
		}
		return nil
	}
	rows, err := m.StatusBoard(ctx, f.Region.Code, f.Now)
	if err != nil {
		return err
	}
	f.Board = rows
	f.sumBoard()
	return nil
}

// sumBoard makes the region's own line the sum of its children's.
func (f *facts) sumBoard() {
	f.Total = data.BoardRow{Code: f.Region.Code, Name: f.Region.Name}
	for _, row := range f.Board {
		f.Total.Open += row.Open
		f.Total.Overdue += row.Overdue
		f.Total.Closed += row.Closed
		f.Total.OnTime += row.OnTime
		f.Total.UnitsAvailable += row.UnitsAvailable
		f.Total.UnitsDispatched += row.UnitsDispatched
	}
}

// readCases reads the red and yellow cards: every open case of the region
// past its deadline or 75 % of its limit (parked ones too: a parked case's
// clock runs on).
func (f *facts) readCases(ctx context.Context, m *mirror.Mirror) error {
	counts, err := m.CaseCounts(ctx, data.CaseFilter{Region: f.scope()}, f.Now)
	if err != nil {
		return err
	}
	f.Counts = counts
	rows, err := m.Cases(ctx, data.CaseFilter{Region: f.scope()}, f.Now)
	if err != nil {
		return err
	}
	f.cards(rows)
	return nil
}

// cards keeps the red and yellow cards of the open cases, most urgent
// first.
func (f *facts) cards(rows []data.CaseRow) {
	cards := slices.DeleteFunc(rows, func(r data.CaseRow) bool {
		return r.Clock.State != data.ClockOverdue && r.Clock.State != data.ClockWarning
	})
	// Cases being worked on before parked ones (waiting on what the grid
	// cannot fix: their clocks run on, they are counted, but a meeting acts
	// on the others first); then red before yellow, the most urgent first.
	sort.SliceStable(cards, func(i, j int) bool {
		a, b := cards[i], cards[j]
		if pa, pb := a.State == data.EventParked, b.State == data.EventParked; pa != pb {
			return pb
		}
		if (a.Clock.State == data.ClockOverdue) != (b.Clock.State == data.ClockOverdue) {
			return a.Clock.State == data.ClockOverdue
		}
		return a.Clock.Remaining < b.Clock.Remaining
	})
	f.CardN = len(cards)
	f.Cases = cards[:min(len(cards), maxCases)]
}

// inRegion tells whether an order's target lies in the region: a grid by
// its code, a center by its region's, a unit by its grid's.
func inRegion(t data.Target, region string) bool {
	code := t.Code
	switch t.Kind {
	case data.TargetCenter:
		code = strings.TrimPrefix(code, "C")
	case data.TargetUnit:
		code = strings.TrimPrefix(code, "U")
	}
	return strings.HasPrefix(code, region)
}

// readOrders reads the orders in force at now with a target in the region:
// running (issued, acknowledged, in progress) within their window, or
// overdue; overdue first, then by priority and end.
func (f *facts) readOrders(ctx context.Context, m *mirror.Mirror) error {
	all, err := m.Orders(ctx)
	if err != nil {
		return err
	}
	f.inForce(all)
	return nil
}

// inForce keeps the orders in force at Now with a target in the region,
// the most pressing first.
func (f *facts) inForce(all []data.Order) {
	var in []data.Order
	for _, o := range all {
		running := o.State == data.OrderIssued || o.State == data.OrderAcknowledged || o.State == data.OrderInProgress
		force := o.State == data.OrderOverdue || running && !o.Start.After(f.Now) && f.Now.Before(o.End)
		if !force {
			continue
		}
		for _, t := range o.Targets {
			if inRegion(t, f.scope()) {
				in = append(in, o)
				break
			}
		}
	}
	rank := map[data.Priority]int{data.PriorityUrgent: 0, data.PriorityHigh: 1, data.PriorityNormal: 2, data.PriorityLow: 3}
	sort.SliceStable(in, func(i, j int) bool {
		a, b := in[i], in[j]
		if (a.State == data.OrderOverdue) != (b.State == data.OrderOverdue) {
			return a.State == data.OrderOverdue
		}
		if rank[a.Priority] != rank[b.Priority] {
			return rank[a.Priority] < rank[b.Priority]
		}
		return a.End.Before(b.End)
	})
	f.OrderN = len(in)
	f.Orders = in[:min(len(in), maxOrders)]
}

// readSchedules reads the week's rosters of the region's district and
// streets, the coverage of the shift under way and the centers with
// nobody on duty now.
func (f *facts) readSchedules(ctx context.Context, m *mirror.Mirror) error {
	if err := f.eachRoster(ctx, m, func(r data.Roster) {
		if r.State == data.RosterPublished {
			f.Rosters = append(f.Rosters, r)
		} else {
			f.Drafts++
		}
	}); err != nil {
		return err
	}
	if err := f.readCoverage(ctx, m); err != nil {
		return err
	}
	gaps, centers, err := m.DutyGaps(ctx, f.scope(), f.Now)
	if err != nil {
		return err
	}
	f.Centers = centers
	f.DutyN = len(gaps)
	// The region's line counts its own center too (the board's lines of
	// its children do not hold it): the same count as the duty section's.
	f.Total.Unstaffed = f.DutyN
	f.DutyGaps = gaps[:min(len(gaps), maxDutyGaps)]
	return nil
}

// eachRoster calls each with every roster of the week of Now of the
// region's districts and streets (rosterRegions).
func (f *facts) eachRoster(ctx context.Context, m *mirror.Mirror, each func(data.Roster)) error {
	week := data.WeekOf(f.Now).String()
	for _, r := range f.rosterRegions() {
		rs, err := m.Rosters(ctx, r, week)
		if err != nil {
			return err
		}
		for _, r := range rs {
			each(r)
		}
	}
	return nil
}

// rosterRegions are the regions whose rosters a briefing lists: rosters
// are planned for a district or a street, those of the region's districts
// and streets, or those over it.
func (f *facts) rosterRegions() []string {
	var regions []string
	switch f.Region.Level {
	case data.LevelCity, data.LevelDistrict:
		for code, r := range f.Regions {
			if (r.Level == data.LevelDistrict || r.Level == data.LevelStreet) && strings.HasPrefix(code, f.Region.Code) {
				regions = append(regions, code)
			}
		}
		slices.Sort(regions)
	case data.LevelStreet:
		regions = []string{f.Region.Code[:6], f.Region.Code}
	case data.LevelCommunity:
		regions = []string{f.Region.Code[:6], f.Region.Code[:9]}
	}
	return regions
}

// readCoverage reads the coverage of the shift under way: of the region,
// or for a community of its street's grids in it.
func (f *facts) readCoverage(ctx context.Context, m *mirror.Mirror) error {
	region := f.scope()
	if f.Region.Level == data.LevelCommunity {
		region = region[:9]
	}
	var cov schedule.Coverage
	var si int
	var err error
	if f.Replay {
		// The rosters published by then, with their assignments then.
		cov, si, err = m.CoverageAsOf(ctx, region, data.SystemLogin, f.Now)
	} else {
		cov, si, err = m.CoverageAt(ctx, region, data.SystemLogin, f.Now, f.Now)
	}
	if err != nil {
		return err
	}
	if si < 0 {
		return nil
	}
	c := &coverFacts{Shift: cov.Shifts[si]}
	one := schedule.Coverage{Shifts: cov.Shifts[si : si+1]}
	for g, code := range cov.Grids {
		if !strings.HasPrefix(code, f.scope()) {
			continue
		}
		one.Grids = append(one.Grids, code)
		one.Cells = append(one.Cells, cov.At(g, si))
	}
	c.Grids = len(one.Grids)
	c.Summary = one.Summary()
	gaps := one.Gaps()
	sort.SliceStable(gaps, func(i, j int) bool { return gaps[i].Missing > gaps[j].Missing })
	c.GapN = len(gaps)
	c.Gaps = gaps[:min(len(gaps), maxGaps)]
	if c.Summary.Required == 0 && c.Grids == 0 {
		return nil
	}
	f.Cover = c
	return nil
}

// readIndicators reads the indicators in warn or alarm in the region and
// below (a community: its street's), alarms first.
func (f *facts) readIndicators(ctx context.Context, m *mirror.Mirror) error {
	filter := data.IndicatorFilter{Region: f.measuredIn(), Within: true}
	var st []data.IndicatorStatus
	var err error
	if f.Replay {
		// As they stood then, read without writing: evaluating at a past
		// moment would change how they stand now.
		st, err = m.IndicatorStatusesAt(ctx, filter, f.Now)
	} else {
		if _, err := m.EvaluateIndicators(ctx, f.Now); err != nil {
			return fmt.Errorf("evaluating the indicators: %w", err)
		}
		st, err = m.IndicatorStatuses(ctx, filter)
	}
	if err != nil {
		return err
	}
	f.Measured = len(st)
	st = slices.DeleteFunc(st, func(s data.IndicatorStatus) bool { return s.Severity != data.Warn && s.Severity != data.Alarm })
	for _, s := range st {
		if s.Severity == data.Alarm {
			f.AlarmN++
		}
	}
	sort.SliceStable(st, func(i, j int) bool {
		if st[i].Severity != st[j].Severity {
			return st[i].Severity == data.Alarm
		}
		return st[i].At.After(st[j].At)
	})
	f.StatusN = len(st)
	f.Statuses = st[:min(len(st), maxIndicators)]
	return f.readCharts(ctx, m)
}

// measuredIn is the region whose indicators a briefing shows: a
// community's street (indicators are measured for streets and above).
func (f *facts) measuredIn() string {
	if f.Region.Level == data.LevelCommunity {
		return f.Region.Code[:9]
	}
	return f.Region.Code
}

// readRedCotton reads the index's latest day up to now: the districts'
// ranking, the region's district's 30-day trend and its streets.
func (f *facts) readRedCotton(ctx context.Context, m *mirror.Mirror) error {
	_, last, err := m.RedCottonDays(ctx)
	if err != nil || last == "" {
		return err
	}
	if today := f.Now.In(data.BeijingTime).Format("2006-01-02"); last > today {
		last = today
	}
	rows, err := m.RedCottonRanking(ctx, last)
	if err != nil || len(rows) == 0 {
		return err
	}
	rc := &redCottonFacts{Day: last, Rows: rows}
	if f.Region.Level >= data.LevelDistrict {
		rc.District = f.Region.Code[:6]
		if rc.Trend, err = m.RedCottonTrendTo(ctx, rc.District, last, 30); err != nil {
			return err
		}
		streets, err := m.RedCottonStreetRanking(ctx, last)
		if err != nil {
			return err
		}
		for i := range streets {
			s := streets[i]
			if !strings.HasPrefix(s.District, rc.District) {
				continue
			}
			if f.Region.Level >= data.LevelStreet && s.District == f.Region.Code[:9] {
				rc.Street = &s
			}
			rc.StreetN++
			if len(rc.Streets) < maxStreets {
				rc.Streets = append(rc.Streets, s)
			}
		}
	}
	f.RedCotton = rc
	return nil
}
