package syncer_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/internal/fixture"
)

// A console keeps working while it syncs: orders issued all along (a
// change made while sync has the pending ones taken back is refused with
// sync_in_progress and made again, as the console says to), syncs one
// after another, and a second sync of the same mirror at once refused.
// Every order issued ends on both consoles.
func TestSyncWhileWorking(t *testing.T) {
	path := fixture.CityPath(t)
	b, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	a := fixture.City(t)
	conn := upstreamOf(t, a)
	other := upstreamConn(t, conn) // a second connection, for the second sync
	syncOnce(t, b, conn)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var issued []string
	var retried int
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 600; i++ {
			select {
			case <-stop:
				return
			case <-time.After(3 * time.Millisecond): // a busy operator, not a loop
			}
			at := t0.Add(time.Duration(i) * time.Second)
			o, err := b.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: at, End: at.Add(time.Hour), Targets: []string{grid}, Actor: "commander"}, at)
			var f *data.Refusal
			switch {
			case errors.As(err, &f) && f.Code == data.CodeSyncInProgress:
				retried++
			case err != nil:
				t.Error(err)
				return
			default:
				issued = append(issued, o.UID)
			}
		}
	}()
	busy := 0
	for round := range 12 {
		issue(t, a, "a 的指令", t0.Add(time.Duration(round)*time.Minute))
		if _, err := syncer.Run(ctx, a, conn, time.Now); err != nil {
			t.Fatal(err)
		}
		// b synced by two "processes" at once: one runs, one is refused.
		b2, err := mirror.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		go func() { _, err := syncer.Run(ctx, b, conn, time.Now); errs <- err }()
		go func() { _, err := syncer.Run(ctx, b2, other, time.Now); errs <- err }()
		for range 2 {
			err := <-errs
			var f *data.Refusal
			switch {
			case errors.As(err, &f) && f.Code == data.CodeSyncBusy:
				busy++
			case err != nil:
				t.Fatal(err)
			}
		}
		_ = b2.Close()
	}
	close(stop)
	wg.Wait()
	for range 2 {
		syncOnce(t, b, conn)
		syncOnce(t, a, conn)
	}
	sameState(t, "after working while syncing", a, b)
	for _, uid := range issued {
		if n := fixture.Count(t, a, `SELECT count(*) FROM orders WHERE uid = ?`, uid); n != 1 {
			t.Fatalf("order %s issued at b: %d on a", uid, n)
		}
	}
	if busy == 0 {
		t.Error("no second sync was ever refused as busy")
	}
	t.Logf("%d orders issued at b while syncing, %d refused while sync had them taken back, %d second syncs refused", len(issued), retried, busy)
}

// upstreamConn is another connection to the database conn is connected to.
func upstreamConn(t *testing.T, conn *pgx.Conn) *pgx.Conn {
	t.Helper()
	c, err := pgx.ConnectConfig(ctx, conn.Config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}
