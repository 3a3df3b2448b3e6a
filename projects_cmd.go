package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"kapok/data"
	"kapok/data/mirror"
)

// The innovation program's subcommands (issue 16): projects proposed, moved
// through the incubator's stages and listed; the contest's scores and
// ranking.

func projectsCmd(args []string, out io.Writer) error {
	sub, err := subcommand("projects", args, []string{"add", "move", "list", "show", "rollout", "milestone", "compare"}, out)
	if err != nil {
		return err
	}
	return map[string]command{"add": projectsAdd, "move": projectsMove, "list": projectsList, "show": projectsShow,
		"rollout": projectsRollout, "milestone": projectsMilestone, "compare": projectsCompare}[sub](args[1:], out)
}

func contestCmd(args []string, out io.Writer) error {
	sub, err := subcommand("contest", args, []string{"open", "enter", "score", "rank"}, out)
	if err != nil {
		return err
	}
	return map[string]command{"open": contestOpen, "enter": contestEnter, "score": contestScore, "rank": contestRank}[sub](args[1:], out)
}

// oneLine is text from the mirror as one line of a table: control
// characters (a newline would forge a row) shown as spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func projectsAdd(args []string, out io.Writer) error {
	fs := flags("projects add", "projects add --mirror FILE --region CODE --title T [--unit U] [--text D] [--indicators C1,C2] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	var req data.ProjectRequest
	var indicators string
	fs.StringVar(&req.Region, "region", "", "the owner region: a district, street or community code")
	fs.StringVar(&req.Title, "title", "", "the project's title")
	fs.StringVar(&req.Unit, "unit", "", "the proposing unit")
	fs.StringVar(&req.Description, "text", "", "the description")
	fs.StringVar(&indicators, "indicators", "", "codes of the indicator catalogue the project means to move, comma-separated")
	userVar(fs, &req.Actor, "proposing it (the region must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if req.Region == "" || !given(fs)["title"] || fs.NArg() > 0 {
		return misuse("--region and --title are required")
	}
	if indicators != "" {
		req.Indicators = strings.Split(indicators, ",")
	}
	return onMirrorAs(*path, req.Actor, func(ctx context.Context, m *mirror.Mirror) error {
		p, err := m.AddProject(ctx, req, caseNow())
		if err == nil {
			fmt.Fprintln(out, p.Key)
		}
		return err
	})
}

func projectsMove(args []string, out io.Writer) error {
	fs := flags("projects move", "projects move --mirror FILE --project KEY --to incubating|piloting|evaluated|rolled_out|stopped [--reason R] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	key := fs.String("project", "", "the project's key (or its first 8 characters or more)")
	to := fs.String("to", "", "the next stage, or stopped (with --reason)")
	reason := fs.String("reason", "", "why the project is stopped")
	user := userFlag(fs, "moving it (the project's region must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *key == "" || *to == "" || fs.NArg() > 0 {
		return misuse("--project and --to are required")
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		p, err := m.MoveProject(ctx, *key, data.Stage(*to), *reason, *user, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%s\t%s\n", p.Key, p.Stage)
		}
		return err
	})
}

func projectsList(args []string, out io.Writer) error {
	fs := flags("projects list", "projects list --mirror FILE [--stage S] [--region CODE] [--format table|json]", out)
	path := mirrorFlag(fs)
	stage := fs.String("stage", "", "only the projects at this stage")
	region := fs.String("region", "", "only the projects owned in this region")
	format := fs.String("format", "table", "table or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *format != "table" && *format != "json" {
		return misuse("--format is table or json")
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		list, err := m.Projects(ctx, data.ProjectFilter{Stage: data.Stage(*stage), Region: *region})
		if err != nil {
			return err
		}
		records := make([][]string, len(list))
		for i, p := range list {
			records[i] = []string{p.Key, string(p.Stage), p.Region, oneLine(p.Unit), oneLine(p.Title), beijingRFC3339(p.ProposedAt)}
		}
		return writeRecords(out, *format, []string{"key", "stage", "region", "unit", "title", "proposed"}, records)
	})
}

