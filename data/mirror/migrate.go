package mirror

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"
	"time"

	"kapok/internal/migrations"

	"kapok/data/gpkg"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered schema step, in one transaction: a Go check
// that the data can take it (Before, optional), its SQL, then (for steps that
// move data in ways SQL cannot, such as hashing) a Go function.
type Migration struct {
	Version int
	Name    string
	Before  func(ctx context.Context, tx *sql.Tx) error
	SQL     string
	Go      func(ctx context.Context, tx *sql.Tx) error
}

// goSteps are the Go parts of migrations, and goChecks the checks run before
// their SQL, by version.
var (
	goSteps  = map[int]func(ctx context.Context, tx *sql.Tx) error{}
	goChecks = map[int]func(ctx context.Context, tx *sql.Tx) error{}
)

// Migrations lists the embedded migrations in order, each with its Go
// check and step.
func Migrations() ([]Migration, error) {
	files, err := migrations.List(migrationFS)
	if err != nil {
		return nil, err
	}
	out := make([]Migration, len(files))
	for i, f := range files {
		out[i] = Migration{Version: f.Version, Name: f.Name, Before: goChecks[f.Version], SQL: f.SQL, Go: goSteps[f.Version]}
	}
	return out, nil
}

// SchemaVersion is the number of the last migration applied.
func (m *Mirror) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := m.DB.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM kapok_schema`).Scan(&v)
	return v, err
}

// migrate applies the migrations not yet applied, up to version (-1 for all).
// GeoPackage reserves PRAGMA user_version for its own version, so Kapok's
// schema version is recorded in kapok_schema.
func (m *Mirror) migrate(ctx context.Context, version int) error {
	// One connection so the PRAGMAs and the migrations see the same state.
	conn, err := m.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS kapok_schema (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return err
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM kapok_schema`).Scan(&current); err != nil {
		return err
	}
	migs, err := Migrations()
	if err != nil {
		return err
	}
	if current > len(migs) {
		return fmt.Errorf("schema version %d is newer than this Kapok (%d): upgrade Kapok", current, len(migs))
	}
	if version < 0 || version > len(migs) {
		version = len(migs)
	}
	if current == 0 {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d; PRAGMA user_version = %d`,
			gpkg.ApplicationID, gpkg.UserVersion)); err != nil {
			return err
		}
	}
	for _, mg := range migs[min(current, version):version] {
		if err := applyMigration(ctx, conn, mg); err != nil {
			return fmt.Errorf("migration %s: %w", mg.Name, err)
		}
	}
	return nil
}

// fkOff marks a migration that rebuilds a table others refer to: SQLite's
// way is to turn foreign keys off for it (they cannot be turned off inside
// a transaction) and check them all before committing.
const fkOff = "-- kapok: foreign keys off"

func applyMigration(ctx context.Context, conn *sql.Conn, mg Migration) error {
	offFK := strings.HasPrefix(mg.SQL, fkOff)
	if offFK {
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer func() { _, _ = conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`) }()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	// Another process may have applied it since the version was read: the
	// write lock is held now, so look again.
	var done bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM kapok_schema WHERE version = ?)`, mg.Version).Scan(&done); err != nil {
		return err
	}
	if done {
		return nil
	}
	if mg.Before != nil {
		if err := mg.Before(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, mg.SQL); err != nil {
		return err
	}
	if mg.Go != nil {
		if err := mg.Go(ctx, tx); err != nil {
			return err
		}
	}
	if offFK {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO kapok_schema (version, name, applied_at) VALUES (?, ?, ?)`,
		mg.Version, mg.Name, gpkg.Time{Time: time.Now()}); err != nil {
		return err
	}
	return tx.Commit()
}

// foreignKeyCheck fails when any row refers to a row that is not there.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		return fmt.Errorf("foreign key check: a row of %s (rowid %d) refers to a missing row of %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}
