package pgtest

import (
	"context"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// No TestMain calling Main here: every Start starts a cluster of its own.

func TestStartGivesPostGIS(t *testing.T) {
	began := time.Now()
	dsn := Start(t)
	t.Logf("cluster and database in %v", time.Since(began))
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	var version, postgis string
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version'), postgis_lib_version()`).Scan(&version, &postgis); err != nil {
		t.Fatal(err)
	}
	if version[:3] != "15." || postgis[:2] != "3." {
		t.Errorf("PostgreSQL %s with PostGIS %s, want 15 and 3", version, postgis)
	}
	var wkt string
	if err := conn.QueryRow(ctx, `SELECT ST_AsText(ST_SetSRID(ST_MakePoint(113.26, 23.13), 4326))`).Scan(&wkt); err != nil || wkt != "POINT(113.26 23.13)" {
		t.Errorf("a point: %q, %v", wkt, err)
	}
}

func TestClusterDatabasesApartAndStopped(t *testing.T) {
	c, err := NewCluster()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := c.CreateDB(ctx, "Test/A b")
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.CreateDB(ctx, "Test/A b")
	if err != nil {
		t.Fatal(err)
	}
	if a == b || a != "t1_test_a_b" {
		t.Errorf("databases %q and %q", a, b)
	}
	if err := c.exec(ctx, a, `CREATE TABLE only_in_a (x int)`); err != nil {
		t.Fatal(err)
	}
	if err := c.exec(ctx, b, `SELECT * FROM only_in_a`); err == nil {
		t.Error("a table of one database seen in the other")
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.Dir); !os.IsNotExist(err) {
		t.Errorf("the cluster's folder is still there: %v", err)
	}
	if conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)), time.Second); err == nil {
		_ = conn.Close()
		t.Error("the server still listens after Stop")
	}
}
