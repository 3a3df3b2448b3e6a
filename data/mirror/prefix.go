package mirror

import "kapok/data"

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
