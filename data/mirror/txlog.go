package mirror

import (
	"context"
	"database/sql"
	"strconv"
	"sync"

	"github.com/google/uuid"
)

// txLog is what one write transaction remembers for its journal entries:
// the keys it minted (so that another console replaying the entry mints the
// same ones), whether the entries it writes now are part of a larger change
// (the patrol orders a roster's publication issues), and, when the
// transaction replays an entry pulled by sync, that entry.
type txLog struct {
	minted []string
	within string // the larger change's kind, while its parts are journaled
	replay *replay
	next   int // replay: the next recorded key to hand out
}

// txLogs holds the log of each open write transaction. A map keyed by the
// transaction, because the functions that mint keys are handed the
// transaction and not the context the transaction was begun with.
var txLogs sync.Map // *sql.Tx → *txLog

func logOf(tx *sql.Tx) *txLog {
	if l, ok := txLogs.Load(tx); ok {
		return l.(*txLog)
	}
	return nil
}

// beginLog starts the log of tx, replaying the entry ctx carries, if any.
func beginLog(ctx context.Context, tx *sql.Tx) func() {
	txLogs.Store(tx, &txLog{replay: replayOf(ctx)})
	return func() { txLogs.Delete(tx) }
}

// newUID is a new globally unique key: a UUIDv7, which sorts by time of
// creation and so keeps the keys' index compact. Inside a transaction begun
// by update it is recorded for the journal entry; replaying an entry, it is
// the key the entry's console minted at that point (past the recorded ones,
// a key derived from the entry's id, the same on every console).
func newUID(tx *sql.Tx) (string, error) {
	l := logOf(tx)
	if l != nil && l.replay != nil {
		l.next++
		if l.next <= len(l.replay.minted) {
			return l.replay.minted[l.next-1], nil
		}
		return uuid.NewSHA1(uuid.NameSpaceOID, []byte(l.replay.entry.ID+"/"+strconv.Itoa(l.next))).String(), nil
	}
	u, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	if l != nil {
		l.minted = append(l.minted, u.String())
	}
	return u.String(), nil
}

// within marks the journal entries written in tx until the returned func
// runs as parts of a change of the given kind: sync replays that change,
// not its parts.
func within(tx *sql.Tx, kind string) func() {
	l := logOf(tx)
	if l == nil || l.within != "" {
		return func() {}
	}
	l.within = kind
	return func() { l.within = "" }
}
