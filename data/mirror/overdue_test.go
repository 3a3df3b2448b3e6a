package mirror_test

import (
	"testing"
	"time"

	"kapok/data"
	"kapok/internal/fixture"
)

// Overdue is one definition everywhere: at any instant the status board,
// the regions' badges, the map's grid counts and case markers, the case
// queue and the mirror's stats count the same open cases past their
// deadline — also across a weekend and for cases closed late (which the
// queue's overdue filter and the stats' overdue count include, and no
// count of open cases does).
func TestOverdueIsOneDefinition(t *testing.T) {
	m := fixture.City(t)
	asOf := fixture.AsOf
	overdue := func(code string, at time.Time) bool {
		rows, err := m.Cases(ctx, data.CaseFilter{Overdue: true, All: true}, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Code == code {
				return true
			}
		}
		return false
	}
	// A neighbour dispute (3 working days) dispatched on Friday evening,
	// 27 November, 18:00 in Beijing: due on Wednesday at 18:00, not on
	// Monday as three days of hours would have it.
	friday := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	dispute, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "邻里纠纷", Actor: "leader_990101"}, friday)
	if err != nil {
		t.Fatal(err)
	}
	dispute = move(t, m, data.CaseMove{Case: dispute.Code, To: data.EventFiled, Version: dispute.Version}, friday)
	dispute = move(t, m, data.CaseMove{Case: dispute.Code, To: data.EventDispatched, Units: []string{"U9901010010010022"}, Version: dispute.Version}, friday)
	if want := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC); !dispute.Deadline.Equal(want) {
		t.Fatalf("deadline %v, want %v", dispute.Deadline, want)
	}
	// One dispatched on 30 September 2026 at 10:00 in Beijing runs over the
	// National Day holiday (1–7 October): its three working days are 8, 9
	// and 10 October, a Saturday worked in exchange.
	holiday := time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC)
	national, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "MD01", Description: "节前纠纷", Actor: "leader_990101"}, holiday)
	if err != nil {
		t.Fatal(err)
	}
	national = move(t, m, data.CaseMove{Case: national.Code, To: data.EventFiled, Version: national.Version}, holiday)
	national = move(t, m, data.CaseMove{Case: national.Code, To: data.EventDispatched, Units: []string{"U9901010010010031"}, Version: national.Version}, holiday)
	if want := time.Date(2026, 10, 10, 2, 0, 0, 0, time.UTC); !national.Deadline.Equal(want) {
		t.Fatalf("over National Day: deadline %v, want %v", national.Deadline, want)
	}
	if overdue(national.Code, time.Date(2026, 10, 9, 2, 0, 0, 0, time.UTC)) || !overdue(national.Code, time.Date(2026, 10, 10, 2, 1, 0, 0, time.UTC)) {
		t.Fatal("over National Day: overdue a day early, or not after its deadline")
	}
	// A blocked fire lane (8 hours) closed an hour late.
	lane, err := m.ReportCase(ctx, data.CaseReport{Grid: "990101001001001", Matter: "XF01", Description: "消防通道被占", Actor: "leader_990101"}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	lane = move(t, m, data.CaseMove{Case: lane.Code, To: data.EventFiled, Version: lane.Version}, asOf)
	lane = move(t, m, data.CaseMove{Case: lane.Code, To: data.EventDispatched, Units: []string{"U9901010010010011"}, Version: lane.Version}, asOf)
	lane = move(t, m, data.CaseMove{Case: lane.Code, To: data.EventHandling, Version: lane.Version}, asOf.Add(time.Hour))
	lane = move(t, m, data.CaseMove{Case: lane.Code, To: data.EventFedBack, Result: "已清理", Version: lane.Version}, asOf.Add(8*time.Hour))
	move(t, m, data.CaseMove{Case: lane.Code, To: data.EventClosed, Version: lane.Version}, asOf.Add(9*time.Hour))
	monday := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) // 20:00 in Beijing, past 72 hours
	if overdue(dispute.Code, monday) || !overdue(dispute.Code, time.Date(2026, 12, 2, 10, 1, 0, 0, time.UTC)) {
		t.Fatal("the dispute's working days: overdue on Monday evening, or not on Wednesday after 18:00")
	}
	if !overdue(lane.Code, asOf.Add(10*time.Hour)) {
		t.Fatal("closed late, not counted overdue")
	}
	seen := 0
	for _, at := range []time.Time{asOf, asOf.Add(6 * time.Hour), asOf.Add(3 * 24 * time.Hour), monday, asOf.Add(9 * 24 * time.Hour)} {
		board, err := m.StatusBoard(ctx, "", at)
		if err != nil {
			t.Fatal(err)
		}
		var onBoard int
		for _, r := range board {
			onBoard += r.Overdue
		}
		regions, err := m.RegionSummaries(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var badge int
		for _, r := range regions {
			if r.Level == data.LevelCity {
				badge = r.Overdue
			}
		}
		byGrid, err := m.EventsByGrid(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var onGrids int
		for _, e := range byGrid {
			onGrids += e.Overdue
		}
		markers, err := m.LoadOverlay(ctx, "events", at)
		if err != nil {
			t.Fatal(err)
		}
		var red int
		for _, f := range markers {
			if f.Class == string(data.ClockOverdue) {
				red++
			}
		}
		queue, err := m.Cases(ctx, data.CaseFilter{Overdue: true}, at)
		if err != nil {
			t.Fatal(err)
		}
		var clocks int
		open, err := m.Cases(ctx, data.CaseFilter{}, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range open {
			if r.Clock.State == data.ClockOverdue {
				clocks++
			}
		}
		seen += onBoard
		if onBoard != badge || onBoard != onGrids || onBoard != red || onBoard != len(queue) || onBoard != clocks {
			t.Fatalf("at %v: board %d, city badge %d, grids %d, red markers %d, overdue queue %d, overdue clocks %d",
				at, onBoard, badge, onGrids, red, len(queue), clocks)
		}
		// Closed late counts as overdue in the queue's full list (and
		// there only among closed cases).
		all, err := m.Cases(ctx, data.CaseFilter{Overdue: true, All: true}, at)
		if err != nil {
			t.Fatal(err)
		}
		late := 0
		for _, r := range all {
			if r.ClosedAt != nil {
				if r.Clock.State != data.ClockMissed {
					t.Fatalf("%s closed %v, deadline %v: clock %s in the overdue list", r.Code, r.ClosedAt, r.Deadline, r.Clock.State)
				}
				late++
			}
		}
		seen += late
		t.Logf("at %v: %d open overdue, %d closed late", at, onBoard, late)
		if len(all) != len(queue)+late {
			t.Fatalf("at %v: %d overdue in all, %d open, %d closed late", at, len(all), len(queue), late)
		}
	}
	if seen == 0 {
		t.Fatal("no case overdue at any instant: the test shows nothing")
	}
}
