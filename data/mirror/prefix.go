package mirror

import (
	"context"

	"kapok/data"
)

// checkPrefix refuses a region filter that is not digits. The reads filter
// by a code prefix with SQL LIKE (which keeps the indexes' use): a '%' or
// '_' in it would match as a wildcard — "%" listing every region's cases —
// and codes are digits, so anything else is no region's.
func checkPrefix(code string) error {
	if code != "" && !data.AllDigits(code) {
		return data.Refuse(data.CodeRegionCodeInvalid, "region", data.Value("code", code))
	}
	return nil
}

// GridCodes are the codes of the grids under a region (a code prefix), in
// code order: what a community's list of its grids needs, without reading
// every grid's geometry as LoadGrids does.
func (m *Mirror) GridCodes(ctx context.Context, region string) ([]string, error) {
	if err := checkPrefix(region); err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT code FROM grids WHERE code LIKE ? || '%' ORDER BY code`, region)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
