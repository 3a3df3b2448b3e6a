package demo

import (
	"context"
	"database/sql"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/mirror"
)

// Live keeps the demo city living while a console shows it: each Step
// brings what a few seconds of the city bring — the transport group's
// current values for its districts (the minute indicators),
// now and then a case reported in some grid, and once in a while an
// incident that drives one district's value into warn or alarm for a few
// minutes and lets it come back, so that alerts open and clear.
type Live struct {
	rng     *rand.Rand
	grids   []string
	matters []string
	series  []liveSeries
	// incident is the series an incident runs on (-1: none), and how far
	// into it the city is (steps).
	incident, into int
	last           time.Time
}

type liveSeries struct {
	indicator data.Indicator
	region    string
	value     float64 // where it wanders about
}

// Live steps run every few seconds; an incident lasts this many steps up
// and as many down, and one starts on average every incidentEvery steps;
// a case is reported on average every caseEvery steps.
const (
	incidentSteps = 12
	incidentEvery = 60
	caseEvery     = 6
)

// NewLive prepares the living city for the mirror's current state: the
// minute indicators' latest values (after an evaluation), its grids and
// matters.
func NewLive(ctx context.Context, m *mirror.Mirror, seed uint64, now time.Time) (*Live, error) {
	l := &Live{rng: rand.New(rand.NewPCG(seed, 0x11fe)), incident: -1}
	if _, err := m.EvaluateIndicators(ctx, now); err != nil {
		return nil, err
	}
	defs, err := m.IndicatorDefs(ctx)
	if err != nil {
		return nil, err
	}
	// The districts only: the city's values are rolled up from theirs, and
	// so is its baseline (values fed for the city itself would have no week
	// behind them, and its baseline indicators could never alert).
	regions, err := m.DB.QueryContext(ctx, `SELECT code FROM districts ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	var codes []string
	for regions.Next() {
		var c string
		if err := regions.Scan(&c); err != nil {
			_ = regions.Close()
			return nil, err
		}
		codes = append(codes, c)
	}
	if err := regions.Close(); err != nil {
		return nil, err
	}
	for _, d := range defs {
		if d.Refresh > time.Minute || !strings.HasSuffix(d.Code, "H") {
			continue
		}
		for _, r := range codes {
			st, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Region: r, Indicator: d.Code})
			if err != nil {
				return nil, err
			}
			if len(st) == 1 {
				l.series = append(l.series, liveSeries{indicator: d, region: r, value: st[0].Value})
			}
		}
	}
	if l.grids, err = columnOf(ctx, m.DB, `SELECT code FROM grids ORDER BY code`); err != nil {
		return nil, err
	}
	if l.matters, err = columnOf(ctx, m.DB, `SELECT code FROM matter_types ORDER BY code`); err != nil {
		return nil, err
	}
	return l, nil
}

// columnOf reads a column of strings, from a mirror's DB or a transaction.
func columnOf(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// LiveStep is what a step wrote.
type LiveStep struct {
	Values int
	Case   string // the case reported, if any
	Alerts data.EvaluationResult
}

// Step writes the city's next few seconds at now (as actor): values fed
// through the feed path (one transaction, evaluated), a case through the
// cases path. Steps less than a second apart write nothing: a value per
// series and second (and none on the hour, the archive's).
func (l *Live) Step(ctx context.Context, m *mirror.Mirror, actor string, now time.Time) (LiveStep, error) {
	var out LiveStep
	now = now.Truncate(time.Second)
	if now.Minute() == 0 && now.Second() == 0 {
		// The hourly archive has the districts' values on the hour.
		now = now.Add(time.Second)
	}
	if !now.After(l.last) {
		return out, nil
	}
	l.last = now
	if l.incident < 0 && len(l.series) > 0 && l.rng.IntN(incidentEvery) == 0 {
		l.incident, l.into = l.rng.IntN(len(l.series)), 0
	}
	var rs []data.Reading
	for i := range l.series {
		s := &l.series[i]
		// A random walk about the value, held near it.
		s.value *= 1 + 0.01*l.rng.NormFloat64()
		v := s.value
		if i == l.incident {
			v = incidentValue(s, l.into)
		}
		rs = append(rs, data.Reading{Indicator: s.indicator.Code, Region: s.region, At: now, Value: round2(v)})
	}
	if l.incident >= 0 {
		if l.into++; l.into > 2*incidentSteps {
			l.incident = -1
		}
	}
	if len(rs) > 0 {
		res, err := m.Feed(ctx, "demo live feed", rs, actor, now)
		if err != nil {
			return out, err
		}
		out.Values, out.Alerts = res.Values, res.Evaluation
	}
	if len(l.grids) > 0 && len(l.matters) > 0 && l.rng.IntN(caseEvery) == 0 {
		c, err := m.ReportCase(ctx, data.CaseReport{Grid: l.grids[l.rng.IntN(len(l.grids))], Matter: l.matters[l.rng.IntN(len(l.matters))],
			Description: "演示实时上报", Source: data.EventSources[l.rng.IntN(len(data.EventSources))], Actor: actor}, now)
		if err != nil {
			return out, err
		}
		out.Case = c.Code
	}
	return out, nil
}

// incidentValue rises from the series' value to a little past its alarm
// threshold over incidentSteps steps and comes back down as many.
func incidentValue(s *liveSeries, into int) float64 {
	f := float64(into) / incidentSteps
	if into > incidentSteps {
		f = 2 - f
	}
	d := s.indicator
	peak := d.Alarm
	if d.Threshold == data.ThresholdBaseline {
		peak *= s.value // a ratio to the usual value
	}
	if d.Direction == data.LowerBetter {
		peak *= 1.05
	} else {
		peak *= 0.95
	}
	return s.value + (peak-s.value)*math.Max(0, f)
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
