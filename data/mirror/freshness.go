package mirror

import (
	"context"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// Freshness is how current a mirror's data are at an instant: what a
// briefing's "数据截至" line and its age say.
type Freshness struct {
	// Built is when the mirror's data were made as of (kapok_meta as_of:
	// the demo's now, an import's time); zero when it has none.
	Built time.Time
	// LastFeed is the newest arrival of outside data up to now: values
	// fed, a layer imported, the demo built (their journal entries).
	LastFeed time.Time
	// Latest is the newest instant the mirror holds outside data for up to
	// now: the last value fed (its own time), the last feed, import or
	// build. A change made at a console (an order, a case step) is not
	// data arriving and does not move it.
	Latest time.Time
}

// feedKinds are the journal kinds by which outside data arrive.
var feedKinds = sqlList([]string{data.KindIndicatorFeed, data.KindImport, data.KindDemoBuild})

// FreshnessAt reads how current the mirror is at now (values and entries
// after now, which a clock set back would see, are not counted).
func (m *Mirror) FreshnessAt(ctx context.Context, now time.Time) (Freshness, error) {
	var f Freshness
	var built string
	var feed, value gpkg.NullTime
	cut := gpkg.FormatTime(now)
	err := m.DB.QueryRowContext(ctx, `SELECT
		  coalesce((SELECT value FROM kapok_meta WHERE key = 'as_of'), ''),
		  (SELECT max(at) FROM journal WHERE kind IN `+feedKinds+` AND at <= ?1),
		  (SELECT max(at) FROM indicator_latest WHERE at <= ?1)`, cut).Scan(&built, &feed, &value)
	if err != nil {
		return f, err
	}
	if built != "" {
		t, err := gpkg.ParseTime(built)
		if err == nil && !t.After(now) {
			f.Built = t
		}
	}
	f.LastFeed = feed.Time
	f.Latest = f.Built
	for _, t := range []time.Time{feed.Time, value.Time} {
		if t.After(f.Latest) {
			f.Latest = t
		}
	}
	return f, nil
}
