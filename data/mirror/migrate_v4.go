package mirror

import (
	"context"
	"database/sql"
	"fmt"
)

func init() { goChecks[4] = everyTimeReadable }

// storedTimes are the columns migration 4 rewrites into the one time form.
var storedTimes = []struct{ table, column string }{
	{"kapok_schema", "applied_at"}, {"event_history", "at"},
	{"events", "reported_at"}, {"events", "dispatched_at"}, {"events", "deadline"}, {"events", "closed_at"},
	{"orders", "issued_at"}, {"orders", "start_at"}, {"orders", "end_at"}, {"orders", "updated_at"},
	{"gpkg_contents", "last_change"},
}

// everyTimeReadable refuses migration 4 when a stored time is not one SQLite
// can read: strftime would turn it into NULL, which the NOT NULL columns
// refuse but the nullable ones (an event's deadline, its closing time)
// would take silently, reopening a closed case.
func everyTimeReadable(ctx context.Context, tx *sql.Tx) error {
	for _, c := range storedTimes {
		var n int64
		var example sql.NullString
		q := fmt.Sprintf(`SELECT count(*), min(%[2]s) FROM %[1]s WHERE %[2]s IS NOT NULL AND strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', %[2]s) IS NULL`, c.table, c.column)
		if err := tx.QueryRowContext(ctx, q).Scan(&n, &example); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%s.%s: %d values are not times (for example %q): fix them before upgrading", c.table, c.column, n, example.String)
		}
	}
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kapok_meta WHERE key = 'as_of' AND strftime('%Y-%m-%dT%H:%M:%fZ', value) IS NULL`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("kapok_meta as_of is not a time: fix it before upgrading")
	}
	return nil
}
