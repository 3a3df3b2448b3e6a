package mirror_test

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

const watchWriterEnv = "KAPOK_WATCH_WRITER"

// TestHelperWatchWriter is not a test: run with KAPOK_WATCH_WRITER=path,
// it feeds one value into that mirror and exits.
func TestHelperWatchWriter(t *testing.T) {
	path := os.Getenv(watchWriterEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	if _, err := m.Feed(ctx, "other process", []data.Reading{reading(aqi, feedStreet, fixture.AsOf, 42)}, "operator", fixture.AsOf); err != nil {
		t.Fatal(err)
	}
}

// A write by another process is seen at the next poll, and reading does
// not count as a change.
func TestWatcherSeesAnotherProcess(t *testing.T) {
	path := fixture.CityPath(t)
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m.Close() }()
	w, err := m.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = w.Close() }()
	if _, err := m.IndicatorDefs(ctx); err != nil {
		t.Fatal(err)
	}
	if changed, err := w.Changed(ctx); err != nil || changed {
		t.Fatalf("nothing written: changed %v, %v", changed, err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWatchWriter$")
	cmd.Env = append(os.Environ(), watchWriterEnv+"="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writer: %v\n%s", err, out)
	}
	start := time.Now()
	changed, err := w.Changed(ctx)
	if err != nil || !changed {
		t.Fatalf("after another process fed a value: changed %v, %v", changed, err)
	}
	if time.Since(start) > 100*time.Millisecond {
		t.Fatalf("a poll took %v", time.Since(start))
	}
	if changed, err := w.Changed(ctx); err != nil || changed {
		t.Fatalf("polled again: changed %v, %v", changed, err)
	}
	// This process's own write (through another connection of the pool) is
	// a change too.
	if _, err := m.AckAlert(ctx, "ffffffff", "operator", fixture.AsOf); err == nil {
		t.Fatal("acknowledged an unknown alert")
	}
	if _, err := m.Feed(ctx, "own", []data.Reading{reading(aqi, feedStreet, fixture.AsOf.Add(-time.Minute), 43)}, "operator", fixture.AsOf); err != nil {
		t.Fatal(err)
	}
	if changed, err := w.Changed(ctx); err != nil || !changed {
		t.Fatalf("after this process's feed: changed %v, %v", changed, err)
	}
}