func projectsShow(args []string, out io.Writer) error {
	fs := flags("projects show", "projects show --mirror FILE --project KEY [--at RFC3339]", out)
	path := mirrorFlag(fs)
	key := fs.String("project", "", "the project's key (or its first 8 characters or more)")
	at := fs.String("at", "", "an instant, RFC 3339: milestones not done and due before it are overdue (default: now)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *key == "" || fs.NArg() > 0 {
		return misuse("--project is required")
	}
	now := caseNow()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return misuse("--at %q is not an RFC 3339 time", *at)
		}
		now = t
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		p, err := m.Project(ctx, *key, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "project     %s\ntitle       %s\nregion      %s\nunit        %s\nstage       %s\n", p.Key, oneLine(p.Title), p.Region,
			oneLine(p.Unit), p.Stage)
		if p.Reason != "" {
			fmt.Fprintf(out, "reason      %s\n", oneLine(p.Reason))
		}
		fmt.Fprintf(out, "proposed    %s\nsince       %s\nindicators  %s\n", beijingRFC3339(p.ProposedAt), beijingRFC3339(p.StageAt),
			strings.Join(p.Indicators, ", "))
		if p.Description != "" {
			fmt.Fprintf(out, "description %s\n", oneLine(p.Description))
		}
		records := make([][]string, len(p.Milestones))
		for i, ms := range p.Milestones {
			done, flag := "", ""
			if !ms.Done.IsZero() {
				done = beijingRFC3339(ms.Done)
			}
			if ms.Overdue {
				flag = "OVERDUE"
			}
			records[i] = []string{strconv.FormatInt(ms.ID, 10), oneLine(ms.Title), beijingRFC3339(ms.Due), done, flag}
		}
		if len(records) > 0 {
			fmt.Fprintln(out)
			if err := writeRecords(out, "table", []string{"milestone", "title", "due", "done", ""}, records); err != nil {
				return err
			}
		}
		rollouts, err := m.Rollouts(ctx, p.Key)
		if err != nil || len(rollouts) == 0 {
			return err
		}
		records = make([][]string, len(rollouts))
		for i, r := range rollouts {
			records[i] = []string{r.Region, string(r.State), beijingRFC3339(r.Since)}
		}
		fmt.Fprintln(out)
		return writeRecords(out, "table", []string{"rollout", "state", "since"}, records)
	})
}

// roundFlag is --round YEAR: the year a contest round ends in.
func roundFlag(fs *flag.FlagSet) *int {
	return fs.Int("round", 0, "the contest round: the year it ends in (2021 for 2020–2021)")
}

func contestScore(args []string, out io.Writer) error {
	fs := flags("contest score", "contest score --mirror FILE --round YEAR --project KEY --criterion CODE --value V [--user LOGIN]", out)
	path := mirrorFlag(fs)
	round := roundFlag(fs)
	var s data.Score
	fs.StringVar(&s.Project, "project", "", "the entry: its project's key (or its first 8 characters or more)")
	fs.StringVar(&s.Criterion, "criterion", "", "the criterion's code, as contest rank --criteria lists them")
	value := fs.String("value", "", "the score, 0 to the criterion's maximum")
	userVar(fs, &s.Judge, "judging (not an entry of their own region)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *round == 0 || s.Project == "" || s.Criterion == "" || *value == "" || fs.NArg() > 0 {
		return misuse("--round, --project, --criterion and --value are required")
	}
	v, err := strconv.ParseFloat(*value, 64)
	if err != nil {
		return misuse("--value %q is not a number", *value)
	}
	s.Round, s.Value = *round, v
	return onMirrorAs(*path, s.Judge, func(ctx context.Context, m *mirror.Mirror) error {
		err := m.ScoreEntry(ctx, s, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%s\t%s\t%g\n", s.Project, s.Criterion, s.Value)
		}
		return err
	})
}

