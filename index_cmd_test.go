package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/redcotton"
	"kapok/internal/fixture"
)

// indexRows reads the mirror's index as the store gives it.
func indexRows(t *testing.T, path string, read func(m *mirror.Mirror) ([]mirror.RedCottonRow, error)) []mirror.RedCottonRow {
	t.Helper()
	var rows []mirror.RedCottonRow
	readMirror(t, path, func(m *mirror.Mirror) {
		var err error
		if rows, err = read(m); err != nil {
			t.Fatal(err)
		}
	})
	return rows
}

// kapok index shows the latest day's ranking (or the day given) as a table
// to one decimal or as JSON in full, and with --district that district's
// trend, oldest day first — what the store holds.
func TestIndexCommand(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	path := fixture.CityPath(t) // two districts, 2026-11-23 to 2026-11-25
	latest := indexRows(t, path, func(m *mirror.Mirror) ([]mirror.RedCottonRow, error) { return m.RedCottonRanking(ctx, "2026-11-25") })
	if len(latest) != 2 {
		t.Fatalf("the fixture's latest day: %+v", latest)
	}

	code, out, errOut := cli(t, "index", "--mirror", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || errOut != "" || len(lines) != 4 || lines[0] != "Red Cotton Index 红棉指数, 2026-11-25 (Beijing): 2 districts ranked" ||
		strings.Join(strings.Fields(lines[1]), " ") != "rank code composite safety rule_of_law services harmony participation district" {
		t.Fatalf("ranking: %d %q %q", code, out, errOut)
	}
	rankingLines(t, lines[2:], latest)

	// A day given, as JSON: every figure in full.
	day := indexRows(t, path, func(m *mirror.Mirror) ([]mirror.RedCottonRow, error) { return m.RedCottonRanking(ctx, "2026-11-24") })
	code, out, _ = cli(t, "index", "--mirror", path, "--day", "2026-11-24", "--format", "json")
	objs := jsonLines(t, out)
	if code != 0 || len(objs) != len(day) {
		t.Fatalf("json: %d %q", code, out)
	}
	for i, o := range objs {
		r := day[i]
		if o["day"] != "2026-11-24" || o["district"] != r.District || o["name"] != r.Name || o["rank"] != float64(r.Rank) ||
			o["composite"] != r.Composite || o["safety"] != r.Dimensions[0] || o["rule_of_law"] != r.Dimensions[1] ||
			o["services"] != r.Dimensions[2] || o["harmony"] != r.Dimensions[3] || o["participation"] != r.Dimensions[4] {
			t.Errorf("json %v, want %+v", o, r)
		}
	}

	// A district's trend: the three days it has, to the latest or to the day given.
	code, out, _ = cli(t, "index", "--mirror", path, "--district", "990102")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 5 || lines[0] != "Red Cotton Index 红棉指数 of 990102 乙区, 30 days to 2026-11-25 (Beijing): 3 with an index" ||
		!strings.HasPrefix(lines[2], "2026-11-23  ") || !strings.HasPrefix(lines[4], "2026-11-25  ") {
		t.Fatalf("trend: %d %q", code, out)
	}
	rank := strconv.Itoa(latest[0].Rank)
	if latest[0].District != "990102" {
		rank = strconv.Itoa(latest[1].Rank)
	}
	if f := strings.Fields(lines[4]); f[1] != rank {
		t.Errorf("trend's last day ranks %s, the ranking %s", f[1], rank)
	}
	code, out, _ = cli(t, "index", "--mirror", path, "--district", "990102", "--day", "2026-11-24", "--format", "json")
	if objs := jsonLines(t, out); code != 0 || len(objs) != 2 || objs[0]["day"] != "2026-11-23" || objs[1]["day"] != "2026-11-24" {
		t.Fatalf("trend to a day: %d %q", code, out)
	}
}

// jsonLines decodes one JSON object per line.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var o map[string]any
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		objs = append(objs, o)
	}
	return objs
}

