package mirror

import (
	"os"
	"path/filepath"
)

// OpenAt opens a mirror with migrations applied up to version only, to build
// mirrors as older Kapoks left them.
var OpenAt = openAt

// StoredTime is a column migration 4 rewrites.
type StoredTime struct{ Table, Column string }

// StoredTimes lists the columns migration 4 rewrites.
func StoredTimes() []StoredTime {
	var out []StoredTime
	for _, c := range storedTimes {
		out = append(out, StoredTime{c.table, c.column})
	}
	return out
}

// RemoveBenchFiles removes the million-entry journal the benchmarks built.
func RemoveBenchFiles() {
	if millionPath != "" {
		_ = os.RemoveAll(filepath.Dir(millionPath))
	}
}
