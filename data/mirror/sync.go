package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/journal"
)

// The mirror's side of sync (issue 14; data/syncer runs it against the
// upstream). Every console's operations are applied in the upstream's
// arrival order. This console's own changes are applied at once, when a
// person makes them, and stay "pending" until their arrival comes back in
// a pull: the mirror is always the upstream's order up to the last arrival
// pulled, with the pending changes on top. When another console's change
// arrived before a pending one, sync takes the pending ones back (the undo
// log, undo.go), applies the arrivals in order, each through the same
// method a person's change takes (replay.go), and then takes the pending
// ones again on top. A change no longer valid where its arrival puts it is
// rejected: kept in sync_log with its refusal, shown to its author.
//
// Progress lives in kapok_meta, moved in the transaction of each step, so
// a sync cut anywhere resumes where it stopped:
//   sync_arrival    the last arrival applied
//   sync_confirmed  this console's last entry the pull brought back
//   sync_pushed     this console's last entry the upstream holds
//   sync_phase      "" or "undone N": pending entries from N on are taken back
//   sync_base       entries up to it were made before the mirror could sync
//   sync_ref_version, sync_last, sync_error

// PulledEntry is a journal entry as the upstream hands it back.
type PulledEntry struct {
	Arrival  int64
	Seq      int64 // its position in its console's chain
	Entry    string
	PrevHash string
	Hash     string
}

// OwnEntry is one of this console's journal entries, as pushed.
type OwnEntry struct {
	Seq                   int64
	Entry, PrevHash, Hash string
}

// SyncState is where this mirror's sync stands.
type SyncState struct {
	Console    string
	Head       int64 // the journal's last position
	Pushed     int64 // the last of this console's entries the upstream holds
	Confirmed  int64 // the last of them the pull brought back
	Arrival    int64 // the last arrival applied
	RefVersion int64 // the last reference version pulled
	Phase      string
	LastSync   time.Time // the last sync that ended well (zero: never)
	LastError  string    // what stopped the last sync ("" when it ended well)
	Conflicts  int64     // this console's entries rejected and not yet acknowledged
}

// Waiting is how many of this console's entries the upstream does not hold.
func (s SyncState) Waiting() int64 { return s.Head - s.Pushed }

