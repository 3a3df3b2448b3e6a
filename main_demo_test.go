package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/data/gpkg"
	"kapok/data/mirror"
)

// kapok demo --as-of: the same seed and the same as-of build the same city,
// the default is now, and a value that is neither RFC 3339 nor now is a
// misuse naming the flag and the value.
func TestDemoCommandAsOf(t *testing.T) {
	dir := filepath.Join("data", "demo", "testdata", "city")
	build := func(args ...string) (string, int, string) {
		out := filepath.Join(t.TempDir(), "demo.gpkg")
		code, _, errOut := cli(t, append([]string{"demo", "--out", out, "--districts", filepath.Join(dir, "districts.geojson"),
			"--streets", filepath.Join(dir, "streets.csv"), "--villages", filepath.Join(dir, "villages.csv"), "--city", "测试市",
			"--grids", "40", "--units", "50", "--days", "3"}, args...)...)
		return out, code, errOut
	}
	// What a build decides, as one string: its as-of, the cases and their
	// steps, the indicators (hourly and by the minute), the Red Cotton Index.
	city := func(path string) string {
		m, err := mirror.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = m.Close() }()
		var b strings.Builder
		for _, q := range []string{`SELECT value FROM kapok_meta WHERE key = 'as_of'`,
			`SELECT group_concat(code || state || reported_at || coalesce(deadline, '') || hex(geom), ',') FROM (SELECT * FROM events ORDER BY code)`,
			`SELECT group_concat(event_code || step || at, ',') FROM (SELECT * FROM event_history ORDER BY event_code, step)`,
			`SELECT group_concat(hourly, ',') FROM (SELECT * FROM indicator_values ORDER BY 1, 2, 3)`,
			`SELECT group_concat(district_code || day || composite || rank, ',') FROM (SELECT * FROM red_cotton_index ORDER BY 1, 2)`,
			`SELECT ifnull(group_concat(indicator_id || region_code || at || value, ','), '') FROM (SELECT * FROM indicator_readings ORDER BY 1, 2, 3)`} {
			var s string
			if err := m.DB.QueryRow(q).Scan(&s); err != nil {
				t.Fatal(err)
			}
			b.WriteString(s + "\n")
		}
		return b.String()
	}
	const asOf = "2026-11-28T03:17:00+08:00"
	var cities []string
	for _, args := range [][]string{{"--seed", "7", "--as-of", asOf}, {"--seed", "7", "--as-of", asOf}, {"--seed", "8", "--as-of", asOf},
		{"--seed", "7", "--as-of", "2026-11-28T04:17:00+08:00"}} {
		path, code, errOut := build(args...)
		if code != 0 {
			t.Fatalf("%v: status %d, %q", args, code, errOut)
		}
		cities = append(cities, city(path))
	}
	if !strings.HasPrefix(cities[0], "2026-11-27T19:17:00.000Z\n") {
		t.Errorf("as-of recorded as %q", strings.SplitN(cities[0], "\n", 2)[0])
	}
	if cities[0] != cities[1] {
		t.Error("the same seed and as-of built two cities")
	}
	if cities[0] == cities[2] || cities[0] == cities[3] {
		t.Error("another seed or another as-of built the same city")
	}

	before := time.Now().Truncate(time.Second)
	path, code, errOut := build()
	if code != 0 {
		t.Fatalf("default as-of: status %d, %q", code, errOut)
	}
	recorded, err := gpkg.ParseTime(strings.SplitN(city(path), "\n", 2)[0])
	if err != nil || recorded.Before(before) || recorded.After(time.Now()) {
		t.Errorf("default as-of %v (%v), want now (%v on)", recorded, err, before)
	}

	for _, bad := range []string{"yesterday", "2026-11-28", "2026-11-28 03:17:00", "", "NOW"} {
		if _, code, errOut := build("--as-of", bad); code != 2 || !strings.Contains(errOut, `--as-of "`+bad+`" is not an RFC 3339 time or now`) {
			t.Errorf("--as-of %q: status %d, stderr %q", bad, code, errOut)
		}
	}
}
