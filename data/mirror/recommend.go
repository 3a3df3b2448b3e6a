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
// built; statuses and loads are read again when another write (by any
// process: the command line, a sync) moved their generations
// (kapok_count_gens, migration 8), and loads when a counted hold leaves the
// window.
type rankerCache struct {
	mu       sync.Mutex
	r        *dispatch.Ranker
	unitsGen int64                      // the units' generation it was built at (their places and capabilities)
	status   map[string]data.UnitStatus // units not available at the last read
	loads    map[string]int             // units with a load at the last read
	// The generations the statuses and loads were read at, and the span of
	// instants the loads hold for (from the read to the first hold leaving
	// the window).
	statusGen, holdsGen int64
	loadsFrom, loadsTo  time.Time
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

// ranker returns the mirror's ranker, built again when units were added,
// removed, moved or given other capabilities, with every unit's status and load as they are at now.
func (m *Mirror) ranker(ctx context.Context, now time.Time) (*dispatch.Ranker, error) {
	c := &m.rank
	c.mu.Lock()
	defer c.mu.Unlock()
	var unitsGen, statusGen, holdsGen int64
	if err := m.DB.QueryRowContext(ctx, `SELECT (SELECT gen FROM kapok_count_gens WHERE name = 'units'),
		(SELECT gen FROM kapok_count_gens WHERE name = 'unit_status'),
		(SELECT gen FROM kapok_count_gens WHERE name = 'unit_holds')`).Scan(&unitsGen, &statusGen, &holdsGen); err != nil {
		return nil, err
	}
	// The generations first: a change landing between them and the reads
	// below is read again next time rather than missed.
	if c.r == nil || unitsGen != c.unitsGen {
		units, err := m.LoadUnits(ctx)
		if err != nil {
			return nil, err
		}
		for i := range units {
			units[i].Status = data.UnitAvailable // set below, as for a cached ranker
		}
		c.r, c.unitsGen, c.status, c.loads = dispatch.NewRanker(units, nil), unitsGen, nil, nil
	}
	fresh := c.status == nil
	if fresh {
		c.status, c.loads = map[string]data.UnitStatus{}, map[string]int{}
	}
	if fresh || statusGen != c.statusGen {
		status, err := m.UnavailableUnits(ctx)
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
		c.status, c.statusGen = status, statusGen
	}
	if fresh || holdsGen != c.holdsGen || now.Before(c.loadsFrom) || !now.Before(c.loadsTo) {
		loads, until, err := m.recentHolds(ctx, now)
		if err != nil {
			return nil, err
		}
		for u := range c.loads {
			if _, still := loads[u]; !still {
				c.r.SetLoad(u, 0)
			}
		}
		for u, n := range loads {
			c.r.SetLoad(u, n)
		}
		c.loads, c.holdsGen, c.loadsFrom, c.loadsTo = loads, holdsGen, now, until
	}
	return c.r, nil
}

// recentHolds counts each unit's holds taken within LoadWindow before now,
// and says until when the count holds: the instant the oldest of them
// leaves the window (or now + LoadWindow).
func (m *Mirror) recentHolds(ctx context.Context, now time.Time) (map[string]int, time.Time, error) {
	until := now.Add(LoadWindow)
	rows, err := m.DB.QueryContext(ctx, `SELECT unit_code, count(*), min(+since) FROM unit_holds WHERE since > ? GROUP BY unit_code`,
		gpkg.Time{Time: now.Add(-LoadWindow)})
	if err != nil {
		return nil, until, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		var oldest gpkg.Time
		if err := rows.Scan(&code, &n, &oldest); err != nil {
			return nil, until, err
		}
		out[code] = n
		if leaves := oldest.Add(LoadWindow); leaves.Before(until) {
			until = leaves
		}
	}
	return out, until, rows.Err()
}
