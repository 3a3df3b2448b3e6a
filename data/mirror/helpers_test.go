package mirror_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kapok/data/mirror"
	"kapok/internal/fixture"
)

var ctx = context.Background()

// emptyMirror opens a new mirror with the schema and nothing else.
func emptyMirror(t testing.TB) *mirror.Mirror {
	t.Helper()
	m, err := mirror.Open(filepath.Join(t.TempDir(), "m.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

func count(t testing.TB, m *mirror.Mirror, query string, args ...any) int64 {
	t.Helper()
	return fixture.Count(t, m, query, args...)
}

func mustExec(t testing.TB, m *mirror.Mirror, q string, args ...any) {
	t.Helper()
	if _, err := m.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	mirror.RemoveBenchFiles()
	fixture.Cleanup()
	os.Exit(code)
}
