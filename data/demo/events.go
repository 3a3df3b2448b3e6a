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
	state  data.EventState
	at     time.Time
	note   string
	action data.CaseAction // "" for a step that is its state; ActExtend for an extension
}

// writeEvents simulates the cases of the Days × 24 hours that end at AsOf,
// through the workflow and cut at AsOf: most old cases are closed and
// evaluated, recent ones are still open, and some ran over their time
// limit. Nothing happens after AsOf: no report, no step.
//
// Reports are drawn by Beijing day, most in working hours, from the day the
// window opens to the day of AsOf, and kept inside the window: its first and
// last days are partial, and their kept parts make one day together, so the
// city gets about Days days of reports whatever AsOf's time of day.
// Deadlines are the calendar's (data/calendar): outside the years it covers
// (2026-2027) working days are Monday to Friday, with no holidays.
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
	asOf := c.opt.AsOf
	start := asOf.Add(-time.Duration(c.opt.Days) * 24 * time.Hour)
	eb := mirror.NewBatcher(tx, "events", "geom", "code", "matter_code", "grid_code", "source", "priority", "state",
		"description", "reported_at", "dispatched_at", "deadline", "closed_at", "extensions", "level", "department")
	hb := mirror.NewBatcher(tx, "event_history", "event_code", "step", "state", "at", "note", "action")
	seq := 0
	for day := beijingMidnight(start); !day.After(asOf); day = day.Add(24 * time.Hour) {
		for k := 0; k < perDay; k++ {
			// Reports follow the working day: few at night, most 8:00-20:00 Beijing time.
			hour := weighted(c.rng, reportHourWeights)
			reported := day.Add(time.Duration(hour)*time.Hour + time.Duration(c.rng.IntN(3600))*time.Second)
			if reported.After(asOf) || reported.Before(start) {
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
			if (e.State == data.EventDispatched || e.State == data.EventHandling) && e.DispatchedAt != nil {
				c.working = append(c.working, heldCase{e.Code, e.GridCode, *e.DispatchedAt})
			}
			if err := eb.Add(blob(e.Location), e.Code, e.MatterCode, e.GridCode, e.Source, e.Priority, e.State, e.Description,
				gpkg.Time{Time: e.ReportedAt}, gpkg.NullTimeOf(e.DispatchedAt), gpkg.NullTimeOf(e.Deadline), gpkg.NullTimeOf(e.ClosedAt), e.Extensions,
				m.HandlingLevel, department(e, m)); err != nil {
				return err
			}
			for i, s := range steps {
				if err := hb.Add(e.Code, i+1, s.state, gpkg.Time{Time: s.at}, s.note, s.action); err != nil {
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

// reportHourWeights weight the Beijing hours 0-23 of a report.
var reportHourWeights = []float64{1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 8, 6, 7, 8, 8, 8, 7, 6, 5, 4, 3, 2, 1}

var beijing = data.BeijingTime

// beijingMidnight is 00:00 Beijing time of the day t falls in.
func beijingMidnight(t time.Time) time.Time {
	b := t.In(beijing)
	return time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, beijing)
}

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
		steps = append(steps, stateAt{state: state, at: t, note: note})
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
	// limit is the wall time from dispatch to the deadline the calendar
	// gives (a limit in working days spans the weekends and holidays in it).
	var limit time.Duration
	dispatch := func() bool {
		if !move(data.EventDispatched, minutes(5, 90), "") {
			return false
		}
		at, deadline := t, calendar.Deadline(t, m, 0)
		e.DispatchedAt, e.Deadline, limit = &at, &deadline, deadline.Sub(at)
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
	// it. The share is log-normal with a median of 0.39: about one case in
	// 24 would run over; half of those whose matter allows an extension get
	// one in time.
	share := math.Exp(rng.NormFloat64()*0.55 - 0.95)
	span := func(f float64) time.Duration { return time.Duration(f * share * float64(limit)) }
	if !move(data.EventHandling, span(0.1), "") {
		return steps
	}
	if rng.Float64() < 0.015 {
		move(data.EventParked, span(0.4), "挂账")
		return steps
	}
	if share > 1 && m.Extensions > 0 && rng.Float64() < 0.5 {
		// The shift leader approves an extension at 80 % of the limit,
		// before it runs out and before the feedback (at 80 % of share ×
		// limit, share > 1).
		at := e.DispatchedAt.Add(time.Duration(0.8 * float64(limit))).Truncate(time.Second)
		if at.After(asOf) {
			return steps // still in handling at AsOf, not yet extended
		}
		at = maxTime(at, t) // work starts at 10 % of share × limit: after it for a share past 8
		extended := calendar.Deadline(*e.DispatchedAt, m, 1)
		steps = append(steps, stateAt{state: data.EventHandling, at: at, note: "延期", action: data.ActExtend})
		e.Deadline, e.Extensions = &extended, 1
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

func maxTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// department is the department a dispatched case went to: its matter's.
func department(e data.Event, m data.MatterType) string {
	if e.DispatchedAt == nil {
		return ""
	}
	return m.Department
}
