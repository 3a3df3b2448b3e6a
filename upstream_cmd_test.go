package main

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"kapok/internal/pgtest"
)

// kapok upstream init on a real PostgreSQL: the schema applied, then up to
// date; misuses and an unreachable upstream refused.
func TestUpstreamInitCommand(t *testing.T) {
	dsn := pgtest.Start(t)
	code, out, errOut := cli(t, "upstream", "init", "--dsn", dsn)
	if code != 0 || out != "upstream schema at version 2: applied 0001_reference.sql, 0002_journal.sql\n" || errOut != "" {
		t.Fatalf("first init: %d %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, "upstream", "init", "--dsn", dsn)
	if code != 0 || out != "upstream schema at version 2: up to date\n" || errOut != "" {
		t.Fatalf("second init: %d %q %q", code, out, errOut)
	}
	for _, args := range [][]string{
		{"upstream"}, {"upstream", "load"}, {"upstream", "init"}, {"upstream", "init", "--dsn", dsn, "extra"},
		{"upstream", "init", "--dsn", "postgres://a b:c@"},
	} {
		if code, _, errOut := cli(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: %d %q, want a misuse", args, code, errOut)
		}
	}
	if code, out, _ := cli(t, "upstream", "init", "--help"); code != 0 || !strings.Contains(out, "--dsn") {
		t.Errorf("--help: %d %q", code, out)
	}
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = cli(t, "upstream", "init", "--dsn", "postgres://postgres@127.0.0.1:"+port+"/x?connect_timeout=2")
	if code != 1 || !strings.Contains(errOut, "kapok upstream: the upstream:") {
		t.Errorf("an upstream that is not there: %d %q", code, errOut)
	}
}