func metaInt(ctx context.Context, q queryRower, key string) (int64, error) {
	v, err := metaTx(ctx, q, key)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

func setMetaInt(ctx context.Context, tx *sql.Tx, key string, v int64) error {
	return setMetaTx(ctx, tx, key, strconv.FormatInt(v, 10))
}

// SyncState reads where sync stands, in one snapshot.
func (m *Mirror) SyncState(ctx context.Context) (SyncState, error) {
	var s SyncState
	tx, err := m.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s, err
	}
	defer func() { _ = tx.Rollback() }()
	head, err := metaTx(ctx, tx, "journal_head")
	if err != nil {
		return s, err
	}
	if s.Head, _, err = parseHead(head); err != nil {
		return s, err
	}
	if s.Console, err = metaTx(ctx, tx, "console_id"); err != nil {
		return s, err
	}
	for _, f := range []struct {
		key string
		to  *int64
	}{{"sync_pushed", &s.Pushed}, {"sync_confirmed", &s.Confirmed}, {"sync_arrival", &s.Arrival}, {"sync_ref_version", &s.RefVersion}} {
		if *f.to, err = metaInt(ctx, tx, f.key); err != nil {
			return s, err
		}
	}
	if s.Phase, err = metaTx(ctx, tx, "sync_phase"); err != nil {
		return s, err
	}
	if s.LastError, err = metaTx(ctx, tx, "sync_error"); err != nil {
		return s, err
	}
	last, err := metaTx(ctx, tx, "sync_last")
	if err != nil {
		return s, err
	}
	if last != "" {
		if s.LastSync, err = gpkg.ParseTime(last); err != nil {
			return s, err
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_log WHERE console = ? AND outcome = 'rejected' AND resolved_at IS NULL`,
		s.Console).Scan(&s.Conflicts)
	return s, err
}

// EntriesAfter reads this console's journal entries after position seq,
// at most limit, in order.
func (m *Mirror) EntriesAfter(ctx context.Context, seq int64, limit int) ([]OwnEntry, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT seq, entry, prev_hash, hash FROM journal WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OwnEntry
	for rows.Next() {
		var e OwnEntry
		if err := rows.Scan(&e.Seq, &e.Entry, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EntryHash is the hash of this console's entry at position seq (false
// when the journal has no such entry).
func (m *Mirror) EntryHash(ctx context.Context, seq int64) (string, bool, error) {
	var h string
	err := m.DB.QueryRowContext(ctx, `SELECT hash FROM journal WHERE seq = ?`, seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return h, err == nil, err
}

// MarkPushed records that the upstream holds this console's entries up to seq.
func (m *Mirror) MarkPushed(ctx context.Context, seq int64) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		cur, err := metaInt(ctx, tx, "sync_pushed")
		if err != nil || seq <= cur {
			return err
		}
		return setMetaInt(ctx, tx, "sync_pushed", seq)
	})
}

// MarkSynced records how a sync ended: when it ended well, or what stopped it.
func (m *Mirror) MarkSynced(ctx context.Context, at time.Time, failure error) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		if failure != nil {
			return setMetaTx(ctx, tx, "sync_error", failure.Error())
		}
		if err := setMetaTx(ctx, tx, "sync_error", ""); err != nil {
			return err
		}
		return setMetaTx(ctx, tx, "sync_last", gpkg.FormatTime(at))
	})
}

// ApplyCounts is what applying pulled entries did.
type ApplyCounts struct {
	Applied   int // applied here (others' changes, and own ones taken again)
	Confirmed int // own changes whose arrival came back where they stood
	Rejected  int
	Skipped   int // kinds not shared, parts of larger changes
	Undone    int // row changes taken back to let earlier arrivals go first
}

// ApplyPulled applies entries pulled from the upstream, in arrival order,
// with the progress recorded in the transaction of each entry's effect;
// entries at or before the last arrival applied are passed over, so a pull
// repeated after a cut doubles nothing. Entries must come in arrival order.
//
// Entries are applied in batches of up to applyBatch per transaction, each
// operation in a savepoint (a refusal rolls back that operation only);
// the kinds whose methods read the committed state through other
// connections (a roster's plan and conflicts) get a transaction each.
func (m *Mirror) ApplyPulled(ctx context.Context, es []PulledEntry) (ApplyCounts, error) {
	var n ApplyCounts
	console, err := m.ConsoleID(ctx)
	if err != nil {
		return n, err
	}
	// Where sync stands, read once: this function is the only writer of
	// these keys while it runs (the sync lock), so it follows them itself.
	var st batchState
	if st.arrival, err = metaInt(ctx, m.DB, "sync_arrival"); err != nil {
		return n, err
	}
	if st.base, err = metaInt(ctx, m.DB, "sync_base"); err != nil {
		return n, err
	}
	if st.phase, err = metaTx(ctx, m.DB, "sync_phase"); err != nil {
		return n, err
	}
	st.console = console
	var tx *sql.Tx
	var on func() error // the undo log back on, at the batch's end
	inBatch := 0
	commit := func() error {
		if tx == nil {
			return nil
		}
		if err := on(); err != nil {
			return err
		}
		err := tx.Commit()
		forgetStatements(tx)
		tx, inBatch = nil, 0
		return err
	}
	defer func() {
		if tx != nil {
			_ = tx.Rollback()
			forgetStatements(tx)
		}
	}()
	for _, pe := range es {
		e, within, err := checkPulled(pe)
		if err != nil {
			return n, err
		}
		if applyAlone[e.Kind] && !within {
			if err := commit(); err != nil {
				return n, err
			}
		} else if tx == nil {
			if tx, err = m.DB.BeginTx(ctx, nil); err != nil {
				return n, err
			}
			// What arrivals write is never taken back: no undo log for it.
			if on, err = captureOff(ctx, tx); err != nil {
				return n, err
			}
		}
		var q queryRower = m.DB
		bctx := ctx
		if tx != nil {
			q, bctx = tx, withAmbient(ctx, tx)
			inBatch++
		}
		if err := m.applyOne(bctx, q, tx, &st, pe, e, within, &n); err != nil {
			return n, err
		}
		if inBatch >= applyBatch {
			if err := commit(); err != nil {
				return n, err
			}
		}
	}
	return n, commit()
}

// applyBatch is how many pulled entries one transaction applies at most.
const applyBatch = 500

// applyAlone are the kinds applied in a transaction of their own.
var applyAlone = map[string]bool{data.KindRosterAssign: true, data.KindRosterUnassign: true, data.KindRosterPublish: true,
	data.KindRosterAutofill: true}

// batchState is where sync stands while ApplyPulled runs.
type batchState struct {
	console string
	arrival int64  // the last arrival applied
	base    int64  // this console's entries made before it could sync
	phase   string // "" or "undone N"
}

// applyOne applies one pulled entry: q reads what the batch wrote so far;
// tx is the batch's transaction (nil: the entry gets its own).
func (m *Mirror) applyOne(ctx context.Context, q queryRower, tx *sql.Tx, st *batchState, pe PulledEntry, e data.JournalEntry, within bool,
	n *ApplyCounts) error {
	if pe.Arrival <= st.arrival {
		return nil
	}
	own := e.Console == st.console
	r := &replay{entry: e, raw: pe.Entry, arrival: pe.Arrival, own: own}
	// Outcomes with no operation to run: written straight into the batch.
	logged := func(outcome string, f *data.Refusal) error {
		st.arrival = pe.Arrival
		if tx != nil {
			return logOutcome(ctx, tx, r, outcome, f)
		}
		return m.logOnly(ctx, r, outcome, f)
	}
	if !SharedKind(e.Kind, e.Actor) || within || own && e.Seq <= st.base {
		outcome := "skipped"
		if within {
			outcome = "within"
		} else if own && SharedKind(e.Kind, e.Actor) {
			outcome = "applied" // made before the mirror could sync: in the mirror as it was made
		}
		n.Skipped++
		return logged(outcome, nil)
	}
	if own && st.phase == "" {
		var refused bool
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sync_refused_local WHERE seq = ?)`, e.Seq).Scan(&refused); err != nil {
			return err
		}
		if !refused {
			// The first pending change, and nothing arrived before it
			// that it was not already on top of: it stands as made.
			n.Confirmed++
			return logged("applied", nil)
		}
	}
	if st.phase == "" {
		undone, err := m.undoPending(ctx)
		if err != nil {
			return err
		}
		n.Undone += undone
		if st.phase, err = metaTx(ctx, q, "sync_phase"); err != nil {
			return err
		}
	}
	st.arrival = pe.Arrival
	if err := m.apply(ctx, r); err != nil {
		var f *data.Refusal
		if !errors.As(err, &f) {
			return fmt.Errorf("applying entry %d of console %s (%s): %w", e.Seq, e.Console, e.Kind, err)
		}
		n.Rejected++
		return logged("rejected", f)
	}
	n.Applied++
	return nil
}

