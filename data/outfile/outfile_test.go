package outfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"kapok/data"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "old.png")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "null")
	if err := os.Symlink(os.DevNull, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		code data.Code
	}{
		{filepath.Join(dir, "new.png"), ""},
		{file, ""},
		{os.DevNull, data.CodeOutputNotAFile},
		{fifo, data.CodeOutputNotAFile},
		{dir, data.CodeOutputNotAFile},
		{link, data.CodeOutputNotAFile},
	} {
		err := Check(c.path)
		var r *data.Refusal
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s: %v", c.path, err)
		case c.code != "" && (!errors.As(err, &r) || r.Code != c.code):
			t.Errorf("%s: %v, want %s", c.path, err, c.code)
		}
	}
}
