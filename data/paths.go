package data

import (
	"os"
	"path/filepath"
)

// DefaultMirrorPath is where Kapok keeps its mirror when none is named: the
// user's data directory ($XDG_DATA_HOME, else ~/.local/share), not a cache,
// since orders issued on it must survive.
func DefaultMirrorPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "kapok", "mirror.gpkg"), nil
}
