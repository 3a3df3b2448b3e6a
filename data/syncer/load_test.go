package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/data/upstream"
	"kapok/internal/fixture"
)

// A load of many consoles syncing against one upstream (issue 14, item 7;
// docs/SCALE.md): each console its own mirror of the fixture city, working
// offline, then all syncing at once, in rounds.

// loadOrders and loadCases are what each console does offline in one
// round: orders issued and acknowledged, cases reported (a grid of the
// fixture's first district, by users whose jurisdiction covers it); from
// the second round on, its first order of the round before started, and
// its neighbour's cancelled (the neighbour starts that one in the same
// round: whichever arrives first wins, the other is rejected or applies
// after it).
const (
	loadOrders = 2 // orders issued per console and round (each acknowledged)
	loadCases  = 1 // cases reported per console and round
)

type loadConsole struct {
	m      *mirror.Mirror
	conn   *pgx.Conn
	orders [][]string // the orders it issued, per round
}

// loadFigures are what a load measured.
type loadFigures struct {
	consoles, rounds int
	build            time.Duration   // building every console's mirror
	syncs            []time.Duration // every sync of the rounds, each as syncer.Result.Took
	final            []time.Duration // the last sync of every console
	wall             time.Duration   // the rounds' syncs, start of the first to end of the last, summed
	pushed           int             // entries pushed in the rounds
	pulled           int             // entries pulled and taken (applied, confirmed, rejected or skipped) in the rounds
	rejected         int
	offline          int // operations made offline
	refusedOffline   int // moves refused offline (the order not pulled yet)
	pushWall         time.Duration
	pushEntries      int // the push-only round: every console's last operations pushed at once
	pullWall         time.Duration
	pullEntries      int   // the pull-only read: every console reading the whole journal at once
	pullBytes        int64 // their canonical forms
	journal          int64
	entryBytes       float64 // mean canonical entry
	kinds            map[string][2]float64
	sizes            map[string]int64 // pg_total_relation_size per table; "" the database
	mirrorGrowth     int64            // console 0's mirror, from its build to the end (page_count × page_size)
	mirrorPulled     int64            // the entries it keeps of the upstream's (sync_log)
}

