// Package pgtest starts a throwaway PostgreSQL 15 with PostGIS 3 for tests:
// initdb into a temporary folder, the server listening on 127.0.0.1 at a
// free port (and on a Unix socket in that folder), stopped afterwards. It
// never uses a server someone started by hand.
//
// Starting a cluster with PostGIS in its template takes about a second
// (initdb most of it), a database copied from the template 0.07 s. So a test process shares one cluster when its TestMain calls
// Main, and each test still gets a database of its own; without Main every
// Start starts a cluster of its own, stopped when its test ends.
//
// The binaries are Debian's (postgresql-15, postgresql-15-postgis-3, which
// make test installs). PostgreSQL refuses to run as root: as root, the
// cluster is made and run as the postgres user, which owns its folder.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BinDir holds Debian's PostgreSQL 15 server binaries.
const BinDir = "/usr/lib/postgresql/15/bin"

// postgisControl is there once postgresql-15-postgis-3 is installed.
const postgisControl = "/usr/share/postgresql/15/extension/postgis.control"

// template is the database, PostGIS created in it, that tests' databases copy.
const template = "kapok_template"

// Cluster is one running PostgreSQL server in its own folder.
type Cluster struct {
	Dir  string // the folder: data/, the log, the socket
	Port int    // on 127.0.0.1
	user string // the OS user the server runs as ("" for this process's)
	n    atomic.Int64
}

// DSN is the connection string of database db as the superuser postgres.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

var (
	shared     bool // Main was called: Start uses the one cluster below
	sharedOnce sync.Once
	sharedC    *Cluster
	sharedErr  error
)

// Start gives the test a new empty database with PostGIS in a throwaway
// cluster and returns its DSN; the database (and a cluster of its own when
// the package's TestMain does not call Main) goes when the test ends.
func Start(t testing.TB) string {
	t.Helper()
	var c *Cluster
	if shared {
		sharedOnce.Do(func() { sharedC, sharedErr = NewCluster() })
		if sharedErr != nil {
			t.Fatal(sharedErr)
		}
		c = sharedC
	} else {
		var err error
		if c, err = NewCluster(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := c.Stop(); err != nil {
				t.Error(err)
			}
		})
	}
	db, err := c.CreateDB(context.Background(), t.Name())
	if err != nil {
		t.Fatal(err)
	}
	if shared {
		t.Cleanup(func() {
			if err := c.exec(context.Background(), "postgres", `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`); err != nil {
				t.Error(err)
			}
		})
	}
	return c.DSN(db)
}

// Main runs a package's tests with one cluster shared by them all, started
// on first use and stopped at the end: for TestMain.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit: it returns the tests' exit code, for a
// TestMain that has more to clean up afterwards (fixture.Cleanup).
func Run(m *testing.M) int {
	shared = true
	code := m.Run()
	if sharedC != nil {
		if err := sharedC.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			code = max(code, 1)
		}
	}
	return code
}

// Missing says what is not installed for a cluster, or "" when all is.
func Missing() string {
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(BinDir, b)); err != nil {
			return fmt.Sprintf("PostgreSQL 15 is not installed (no %s): apt-get install postgresql-15 postgresql-15-postgis-3, or run make test, which does", filepath.Join(BinDir, b))
		}
	}
	if _, err := os.Stat(postgisControl); err != nil {
		return fmt.Sprintf("PostGIS 3 for PostgreSQL 15 is not installed (no %s): apt-get install postgresql-15-postgis-3, or run make test, which does", postgisControl)
	}
	return ""
}

// NewCluster makes and starts a cluster in a new temporary folder, with a
// template database holding PostGIS. Stop stops it and removes the folder.
func NewCluster() (*Cluster, error) {
	if m := Missing(); m != "" {
		return nil, errors.New("pgtest: " + m)
	}
	dir, err := os.MkdirTemp("", "kapok-pg")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir}
	if os.Geteuid() == 0 {
		c.user = "postgres"
		u, err := user.Lookup(c.user)
		if err != nil {
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: PostgreSQL refuses to run as root and there is no postgres user to run it as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	if err := c.start(); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start() error {
	data := filepath.Join(c.Dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		return fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	// The port is free when asked; another process may take it before the
	// server does, so try again on another.
	var err error
	for range 5 {
		if c.Port, err = freePort(); err != nil {
			return err
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off", c.Port, c.Dir)
		var out []byte
		if out, err = c.run("pg_ctl", "-D", data, "-l", filepath.Join(c.Dir, "log"), "-o", opts, "-w", "-s", "start"); err == nil {
			break
		}
		logTail, _ := os.ReadFile(filepath.Join(c.Dir, "log"))
		err = fmt.Errorf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, logTail)
	}
	if err != nil {
		return err
	}
	ctx := context.Background()
	if err := c.exec(ctx, "postgres", `CREATE DATABASE `+template); err != nil {
		return err
	}
	return c.exec(ctx, template, `CREATE EXTENSION postgis`)
}

// run runs one of the server's binaries as the cluster's user.
func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	bin := filepath.Join(BinDir, name)
	var cmd *exec.Cmd
	if c.user != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.user, "--", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Dir = c.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	return port, l.Close()
}

// exec runs statements in database db.
func (c *Cluster) exec(ctx context.Context, db, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DSN(db))
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

var notName = regexp.MustCompile(`[^a-z0-9_]+`)

// CreateDB creates a new database with PostGIS, named after hint, and
// returns its name.
func (c *Cluster) CreateDB(ctx context.Context, hint string) (string, error) {
	name := strings.Trim(notName.ReplaceAllString(strings.ToLower(hint), "_"), "_")
	name = fmt.Sprintf("t%d_%s", c.n.Add(1), name)
	if len(name) > 63 {
		name = name[:63]
	}
	return name, c.exec(ctx, "postgres", `CREATE DATABASE `+name+` TEMPLATE `+template)
}

// Stop stops the server (fast: sessions are cut) and removes its folder.
func (c *Cluster) Stop() error {
	var err error
	data := filepath.Join(c.Dir, "data")
	if _, serr := os.Stat(filepath.Join(data, "postmaster.pid")); serr == nil {
		if out, rerr := c.run("pg_ctl", "-D", data, "-m", "fast", "-w", "-s", "stop"); rerr != nil {
			err = fmt.Errorf("pgtest: pg_ctl stop: %v\n%s", rerr, out)
		}
	}
	if rerr := os.RemoveAll(c.Dir); rerr != nil && err == nil {
		err = rerr
	}
	return err
}
