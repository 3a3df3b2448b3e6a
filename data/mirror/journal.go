package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
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

// journalAppend writes one journal entry inside tx, chained to the last one,
// and moves the recorded head. Writers hold the file's write lock (BEGIN
// IMMEDIATE), so no two appends read the same head.
func journalAppend(ctx context.Context, tx *sql.Tx, c change) (data.JournalEntry, error) {
	l := logOf(tx)
	if l != nil && l.replay != nil {
		if l.within != "" {
			return data.JournalEntry{}, nil // a part of the change replayed: the entry of the whole records it
		}
		return l.replay.entry, l.replay.record(ctx, tx, c.Kind)
	}
	for _, f := range []string{c.Kind, c.Subject, c.Actor} {
		if !utf8.ValidString(f) || strings.ContainsFunc(f, unicode.IsControl) {
			return data.JournalEntry{}, fmt.Errorf("journal %s: %q is not valid UTF-8 without control characters", c.Kind, f)
		}
	}
	if l != nil && (len(l.minted) > 0 || l.within != "") {
		p, ok := c.Payload.(map[string]any)
		if !ok {
			return data.JournalEntry{}, fmt.Errorf("journal %s: keys minted, but the payload is not an object", c.Kind)
		}
		p = maps.Clone(p)
		if len(l.minted) > 0 {
			p["minted"] = slices.Clone(l.minted)
		}
		if l.within != "" {
			p["within"] = l.within
		}
		c.Payload = p
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
	u, err := uuid.NewV7()
	if err != nil {
		return data.JournalEntry{}, err
	}
	id := u.String()
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
	if l != nil && l.within == "" {
		// The rows this change wrote (with its parts') are kept in the undo
		// log under its position while sync may have to take it back; a
		// change consoles do not share is never taken back.
		q := `UPDATE sync_undo SET seq = ? WHERE seq IS NULL`
		args := []any{e.Seq}
		if !SharedKind(c.Kind, c.Actor) {
			q, args = `DELETE FROM sync_undo WHERE seq IS NULL`, nil
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return data.JournalEntry{}, err
		}
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

// metaTx reads a kapok_meta value ("" when absent) in a transaction or on
// the database.
func metaTx(ctx context.Context, q queryRower, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM kapok_meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

const setMetaSQL = `INSERT INTO kapok_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`

func setMetaTx(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, setMetaSQL, key, value)
	return err
}

// ConsoleID is the random id this mirror's journal entries carry, made once
// when the mirror was created (or upgraded to the journal).
func (m *Mirror) ConsoleID(ctx context.Context) (string, error) { return m.Meta(ctx, "console_id") }

// VerifyJournal recomputes the hash chain from the first entry and compares
// its end with the recorded head. The result names the first entry that does
// not hold; an error means the journal could not be read at all.
//
// The head and the chain's extent are read in one statement, one snapshot:
// changes appended while the check runs move both together and lie past the
// head, so they are neither checked nor mistaken for tampering. The entries
// up to the head are then read as one stretch per core, each on its own
// connection, and the stretches joined: reading a million rows through
// database/sql costs more than hashing them.
func (m *Mirror) VerifyJournal(ctx context.Context) (data.JournalCheck, error) {
	var res data.JournalCheck
	var headText sql.NullString
	var lo, hi sql.NullInt64
	var rows int64
	if err := m.DB.QueryRowContext(ctx, `SELECT (SELECT value FROM kapok_meta WHERE key = 'journal_head'),
		min(seq), max(seq), count(*) FROM journal`).Scan(&headText, &lo, &hi, &rows); err != nil {
		return res, err
	}
	headSeq, headHash, err := parseHead(headText.String)
	if err != nil {
		res.Fault = data.Refuse(data.CodeJournalHeadMalformed, "", data.Value("head", headText.String))
		return res, nil
	}
	whole := &journal.Checker{}
	if lo.Valid && lo.Int64 <= headSeq {
		bounds, err := m.stretchBounds(ctx, lo.Int64, headSeq)
		if err != nil {
			return res, err
		}
		checkers := make([]*journal.Checker, len(bounds)-1)
		errs := make([]error, len(checkers))
		var wg sync.WaitGroup
		for i := range checkers {
			checkers[i] = journal.Stretch()
			if i == 0 {
				checkers[i] = whole
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = m.checkStretch(ctx, bounds[i], bounds[i+1]-1, checkers[i])
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return res, err
		}
		for i, c := range checkers {
			if i > 0 {
				if f := whole.Join(c); f != nil {
					return m.badEntry(ctx, whole, bounds[i], f)
				}
			}
			if bad, f := c.Fault(); f != nil {
				return m.badEntry(ctx, whole, bad, f)
			}
		}
	}
	if bad, f := whole.CheckHead(headSeq, headHash); f != nil {
		return m.badEntry(ctx, whole, bad, f)
	}
	if hi.Valid && hi.Int64 > headSeq {
		return m.badEntry(ctx, whole, headSeq+1, data.Refuse(data.CodeJournalAdded, "", data.Value("head", headSeq), data.Value("last", hi.Int64)))
	}
	res.Entries = whole.Checked()
	_, res.Head = whole.Head()
	return res, nil
}

// minStretch is the fewest entries worth a connection of their own.
var minStretch int64 = 50_000

// stretchBounds cuts the entries with positions in [lo, hi] into one
// stretch per core (fewer for a short chain), by count of entries, not by
// position: a forged entry far past the others must not make a stretch of
// empty positions. Stretch i is [bounds[i], bounds[i+1]).
func (m *Mirror) stretchBounds(ctx context.Context, lo, hi int64) ([]int64, error) {
	var n int64
	if err := m.DB.QueryRowContext(ctx, `SELECT count(*) FROM journal WHERE seq BETWEEN ? AND ?`, lo, hi).Scan(&n); err != nil {
		return nil, err
	}
	parts := max(1, min(int64(runtime.GOMAXPROCS(0)), n/minStretch))
	bounds := []int64{lo}
	for i := int64(1); i < parts; i++ {
		var b int64
		if err := m.DB.QueryRowContext(ctx, `SELECT seq FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT 1 OFFSET ?`,
			lo, hi, i*n/parts).Scan(&b); err != nil {
			return nil, err
		}
		if b > bounds[len(bounds)-1] {
			bounds = append(bounds, b)
		}
	}
	return append(bounds, hi+1), nil
}

// badEntry fills in the result for the first entry that does not hold.
func (m *Mirror) badEntry(ctx context.Context, c *journal.Checker, bad int64, fault *data.Refusal) (data.JournalCheck, error) {
	res := data.JournalCheck{Entries: c.Checked(), Bad: bad, Fault: fault}
	_, res.Head = c.Head()
	if err := m.DB.QueryRowContext(ctx, `SELECT id FROM journal WHERE seq = ?`, bad).Scan(&res.BadID); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, err
	}
	return res, nil
}

// Entries are read a thousand positions at a time, each page as one value:
// each entry's position, canonical form and two hashes joined by the unit
// separator (0x1F), the entries by the record separator (0x1E), with the
// page's count of rows. A canonical entry never holds either separator
// (JSON escapes control characters); positions are digits and hashes hex,
// which splitBatch checks, and it checks that the page splits into as many
// entries, in ascending order, as it has rows. A page that does not split
// cleanly is read again a row at a time, which names the entry at fault. An
// empty page (a gap in a tampered chain) jumps to the next entry, so a
// forged far position costs one lookup, not a walk.
const (
	pageQuery = `SELECT count(*), CAST(group_concat(seq || char(31) || entry || char(31) || prev_hash || char(31) || hash, char(30)) AS BLOB)
		FROM journal WHERE seq BETWEEN ? AND ?`
	nextQuery = `SELECT min(seq) FROM journal WHERE seq BETWEEN ? AND ?`
	rowQuery  = `SELECT seq, entry, prev_hash, hash FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq`
)

// pageSize is how many positions a page spans.
var pageSize int64 = 1000

// checkStretch feeds the entries with positions in [from, to] to c.
func (m *Mirror) checkStretch(ctx context.Context, from, to int64, c *journal.Checker) error {
	conn, err := m.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	page, err := conn.PrepareContext(ctx, pageQuery)
	if err != nil {
		return err
	}
	defer func() { _ = page.Close() }()
	var b []byte
	var entries []journal.Stored
	for lo := from; lo <= to; {
		hi := to
		if lo <= to-pageSize { // no overflow near the largest positions
			hi = lo + pageSize - 1
		}
		var n int64
		if err := page.QueryRowContext(ctx, lo, hi).Scan(&n, &b); err != nil {
			return err
		}
		if n == 0 {
			var next sql.NullInt64
			if err := conn.QueryRowContext(ctx, nextQuery, lo, to).Scan(&next); err != nil {
				return err
			}
			if !next.Valid {
				return nil
			}
			lo = next.Int64
			continue
		}
		var ok bool
		if entries, ok = splitBatch(b, lo, hi, entries[:0]); ok && int64(len(entries)) == n {
			for _, e := range entries {
				if c.Check(e) != nil {
					break
				}
			}
		} else if err := checkRows(ctx, conn, lo, hi, c); err != nil {
			return err
		}
		if bad, _ := c.Fault(); bad != 0 || hi == to {
			return nil
		}
		lo = hi + 1
	}
	return nil
}

// splitBatch takes apart a page read by pageQuery; ok is false when it does
// not split into well-formed entries with ascending positions in [lo, hi].
// The entries' strings are views of b.
func splitBatch(b []byte, lo, hi int64, into []journal.Stored) ([]journal.Stored, bool) {
	rest := bytesView(b)
	last := lo - 1
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
		f[3] = rec
		seq, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || seq <= last || seq > hi || !journal.IsHash(f[3]) || f[2] != "" && !journal.IsHash(f[2]) {
			return into, false
		}
		last = seq
		into = append(into, journal.Stored{Seq: seq, Entry: f[1], PrevHash: f[2], Hash: f[3]})
	}
	return into, true
}

// checkRows feeds the entries with positions in [lo, hi] to c a row at a
// time.
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
		if strings.ContainsAny(e.Entry, "\x1e\x1f") {
			c.Fail(e.Seq, "separator character")
			return nil
		}
		if c.Check(e) != nil {
			return nil
		}
	}
	return rows.Err()
}

