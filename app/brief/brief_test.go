package brief

import (
	"context"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/sign"
	"kapok/internal/fixture"
)

// TestMain removes the demo Guangzhou the tests build, when they end.
func TestMain(m *testing.M) { fixture.Main(m) }

// pdfText is the PDF's text as pdftotext reads it (make test installs
// poppler-utils).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is not installed (Debian: poppler-utils; make test installs it)")
	}
	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// keyDir is a config directory of the test's own (never the real one).
func keyDir(t *testing.T) string {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir, err := sign.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBriefings makes the city's, a district's and Dayuan Village's
// briefings in both languages and reads them back: the title and region
// in Chinese, the figures the store counts, every page numbered, the
// signature good, the files private.
func TestBriefings(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	dir := t.TempDir()
	keys := keyDir(t)
	ctx := context.Background()
	for _, tc := range []struct {
		region, name string
		lang         msg.Lang
		title        string
	}{
		{"", "广州市", msg.Chinese, "广州市态势简报"},
		{"440106", "天河区", msg.English, "Tianhe (天河区) situation briefing"},
		{"440106", "天河区", msg.Chinese, "天河区态势简报"},
		{"440111021200", "大源村委会", msg.Chinese, "大源村委会态势简报"},
		{"440111021200", "大源村委会", msg.English, "Dayuan Village (大源村委会) situation briefing"},
	} {
		out := filepath.Join(dir, "b-"+tc.region+"-"+string(tc.lang)+".pdf")
		var steps []int
		res, err := Make(ctx, m, out, Options{Region: tc.region, Lang: tc.lang, Now: fixture.AsOf, User: "leader", KeyDir: keys,
			Progress: func(done, total int) { steps = append(steps, done) }})
		if err != nil {
			t.Fatalf("%s %s: %v", tc.region, tc.lang, err)
		}
		if len(steps) == 0 || steps[len(steps)-1] != 7 {
			t.Errorf("%s: progress %v, want it to end at 7 of 7", tc.region, steps)
		}
		for _, f := range []string{res.PDF, res.Sig} {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want 0600", f, st.Mode().Perm())
			}
		}
		if st, _ := os.Stat(res.PDF); st.Size() != res.Bytes || res.Bytes > 10<<20 {
			t.Errorf("%s: %d bytes on disk, %d said (at most 10 MB)", res.PDF, st.Size(), res.Bytes)
		}
		text := pdfText(t, out)
		region := tc.region
		if region == "" {
			region = "4401"
		}
		counts, err := m.CaseCounts(ctx, data.CaseFilter{Region: region}, fixture.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tc.title, tc.name, res.Fingerprint, count(counts.All), count(counts.Overdue)} {
			if !strings.Contains(text, want) {
				t.Errorf("%s %s: the text has no %q", tc.region, tc.lang, want)
			}
		}
		// pdftotext drops the narrow spaces of the footer: 第1页/共9页.
		squeezed := strings.ReplaceAll(text, " ", "")
		for p := 1; p <= res.Pages; p++ {
			want := map[msg.Lang]string{msg.Chinese: "第" + itoa(p) + "页/共" + itoa(res.Pages) + "页", msg.English: "Page" + itoa(p) + "of" + itoa(res.Pages)}[tc.lang]
			if !strings.Contains(squeezed, want) {
				t.Errorf("%s: no footer %q", tc.region, want)
			}
		}
		if got := strings.Count(text, "\f"); got != res.Pages {
			t.Errorf("%s: pdftotext reads %d pages, Make said %d", tc.region, got, res.Pages)
		}
		v, err := sign.Verify(res.PDF, res.Sig, nil)
		if err != nil || !v.Good || v.Signer != "leader" {
			t.Errorf("%s: verify %+v %v, want good, by leader", tc.region, v, err)
		}
	}
}

func itoa(n int) string { return count(n) }

