package main

import (
	"fmt"
	"io"

	"kapok/internal/buildinfo"
)

// versionCmd prints which Kapok this is: version, commit and build date,
// as set by the Makefile at link time (else "devel" and the toolchain's VCS
// stamp).
func versionCmd(args []string, out io.Writer) error {
	fs := flags("version", "version", out)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("version takes no arguments")
	}
	_, err := fmt.Fprintln(out, buildinfo.Read())
	return err
}
