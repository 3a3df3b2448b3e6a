package mirror

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// SyncOutcome is what sync did with one arrival.
type SyncOutcome struct {
	Arrival int64
	EntryID string
	Console string
	Seq     int64 // its position in its console's chain
	Kind    string
	Subject string
	Actor   string
	At      time.Time
	Outcome string        // applied, rejected, skipped, within
	Refusal *data.Refusal // why it was rejected
}

// SyncConflicts lists this console's own changes that sync rejected (no
// longer valid after another console's that arrived first), newest first:
// what the console shows its authors to resolve.
func (m *Mirror) SyncConflicts(ctx context.Context, limit int) ([]SyncOutcome, error) {
	console, err := m.ConsoleID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT arrival, entry_id, console, console_seq, kind, subject, actor, at, outcome, refusal
		FROM sync_log WHERE console = ? AND outcome = 'rejected' AND resolved_at IS NULL ORDER BY arrival DESC LIMIT ?`, console, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SyncOutcome
	for rows.Next() {
		var o SyncOutcome
		var at gpkg.Time
		var refusal *string
		if err := rows.Scan(&o.Arrival, &o.EntryID, &o.Console, &o.Seq, &o.Kind, &o.Subject, &o.Actor, &at, &o.Outcome, &refusal); err != nil {
			return nil, err
		}
		o.At = at.Time
		if refusal != nil {
			if o.Refusal, err = refusalFromJSON(*refusal); err != nil {
				return nil, err
			}
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ResolveConflict marks one of this console's changes that sync rejected
// as resolved (its author has seen it, and done again what still needed
// doing): by its author only, journaled here (not shared: each console
// shows its own authors their conflicts).
func (m *Mirror) ResolveConflict(ctx context.Context, entryID, actor string, now time.Time) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, actor, data.ActSyncResolve)
		if err != nil {
			return err
		}
		var author, kind, subject string
		var resolved sql.NullString
		err = tx.QueryRowContext(ctx, `SELECT actor, kind, subject, resolved_at FROM sync_log
			WHERE entry_id = ? AND outcome = 'rejected' AND console = (SELECT value FROM kapok_meta WHERE key = 'console_id')`,
			entryID).Scan(&author, &kind, &subject, &resolved)
		if errors.Is(err, sql.ErrNoRows) {
			return data.Refuse(data.CodeConflictUnknown, "entry", data.Value("entry", entryID))
		}
		if err != nil {
			return err
		}
		if author != user.Login && user.Role != data.RoleSystem {
			return data.Refuse(data.CodeConflictNotYours, "entry", data.Value("entry", entryID), data.Value("author", author))
		}
		if resolved.Valid {
			return data.Refuse(data.CodeConflictResolved, "entry", data.Value("entry", entryID))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sync_log SET resolved_at = ? WHERE entry_id = ?`, gpkg.FormatTime(now), entryID); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindSyncResolve, Subject: entryID, Actor: user.Login, At: now,
			Payload: map[string]any{"entry": entryID, "kind": kind, "subject": subject}})
		return err
	})
}
