package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"kapok/data"
	"kapok/data/mirror"
)

// A project's milestones from the command line (projects milestone add,
// done) and its indicators before and after each rollout (projects
// compare).

func projectsMilestone(args []string, out io.Writer) error {
	sub, err := subcommand("projects milestone", args, []string{"add", "done"}, out)
	if err != nil {
		return err
	}
	return map[string]command{"add": milestoneAdd, "done": milestoneDone}[sub](args[1:], out)
}

// milestoneDueHour is when on its day (Beijing time) a milestone given as
// --due YYYY-MM-DD is due: the end of the working day, as the demo's are.
const milestoneDueHour = 18 * time.Hour

// parseDueDay reads --due: a day in Beijing, due at milestoneDueHour.
func parseDueDay(s string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", s, data.BeijingTime)
	if err != nil {
		return time.Time{}, misuse("--due %q is not a date YYYY-MM-DD", s)
	}
	return d.Add(milestoneDueHour), nil
}

func milestoneAdd(args []string, out io.Writer) error {
	fs := flags("projects milestone add", "projects milestone add --mirror FILE --project KEY --title T --due YYYY-MM-DD [--user LOGIN]", out)
	path := mirrorFlag(fs)
	key := fs.String("project", "", "the project's key (or its first 8 characters or more)")
	title := fs.String("title", "", "what the project means to reach")
	due := fs.String("due", "", "the day it is due, YYYY-MM-DD (due at 18:00 Beijing time)")
	user := userFlag(fs, "adding it (the project's region must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *key == "" || !given(fs)["title"] || *due == "" || fs.NArg() > 0 {
		return misuse("--project, --title and --due are required")
	}
	at, err := parseDueDay(*due)
	if err != nil {
		return err
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		ms, err := m.AddMilestone(ctx, *key, *title, at, *user, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%d\t%s\t%s\n", ms.ID, oneLine(ms.Title), beijingRFC3339(ms.Due))
		}
		return err
	})
}

func milestoneDone(args []string, out io.Writer) error {
	fs := flags("projects milestone done", "projects milestone done --mirror FILE --project KEY --id N [--user LOGIN]", out)
	path := mirrorFlag(fs)
	key := fs.String("project", "", "the project's key (or its first 8 characters or more)")
	number := fs.String("id", "", "the milestone's number, as projects show lists it")
	user := userFlag(fs, "marking it done (the project's region must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *key == "" || *number == "" || fs.NArg() > 0 {
		return misuse("--project and --id are required")
	}
	id, err := strconv.ParseInt(*number, 10, 64)
	if err != nil || id <= 0 {
		return misuse("--id %q is not a milestone's number (projects show lists them)", *number)
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		now := caseNow()
		err := m.DoneMilestone(ctx, *key, id, *user, now)
		if err == nil {
			fmt.Fprintf(out, "%d\tdone\t%s\n", id, beijingRFC3339(now))
		}
		return err
	})
}

func projectsCompare(args []string, out io.Writer) error {
	fs := flags("projects compare", "projects compare --mirror FILE --project KEY [--indicator CODE] [--region CODE] [--format table|json]", out)
	path := mirrorFlag(fs)
	key := fs.String("project", "", "the project's key (or its first 8 characters or more)")
	indicator := fs.String("indicator", "", "only this indicator (default: the indicators the project means to move)")
	region := fs.String("region", "", "only the rollout in this region (one of the project's rollout regions)")
	format := fs.String("format", "table", "table or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *key == "" || fs.NArg() > 0 || *format != "table" && *format != "json" {
		return misuse("--project is required; --format is table or json")
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		cs, err := compareRollouts(ctx, m, *key, *indicator, *region)
		if err != nil {
			return err
		}
		records := make([][]string, len(cs))
		for i, c := range cs {
			records[i] = []string{c.Region, string(c.State), beijingRFC3339(c.Since), c.Indicator, c.MeasuredIn,
				sideMean(c.Before, c.BeforeN), strconv.Itoa(c.BeforeN), sideMean(c.After, c.AfterN), strconv.Itoa(c.AfterN)}
			records[i] = append(records[i], rolloutChange(c)...)
		}
		return writeRecords(out, *format, []string{"region", "state", "since", "indicator", "measured_in", "before", "before_n",
			"after", "after_n", "change", "change_pct"}, records)
	})
}

// compareRollouts compares each indicator (the project's, or the one
// given) in each of the project's rollout regions (or the one given: the
// store refuses one the project has no rollout in) before and after.
func compareRollouts(ctx context.Context, m *mirror.Mirror, key, indicator, region string) ([]data.RolloutComparison, error) {
	p, err := m.Project(ctx, key, caseNow())
	if err != nil {
		return nil, err
	}
	indicators := p.Indicators
	if indicator != "" {
		indicators = []string{indicator}
	}
	regions := []string{region}
	if region == "" {
		rs, err := m.Rollouts(ctx, p.Key)
		if err != nil {
			return nil, err
		}
		regions = regions[:0]
		for _, r := range rs {
			regions = append(regions, r.Region)
		}
	}
	var out []data.RolloutComparison
	for _, r := range regions {
		for _, code := range indicators {
			c, err := m.RolloutIndicators(ctx, p.Key, code, r)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// sideMean is a side's mean as the table shows it, "" for a side without
// values.
func sideMean(v float64, n int) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// rolloutChange is after − before ("+1.50") and its share of before in
// percent ("+12.34"), each "" when it cannot be told (a side without
// values, a share of 0).
func rolloutChange(c data.RolloutComparison) []string {
	if c.BeforeN == 0 || c.AfterN == 0 {
		return []string{"", ""}
	}
	d := c.After - c.Before
	pct := ""
	if c.Before != 0 {
		pct = fmt.Sprintf("%+.2f", 100*d/math.Abs(c.Before))
	}
	return []string{fmt.Sprintf("%+.2f", d), pct}
}
