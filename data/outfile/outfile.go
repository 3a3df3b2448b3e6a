// Package outfile checks where Kapok is asked to write a file. Kapok writes
// its outputs (a rendered map, an export, a demo mirror, a briefing)
// through a temporary file renamed into place, so that a reader never sees
// half a file. Renamed onto a path that is not a regular file, that would
// replace it: `--out /dev/null` would leave a regular file where the null
// device was (as root, on a shared machine, it did). Such a path is refused.
package outfile

import (
	"errors"
	"io/fs"
	"os"

	"kapok/data"
)

// Check refuses an output path that exists and is not a regular file (a
// device, a named pipe, a socket, a folder), before any work is done; a
// symbolic link is judged by what it points to. A path not there yet, or
// a regular file to be replaced, passes.
func Check(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return data.Refuse(data.CodeOutputNotWritable, "out", data.Value("path", path), data.Value("reason", err.Error()))
	case !st.Mode().IsRegular():
		return data.Refuse(data.CodeOutputNotAFile, "out", data.Value("path", path))
	}
	return nil
}
