package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	"kapok/data"
	"kapok/data/gpkg"

	"github.com/mattn/go-sqlite3"
)

// Mirror is an open mirror file.
type Mirror struct {
	DB   *sql.DB
	Path string

	rank    rankerCache  // for Recommend
	counts  countCache   // for StatusBoard
	routes  routeCache   // for rosters
	archive archiveCache // for evaluating indicators
}

// The services the mirror provides.
var (
	_ data.OrderService   = (*Mirror)(nil)
	_ data.UserService    = (*Mirror)(nil)
	_ data.StatusService  = (*Mirror)(nil)
	_ data.MapService     = (*Mirror)(nil)
	_ data.JournalService = (*Mirror)(nil)
	_ data.CaseService    = (*Mirror)(nil)
)

// FileMode is the mode of a mirror file and of its -wal and -shm (SQLite
// gives those the database file's mode): the mirror holds people's names
// and phone numbers, so only its owner reads it.
const FileMode fs.FileMode = 0o600

// Open opens (creating if needed) the mirror at path and brings its schema up
// to date. Every connection has foreign keys on and the file is in WAL mode.
func Open(path string) (*Mirror, error) {
	return openAt(path, -1)
}

// OpenExisting opens a mirror that must already exist (Open would create
// one); a missing file is refused.
func OpenExisting(path string) (*Mirror, error) {
	if path == "" {
		return nil, errors.New("no mirror file given")
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, data.Refuse(data.CodeMirrorMissing, "mirror", data.Value("path", path))
	} else if err != nil {
		return nil, fmt.Errorf("mirror %s: %w", path, err)
	}
	return Open(path)
}

// openAt opens the mirror with migrations applied up to version (-1 for all).
func openAt(path string, version int) (*Mirror, error) {
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open mirror %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	// Statements prepared once per connection: a journal append runs four,
	// and preparing them each time was most of its cost.
	q.Set("_stmt_cache_size", "64")
	db, err := sql.Open(gpkg.DriverName, gpkg.URI(path, q))
	if err != nil {
		return nil, fmt.Errorf("open mirror %s: %w", path, err)
	}
	m := &Mirror{DB: db, Path: path}
	m.archive.db = db
	if err := m.migrate(context.Background(), version); err != nil {
		_ = db.Close()
		var se sqlite3.Error
		if errors.As(err, &se) && (se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt) {
			return nil, data.Refuse(data.CodeMirrorNotAMirror, "mirror", data.Value("path", path))
		}
		return nil, fmt.Errorf("mirror %s: %w", path, err)
	}
	return m, nil
}

// createPrivate creates an empty file at path with FileMode unless a file is
// there, so that SQLite (which creates files 0644) opens one only its owner
// reads, and gives its -wal and -shm the same mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// Close closes the mirror.
func (m *Mirror) Close() error { return m.DB.Close() }

// Remove deletes a mirror file with its -wal and -shm, as far as they exist.
func Remove(path string) error {
	var first error
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
	}
	return first
}

// update runs fn in one write transaction (BEGIN IMMEDIATE: writers queue
// for the file's lock before they read): all of it lands or none of it.
func (m *Mirror) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if tx := ambientOf(ctx); tx != nil {
		return nested(ctx, tx, fn)
	}
	err := m.updateOnce(ctx, fn)
	var f *data.Refusal
	if errors.As(err, &f) && f.Code == data.CodeSyncInProgress {
		// A sync was cut with this console's changes taken back: unless
		// one runs now, put them back on top and try again.
		if recovered, rerr := m.RecoverSync(ctx); rerr != nil {
			return errors.Join(err, rerr)
		} else if recovered {
			return m.updateOnce(ctx, fn)
		}
	}
	return err
}

func (m *Mirror) updateOnce(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := m.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	defer forgetStatements(tx)
	defer beginLog(ctx, tx)()
	if err := fn(tx); err != nil {
		return err
	}
	if r := logOf(tx).replay; r != nil && !r.done {
		// The replayed operation changed nothing and wrote no entry (a
		// patrol assigned that is there already): applied all the same.
		if err := r.record(ctx, tx, ""); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ambientKey carries a transaction that update joins instead of beginning
// its own: sync applies a batch of pulled entries in one transaction, each
// operation in a savepoint of it (one commit per entry was most of the
// time of a pull).
type ambientKey struct{}

func withAmbient(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, ambientKey{}, tx)
}

func ambientOf(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(ambientKey{}).(*sql.Tx)
	return tx
}

// nested runs fn in a savepoint of tx: a refusal rolls back its writes
// only.
func nested(ctx context.Context, tx *sql.Tx, fn func(tx *sql.Tx) error) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT op`); err != nil {
		return err
	}
	done := beginLog(ctx, tx)
	err := fn(tx)
	if err == nil {
		if r := logOf(tx).replay; r != nil && !r.done {
			err = r.record(ctx, tx, "")
		}
	}
	done()
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO op`); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	if _, rerr := tx.ExecContext(ctx, `RELEASE op`); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// Update runs fn in one write transaction, for writers outside this package
// (the demo builder): all of it lands or none of it.
func (m *Mirror) Update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return m.update(ctx, fn)
}
