package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
	"kapok/data/redcotton"
)

// FeedAhead is how far past now a fed value's time may lie (clocks of the
// sources differ a little; a value from the future is a mistake).
const FeedAhead = 5 * time.Minute

// FeedResult is what a feed did.
type FeedResult struct {
	Values     int
	Evaluation data.EvaluationResult
	IndexDays  int // days whose Red Cotton Index was computed again
}

// Feed appends indicator values, then evaluates every indicator and
// computes again the Red Cotton Index of the days the districts' values
// fell on, all in one transaction with one journal entry, so that a feed is
// taken whole or not at all. A value of an unknown indicator or region, not a finite number,
// more than FeedAhead past now, or that the mirror (or the feed itself)
// has already for that indicator, region and time, is refused with an
// *data.InputError naming source and the record's number (from 1), and
// nothing is written.
func (m *Mirror) Feed(ctx context.Context, source string, rs []data.Reading, actor string, now time.Time) (FeedResult, error) {
	var res FeedResult
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, actor, data.ActFeed)
		if err != nil {
			return err
		}
		defs, err := indicatorDefs(ctx, tx)
		if err != nil {
			return err
		}
		ids := make(map[string]int, len(defs))
		for _, d := range defs {
			ids[d.Code] = d.ID
		}
		regions, err := regionCodes(ctx, tx)
		if err != nil {
			return err
		}
		archive := archiveLookup{tx: tx, days: map[archiveDay][]bool{}}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO indicator_readings (indicator_id, region_code, at, value) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		var first, last time.Time
		districtDays := map[string]bool{} // the Beijing days of districts' values: their index is computed again
		for i, r := range rs {
			bad := func(reason string) error {
				return &data.InputError{File: source, Record: fmt.Sprintf("record %d", i+1), Reason: reason}
			}
			id, ok := ids[r.Indicator]
			switch {
			case !ok:
				return bad(fmt.Sprintf("no indicator %q", r.Indicator))
			case !regions[r.Region]:
				return bad(fmt.Sprintf("no region %q (a city, district or street code)", r.Region))
			case !user.Covers(r.Region):
				return bad(fmt.Sprintf("region %s is outside %s's jurisdiction %s", r.Region, user.Login, user.Jurisdiction))
			case math.IsNaN(r.Value) || math.IsInf(r.Value, 0):
				return bad(fmt.Sprintf("%v is not a number", r.Value))
			case r.At.IsZero():
				return bad("no time")
			case r.At.After(now.Add(FeedAhead)):
				return bad(fmt.Sprintf("%s is more than %v ahead of now (%s)", gpkg.FormatTime(r.At), FeedAhead, gpkg.FormatTime(now)))
			}
			dup, err := archive.has(ctx, id, r.Region, r.At)
			if err != nil {
				return err
			}
			if !dup {
				res, err := ins.ExecContext(ctx, id, r.Region, gpkg.Time{Time: r.At}, r.Value)
				if err != nil {
					return err
				}
				n, err := res.RowsAffected()
				if err != nil {
					return err
				}
				dup = n == 0
			}
			if dup {
				return bad(fmt.Sprintf("%s in %s at %s is there already", r.Indicator, r.Region, gpkg.FormatTime(r.At)))
			}
			if len(r.Region) == 6 || len(r.Region) == 9 { // a district's or a street's
				districtDays[r.At.In(data.BeijingTime).Format("2006-01-02")] = true
			}
			if first.IsZero() || r.At.Before(first) {
				first = r.At
			}
			if r.At.After(last) {
				last = r.At
			}
		}
		res.Values = len(rs)
		if len(rs) == 0 {
			return nil
		}
		payload := map[string]any{"source": source, "values": len(rs), "first": gpkg.FormatTime(first), "last": gpkg.FormatTime(last)}
		if _, err := journalAppend(ctx, tx, change{Kind: data.KindIndicatorFeed, Subject: source, Actor: user.Login, At: now, Payload: payload}); err != nil {
			return err
		}
		if res.Evaluation, err = evaluateTx(ctx, tx, now, &m.archive); err != nil {
			return err
		}
		// The Red Cotton Index of the days the districts' (streets') values changed.
		if len(districtDays) == 0 {
			return nil
		}
		def, err := redcotton.Load()
		if err != nil {
			return err
		}
		days := slices.Sorted(maps.Keys(districtDays))
		for _, d := range days {
			if _, err := WriteRedCotton(ctx, tx, def, d, d); err != nil {
				return err
			}
		}
		res.IndexDays = len(days)
		return nil
	})
	return res, err
}

// regionCodes is every region code: the cities, districts and streets
// (indicators are not measured for communities or grids).
func regionCodes(ctx context.Context, q querier) (map[string]bool, error) {
	codes, err := queryColumn[string](ctx, q, `SELECT code FROM cities UNION ALL SELECT code FROM districts UNION ALL SELECT code FROM streets`)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}

// archiveLookup answers whether the hourly archive has a value, reading
// each day's row once.
type archiveLookup struct {
	tx   *sql.Tx
	days map[archiveDay][]bool
}

type archiveDay struct {
	id       int
	district string
	day      string
}

// has is whether the archive holds the indicator's value in the region at
// t: only a district's, only on the hour.
func (a *archiveLookup) has(ctx context.Context, id int, region string, t time.Time) (bool, error) {
	local := t.In(data.BeijingTime)
	if len(region) != 6 || local.Minute() != 0 || local.Second() != 0 || local.Nanosecond() != 0 {
		return false, nil
	}
	k := archiveDay{id, region, local.Format("2006-01-02")}
	hours, ok := a.days[k]
	if !ok {
		var hourly sql.NullString
		err := a.tx.QueryRowContext(ctx, `SELECT hourly FROM indicator_values WHERE indicator_id = ? AND district_code = ? AND day = ?`,
			k.id, k.district, k.day).Scan(&hourly)
		if err != nil && err != sql.ErrNoRows {
			return false, err
		}
		hours = make([]bool, 24)
		for i, f := range strings.Split(strings.Trim(hourly.String, "[] \n"), ",") {
			if i < 24 && strings.TrimSpace(f) != "null" && strings.TrimSpace(f) != "" {
				hours[i] = true
			}
		}
		a.days[k] = hours
	}
	return hours[local.Hour()], nil
}
