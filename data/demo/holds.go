package demo

import (
	"database/sql"
	"sort"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// heldCase is an open case that has units on it.
type heldCase struct {
	code, grid string
	since      time.Time
}

// writeHolds puts a unit on each open case that is dispatched or being
// handled: the first available unit of its grid, else of its community,
// dispatched and held by the case as the store's dispatch would (so that
// feeding the case back frees it). A case with no unit left near it has
// none, as happens.
func (c *demoCity) writeHolds(tx *sql.Tx) error {
	order := make([]int, len(c.units)) // units by grid code, then code
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		ua, ub := c.units[order[a]], c.units[order[b]]
		if ua.GridCode != ub.GridCode {
			return ua.GridCode < ub.GridCode
		}
		return ua.Code < ub.Code
	})
	free := func(prefix string) int {
		lo := sort.Search(len(order), func(j int) bool { return c.units[order[j]].GridCode >= prefix })
		for j := lo; j < len(order) && strings.HasPrefix(c.units[order[j]].GridCode, prefix); j++ {
			if c.units[order[j]].Status == data.UnitAvailable {
				return order[j]
			}
		}
		return -1
	}
	hold, err := tx.Prepare(`INSERT INTO unit_holds (uid, unit_code, holder_kind, holder, since) VALUES (?, ?, 'case', ?, ?)`)
	if err != nil {
		return err
	}
	defer hold.Close()
	busy, err := tx.Prepare(`UPDATE units SET status = 'dispatched' WHERE code = ?`)
	if err != nil {
		return err
	}
	defer busy.Close()
	for _, w := range c.working {
		i := free(w.grid)
		if i < 0 {
			i = free(w.grid[:data.LevelCommunity.CodeLength()])
		}
		if i < 0 {
			continue
		}
		u := &c.units[i]
		u.Status = data.UnitDispatched
		// The platform's keys: one hold per case and unit, so the pair is
		// unique in the demo.
		if _, err := hold.Exec("demo-"+w.code+"-"+u.Code, u.Code, w.code, gpkg.Time{Time: w.since}); err != nil {
			return err
		}
		if _, err := busy.Exec(u.Code); err != nil {
			return err
		}
	}
	return nil
}
