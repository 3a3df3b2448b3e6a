package sign

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// FormatError is a signature or key file that cannot be read as one: the
// file, the line (1 is the first; 0: the file as a whole) and what is wrong.
type FormatError struct {
	File    string
	Line    int
	Problem string
}

func (e *FormatError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Problem)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Problem)
}

func formatErr(file string, line int, format string, a ...any) error {
	return &FormatError{File: file, Line: line, Problem: fmt.Sprintf(format, a...)}
}

// writeTemp writes b to a new temporary file in dir, synced, and returns
// its name: the caller moves it into place (rename or link), so a reader
// never sees a file half written, even after a crash.
func writeTemp(dir, base string, b []byte) (string, error) {
	// CreateTemp makes the file 0600, the mode of every file this package
	// writes: keys and signatures are personal data, as the briefings are.
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return "", err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// replaceFile writes b to path through a temporary file renamed over it.
func replaceFile(path string, b []byte) error {
	tmp, err := writeTemp(filepath.Dir(path), filepath.Base(path), b)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// readSmall reads a file that must hold at most limit bytes: the files
// this package reads are a line or a few, and a large one is not one of
// them (nor read whole into memory to find that out).
func readSmall(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only: closing says nothing the read did not
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, formatErr(path, 0, "more than %d bytes: not a %s", limit, what)
	}
	return b, nil
}

// notExist says whether err is a file that is not there.
func notExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
