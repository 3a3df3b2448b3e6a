package citymap

import (
	"testing"

	"kapok/internal/fixture"
)

// TestMain removes the demo Guangzhou the benchmarks build, when they end.
func TestMain(m *testing.M) { fixture.Main(m) }
