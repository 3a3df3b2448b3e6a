package upstream

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"

	"kapok/data"
	"kapok/data/journal"
)

// DB is what sync needs of a connection (a pgx.Conn or a pool).
type DB interface {
	Beginner
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pushLock serializes pushes: an entry's arrival is taken inside the push's
// transaction, so without it a later arrival could commit before an earlier
// one, and a console pulling in between would pass the earlier one by.
const pushLock = 0x6b61706f6b02

// Entry is one journal entry of a console, as pushed and pulled.
type Entry struct {
	Arrival  int64 // set by the upstream (0 when pushing)
	Seq      int64 // its position in its console's chain
	Entry    string
	PrevHash string
	Hash     string
}

// Head is the last position and hash of console's chain the upstream
// accepted (0 and "" for a console it has not heard from).
func Head(ctx context.Context, db DB, console string) (int64, string, error) {
	var seq int64
	var hash string
	err := db.QueryRow(ctx, `SELECT seq, hash FROM console_heads WHERE console = $1`, console).Scan(&seq, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", nil
	}
	return seq, hash, err
}

// Push appends a console's entries to the journal in one transaction, in
// their order, after checking that they continue the chain the upstream
// holds for that console: positions one after another from its head, each
// entry naming the one before it and matching its own hash, each of that
// console. Entries at or before the head (a push repeated after its answer
// was lost) are passed over when they are the entries the upstream holds,
// and refused when they are not. It returns the console's new head.
func Push(ctx context.Context, db Beginner, console string, es []Entry) (int64, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pushLock)); err != nil {
		return 0, err
	}
	var head int64
	var headHash string
	err = tx.QueryRow(ctx, `SELECT seq, hash FROM console_heads WHERE console = $1`, console).Scan(&head, &headHash)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, err
	}
	var fresh []Entry
	for _, e := range es {
		if e.Seq > head {
			fresh = append(fresh, e)
			continue
		}
		var held string
		if err := tx.QueryRow(ctx, `SELECT hash FROM journal WHERE console = $1 AND console_seq = $2`, console, e.Seq).Scan(&held); err != nil {
			return 0, fmt.Errorf("entry %d of console %s: %w", e.Seq, console, err)
		}
		if held != e.Hash {
			return 0, data.Refuse(data.CodeJournalDiverged, "", data.Value("entry", e.Seq))
		}
	}
	if len(fresh) == 0 {
		return head, tx.Commit(ctx)
	}
	if err := checkChain(console, head, headHash, fresh); err != nil {
		return 0, err
	}
	rows := make([][]any, len(fresh))
	for i, e := range fresh {
		rows[i] = []any{e.Entry, e.Seq, e.PrevHash, e.Hash}
	}
	// COPY keeps the rows' order, so arrivals follow the chain.
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"journal"}, []string{"entry", "console_seq", "prev_hash", "hash"}, pgx.CopyFromRows(rows)); err != nil {
		return 0, err
	}
	last := fresh[len(fresh)-1]
	if _, err := tx.Exec(ctx, `INSERT INTO console_heads (console, seq, hash) VALUES ($1, $2, $3)
		ON CONFLICT (console) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, updated_at = now()`, console, last.Seq, last.Hash); err != nil {
		return 0, err
	}
	return last.Seq, tx.Commit(ctx)
}

// checkChain checks that es continue console's chain from its head.
func checkChain(console string, head int64, headHash string, es []Entry) error {
	refuse := func(e Entry, why string) error {
		return data.Refuse(data.CodeUpstreamRejected, "", data.Value("entry", e.Seq), data.Value("why", why))
	}
	var h journal.Hasher
	prevSeq, prevHash := head, headHash
	for _, e := range es {
		if e.Seq != prevSeq+1 {
			return refuse(e, fmt.Sprintf("position %d does not follow %d", e.Seq, prevSeq))
		}
		if e.PrevHash != prevHash {
			return refuse(e, "it does not name the entry before it")
		}
		f, err := journal.Parse(e.Entry)
		if err != nil {
			return refuse(e, err.Error())
		}
		if journal.Canonical(f) != e.Entry {
			return refuse(e, "not in canonical form")
		}
		if f.Console != console {
			return refuse(e, "made by console "+f.Console)
		}
		if want, err := h.Hash(e.PrevHash, f); err != nil || want != e.Hash {
			return refuse(e, "its hash is not its own")
		}
		prevSeq, prevHash = e.Seq, e.Hash
	}
	return nil
}

// Pull reads up to limit journal entries after arrival, in arrival order.
func Pull(ctx context.Context, db DB, after int64, limit int) ([]Entry, error) {
	rows, err := db.Query(ctx, `SELECT arrival, console_seq, entry, prev_hash, hash FROM journal WHERE arrival > $1 ORDER BY arrival LIMIT $2`,
		after, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		var e Entry
		err := r.Scan(&e.Arrival, &e.Seq, &e.Entry, &e.PrevHash, &e.Hash)
		return e, err
	})
}

// RefChanges are one reference table's rows changed since a version: per
// row the values of t.Columns, then the geometry (orb), as Source gives them.
type RefChanges struct {
	Table Table
	Rows  [][]any
}

// ReferenceSince reads the reference rows whose version is above since,
// every published table (parents first, then the users) in one snapshot,
// and the highest version read (since when none changed).
func ReferenceSince(ctx context.Context, db Beginner, since int64) ([]RefChanges, int64, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`); err != nil {
		return nil, 0, err
	}
	top := since
	var out []RefChanges
	for _, t := range Published {
		rows, err := tx.Query(ctx, `SELECT `+strings.Join(t.Columns, ", ")+`, `+t.geomSelect()+`, version FROM `+t.Name+
			` WHERE version > $1 ORDER BY version`, since)
		if err != nil {
			return nil, 0, err
		}
		c := RefChanges{Table: t}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				rows.Close()
				return nil, 0, err
			}
			n := len(t.Columns)
			row := make([]any, n+1)
			for i := range n {
				row[i] = plain(vals[i])
			}
			if b, ok := vals[n].([]byte); ok && b != nil {
				g, err := wkb.Unmarshal(b)
				if err != nil {
					rows.Close()
					return nil, 0, fmt.Errorf("%s: %w", t.Name, err)
				}
				row[n] = g
			}
			if v, ok := vals[n+1].(int64); ok && v > top {
				top = v
			}
			c.Rows = append(c.Rows, row)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
		if len(c.Rows) > 0 {
			out = append(out, c)
		}
	}
	return out, top, tx.Commit(ctx)
}

// plain is a column's value as the mirror's driver takes it: integers as
// int64, floats as float64, text and booleans as they are.
func plain(v any) any {
	switch x := v.(type) {
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}
