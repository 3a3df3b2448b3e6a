package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unsafe"

	"github.com/google/uuid"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/journal"
)

// change is one operation to journal, in the transaction of its effect.
type change struct {
	Kind    string
	Subject string
	Actor   string // login
	At      time.Time
	Payload any // marshalled to canonical JSON
}

// newUID is a new globally unique key: a UUIDv7, which sorts by time of
// creation and so keeps the keys' index compact.
func newUID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// journalAppend writes one journal entry inside tx, chained to the last one,
// and moves the recorded head. Writers hold the file's write lock (BEGIN
// IMMEDIATE), so no two appends read the same head.
func journalAppend(ctx context.Context, tx *sql.Tx, c change) (data.JournalEntry, error) {
	for _, f := range []string{c.Kind, c.Subject, c.Actor} {
		if strings.ContainsFunc(f, unicode.IsControl) {
			return data.JournalEntry{}, fmt.Errorf("journal %s: %q holds a control character", c.Kind, f)
		}
	}
	payload, err := journal.Payload(c.Payload)
	if err != nil {
		return data.JournalEntry{}, fmt.Errorf("journal %s: %w", c.Kind, err)
	}
	console, err := metaTx(ctx, tx, "console_id")
	if err != nil {
		return data.JournalEntry{}, err
	}
	if console == "" {
		return data.JournalEntry{}, errors.New("journal: this mirror has no console id")
	}
	headText, err := metaTx(ctx, tx, "journal_head")
	if err != nil {
		return data.JournalEntry{}, err
	}
	seq, prev, err := parseHead(headText)
	if err != nil {
		return data.JournalEntry{}, err
	}
	id, err := newUID()
	if err != nil {
		return data.JournalEntry{}, err
	}
	e := data.JournalEntry{Seq: seq + 1, ID: id, Console: console, Actor: c.Actor, At: c.At.UTC().Truncate(time.Millisecond),
		Kind: c.Kind, Subject: c.Subject, Payload: payload, PrevHash: prev}
	var h journal.Hasher
	f := fieldsOf(e)
	if e.Hash, err = h.Hash(prev, f); err != nil {
		return data.JournalEntry{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO journal (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)`,
		e.Seq, journal.Canonical(f), e.PrevHash, e.Hash); err != nil {
		return data.JournalEntry{}, fmt.Errorf("journal: %w", err)
	}
	if err := setMetaTx(ctx, tx, "journal_head", formatHead(e.Seq, e.Hash)); err != nil {
		return data.JournalEntry{}, err
	}
	return e, nil
}

func fieldsOf(e data.JournalEntry) journal.Fields {
	return journal.Fields{ID: e.ID, Console: e.Console, Actor: e.Actor, At: gpkg.FormatTime(e.At), Kind: e.Kind,
		Subject: e.Subject, Payload: e.Payload}
}

func formatHead(seq int64, hash string) string { return strconv.FormatInt(seq, 10) + " " + hash }

func parseHead(s string) (int64, string, error) {
	if s == "" {
		return 0, "", nil
	}
	seqText, hash, ok := strings.Cut(s, " ")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil {
		return 0, "", fmt.Errorf("journal head %q is not \"position hash\"", s)
	}
	return seq, hash, nil
}

func metaTx(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM kapok_meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMetaTx(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO kapok_meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// ConsoleID is the random id this mirror's journal entries carry, made once
// when the mirror was created (or upgraded to the journal).
func (m *Mirror) ConsoleID(ctx context.Context) (string, error) { return m.Meta(ctx, "console_id") }

// VerifyJournal recomputes the hash chain from the first entry and compares
// its end with the recorded head. The result names the first entry that does
// not hold; an error means the journal could not be read at all.
//
// The chain is read as one stretch per core, each on its own connection and
// checked on its own, then the stretches are joined: reading a million
// entries through the driver costs more than hashing them.
func (m *Mirror) VerifyJournal(ctx context.Context) (data.JournalCheck, error) {
	var res data.JournalCheck
	var lo, hi sql.NullInt64
	if err := m.DB.QueryRowContext(ctx, `SELECT min(seq), max(seq) FROM journal`).Scan(&lo, &hi); err != nil {
		return res, err
	}
	whole := &journal.Checker{}
	if lo.Valid {
		parts := max(1, min(runtime.GOMAXPROCS(0), int((hi.Int64-lo.Int64)/50_000)+1))
		checkers := make([]*journal.Checker, parts)
		errs := make([]error, parts)
		var wg sync.WaitGroup
		span := (hi.Int64 - lo.Int64 + int64(parts)) / int64(parts)
		for i := range parts {
			checkers[i] = journal.Stretch()
			if i == 0 {
				checkers[i] = whole
			}
			from := lo.Int64 + int64(i)*span
			to := min(hi.Int64, from+span-1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = m.checkStretch(ctx, from, to, checkers[i])
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return res, err
			}
		}
		for i, c := range checkers {
			if i > 0 {
				if bad, p := whole.Join(c); p != "" {
					return m.badEntry(ctx, whole, bad, p)
				}
			}
			if bad, p := c.Problem(); p != "" {
				return m.badEntry(ctx, whole, bad, p)
			}
		}
	}
	res.Entries = whole.Checked()
	_, res.Head = whole.Head()
	head, err := m.Meta(ctx, "journal_head")
	if err != nil {
		return res, err
	}
	seq, hash, err := parseHead(head)
	if err != nil {
		res.Problem = err.Error()
		return res, nil
	}
	res.Bad, res.Problem = whole.CheckHead(seq, hash)
	return res, nil
}

// badEntry fills in the result for the first entry that does not hold.
func (m *Mirror) badEntry(ctx context.Context, c *journal.Checker, bad int64, problem string) (data.JournalCheck, error) {
	res := data.JournalCheck{Entries: c.Checked(), Bad: bad, Problem: problem}
	_, res.Head = c.Head()
	if err := m.DB.QueryRowContext(ctx, `SELECT id FROM journal WHERE seq = ?`, bad).Scan(&res.BadID); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, err
	}
	return res, nil
}

// Reading a million rows through database/sql costs more than hashing
// them (a cgo call and a conversion per column of every row), so entries
// are read a thousand at a time, each batch as one value: each entry's
// position, canonical form and two hashes joined by the unit separator
// (0x1F), the entries by the record separator (0x1E). A canonical entry
// never holds either (JSON escapes control characters) and the other fields
// are digits and hex. A batch that does not split into ascending entries is
// read again a row at a time, which names the entry at fault.
const (
	batchQuery = `SELECT CAST(group_concat(seq || char(31) || entry || char(31) || prev_hash || char(31) || hash, char(30)) AS BLOB)
		FROM journal WHERE seq BETWEEN ? AND ?`
	rowQuery  = `SELECT seq, entry, prev_hash, hash FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq`
	batchSize = 1000
)

// checkStretch feeds the entries from one position to another to c.
func (m *Mirror) checkStretch(ctx context.Context, from, to int64, c *journal.Checker) error {
	conn, err := m.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	batch, err := conn.PrepareContext(ctx, batchQuery)
	if err != nil {
		return err
	}
	defer func() { _ = batch.Close() }()
	var b []byte
	var entries []journal.Stored
	for lo := from; lo <= to; lo += batchSize {
		hi := min(to, lo+batchSize-1)
		if err := batch.QueryRowContext(ctx, lo, hi).Scan(&b); err != nil {
			return err
		}
		var ok bool
		if entries, ok = splitBatch(b, hi, entries[:0]); ok {
			for _, e := range entries {
				c.Check(e)
			}
		} else if err := checkRows(ctx, conn, lo, hi, c); err != nil {
			return err
		}
		if bad, _ := c.Problem(); bad != 0 {
			return nil
		}
	}
	return nil
}

// splitBatch takes apart a batch read by batchQuery; ok is false when it
// does not split into entries of four fields with ascending positions up to
// hi. The entries' strings are views of b.
func splitBatch(b []byte, hi int64, into []journal.Stored) ([]journal.Stored, bool) {
	rest := bytesView(b)
	var last int64
	for rest != "" {
		rec := rest
		if j := strings.IndexByte(rest, 0x1E); j >= 0 {
			rec, rest = rest[:j], rest[j+1:]
		} else {
			rest = ""
		}
		var f [4]string
		for i := range 3 {
			j := strings.IndexByte(rec, 0x1F)
			if j < 0 {
				return into, false
			}
			f[i], rec = rec[:j], rec[j+1:]
		}
		if strings.IndexByte(rec, 0x1F) >= 0 {
			return into, false
		}
		f[3] = rec
		seq, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || seq <= last || seq > hi {
			return into, false
		}
		last = seq
		into = append(into, journal.Stored{Seq: seq, Entry: f[1], PrevHash: f[2], Hash: f[3]})
	}
	return into, true
}

// checkRows feeds the entries of [lo, hi] to c a row at a time.
func checkRows(ctx context.Context, conn *sql.Conn, lo, hi int64, c *journal.Checker) error {
	rows, err := conn.QueryContext(ctx, rowQuery, lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e journal.Stored
		if err := rows.Scan(&e.Seq, &e.Entry, &e.PrevHash, &e.Hash); err != nil {
			return err
		}
		if c.Check(e) != "" {
			return nil
		}
	}
	return rows.Err()
}

// bytesView is b as a string without copying (a million entries, four
// strings each); b must not change while the string is in use, and the
// checker keeps none of them.
func bytesView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// JournalEntries streams the entries the filter picks, oldest first.
func (m *Mirror) JournalEntries(ctx context.Context, f data.JournalFilter, each func(data.JournalEntry) error) error {
	q := `SELECT seq, entry, prev_hash, hash FROM journal WHERE 1 = 1`
	var args []any
	if !f.Since.IsZero() {
		q += ` AND at >= ?`
		args = append(args, gpkg.Time{Time: f.Since})
	}
	if f.Actor != "" {
		q += ` AND actor = ?`
		args = append(args, f.Actor)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	q += ` ORDER BY seq`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	rows, err := m.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e data.JournalEntry
		var entry string
		if err := rows.Scan(&e.Seq, &entry, &e.PrevHash, &e.Hash); err != nil {
			return err
		}
		fl, err := journal.Parse(entry)
		if err != nil {
			return fmt.Errorf("journal entry %d: %w", e.Seq, err)
		}
		at, err := gpkg.ParseTime(fl.At)
		if err != nil {
			return fmt.Errorf("journal entry %d: %w", e.Seq, err)
		}
		e.ID, e.Console, e.Actor, e.At, e.Kind, e.Subject, e.Payload = fl.ID, fl.Console, fl.Actor, at, fl.Kind, fl.Subject, fl.Payload
		if err := each(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AppendJournal journals a change written inside tx by a writer outside this
// package (the demo builder), chained like every other entry.
func AppendJournal(ctx context.Context, tx *sql.Tx, kind, subject, actor string, at time.Time, payload any) (data.JournalEntry, error) {
	return journalAppend(ctx, tx, change{Kind: kind, Subject: subject, Actor: actor, At: at, Payload: payload})
}
