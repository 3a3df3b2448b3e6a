package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/schedule"
)

// The roster subcommands: plan, assign, unassign and show a week's patrol
// roster.

func rosterCmd(args []string, out io.Writer) error {
	sub, err := subcommand("roster", args, []string{"plan", "assign", "unassign", "show", "check", "publish", "coverage", "rules", "leave"}, out)
	if err != nil {
		return err
	}
	switch sub {
	case "plan":
		return rosterPlan(args[1:], out)
	case "assign", "unassign":
		return rosterAssign(sub, args[1:], out)
	case "check":
		return rosterCheck(args[1:], out)
	case "publish":
		return rosterPublish(args[1:], out)
	case "coverage":
		return rosterCoverage(args[1:], out)
	case "rules":
		return rosterRules(args[1:], out)
	case "leave":
		return rosterLeave(args[1:], out)
	}
	return rosterShow(args[1:], out)
}

func rosterPlan(args []string, out io.Writer) error {
	fs := flags("roster plan", "roster plan --mirror FILE --region CODE --week 2026-W49 [--auto] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	region := fs.String("region", "", "the district or street code")
	week := fs.String("week", "", "the ISO week, e.g. 2026-W49")
	auto := fs.Bool("auto", false, "fill it with a proposal that keeps the rules (see roster check for what it could not cover)")
	user := userFlag(fs, "planning it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *region == "" || *week == "" {
		return misuse("--region and --week are required")
	}
	m, err := openAs(*path, *user)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	r, err := m.PlanRoster(ctx, *region, *week, *user, caseNow())
	if err != nil {
		return err
	}
	fmt.Fprintln(out, r.ID)
	if *auto {
		_, res, err := m.AutoFill(ctx, r.ID, *user, r.Version, caseNow(), nil)
		if err != nil {
			// The plan is made and kept (its key is above): say so, so that
			// no one plans the week again beside it.
			fmt.Fprintf(out, "the draft is kept, empty: auto-fill it from the console or assign with kapok roster assign --roster %s\n", r.ID)
			return err
		}
		travel, walks := 0.0, 0
		if len(res.Assignments) > 0 {
			travel = res.Travel / float64(len(res.Assignments))
		}
		for _, a := range res.Assignments {
			if a.Route != "" {
				walks++
			}
		}
		fmt.Fprintf(out, "%d assignments proposed, %d of them patrol routes (%.0f m from home on average)\n", len(res.Assignments), walks, travel)
	}
	_, p, err := m.CheckRoster(ctx, r.ID, *user, caseNow())
	if err != nil {
		return err
	}
	cov := schedule.Cover(p)
	sum := cov.Summary()
	fmt.Fprintf(out, "%d grids × %d shifts: %d patrols required, %d planned; %d grid-shifts short (%d uncovered, %d under-covered)\n",
		len(p.Grids), len(cov.Shifts), sum.Required, sum.Planned, sum.Gaps, sum.Uncovered, sum.Under)
	return nil
}

func rosterAssign(sub string, args []string, out io.Writer) error {
	fs := flags("roster "+sub, "roster "+sub+" --mirror FILE --roster ID --unit U (--grid G | --route R) --shift 2026-12-01/day [--user LOGIN]", out)
	path := mirrorFlag(fs)
	var c data.RosterChange
	fs.StringVar(&c.Roster, "roster", "", "the roster's key (or its first 8 characters or more)")
	fs.StringVar(&c.Unit, "unit", "", "the unit's code")
	fs.StringVar(&c.Grid, "grid", "", "the grid's code (or --route)")
	fs.StringVar(&c.Route, "route", "", "a patrol route's code: the unit walks it and patrols every grid it crosses (or --grid)")
	fs.StringVar(&c.Shift, "shift", "", "the shift: YYYY-MM-DD/name (day, evening, night unless the district set its own)")
	userVar(fs, &c.Actor, "planning it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if c.Roster == "" || c.Unit == "" || c.Shift == "" || (c.Grid == "") == (c.Route == "") {
		return misuse("--roster, --unit, --shift and one of --grid and --route are required")
	}
	m, err := openAs(*path, c.Actor)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	// The version read first: a change made meanwhile by someone else
	// refuses this one.
	v, err := m.Roster(ctx, c.Roster)
	if err != nil {
		return err
	}
	c.Roster, c.Version = v.ID, v.Version
	change := m.AssignPatrol
	if sub == "unassign" {
		change = m.UnassignPatrol
	}
	r, err := change(ctx, c, caseNow())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s version %d\n", r.ID, r.Version)
	return nil
}

func rosterShow(args []string, out io.Writer) error {
	fs := flags("roster show", "roster show --mirror FILE --roster ID [--format table|csv|json]", out)
	path := mirrorFlag(fs)
	id := fs.String("roster", "", "the roster's key (or its first 8 characters or more)")
	format := fs.String("format", "table", "table, csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return misuse("--roster is required")
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return misuse("--format is table, csv or json")
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	v, err := m.Roster(context.Background(), *id)
	if err != nil {
		return err
	}
	return printRoster(out, v, *format)
}

func printRoster(out io.Writer, v data.RosterView, format string) error {
	switch format {
	case "json":
		type row struct {
			Unit  string `json:"unit"`
			Grid  string `json:"grid,omitempty"`
			Route string `json:"route,omitempty"`
			Shift string `json:"shift"`
			Lent  bool   `json:"lent"`
		}
		doc := struct {
			Roster      string `json:"roster"`
			Region      string `json:"region"`
			Week        string `json:"week"`
			State       string `json:"state"`
			Version     int64  `json:"version"`
			Assignments []row  `json:"assignments"`
		}{v.ID, v.Region, v.Week.String(), string(v.State), v.Version, []row{}}
		for _, a := range v.Assignments {
			doc.Assignments = append(doc.Assignments, row{a.Unit, a.Grid, a.Route, a.Shift.String(), a.Lent})
		}
		return json.NewEncoder(out).Encode(doc)
	case "csv":
		w := csv.NewWriter(out)
		if err := w.Write([]string{"shift", "unit", "grid", "route", "lent"}); err != nil {
			return err
		}
		for _, a := range v.Assignments {
			if err := w.Write([]string{a.Shift.String(), a.Unit, a.Grid, a.Route, fmt.Sprint(a.Lent)}); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	}
	fmt.Fprintf(out, "roster    %s\nregion    %s\nweek      %s\nstate     %s (version %d)\nshifts   ", v.ID, v.Region, v.Week, v.State, v.Version)
	for _, s := range v.Shifts {
		fmt.Fprintf(out, " %s %02d-%02d", s.Name, s.Start, s.End)
	}
	fmt.Fprintf(out, "\n%d assignments\n", len(v.Assignments))
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, a := range v.Assignments {
		lent := ""
		if a.Lent {
			lent = "lent"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Shift, a.Unit, areaText(a.Grid, a.Route), lent)
	}
	return tw.Flush()
}

func rosterCheck(args []string, out io.Writer) error {
	m, id, user, err := openRosterCmd("check", args, out, "login of the planner (units and grids outside their jurisdiction are conflicts)")
	if err != nil {
		return err
	}
	defer closeMirror(m)
	conflicts, p, err := m.CheckRoster(context.Background(), id, user, caseNow())
	if err != nil {
		return err
	}
	cov := schedule.Cover(p)
	sum := cov.Summary()
	hard := 0
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, c := range conflicts {
		level := "soft"
		if c.Hard {
			level, hard = "hard", hard+1
		}
		detail := ""
		switch c.Kind {
		case schedule.DoubleBooked, schedule.TooLittleRest:
			detail = "with " + c.Other.String()
		case schedule.TooManyShifts:
			detail = fmt.Sprintf("%d shifts", c.Count)
		case schedule.BookedElsewhere:
			detail = "in draft roster " + c.Roster
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", level, c.Kind, c.Unit, areaText(c.Grid, c.Route), c.Shift, detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d conflicts (%d hard); %d patrols required, %d planned; %d grid-shifts short (%d uncovered, %d under-covered)\n",
		len(conflicts), hard, sum.Required, sum.Planned, sum.Gaps, sum.Uncovered, sum.Under)
	if hard > 0 {
		v, err := m.Roster(context.Background(), id)
		if err != nil {
			return err
		}
		return data.Refuse(data.CodeRosterHasConflicts, "roster", data.Value("roster", v.ID), data.Value("count", hard))
	}
	return nil
}

func rosterPublish(args []string, out io.Writer) error {
	m, id, user, err := openRosterCmd("publish", args, out, userHelp("publishing it (the leadership group)"))
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	if _, err := authenticate(ctx, m, user, time.Now()); err != nil {
		return err
	}
	v, err := m.Roster(ctx, id)
	if err != nil {
		return err
	}
	r, n, err := m.PublishRoster(ctx, v.ID, user, v.Version, caseNow())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s published, %d patrol orders issued\n", r.ID, n)
	return nil
}

func rosterCoverage(args []string, out io.Writer) error {
	fs := flags("roster coverage", "roster coverage --mirror FILE --region CODE --at RFC3339 [--by-street] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	region := fs.String("region", "", "the city, district or street code")
	at := fs.String("at", "", "the instant, RFC 3339 (e.g. 2026-12-01T22:00:00+08:00)")
	byStreet := fs.Bool("by-street", false, "a line per street (patrols required and planned, grids short) instead of the grids short")
	user := fs.String("user", data.SystemLogin, "login of the reader")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *region == "" || *at == "" {
		return misuse("--region and --at are required")
	}
	t, err := time.Parse(time.RFC3339, *at)
	if err != nil {
		return misuse("--at %q is not an RFC 3339 time (e.g. 2026-12-01T22:00:00+08:00)", *at)
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	cov, si, err := m.CoverageAt(context.Background(), *region, *user, t, caseNow())
	if err != nil {
		return err
	}
	if si < 0 {
		fmt.Fprintln(out, "no shift at that time")
		return nil
	}
	if *byStreet {
		return printCoverageByStreet(out, cov, si)
	}
	short := 0
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "grid\trequired\tplanned\n")
	for g, code := range cov.Grids {
		if c := cov.At(g, si); c.Planned < c.Required {
			short++
			fmt.Fprintf(tw, "%s\t%d\t%d\n", code, c.Required, c.Planned)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d of %d grids short of patrols in %s\n", *region, short, len(cov.Grids), cov.Shifts[si])
	return nil
}

func rosterRules(args []string, out io.Writer) error {
	fs := flags("roster rules", "roster rules --mirror FILE --district CODE [--shifts day=8-16,evening=16-24,night=0-8] [--required KIND:SHIFT=N,…] "+
		"[--max-shifts N] [--min-rest-hours H] [--high-risk-extra N] [--lending yes|no] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	district := fs.String("district", "", "the district's code")
	shifts := fs.String("shifts", "", "the district's shift table: NAME=START-END hours, comma-separated")
	required := fs.String("required", "", "required patrols per shift by grid kind, e.g. commercial:night=3,village:day=0")
	maxShifts := fs.Int("max-shifts", 0, "a unit's most shifts a week (0: no limit)")
	minRest := fs.Float64("min-rest-hours", 0, "a unit's least rest between two shifts, hours")
	extra := fs.Int("high-risk-extra", 0, "patrols added for a high-risk grid")
	lending := fs.String("lending", "", "yes or no: may a unit patrol outside its street (flagged)")
	user := userFlag(fs, "setting them, when any is given (showing them needs no login)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *district == "" {
		return misuse("--district is required")
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	defs, rules, err := m.DistrictRules(ctx, *district)
	if err != nil {
		return err
	}
	var newDefs []data.ShiftDef
	if *shifts != "" {
		for _, part := range strings.Split(*shifts, ",") {
			name, span, ok := strings.Cut(strings.TrimSpace(part), "=")
			from, to, ok2 := strings.Cut(span, "-")
			a, err1 := strconv.Atoi(from)
			b, err2 := strconv.Atoi(to)
			if !ok || !ok2 || err1 != nil || err2 != nil {
				return misuse("--shifts %q: want NAME=START-END, e.g. day=8-16", part)
			}
			newDefs = append(newDefs, data.ShiftDef{Name: name, Start: a, End: b})
		}
	}
	changed := false
	if *required != "" {
		req := map[string]map[string]int{}
		for kind, byShift := range rules.Required {
			req[kind] = map[string]int{}
			for sh, n := range byShift {
				req[kind][sh] = n
			}
		}
		for _, part := range strings.Split(*required, ",") {
			key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
			kind, sh, ok2 := strings.Cut(key, ":")
			n, err := strconv.Atoi(val)
			if !ok || !ok2 || err != nil || n < 0 {
				return misuse("--required %q: want KIND:SHIFT=N, e.g. commercial:night=3", part)
			}
			if req[kind] == nil {
				req[kind] = map[string]int{}
			}
			req[kind][sh] = n
		}
		rules.Required, changed = req, true
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if (given["max-shifts"] && *maxShifts < 0) || (given["min-rest-hours"] && *minRest < 0) || (given["high-risk-extra"] && *extra < 0) {
		return misuse("--max-shifts, --min-rest-hours and --high-risk-extra cannot be negative")
	}
	if given["max-shifts"] {
		rules.MaxShifts, changed = *maxShifts, true
	}
	if given["min-rest-hours"] {
		rules.MinRest, changed = time.Duration(*minRest*float64(time.Hour)), true
	}
	if given["high-risk-extra"] {
		rules.HighRiskExtra, changed = *extra, true
	}
	switch *lending {
	case "":
	case "yes", "no":
		rules.AllowLending, changed = *lending == "yes", true
	default:
		return misuse("--lending is yes or no")
	}
	if newDefs != nil || changed {
		var set *data.PatrolRules
		if changed {
			set = &rules
		}
		if _, err := authenticate(ctx, m, *user, time.Now()); err != nil {
			return err
		}
		if err := m.SetDistrictRules(ctx, *district, newDefs, set, *user, caseNow()); err != nil {
			return err
		}
		if newDefs != nil {
			defs = newDefs
		}
	}
	fmt.Fprintf(out, "district  %s\nshifts   ", *district)
	for _, d := range defs {
		fmt.Fprintf(out, " %s %02d-%02d", d.Name, d.Start, d.End)
	}
	fmt.Fprintf(out, "\nmax shifts a week %d, least rest %s, high-risk extra %d, lending %v\nrequired patrols per shift:\n",
		rules.MaxShifts, rules.MinRest, rules.HighRiskExtra, rules.AllowLending)
	kinds := make([]string, 0, len(rules.Required))
	for k := range rules.Required {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(out, "  %-12s", k)
		for _, d := range defs {
			fmt.Fprintf(out, " %s %d", d.Name, rules.Required[k][d.Name])
		}
		fmt.Fprintln(out)
	}
	return nil
}

func rosterLeave(args []string, out io.Writer) error {
	fs := flags("roster leave", "roster leave --mirror FILE --unit U --from RFC3339 --to RFC3339 [--reason R] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	unit := fs.String("unit", "", "the unit's code")
	from := fs.String("from", "", "the start, RFC 3339")
	to := fs.String("to", "", "the end, RFC 3339")
	reason := fs.String("reason", "", "why (leave, training, repair)")
	user := userFlag(fs, "marking it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *unit == "" || *from == "" || *to == "" {
		return misuse("--unit, --from and --to are required")
	}
	start, err1 := time.Parse(time.RFC3339, *from)
	end, err2 := time.Parse(time.RFC3339, *to)
	if err1 != nil || err2 != nil {
		return misuse("--from and --to are RFC 3339 times (e.g. 2026-12-01T08:00:00+08:00)")
	}
	m, err := openAs(*path, *user)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	uid, err := m.MarkLeave(context.Background(), *unit, start, end, *reason, *user, caseNow())
	if err != nil {
		return err
	}
	fmt.Fprintln(out, uid)
	return nil
}

// printCoverageByStreet is the coverage at one shift as a table per street:
// patrols required and planned (counted up to the required: a second
// patrol where one is needed covers nothing more), grids short of patrols.
func printCoverageByStreet(out io.Writer, cov schedule.Coverage, si int) error {
	type line struct{ grids, required, planned, short int }
	by := map[string]*line{}
	var streets []string
	for g, code := range cov.Grids {
		st := code[:min(9, len(code))]
		l := by[st]
		if l == nil {
			l = &line{}
			by[st] = l
			streets = append(streets, st)
		}
		c := cov.At(g, si)
		l.grids++
		l.required += c.Required
		l.planned += min(c.Planned, c.Required)
		if c.Planned < c.Required {
			l.short++
		}
	}
	sort.Strings(streets)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "street\tgrids\trequired\tplanned\tgrids short\n")
	for _, st := range streets {
		l := by[st]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", st, l.grids, l.required, l.planned, l.short)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d streets in %s\n", len(streets), cov.Shifts[si])
	return nil
}

// openRosterCmd reads the flags of a subcommand acting on one roster as a
// user (--mirror, --roster, --user) and opens the mirror.
func openRosterCmd(sub string, args []string, out io.Writer, userHelp string) (*mirror.Mirror, string, string, error) {
	fs := flags("roster "+sub, "roster "+sub+" --mirror FILE --roster ID [--user LOGIN]", out)
	path := mirrorFlag(fs)
	id := fs.String("roster", "", "the roster's key (or its first 8 characters or more)")
	user := fs.String("user", userDefault(sub == "publish"), userHelp)
	if err := parse(fs, args); err != nil {
		return nil, "", "", err
	}
	if *id == "" {
		return nil, "", "", misuse("--roster is required")
	}
	m, err := openMirrorFlag(*path)
	return m, *id, *user, err
}

// areaText is an assignment's area for a listing: the grid, or "route R…".
func areaText(grid, route string) string {
	if route != "" {
		return "route " + route
	}
	return grid
}
