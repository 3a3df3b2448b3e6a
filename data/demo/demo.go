package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/mirror"
	"kapok/data/outfile"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Options steer the demo city.
type Options struct {
	Seed      int64
	AsOf      time.Time // the demo's "now": histories end here (reports, steps, indicator hours)
	Days      int       // days of events and indicator values
	Grids     int       // how many grids to cut
	Units     int       // how many emergency units
	DemoPoint string    // community flagged as the demonstration point
	// Innovation writes the innovation program (innovation.go); the
	// fixture city leaves it out, for tests that start from none.
	Innovation bool
}

// DefaultOptions are the figures of the model city, Guangzhou, as of now
// (to the second): its cases' clocks run against the wall clock, so a
// demo built now shows them live. Tests and benchmarks that compare what
// they build with something fixed set AsOf to a fixed instant (see
// internal/fixture); the same Seed and AsOf build the same city.
func DefaultOptions() Options {
	return Options{Seed: 1, AsOf: time.Now().Truncate(time.Second), Days: 30,
		Grids: 20031, Units: 21590, DemoPoint: "440111021200", Innovation: true}
}

// Report says what a demo build wrote.
type Report struct {
	Counts  map[string]int64
	Skipped []string
	Elapsed time.Duration
}

// demoCity is everything generated before it is written.
type demoCity struct {
	src     *CitySource
	opt     Options
	grids   []data.Grid
	workers map[string]int // grid code → grid workers
	units   []data.Unit
	working []heldCase // open cases dispatched or in handling, for writeHolds
	matters []data.MatterType
	rng     *rand.Rand
}

// Build generates the demo city from src and writes it to a new mirror at
// out, replacing any file there only once the whole city is written.
func Build(ctx context.Context, out string, src *CitySource, opt Options) (*Report, error) {
	if err := outfile.Check(out); err != nil {
		return nil, err
	}
	start := time.Now()
	c := &demoCity{src: src, opt: opt, rng: regionRand(opt.Seed, "demo")}
	if err := c.shape(); err != nil {
		return nil, err
	}
	var err error
	if c.matters, err = data.Matters(); err != nil {
		return nil, err
	}
	tmp := out + ".building"
	if err := mirror.Remove(tmp); err != nil {
		return nil, err
	}
	m, err := mirror.Open(tmp)
	if err != nil {
		return nil, err
	}
	err = m.Update(ctx, func(tx *sql.Tx) error {
		// Parents and children are written in interleaved batches: check
		// references once, at commit.
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		steps := []struct {
			name  string
			write func(*sql.Tx) error
		}{{"users", c.writeUsers}, {"regions", c.writeRegions}, {"grids", c.writeGrids}, {"centers", c.writeCenters},
			{"matters", c.writeMatters}, {"units", c.writeUnits}, {"security layers", c.writeSecurity},
			{"events", c.writeEvents}, {"unit holds", c.writeHolds}, {"indicators", c.writeIndicators}, {"transport minutes", c.writeTransport}, {streetInputsLabel, c.writeStreetInputs}, {"index", c.writeIndex}, {"duty rosters", c.writeDuty},
			{"innovation program", c.writeInnovation}}
		// The city as built is every console's common start, not a change
		// sync could take back: no undo log for it.
		if err := mirror.WithoutUndo(ctx, tx, func() error {
			for _, step := range steps {
				if err := step.write(tx); err != nil {
					return fmt.Errorf("writing %s: %w", step.name, err)
				}
			}
			return nil
		}); err != nil {
			return err
		}
		if err := mirror.RefreshExtents(ctx, tx); err != nil {
			return err
		}
		for k, v := range map[string]string{"city_code": src.City.Code, "city_name": src.City.Name,
			"demo_seed": fmt.Sprint(opt.Seed), "as_of": gpkg.FormatTime(opt.AsOf)} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO kapok_meta (key, value) VALUES (?, ?)`, k, v); err != nil {
				return err
			}
		}
		_, err := mirror.AppendJournal(ctx, tx, data.KindDemoBuild, src.City.Code, data.SystemLogin, time.Now(),
			map[string]any{"city": src.City.Name, "seed": opt.Seed, "grids": len(c.grids), "as_of": gpkg.FormatTime(opt.AsOf)})
		return err
	})
	if err == nil {
		// The escalation sweep the console runs every minute, run once at
		// AsOf: the city's overdue cases past their grace stand escalated
		// when it opens, rather than hundreds at its first minute.
		_, err = m.EscalateOverdue(ctx, opt.AsOf)
	}
	if err == nil {
		_, err = m.DB.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = mirror.Remove(tmp)
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := mirror.Remove(out); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, err
	}
	m, err = mirror.Open(out)
	if err != nil {
		return nil, err
	}
	defer func() { _ = m.Close() }()
	counts, err := m.LayerCounts(ctx)
	if err != nil {
		return nil, err
	}
	return &Report{Counts: counts, Skipped: src.Skipped, Elapsed: time.Since(start)}, nil
}

// shape cuts streets, communities and grids.
func (c *demoCity) shape() error {
	src := c.src
	if err := tileRegions(c.opt.Seed, src.Districts, src.Streets, 3); err != nil {
		return err
	}
	if err := tileRegions(c.opt.Seed, src.Streets, src.Communities, 2); err != nil {
		return err
	}
	districtArea := map[string]float64{}
	for _, d := range src.Districts {
		districtArea[d.Code] = d.AreaKm2
	}
	counts := gridCounts(src.Communities, demoDensity(districtArea), c.opt.Grids)
	for i := range counts {
		counts[i] = min(counts[i], 999) // three digits of sequence
	}
	perCommunity, err := tileGrids(c.opt.Seed, src.Communities, counts)
	if err != nil {
		return err
	}
	for _, gs := range perCommunity {
		c.grids = append(c.grids, gs...)
	}
	return nil
}

// pointIn draws a point inside mp.
func pointIn(rng *rand.Rand, mp orb.MultiPolygon) orb.Point {
	b := mp.Bound()
	for i := 0; i < 1000; i++ {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if planar.MultiPolygonContains(mp, p) {
			return p
		}
	}
	return mp[0][0][0]
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// weighted draws an index with probability proportional to weights.
func weighted(rng *rand.Rand, weights []float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	x := rng.Float64() * sum
	for i, w := range weights {
		if x -= w; x < 0 {
			return i
		}
	}
	return len(weights) - 1
}

// blob is a generated geometry as a GeoPackage blob.
func blob(g orb.Geometry) []byte {
	b, err := gpkg.EncodeGeom(g)
	if err != nil {
		panic(err) // generated geometry always encodes
	}
	return b
}