// checkPulled takes a pulled entry apart, checking that it is canonical and
// that its hash is its own (the chain's links the upstream checked).
func checkPulled(pe PulledEntry) (data.JournalEntry, bool, error) {
	var e data.JournalEntry
	f, err := journal.Parse(pe.Entry)
	if err != nil {
		return e, false, fmt.Errorf("pulled arrival %d: %w", pe.Arrival, err)
	}
	if journal.Canonical(f) != pe.Entry {
		return e, false, fmt.Errorf("pulled arrival %d: the entry is not in canonical form", pe.Arrival)
	}
	var h journal.Hasher
	if want, err := h.Hash(pe.PrevHash, f); err != nil || want != pe.Hash {
		return e, false, fmt.Errorf("pulled arrival %d: the entry does not match its hash", pe.Arrival)
	}
	at, err := gpkg.ParseTime(f.At)
	if err != nil {
		return e, false, fmt.Errorf("pulled arrival %d: %w", pe.Arrival, err)
	}
	var p struct {
		Within string `json:"within"`
	}
	if err := json.Unmarshal([]byte(f.Payload), &p); err != nil {
		return e, false, fmt.Errorf("pulled arrival %d: %w", pe.Arrival, err)
	}
	return data.JournalEntry{Seq: pe.Seq, ID: f.ID, Console: f.Console, Actor: f.Actor, At: at, Kind: f.Kind, Subject: f.Subject,
		Payload: f.Payload, PrevHash: pe.PrevHash, Hash: pe.Hash}, p.Within != "", nil
}

// pendingWhere picks this console's journal entries not yet confirmed (?1
// the last confirmed, ?2 sync_base) that sync may take back and take
// again: the shared kinds made by a person, not parts of a larger change.
var pendingWhere = `seq > ?1 AND seq > ?2 AND actor != 'system' AND json_extract(entry, '$.payload.within') IS NULL AND kind IN (` +
	sharedKindsSQL() + `)`

