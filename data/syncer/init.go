package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/upstream"
)

// InitResult is what Init made.
type InitResult struct {
	Rows       []TableRows // rows of each published table in the new mirror, parents first, users last
	Matters    int         // the matter catalogue
	Indicators int         // indicator definitions
	Version    int64       // the reference version the mirror holds
	Base       []TableRows // rows of each table of the upstream's base written, before the first sync
	Sync       Result      // the first sync, after the reference rows and the base
	Took       time.Duration
}

// TableRows is how many rows a table holds.
type TableRows struct {
	Table string
	Rows  int64
}

// Init makes a new mirror at path from the upstream db and syncs it once:
// a GeoPackage with all migrations, the built-in catalogues (matters,
// indicator definitions, as a demo build writes them), every published
// reference row (regions, grids, centers, units, users) at the upstream's
// current version, the upstream's base (the cases and their histories,
// rosters, indicator values… of the mirror first published: the ground
// every console starts from), then one Run, which applies every console's
// journal under its actors' permissions. All of it is written into path.building,
// which takes path's name only when whole (never over a file that
// appeared meanwhile): a cut Init leaves no mirror at path, and the next
// one starts again. A file already at path is refused (mirror_exists), as
// is an upstream without reference data (upstream_empty).
func Init(ctx context.Context, path string, db upstream.DB, now func() time.Time) (InitResult, error) {
	start := time.Now()
	var res InitResult
	if err := CheckNew(path); err != nil {
		return res, err
	}
	// One Init of a path at a time: the lock every sync of it will take.
	unlock, err := mirror.LockSyncPath(path)
	if err != nil {
		return res, err
	}
	made := false
	defer func() {
		unlock()
		if !made {
			_ = os.Remove(path + ".sync-lock")
		}
	}()
	if err := upstreamCurrent(ctx, db); err != nil {
		return res, err
	}
	changes, version, err := upstream.ReferenceSince(ctx, db, 0)
	if err != nil {
		return res, fmt.Errorf("the upstream: %w", err)
	}
	tables := make([]mirror.RefTable, len(changes))
	var city []any
	for i, c := range changes {
		tables[i] = mirror.RefTable{Name: c.Table.Name, Columns: c.Table.Columns, Rows: c.Rows}
		if c.Table.Name == "cities" && len(c.Rows) > 0 {
			city = c.Rows[0]
		}
	}
	if city == nil {
		return res, data.Refuse(data.CodeUpstreamEmpty, "")
	}

	tmp := path + ".building"
	cleanTmp := func() error {
		err := mirror.Remove(tmp)
		if rerr := os.Remove(tmp + ".sync-lock"); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = rerr
		}
		return err
	}
	if err := cleanTmp(); err != nil {
		return res, err
	}
	m, err := mirror.Open(tmp)
	if err != nil {
		return res, err
	}
	res, err = build(ctx, m, tables, version, city, db, now)
	if err == nil {
		_, err = m.DB.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = place(tmp, path)
	}
	if rerr := cleanTmp(); err == nil {
		err = rerr
	}
	if err != nil {
		return res, err
	}
	made = true
	res.Took = time.Since(start)
	return res, nil
}