// runLoad builds n consoles, an upstream loaded from the first, and runs
// rounds of offline work and concurrent syncs, then a round whose pushes
// are timed alone, then one last sync of every console; it fails unless
// all consoles end with the same shared state (same compares two).
func runLoad(tb testing.TB, n, rounds int, same func(what string, a, b *mirror.Mirror)) loadFigures {
	tb.Helper()
	f := loadFigures{consoles: n, rounds: rounds, kinds: map[string][2]float64{}, sizes: map[string]int64{}}
	start := time.Now()
	cs := buildConsoles(tb, n)
	f.build = time.Since(start)

	built := mirrorSize(tb, cs[0].m)
	setup := upstreamOfB(tb, cs[0].m)
	cfg := setup.Config().ConnString()
	// The test cluster allows 100 connections: the setup's goes, each
	// console holds its own.
	if err := setup.Close(ctx); err != nil {
		tb.Fatal(err)
	}
	for _, c := range cs {
		conn, err := pgx.Connect(ctx, cfg)
		if err != nil {
			tb.Fatalf("console connection: %v", err)
		}
		c.conn = conn
		tb.Cleanup(func() { _ = conn.Close(context.Background()) })
	}

	for r := range rounds {
		at := t0.Add(time.Duration(r) * time.Hour)
		refused, made := offlineRound(tb, cs, r, at)
		f.refusedOffline += refused
		f.offline += made
		took, res := syncAll(tb, cs)
		f.wall += took
		for _, x := range res {
			f.syncs = append(f.syncs, x.Took)
			f.pushed += x.Pushed
			f.pulled += x.Pulled
			f.rejected += x.Applied.Rejected
		}
	}

	// Pushes alone: every console's operations of one more round pushed
	// at once, each a transaction under the one push lock.
	_, made := offlineRound(tb, cs, rounds, t0.Add(time.Duration(rounds)*time.Hour))
	f.offline += made
	f.pushWall, f.pushEntries = pushAll(tb, cs)

	_, res := syncAll(tb, cs)
	for _, x := range res {
		f.final = append(f.final, x.Took)
	}
	f.pullWall, f.pullEntries, f.pullBytes = pullAll(tb, cs)
	for i, c := range cs[1:] {
		same(fmt.Sprintf("console %d against console 0", i+1), cs[0].m, c.m)
	}
	for i, c := range cs {
		st, err := c.m.SyncState(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if st.Waiting() != 0 {
			tb.Fatalf("console %d: %d changes still waiting after the last sync", i, st.Waiting())
		}
	}

	upstreamFigures(tb, cs[0].conn, &f)
	f.mirrorGrowth = mirrorSize(tb, cs[0].m) - built
	f.mirrorPulled = fixture.Count(tb, cs[0].m, `SELECT count(*) FROM sync_log`)
	return f
}

// buildConsoles builds n fixture cities, each a mirror with its own
// console id (a copy of one file would share it, and the upstream would
// take the copies for one chain rewritten).
func buildConsoles(tb testing.TB, n int) []*loadConsole {
	tb.Helper()
	paths := make([]string, n)
	srcs := make([]*demo.CitySource, n)
	for i := range paths {
		paths[i] = filepath.Join(tb.TempDir(), "city.gpkg")
		srcs[i] = fixture.Source(tb)
	}
	// A build cuts its regions on every core already: as many at once as
	// there are cores took about as long a mirror (0.17-0.31 s) as one
	// alone; the bound keeps a hundred from holding memory at once.
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	atOnce(tb, n, "build", func(i int) error {
		sem <- struct{}{}
		defer func() { <-sem }()
		_, err := demo.Build(ctx, paths[i], srcs[i], fixture.Options())
		return err
	})
	cs := make([]*loadConsole, n)
	for i, p := range paths {
		m, err := mirror.Open(p)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = m.Close() })
		cs[i] = &loadConsole{m: m}
	}
	return cs
}

// offlineRound has every console (at once, each on its own file) make its
// round's operations; it returns the moves refused offline (an order of a
// neighbour not pulled yet) and the operations made.
func offlineRound(tb testing.TB, cs []*loadConsole, r int, at time.Time) (refused, made int) {
	tb.Helper()
	counts := make([][2]int, len(cs))
	issued := make([][]string, len(cs))
	atOnce(tb, len(cs), fmt.Sprintf("round %d", r), func(i int) error {
		var err error
		issued[i], counts[i], err = cs[i].work(r, cs[(i+1)%len(cs)], at.Add(time.Duration(i)*time.Second))
		return err
	})
	for _, c := range counts {
		refused += c[0]
		made += c[1]
	}
	// Kept once every console is done: each reads its neighbour's.
	for i, c := range cs {
		c.orders = append(c.orders, issued[i])
	}
	return refused, made
}

