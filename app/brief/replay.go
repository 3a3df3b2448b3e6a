package brief

import (
	"context"
	"strings"

	"kapok/data"
	"kapok/data/mirror"
)

// What a replay leaves out: what the mirror does not keep as it stood at
// a past moment. The cover lists them; each is said where its section
// would be (on-time rates and centers on duty under the status table,
// duty in the orders' section).
const (
	leftDuty   = "Centers on duty: not kept for past moments (a duty removed since is gone)."
	leftOnTime = "On-time rates: not kept for past moments (they count every case closed until now)."
)

// readReplay reads the facts of a replay: the board and the cards from
// the timeline's state, the orders in the state they were in then, the
// rosters published by then and the coverage they gave then, the
// indicators as they stood then (read without writing), the Red Cotton
// index of that day, the innovation program as far as it can be told
// then. Centers on duty and on-time rates cannot be read as they stood
// then and are left out (leftOut).
func (f *facts) readReplay(ctx context.Context, m *mirror.Mirror) error {
	if err := f.replayBoard(ctx, m); err != nil {
		return err
	}
	rows, broken, err := m.CasesAt(ctx, data.CaseFilter{Region: f.scope()}, f.Now)
	if err != nil {
		return err
	}
	if f.Broken == nil {
		f.Broken = broken
	}
	f.Counts = data.CaseCounts{All: len(rows)}
	for _, r := range rows {
		switch {
		case r.Overdue(f.Now):
			f.Counts.Overdue++
		case r.Clock.State == data.ClockWarning:
			f.Counts.Warning++
		}
	}
	f.cards(rows)
	if err := f.replayOrders(ctx, m); err != nil {
		return err
	}
	if err := f.replayRosters(ctx, m); err != nil {
		return err
	}
	if err := f.readCoverage(ctx, m); err != nil {
		return err
	}
	if err := f.readIndicators(ctx, m); err != nil {
		return err
	}
	if err := f.readRedCotton(ctx, m); err != nil {
		return err
	}
	return f.readInnovation(ctx, m)
}

// replayBoard is the board as it stood: the child regions' open and
// overdue cases from the state's grid counts, their units available and
// dispatched from the units not available then (the units in the grids
// they are in now; the store keeps no history of a unit moved).
func (f *facts) replayBoard(ctx context.Context, m *mirror.Mirror) error {
	var codes []string
	names := map[string]string{}
	if f.Region.Level == data.LevelCommunity {
		grids, err := m.GridCodes(ctx, f.Region.Code)
		if err != nil {
			return err
		}
		for _, g := range grids {
			codes, names[g] = append(codes, g), g
		}
	} else {
		rows, err := m.StatusBoard(ctx, f.Region.Code, f.Now)
		if err != nil {
			return err
		}
		for _, r := range rows {
			codes, names[r.Code] = append(codes, r.Code), r.Name
		}
	}
	n := 0
	if len(codes) > 0 {
		n = len(codes[0])
	}
	byCode := map[string]*data.BoardRow{}
	f.Board = make([]data.BoardRow, len(codes))
	for i, c := range codes {
		f.Board[i] = data.BoardRow{Code: c, Name: names[c]}
		byCode[c] = &f.Board[i]
	}
	row := func(grid string) *data.BoardRow {
		if n == 0 || len(grid) < n || !strings.HasPrefix(grid, f.Region.Code) {
			return nil
		}
		return byCode[grid[:n]]
	}
	for g, e := range f.State.Grids {
		if r := row(g); r != nil {
			r.Open += e.Open
			r.Overdue += e.Overdue
		}
	}
	units, err := m.LoadUnits(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		r := row(u.GridCode)
		if r == nil {
			continue
		}
		switch f.State.Units[u.Code] {
		case "", data.UnitAvailable:
			r.UnitsAvailable++
		case data.UnitDispatched:
			r.UnitsDispatched++
		}
	}
	f.sumBoard()
	return nil
}

// replayOrders are the orders in force then, each in the state it was in
// then (an order issued since is not there).
func (f *facts) replayOrders(ctx context.Context, m *mirror.Mirror) error {
	all, err := m.Orders(ctx)
	if err != nil {
		return err
	}
	then := map[string]data.OrderState{}
	for _, o := range f.State.Orders {
		then[o.UID] = o.State
	}
	var was []data.Order
	for _, o := range all {
		if st, ok := then[o.UID]; ok {
			o.State = st
			was = append(was, o)
		}
	}
	f.inForce(was)
	return nil
}

// replayRosters are the week's rosters as they stood: published by then,
// planned by then and not yet published (drafts), by the rosters' history
// (mirror.RosterTimesBy); a roster planned since is not there.
func (f *facts) replayRosters(ctx context.Context, m *mirror.Mirror) error {
	planned, published, err := m.RosterTimesBy(ctx, f.Now)
	if err != nil {
		return err
	}
	f.Published = published
	return f.eachRoster(ctx, m, func(r data.Roster) {
		if _, ok := published[r.ID]; ok {
			r.State = data.RosterPublished
			f.Rosters = append(f.Rosters, r)
		} else if _, ok := planned[r.ID]; ok {
			f.Drafts++
		}
	})
}
