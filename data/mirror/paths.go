package mirror

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultPath is where Kapok keeps its mirror when none is named: the
// user's data directory ($XDG_DATA_HOME, else ~/.local/share), not a cache,
// since orders issued on it must survive.
func DefaultPath() (string, error) {
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

// PrepareDir makes the folder a mirror file is to be created in: its own
// folder readable by its owner only (0700), its parents as usual.
func PrepareDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}
