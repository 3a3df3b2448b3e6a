package mirror

import (
	"context"
	"database/sql"

	"github.com/google/uuid"
)

func init() { goSteps[18] = innovationSync }

// innovationSync is the Go part of migration 18: a UUIDv7 for each
// milestone already there, the uid unique and required from now on (SQLite
// adds no NOT NULL column to rows already there: a trigger requires it),
// and the undo log's shadows and triggers on the innovation tables.
func innovationSync(ctx context.Context, tx *sql.Tx) error {
	ids, err := queryColumn[int64](ctx, tx, `SELECT id FROM milestones WHERE uid IS NULL ORDER BY id`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		u, err := uuid.NewV7()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE milestones SET uid = ? WHERE id = ?`, u.String(), id); err != nil {
			return err
		}
	}
	for _, stmt := range []string{
		`CREATE UNIQUE INDEX milestones_uid ON milestones (uid)`,
		`CREATE TRIGGER milestones_uid_required BEFORE INSERT ON milestones WHEN NEW.uid IS NULL
			BEGIN SELECT RAISE(ABORT, 'milestones.uid is required'); END`,
		`CREATE TRIGGER milestones_uid_kept BEFORE UPDATE OF uid ON milestones WHEN NEW.uid IS NOT OLD.uid
			BEGIN SELECT RAISE(ABORT, 'milestones.uid does not change'); END`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return makeUndoTriggersFor(ctx, tx, innovationUndoTables)
}
