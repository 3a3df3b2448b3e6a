// Package buildinfo says which Kapok this is: its version, the commit it was
// built from and when. The Makefile sets the three variables at link time
// (-ldflags -X); a plain `go build` falls back on what the Go toolchain
// recorded of the version control state (debug.ReadBuildInfo).
package buildinfo

import (
	"runtime/debug"
	"strings"
	"time"
)

// Set at link time: -X kapok/internal/buildinfo.version=… (and commit, date).
var (
	version = ""
	commit  = ""
	date    = ""
)

// Info is the build's identity.
type Info struct {
	Version string // e.g. 0.17.0, or "devel" when not set at build time
	Commit  string // the full commit hash, with "-dirty" when built from a modified tree; "" when unknown
	Date    string // RFC 3339 (UTC); "" when unknown
}

// Read returns the build's identity.
func Read() Info {
	in := Info{Version: version, Commit: commit, Date: date}
	if bi, ok := debug.ReadBuildInfo(); ok {
		var dirty bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.time":
				if in.Date == "" {
					in.Date = s.Value
				}
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if dirty && commit == "" && in.Commit != "" && !strings.HasSuffix(in.Commit, "-dirty") {
			in.Commit += "-dirty"
		}
	}
	if in.Version == "" {
		in.Version = "devel"
	}
	if t, err := time.Parse(time.RFC3339, in.Date); err == nil {
		in.Date = t.UTC().Format(time.RFC3339)
	}
	return in
}

// ShortCommit is the commit's first 12 characters (and "-dirty").
func (i Info) ShortCommit() string {
	c, dirty := strings.CutSuffix(i.Commit, "-dirty")
	if len(c) > 12 {
		c = c[:12]
	}
	if dirty {
		c += "-dirty"
	}
	return c
}

// String is the one line `kapok version` prints.
func (i Info) String() string {
	s := "kapok " + i.Version
	if i.Commit != "" {
		s += " (" + i.ShortCommit() + ")"
	}
	if i.Date != "" {
		s += " built " + i.Date
	}
	return s
}