// bytesView is b as a string without copying (a million entries, four
// strings each); b must not change while the string is in use, and the
// checker keeps none of them.
func bytesView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// journalWhere is the WHERE clause (at least "1 = 1") and its arguments of
// a journal filter.
func journalWhere(f data.JournalFilter) (string, []any) {
	q := `1 = 1`
	var args []any
	if !f.Since.IsZero() {
		q += ` AND at >= ?`
		args = append(args, gpkg.Time{Time: f.Since})
	}
	if !f.Until.IsZero() {
		q += ` AND at < ?`
		args = append(args, gpkg.Time{Time: f.Until})
	}
	if f.Actor != "" {
		q += ` AND actor = ?`
		args = append(args, f.Actor)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.Before > 0 {
		q += ` AND seq < ?`
		args = append(args, f.Before)
	}
	return q, args
}

// JournalCount counts the entries the filter picks (its Limit aside).
func (m *Mirror) JournalCount(ctx context.Context, f data.JournalFilter) (int64, error) {
	where, args := journalWhere(f)
	var n int64
	err := m.DB.QueryRowContext(ctx, `SELECT count(*) FROM journal WHERE `+where, args...).Scan(&n)
	return n, err
}

// JournalEntries streams the entries the filter picks, oldest first (newest
// first with Newest).
func (m *Mirror) JournalEntries(ctx context.Context, f data.JournalFilter, each func(data.JournalEntry) error) error {
	where, args := journalWhere(f)
	q := `SELECT seq, entry, prev_hash, hash FROM journal WHERE ` + where + ` ORDER BY seq`
	if f.Newest {
		// The primary key read backwards: a page of the newest entries
		// costs its own rows, not a pass over the journal.
		q += ` DESC`
	}
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