// work is one console's round: see loadOrders. A move refused here (a
// neighbour's order not pulled yet, or already cancelled) is counted, not
// an error.
func (c *loadConsole) work(r int, next *loadConsole, at time.Time) (issued []string, counts [2]int, err error) {
	for k := range loadOrders {
		o, err := c.m.IssueOrder(ctx, data.OrderRequest{Task: fmt.Sprintf("巡查 %d", k), Start: at, End: at.Add(8 * time.Hour),
			Targets: []string{grid}, Actor: "commander"}, at)
		if err != nil {
			return nil, counts, fmt.Errorf("issue: %w", err)
		}
		issued = append(issued, o.UID)
		counts[1]++
	}
	for _, uid := range issued {
		if _, err := c.m.MoveOrder(ctx, uid, data.OrderAcknowledged, "commander", at.Add(time.Minute)); err != nil {
			return nil, counts, fmt.Errorf("acknowledge: %w", err)
		}
		counts[1]++
	}
	for k := range loadCases {
		if _, err := c.m.ReportCase(ctx, data.CaseReport{Grid: grid, Matter: "MD01", Description: fmt.Sprintf("上报 %d", k),
			Actor: "leader_990101"}, at.Add(2*time.Minute)); err != nil {
			return nil, counts, fmt.Errorf("report: %w", err)
		}
		counts[1]++
	}
	if r > 0 {
		// Last round's first order started here, cancelled by the console
		// before this one: a conflict when both reach the upstream. Either
		// may have been refused already, the other's arrival pulled.
		moves := []struct {
			uid string
			to  data.OrderState
		}{{c.orders[r-1][0], data.OrderInProgress}, {next.orders[r-1][0], data.OrderCancelled}}
		for k, mv := range moves {
			_, err := c.m.MoveOrder(ctx, mv.uid, mv.to, "commander", at.Add(time.Duration(3+k)*time.Minute))
			switch {
			case err == nil:
				counts[1]++
			case refusal(err):
				counts[0]++
			default:
				return nil, counts, fmt.Errorf("%s: %w", mv.to, err)
			}
		}
	}
	return issued, counts, nil
}

func refusal(err error) bool {
	var f *data.Refusal
	return errors.As(err, &f)
}

// syncAll syncs every console at once, each on its own connection, and
// returns the time from the first start to the last end.
func syncAll(tb testing.TB, cs []*loadConsole) (time.Duration, []syncer.Result) {
	tb.Helper()
	res := make([]syncer.Result, len(cs))
	took := atOnce(tb, len(cs), "sync", func(i int) error {
		var err error
		res[i], err = syncer.Run(ctx, cs[i].m, cs[i].conn, time.Now)
		return err
	})
	return took, res
}

// pushAll pushes every console's unpushed entries at once (upstream.Push,
// the sync's step 2 alone) and returns the time from the first start to
// the last end and the entries pushed. The next sync finds the upstream's
// head at its own and goes on from there.
func pushAll(tb testing.TB, cs []*loadConsole) (time.Duration, int) {
	tb.Helper()
	batches := make([][]upstream.Entry, len(cs))
	consoles := make([]string, len(cs))
	total := 0
	for i, c := range cs {
		st, err := c.m.SyncState(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		head, _, err := upstream.Head(ctx, c.conn, st.Console)
		if err != nil {
			tb.Fatal(err)
		}
		es, err := c.m.EntriesAfter(ctx, head, syncer.Batch)
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range es {
			batches[i] = append(batches[i], upstream.Entry{Seq: e.Seq, Entry: e.Entry, PrevHash: e.PrevHash, Hash: e.Hash})
		}
		consoles[i] = st.Console
		total += len(es)
	}
	took := atOnce(tb, len(cs), "push", func(i int) error {
		_, err := upstream.Push(ctx, cs[i].conn, consoles[i], batches[i])
		return err
	})
	return took, total
}

// pullAll has every console read the whole journal at once (upstream.Pull
// in pages of syncer.Batch, nothing applied): what the upstream serves
// apart from what the consoles do with it. It returns the time from the
// first start to the last end, the entries and their bytes read.
func pullAll(tb testing.TB, cs []*loadConsole) (time.Duration, int, int64) {
	tb.Helper()
	counts := make([]int, len(cs))
	sizes := make([]int64, len(cs))
	took := atOnce(tb, len(cs), "pull", func(i int) error {
		var after int64
		for {
			es, err := upstream.Pull(ctx, cs[i].conn, after, syncer.Batch)
			if err != nil || len(es) == 0 {
				return err
			}
			for _, e := range es {
				sizes[i] += int64(len(e.Entry))
			}
			counts[i] += len(es)
			after = es[len(es)-1].Arrival
		}
	})
	n, size := 0, int64(0)
	for i := range cs {
		n += counts[i]
		size += sizes[i]
	}
	return took, n, size
}

// atOnce runs fn(0) … fn(n-1) each on its goroutine, released together,
// and returns the time from the release to the last end; an error fails
// tb, naming what was done and by which console.
func atOnce(tb testing.TB, n int, what string, fn func(i int) error) time.Duration {
	tb.Helper()
	errs := make([]error, n)
	var wg gosync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			errs[i] = fn(i)
		}()
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	took := time.Since(start)
	for i, err := range errs {
		if err != nil {
			tb.Fatalf("console %d: %s: %v", i, what, err)
		}
	}
	return took
}

