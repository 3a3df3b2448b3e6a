package mirror

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"kapok/data"
)

// CasesAt lists the cases open at a past moment as they stood then (their
// state, dispatch, deadline, extensions, level and clock at that moment,
// from data/timeline), picked by the filter's states, region, source,
// category and overdue, in the filter's order. What does not change over a
// case's life (matter, grid, source, priority, description) is read as it
// is; its version is left zero (it counts the steps since). It also returns
// what is wrong with the journal (nil when its chain holds): a replay says
// so.
func (m *Mirror) CasesAt(ctx context.Context, f data.CaseFilter, at time.Time) ([]data.CaseRow, *data.Refusal, error) {
	if err := checkPrefix(f.Region); err != nil {
		return nil, nil, err
	}
	tl, err := m.Timeline(ctx, at, at)
	if err != nil {
		return nil, nil, err
	}
	state := tl.At(at)
	var codes []string
	for _, c := range state.Open {
		if strings.HasPrefix(c.Grid, f.Region) {
			codes = append(codes, c.Code)
		}
	}
	js, err := json.Marshal(codes)
	if err != nil {
		return nil, nil, err
	}
	rows, err := m.DB.QueryContext(ctx, caseQuery(`WHERE e.code IN (SELECT value FROM json_each(?))`), string(js))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	static := map[string]data.CaseRow{}
	matters := map[string]data.MatterType{}
	for rows.Next() {
		r, mt, err := scanCaseRow(rows, at)
		if err != nil {
			return nil, nil, err
		}
		static[r.Code], matters[r.Code] = r, mt
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var out []data.CaseRow
	for _, c := range state.Open {
		r, ok := static[c.Code]
		if !ok {
			continue
		}
		r.State, r.Extensions, r.Clock, r.Version, r.ClosedAt = c.State, c.Extensions, c.Clock, 0, nil
		r.DispatchedAt, r.Deadline = nil, nil
		if !c.Dispatched.IsZero() {
			d, dl := c.Dispatched, c.Clock.Deadline
			r.DispatchedAt, r.Deadline = &d, &dl
		}
		r.Level = matters[c.Code].HandlingLevel
		for range c.Escalations {
			if up, ok := data.NextLevel(r.Level); ok {
				r.Level = up
			}
		}
		switch {
		case len(f.States) > 0 && !slices.Contains(f.States, r.State),
			f.Source != "" && r.Source != string(f.Source),
			f.Category != "" && r.Category != f.Category,
			f.Overdue && !r.Overdue(at):
			continue
		}
		out = append(out, r)
	}
	SortCases(out, f.Sort)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, tl.Broken, nil
}
