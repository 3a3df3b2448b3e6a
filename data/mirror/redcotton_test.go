package mirror_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/redcotton"
	"kapok/internal/fixture"
)

// The fixture city's three days of index (2 districts, as of 09:00 on
// 2026-11-25 in Beijing).
var redCottonDays = []string{"2026-11-23", "2026-11-24", "2026-11-25"}

func redCottonDef(t *testing.T) *redcotton.Definition {
	t.Helper()
	def, err := redcotton.Load()
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// sameAsCompute checks that the day's rows are what redcotton.Compute
// makes of the inputs the mirror reads for that day, to the bit, and
// returns them.
func sameAsCompute(t *testing.T, m *mirror.Mirror, def *redcotton.Definition, day string) []mirror.RedCottonRow {
	t.Helper()
	in, err := m.RedCottonInputs(ctx, def, day)
	if err != nil {
		t.Fatal(err)
	}
	want := redcotton.Compute(def, in).Scores
	got, err := m.RedCottonRanking(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, Compute ranks %d", day, len(got), len(want))
	}
	for i := range got {
		if got[i].Score != want[i] || got[i].Day != day {
			t.Errorf("%s: row %+v, Compute %+v", day, got[i], want[i])
		}
	}
	return got
}

// The demo's index is the index computed from its indicator values; so is
// the index computed again (the same rows), the days replaced whole.
func TestRedCottonIsComputedFromTheIndicators(t *testing.T) {
	m := fixture.City(t)
	def := redCottonDef(t)
	for _, day := range redCottonDays {
		rows := sameAsCompute(t, m, def, day)
		if len(rows) != 2 || rows[0].Rank != 1 || rows[1].Rank != 2 || rows[0].Composite < rows[1].Composite {
			t.Fatalf("%s: %+v", day, rows)
		}
		names := map[string]string{"990101": "甲区", "990102": "乙区"}
		for _, r := range rows {
			if names[r.District] != r.Name {
				t.Errorf("%s named %q", r.District, r.Name)
			}
		}
	}
	// A stale row and a row of a day outside the range.
	mustExec(t, m, `UPDATE red_cotton_index SET composite = 1, rank = 9 WHERE day = '2026-11-24' AND district_code = '990101'`)
	mustExec(t, m, `INSERT INTO red_cotton_index VALUES ('990101', '2026-11-20', 1, 1, 1, 1, 1, 1, 1)`)
	// The demo fed its streets' inputs on the as-of day: their rows count.
	streets := count(t, m, `SELECT count(*) FROM red_cotton_street_index`)
	if c := count(t, m, `SELECT count(*) FROM red_cotton_street_index WHERE day = ?`, redCottonDays[2]); c != streets || c < 2 {
		t.Fatalf("%d street rows on the as-of day, %d in all", c, streets)
	}
	n, err := m.ComputeRedCotton(ctx, def, redCottonDays[0], redCottonDays[2])
	if err != nil || n != 6+int(streets) {
		t.Fatalf("computed %d rows, %v", n, err)
	}
	for _, day := range redCottonDays {
		sameAsCompute(t, m, def, day)
	}
	if c := count(t, m, `SELECT count(*) FROM red_cotton_index`); c != 7 {
		t.Fatalf("%d rows, want the 6 computed and the one outside the range", c)
	}
	// Every input has values in the fixture: nothing was re-weighted.
	in, err := m.RedCottonInputs(ctx, def, "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	if r := redcotton.Compute(def, in); len(r.Left) != 0 || len(r.Inputs["990101"]) != len(def.Inputs) {
		t.Fatalf("inputs missing: %+v", r)
	}
	for _, d := range in {
		if d.Grids != int(count(t, m, `SELECT count(*) FROM grids WHERE code LIKE ? || '%'`, d.Code)) || d.Grids == 0 {
			t.Errorf("%s: %d grids", d.Code, d.Grids)
		}
		for code, h := range d.Hours {
			for hour, v := range h {
				if math.IsNaN(v) {
					t.Errorf("%s %s: no value at %02d:00", d.Code, code, hour)
				}
			}
		}
	}
}

// Values fed for a district count in their hour: alone where the archive
// has none, averaged with the archive's value where it has one; the day
// computed again follows them.
func TestRedCottonTakesFedValues(t *testing.T) {
	m := fixture.City(t)
	def := redCottonDef(t)
	const code, district, day = "public_services-09H", "990102", "2026-11-25" // public satisfaction, %
	before, err := m.RedCottonInputs(ctx, def, day)
	if err != nil {
		t.Fatal(err)
	}
	archived := before[1].Hours[code]
	if before[1].Code != district || math.IsNaN(archived[9]) || !math.IsNaN(archived[10]) {
		t.Fatalf("the archive as of 09:00: %v", archived)
	}
	at := func(h, min int) time.Time { return time.Date(2026, 11, 25, h, min, 0, 0, data.BeijingTime) }
	if _, err := m.Feed(ctx, "test", []data.Reading{
		{Indicator: code, Region: district, At: at(9, 30), Value: 40},
		{Indicator: code, Region: district, At: at(10, 0), Value: 20},
		{Indicator: code, Region: district, At: at(10, 30), Value: 30},
		{Indicator: code, Region: "990102001", At: at(10, 0), Value: 0},               // a street's: not the district's
		{Indicator: code, Region: district, At: at(0, 0).Add(-time.Minute), Value: 0}, // the day before
	}, data.SystemLogin, at(11, 0)); err != nil {
		t.Fatal(err)
	}
	after, err := m.RedCottonInputs(ctx, def, day)
	if err != nil {
		t.Fatal(err)
	}
	h := after[1].Hours[code]
	if h[9] != (archived[9]+40)/2 || h[10] != 25 || !math.IsNaN(h[11]) || h[8] != archived[8] || h[0] != archived[0] {
		t.Fatalf("hours after the feed %v, archived %v", h, archived)
	}
	for i, v := range after[0].Hours[code] {
		if w := before[0].Hours[code][i]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
			t.Fatalf("the other district's hour %d moved: %v to %v", i, w, v)
		}
	}
	if _, err := m.ComputeRedCotton(ctx, def, day, day); err != nil {
		t.Fatal(err)
	}
	rows := sameAsCompute(t, m, def, day)
	// The low satisfaction fed puts 990102 at the bottom of that input.
	r := redcotton.Compute(def, after)
	if r.Inputs[district][code].Score != 0 || r.Inputs["990101"][code].Score != 100 || len(rows) != 2 {
		t.Fatalf("after the feed: %+v", r.Inputs)
	}
}

