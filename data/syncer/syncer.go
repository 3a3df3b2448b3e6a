// Package syncer runs a sync between a console's mirror (data/mirror) and
// the city platform's upstream (data/upstream): check that this console's
// journal still leads to the head the upstream holds for it, push the
// entries the upstream lacks, pull every console's entries in arrival
// order and apply them, take this console's pending changes again on top,
// and pull the reference rows changed since the last version seen. Each
// step records its progress in the mirror in the transaction of its
// effect, so a sync cut anywhere (connection closed, process killed) is
// resumed by the next one, which neither loses nor doubles anything.
package syncer

import (
	"context"
	"errors"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/upstream"
)

// Batch is how many entries a push or a pull carries at most.
const Batch = 2000

// Result is what one sync did.
type Result struct {
	Pushed     int // this console's entries the upstream took
	Pulled     int // entries pulled (every console's, own ones included)
	Applied    mirror.ApplyCounts
	Reapplied  int // pending changes taken again on top
	KeptOut    int // pending changes no longer valid on top, waiting for their arrival
	RefAdded   int
	RefUpdated int
	Took       time.Duration
	// Where the time went: the upstream's side (head, push, pull,
	// reference rows) and the mirror's (reading, applying, recording).
	Upstream, Mirror time.Duration
}

// Run syncs m with the upstream db once. Only one sync of a mirror runs at
// a time (a lock beside the file); a second is refused with sync_busy.
// How it ended is recorded in the mirror (SyncState: last sync, last error).
func Run(ctx context.Context, m *mirror.Mirror, db upstream.DB, now func() time.Time) (Result, error) {
	start := time.Now()
	unlock, err := m.LockSync()
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	res, err := run(ctx, m, db)
	if err != nil {
		// Cut: this console's pending changes go back on top of what
		// was applied, so it works on while the upstream is away.
		if _, _, rerr := m.Reapply(context.WithoutCancel(ctx)); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	res.Took = time.Since(start)
	res.Mirror = res.Took - res.Upstream
	// The outcome is recorded even when the caller's context ended.
	if merr := m.MarkSynced(context.WithoutCancel(ctx), now(), err); merr != nil && err == nil {
		err = merr
	}
	return res, err
}

func run(ctx context.Context, m *mirror.Mirror, db upstream.DB) (Result, error) {
	var res Result
	st, err := m.SyncState(ctx)
	if err != nil {
		return res, err
	}
	// 0. The journal must hold here: an entry edited since it went up
	// would be this console's word against the upstream's copy.
	check, err := m.VerifyJournal(ctx)
	if err != nil {
		return res, err
	}
	if !check.OK() {
		return res, check.Fault
	}
	// 1. This console's chain must lead to the head the upstream holds.
	up := time.Now()
	head, headHash, err := upstream.Head(ctx, db, st.Console)
	res.Upstream += time.Since(up)
	if err != nil {
		return res, err
	}
	if head > 0 {
		h, ok, err := m.EntryHash(ctx, head)
		if err != nil {
			return res, err
		}
		if !ok {
			return res, data.Refuse(data.CodeJournalBehind, "", data.Value("local", st.Head), data.Value("upstream", head))
		}
		if h != headHash {
			return res, data.Refuse(data.CodeJournalDiverged, "", data.Value("entry", head))
		}
		if err := m.MarkPushed(ctx, head); err != nil {
			return res, err
		}
	}
	// 2. Reference rows changed since the last version seen, before the
	// push: what the pull records in the journal goes up with this push.
	up = time.Now()
	changes, version, err := upstream.ReferenceSince(ctx, db, st.RefVersion)
	if err != nil {
		return res, err
	}
	res.Upstream += time.Since(up)
	if version > st.RefVersion {
		tables := make([]mirror.RefTable, len(changes))
		for i, c := range changes {
			tables[i] = mirror.RefTable{Name: c.Table.Name, Columns: c.Table.Columns, Rows: c.Rows}
		}
		if res.RefAdded, res.RefUpdated, err = m.ApplyReference(ctx, tables, version, time.Now()); err != nil {
			return res, err
		}
	}
	// 3. Push what the upstream lacks.
	for {
		es, err := m.EntriesAfter(ctx, head, Batch)
		if err != nil || len(es) == 0 {
			if err != nil {
				return res, err
			}
			break
		}
		out := make([]upstream.Entry, len(es))
		for i, e := range es {
			out[i] = upstream.Entry{Seq: e.Seq, Entry: e.Entry, PrevHash: e.PrevHash, Hash: e.Hash}
		}
		up := time.Now()
		if head, err = upstream.Push(ctx, db, st.Console, out); err != nil {
			return res, err
		}
		res.Upstream += time.Since(up)
		if err := m.MarkPushed(ctx, head); err != nil {
			return res, err
		}
		res.Pushed += len(es)
	}
	// 4. Pull every console's entries in arrival order and apply them.
	for {
		st, err := m.SyncState(ctx)
		if err != nil {
			return res, err
		}
		up := time.Now()
		es, err := upstream.Pull(ctx, db, st.Arrival, Batch)
		if err != nil {
			return res, err
		}
		res.Upstream += time.Since(up)
		if len(es) == 0 {
			break
		}
		in := make([]mirror.PulledEntry, len(es))
		for i, e := range es {
			in[i] = mirror.PulledEntry{Arrival: e.Arrival, Seq: e.Seq, Entry: e.Entry, PrevHash: e.PrevHash, Hash: e.Hash}
		}
		n, err := m.ApplyPulled(ctx, in)
		res.Pulled += len(es)
		res.Applied.Applied += n.Applied
		res.Applied.Confirmed += n.Confirmed
		res.Applied.Rejected += n.Rejected
		res.Applied.Skipped += n.Skipped
		res.Applied.Undone += n.Undone
		if err != nil {
			return res, err
		}
	}
	// 5. This console's pending changes again on top.
	if res.Reapplied, res.KeptOut, err = m.Reapply(ctx); err != nil {
		return res, err
	}
	return res, nil
}