// upstreamFigures reads the journal's size, its entries' mean size (by
// kind too) and the tables' sizes on disk.
func upstreamFigures(tb testing.TB, conn *pgx.Conn, f *loadFigures) {
	tb.Helper()
	if err := conn.QueryRow(ctx, `SELECT count(*), coalesce(avg(octet_length(entry)), 0) FROM journal`).Scan(&f.journal, &f.entryBytes); err != nil {
		tb.Fatal(err)
	}
	rows, err := conn.Query(ctx, `SELECT entry::jsonb ->> 'kind', count(*), avg(octet_length(entry))::float8 FROM journal GROUP BY 1 ORDER BY 2 DESC`)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var kind string
		var n int64
		var size float64
		if err := rows.Scan(&kind, &n, &size); err != nil {
			tb.Fatal(err)
		}
		f.kinds[kind] = [2]float64{float64(n), size}
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	tables := []string{"journal", "console_heads"}
	for _, t := range upstream.ReferenceTables {
		tables = append(tables, t.Name)
	}
	for _, t := range tables {
		var size int64
		if err := conn.QueryRow(ctx, `SELECT pg_total_relation_size($1::regclass)`, t).Scan(&size); err != nil {
			tb.Fatal(err)
		}
		f.sizes[t] = size
	}
	var size int64
	if err := conn.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&size); err != nil {
		tb.Fatal(err)
	}
	f.sizes[""] = size
}

