package app

import (
	"os"
	"testing"

	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

// TestMain runs the tests with one throwaway PostgreSQL for the sync's
// upstreams (started only if a test asks), then removes the demo Guangzhou
// the benchmarks build.
func TestMain(m *testing.M) {
	code := pgtest.Run(m)
	fixture.Cleanup()
	os.Exit(code)
}
