package mirror

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/schedule"
)

// countCache keeps per grid what the status board counts and seldom
// changes: how many events were closed and how many of those on time (some
// 40,000 rows to read, while a case step changes none of them until it
// closes one), and how many units each grid has. Each count is tagged with
// the generation kapok_count_gens had when it was made (migration 8: its
// triggers bump it on every write that changes the count, by any process),
// and is made again when the generation moved.
type countCache struct {
	mu        sync.Mutex
	closed    map[string]closedCounts
	closedAt  int64
	units     map[string]int
	unitsAt   int64
	regions   []data.RegionSummary // without their open and overdue counts
	regionsAt int64
	// The open events per grid as of one instant, until the next change.
	events     map[string]data.GridEvents
	eventsAt   int64
	eventsAsOf time.Time
	// Cases per grid of a region in a window (a roster's risk), until the
	// next change to events.
	risk    map[string]int
	riskAt  int64
	riskKey string
	// Every grid and unit as plans read them (planBase).
	grids       []schedule.Grid
	gridsAt     int64
	unitList    []schedule.Unit
	unitsListAt int64
}

// closedCounts are a grid's closed events with a deadline, and of those the
// ones closed by it.
type closedCounts struct{ closed, onTime int }

// closedByGrid returns the closed events per grid code. The map is shared:
// callers only read it.
func (m *Mirror) closedByGrid(ctx context.Context) (map[string]closedCounts, error) {
	c := &m.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	err := countIfMoved(ctx, m.DB, "closed_events", &c.closedAt, c.closed != nil, func(tx querier) error {
		rows, err := tx.QueryContext(ctx, `SELECT grid_code, count(*), count(*) FILTER (WHERE closed_at <= deadline)
			FROM events WHERE closed_at IS NOT NULL AND deadline IS NOT NULL GROUP BY grid_code`)
		if err != nil {
			return err
		}
		defer rows.Close()
		out := map[string]closedCounts{}
		for rows.Next() {
			var g string
			var n closedCounts
			if err := rows.Scan(&g, &n.closed, &n.onTime); err != nil {
				return err
			}
			out[g] = n
		}
		if err := rows.Err(); err != nil {
			return err
		}
		c.closed = out
		return nil
	})
	return c.closed, err
}

// unitsByGrid returns how many units each grid code has. The map is
// shared: callers only read it.
func (m *Mirror) unitsByGrid(ctx context.Context) (map[string]int, error) {
	c := &m.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	err := countIfMoved(ctx, m.DB, "units", &c.unitsAt, c.units != nil, func(tx querier) error {
		out := map[string]int{}
		if err := groupCounts(ctx, tx, out, `SELECT grid_code, count(*) FROM units GROUP BY grid_code`); err != nil {
			return err
		}
		c.units = out
		return nil
	})
	return c.units, err
}

// countIfMoved reads generation name and, when there is no count yet or the
// generation moved since *at, counts again in the same read transaction (so
// the count and its generation are of one snapshot) and records the new
// generation in *at.
func countIfMoved(ctx context.Context, db *sql.DB, name string, at *int64, have bool, count func(querier) error) (err error) {
	// A deferred read transaction on a connection of its own: the mirror's
	// transactions begin IMMEDIATE (they take the write lock), which a read
	// made while this process writes (a check inside a publish) would wait
	// for in vain.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := conn.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return err
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.Background(), `ROLLBACK`); err == nil {
			err = rerr
		}
	}()
	var gen int64
	if err := conn.QueryRowContext(ctx, `SELECT gen FROM kapok_count_gens WHERE name = ?`, name).Scan(&gen); err != nil {
		return err
	}
	if have && gen == *at {
		return nil
	}
	if err := count(conn); err != nil {
		return err
	}
	*at = gen
	return nil
}

// casesByGrid counts the cases reported in each grid of region in [from,
// to), kept until the next change to events or another question. The map
// is shared: callers only read it.
func (m *Mirror) casesByGrid(ctx context.Context, region string, from, to time.Time) (map[string]int, error) {
	c := &m.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	key := region + "|" + from.UTC().String() + "|" + to.UTC().String()
	have := c.risk != nil && c.riskKey == key
	err := countIfMoved(ctx, m.DB, "events", &c.riskAt, have, func(tx querier) error {
		out := map[string]int{}
		if err := groupCounts(ctx, tx, out, `SELECT grid_code, count(*) FROM events WHERE grid_code LIKE ? || '%' AND reported_at >= ? AND reported_at < ?
			GROUP BY grid_code`, region, gpkg.Time{Time: from}, gpkg.Time{Time: to}); err != nil {
			return err
		}
		c.risk, c.riskKey = out, key
		return nil
	})
	return c.risk, err
}
