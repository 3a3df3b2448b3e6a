package citymap

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kapok/assets"
	"kapok/internal/fixture"
	"kapok/internal/golden"
	kmaps "kapok/maps"
)

func TestGoldenCityThemes(t *testing.T) {
	m := fixture.City(t)
	for _, theme := range Themes {
		cm, err := LoadAt(context.Background(), m, theme, fixture.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		v := kmaps.NewViewport(240, 160).Fit(cm.Extent, 6)
		img, err := cm.Map.Render(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		golden.Compare(t, "city-"+theme+".png", img)
	}
}

// The render command's own path: a PNG of the asked size, a region that
// exists, clear errors for bad flags.
func TestRenderCommand(t *testing.T) {
	m := fixture.City(t)
	out := filepath.Join(t.TempDir(), "map.png")
	frames, err := Render(context.Background(), m, out, RenderOptions{Width: 320, Height: 200, Theme: "overdue", Region: "990101", Repeat: 3, AsOf: fixture.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3 || !strings.HasPrefix(FrameSummary(frames), "frame_ms median=") {
		t.Fatalf("frames %v", frames)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	img, err := png.Decode(f)
	if err != nil || img.Bounds() != image.Rect(0, 0, 320, 200) {
		t.Fatalf("png %v, %v", img.Bounds(), err)
	}
	for _, bad := range []RenderOptions{{Width: 10, Height: 10, Theme: "rainbow"}, {Width: 10, Height: 10, Theme: "plain", Region: "999999"},
		{Width: 10, Height: 10, Theme: "plain", BBox: "1,2,3"}, {Width: 10, Height: 10, Theme: "plain", BBox: "114,23,113,24"}} {
		if _, err := Render(context.Background(), m, out, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if _, _, err := ParseSize("1920by1080"); err == nil {
		t.Error("bad size accepted")
	}
}

// Every character of the embedded data has a glyph in the bundled font.
func TestFontCoversTheData(t *testing.T) {
	lb := bundledFont(t)
	var all strings.Builder
	for _, name := range []string{"guangzhou/districts.csv", "guangzhou/streets.csv", "guangzhou/villages.csv", "matters.csv", "i18n/zh-CN.json", "i18n/en.json"} {
		b, err := assets.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	all.WriteString("Conghua Tianhe 0123456789 km")
	if missing := lb.Missing(all.String()); len(missing) > 0 {
		t.Fatalf("font lacks %d characters: %q (run /usr/bin/python3 scripts/build_font.py)", len(missing), string(missing))
	}
}

// The names the demo generator makes up (people, units, centers, users,
// event descriptions) are in the font too: checked on a generated city.
func TestFontCoversTheGeneratedNames(t *testing.T) {
	lb := bundledFont(t)
	m := fixture.City(t)
	var all strings.Builder
	for _, q := range []string{
		`SELECT name FROM centers`, `SELECT name FROM units`, `SELECT name FROM responders`,
		`SELECT name FROM grid_workers`, `SELECT name FROM users`, `SELECT description FROM events`,
		`SELECT name FROM cameras`, `SELECT name FROM checkpoints`, `SELECT name FROM patrol_routes`,
		`SELECT name_zh FROM indicator_defs`,
	} {
		rows, err := m.DB.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		n := 0
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			all.WriteString(s)
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatalf("%s: no rows", q)
		}
	}
	if missing := lb.Missing(all.String()); len(missing) > 0 {
		t.Fatalf("font lacks %q (run /usr/bin/python3 scripts/build_font.py)", string(missing))
	}
}

// bundledFont is the embedded font, to ask which characters it lacks.
func bundledFont(t *testing.T) *kmaps.Labeler {
	t.Helper()
	lb, err := Font()
	if err != nil {
		t.Fatal(err)
	}
	return lb
}
