package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/paulmach/orb"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
)

// The cases subcommands: report, move, extend, escalate, list and show.

func casesCmd(args []string, out io.Writer) error {
	sub, err := subcommand("cases", args, []string{"report", "move", "extend", "escalate", "list", "show", "recommend"}, out)
	if err != nil {
		return err
	}
	switch sub {
	case "report":
		return casesReport(args[1:], out)
	case "move":
		return casesMove(args[1:], out)
	case "extend", "escalate":
		return casesExtendOrEscalate(sub, args[1:], out)
	case "list":
		return casesList(args[1:], out)
	case "recommend":
		return casesRecommend(args[1:], out)
	}
	return casesShow(args[1:], out)
}

// caseNow is the commands' clock: case steps are taken, and clocks read
// (kapok cases, stats, render), at the wall clock, as in the console.
var caseNow = time.Now

func casesReport(args []string, out io.Writer) error {
	fs := flags("cases report", "cases report --mirror FILE (--grid CODE | --at LON,LAT) --matter CODE --text T [--source S] [--contact C] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	var r data.CaseReport
	var at, source string
	fs.StringVar(&r.Grid, "grid", "", "the grid's code")
	fs.StringVar(&at, "at", "", "where, as LON,LAT: the case goes to the grid containing it")
	fs.StringVar(&r.Matter, "matter", "", "the matter's code (kapok cases list shows them on cases; assets/matters.csv lists all 109)")
	fs.StringVar(&r.Description, "text", "", "what was reported")
	fs.StringVar(&source, "source", string(data.SourcePatrol), "hotline_12345, grid_patrol, video, police (110), referral, citizen_app or inspection")
	fs.StringVar(&r.Contact, "contact", "", "the reporter's contact, if any")
	userVar(fs, &r.Actor, "reporting it")
	if err := parse(fs, args); err != nil {
		return err
	}
	r.Source = data.EventSource(source)
	if at != "" {
		lon, lat, ok := strings.Cut(at, ",")
		x, err1 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		y, err2 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		if !ok || err1 != nil || err2 != nil {
			return misuse("--at %q is not LON,LAT (e.g. 113.32,23.12)", at)
		}
		r.At = &orb.Point{x, y}
	}
	m, err := openAs(*path, r.Actor)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	c, err := m.ReportCase(context.Background(), r, caseNow())
	if err != nil {
		return err
	}
	fmt.Fprintln(out, c.Code)
	return nil
}

// readVersion reads the case's version before a step, so that a step taken
// meanwhile by someone else refuses this one (it changed meanwhile).
func readVersion(ctx context.Context, m *mirror.Mirror, code string) (int64, error) {
	c, err := m.Case(ctx, code, caseNow())
	if err != nil {
		return 0, err
	}
	return c.Version, nil
}

func casesMove(args []string, out io.Writer) error {
	fs := flags("cases move", "cases move --mirror FILE --case CODE --to STATE [--units U1,U2] [--reason R] [--result R] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	var mv data.CaseMove
	var to, units string
	fs.StringVar(&mv.Case, "case", "", "the case's code")
	fs.StringVar(&to, "to", "", "filed, cancelled, dispatched, handling, fed_back, closed, evaluated, returned or parked (a failed verification is fed_back → handling with a reason)")
	fs.StringVar(&units, "units", "", "comma-separated units to dispatch")
	fs.StringVar(&mv.Reason, "reason", "", "why: needed to cancel, return, park and to fail a verification")
	fs.StringVar(&mv.Result, "result", "", "the handling's result: needed to feed back")
	userVar(fs, &mv.Actor, "taking the step")
	if err := parse(fs, args); err != nil {
		return err
	}
	if mv.Case == "" || to == "" {
		return misuse("--case and --to are required")
	}
	mv.To = data.EventState(to)
	if units != "" {
		mv.Units = strings.Split(units, ",")
	}
	m, err := openAs(*path, mv.Actor)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	if mv.Version, err = readVersion(ctx, m, mv.Case); err != nil {
		return err
	}
	c, err := m.MoveCase(ctx, mv, caseNow())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s %s\n", c.Code, c.State)
	return nil
}

func casesExtendOrEscalate(sub string, args []string, out io.Writer) error {
	fs := flags("cases "+sub, "cases "+sub+" --mirror FILE --case CODE --reason R [--user LOGIN]", out)
	path := mirrorFlag(fs)
	code := fs.String("case", "", "the case's code")
	reason := fs.String("reason", "", "why")
	user := userFlag(fs, "taking the step (extensions: the leadership group)")
	m, err := openForCase(fs, args, path, code)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	if _, err := authenticate(ctx, m, *user, time.Now()); err != nil {
		return err
	}
	version, err := readVersion(ctx, m, *code)
	if err != nil {
		return err
	}
	var c data.CaseRow
	if sub == "extend" {
		c, err = m.ExtendCase(ctx, *code, *reason, *user, version, caseNow())
	} else {
		c, err = m.EscalateCase(ctx, *code, *reason, *user, version, caseNow())
	}
	if err != nil {
		return err
	}
	deadline := "-"
	if c.Deadline != nil {
		deadline = c.Deadline.Format(time.RFC3339)
	}
	fmt.Fprintf(out, "%s %s level %s deadline %s\n", c.Code, c.State, c.Level, deadline)
	return nil
}

func casesList(args []string, out io.Writer) error {
	fs := flags("cases list", "cases list --mirror FILE [--state S] [--all] [--overdue] [--region CODE] [--source S] [--category C] [--sort S] [--at RFC3339] [--format table|csv|json]", out)
	path := mirrorFlag(fs)
	var f data.CaseFilter
	var states, source string
	fs.StringVar(&states, "state", "", "comma-separated states to list (default: the open ones)")
	fs.BoolVar(&f.All, "all", false, "closed and cancelled cases too")
	fs.BoolVar(&f.Overdue, "overdue", false, "only cases past their deadline, or closed after it")
	fs.StringVar(&f.Region, "region", "", "a region or grid code")
	fs.StringVar(&source, "source", "", "only cases from this source")
	fs.StringVar(&f.Category, "category", "", "only cases of matters in this category")
	fs.StringVar(&f.Sort, "sort", "remaining", "remaining, priority, state or reported")
	fs.IntVar(&f.Limit, "limit", 0, "at most this many (0: all)")
	format := fs.String("format", "table", "table, csv or json")
	atText := fs.String("at", "", "replay: the cases open at this past moment (RFC 3339), as they stood then")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return misuse("--format is table, csv or json")
	}
	var at time.Time
	if *atText != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, *atText); err != nil {
			return misuse("--at: %v", err)
		}
		if f.All {
			return misuse("--at lists the cases open then: without --all")
		}
	}
	for _, s := range data.NonEmpty(strings.Split(states, ",")) {
		f.States = append(f.States, data.EventState(s))
	}
	f.Source = data.EventSource(source)
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	if !at.IsZero() {
		rows, broken, err := m.CasesAt(context.Background(), f, at)
		if err != nil {
			return err
		}
		if broken != nil {
			// A replay of a journal whose chain does not hold says so.
			fmt.Fprintf(os.Stderr, "kapok cases list: %s\n", describe(broken))
		}
		return writeCases(out, *format, rows)
	}
	rows, err := m.Cases(context.Background(), f, caseNow())
	if err != nil {
		return err
	}
	return writeCases(out, *format, rows)
}