func contestRank(args []string, out io.Writer) error {
	fs := flags("contest rank", "contest rank --mirror FILE --round YEAR [--criteria] [--format table|json]", out)
	path := mirrorFlag(fs)
	round := roundFlag(fs)
	criteria := fs.Bool("criteria", false, "list the round's published criteria instead")
	format := fs.String("format", "table", "table or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *round == 0 || fs.NArg() > 0 || *format != "table" && *format != "json" {
		return misuse("--round is required; --format is table or json")
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		if *criteria {
			cs, err := m.Criteria(ctx, *round)
			if err != nil {
				return err
			}
			records := make([][]string, len(cs))
			for i, c := range cs {
				records[i] = []string{c.Code, oneLine(c.NameZH), oneLine(c.NameEN), strconv.FormatFloat(c.Weight, 'g', -1, 64),
					strconv.FormatFloat(c.Max, 'g', -1, 64)}
			}
			return writeRecords(out, *format, []string{"criterion", "name_zh", "name_en", "weight", "max"}, records)
		}
		rank, err := m.Ranking(ctx, *round)
		if err != nil {
			return err
		}
		records := make([][]string, len(rank))
		for i, e := range rank {
			city := ""
			if e.City {
				city = "city"
			}
			records[i] = []string{strconv.Itoa(e.Rank), e.Project, oneLine(e.Title), e.Region, strconv.FormatFloat(e.Total, 'f', 2, 64),
				strconv.Itoa(e.Judges), strconv.Itoa(e.Pending), city}
		}
		// pending: judges who scored some criteria, not all yet (not in the score).
		return writeRecords(out, *format, []string{"rank", "project", "title", "region", "score", "judges", "pending", "city"}, records)
	})
}

func projectsRollout(args []string, out io.Writer) error {
	fs := flags("projects rollout", "projects rollout --mirror FILE --project KEY --region CODE --state pilot|rolled_out|planned [--user LOGIN]", out)
	path := mirrorFlag(fs)
	key := fs.String("project", "", "the project's key (or its first 8 characters or more)")
	region := fs.String("region", "", "a district, street or community code")
	state := fs.String("state", "", "pilot (from piloting on), rolled_out (the project rolled out) or planned")
	user := userFlag(fs, "setting it (the region must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *key == "" || *region == "" || *state == "" || fs.NArg() > 0 {
		return misuse("--project, --region and --state are required")
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		r, err := m.SetRollout(ctx, *key, *region, data.RolloutState(*state), *user, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", r.Project, r.Region, r.State, beijingRFC3339(r.Since))
		}
		return err
	})
}

// readCriteria reads a round's published criteria from a CSV file with the
// header code,name_zh,name_en,weight,max, a criterion a row in the
// published order.
func readCriteria(path string) ([]data.Criterion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 5
	rows, err := r.ReadAll()
	if err != nil {
		return nil, &data.InputError{File: path, Reason: err.Error()}
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "code,name_zh,name_en,weight,max" {
		return nil, &data.InputError{File: path, Reason: "the header must be code,name_zh,name_en,weight,max"}
	}
	var out []data.Criterion
	for i, row := range rows[1:] {
		w, werr := strconv.ParseFloat(strings.TrimSpace(row[3]), 64)
		mx, merr := strconv.ParseFloat(strings.TrimSpace(row[4]), 64)
		if err := errors.Join(werr, merr); err != nil {
			return nil, &data.InputError{File: path, Reason: fmt.Sprintf("row %d: weight and max must be numbers", i+2)}
		}
		out = append(out, data.Criterion{Code: strings.TrimSpace(row[0]), NameZH: row[1], NameEN: row[2], Weight: w, Max: mx})
	}
	return out, nil
}

func contestOpen(args []string, out io.Writer) error {
	fs := flags("contest open", "contest open --mirror FILE --round YEAR --criteria FILE.csv [--user LOGIN]", out)
	path := mirrorFlag(fs)
	round := roundFlag(fs)
	file := fs.String("criteria", "", "the published criteria: CSV, header code,name_zh,name_en,weight,max")
	user := userFlag(fs, "opening it (the whole city's jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *round == 0 || *file == "" || fs.NArg() > 0 {
		return misuse("--round and --criteria are required")
	}
	criteria, err := readCriteria(*file)
	if err != nil {
		return err
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		err := m.OpenRound(ctx, *round, criteria, *user, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%d\t%d criteria\n", *round, len(criteria))
		}
		return err
	})
}

func contestEnter(args []string, out io.Writer) error {
	fs := flags("contest enter", "contest enter --mirror FILE --round YEAR --project KEY [--user LOGIN]", out)
	path := mirrorFlag(fs)
	round := roundFlag(fs)
	key := fs.String("project", "", "the project's key (or its first 8 characters or more)")
	user := userFlag(fs, "entering it (the project's region must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *round == 0 || *key == "" || fs.NArg() > 0 {
		return misuse("--round and --project are required")
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		err := m.EnterProject(ctx, *round, *key, *user, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%d\t%s\n", *round, *key)
		}
		return err
	})
}
