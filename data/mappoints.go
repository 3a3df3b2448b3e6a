package data

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/paulmach/orb"
)

// MapFeature is a point or line of an overlay layer: its code, a class that
// picks its symbol (a center's level, a camera's status, an event's
// "open"/"overdue") and its geometry in lon/lat.
type MapFeature struct {
	Code, Class string
	Geom        orb.Geometry
}

// Overlay layers that LoadOverlay reads.
var Overlays = []string{"centers", "events", "cameras", "checkpoints", "patrol_routes"}

// LoadOverlay reads one overlay layer. Events are the open ones as of asOf,
// classed "overdue" past their deadline.
func (m *Mirror) LoadOverlay(layer string, asOf time.Time) ([]MapFeature, error) {
	q := map[string]string{
		"centers":       `SELECT code, level, geom FROM centers ORDER BY fid`,
		"events":        `SELECT code, CASE WHEN deadline < ?1 THEN 'overdue' ELSE 'open' END, geom FROM events WHERE state IN ` + openStates + ` ORDER BY fid`,
		"cameras":       `SELECT code, status, geom FROM cameras ORDER BY fid`,
		"checkpoints":   `SELECT code, status, geom FROM checkpoints ORDER BY fid`,
		"patrol_routes": `SELECT code, shift, geom FROM patrol_routes ORDER BY fid`,
	}[layer]
	if q == "" {
		return nil, fmt.Errorf("no overlay layer %q", layer)
	}
	var args []any
	if layer == "events" {
		args = append(args, gpkgTime(&asOf))
	}
	rows, err := m.DB.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MapFeature
	var gb sql.RawBytes
	for rows.Next() {
		var f MapFeature
		if err := rows.Scan(&f.Code, &f.Class, &gb); err != nil {
			return nil, err
		}
		if f.Geom, err = DecodeGeom(gb); err != nil {
			return nil, fmt.Errorf("%s %s: %w", layer, f.Code, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ActiveOrderGrids maps each grid that an order still running (issued,
// acknowledged, in progress or overdue) names as a target, directly or
// through a unit stationed in it, to the highest state of concern:
// "overdue" wins over the others.
func (m *Mirror) ActiveOrderGrids() (map[string]string, error) {
	rows, err := m.DB.Query(`SELECT coalesce(u.grid_code, t.target_code), o.state
		FROM order_targets t JOIN orders o ON o.id = t.order_id
		LEFT JOIN units u ON t.target_kind = 'unit' AND u.code = t.target_code
		WHERE o.state IN ('issued','acknowledged','in_progress','overdue') AND t.target_kind IN ('grid','unit')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var g, state string
		if err := rows.Scan(&g, &state); err != nil {
			return nil, err
		}
		if out[g] != "overdue" {
			out[g] = state
		}
	}
	return out, rows.Err()
}
