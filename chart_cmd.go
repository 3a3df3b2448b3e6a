package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"kapok/app/chart"
	"kapok/app/citymap"
	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
)

// The chart command: an indicator's values in a region drawn as a chart
// (app/chart) to PNG, SVG or PDF.

const chartSynopsis = "chart --mirror FILE --indicator CODE [--region CODE] [--days 1|30] [--sparkline] [--lang zh-CN|en] [--at RFC3339] [--size WxH] --out FILE.png|.svg|.pdf"

func chartCmd(args []string, out io.Writer) error {
	fs := flags("chart", chartSynopsis, out)
	path := mirrorFlag(fs)
	code := fs.String("indicator", "", "the indicator's code, as in assets/indicators.csv (e.g. transport-01H)")
	region := fs.String("region", "", "the city, district or street code (default: the city)")
	days := fs.Int("days", 1, "1: the last 24 hours; 30: the last 30 days (the hourly values and the daily means)")
	spark := fs.Bool("sparkline", false, "a sparkline of the last 24 hours instead: no axes, no words, coloured by the severity")
	lang := fs.String("lang", string(msg.FromEnv()), "the chart's words: zh-CN or en (default: the locale's)")
	at := fs.String("at", "", "the chart's end, RFC 3339 (default: now)")
	size := fs.String("size", "", "WIDTHxHEIGHT in pixels of 1/96 inch (default 800x300, a sparkline 120x32); SVG and PDF take it at 0.75 pt a pixel")
	outFile := fs.String("out", "", "the file to write: .png, .svg or .pdf")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *code == "" || *outFile == "" || fs.NArg() > 0 {
		return misuse("--indicator and --out are required")
	}
	format, err := chart.FormatOf(*outFile)
	if err != nil {
		return misuse("--out %q: give a .png, .svg or .pdf file", *outFile)
	}
	spec := chart.Spec{Kind: chart.Day, Width: 800, Height: 300}
	switch {
	case *spark && given(fs)["days"] && *days != 1:
		return misuse("a sparkline shows the last 24 hours: --days 1 or none")
	case *spark:
		spec = chart.Spec{Kind: chart.Sparkline, Width: 120, Height: 32}
	case *days == 30:
		spec.Kind = chart.Month
	case *days != 1:
		return misuse("--days is 1 or 30, not %d", *days)
	}
	switch l := strings.ToLower(*lang); {
	case strings.HasPrefix(l, "zh"):
		spec.Lang = chart.Chinese
	case strings.HasPrefix(l, "en"), l == "c", l == "posix":
		spec.Lang = chart.English
	default:
		return misuse("--lang is zh-CN or en, not %q", *lang)
	}
	if *size != "" {
		if spec.Width, spec.Height, err = citymap.ParseSize(*size); err != nil {
			return misuse("--size: %v", err)
		}
	}
	spec.End = caseNow()
	if *at != "" {
		if spec.End, err = time.Parse(time.RFC3339, *at); err != nil {
			return misuse("--at %q is not an RFC 3339 time (e.g. 2026-11-25T09:00:00+08:00)", *at)
		}
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		start := spec.End.Add(-spec.Kind.Span())
		// From the hour the span starts in: its baseline holds at the
		// start.
		ms, err := m.IndicatorSeries(ctx, *code, *region, start.Truncate(time.Hour), spec.End)
		if err != nil {
			return err
		}
		s := ms.IndicatorSeries
		shown := 0
		var last chart.Point
		for _, p := range s.Points {
			if !p.At.Before(start) {
				shown++
				last = p
			}
		}
		if shown == 0 {
			return fmt.Errorf("no values of %s in %s from %s to %s (Beijing time): nothing written", *code, ms.Region,
				start.In(data.BeijingTime).Format("2006-01-02 15:04"), spec.End.In(data.BeijingTime).Format("2006-01-02 15:04"))
		}
		var buf bytes.Buffer
		if err := chart.Write(&buf, format, s, spec); err != nil {
			return err
		}
		if err := os.WriteFile(*outFile, buf.Bytes(), 0o644); err != nil {
			return err
		}
		sev := chart.Severity(s, start, spec.End)
		fmt.Fprintf(out, "wrote %s: %s in %s, %d values from %s to %s (Beijing time); the last %s %s at %s, %s\n", *outFile, *code, ms.Region, shown,
			start.In(data.BeijingTime).Format("2006-01-02 15:04"), spec.End.In(data.BeijingTime).Format("2006-01-02 15:04"),
			strconv.FormatFloat(last.Value, 'f', -1, 64), ms.Indicator.Unit, last.At.In(data.BeijingTime).Format("15:04"), sev)
		return nil
	})
}
