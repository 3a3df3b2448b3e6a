package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
)

// The duty subcommands: the centers' duty rosters (值班表) — put a person on
// a center's shift, take them off, show a center's week, list the centers
// with nobody on duty in the shift under way.

func dutyCmd(args []string, out io.Writer) error {
	sub, err := subcommand("duty", args, []string{"assign", "remove", "show", "gaps"}, out)
	if err != nil {
		return err
	}
	return map[string]command{"assign": dutyAssign, "remove": dutyRemove, "show": dutyShow, "gaps": dutyGaps}[sub](args[1:], out)
}

// onMirror opens the mirror --mirror names, runs fn on it and closes it.
func onMirror(path string, fn func(ctx context.Context, m *mirror.Mirror) error) error {
	m, err := openMirrorFlag(path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	return fn(context.Background(), m)
}

func dutyAssign(args []string, out io.Writer) error {
	fs := flags("duty assign", "duty assign --mirror FILE --center CODE --shift 2026-12-01/day --person NAME [--phone P] "+
		"[--role leader_on_duty|duty_officer] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	var req data.DutyRequest
	var role string
	fs.StringVar(&req.Center, "center", "", "the center's code: C and its region's code (e.g. C440106)")
	fs.StringVar(&req.Shift, "shift", "", "the shift: YYYY-MM-DD/name in the center's district's table (day, evening, night unless the district set its own)")
	fs.StringVar(&req.Person, "person", "", "who is on duty (a person already on that shift keeps their entry; phone and role are updated)")
	fs.StringVar(&req.Phone, "phone", "", "their phone")
	fs.StringVar(&role, "role", string(data.DutyOfficer), "duty_officer (值班员) or leader_on_duty (带班领导)")
	userVar(fs, &req.Actor, "keeping the roster (the center must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if req.Center == "" || req.Shift == "" || !given(fs)["person"] || fs.NArg() > 0 {
		return misuse("--center, --shift and --person are required")
	}
	req.Role = data.DutyRole(role)
	return onMirrorAs(*path, req.Actor, func(ctx context.Context, m *mirror.Mirror) error {
		d, err := m.AssignDuty(ctx, req, caseNow())
		if err == nil {
			fmt.Fprintln(out, d.UID)
		}
		return err
	})
}

func dutyRemove(args []string, out io.Writer) error {
	fs := flags("duty remove", "duty remove --mirror FILE --id UID [--user LOGIN]", out)
	path := mirrorFlag(fs)
	id := fs.String("id", "", "the duty entry's key, as duty assign and duty show print it")
	user := userFlag(fs, "keeping the roster (the center must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" || fs.NArg() > 0 {
		return misuse("--id is required")
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		err := m.RemoveDuty(ctx, *id, *user, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%s removed\n", *id)
		}
		return err
	})
}

func dutyShow(args []string, out io.Writer) error {
	fs := flags("duty show", "duty show --mirror FILE --center CODE [--week 2026-W49 | --at RFC3339] [--format table|csv|json]", out)
	path := mirrorFlag(fs)
	center := fs.String("center", "", "the center's code: C and its region's code (e.g. C440106)")
	week := fs.String("week", "", "the ISO week, in Beijing time (default: the week of --at, or of now)")
	at := fs.String("at", "", "an instant, RFC 3339: show the week it falls in")
	format := fs.String("format", "table", "table, csv or json (JSON: one object per line)")
	login := fs.String("user", "", "log in as this user to see phone numbers whole (roles with the contact permission); without it they are masked (138****1234)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *center == "" || fs.NArg() > 0 {
		return misuse("--center is required")
	}
	if *week != "" && *at != "" {
		return misuse("give --week or --at, not both")
	}
	t, err := atFlag(*at, *format)
	if err != nil {
		return err
	}
	w := data.WeekOf(t)
	if *week != "" {
		if w, err = data.ParseWeek(*week); err != nil {
			return err
		}
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		// Phone numbers are personal data: whole only for a user who logged
		// in with the contact permission.
		reader := data.User{Role: data.RoleAnalyst}
		if *login != "" {
			if reader, err = authenticate(ctx, m, *login, time.Now()); err != nil {
				return err
			}
		}
		c, err := m.DutyCenterOf(ctx, *center)
		if err != nil {
			return err
		}
		duty, err := m.DutyOf(ctx, c.Code, w.Monday(), w.Monday().AddDate(0, 0, 7))
		if err != nil {
			return err
		}
		for i := range duty {
			duty[i].Phone = reader.ShowPhone(duty[i].Phone)
		}
		if *format == "table" {
			return printDutyWeek(out, c, w, duty)
		}
		records := make([][]string, len(duty))
		for i, d := range duty {
			records[i] = []string{c.Code, d.Shift, beijingRFC3339(d.Start), beijingRFC3339(d.End), string(d.Role), d.Person, d.Phone, d.UID}
		}
		return writeRecords(out, *format, []string{"center", "shift", "start", "end", "role", "person", "phone", "id"}, records)
	})
}

// printDutyWeek is a center's week as a table: every shift in time order,
// the people on duty in it or a line saying nobody is.
func printDutyWeek(out io.Writer, c mirror.DutyCenter, w data.Week, duty []data.Duty) error {
	shifts := data.WeekShifts(w, c.Shifts)
	fmt.Fprintf(out, "center  %s %s (%s)\nweek    %s\nshifts ", c.Code, c.Name, c.Level, w)
	defs := slices.Clone(c.Shifts)
	sort.Slice(defs, func(i, j int) bool { return defs[i].Start < defs[j].Start })
	for _, d := range defs {
		fmt.Fprintf(out, " %s %02d-%02d", d.Name, d.Start, d.End)
	}
	fmt.Fprintln(out)
	type line struct {
		start  time.Time
		record []string
	}
	staffed := map[string]bool{}
	var lines []line
	for _, d := range duty {
		staffed[d.Shift] = true
		lines = append(lines, line{d.Start, []string{d.Shift, string(d.Role), d.Person, d.Phone, d.UID}})
	}
	empty := 0
	for _, s := range shifts {
		if !staffed[s.String()] {
			empty++
			start, _ := s.Span(c.Shifts)
			lines = append(lines, line{start, []string{s.String(), "(nobody on duty)"}})
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].start.Before(lines[j].start) })
	records := make([][]string, len(lines))
	for i, l := range lines {
		records[i] = l.record
	}
	if err := writeRecords(out, "table", []string{"shift", "role", "person", "phone", "id"}, records); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d on duty; nobody in %d of %d shifts\n", len(duty), empty, len(shifts))
	return nil
}

