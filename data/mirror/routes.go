package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/twpayne/go-geos"

	"kapok/data/geom"
	"kapok/data/gpkg"
	"kapok/data/schedule"
)

// MinRouteInGrid is how far (metres) a patrol route must run inside a grid
// to patrol it: a route along a grid's edge, or clipping its corner, does
// not.
const MinRouteInGrid = 50.0

// routeCache keeps each patrol route as plans read it (street, times,
// start, the grids it crosses), worked out from the lines once and kept
// until the routes or the regions change (their generations).
type routeCache struct {
	mu                  sync.Mutex
	routesAt, regionsAt int64
	byCode              map[string]schedule.Route
}

// PatrolRoutes are the patrol routes of a region (those of its streets),
// in code order, each with the grids it crosses.
func (m *Mirror) PatrolRoutes(ctx context.Context, region string) ([]schedule.Route, error) {
	if err := checkPrefix(region); err != nil {
		return nil, err
	}
	return m.patrolRoutes(ctx, `street_code LIKE ? || '%'`, region)
}

// routesNamed are the patrol routes of the codes (the known ones), in code
// order.
func (m *Mirror) routesNamed(ctx context.Context, codes []string) ([]schedule.Route, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	js, err := json.Marshal(codes)
	if err != nil {
		return nil, err
	}
	return m.patrolRoutes(ctx, `code IN (SELECT value FROM json_each(?))`, string(js))
}

// patrolRoutes are the routes a condition on patrol_routes picks, those
// not yet known worked out and kept.
func (m *Mirror) patrolRoutes(ctx context.Context, where string, args ...any) ([]schedule.Route, error) {
	c := &m.routes
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, gen := range []struct {
		name string
		at   *int64
	}{{"routes", &c.routesAt}, {"regions", &c.regionsAt}} {
		if err := countIfMoved(ctx, m.DB, gen.name, gen.at, c.byCode != nil, func(querier) error {
			c.byCode = map[string]schedule.Route{}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	var todo []routeLine
	var out []schedule.Route
	rows, err := m.DB.QueryContext(ctx, `SELECT code, name, street_code, shift, geom FROM patrol_routes WHERE `+where+` ORDER BY code`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r routeLine
		var blob sql.RawBytes
		if err := rows.Scan(&r.Code, &r.Name, &r.Street, &r.Times, &blob); err != nil {
			_ = rows.Close()
			return nil, err
		}
		if known, ok := c.byCode[r.Code]; ok {
			out = append(out, known)
			continue
		}
		g, err := gpkg.DecodeGeom(blob)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("patrol route %s: %w", r.Code, err)
		}
		r.line, _ = g.(orb.LineString)
		todo = append(todo, r)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	if len(todo) == 0 {
		return out, nil
	}
	gctx := geos.NewContext()
	for _, r := range todo {
		if r.Grids, err = crossedGrids(ctx, m.DB, gctx, r.line); err != nil {
			return nil, fmt.Errorf("patrol route %s: %w", r.Code, err)
		}
		if len(r.line) > 0 {
			r.At = r.line[0]
		}
		c.byCode[r.Code] = r.Route
		out = append(out, r.Route)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

type routeLine struct {
	schedule.Route
	line orb.LineString
}

// crossedGrids are the grids (in code order) the line runs through for at
// least MinRouteInGrid metres: the candidates are the grids whose bounds
// meet the bounds of one of its segments (from the grids' R-tree), and
// GEOS clips the line to each.
func crossedGrids(ctx context.Context, q querier, gctx *geos.Context, line orb.LineString) ([]string, error) {
	if len(line) < 2 {
		return nil, nil
	}
	b := line.Bound()
	rows, err := q.QueryContext(ctx, `SELECT g.code, g.geom FROM rtree_grids_geom t JOIN grids g ON g.fid = t.id
		WHERE t.maxx >= ? AND t.minx <= ? AND t.maxy >= ? AND t.miny <= ?`, b.Min[0], b.Max[0], b.Min[1], b.Max[1])
	if err != nil {
		return nil, err
	}
	type candidate struct {
		code string
		poly orb.Geometry
	}
	var cands []candidate
	for rows.Next() {
		var code string
		var blob sql.RawBytes
		if err := rows.Scan(&code, &blob); err != nil {
			_ = rows.Close()
			return nil, err
		}
		g, err := gpkg.DecodeGeom(blob)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("grid %s: %w", code, err)
		}
		if g == nil || !nearSomeSegment(line, g.Bound()) {
			continue
		}
		cands = append(cands, candidate{code, g})
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	gl, err := geom.ToGEOS(gctx, line)
	if err != nil {
		return nil, err
	}
	// Most candidates the line misses: a prepared line tells those apart
	// cheaply, before the overlay of the others.
	prep := gl.Prepare()
	var out []string
	for _, c := range cands {
		gp, err := geom.ToGEOS(gctx, c.poly)
		if err != nil {
			return nil, fmt.Errorf("grid %s: %w", c.code, err)
		}
		if !prep.Intersects(gp) {
			continue
		}
		inside, err := geom.FromGEOS(gp.Intersection(gl))
		if err != nil {
			return nil, fmt.Errorf("grid %s: %w", c.code, err)
		}
		if lineLength(inside) >= MinRouteInGrid {
			out = append(out, c.code)
		}
	}
	sort.Strings(out)
	return out, nil
}

// nearSomeSegment is whether b meets the bounds of one of the line's
// segments: a loop's bounds hold most of its street, its segments' far
// fewer grids.
func nearSomeSegment(line orb.LineString, b orb.Bound) bool {
	for i := 1; i < len(line); i++ {
		if (orb.MultiPoint{line[i-1], line[i]}).Bound().Intersects(b) {
			return true
		}
	}
	return false
}

// lineLength is the length in metres of the lines of an overlay's result
// (points where the line only touches are nothing).
func lineLength(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.LineString:
		return geo.Length(g)
	case orb.MultiLineString:
		n := 0.0
		for _, l := range g {
			n += geo.Length(l)
		}
		return n
	case orb.Collection:
		n := 0.0
		for _, x := range g {
			n += lineLength(x)
		}
		return n
	}
	return 0
}
