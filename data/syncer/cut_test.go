package syncer_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/data/upstream"
	"kapok/internal/fixture"
)

// cutter is a TCP proxy in front of the upstream that closes each
// connection once the upstream has sent it budget bytes: a network cut
// somewhere in the middle of a sync.
type cutter struct {
	ln     net.Listener
	target string
	budget atomic.Int64
}

func newCutter(t *testing.T, target string) *cutter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cutter{ln: ln, target: target}
	c.budget.Store(1 << 62)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			go c.serve(client)
		}
	}()
	return c
}

func (c *cutter) serve(client net.Conn) {
	defer func() { _ = client.Close() }()
	server, err := net.Dial("tcp", c.target)
	if err != nil {
		return
	}
	defer func() { _ = server.Close() }()
	go func() { _, _ = io.Copy(server, client); _ = server.Close() }()
	_, _ = io.CopyN(client, server, c.budget.Load())
}

// connThrough connects to the upstream through the cutter.
func connThrough(t *testing.T, cfg *pgx.ConnConfig, c *cutter) (*pgx.Conn, error) {
	t.Helper()
	cc := cfg.Copy()
	cc.Host, cc.Port = "127.0.0.1", uint16(c.ln.Addr().(*net.TCPAddr).Port)
	cc.ConnectTimeout = 5 * time.Second
	return pgx.ConnectConfig(ctx, cc)
}

// checkWhole checks what a cut must never do: the upstream holds each
// console's chain whole, once; each console applied every arrival once.
func checkWhole(t *testing.T, conn *pgx.Conn, cs ...*mirror.Mirror) {
	t.Helper()
	var arrivals, maxArrival int64
	if err := conn.QueryRow(ctx, `SELECT count(*), coalesce(max(arrival), 0) FROM journal`).Scan(&arrivals, &maxArrival); err != nil {
		t.Fatal(err)
	}

	for _, m := range cs {
		st, err := m.SyncState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var held, top int64
		if err := conn.QueryRow(ctx, `SELECT count(*), coalesce(max(console_seq), 0) FROM journal WHERE console = $1`, st.Console).Scan(&held, &top); err != nil {
			t.Fatal(err)
		}
		if held != st.Head || top != st.Head {
			t.Fatalf("console %s: upstream holds %d entries up to %d, the journal has %d", st.Console, held, top, st.Head)
		}
		if n := fixture.Count(t, m, `SELECT count(*) FROM sync_log`); n != arrivals || st.Arrival != maxArrival {
			t.Fatalf("console %s applied %d arrivals up to %d; the upstream has %d up to %d", st.Console, n, st.Arrival, arrivals, maxArrival)
		}
	}
}

// settle syncs two consoles whole, twice each, and checks that nothing was
// lost or doubled and that they agree, arrival by arrival.
func settle(t *testing.T, conn *pgx.Conn, what string, a, b *mirror.Mirror) {
	t.Helper()
	for range 2 {
		syncOnce(t, a, conn)
		syncOnce(t, b, conn)
	}
	checkWhole(t, conn, a, b)
	sameState(t, what, a, b)
	if oa, ob := outcomes(t, a), outcomes(t, b); oa != ob {
		t.Fatalf("%s: the consoles' outcomes differ", what)
	}
}

