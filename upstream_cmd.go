package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"kapok/data/upstream"
)

// The upstream subcommands: the city platform's PostgreSQL/PostGIS store
// (data/upstream). init creates its schema or brings it up to date.

func upstreamCmd(args []string, out io.Writer) error {
	if _, err := subcommand("upstream", args, []string{"init"}, out); err != nil {
		return err
	}
	fs := flags("upstream init", "upstream init --dsn DSN\n\n"+
		"Creates the upstream's schema in the PostgreSQL database DSN names (PostGIS 3 installed there; creating the\n"+
		"extension the first time takes a superuser), or brings it up to date, in one transaction; again, it changes nothing.\n"+
		"A password belongs in $PGPASSWORD or ~/.pgpass, not in the DSN, which others can read on the command line.", out)
	dsn := fs.String("dsn", "", "the upstream database: postgres://USER@HOST:PORT/DB or \"host=… dbname=…\" (required)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *dsn == "" || fs.NArg() > 0 {
		return misuse("--dsn is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := connectUpstream(ctx, *dsn)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	version, applied, err := upstream.Init(ctx, conn)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		_, err = fmt.Fprintf(out, "upstream schema at version %d: up to date\n", version)
	} else {
		_, err = fmt.Fprintf(out, "upstream schema at version %d: applied %s\n", version, strings.Join(applied, ", "))
	}
	return err
}

// connectUpstream connects to the upstream DSN names, giving up after 10
// seconds (unless the DSN says otherwise); a DSN that cannot be parsed is a
// misuse.
func connectUpstream(ctx context.Context, dsn string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, misuse("--dsn: %v", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("the upstream: %w", err)
	}
	return conn, nil
}
