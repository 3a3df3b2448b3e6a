package syncer_test

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/internal/fixture"
)

const initerEnv = "KAPOK_SYNC_INITER"

// TestHelperSyncIniter is not a test: run with KAPOK_SYNC_INITER=path|dsn,
// it makes a new mirror at path from the upstream, to be killed on the way.
func TestHelperSyncIniter(t *testing.T) {
	arg := os.Getenv(initerEnv)
	if arg == "" {
		t.Skip("helper process only")
	}
	path, dsn, _ := strings.Cut(arg, "|")
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncer.Init(ctx, path, conn, time.Now); err != nil {
		t.Fatal(err)
	}
}

// A first mirror from the upstream killed (SIGKILL) at random moments: each
// time there is no mirror at the path, or a whole one (every grid, the
// journal whole); the next init after a kill makes it.
func TestSyncInitKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	src := fixture.City(t)
	conn := upstreamOf(t, src)
	dsn := conn.Config().ConnString()
	grids := fixture.Count(t, src, `SELECT count(*) FROM grids`)
	rng := rand.New(rand.NewPCG(4, 20))
	dir := t.TempDir()
	// How long a whole init takes here: the kills are spread over it.
	start := time.Now()
	whole := filepath.Join(dir, "whole.gpkg")
	if _, err := syncer.Init(ctx, whole, conn, time.Now); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	killed, made := 0, 0
	for round := range 12 {
		path := filepath.Join(dir, "console.gpkg")
		for try := 0; ; try++ {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSyncIniter$")
			cmd.Env = append(os.Environ(), initerEnv+"="+path+"|"+dsn)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if try == 0 { // the first try of a round is killed; the next is let finish
				time.Sleep(time.Duration(rng.Int64N(int64(took) + int64(200*time.Millisecond))))
				_ = cmd.Process.Signal(syscall.SIGKILL)
			}
			err := cmd.Wait()
			if try == 0 && err != nil {
				killed++
			}
			if _, serr := os.Stat(path); serr == nil {
				m, err := mirror.Open(path)
				if err != nil {
					t.Fatalf("round %d: a mirror at the path that does not open: %v", round, err)
				}
				if n := fixture.Count(t, m, `SELECT count(*) FROM grids`); n != grids {
					t.Fatalf("round %d: a mirror with %d of %d grids", round, n, grids)
				}
				if c, err := m.VerifyJournal(ctx); err != nil || !c.OK() {
					t.Fatalf("round %d: journal %+v %v", round, c, err)
				}
				if err := m.Close(); err != nil {
					t.Fatal(err)
				}
				made++
				break
			}
			if try > 0 {
				t.Fatalf("round %d: an init after a kill made no mirror: %v", round, err)
			}
		}
		if err := mirror.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
	if killed < 4 {
		t.Fatalf("only %d of 12 inits were killed mid-way", killed)
	}
	t.Logf("%d of 12 inits killed mid-way, %d mirrors made whole", killed, made)
}
