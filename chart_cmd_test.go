package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// kapok chart draws an indicator of the fixture city to PNG, SVG and PDF:
// the city's, rolled up from its districts, over the last 24 hours or 30
// days, in Chinese or English; bad flags are misuse (2), an unknown
// indicator or region or a span without values a refusal (1) that writes
// nothing.
func TestChartCommand(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	caseNow = func() time.Time { return fixture.AsOf } // 2026-11-25 09:00 Beijing time
	path := fixture.CityPath(t)
	dir := t.TempDir()

	pngOut := filepath.Join(dir, "metro.png")
	code, out, errOut := cli(t, "chart", "--mirror", path, "--indicator", "transport-01H", "--out", pngOut)
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "wrote "+pngOut+": transport-01H in 9901, ") ||
		!strings.Contains(out, "from 2026-11-24 09:00 to 2026-11-25 09:00 (Beijing time); the last ") {
		t.Fatalf("png: %d %q %q", code, out, errOut)
	}
	f, err := os.Open(pngOut)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	_ = f.Close()
	if err != nil || img.Bounds().Dx() != 800 || img.Bounds().Dy() != 300 {
		t.Fatalf("the PNG: %v %v", img.Bounds(), err)
	}
	// Ink in the title's rows: the Chinese name is drawn.
	dark := 0
	for y := 0; y < 22; y++ {
		for x := 0; x < 800; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x9000 {
				dark++
			}
		}
	}
	if dark < 100 {
		t.Fatalf("%d dark pixels in the title's rows", dark)
	}

	// 30 days in English as SVG, for a district.
	svgOut := filepath.Join(dir, "metro.svg")
	code, out, errOut = cli(t, "chart", "--mirror", path, "--indicator", "transport-01H", "--region", "990101", "--days", "30",
		"--lang", "en", "--at", "2026-11-25T09:00:00+08:00", "--out", svgOut)
	var values int
	readMirror(t, path, func(m *mirror.Mirror) {
		s, err := m.IndicatorSeries(ctx, "transport-01H", "990101", fixture.AsOf.AddDate(0, 0, -30), fixture.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		values = len(s.Points)
	})
	if code != 0 || errOut != "" || values < 58 || !strings.Contains(out, fmt.Sprintf("in 990101, %d values", values)) {
		t.Fatalf("svg: %d %q %q, want %d values", code, out, errOut, values)
	}
	svg, err := os.ReadFile(svgOut)
	if err != nil || !bytes.Contains(svg, []byte("Metro ridership · Jia")) || !bytes.Contains(svg, []byte("@font-face")) {
		t.Fatalf("the SVG: %v, %d bytes", err, len(svg))
	}

	// A PDF whose title is text.
	pdfOut := filepath.Join(dir, "aqi.pdf")
	if code, out, errOut := cli(t, "chart", "--mirror", path, "--indicator", "environment-01H", "--size", "600x240", "--out", pdfOut); code != 0 || errOut != "" {
		t.Fatalf("pdf: %d %q %q", code, out, errOut)
	}
	pdf, err := os.ReadFile(pdfOut)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the PDF: %v %q", err, pdf[:min(8, len(pdf))])
	}
	if tool, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command(tool, "-enc", "UTF-8", pdfOut, "-").Output()
		if err != nil || !strings.Contains(string(text), "空气质量指数 · 测试市") {
			t.Fatalf("pdftotext: %q %v", text, err)
		}
	} else {
		t.Log("pdftotext is not installed (Debian: poppler-utils): the PDF's text is not read back")
	}

	// A sparkline.
	sparkOut := filepath.Join(dir, "spark.png")
	if code, _, errOut := cli(t, "chart", "--mirror", path, "--indicator", "transport-03H", "--sparkline", "--out", sparkOut); code != 0 || errOut != "" {
		t.Fatalf("sparkline: %d %q", code, errOut)
	}
	if b, err := os.ReadFile(sparkOut); err != nil || len(b) == 0 {
		t.Fatalf("sparkline: %v", err)
	}

	for _, c := range []struct {
		args   []string
		status int
		says   string
	}{
		{[]string{"--out", filepath.Join(dir, "x.png")}, 2, "--indicator and --out are required"},
		{[]string{"--indicator", "transport-01H"}, 2, "--indicator and --out are required"},
		{[]string{"--indicator", "transport-01H", "--days", "7", "--out", filepath.Join(dir, "x.png")}, 2, "--days is 1 or 30"},
		{[]string{"--indicator", "transport-01H", "--out", filepath.Join(dir, "x.jpg")}, 2, "give a .png, .svg or .pdf file"},
		{[]string{"--indicator", "transport-01H", "--lang", "fr", "--out", filepath.Join(dir, "x.png")}, 2, "--lang is zh-CN or en"},
		{[]string{"--indicator", "transport-01H", "--at", "yesterday", "--out", filepath.Join(dir, "x.png")}, 2, "not an RFC 3339 time"},
		{[]string{"--indicator", "transport-01H", "--size", "wide", "--out", filepath.Join(dir, "x.png")}, 2, "--size"},
		{[]string{"--indicator", "transport-01H", "--sparkline", "--days", "30", "--out", filepath.Join(dir, "x.png")}, 2, "sparkline"},
		{[]string{"--indicator", "transport-99H", "--out", filepath.Join(dir, "x.png")}, 1, `no indicator "transport-99H"`},
		{[]string{"--indicator", "transport-01H", "--region", "990109", "--out", filepath.Join(dir, "x.png")}, 1, "990109"},
		{[]string{"--indicator", "transport-01H", "--at", "2020-01-01T00:00:00+08:00", "--out", filepath.Join(dir, "x.png")}, 1, "no values of transport-01H in 9901"},
	} {
		code, out, errOut := cli(t, append([]string{"chart", "--mirror", path}, c.args...)...)
		if code != c.status || out != "" || !strings.Contains(errOut, c.says) {
			t.Errorf("%v: %d %q %q, want %d and %q", c.args, code, out, errOut, c.status, c.says)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.png")); !os.IsNotExist(err) {
		t.Errorf("a refused chart wrote its file: %v", err)
	}
	if code, out, _ := cli(t, "chart", "--help"); code != 0 || !strings.Contains(out, "usage: kapok chart") {
		t.Errorf("--help: %d %q", code, out)
	}
}
