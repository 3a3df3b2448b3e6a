// Package data holds Kapok's domain types and the mirror: one SQLite file
// that is also an OGC GeoPackage, so GDAL and QGIS open it as it is.
package data

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// driverName is go-sqlite3 with the GeoPackage SQL functions the R-tree
// triggers call registered on every connection.
const driverName = "kapok_sqlite3"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: registerGeoPackageFuncs})
}

// GeoPackage header values (spec 1.2, requirements 2 and 2a). GeoPackage owns
// PRAGMA user_version, so Kapok's own schema version lives in kapok_schema.
const (
	gpkgApplicationID = 0x47504B47 // "GPKG"
	gpkgUserVersion   = 10200      // GeoPackage 1.2.0
)

// Mirror is an open mirror file.
type Mirror struct {
	DB   *sql.DB
	Path string
}

// Open opens (creating if needed) the mirror at path and brings its schema up
// to date. Every connection has foreign keys on and the file is in WAL mode.
func Open(path string) (*Mirror, error) {
	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	db, err := sql.Open(driverName, sqliteURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("open mirror %s: %w", path, err)
	}
	m := &Mirror{DB: db, Path: path}
	if err := m.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("mirror %s: %w", path, err)
	}
	return m, nil
}

// sqliteURI is a file: URI for path, escaped so that any file name works.
func sqliteURI(path string, q url.Values) string {
	return "file:" + url.PathEscape(path) + "?" + q.Encode()
}

// Close closes the mirror.
func (m *Mirror) Close() error { return m.DB.Close() }

// Migration is one numbered schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations in order.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Migration
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want number %04d", base, i+1)
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: base, SQL: string(body)})
	}
	return out, nil
}

// SchemaVersion is the number of the last migration applied.
func (m *Mirror) SchemaVersion() (int, error) {
	var v int
	err := m.DB.QueryRow(`SELECT coalesce(max(version), 0) FROM kapok_schema`).Scan(&v)
	return v, err
}

func (m *Mirror) migrate() error {
	ctx := context.Background()
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
	if current == 0 {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d; PRAGMA user_version = %d`,
			gpkgApplicationID, gpkgUserVersion)); err != nil {
			return err
		}
	}
	for _, mg := range migs[current:] {
		if err := applyMigration(ctx, conn, mg); err != nil {
			return fmt.Errorf("migration %s: %w", mg.Name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, conn *sql.Conn, mg Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, mg.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO kapok_schema (version, name, applied_at) VALUES (?, ?, ?)`,
		mg.Version, mg.Name, FormatTime(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// FormatTime is the one text form of a time in the mirror: RFC 3339 UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ParseTime reads a time written by FormatTime (or any RFC 3339 time).
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }

// InTx runs fn in one transaction: all of it lands or none of it.
func (m *Mirror) InTx(fn func(tx *sql.Tx) error) error {
	tx, err := m.DB.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Audit appends one audit entry inside tx.
func Audit(tx *sql.Tx, at time.Time, userID int64, action, entity, key, detail string) error {
	_, err := tx.Exec(`INSERT INTO audit_log (at, user_id, action, entity, entity_key, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		FormatTime(at), userID, action, entity, key, detail)
	return err
}

// SystemUser is the id of the built-in user that imports and demo builds act as.
const SystemUser int64 = 1
