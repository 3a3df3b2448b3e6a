package mirror

import (
	"context"
	"database/sql"
	"strings"

	"kapok/data"
)

func init() { goSteps[6] = matterClocks }

// matterClocks fills the matter catalogue's new columns (limits in hours or
// working days, extensions, grace, capabilities) from the embedded
// catalogue, for the matters the mirror has.
func matterClocks(ctx context.Context, tx *sql.Tx) error {
	ms, err := data.Matters()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := tx.ExecContext(ctx, `UPDATE matter_types SET limit_value = ?, limit_unit = ?, extensions_allowed = ?,
			grace_hours = ?, capabilities = ? WHERE code = ?`, m.Limit, m.LimitUnit, m.Extensions, int(m.Grace.Hours()),
			strings.Join(m.Capabilities, ","), m.Code); err != nil {
			return err
		}
	}
	return nil
}
