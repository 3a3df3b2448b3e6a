package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"kapok/data/mirror"
	"kapok/data/redcotton"
)

// The index command: the Red Cotton Index (红棉指数) as the mirror keeps it
// (docs/red-cotton-index.md) — a day's ranking of the districts, or one
// district's trend.

// trendDays is how many days a district's trend covers.
const trendDays = 30

func indexCmd(args []string, out io.Writer) error {
	fs := flags("index", "index --mirror FILE [--day YYYY-MM-DD] [--district CODE | --streets] [--format table|json]\n\n"+
		"The Red Cotton Index (红棉指数) of a day: the districts by rank, with the composite and the five dimensions\n"+
		"(safety, rule of law, services, harmony, participation; 0-100). With --district, that district's "+
		strconv.Itoa(trendDays)+"-day trend\nto the day. With --streets, the streets scored that day (from the values fed for streets), by rank.\n"+
		"See docs/red-cotton-index.md", out)
	path := mirrorFlag(fs)
	day := fs.String("day", "", "the Beijing day, YYYY-MM-DD (default: the latest day the index has)")
	district := fs.String("district", "", "a district's code: its trend over the "+strconv.Itoa(trendDays)+" days to the day")
	streets := fs.Bool("streets", false, "the day's ranking of the streets (those with street inputs that day)")
	format := fs.String("format", "table", "table or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	if *streets && *district != "" {
		return misuse("--streets or --district, not both")
	}
	if *format != "table" && *format != "json" {
		return misuse("--format is table or json")
	}
	if *day != "" {
		if _, err := mirror.ParseDay(*day); err != nil {
			return misuse("--day %q is not a day (YYYY-MM-DD, e.g. 2026-11-25)", *day)
		}
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		first, last, err := m.RedCottonDays(ctx)
		if err != nil {
			return err
		}
		if last == "" {
			return fmt.Errorf("the mirror has no Red Cotton Index (kapok demo computes it from the indicators)")
		}
		if *day == "" {
			*day = last
		}
		if *district != "" {
			return indexTrend(ctx, m, out, *district, *day, *format)
		}
		if *streets {
			return indexStreets(ctx, m, out, *day, *format)
		}
		rows, err := m.RedCottonRanking(ctx, *day)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return fmt.Errorf("no Red Cotton Index for %s (the index has %s to %s)", *day, first, last)
		}
		if *format == "json" {
			return writeIndexJSON(out, rows, "district")
		}
		fmt.Fprintf(out, "Red Cotton Index 红棉指数, %s (Beijing): %d districts ranked\n", *day, len(rows))
		return writeIndexTable(out, rows, func(r mirror.RedCottonRow) []string {
			return []string{strconv.Itoa(r.Rank), r.District}
		}, "district", "rank", "code")
	})
}

// indexStreets prints the streets' ranking of a day.
func indexStreets(ctx context.Context, m *mirror.Mirror, out io.Writer, day, format string) error {
	rows, err := m.RedCottonStreetRanking(ctx, day)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("no street scored on %s (streets are scored from the values fed for them)", day)
	}
	if format == "json" {
		return writeIndexJSON(out, rows, "street")
	}
	fmt.Fprintf(out, "Red Cotton Index 红棉指数 of the streets, %s (Beijing): %d streets ranked\n", day, len(rows))
	return writeIndexTable(out, rows, func(r mirror.RedCottonRow) []string {
		return []string{strconv.Itoa(r.Rank), r.District}
	}, "street", "rank", "code")
}

// indexTrend prints a district's index over the trendDays days to day.
func indexTrend(ctx context.Context, m *mirror.Mirror, out io.Writer, district, day, format string) error {
	rows, err := m.RedCottonTrendTo(ctx, district, day, trendDays)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("no Red Cotton Index for %s in the %d days to %s", district, trendDays, day)
	}
	if format == "json" {
		return writeIndexJSON(out, rows, "district")
	}
	fmt.Fprintf(out, "Red Cotton Index 红棉指数 of %s %s, %d days to %s (Beijing): %d with an index\n",
		district, rows[0].Name, trendDays, day, len(rows))
	return writeIndexTable(out, rows, func(r mirror.RedCottonRow) []string {
		return []string{r.Day, strconv.Itoa(r.Rank)}
	}, "", "day", "rank")
}

// writeIndexTable writes rows as a table: the leading columns, the
// composite and the five dimensions to one decimal, and the region's
// name under the heading named when there is one (last: Chinese characters
// are two columns wide on a terminal, which a tab writer does not know).
func writeIndexTable(out io.Writer, rows []mirror.RedCottonRow, lead func(mirror.RedCottonRow) []string, named string, head ...string) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	header := append(head, "composite")
	for _, d := range redcotton.Dimensions {
		header = append(header, d.String())
	}
	if named != "" {
		header = append(header, named)
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fields := append(lead(r), oneDecimal(r.Composite))
		for _, v := range r.Dimensions {
			fields = append(fields, oneDecimal(v))
		}
		if named != "" {
			fields = append(fields, r.Name)
		}
		fmt.Fprintln(tw, strings.Join(fields, "\t"))
	}
	return tw.Flush()
}

func oneDecimal(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// writeIndexJSON writes one object per row, the scores in full, the
// region's code under key (district, street).
func writeIndexJSON(out io.Writer, rows []mirror.RedCottonRow, key string) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		obj := map[string]any{"day": r.Day, "rank": r.Rank, key: r.District, "name": r.Name, "composite": r.Composite}
		for _, d := range redcotton.Dimensions {
			obj[d.String()] = r.Dimensions[d]
		}
		if err := enc.Encode(obj); err != nil {
			return err
		}
	}
	return nil
}
