package mirror

import (
	"context"
	"sync"
	"time"

	"kapok/data"
	"kapok/data/dispatch"
	"kapok/data/gpkg"
)

// rankerCache keeps one dispatch.Ranker per mirror: building it (21,590
// units into the map index) takes tens of milliseconds, a recommendation
// well under one. Units' places and capabilities are taken when it is
// built; statuses and loads are read again on every call, as other
// processes (the command line, a sync) change them.
type rankerCache struct {
	mu     sync.Mutex
	r      *dispatch.Ranker
	key    [2]int64                   // count and max fid of units when built
	status map[string]data.UnitStatus // units not available at the last call
	loads  map[string]int             // units with a load at the last call
}

// LoadWindow is how far back a unit's load counts: the cases and orders it
// took in the last day, open or done, so that recommendations spread the
// work among the units at hand (a unit on a case now is not available,
// and so never a candidate at all).
const LoadWindow = 24 * time.Hour

// Recommend ranks the units available to dispatch to a case, best first, at
// most n: those within the actor's jurisdiction (the store would refuse
// the others), by the rule of data/dispatch (tier, distance, capabilities
// the case's matter needs, load over LoadWindow before now).
func (m *Mirror) Recommend(ctx context.Context, code, actor string, n int, now time.Time) ([]data.Recommendation, error) {
	user, err := userBy(ctx, m.DB, actor)
	if err != nil {
		return nil, err
	}
	row, err := m.caseRowNow(ctx, code, now)
	if err != nil {
		return nil, err
	}
	matter, err := matterBy(ctx, m.DB, row.MatterCode)
	if err != nil {
		return nil, err
	}
	r, err := m.ranker(ctx, now)
	if err != nil {
		return nil, err
	}
	ev := data.Event{Code: row.Code, MatterCode: row.MatterCode, GridCode: row.GridCode, Location: row.Location}
	return r.RecommendWithin(ev, matter, n, user.Jurisdiction), nil
}

// ranker returns the mirror's ranker, built again when units were added or
// removed, with every unit's status and load as they are at now.
func (m *Mirror) ranker(ctx context.Context, now time.Time) (*dispatch.Ranker, error) {
	c := &m.rank
	c.mu.Lock()
	defer c.mu.Unlock()
	var key [2]int64
	if err := m.DB.QueryRowContext(ctx, `SELECT count(*), coalesce(max(fid), 0) FROM units`).Scan(&key[0], &key[1]); err != nil {
		return nil, err
	}
	if c.r == nil || key != c.key {
		units, err := m.LoadUnits(ctx)
		if err != nil {
			return nil, err
		}
		for i := range units {
			units[i].Status = data.UnitAvailable // set below, as for a cached ranker
		}
		c.r, c.key, c.status, c.loads = dispatch.NewRanker(units, nil), key, map[string]data.UnitStatus{}, map[string]int{}
	}
	status, err := m.UnavailableUnits(ctx)
	if err != nil {
		return nil, err
	}
	loads, err := m.recentHolds(ctx, now)
	if err != nil {
		return nil, err
	}
	for u := range c.status {
		if _, still := status[u]; !still {
			c.r.SetStatus(u, data.UnitAvailable)
		}
	}
	for u, s := range status {
		c.r.SetStatus(u, s)
	}
	for u := range c.loads {
		if _, still := loads[u]; !still {
			c.r.SetLoad(u, 0)
		}
	}
	for u, n := range loads {
		c.r.SetLoad(u, n)
	}
	c.status, c.loads = status, loads
	return c.r, nil
}

// recentHolds counts each unit's holds taken within LoadWindow before now.
func (m *Mirror) recentHolds(ctx context.Context, now time.Time) (map[string]int, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT unit_code, count(*) FROM unit_holds WHERE since > ? GROUP BY unit_code`,
		gpkg.Time{Time: now.Add(-LoadWindow)})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, err
		}
		out[code] = n
	}
	return out, rows.Err()
}
