package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"kapok/internal/fixture"
)

// An output that is not a regular file (here a named pipe, as /dev/null is
// a device) is refused before any work and left as it was: written through
// a temporary file renamed into place, it would have been replaced by a
// regular file.
func TestOutputsRefuseWhatIsNotAFile(t *testing.T) {
	path := fixture.CityPath(t)
	pipe := filepath.Join(t.TempDir(), "out.png")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"render", "--mirror", path, "--out", pipe, "--size", "64x64"},
		{"export", "--mirror", path, "--layer", "grids", "--format", "geojson", "--out", pipe},
		{"export", "--mirror", path, "--layer", "grids", "--format", "gpkg", "--out", pipe},
		{"demo", "--out", pipe},
	} {
		code, _, errOut := cli(t, args...)
		if code == 0 || !strings.Contains(errOut, pipe) {
			t.Errorf("%s: status %d, %q", args[0], code, errOut)
		}
		if st, err := os.Lstat(pipe); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("%s: the pipe is now %v %v", args[0], st.Mode(), err)
		}
	}
}
