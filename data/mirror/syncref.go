package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/gpkg"
)

// RefTable is one reference table's rows pulled from the upstream: per row
// the values of Columns (the key first: code, a user's login), then the
// geometry (orb, or nil; always nil for users).
type RefTable struct {
	Name    string
	Columns []string
	Rows    [][]any
}

// refKept are columns the pull leaves as the mirror has them: a unit's
// status follows the holds of this mirror's cases and orders; a user's
// failed logins and lock are this console's own (the upstream has none:
// kept here should it ever send them).
var refKept = map[string]bool{"units.status": true, "users.failed_logins": true, "users.locked_until": true}

// refNoGeom are the pulled tables without geometry, keyed by their first
// column like the others (a user's login).
var refNoGeom = map[string]bool{"users": true}

// ApplyReference writes reference rows pulled from the upstream (upstream
// data wins over the mirror's copy), in one transaction with the version
// they bring the mirror to and a journal entry saying what changed (not a
// change consoles share: each pulls the same rows). A row equal to the
// mirror's is not written; rows the upstream does not send are left.
func (m *Mirror) ApplyReference(ctx context.Context, tables []RefTable, version int64, now time.Time) (added, updated int, err error) {
	current := map[string]map[string][]any{}
	for _, t := range tables {
		// Only the rows the upstream sent are compared: a few changed
		// rows must not cost a read of a whole table (20,000 grids).
		keys := make([]string, 0, len(t.Rows))
		for _, r := range t.Rows {
			if len(r) > 0 {
				keys = append(keys, fmt.Sprint(sqlValue(r[0])))
			}
		}
		rows, err := m.referenceRows(ctx, t.Name, t.Columns, keys)
		if err != nil {
			return 0, 0, err
		}
		byCode := make(map[string][]any, len(rows))
		for _, r := range rows {
			byCode[fmt.Sprint(r[0])] = r
		}
		current[t.Name] = byCode
	}
	err = m.update(ctx, func(tx *sql.Tx) error {
		on, err := captureOff(ctx, tx)
		if err != nil {
			return err
		}
		counts := map[string][2]int{}
		for _, t := range tables {
			var sets, marks []string
			for _, c := range t.Columns[1:] {
				if !refKept[t.Name+"."+c] {
					sets = append(sets, c+" = ?")
				}
			}
			for range t.Columns {
				marks = append(marks, "?")
			}
			if len(t.Columns) == 0 {
				return fmt.Errorf("%s: no columns", t.Name)
			}
			// The geometry first (none for users), then the columns; the
			// first column is the key.
			geomSet, geomCol, geomMark := "geom = ?, ", "geom, ", "?, "
			if refNoGeom[t.Name] {
				geomSet, geomCol, geomMark = "", "", ""
			}
			upd, err := tx.PrepareContext(ctx, `UPDATE `+t.Name+` SET `+geomSet+strings.Join(sets, ", ")+` WHERE `+t.Columns[0]+` = ?`)
			if err != nil {
				return err
			}
			defer upd.Close()
			ins, err := tx.PrepareContext(ctx, `INSERT INTO `+t.Name+` (`+geomCol+strings.Join(t.Columns, ", ")+`) VALUES (`+geomMark+strings.Join(marks, ", ")+`)`)
			if err != nil {
				return err
			}
			defer ins.Close()
			c := counts[t.Name]
			for _, r := range t.Rows {
				n := len(t.Columns)
				if len(r) != n+1 {
					return fmt.Errorf("%s: a row of %d values for %d columns", t.Name, len(r), n)
				}
				vals := make([]any, n)
				for i := range n {
					vals[i] = sqlValue(r[i])
				}
				var lead []any
				if !refNoGeom[t.Name] {
					lead = []any{gpkgGeom(r[n])}
				}
				old, ok := current[t.Name][fmt.Sprint(vals[0])]
				if !ok {
					if _, err := ins.ExecContext(ctx, append(lead, vals...)...); err != nil {
						return fmt.Errorf("%s %v: %w", t.Name, vals[0], err)
					}
					c[0]++
					continue
				}
				if sameRef(t, old, vals, r[n]) {
					continue
				}
				args := lead
				for i, col := range t.Columns[1:] {
					if !refKept[t.Name+"."+col] {
						args = append(args, vals[i+1])
					}
				}
				if _, err := upd.ExecContext(ctx, append(args, vals[0])...); err != nil {
					return fmt.Errorf("%s %v: %w", t.Name, vals[0], err)
				}
				c[1]++
			}
			counts[t.Name] = c
			added += c[0]
			updated += c[1]
		}
		if err := setMetaInt(ctx, tx, "sync_ref_version", version); err != nil {
			return err
		}
		if added+updated > 0 {
			payload := map[string]any{"version": version}
			for name, c := range counts {
				payload[name] = map[string]int{"added": c[0], "updated": c[1]}
			}
			if _, err := journalAppend(ctx, tx, change{Kind: data.KindSyncReference, Subject: "upstream", Actor: data.SystemLogin,
				At: now, Payload: payload}); err != nil {
				return err
			}
		}
		return on()
	})
	return added, updated, err
}

// sqlValue is a pulled value as the mirror stores it (booleans as 0 or 1).
func sqlValue(v any) any {
	if b, ok := v.(bool); ok {
		if b {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

func gpkgGeom(g any) any {
	if g, ok := g.(orb.Geometry); ok && g != nil {
		return gpkg.Geometry{Geometry: g}
	}
	return nil
}

// sameRef reports whether the mirror's row equals the pulled one (a
// polygon equals the one-polygon multipolygon the upstream keeps it as).
func sameRef(t RefTable, old, vals []any, geom any) bool {
	for i, col := range t.Columns {
		if refKept[t.Name+"."+col] {
			continue
		}
		if fmt.Sprint(sqlValue(old[i])) != fmt.Sprint(vals[i]) {
			return false
		}
	}
	a, _ := old[len(t.Columns)].(orb.Geometry)
	b, _ := geom.(orb.Geometry)
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return orb.Equal(single(a), single(b))
}

func single(g orb.Geometry) orb.Geometry {
	if mp, ok := g.(orb.MultiPolygon); ok && len(mp) == 1 {
		return mp[0]
	}
	return g
}