// sharedKindsSQL is the list of the shared kinds as SQL strings, sorted.
func sharedKindsSQL() string {
	kinds := slices.Sorted(maps.Keys(sharedKinds))
	for i, k := range kinds {
		kinds[i] = "'" + k + "'"
	}
	return strings.Join(kinds, ",")
}

// undoPending takes back every pending change, newest first, in one
// transaction that also records the phase: until they are taken again,
// changes made here are refused (permitted).
func (m *Mirror) undoPending(ctx context.Context) (int, error) {
	var undone int
	err := m.update(ctx, func(tx *sql.Tx) error {
		confirmed, err := metaInt(ctx, tx, "sync_confirmed")
		if err != nil {
			return err
		}
		base, err := metaInt(ctx, tx, "sync_base")
		if err != nil {
			return err
		}
		var first sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(seq) FROM journal WHERE `+pendingWhere, confirmed, base).Scan(&first); err != nil {
			return err
		}
		from := first.Int64
		if !first.Valid {
			from = 1<<62 - 1 // none pending: nothing to take back, nothing to take again
		}
		if undone, err = undoFrom(ctx, tx, from); err != nil {
			return err
		}
		return setMetaTx(ctx, tx, "sync_phase", "undone "+strconv.FormatInt(from, 10))
	})
	return undone, err
}

// Reapply takes the pending changes sync took back again on top, oldest
// first, each in its own transaction; one no longer valid there is kept
// out (sync_refused_local) until its own arrival decides. It returns how
// many it took again and how many it kept out.
func (m *Mirror) Reapply(ctx context.Context) (applied, refused int, err error) {
	for {
		phase, err := metaTx(ctx, m.DB, "sync_phase")
		if err != nil || phase == "" {
			return applied, refused, err
		}
		from, err := strconv.ParseInt(strings.TrimPrefix(phase, "undone "), 10, 64)
		if err != nil {
			return applied, refused, fmt.Errorf("sync phase %q: %w", phase, err)
		}
		confirmed, err := metaInt(ctx, m.DB, "sync_confirmed")
		if err != nil {
			return applied, refused, err
		}
		base, err := metaInt(ctx, m.DB, "sync_base")
		if err != nil {
			return applied, refused, err
		}
		var seq int64
		var raw, prev, hash string
		err = m.DB.QueryRowContext(ctx, `SELECT seq, entry, prev_hash, hash FROM journal WHERE `+pendingWhere+` AND seq >= ?3 ORDER BY seq LIMIT 1`,
			confirmed, base, from).Scan(&seq, &raw, &prev, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return applied, refused, m.update(ctx, func(tx *sql.Tx) error { return setMetaTx(ctx, tx, "sync_phase", "") })
		}
		if err != nil {
			return applied, refused, err
		}
		e, _, err := checkPulled(PulledEntry{Seq: seq, Entry: raw, PrevHash: prev, Hash: hash})
		if err != nil {
			return applied, refused, err
		}
		r := &replay{entry: e, raw: raw, own: true}
		if err := m.apply(ctx, r); err != nil {
			var f *data.Refusal
			if !errors.As(err, &f) {
				return applied, refused, fmt.Errorf("taking entry %d again: %w", seq, err)
			}
			if err := m.update(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO sync_refused_local (seq, refusal) VALUES (?, ?)
					ON CONFLICT (seq) DO UPDATE SET refusal = excluded.refusal`, seq, refusalJSON(f)); err != nil {
					return err
				}
				return setMetaTx(ctx, tx, "sync_phase", "undone "+strconv.FormatInt(seq+1, 10))
			}); err != nil {
				return applied, refused, err
			}
			refused++
			continue
		}
		applied++
	}
}