// Refusals exit 1 with the reason (an unknown district in the language of
// LANG), misuse 2, help 0; nothing is printed on stdout but help.
func TestIndexCommandRefusals(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	path := fixture.CityPath(t)
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--district", "990199"}, 1, "kapok index: no district with code 990199\n"},
		{[]string{"--district", "990101001"}, 1, "kapok index: no district with code 990101001\n"},
		{[]string{"--day", "2026-12-01"}, 1, "kapok index: no Red Cotton Index for 2026-12-01 (the index has 2026-11-23 to 2026-11-25)\n"},
		{[]string{"--day", "2027-01-01", "--district", "990101"}, 1, "kapok index: no Red Cotton Index for 990101 in the 30 days to 2027-01-01\n"},
		{[]string{"--day", "25/11/2026"}, 2, `kapok index: --day "25/11/2026" is not a day (YYYY-MM-DD, e.g. 2026-11-25)` + "\n"},
		{[]string{"--format", "csv"}, 2, "kapok index: --format is table or json\n"},
		{[]string{"2026-11-25"}, 2, `kapok index: unexpected "2026-11-25"` + "\n"},
	} {
		code, out, errOut := cli(t, append([]string{"index", "--mirror", path}, c.args...)...)
		if code != c.code || out != "" || errOut != c.stderr {
			t.Errorf("%v: %d %q %q; want %d %q", c.args, code, out, errOut, c.code, c.stderr)
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if code, _, errOut := cli(t, "index", "--mirror", path, "--district", "990199"); code != 1 || errOut != "kapok index: 没有代码为 990199 的区\n" {
		t.Errorf("in Chinese: %d %q", code, errOut)
	}
	if code, _, errOut := cli(t, "index"); code != 2 || !strings.Contains(errOut, "--mirror FILE is required") {
		t.Errorf("no mirror: %d %q", code, errOut)
	}
	if code, _, _ := cli(t, "index", "--mirror", filepath.Join(t.TempDir(), "none.gpkg")); code != 1 {
		t.Errorf("a missing mirror: %d", code)
	}
	if code, out, errOut := cli(t, "index", "--help"); code != 0 || errOut != "" || strings.Count(out, "usage: kapok index") != 1 {
		t.Errorf("help: %d %q %q", code, out, errOut)
	}
	// A mirror without any index.
	readMirror(t, path, func(m *mirror.Mirror) {
		if _, err := m.DB.Exec(`DELETE FROM red_cotton_index`); err != nil {
			t.Fatal(err)
		}
	})
	t.Setenv("LANG", "en_US.UTF-8")
	if code, out, errOut := cli(t, "index", "--mirror", path); code != 1 || out != "" ||
		errOut != "kapok index: the mirror has no Red Cotton Index (kapok demo computes it from the indicators)\n" {
		t.Errorf("no index: %d %q %q", code, out, errOut)
	}
}

// kapok index --streets lists the day's street ranking as the store holds
// it; a day without street scores is an error, and --district with it a
// misuse.
func TestIndexStreets(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
	path := fixture.CityPath(t)
	const day = "2026-11-24"
	readMirror(t, path, func(m *mirror.Mirror) {
		def, err := redcotton.Load()
		if err != nil {
			t.Fatal(err)
		}
		var rs []data.Reading
		for i, s := range []string{"990101001", "990102001"} {
			for j, in := range def.Inputs {
				rs = append(rs, data.Reading{Indicator: in.Indicator, Region: s,
					At: time.Date(2026, 11, 24, 12, 0, 0, 0, data.BeijingTime), Value: float64(5 + (i+j)%4)})
			}
		}
		if _, err := m.Feed(ctx, "test", rs, data.SystemLogin, fixture.AsOf); err != nil {
			t.Fatal(err)
		}
	})
	rows := indexRows(t, path, func(m *mirror.Mirror) ([]mirror.RedCottonRow, error) { return m.RedCottonStreetRanking(ctx, day) })
	if len(rows) != 2 {
		t.Fatalf("street rows %+v", rows)
	}
	code, out, errOut := cli(t, "index", "--mirror", path, "--day", day, "--streets")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || errOut != "" || len(lines) != 4 || lines[0] != "Red Cotton Index 红棉指数 of the streets, 2026-11-24 (Beijing): 2 streets ranked" ||
		strings.Join(strings.Fields(lines[1]), " ") != "rank code composite safety rule_of_law services harmony participation street" {
		t.Fatalf("streets: %d %q %q", code, out, errOut)
	}
	rankingLines(t, lines[2:], rows)
	code, out, _ = cli(t, "index", "--mirror", path, "--day", day, "--streets", "--format", "json")
	objs := jsonLines(t, out)
	if code != 0 || len(objs) != 2 || objs[0]["street"] != rows[0].District || objs[0]["composite"] != rows[0].Composite || objs[0]["name"] != rows[0].Name {
		t.Fatalf("json: %d %v", code, objs)
	}
	if code, _, errOut := cli(t, "index", "--mirror", path, "--day", "2026-11-23", "--streets"); code != 1 ||
		errOut != "kapok index: no street scored on 2026-11-23 (streets are scored from the values fed for them)\n" {
		t.Errorf("a day without street scores: %d %q", code, errOut)
	}
	if code, _, _ := cli(t, "index", "--mirror", path, "--streets", "--district", "990101"); code != 2 {
		t.Errorf("--streets and --district: %d", code)
	}
}

// rankingLines checks a ranking table's lines against the rows: rank,
// code, the composite and the dimensions to one decimal, the name.
func rankingLines(t *testing.T, lines []string, rows []mirror.RedCottonRow) {
	t.Helper()
	for i, r := range rows {
		want := []string{strconv.Itoa(i + 1), r.District, strconv.FormatFloat(r.Composite, 'f', 1, 64)}
		for _, v := range r.Dimensions {
			want = append(want, strconv.FormatFloat(v, 'f', 1, 64))
		}
		want = append(want, r.Name)
		if got := strings.Join(strings.Fields(lines[i]), " "); got != strings.Join(want, " ") {
			t.Errorf("row %d: %q, want %q", i+1, got, strings.Join(want, " "))
		}
	}
}