// writeCases writes the case queue as a table, CSV or JSON lines.
func writeCases(out io.Writer, format string, rows []data.CaseRow) error {
	record := func(c data.CaseRow) []string {
		deadline, remaining := "", ""
		if c.Deadline != nil {
			deadline = c.Deadline.UTC().Format(time.RFC3339)
			if c.ClosedAt == nil {
				remaining = strconv.FormatInt(int64(c.Clock.Remaining/time.Second), 10)
			}
		}
		return []string{c.Code, string(c.State), string(c.Clock.State), remaining, deadline, string(c.Priority), c.MatterCode,
			c.MatterEn, c.GridCode, string(c.Source), c.Level, strconv.FormatInt(c.Version, 10)}
	}
	header := []string{"code", "state", "clock", "remaining_s", "deadline", "priority", "matter", "matter_en", "grid", "source", "level", "version"}
	switch format {
	case "csv":
		w := csv.NewWriter(out)
		if err := w.Write(header); err != nil {
			return err
		}
		for _, c := range rows {
			if err := w.Write(record(c)); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	case "json":
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		for _, c := range rows {
			obj := map[string]string{}
			for i, v := range record(c) {
				obj[header[i]] = v
			}
			obj["matter_zh"], obj["description"] = c.MatterZh, c.Description
			if err := enc.Encode(obj); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	head := append([]string{}, header[:9]...)
	head[3] = "remaining"
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, c := range rows {
		rec := record(c)[:9]
		if c.Deadline != nil && c.ClosedAt == nil {
			rec[3] = span(c.Clock.Remaining)
			if c.Clock.Remaining < 0 {
				rec[3] = "-" + span(-c.Clock.Remaining)
			}
		}
		fmt.Fprintln(tw, strings.Join(rec, "\t"))
	}
	return tw.Flush()
}

func casesShow(args []string, out io.Writer) error {
	fs := flags("cases show", "cases show --mirror FILE --case CODE", out)
	path := mirrorFlag(fs)
	code := fs.String("case", "", "the case's code")
	m, err := openForCase(fs, args, path, code)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	d, err := m.Case(context.Background(), *code, caseNow())
	if err != nil {
		return err
	}
	unit := "hours"
	if d.Matter.LimitUnit == data.LimitWorkingDays {
		unit = "working days"
	}
	fmt.Fprintf(out, "case      %s (version %d)\nmatter    %s %s / %s (%d %s, extensions allowed: %d)\n", d.Code, d.Version,
		d.MatterCode, d.MatterZh, d.MatterEn, d.Matter.Limit, unit, d.Matter.Extensions)
	fmt.Fprintf(out, "grid      %s, handled at %s level\nsource    %s\nstate     %s\n", d.GridCode, d.Level, d.Source, d.State)
	fmt.Fprintf(out, "text      %s\n", d.Description)
	if d.Department != "" {
		fmt.Fprintf(out, "department %s\n", d.Department)
	}
	if len(d.Units) > 0 {
		fmt.Fprintf(out, "units     %s\n", strings.Join(d.Units, ", "))
	}
	fmt.Fprintf(out, "clock     %s", d.Clock.State)
	if d.Deadline != nil {
		fmt.Fprintf(out, ", deadline %s", d.Deadline.In(beijing).Format("2006-01-02 15:04"))
		switch {
		case d.ClosedAt != nil:
		case d.Clock.Remaining < 0:
			fmt.Fprintf(out, ", overdue by %s", span(-d.Clock.Remaining))
		default:
			fmt.Fprintf(out, ", %s left", span(d.Clock.Remaining))
		}
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "step\twhen (Beijing)\twho\twhat\tstate\tclock\tnote")
	for i, s := range d.Steps {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, s.At.In(beijing).Format("2006-01-02 15:04"), s.Actor, s.Action, s.State, s.Clock.State, s.Note)
	}
	return tw.Flush()
}

// beijing is the zone steps are shown in: China Standard Time, no DST.
var beijing = data.BeijingTime

// openForCase parses a step's flags, requires --case and opens the mirror.
func openForCase(fs *flag.FlagSet, args []string, path, code *string) (*mirror.Mirror, error) {
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if *code == "" {
		return nil, misuse("--case is required")
	}
	return openMirrorFlag(*path)
}

func casesRecommend(args []string, out io.Writer) error {
	fs := flags("cases recommend", "cases recommend --mirror FILE --case CODE [-n 5] [--user LOGIN] [--format table|json]", out)
	path := mirrorFlag(fs)
	code := fs.String("case", "", "the case's code")
	n := fs.Int("n", 5, "how many units")
	user := fs.String("user", data.SystemLogin, "login of the user who would dispatch (units outside their jurisdiction are left out)")
	format := fs.String("format", "table", "table or json")
	m, err := openForCase(fs, args, path, code)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	if *n < 1 {
		return misuse("-n must be at least 1")
	}
	if *format != "table" && *format != "json" {
		return misuse("--format is table or json")
	}
	recs, err := m.Recommend(context.Background(), *code, *user, *n, caseNow())
	if err != nil {
		return err
	}
	cat, err := msg.Default()
	if err != nil {
		return err
	}
	lang := msg.FromEnv()
	if *format == "json" {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		for i, r := range recs {
			if err := enc.Encode(map[string]any{"rank": i + 1, "unit": r.Unit.Code, "name": r.Unit.Name, "grid": r.Unit.GridCode,
				"tier": r.Tier.String(), "distance_m": int(r.DistanceM + 0.5), "has": r.Has, "lacks": r.Lacks, "load": r.Load,
				"reasons": cat.Reasons(lang, r)}); err != nil {
				return err
			}
		}
		return nil
	}
	if len(recs) == 0 {
		fmt.Fprintln(out, cat.Text(lang, "No unit available to recommend", nil))
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for i, r := range recs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", i+1, r.Unit.Code, r.Unit.Name, cat.Reasons(lang, r))
	}
	return tw.Flush()
}

// span is a duration as people read a clock: days, hours and minutes.
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh %02dm", days, h, m)
	case h > 0:
		return fmt.Sprintf("%dh %02dm", h, m)
	}
	return fmt.Sprintf("%dm", m)
}
