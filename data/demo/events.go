package demo

import (
	"database/sql"
	"fmt"
	"math"
	"sort"
	"time"

	"kapok/data"
	"kapok/data/calendar"
	"kapok/data/gpkg"
	"kapok/data/mirror"
)

var (
	eventSources        = []string{"grid_patrol", "hotline_12345", "video", "police", "referral"}
	eventSourceWeights  = []float64{55, 25, 10, 6, 4}
	priorityWeights     = []float64{15, 70, 12, 3}
	matterCategoryBoost = map[string]float64{"city_management": 3, "environment": 2, "livelihood": 2, "disputes": 1.5}
)

// stateAt is one step of an event's life.
type stateAt struct {
	state data.EventState
	at    time.Time
	note  string
}

// writeEvents simulates 30 days of cases through the workflow, cut at AsOf:
// most old cases are closed and evaluated, recent ones are still open, and
// some ran over their time limit.
func (c *demoCity) writeEvents(tx *sql.Tx) error {
	gridWeights := make([]float64, len(c.grids))
	cum := 0.0
	for i, g := range c.grids {
		cum += float64(g.Population) + 200
		gridWeights[i] = cum
	}
	matterWeights := make([]float64, len(c.matters))
	for i, m := range c.matters {
		matterWeights[i] = 1 + matterCategoryBoost[m.Category]
	}
	perDay := len(c.grids) * 3 / 40
	start := c.opt.AsOf.Add(-time.Duration(c.opt.Days) * 24 * time.Hour)
	eb := mirror.NewBatcher(tx, "events", "geom", "code", "matter_code", "grid_code", "source", "priority", "state",
		"description", "reported_at", "dispatched_at", "deadline", "closed_at", "extensions", "level", "department")
	hb := mirror.NewBatcher(tx, "event_history", "event_code", "step", "state", "at", "note")
	seq := 0
	for day := 0; day < c.opt.Days; day++ {
		for k := 0; k < perDay; k++ {
			// Reports follow the working day: few at night, most 8:00-20:00 Beijing time.
			hour := weighted(c.rng, []float64{1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 8, 6, 7, 8, 8, 8, 7, 6, 5, 4, 3, 2, 1})
			reported := start.Add(time.Duration(day)*24*time.Hour + time.Duration(hour-8)*time.Hour +
				time.Duration(c.rng.IntN(3600))*time.Second)
			if reported.After(c.opt.AsOf) || reported.Before(start) {
				continue
			}
			seq++
			gi := sort.SearchFloat64s(gridWeights, c.rng.Float64()*cum)
			g := c.grids[min(gi, len(c.grids)-1)]
			m := c.matters[weighted(c.rng, matterWeights)]
			e := data.Event{Code: fmt.Sprintf("E%s%06d", reported.In(beijing).Format("20060102"), seq), MatterCode: m.Code, GridCode: g.Code,
				Source: eventSources[weighted(c.rng, eventSourceWeights)], Priority: data.Priorities[weighted(c.rng, priorityWeights)],
				Location: pointIn(c.rng, g.Boundary), ReportedAt: reported}
			e.Description = m.NameZh
			steps := c.eventLife(&e, m)
			if err := eb.Add(blob(e.Location), e.Code, e.MatterCode, e.GridCode, e.Source, e.Priority, e.State, e.Description,
				gpkg.Time{Time: e.ReportedAt}, gpkg.NullTimeOf(e.DispatchedAt), gpkg.NullTimeOf(e.Deadline), gpkg.NullTimeOf(e.ClosedAt), e.Extensions,
				m.HandlingLevel, department(e, m)); err != nil {
				return err
			}
			for i, s := range steps {
				if err := hb.Add(e.Code, i+1, s.state, gpkg.Time{Time: s.at}, s.note); err != nil {
					return err
				}
			}
		}
	}
	if err := eb.Flush(); err != nil {
		return err
	}
	return hb.Flush()
}

var beijing = time.FixedZone("CST", 8*3600)

// eventLife walks one event through the workflow until AsOf and fills in its
// state, dispatch time, deadline and closing time.
func (c *demoCity) eventLife(e *data.Event, m data.MatterType) []stateAt {
	rng, asOf := c.rng, c.opt.AsOf
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Minute }
	var steps []stateAt
	t := e.ReportedAt
	move := func(state data.EventState, d time.Duration, note string) bool {
		t = t.Add(d).Truncate(time.Second)
		if t.After(asOf) {
			return false
		}
		steps = append(steps, stateAt{state, t, note})
		e.State = state
		return true
	}
	move(data.EventCollected, 0, "")
	if rng.Float64() < 0.05 {
		move(data.EventCancelled, minutes(10, 120), "不予立案")
		return steps
	}
	if !move(data.EventFiled, minutes(5, 60), "") {
		return steps
	}
	dispatch := func() bool {
		if !move(data.EventDispatched, minutes(5, 90), "") {
			return false
		}
		at, deadline := t, calendar.Deadline(t, m, 0)
		e.DispatchedAt, e.Deadline = &at, &deadline
		return true
	}
	if !dispatch() {
		return steps
	}
	if rng.Float64() < 0.03 {
		if !move(data.EventReturned, minutes(10, 60), "派遣错误，回退") || !dispatch() {
			return steps
		}
	}
	// The case takes a share of its time limit from dispatch to closing:
	// work starts early, feedback comes at 80 % of it, verification closes
	// it. About one case in twenty runs over.
	share := math.Exp(rng.NormFloat64()*0.55 - 0.95)
	span := func(f float64) time.Duration { return time.Duration(f * share * float64(m.TimeLimit)) }
	if !move(data.EventHandling, span(0.1), "") {
		return steps
	}
	if share > 0.9 && rng.Float64() < 0.5 {
		// The shift leader approves an extension before the limit runs out.
		at := e.DispatchedAt.Add(time.Duration(0.8 * float64(m.TimeLimit)))
		if at.After(asOf) {
			return steps
		}
		extended := calendar.Deadline(*e.DispatchedAt, m, 1)
		steps = append(steps, stateAt{data.EventHandling, at, "延期"})
		e.Deadline, e.Extensions = &extended, 1
	}
	if rng.Float64() < 0.015 {
		move(data.EventParked, span(0.4), "挂账")
		return steps
	}
	if !move(data.EventFedBack, span(0.7), "") {
		return steps
	}
	if rng.Float64() < 0.08 {
		if !move(data.EventHandling, span(0.05), "核查未通过") || !move(data.EventFedBack, span(0.1), "") {
			return steps
		}
	}
	if !move(data.EventClosed, span(0.1), "") {
		return steps
	}
	closed := t
	e.ClosedAt = &closed
	move(data.EventEvaluated, minutes(24*60, 72*60), "")
	return steps
}

// department is the department a dispatched case went to: its matter's.
func department(e data.Event, m data.MatterType) string {
	if e.DispatchedAt == nil {
		return ""
	}
	return m.Department
}
