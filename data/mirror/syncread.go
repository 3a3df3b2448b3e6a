package mirror

import (
	"context"
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
