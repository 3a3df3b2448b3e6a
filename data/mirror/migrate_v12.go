package mirror

import (
	"context"
	"database/sql"

	"kapok/data"
)

func init() { goSteps[12] = indicatorCatalogue }

// indicatorCatalogue brings the indicators a mirror has in step with the
// embedded catalogue: names, thresholds (recalibrated: the demo's first
// thresholds put nine values in ten in alarm), rollup, mode, hysteresis,
// refresh and source.
func indicatorCatalogue(ctx context.Context, tx *sql.Tx) error {
	defs, err := data.Indicators()
	if err != nil {
		return err
	}
	for _, d := range defs {
		if _, err := tx.ExecContext(ctx, `UPDATE indicator_defs SET category = ?, name_zh = ?, name_en = ?, unit = ?, direction = ?,
			warn = ?, alarm = ?, rollup = ?, threshold = ?, hysteresis = ?, refresh_seconds = ?, source = ? WHERE code = ?`,
			d.Category, d.NameZh, d.NameEn, d.Unit, d.Direction, d.Warn, d.Alarm, d.Rollup, d.Threshold, d.Hysteresis,
			int64(d.Refresh.Seconds()), d.Source, d.Code); err != nil {
			return err
		}
	}
	return nil
}