// A district with no value of any input of a dimension is left out of the
// day's ranking: no row, the other ranked alone.
func TestRedCottonLeavesOutADistrictWithoutADimension(t *testing.T) {
	m := fixture.City(t)
	def := redCottonDef(t)
	for _, in := range def.Inputs {
		if in.Dimension == redcotton.Harmony {
			mustExec(t, m, `DELETE FROM indicator_values WHERE district_code = '990102' AND day = '2026-11-24'
				AND indicator_id = (SELECT id FROM indicator_defs WHERE code = ?)`, in.Indicator)
		}
	}
	if n, err := m.ComputeRedCotton(ctx, def, "2026-11-24", "2026-11-24"); err != nil || n != 1 {
		t.Fatalf("%d rows, %v", n, err)
	}
	rows := sameAsCompute(t, m, def, "2026-11-24")
	if len(rows) != 1 || rows[0].District != "990101" || rows[0].Rank != 1 {
		t.Fatalf("%+v", rows)
	}
	if c := count(t, m, `SELECT count(*) FROM red_cotton_index WHERE day != '2026-11-24'`); c != 4 {
		t.Fatalf("the other days: %d rows", c)
	}
}

// A district's trend: its rows oldest first over the last days up to the
// index's latest day (or the day given); an unknown district is refused.
func TestRedCottonTrend(t *testing.T) {
	m := fixture.City(t)
	first, last, err := m.RedCottonDays(ctx)
	if err != nil || first != redCottonDays[0] || last != redCottonDays[2] {
		t.Fatalf("days %s to %s, %v", first, last, err)
	}
	days := func(rows []mirror.RedCottonRow) (out []string) {
		for _, r := range rows {
			if r.District != "990101" || r.Name != "甲区" {
				t.Fatalf("row %+v", r)
			}
			out = append(out, r.Day)
		}
		return out
	}
	for _, c := range []struct {
		last string
		n    int
		want []string
	}{
		{"", 30, redCottonDays},
		{"", 2, redCottonDays[1:]},
		{"2026-11-24", 30, redCottonDays[:2]},
		{"2026-11-23", 1, redCottonDays[:1]},
		{"2026-11-01", 30, nil},
	} {
		rows, err := m.RedCottonTrendTo(ctx, "990101", c.last, c.n)
		if got := days(rows); err != nil || len(got) != len(c.want) || len(got) > 0 && (got[0] != c.want[0] || got[len(got)-1] != c.want[len(c.want)-1]) {
			t.Errorf("trend to %q over %d: %v, %v; want %v", c.last, c.n, got, err, c.want)
		}
	}
	rows, err := m.RedCottonTrend(ctx, "990101", 30)
	if err != nil || len(rows) != 3 {
		t.Fatalf("30-day trend: %d rows, %v", len(rows), err)
	}
	ranking, err := m.RedCottonRanking(ctx, rows[2].Day)
	if err != nil || ranking[rows[2].Rank-1] != rows[2] {
		t.Fatalf("the trend's last day %+v is not the ranking's %+v", rows[2], ranking)
	}
	for _, code := range []string{"990199", "990101001", ""} {
		var r *data.Refusal
		if _, err := m.RedCottonTrend(ctx, code, 30); !errors.As(err, &r) || r.Code != data.CodeRegionUnknown {
			t.Errorf("trend of %q: %v", code, err)
		}
	}
}

