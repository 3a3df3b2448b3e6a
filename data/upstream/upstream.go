// Package upstream is the city platform's store: a PostgreSQL 15 database
// with PostGIS 3 that every console's mirror syncs with. It holds the
// reference data (regions at each level, grids, centers, units) with
// geometry in WGS 84 and a change version per row, the journal of every
// console's operations in arrival order, and each console's journal head.
//
// The schema is numbered migrations embedded from migrations/*.sql, applied
// by Init in one transaction:
//
//	kapok_schema     version, name, applied_at: the migrations applied
//	cities, districts, streets, communities, grids   regions and grids, geom MultiPolygon 4326
//	centers, units   geom Point 4326
//	                 every reference row: version bigint, from the sequence
//	                 change_version, set by a trigger on insert and update
//	journal          arrival (identity: arrival order), entry (canonical JSON,
//	                 as hashed), entry_id UNIQUE and console read out of it,
//	                 console_seq, prev_hash, hash, received_at; append-only
//	console_heads    console, seq, hash, updated_at
//
// Load publishes reference data (a mirror's, read by the caller) into it:
// load.go.
package upstream

import (
	"context"
	"embed"
	"fmt"

	"kapok/internal/migrations"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered schema step.
type Migration = migrations.File

// Migrations lists the embedded migrations in order.
func Migrations() ([]Migration, error) { return migrations.List(migrationFS) }

// Beginner is what Init needs of a connection: a *pgx.Conn or a pgxpool.Pool.
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// initLock is the advisory lock key Init holds, so that two Inits at once
// apply each migration once.
const initLock = 0x6b61706f6b /* "kapok" */

// Init creates the upstream schema, or brings it up to date: PostGIS (which
// needs a superuser the first time), then the migrations not yet applied,
// all in one transaction, so an upstream is either as it was or up to date.
// It returns the schema version and the migrations it applied (none when
// already up to date).
func Init(ctx context.Context, db Beginner) (version int, applied []string, err error) {
	migs, err := Migrations()
	if err != nil {
		return 0, nil, err
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(initLock)); err != nil {
		return 0, nil, err
	}
	if _, err := tx.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS postgis`); err != nil {
		return 0, nil, fmt.Errorf("PostGIS: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS kapok_schema (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, nil, err
	}
	var current int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM kapok_schema`).Scan(&current); err != nil {
		return 0, nil, err
	}
	if current > len(migs) {
		return 0, nil, fmt.Errorf("upstream schema version %d is newer than this Kapok (%d): upgrade Kapok", current, len(migs))
	}
	for _, mg := range migs[current:] {
		// No arguments: the simple protocol, which takes many statements.
		if _, err := tx.Exec(ctx, mg.SQL); err != nil {
			return 0, nil, fmt.Errorf("migration %s: %w", mg.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO kapok_schema (version, name) VALUES ($1, $2)`, mg.Version, mg.Name); err != nil {
			return 0, nil, err
		}
		applied = append(applied, mg.Name)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, nil, err
	}
	return len(migs), applied, nil
}