// TestBriefingTamperedIsBad changes one byte of a briefing at a time: the
// signature no longer holds, and holds again once the byte is put back.
func TestBriefingTamperedIsBad(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	out := filepath.Join(t.TempDir(), "street.pdf")
	res, err := Make(context.Background(), m, out, Options{Region: "440106001", Now: fixture.AsOf, User: "leader", KeyDir: keyDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{0, len(b) / 3, len(b) / 2, len(b) - 1} {
		b[at] ^= 0x01
		if err := os.WriteFile(out, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if v, err := sign.Verify(out, res.Sig, nil); err != nil || v.Good {
			t.Errorf("byte %d changed: verdict %+v %v, want bad", at, v, err)
		}
		b[at] ^= 0x01
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if v, err := sign.Verify(out, res.Sig, nil); err != nil || !v.Good {
		t.Errorf("restored: %+v %v, want good", v, err)
	}
}

// TestBriefingRefusals: bad input is refused with what is wrong, and no
// file (nor a temporary one) is left.
func TestBriefingRefusals(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	keys := keyDir(t)
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	if err := os.Mkdir(locked, 0o500); err != nil {
		t.Fatal(err)
	}
	badFont := filepath.Join(dir, "font.ttf")
	cffFont := filepath.Join(dir, "font.otf")
	latinFont := filepath.Join(dir, "goregular.ttf")
	for p, b := range map[string][]byte{badFont: []byte("not a font"), cffFont: []byte("OTTO\x00\x09rest of a CFF font"), latinFont: goregular.TTF} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.pdf"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, out string
		opt       Options
		code      data.Code
		text      string
	}{
		{"unknown region", "a.pdf", Options{Region: "440199"}, data.CodeRegionUnknown, ""},
		{"not a code", "a.pdf", Options{Region: "Tianhe"}, data.CodeRegionCodeInvalid, ""},
		{"unknown user", "a.pdf", Options{User: "nobody"}, data.CodeUserUnknown, ""},
		{"an admin makes no briefing", "a.pdf", Options{User: "admin"}, data.CodeActionNotPermitted, ""},
		{"missing font", "a.pdf", Options{FontFile: filepath.Join(dir, "none.ttf")}, data.CodeFontUnreadable, ""},
		{"not a font", "a.pdf", Options{FontFile: badFont}, data.CodeFontNotTrueType, ""},
		{"not a pdf", "a.txt", Options{}, data.CodeOutputKind, ""},
		{"png without map-only", "a.png", Options{}, data.CodeOutputKind, ""},
		{"no such folder", filepath.Join("missing", "a.pdf"), Options{}, data.CodeOutputFolderAbsent, ""},
		{"a folder in the way", "locked", Options{}, data.CodeOutputKind, ""},
		{"a folder named .pdf", "folder.pdf", Options{}, data.CodeOutputNotAFile, ""},
		{"a CFF font", "a.pdf", Options{FontFile: cffFont}, data.CodeFontNotTrueType, ""},
		{"a font without Chinese", "a.pdf", Options{FontFile: latinFont}, data.CodeFontLacks, ""},
	} {
		out := tc.out
		if !filepath.IsAbs(out) {
			out = filepath.Join(dir, out)
		}
		tc.opt.Now, tc.opt.KeyDir = fixture.AsOf, keys
		_, err := Make(context.Background(), m, out, tc.opt)
		var r *data.Refusal
		switch {
		case err == nil:
			t.Errorf("%s: made", tc.name)
		case tc.code != "" && (!errors.As(err, &r) || r.Code != tc.code):
			t.Errorf("%s: %v, want refusal %s", tc.name, err, tc.code)
		case tc.code == "" && !strings.Contains(err.Error(), tc.text):
			t.Errorf("%s: %v, want it to say %q", tc.name, err, tc.text)
		}
	}
	if os.Geteuid() != 0 { // root writes into a 0500 folder anyway
		if _, err := Make(context.Background(), m, filepath.Join(locked, "a.pdf"), Options{Now: fixture.AsOf, KeyDir: keys}); err == nil ||
			!errors.As(err, new(*data.Refusal)) {
			t.Errorf("read-only folder: %v, want refusal output_not_writable", err)
		}
	}
	_ = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && p != badFont && p != cffFont && p != latinFont {
			t.Errorf("left behind: %s", p)
		}
		return nil
	})
}

// TestMapOnly makes the map page alone: a one-page signed PDF, and a PNG
// of the map at 300 dpi.
func TestMapOnly(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	dir := t.TempDir()
	keys := keyDir(t)
	res, err := Make(context.Background(), m, filepath.Join(dir, "map.pdf"), Options{Region: "440106", MapOnly: true, Now: fixture.AsOf, KeyDir: keys})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 1 || res.Sig == "" {
		t.Errorf("map-only PDF: %d pages, signature %q", res.Pages, res.Sig)
	}
	if text := pdfText(t, res.PDF); !strings.Contains(text, "天河区") || !strings.Contains(text, "图例") {
		t.Errorf("map page text: %q", text)
	}
	res, err = Make(context.Background(), m, filepath.Join(dir, "map.png"), Options{Region: "440106", MapOnly: true, Now: fixture.AsOf, KeyDir: keys})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(res.PDF)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	w, h := mapPixels()
	img, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != int(float64(w)*300/96+0.5) || img.Height != int(float64(h)*300/96+0.5) {
		t.Errorf("PNG %d×%d, want the map at 300 dpi (%d×%d logical pixels)", img.Width, img.Height, w, h)
	}
	if res.Sig != "" {
		t.Errorf("a PNG is not signed, got %q", res.Sig)
	}
}

// TestSectionsLeftOut: a mirror without indicator values or index has no
// indicator or Red Cotton section, and says nothing made up about them.
func TestSectionsLeftOut(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	ctx := context.Background()
	for _, q := range []string{`DELETE FROM alerts`, `DELETE FROM indicator_status`, `DELETE FROM indicator_latest`, `DELETE FROM indicator_readings`,
		`DELETE FROM indicator_values`, `DELETE FROM red_cotton_index`, `DELETE FROM red_cotton_street_index`} {
		if _, err := m.DB.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out := filepath.Join(t.TempDir(), "b.pdf")
	if _, err := Make(ctx, m, out, Options{Region: "440106", Lang: msg.English, Now: fixture.AsOf, KeyDir: keyDir(t)}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, out)
	for _, absent := range []string{"Indicators in warn or alarm", "Red Cotton", "Indicators in alarm / warn"} {
		if strings.Contains(text, absent) {
			t.Errorf("the briefing has %q with no such data in the mirror", absent)
		}
	}
	for _, present := range []string{"Status of the streets", "Orders and rosters in force"} {
		if !strings.Contains(text, present) {
			t.Errorf("the briefing lacks %q", present)
		}
	}
}
