package syncer_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/data/upstream"
	"kapok/internal/fixture"
)

// opsOn makes n operations on m as a console would: orders issued and
// moved, cases reported and moved, in turn.
func opsOn(b testing.TB, m *mirror.Mirror, n int, at time.Time) {
	b.Helper()
	var orders []string
	for i := 0; len(orders)*2 < n; i++ {
		o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: at, End: at.Add(8 * time.Hour), Targets: []string{grid}, Actor: "commander"}, at)
		if err != nil {
			b.Fatal(err)
		}
		orders = append(orders, o.UID)
	}
	for _, uid := range orders {
		if _, err := m.MoveOrder(ctx, uid, data.OrderAcknowledged, "commander", at.Add(time.Minute)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSyncPushPull10k: one console's 10,000 operations pushed, then
// pulled and applied by another console (each operation through its
// method, one transaction each), state cold on both sides.
func BenchmarkSyncPushPull10k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		a, c := fixture.City(b), fixture.City(b)
		conn := upstreamOfB(b, a)
		opsOn(b, a, 10000, t0)
		b.StartTimer()
		ra, err := syncer.Run(ctx, a, conn, time.Now)
		if err != nil {
			b.Fatal(err)
		}
		res, err := syncer.Run(ctx, c, conn, time.Now)
		b.ReportMetric(ra.Took.Seconds(), "push-s")
		b.ReportMetric(res.Took.Seconds(), "pull-apply-s")
		b.ReportMetric((ra.Upstream + res.Upstream).Seconds(), "upstream-s")
		if err != nil {
			b.Fatal(err)
		}
		if res.Applied.Applied != 10000 {
			b.Fatalf("applied %+v", res.Applied)
		}
	}
}

// BenchmarkSyncIdleGuangzhou: a sync with nothing to do, the demo city's
// mirror and an upstream loaded from it, synced once before (state warm:
// the mirror open, the connection made).
func BenchmarkSyncIdleGuangzhou(b *testing.B) {
	m := fixture.WritableGuangzhou(b)
	conn := upstreamOfB(b, m)
	if _, err := syncer.Run(ctx, m, conn, time.Now); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := syncer.Run(ctx, m, conn, time.Now)
		if err != nil {
			b.Fatal(err)
		}
		if res.Pushed != 0 || res.Pulled != 0 || res.RefAdded+res.RefUpdated != 0 {
			b.Fatalf("not idle: %+v", res)
		}
	}
}

// BenchmarkSyncFewReferenceChangesGuangzhou: the platform recounts three
// grids' population between syncs (loaded outside the timer); a sync
// brings the three rows in, reading only those. Anchor, in the same run:
// what comparing them used to cost, a read of all the grids.
func BenchmarkSyncFewReferenceChangesGuangzhou(b *testing.B) {
	m := fixture.WritableGuangzhou(b)
	conn := upstreamOfB(b, m)
	if _, err := syncer.Run(ctx, m, conn, time.Now); err != nil {
		b.Fatal(err)
	}
	var grids upstream.Table
	for _, t := range upstream.Published {
		if t.Name == "grids" {
			grids = t
		}
	}
	popCol := slices.Index(grids.Columns, "population")
	if popCol < 0 {
		b.Fatal("no population column")
	}
	b.Run("sync", func(b *testing.B) {
		round := 0
		for b.Loop() {
			b.StopTimer()
			round++
			if _, err := upstream.Load(ctx, conn, func(ctx context.Context, t upstream.Table) ([][]any, error) {
				rows, err := m.ReferenceRows(ctx, t.Name, t.Columns)
				if err == nil && t.Name == "grids" {
					for _, r := range rows[:3] {
						r[popCol] = r[popCol].(int64) + int64(round)
					}
				}
				return rows, err
			}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := syncer.Run(ctx, m, conn, time.Now)
			if err != nil {
				b.Fatal(err)
			}
			if res.RefUpdated != 3 || res.RefAdded != 0 {
				b.Fatalf("updated %d, added %d", res.RefUpdated, res.RefAdded)
			}
		}
	})
	b.Run("anchor-read-all-grids", func(b *testing.B) {
		for b.Loop() {
			if rows, err := m.ReferenceRows(ctx, "grids", grids.Columns); err != nil || len(rows) < 10000 {
				b.Fatal(len(rows), err)
			}
		}
	})
}