func dutyGaps(args []string, out io.Writer) error {
	fs := flags("duty gaps", "duty gaps --mirror FILE [--region CODE] [--at RFC3339] [--format table|csv|json]\n\n"+
		"Lists the centers under the region with nobody on duty in the shift under way (by their district's shift table)\n"+
		"and exits 1 while there is any, as roster check does while a hard conflict remains; 0 when every center is staffed", out)
	path := mirrorFlag(fs)
	region := fs.String("region", "", "a city, district, street or community code (default: every center)")
	at := fs.String("at", "", "the instant, RFC 3339 (default: now)")
	format := fs.String("format", "table", "table, csv or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	t, err := atFlag(*at, *format)
	if err != nil {
		return err
	}
	var gaps []mirror.DutyGap
	var centers int
	if err := onMirror(*path, func(ctx context.Context, m *mirror.Mirror) (err error) {
		gaps, centers, err = m.DutyGaps(ctx, *region, t)
		return err
	}); err != nil {
		return err
	}
	records := make([][]string, len(gaps))
	for i, g := range gaps {
		records[i] = []string{g.Code, g.Name, g.Level.String(), g.Shift.String(), beijingRFC3339(g.Start), beijingRFC3339(g.End)}
	}
	header := []string{"center", "name", "level", "shift", "start", "end"}
	if *format == "table" {
		header, records = header[:4], cut(records, 4)
	}
	if err := writeRecords(out, *format, header, records); err != nil {
		return err
	}
	if *format == "table" {
		under := ""
		if *region != "" {
			under = " under " + *region
		}
		fmt.Fprintf(out, "%d of %d centers%s with nobody on duty at %s (Beijing time)\n", len(gaps), centers, under, t.In(data.BeijingTime).Format("2006-01-02 15:04"))
	}
	if len(gaps) > 0 {
		return unstaffed(len(gaps))
	}
	return nil
}

// unstaffed is the status 1 of `duty gaps` while centers have nobody on
// duty: how many, in the status board's words in the language of the
// locale.
type unstaffed int

func (n unstaffed) Error() string {
	text, sep := "No one on duty", ": "
	if cat, err := msg.Default(); err == nil {
		lang := msg.FromEnv()
		if text = cat.Text(lang, text, nil); lang == msg.Chinese {
			sep = "："
		}
	}
	return fmt.Sprintf("%s%s%d", text, sep, int(n))
}

// atFlag reads an --at flag (empty: now, the commands' clock) and checks a
// --format flag: either wrong is a misuse.
func atFlag(at, format string) (time.Time, error) {
	if format != "table" && format != "csv" && format != "json" {
		return time.Time{}, misuse("--format is table, csv or json")
	}
	if at == "" {
		return caseNow(), nil
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return t, misuse("--at %q is not an RFC 3339 time (e.g. 2026-12-01T22:00:00+08:00)", at)
	}
	return t, nil
}

// given is the set of flags given on the command line.
func given(fs *flag.FlagSet) map[string]bool {
	out := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { out[f.Name] = true })
	return out
}

// beijingRFC3339 is an instant in RFC 3339 at Beijing time, the time
// shifts are kept in.
func beijingRFC3339(t time.Time) string { return t.In(data.BeijingTime).Format(time.RFC3339) }

// cut keeps the first n fields of each record.
func cut(records [][]string, n int) [][]string {
	out := make([][]string, len(records))
	for i, r := range records {
		out[i] = r[:n]
	}
	return out
}

// writeRecords writes records under a header: an aligned table, CSV (the
// header first) or JSON lines (one object a record, keyed by the header).
func writeRecords(out io.Writer, format string, header []string, records [][]string) error {
	switch format {
	case "csv":
		return csv.NewWriter(out).WriteAll(append([][]string{header}, records...))
	case "json":
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		for _, r := range records {
			obj := make(map[string]string, len(header))
			for i, v := range r {
				obj[header[i]] = v
			}
			if err := enc.Encode(obj); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, r := range append([][]string{header}, records...) {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}
