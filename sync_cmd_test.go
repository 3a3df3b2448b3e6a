package main

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

// Two consoles and an upstream from the command line: init, load, each
// console's change synced to the other, status and conflicts; an
// unreachable upstream said offline, nothing lost.
func TestSyncCommand(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Start(t)
	a, b := fixture.CityPath(t), fixture.CityPath(t)
	for _, args := range [][]string{{"upstream", "init", "--dsn", dsn}, {"upstream", "load", "--dsn", dsn, "--mirror", a}} {
		if code, _, errOut := cli(t, args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
	}
	// b takes the upstream's users first (a's: the two builds hashed the
	// demo password with their own salts), which it pushes with its next sync.
	if code, _, errOut := cli(t, "sync", "--mirror", b, "--upstream", dsn); code != 0 {
		t.Fatalf("first sync b: %d %s", code, errOut)
	}
	at := fixture.AsOf.Add(time.Hour)
	ma, err := mirror.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	o, err := ma.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: at, End: at.Add(time.Hour), Targets: []string{"990101001001001"}, Actor: "commander"}, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := ma.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "sync", "--mirror", a, "--upstream", dsn)
	if code != 0 || !strings.Contains(out, "synced in") {
		t.Fatalf("sync a: %d %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, "sync", "--mirror", b, "--upstream", dsn)
	if code != 0 || !strings.Contains(out, "applied 1,") {
		t.Fatalf("sync b: %d %q %q", code, out, errOut)
	}
	mb, err := mirror.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = mb.Close() }()
	orders, err := mb.Orders(ctx)
	if err != nil || len(orders) != 1 || orders[0].UID != o.UID {
		t.Fatalf("b's orders: %+v %v", orders, err)
	}
	code, out, _ = cli(t, "sync", "status", "--mirror", b)
	if code != 0 || !strings.Contains(out, "waiting to push: 0") || !strings.Contains(out, "state: online") {
		t.Fatalf("status: %d %q", code, out)
	}
	// The upstream down: b keeps working; sync says why; nothing is lost.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "postgres://postgres@127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port) + "/none?connect_timeout=2"
	_ = l.Close()
	if _, err := mb.MoveOrder(ctx, o.UID, data.OrderAcknowledged, "commander", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "sync", "--mirror", b, "--upstream", down); code != 1 || !strings.Contains(errOut, "upstream") {
		t.Fatalf("sync against nobody: %d %q", code, errOut)
	}
	code, out, _ = cli(t, "sync", "status", "--mirror", b)
	if code != 0 || !strings.Contains(out, "the last attempt failed") || !strings.Contains(out, "waiting to push: 1") {
		t.Fatalf("status offline: %d %q", code, out)
	}
	if code, out, _ := cli(t, "sync", "--mirror", b, "--upstream", dsn); code != 0 || !strings.Contains(out, "pushed 1,") {
		t.Fatalf("sync b again: %d %q", code, out)
	}
	if code, out, _ := cli(t, "sync", "conflicts", "--mirror", b); code != 0 || out != "no conflicts\n" {
		t.Fatalf("conflicts: %d %q", code, out)
	}
	for _, args := range [][]string{{"sync"}, {"sync", "--mirror", b}, {"sync", "--upstream", dsn}} {
		if code, _, _ := cli(t, args...); code != 2 {
			t.Errorf("%v: %d, want a misuse", args, code)
		}
	}
}