// Days are YYYY-MM-DD, the first not after the last; a day without an
// index has an empty ranking.
func TestRedCottonDays(t *testing.T) {
	m := fixture.City(t)
	def := redCottonDef(t)
	for _, c := range [][2]string{{"2026-11-25", "2026-11-24"}, {"25/11/2026", "2026-11-25"}, {"2026-11-25", ""}} {
		if _, err := m.ComputeRedCotton(ctx, def, c[0], c[1]); err == nil {
			t.Errorf("computed %s to %s", c[0], c[1])
		}
	}
	if _, err := m.RedCottonRanking(ctx, "yesterday"); err == nil {
		t.Error("ranking of yesterday")
	}
	if rows, err := m.RedCottonRanking(ctx, "2026-12-01"); err != nil || len(rows) != 0 {
		t.Errorf("a day without index: %v %v", rows, err)
	}
	// A day without values: nothing written, that day's old rows gone.
	mustExec(t, m, `INSERT INTO red_cotton_index VALUES ('990101', '2026-12-01', 1, 1, 1, 1, 1, 1, 1)`)
	if n, err := m.ComputeRedCotton(ctx, def, "2026-12-01", "2026-12-01"); err != nil || n != 0 {
		t.Errorf("a day without values: %d rows, %v", n, err)
	}
	if c := count(t, m, `SELECT count(*) FROM red_cotton_index WHERE day = '2026-12-01'`); c != 0 {
		t.Errorf("%d rows left", c)
	}
}

// The streets' index: the values fed for streets, each input's daily
// mean (per grid for counts), scored by redcotton.Compute among the
// streets that have them; a street without a dimension is left out.
func TestRedCottonStreets(t *testing.T) {
	m := fixture.City(t)
	def := redCottonDef(t)
	const day = "2026-11-24"
	streets := []string{"990101001", "990101002", "990102001"}
	if n := count(t, m, `SELECT count(*) FROM streets WHERE code IN (?, ?, ?)`, streets[0], streets[1], streets[2]); n != 3 {
		t.Fatalf("%d of the streets %v", n, streets)
	}
	at := func(h int) time.Time { return time.Date(2026, 11, 24, h, 20, 0, 0, data.BeijingTime) }
	var rs []data.Reading
	for i, s := range streets {
		for j, in := range def.Inputs {
			if i == 2 && in.Dimension == redcotton.Harmony {
				continue // the third street lacks a dimension
			}
			v := float64(10 + (i*7+j*3)%11)
			rs = append(rs, data.Reading{Indicator: in.Indicator, Region: s, At: at(9), Value: v},
				data.Reading{Indicator: in.Indicator, Region: s, At: at(15), Value: v + float64(i)})
		}
	}
	res, err := m.Feed(ctx, "test", rs, data.SystemLogin, time.Date(2026, 11, 25, 9, 0, 0, 0, data.BeijingTime))
	if err != nil || res.IndexDays != 1 {
		t.Fatalf("feed: %+v, %v", res, err)
	}
	in, err := m.RedCottonStreetInputs(ctx, def, day)
	if err != nil {
		t.Fatal(err)
	}
	want := redcotton.Compute(def, in)
	got, err := m.RedCottonStreetRanking(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	left := false
	for _, l := range want.Left {
		left = left || l.District == streets[2] && l.Dimension == redcotton.Harmony
	}
	if len(got) != 2 || len(want.Scores) != 2 || !left {
		t.Fatalf("rows %+v, Compute %+v", got, want)
	}
	for i, r := range got {
		if r.Score != want.Scores[i] || r.Day != day || r.Rank != i+1 || r.Name == "" {
			t.Errorf("row %+v, Compute %+v", r, want.Scores[i])
		}
	}
	// The inputs: every street with its grids, the fed streets' hours.
	for _, s := range in {
		if s.Grids != int(count(t, m, `SELECT count(*) FROM grids WHERE code LIKE ? || '%'`, s.Code)) {
			t.Errorf("%s: %d grids", s.Code, s.Grids)
		}
		if h, ok := s.Hours[def.Inputs[0].Indicator]; ok != (s.Code == streets[0] || s.Code == streets[1] || s.Code == streets[2]) ||
			ok && (math.IsNaN(h[9]) || math.IsNaN(h[15]) || !math.IsNaN(h[10])) {
			t.Errorf("%s: hours %v", s.Code, h)
		}
	}
	// Computing again writes the same rows; the districts' are untouched.
	districts, err := m.RedCottonRanking(ctx, day)
	if err != nil || len(districts) != 2 {
		t.Fatalf("districts %+v, %v", districts, err)
	}
	if _, err := m.ComputeRedCotton(ctx, def, day, day); err != nil {
		t.Fatal(err)
	}
	again, err := m.RedCottonStreetRanking(ctx, day)
	if err != nil || len(again) != 2 || again[0] != got[0] || again[1] != got[1] {
		t.Fatalf("again %+v, %v", again, err)
	}
	// A day without street values has no street rows.
	if rows, err := m.RedCottonStreetRanking(ctx, "2026-11-23"); err != nil || len(rows) != 0 {
		t.Fatalf("2026-11-23: %+v, %v", rows, err)
	}
}