// mirrorSize is m's size in bytes, its WAL's pages included.
func mirrorSize(tb testing.TB, m *mirror.Mirror) int64 {
	tb.Helper()
	return fixture.Count(tb, m, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`)
}

// percentile is the p-th percentile (nearest rank) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// log writes the figures out, for docs/SCALE.md (in ten lines: a
// benchmark's log is cut after that).
func (f loadFigures) log(tb testing.TB) {
	tb.Helper()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	tb.Logf("%d consoles, %d rounds: mirrors built in %v (%v each); operations made offline %d (moves refused offline: %d)",
		f.consoles, f.rounds, f.build, f.build/time.Duration(f.consoles), f.offline, f.refusedOffline)
	tb.Logf("round syncs: %d, latency p50 %.1f ms, p95 %.1f ms, max %.1f ms; wall %v", len(f.syncs),
		ms(percentile(f.syncs, 50)), ms(percentile(f.syncs, 95)), ms(slices.Max(f.syncs)), f.wall)
	tb.Logf("round syncs: pushed %d (%.0f entries/s), pulled and taken %d (%.0f entries/s), rejected %d",
		f.pushed, float64(f.pushed)/f.wall.Seconds(), f.pulled, float64(f.pulled)/f.wall.Seconds(), f.rejected)
	tb.Logf("pushes alone: %d entries by %d consoles in %v (%.0f entries/s, %.2f ms a push)", f.pushEntries, f.consoles,
		f.pushWall, float64(f.pushEntries)/f.pushWall.Seconds(), ms(f.pushWall)/float64(f.consoles))
	tb.Logf("pulls alone: %d entries (%d bytes) read by %d consoles in %v (%.0f entries/s, %.1f MB/s)", f.pullEntries, f.pullBytes,
		f.consoles, f.pullWall, float64(f.pullEntries)/f.pullWall.Seconds(), float64(f.pullBytes)/1e6/f.pullWall.Seconds())
	tb.Logf("last syncs: p50 %.1f ms, max %.1f ms", ms(percentile(f.final, 50)), ms(slices.Max(f.final)))
	tb.Logf("journal: %d entries, mean canonical entry %.0f bytes; on disk %d bytes (%.0f a row); console 0's mirror grew %d bytes for %d entries pulled (%.0f an entry)",
		f.journal, f.entryBytes, f.sizes["journal"], float64(f.sizes["journal"])/float64(max(f.journal, 1)),
		f.mirrorGrowth, f.mirrorPulled, float64(f.mirrorGrowth)/float64(max(f.mirrorPulled, 1)))
	var kinds, tables []string
	for k, v := range f.kinds {
		kinds = append(kinds, fmt.Sprintf("%s %.0f × %.0f B", k, v[0], v[1]))
	}
	slices.Sort(kinds)
	for _, t := range upstream.ReferenceTables {
		tables = append(tables, fmt.Sprintf("%s %d", t.Name, f.sizes[t.Name]))
	}
	tb.Logf("entries by kind: %s", strings.Join(kinds, ", "))
	tb.Logf("bytes on disk: %s, console_heads %d; database %d", strings.Join(tables, ", "), f.sizes["console_heads"], f.sizes[""])
}

// TestSyncLoad10Consoles: ten consoles work offline and sync at once, in
// rounds with conflicts between neighbours, and converge.
func TestSyncLoad10Consoles(t *testing.T) {
	f := runLoad(t, 10, 3, func(what string, a, b *mirror.Mirror) { sameState(t, what, a, b) })
	f.log(t)
	if f.rejected == 0 {
		t.Error("no conflict was rejected: the load does not exercise arrival order")
	}
}

// BenchmarkSyncLoad100Consoles: a hundred consoles, three rounds of
// offline work and concurrent syncs, pushes alone, a last sync; the
// figures of docs/SCALE.md. Every console's shared tables must end with
// the same rows (counted; dump and sameState take a *testing.T).
func BenchmarkSyncLoad100Consoles(b *testing.B) {
	for b.Loop() {
		f := runLoad(b, 100, 3, func(what string, x, y *mirror.Mirror) { sameCounts(b, what, x, y) })
		f.log(b)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(percentile(f.syncs, 50)), "p50-ms/sync")
		b.ReportMetric(ms(percentile(f.syncs, 95)), "p95-ms/sync")
		b.ReportMetric(ms(slices.Max(f.syncs)), "max-ms/sync")
		b.ReportMetric(float64(f.pushed)/f.wall.Seconds(), "pushed/s")
		b.ReportMetric(float64(f.pulled)/f.wall.Seconds(), "applied/s")
		b.ReportMetric(float64(f.pushEntries)/f.pushWall.Seconds(), "push-alone/s")
		b.ReportMetric(float64(f.pullEntries)/f.pullWall.Seconds(), "pull-alone/s")
		b.ReportMetric(f.entryBytes, "B/entry")
		b.ReportMetric(float64(f.sizes["journal"])/float64(max(f.journal, 1)), "journal-B/entry")
		b.ReportMetric(float64(f.journal), "entries")
		b.ReportMetric(float64(f.mirrorGrowth)/float64(max(f.mirrorPulled, 1)), "mirror-B/entry")
	}
}

// sameCounts fails unless a and b hold as many rows in every shared table.
func sameCounts(tb testing.TB, what string, a, b *mirror.Mirror) {
	tb.Helper()
	for _, table := range sharedTables {
		q := `SELECT count(*) FROM ` + table
		if na, nb := fixture.Count(tb, a, q), fixture.Count(tb, b, q); na != nb {
			tb.Fatalf("%s: %s has %d rows against %d", what, table, nb, na)
		}
	}
}
