package mirror_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The order write path under crashes and concurrency: an order and its
// journal entry land together or not at all, whoever writes at the same
// time and whenever the process dies.

const helperEnv = "KAPOK_ORDER_WRITER"

// TestHelperOrderWriter is not a test: run with KAPOK_ORDER_WRITER=path[:n],
// it issues and moves orders on that mirror (forever, or n of them), as a
// console would.
func TestHelperOrderWriter(t *testing.T) {
	spec := os.Getenv(helperEnv)
	if spec == "" {
		t.Skip("helper process only")
	}
	path, limit := spec, -1
	if i := strings.LastIndex(spec, ":"); i > 0 {
		path = spec[:i]
		limit, _ = strconv.Atoi(spec[i+1:])
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	writingNow()
	writeOrders(t, m, limit, fmt.Sprint(os.Getpid()))
	_ = m.Close()
}

// writeOrders issues n orders (forever for n < 0), moving each to
// acknowledged.
func writeOrders(t testing.TB, m *mirror.Mirror, n int, who string) {
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	for i := 0; n < 0 || i < n; i++ {
		o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查 " + who, Start: start, End: start.Add(time.Hour),
			Targets: []string{"990101001001001", "990101001001002", "C990101"}, Actor: "leader"}, time.Now())
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := m.MoveOrder(ctx, o.UID, data.OrderAcknowledged, "operator", time.Now()); err != nil {
			t.Error(err)
			return
		}
	}
}

// checkOrdersWhole asserts that every order is whole (three targets, one
// issue entry) and the journal verifies; it returns the number of orders.
func checkOrdersWhole(t *testing.T, path string) int64 {
	t.Helper()
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	c, err := m.VerifyJournal(ctx)
	if err != nil || !c.OK() {
		t.Fatalf("journal: %+v, %v", c, err)
	}
	orders := count(t, m, `SELECT count(*) FROM orders`)
	if n := count(t, m, `SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM order_targets t WHERE t.order_uid = o.uid) != 3`); n != 0 {
		t.Fatalf("%d orders without their three targets", n)
	}
	if n := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'order.issue'`); n != orders {
		t.Fatalf("%d orders, %d issue entries", orders, n)
	}
	if n := count(t, m, `SELECT count(*) FROM orders o WHERE state = 'acknowledged' AND NOT EXISTS
		(SELECT 1 FROM journal WHERE kind = 'order.move' AND subject = o.uid)`); n != 0 {
		t.Fatalf("%d moves without their entry", n)
	}
	if n := count(t, m, `SELECT count(*) - count(DISTINCT number) FROM orders`); n != 0 {
		t.Fatalf("%d order numbers minted twice", n)
	}
	return orders
}

// kill -9 while orders are being written, again and again: each time the
// mirror holds whole orders only, and the journal verifies.
func TestOrdersSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes for a few seconds")
	}
	path := fixture.CityPath(t)
	rng := rand.New(rand.NewPCG(7, 9))
	var last int64
	for round := range 12 {
		killWhileWriting(t, rng, "TestHelperOrderWriter", helperEnv, path)
		n := checkOrdersWhole(t, path)
		if n < last {
			t.Fatalf("round %d: %d orders, fewer than the %d before", round, n, last)
		}
		last = n
	}
	if last == 0 {
		t.Fatal("the writer never committed an order: the test tested nothing")
	}
	t.Logf("%d orders written across 12 kills", last)
}

// Two processes and four connections in this one write orders at once:
// all land, none twice, numbers unique, one unbroken chain.
func TestConcurrentOrderWriters(t *testing.T) {
	path := fixture.CityPath(t)
	const perWriter = 15
	var procs []*exec.Cmd
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperOrderWriter$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d", helperEnv, path, perWriter))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := mirror.Open(path)
			if err != nil {
				t.Error(err)
				return
			}
			defer func() { _ = m.Close() }()
			writeOrders(t, m, perWriter, fmt.Sprint("g", w))
		}()
	}
	wg.Wait()
	for _, p := range procs {
		if err := p.Wait(); err != nil {
			t.Fatalf("writer process: %v", err)
		}
	}
	if n := checkOrdersWhole(t, path); n != 6*perWriter {
		t.Fatalf("%d orders, want %d", n, 6*perWriter)
	}
}

// reopenAfterKill kills a writer process mid-write (killWhileWriting) and
// opens the mirror it left, its journal's chain checked; the caller closes
// it before the next round.
func reopenAfterKill(t *testing.T, rng *rand.Rand, round int, name, env, path string) *mirror.Mirror {
	t.Helper()
	killWhileWriting(t, rng, name, env, path)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := m.VerifyJournal(ctx); err != nil || !c.OK() {
		t.Fatalf("round %d: journal %+v %v", round, c, err)
	}
	return m
}

// writingMark is what a writer helper prints once it is about to write.
const writingMark = "kapok-helper: writing"

// writingNow tells killWhileWriting that the helper's writes begin: called
// by each writer helper just before its loop.
func writingNow() { fmt.Println(writingMark) }

// killWhileWriting runs the helper test name (a writer that loops until
// killed) on the mirror at path in a process of its own, and kills it with
// SIGKILL 0 to 250 ms after it began writing: somewhere in the middle of a
// write. The clock starts when the helper says so (writingNow), not when
// the process starts: on a loaded machine a race-built process can take
// longer than that to open the mirror, and a kill before the first write
// tests nothing.
func killWhileWriting(t *testing.T, rng *rand.Rand, name, env, path string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$")
	cmd.Env = append(os.Environ(), env+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	began := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		said := false
		for sc.Scan() {
			if !said && sc.Text() == writingMark {
				said = true
				began <- true
			}
		}
		if !said {
			began <- false // ended (failed) before writing
		}
	}()
	select {
	case ok := <-began:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("helper %s ended before it began writing", name)
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("helper %s did not begin writing within 2 minutes", name)
	}
	time.Sleep(time.Duration(rng.IntN(250)) * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}
