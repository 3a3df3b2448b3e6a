package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"kapok/data"
	"kapok/data/upstream"
)

// The upstream subcommands: the city platform's PostgreSQL/PostGIS store
// (data/upstream). init creates its schema or brings it up to date; load
// publishes a mirror's reference data into it.

func upstreamCmd(args []string, out io.Writer) error {
	sub, err := subcommand("upstream", args, []string{"init", "load"}, out)
	if err != nil {
		return err
	}
	if sub == "load" {
		return upstreamLoadCmd(args[1:], out)
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
	return withUpstream(*dsn, 5*time.Minute, func(ctx context.Context, conn *pgx.Conn) error {
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
	})
}

func upstreamLoadCmd(args []string, out io.Writer) error {
	fs := flags("upstream load", "upstream load --dsn DSN --mirror FILE\n\n"+
		"Publishes the mirror's reference data (cities, districts, streets, communities, grids, centers, units, users) into\n"+
		"the upstream `upstream init` created, in one transaction: rows are upserted by code, and only those that differ\n"+
		"are written (and get a new version); again, it changes nothing. The first time, in the same transaction, also\n"+
		"the base every console made with `sync --init` starts from: the mirror's cases and their histories, responders,\n"+
		"grid workers, cameras, checkpoints, patrol routes, duty rosters, rosters, leave, district rules, indicator values\n"+
		"and readings, the Red Cotton index. Once a base is there or a console has pushed, the base is kept as it is\n"+
		"(the consoles' changes are built on it). Prints what it published, added, updated and left.", out)
	dsn := fs.String("dsn", "", "the upstream database: postgres://USER@HOST:PORT/DB or \"host=… dbname=…\" (required)")
	path := mirrorFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dsn == "" || fs.NArg() > 0 {
		return misuse("--dsn is required")
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	return withUpstream(*dsn, 10*time.Minute, func(ctx context.Context, conn *pgx.Conn) error {
		start := time.Now()
		// A base from a mirror with shared changes of its own would hold
		// them, and the mirrors made from it would replay them again.
		shared, err := m.SharedEntries(ctx)
		if err != nil {
			return err
		}
		base := func(ctx context.Context, table string) (upstream.BaseRows, error) { return m.ReadBase(ctx, table) }
		if shared > 0 {
			base = nil
		}
		counts, res, err := upstream.LoadWithBase(ctx, conn, func(ctx context.Context, t upstream.Table) ([][]any, error) {
			return m.ReferenceRows(ctx, t.Name, t.Columns)
		}, base)
		if err != nil {
			return fmt.Errorf("the upstream: %w", err)
		}
		said := upstream.BaseSummary(res)
		if shared > 0 {
			said = fmt.Sprintf("base: not published: the mirror holds %d shared changes of its own (orders, case steps, rosters…), "+
				"which the consoles made from it would apply twice; publish it from a mirror without any (kapok demo makes one)\n", shared)
		}
		_, err = io.WriteString(out, said+upstream.Summary(counts, time.Since(start)))
		return err
	})
}

// withUpstream connects to the upstream DSN names and runs f with a context
// that gives up after timeout, closing the connection afterwards.
func withUpstream(dsn string, timeout time.Duration, f func(context.Context, *pgx.Conn) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := connectUpstream(ctx, dsn)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	return f(ctx, conn)
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
		// Said in the user's language; pgx's words (which address, what
		// the server answered) follow as they are.
		return nil, data.Refuse(data.CodeUpstreamUnreachable, "", data.Value("why", err.Error()))
	}
	return conn, nil
}