// build writes the catalogues and the reference rows into the new mirror
// m, then syncs it once, and counts what it holds.
func build(ctx context.Context, m *mirror.Mirror, tables []mirror.RefTable, version int64, city []any,
	db upstream.DB, now func() time.Time) (InitResult, error) {
	var res InitResult
	matters, err := data.Matters()
	if err != nil {
		return res, err
	}
	indicators, err := data.Indicators()
	if err != nil {
		return res, err
	}
	// The catalogues are every mirror's start, as a demo build writes them,
	// not a change to take back or share: no undo log, no journal entry.
	err = m.Update(ctx, func(tx *sql.Tx) error {
		return mirror.WithoutUndo(ctx, tx, func() error {
			if err := mirror.WriteCatalogues(tx, matters, indicators); err != nil {
				return err
			}
			for k, v := range map[string]any{"city_code": city[0], "city_name": city[1]} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO kapok_meta (key, value) VALUES (?, ?)
					ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, fmt.Sprint(v)); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return res, fmt.Errorf("writing the catalogues: %w", err)
	}
	// The users must be there before the journal is applied under them.
	if _, _, err := m.ApplyReference(ctx, tables, version, now()); err != nil {
		return res, fmt.Errorf("writing the reference rows: %w", err)
	}
	if res.Base, err = writeBase(ctx, m, db); err != nil {
		return res, fmt.Errorf("writing the upstream's base: %w", err)
	}
	if err := m.Update(ctx, func(tx *sql.Tx) error { return mirror.RefreshExtents(ctx, tx) }); err != nil {
		return res, err
	}
	if res.Sync, err = Run(ctx, m, db, now); err != nil {
		return res, err
	}
	st, err := m.SyncState(ctx)
	if err != nil {
		return res, err
	}
	res.Version = st.RefVersion
	for _, t := range upstream.Published {
		q := `SELECT count(*) FROM ` + t.Name
		if t.Name == "users" {
			q += ` WHERE login <> '` + data.SystemLogin + `'`
		}
		var n int64
		if err := m.DB.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return res, err
		}
		res.Rows = append(res.Rows, TableRows{t.Name, n})
	}
	res.Matters, res.Indicators = len(matters), len(indicators)
	return res, nil
}

// writeBase writes the upstream's base into the new mirror m, every table
// in one transaction: the ground every console starts from, as the
// catalogues, not a change to take back or share (no undo log, no journal
// entry). After the users, whose logins the rows' user columns name.
func writeBase(ctx context.Context, m *mirror.Mirror, db upstream.DB) ([]TableRows, error) {
	tables, err := upstream.Base(ctx, db)
	if err != nil || len(tables) == 0 {
		return nil, err
	}
	var out []TableRows
	err = m.Update(ctx, func(tx *sql.Tx) error {
		return mirror.WithoutUndo(ctx, tx, func() error {
			for _, t := range tables {
				w, err := mirror.NewBaseWriter(ctx, tx, t.Name, t.Columns)
				if err != nil {
					return err
				}
				if err := upstream.BaseRowsOf(ctx, db, t.Name, w.Add); err != nil {
					return err
				}
				if err := w.Close(); err != nil {
					return err
				}
				if w.Rows() != t.Rows {
					return fmt.Errorf("%s: %d rows read, the upstream says %d", t.Name, w.Rows(), t.Rows)
				}
				out = append(out, TableRows{t.Name, t.Rows})
			}
			return nil
		})
	})
	return out, err
}

// CheckNew refuses a path a new mirror cannot be made at: a file is there
// (mirror_exists), or its folder is not (output_folder_absent).
func CheckNew(path string) error {
	_, err := os.Lstat(path)
	if err == nil {
		return data.Refuse(data.CodeMirrorExists, "", data.Value("path", path))
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// The folder it goes into must be there (said before the lock file
	// beside it, which would name itself).
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return data.Refuse(data.CodeOutputFolderAbsent, "", data.Value("path", path), data.Value("folder", dir))
		}
	}
	return nil
}

// place gives the finished mirror tmp the name path, refusing when a file
// appeared there meanwhile: a hard link fails rather than replace it (a
// rename where the file system has no links).
func place(tmp, path string) error {
	err := os.Link(tmp, path)
	if errors.Is(err, fs.ErrExist) {
		return data.Refuse(data.CodeMirrorExists, "", data.Value("path", path))
	}
	if err != nil {
		if err := CheckNew(path); err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}
	return nil
}

// upstreamCurrent refuses an upstream whose schema lacks migrations this
// Kapok has (the users, say): `kapok upstream init` brings it up to date.
func upstreamCurrent(ctx context.Context, db upstream.DB) error {
	migs, err := upstream.Migrations()
	if err != nil {
		return err
	}
	var v int
	if err := db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM kapok_schema`).Scan(&v); err != nil {
		return fmt.Errorf("the upstream's schema: %w (kapok upstream init creates it)", err)
	}
	if v < len(migs) {
		return fmt.Errorf("the upstream's schema is at version %d, this Kapok's at %d: run kapok upstream init", v, len(migs))
	}
	return nil
}