// record is the outcome of a replayed entry whose operation went through,
// in the operation's transaction (kind: what the operation journaled; ""
// when it changed nothing).
func (r *replay) record(ctx context.Context, tx *sql.Tx, kind string) error {
	if kind != "" && kind != r.entry.Kind {
		return fmt.Errorf("replaying entry %s (%s), the operation journaled %s", r.entry.ID, r.entry.Kind, kind)
	}
	if r.done {
		return fmt.Errorf("replaying entry %s (%s): journaled twice", r.entry.ID, r.entry.Kind)
	}
	r.done = true
	if r.arrival > 0 {
		return logOutcome(ctx, tx, r, "applied", nil)
	}
	// Taken again on top: its rows go back into the undo log under its
	// position, and the phase moves past it.
	if _, err := tx.ExecContext(ctx, `UPDATE sync_undo SET seq = ? WHERE seq IS NULL`, r.entry.Seq); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_refused_local WHERE seq = ?`, r.entry.Seq); err != nil {
		return err
	}
	return setMetaTx(ctx, tx, "sync_phase", "undone "+strconv.FormatInt(r.entry.Seq+1, 10))
}

// logOnly records an entry's outcome in a transaction of its own.
func (m *Mirror) logOnly(ctx context.Context, r *replay, outcome string, f *data.Refusal) error {
	return m.update(ctx, func(tx *sql.Tx) error { return logOutcome(ctx, tx, r, outcome, f) })
}

// logOutcome writes an arrival's outcome and moves the progress past it.
// An own entry's text is in the journal already: not kept twice.
func logOutcome(ctx context.Context, tx *sql.Tx, r *replay, outcome string, f *data.Refusal) error {
	var refusal any
	if f != nil {
		refusal = refusalJSON(f)
	}
	e := r.entry
	raw := r.raw
	if r.own {
		raw = ""
	}
	if err := execCached(ctx, tx, `INSERT INTO sync_log (arrival, entry_id, console, console_seq, kind, subject, actor, at, entry,
		outcome, refusal, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.arrival, e.ID, e.Console, e.Seq, e.Kind, e.Subject,
		e.Actor, gpkg.FormatTime(e.At), raw, outcome, refusal, gpkg.FormatTime(time.Now())); err != nil {
		return err
	}
	if err := execCached(ctx, tx, setMetaSQL, "sync_arrival", strconv.FormatInt(r.arrival, 10)); err != nil {
		return err
	}
	if r.own {
		if err := execCached(ctx, tx, setMetaSQL, "sync_confirmed", strconv.FormatInt(e.Seq, 10)); err != nil {
			return err
		}
		if err := execCached(ctx, tx, `DELETE FROM sync_refused_local WHERE seq <= ?`, e.Seq); err != nil {
			return err
		}
		if err := execCached(ctx, tx, `DELETE FROM sync_undo WHERE seq <= ?`, e.Seq); err != nil {
			return err
		}
	}
	// What an arrival's operation wrote stands: it is never taken back.
	return execCached(ctx, tx, `DELETE FROM sync_undo WHERE seq IS NULL`)
}

// txStatements are the statements prepared in a batch's transaction, kept
// until it ends: preparing each statement anew was a third of applying an
// entry that only records its outcome.
var txStatements sync.Map // *sql.Tx → map[string]*sql.Stmt

func execCached(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	v, _ := txStatements.LoadOrStore(tx, map[string]*sql.Stmt{})
	cache := v.(map[string]*sql.Stmt)
	st, ok := cache[query]
	if !ok {
		var err error
		if st, err = tx.PrepareContext(ctx, query); err != nil {
			return err
		}
		cache[query] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

// forgetStatements drops a finished transaction's statements (database/sql
// closed them with it).
func forgetStatements(tx *sql.Tx) { txStatements.Delete(tx) }

// refusalJSON is a refusal as sync_log keeps it.
func refusalJSON(f *data.Refusal) string {
	type arg struct {
		Name  string       `json:"name"`
		Value string       `json:"value"`
		Kind  data.ArgKind `json:"kind,omitempty"`
	}
	v := struct {
		Code  data.Code `json:"code"`
		Field string    `json:"field,omitempty"`
		Args  []arg     `json:"args,omitempty"`
	}{Code: f.Code, Field: f.Field}
	for _, a := range f.Args {
		v.Args = append(v.Args, arg(a))
	}
	b, _ := json.Marshal(v) // strings and a small integer: cannot fail
	return string(b)
}

// refusalFromJSON reads a refusal refusalJSON wrote.
func refusalFromJSON(s string) (*data.Refusal, error) {
	var v struct {
		Code  data.Code `json:"code"`
		Field string    `json:"field"`
		Args  []struct {
			Name  string       `json:"name"`
			Value string       `json:"value"`
			Kind  data.ArgKind `json:"kind"`
		} `json:"args"`
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	f := &data.Refusal{Code: v.Code, Field: v.Field}
	for _, a := range v.Args {
		f.Args = append(f.Args, data.Arg{Name: a.Name, Value: a.Value, Kind: a.Kind})
	}
	return f, nil
}