// offlineWork is a few changes a console makes between syncs, on the
// orders and cases both consoles share: some collide with the other's.
func offlineWork(t *testing.T, m *mirror.Mirror, rng *rand.Rand, round int) {
	t.Helper()
	at := t0.Add(time.Duration(round) * time.Minute)
	o := issue(t, m, fmt.Sprintf("第 %d 轮", round), at)
	orders, err := m.Orders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range orders {
		if rng.IntN(3) == 0 && other.UID != o.UID && other.State.CanMoveTo(data.OrderAcknowledged) {
			if _, err := m.MoveOrder(ctx, other.UID, data.OrderAcknowledged, "commander", at.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if rng.IntN(2) == 0 {
		if _, err := m.ReportCase(ctx, data.CaseReport{Grid: grid, Matter: "MD01", Description: "巡查发现", Actor: "leader_990101"}, at.Add(2*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	// The innovation program too: a project proposed now and then, one
	// moved on (the other console may move it first), a milestone added.
	projects, err := m.Projects(ctx, data.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) == 0 || rng.IntN(3) == 0 {
		if _, err := m.AddProject(ctx, data.ProjectRequest{Region: "990101001", Unit: "大源村", Title: fmt.Sprintf("项目 %d", round),
			Actor: "leader_990101"}, at.Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
		return
	}
	p := projects[rng.IntN(len(projects))]
	if next := data.NextStage(p.Stage); next != "" {
		if _, err := m.MoveProject(ctx, p.Key, next, "", "leader_990101", at.Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.AddMilestone(ctx, p.Key, fmt.Sprintf("节点 %d", round), at.AddDate(0, 1, 0), "leader_990101", at.Add(4*time.Second)); err != nil {
		t.Fatal(err)
	}
}

// A sync cut at a random point 60 times (the connection closed after a
// random number of bytes): after the next whole sync nothing is lost,
// nothing doubled, and both consoles agree.
func TestSyncCutByTheNetwork(t *testing.T) {
	a, b := fixture.City(t), fixture.City(t)
	conn := upstreamOf(t, a)
	cfg := conn.Config()
	c := newCutter(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	rng := rand.New(rand.NewPCG(14, 60))
	cuts, midway := 0, 0
	for round := range 60 {
		m := []*mirror.Mirror{a, b}[round%2]
		offlineWork(t, m, rng, round)
		// From the handshake to the last pull: 500 bytes to 200 kB.
		c.budget.Store(int64(500 * math.Pow(400, rng.Float64())))
		before, err := m.SyncState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pc, err := connThrough(t, cfg, c)
		if err == nil {
			_, err = syncer.Run(ctx, m, pc, time.Now)
			_ = pc.Close(ctx)
		}
		if err != nil {
			cuts++
			if after, serr := m.SyncState(ctx); serr == nil && after.Pushed > before.Pushed {
				midway++ // cut after the push
			}
			var f *data.Refusal
			if errors.As(err, &f) {
				t.Fatalf("round %d: a cut sync refused: %v", round, err)
			}
		}
	}
	if cuts < 20 || cuts > 55 || midway < 3 || midway > cuts-5 {
		t.Fatalf("%d of 60 syncs were cut, %d after the push: the cuts miss the sync's steps", cuts, midway)
	}
	settle(t, conn, "after the cuts", a, b)
	t.Logf("%d of 60 syncs cut, %d of them after the push", cuts, midway)
}

const syncerEnv = "KAPOK_SYNCER"

// TestHelperSyncer is not a test: run with KAPOK_SYNCER=mirror|dsn, it
// syncs the mirror with the upstream once, to be killed on the way.
func TestHelperSyncer(t *testing.T) {
	arg := os.Getenv(syncerEnv)
	if arg == "" {
		t.Skip("helper process only")
	}
	path, dsn, _ := strings.Cut(arg, "|")
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if die := os.Getenv(syncerEnv + "_DIE"); die != "" {
		// Killed by itself once the sync has pushed, or applied arrivals:
		// a SIGKILL at a point of the sync, not only of the clock.
		before, err := m.SyncState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				st, err := m.SyncState(ctx)
				if err == nil && (die == "pushed" && st.Pushed > before.Pushed || die == "applied" && st.Arrival > before.Arrival) {
					_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				}
				time.Sleep(100 * time.Microsecond)
			}
		}()
	}
	fmt.Println("ready") // the parent times its kill from here
	start := time.Now()
	if _, err := syncer.Run(ctx, m, conn, time.Now); err != nil {
		t.Fatal(err)
	}
	fmt.Println("synced", time.Since(start).Microseconds())
}

// A sync process killed (SIGKILL) at a random moment 40 times, with the
// console's own changes made in between: the next sync resumes; nothing
// is lost or doubled, and the consoles agree.
func TestSyncKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	pa, pb := fixture.CityPath(t), fixture.CityPath(t)
	a, err := mirror.Open(pa)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = a.Close() }()
	b, err := mirror.Open(pb)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	conn := upstreamOf(t, a)
	dsn := conn.Config().ConnString()
	rng := rand.New(rand.NewPCG(9, 40))
	// A sync process says when it is ready (open, connected), then syncs:
	// each kill comes at a random moment of the sync, timed from ready
	// (what starting takes varies too much to time from the start).
	startSync := func(path string, env ...string) (*exec.Cmd, *bufio.Scanner) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSyncer$")
		cmd.Env = append(append(os.Environ(), syncerEnv+"="+path+"|"+dsn), env...)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		for lines.Scan() && lines.Text() != "ready" {
		}
		return cmd, lines
	}
	// Calibrated on a round like the others (each console's first sync,
	// which pulls all reference rows, is done before).
	syncOnce(t, a, conn)
	syncOnce(t, b, conn)
	for k := range 6 {
		offlineWork(t, a, rng, -1-k)
	}
	cmd, lines := startSync(pa)
	var took time.Duration
	for lines.Scan() {
		if us, ok := strings.CutPrefix(lines.Text(), "synced "); ok {
			n, _ := strconv.ParseInt(us, 10, 64)
			took = time.Duration(n) * time.Microsecond
		}
	}
	if err := cmd.Wait(); err != nil || took == 0 {
		t.Fatalf("a whole sync process: %v (took %v)", err, took)
	}
	t.Logf("a sync of a round takes %v", took)
	killed, midway := 0, 0
	for round := range 40 {
		m, path := a, pa
		if round%2 == 1 {
			m, path = b, pb
		}
		for k := range 6 { // enough work that the sync takes a while
			offlineWork(t, m, rng, round*10+k)
		}
		before, err := m.SyncState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// A third of the kills at a random moment of the sync, a third by
		// the process itself once it has pushed, a third once it has
		// applied arrivals.
		var cmd *exec.Cmd
		switch round % 3 {
		case 0:
			cmd, _ = startSync(path)
			time.Sleep(time.Duration(rng.Int64N(int64(took))))
		case 1:
			cmd, _ = startSync(path, syncerEnv+"_DIE=pushed")
		case 2:
			cmd, _ = startSync(path, syncerEnv+"_DIE=applied")
		}
		if round%3 == 0 {
			_ = cmd.Process.Signal(syscall.SIGKILL) // fails when it has ended
		}
		if err := cmd.Wait(); err != nil {
			killed++
		}
		if st, err := m.SyncState(ctx); err != nil {
			t.Fatal(err)
		} else if st.LastSync.Equal(before.LastSync) && (st.Pushed > before.Pushed || st.Arrival > before.Arrival) {
			midway++ // killed after pushing or applying, before the end
		}
		// The console goes on working after the kill, as a person would.
		if c, err := m.VerifyJournal(ctx); err != nil || !c.OK() {
			t.Fatalf("round %d: journal %+v %v", round, c, err)
		}
	}
	if killed < 15 || midway < 5 {
		t.Fatalf("%d of 40 syncs were killed mid-way, %d after pushing or applying: the kills miss the sync's steps", killed, midway)
	}
	settle(t, conn, "after the kills", a, b)
	t.Logf("%d of 40 syncs killed mid-way, %d after pushing or applying", killed, midway)
}

// A sync cut right after it took the console's pending changes back (the
// phase where changes wait): the next change made at the console puts them
// back on top first and goes through; the next sync ends it all the same.
func TestConsoleWorksOnAfterCutMidRebase(t *testing.T) {
	a, b := fixture.City(t), fixture.City(t)
	conn := upstreamOf(t, a)
	syncOnce(t, a, conn)
	syncOnce(t, b, conn)
	x := issue(t, b, "b 离线时下达", t0.Add(time.Minute))
	issue(t, a, "a 下达", t0.Add(2*time.Minute))
	syncOnce(t, a, conn)
	// b pulls a's order but is cut before its own come back.
	st, err := b.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	es, err := upstream.Pull(ctx, conn, st.Arrival, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var in []mirror.PulledEntry
	for _, e := range es {
		in = append(in, mirror.PulledEntry{Arrival: e.Arrival, Seq: e.Seq, Entry: e.Entry, PrevHash: e.PrevHash, Hash: e.Hash})
	}
	n, err := b.ApplyPulled(ctx, in)
	if err != nil || n.Applied != 1 || n.Undone == 0 {
		t.Fatalf("partial pull: %+v %v", n, err)
	}
	if st, err := b.SyncState(ctx); err != nil || st.Phase == "" {
		t.Fatalf("b is not mid-way: %+v %v", st, err)
	}
	if n := fixture.Count(t, b, `SELECT count(*) FROM orders WHERE uid = ?`, x.UID); n != 0 {
		t.Fatal("b's own order is still there while taken back")
	}
	// b's operator goes on working.
	y := issue(t, b, "b 接着下达", t0.Add(3*time.Minute))
	if n := fixture.Count(t, b, `SELECT count(*) FROM orders WHERE uid IN (?, ?)`, x.UID, y.UID); n != 2 {
		t.Fatalf("after the next change b has %d of its 2 orders", n)
	}
	syncOnce(t, b, conn)
	syncOnce(t, a, conn)
	sameState(t, "after the cut mid-way", a, b)
	checkWhole(t, conn, a, b)
}
