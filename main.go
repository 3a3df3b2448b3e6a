// Command kapok is the command-and-scheduling console for city grid
// governance. This file only wires subcommands and flags to the packages.
//
// The command line does not link Fyne (whose start-up complains on stderr
// under a C locale): `kapok run` hands over to the console binary,
// kapok-console, built from app/cmd/kapok-console.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"kapok/app/citymap"
	"kapok/app/msg"
	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
)

const usage = `kapok: command-and-scheduling console for city grid governance

usage:
  kapok demo    --out FILE [--seed N] [--as-of RFC3339|now] [--districts GEOJSON --streets CSV --villages CSV --city NAME]
  kapok stats   FILE
  kapok import  --mirror FILE --layer NAME [--user LOGIN] INPUT.geojson|INPUT.csv
  kapok export  --mirror FILE --layer NAME --format geojson|gpkg|csv --out OUT
  kapok render  --mirror FILE --out PNG [--size WxH] [--region CODE | --bbox minlon,minlat,maxlon,maxlat]
                [--theme plain|events|overdue|units|coverage|redcotton|police|rollout] [--at RFC3339] [--repeat N]
                (--at: the map as the city stood then, replayed from the cases' steps, the holds and the journal)
  kapok chart   --mirror FILE --indicator CODE [--region CODE] [--days 1|30] [--sparkline] [--lang zh-CN|en] [--at RFC3339]
                [--size WxH] --out FILE.png|.svg|.pdf
  kapok brief   --mirror FILE --out FILE.pdf [--region CODE] [--lang zh-CN|en] [--classification TEXT] [--font FILE.ttf]
                [--map-only] [--at RFC3339] [--user LOGIN]   (--at: the briefing as the region stood then)
  kapok brief   verify --pdf FILE.pdf [--sig FILE.sig] [--pubkey KEY.pub] | key --user LOGIN [--out LOGIN.pub]
  kapok orders  issue --mirror FILE --targets CODE[,CODE...] --task TEXT --start RFC3339 --end RFC3339
                [--type dispatch|patrol|inspection|briefing] [--priority low|normal|high|urgent] [--user LOGIN]
  kapok orders  list --mirror FILE
  kapok orders  move --mirror FILE --order NUMBER|KEY --to acknowledged|in_progress|done|cancelled|overdue [--user LOGIN]
  kapok cases   report --mirror FILE (--grid CODE | --at LON,LAT) --matter CODE --text T [--source S] [--contact C] [--user LOGIN]
  kapok cases   move --mirror FILE --case CODE --to STATE [--units U1,U2] [--reason R] [--result R] [--user LOGIN]
  kapok cases   extend|escalate --mirror FILE --case CODE --reason R [--user LOGIN]
  kapok cases   list --mirror FILE [--state S] [--all] [--overdue] [--region CODE] [--source S] [--category C]
                [--sort remaining|priority|state|reported] [--at RFC3339] [--format table|csv|json]
                (--at: the cases open then, as they stood then)
  kapok cases   show --mirror FILE --case CODE
  kapok cases   recommend --mirror FILE --case CODE [-n 5] [--user LOGIN] [--format table|json]
  kapok roster  plan --mirror FILE --region CODE --week 2026-W49 [--auto] [--user LOGIN]
  kapok roster  assign|unassign --mirror FILE --roster ID --unit U --grid G --shift 2026-12-01/day [--user LOGIN]
  kapok roster  show --mirror FILE --roster ID [--format table|csv|json]
  kapok roster  check|publish --mirror FILE --roster ID [--user LOGIN]
  kapok roster  coverage --mirror FILE --region CODE --at RFC3339 [--by-street] [--user LOGIN]
  kapok roster  rules --mirror FILE --district CODE [--shifts day=8-16,…] [--required KIND:SHIFT=N,…] [--max-shifts N]
                [--min-rest-hours H] [--high-risk-extra N] [--lending yes|no] [--user LOGIN]
  kapok roster  leave --mirror FILE --unit U --from RFC3339 --to RFC3339 [--reason R] [--user LOGIN]
  kapok duty    assign --mirror FILE --center CODE --shift 2026-12-01/day --person NAME [--phone P]
                [--role leader_on_duty|duty_officer] [--user LOGIN]
  kapok duty    remove --mirror FILE --id UID [--user LOGIN]
  kapok duty    show --mirror FILE --center CODE [--week 2026-W49 | --at RFC3339] [--format table|csv|json]
  kapok duty    gaps --mirror FILE [--region CODE] [--at RFC3339] [--format table|csv|json]
                (exits 1 while a center has nobody on duty in the shift under way)
  kapok index   --mirror FILE [--day YYYY-MM-DD] [--district CODE] [--format table|json]
                the Red Cotton Index (红棉指数): a day's ranking, or a district's 30-day trend
  kapok feed    --mirror FILE [--user LOGIN] [--format csv|jsonl] FILE|-
                indicator values (CSV indicator,region,time,value, or JSON Lines) in one transaction, then evaluated
  kapok indicators list --mirror FILE [--category C] [--state warn|alarm] [--region CODE] [--format table|json]
  kapok indicators show --mirror FILE --indicator CODE [--region CODE]
  kapok alerts  list --mirror FILE [--open] [--unacked] [--severity warn|alarm] [--region CODE] [--limit N] [--format table|json]
  kapok alerts  ack --mirror FILE --alert UID [--user LOGIN]
  kapok users   add --mirror FILE --login LOGIN --name NAME --role ROLE [--jurisdiction CODE] [--user ADMIN]
  kapok users   passwd --mirror FILE [--login LOGIN] [--user LOGIN]
  kapok users   disable --mirror FILE --login LOGIN [--user ADMIN]
  kapok users   list --mirror FILE [--format table|csv|json]
  kapok projects add --mirror FILE --region CODE --title T [--unit U] [--text D] [--indicators C1,C2] [--user LOGIN]
  kapok projects move --mirror FILE --project KEY --to incubating|piloting|evaluated|rolled_out|stopped [--reason R] [--user LOGIN]
  kapok projects list --mirror FILE [--stage S] [--region CODE] [--format table|json]
  kapok projects show --mirror FILE --project KEY [--at RFC3339]   (its milestones, overdue at --at flagged, and rollouts)
  kapok projects rollout --mirror FILE --project KEY --region CODE --state pilot|rolled_out|planned [--user LOGIN]
                a project's pilot, a region it is rolled out to, or one it is planned for
  kapok projects milestone add --mirror FILE --project KEY --title T --due YYYY-MM-DD [--user LOGIN]
                (due at 18:00 Beijing time that day)
  kapok projects milestone done --mirror FILE --project KEY --id N [--user LOGIN]
  kapok projects compare --mirror FILE --project KEY [--indicator CODE] [--region CODE] [--format table|json]
                each indicator's mean 30 days before and after each rollout, and the change
  kapok contest open --mirror FILE --round YEAR --criteria FILE.csv [--user LOGIN]
                opens a round with its published criteria (CSV: code,name_zh,name_en,weight,max)
  kapok contest enter --mirror FILE --round YEAR --project KEY [--user LOGIN]
  kapok contest score --mirror FILE --round YEAR --project KEY --criterion CODE --value V [--user LOGIN]
                a judge's score (a judge does not score their own region's entries)
  kapok contest rank --mirror FILE --round YEAR [--criteria] [--format table|json]
                the round's ranking, the top ten city innovation projects (or its published criteria)
  kapok journal verify --mirror FILE
  kapok journal list --mirror FILE [--since RFC3339] [--actor LOGIN] [--kind KIND] [--format table|json]
  kapok upstream init --dsn DSN
                creates the upstream's schema (PostgreSQL 15 with PostGIS 3), or brings it up to date
  kapok upstream load --dsn DSN --mirror FILE
                publishes the mirror's reference data (regions, grids, centers, units) into the upstream
  kapok sync    --mirror FILE --upstream DSN
                pushes this console's changes, pulls every console's in arrival order, pulls reference rows
  kapok sync    status|conflicts --mirror FILE
                where sync stands (last sync, waiting, online); this console's changes sync rejected
  kapok sync    resolve --mirror FILE --id ENTRY [--user LOGIN]
                marks a change of yours that sync rejected as resolved
  kapok version (or --version)
                the version, the commit it was built from and the build date
  kapok [run]   [--mirror FILE] [--user LOGIN] [--select CODE] [--quit-after DURATION] [--live]
                opens the console (default mirror: the demo city in the user's data folder);
                --live runs the living city's feed (on by default for the demo city)

Commands that change data (import, orders issue|move, cases report|move|extend|escalate, roster
plan|assign|unassign|publish|rules|leave, duty assign|remove, feed, alerts ack, users add|passwd|disable,
sync resolve, projects add|move|rollout|milestone, contest open|enter|score)
and brief, which signs, act as --user LOGIN (default $KAPOK_USER), who logs in: the password is read from
$KAPOK_PASSWORD or asked at the terminal; a new one (users add, users passwd) from $KAPOK_NEW_PASSWORD.
The built-in user system cannot log in. Commands that only read ask for no password.

Exit status: 0 done, 1 refused or failed (the reason on stderr, in the language of LANG), 2 misused.
`

func main() {
	os.Exit(runCLI(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: its arguments, where it writes.
type command func(args []string, out io.Writer) error

var commands = map[string]command{
	"demo": demoCmd, "stats": statsCmd, "import": importCmd, "export": exportCmd, "render": renderCmd, "chart": chartCmd,
	"orders": ordersCmd, "journal": journalCmd, "cases": casesCmd, "roster": rosterCmd, "duty": dutyCmd, "index": indexCmd, "run": runCmd,
	"feed": feedCmd, "indicators": indicatorsCmd, "alerts": alertsCmd, "brief": briefCmd, "users": usersCmd,
	"upstream": upstreamCmd, "sync": syncCmd, "projects": projectsCmd, "contest": contestCmd,
	"version": versionCmd,
}

// runCLI runs one command line and returns the process's exit status.
func runCLI(args []string, out, errOut io.Writer) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args = append([]string{"version"}, args[1:]...)
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" && args[0] != "-help" {
		args = append([]string{"run"}, args...) // no command: open the console
	}
	if name := args[0]; name == "help" || name == "-h" || name == "--help" || name == "-help" {
		fmt.Fprint(out, usage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(errOut, "kapok: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(args[1:], out)
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		fmt.Fprintf(errOut, "kapok %s: %s\n", args[0], u.msg)
		return 2
	}
	fmt.Fprintf(errOut, "kapok %s: %s\n", args[0], describe(err))
	return 1
}

// describe is an error as the person at the terminal reads it: a refusal in
// the language of the locale, anything else as it is.
func describe(err error) string {
	cat, lerr := msg.Default()
	if lerr != nil {
		return err.Error()
	}
	return cat.Error(msg.FromEnv(), err)
}

// usageError is a command line Kapok cannot make sense of (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func misuse(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// flags is a flag set whose -h prints to out (a question answered, status
// 0) and whose mistakes are usage errors (status 2).
func flags(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(out, "usage: kapok %s\n\n", synopsis)
		fs.SetOutput(out)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses args; -h has printed the usage (the flag package calls
// Usage) and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return misuse("%v", err)
}

// subcommand picks the subcommand of a command group (`orders issue`):
// its name, or help printed for -h and the group's own name alone.
func subcommand(group string, args []string, names []string, out io.Writer) (string, error) {
	if len(args) > 0 && slices.Contains(names, args[0]) {
		return args[0], nil
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help") {
		fmt.Fprintf(out, "usage: kapok %s %s …  (kapok %s SUBCOMMAND --help for its flags)\n", group, strings.Join(names, "|"), group)
		return "", flag.ErrHelp
	}
	return "", misuse("give %s", strings.Join(names, ", "))
}

// mirrorFlag is the --mirror flag every command that reads a mirror has.
func mirrorFlag(fs *flag.FlagSet) *string {
	return fs.String("mirror", "", "mirror file (required; must exist)")
}

// openMirrorFlag opens the mirror --mirror names: a missing flag is a
// misuse, a missing file a refusal.
func openMirrorFlag(path string) (*mirror.Mirror, error) {
	if path == "" {
		return nil, misuse("--mirror FILE is required")
	}
	return mirror.OpenExisting(path)
}

func demoCmd(args []string, out io.Writer) error {
	fs := flags("demo", "demo --out FILE [--seed N] [--as-of RFC3339|now] [--districts GEOJSON --streets CSV --villages CSV --city NAME]", out)
	opt := demo.DefaultOptions()
	outFile := fs.String("out", "", "mirror file to write (required)")
	fs.Int64Var(&opt.Seed, "seed", opt.Seed, "random seed: the same seed and --as-of build the same city")
	asOf := fs.String("as-of", "now", "the demo's now, RFC 3339 or now: its cases and indicators end there")
	districts := fs.String("districts", "", "district boundaries, GeoJSON (default: embedded Guangzhou)")
	streets := fs.String("streets", "", "streets and towns, CSV")
	villages := fs.String("villages", "", "communities and villages, CSV")
	city := fs.String("city", "广州市", "city name")
	fs.IntVar(&opt.Grids, "grids", opt.Grids, "number of grids to cut")
	fs.IntVar(&opt.Units, "units", opt.Units, "number of emergency units")
	fs.IntVar(&opt.Days, "days", opt.Days, "days of events and indicator values")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *outFile == "" {
		return misuse("--out FILE is required")
	}
	if *asOf != "now" {
		t, err := time.Parse(time.RFC3339, *asOf)
		if err != nil {
			return misuse("--as-of %q is not an RFC 3339 time or now (e.g. 2026-11-25T09:00:00+08:00)", *asOf)
		}
		opt.AsOf = t
	}
	src, err := citySource(*districts, *streets, *villages, *city)
	if err != nil {
		return err
	}
	rep, err := demo.Build(context.Background(), *outFile, src, opt)
	if err != nil {
		return err
	}
	for _, s := range rep.Skipped {
		fmt.Fprintln(os.Stderr, "skipped:", s)
	}
	fmt.Fprintf(out, "wrote %s in %.1f s: %d districts, %d streets, %d communities, %d grids, %d centers, %d units, %d responders, %d events\n",
		*outFile, rep.Elapsed.Seconds(), rep.Counts["districts"], rep.Counts["streets"], rep.Counts["communities"],
		rep.Counts["grids"], rep.Counts["centers"], rep.Counts["units"], rep.Counts["responders"], rep.Counts["events"])
	return nil
}

// citySource reads the division data the demo is cut from: the embedded
// Guangzhou, or three files given together.
func citySource(districts, streets, villages, city string) (*demo.CitySource, error) {
	if districts == "" && streets == "" && villages == "" {
		return demo.Guangzhou()
	}
	if districts == "" || streets == "" || villages == "" {
		return nil, misuse("give all of --districts, --streets and --villages, or none")
	}
	open := func(name string) (io.ReadCloser, error) { return os.Open(name) }
	return demo.ReadCitySource(open, districts, streets, villages, city)
}

func statsCmd(args []string, out io.Writer) error {
	fs := flags("stats", "stats FILE", out)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return misuse("give one mirror file")
	}
	m, err := mirror.OpenExisting(fs.Arg(0))
	if err != nil {
		return err
	}
	defer closeMirror(m)
	s, err := m.Stats(context.Background(), caseNow())
	if err != nil {
		return err
	}
	return s.Print(out)
}

// closeMirror closes a mirror a command opened; a failure to close after
// the work is done is reported, not silently dropped.
func closeMirror(m *mirror.Mirror) {
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "kapok: closing", m.Path+":", err)
	}
}

func importCmd(args []string, out io.Writer) error {
	fs := flags("import", "import --mirror FILE --layer NAME [--user LOGIN] INPUT.geojson|INPUT.csv", out)
	path := fs.String("mirror", "", "mirror file (required; must exist)")
	layer := fs.String("layer", "", "layer to import into (required)")
	user := userFlag(fs, "importing it (the leadership group)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *path == "" || *layer == "" || fs.NArg() != 1 {
		return misuse("usage: kapok import --mirror FILE --layer NAME INPUT")
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	m, err := openAs(*path, *user)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	res, err := m.ImportFile(context.Background(), *layer, fs.Arg(0), in, *user)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "imported %s into %s: %d added, %d updated\n", fs.Arg(0), *layer, res.Added, res.Updated)
	return nil
}

func exportCmd(args []string, out io.Writer) error {
	fs := flags("export", "export --mirror FILE --layer NAME --format geojson|gpkg|csv --out OUT", out)
	path := fs.String("mirror", "", "mirror file (required)")
	layer := fs.String("layer", "", "layer to export (required)")
	format := fs.String("format", "geojson", "geojson, gpkg or csv")
	outFile := fs.String("out", "", "output file (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *path == "" || *layer == "" || *outFile == "" {
		return misuse("usage: kapok export --mirror FILE --layer NAME --format geojson|gpkg|csv --out OUT")
	}
	m, err := mirror.OpenExisting(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	n, err := m.Export(context.Background(), *layer, *format, *outFile)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "exported %d features of %s to %s\n", n, *layer, *outFile)
	return nil
}

func renderCmd(args []string, out io.Writer) error {
	fs := flags("render", "render --mirror FILE --out PNG [--size WxH] [--region CODE | --bbox minlon,minlat,maxlon,maxlat] [--theme T] [--at RFC3339] [--repeat N]", out)
	path := fs.String("mirror", "", "mirror file (required)")
	outFile := fs.String("out", "", "PNG to write (required)")
	size := fs.String("size", "1920x1080", "image size WxH")
	var opt citymap.RenderOptions
	fs.StringVar(&opt.Region, "region", "", "region or grid code to show")
	fs.StringVar(&opt.BBox, "bbox", "", "minlon,minlat,maxlon,maxlat to show")
	fs.StringVar(&opt.Theme, "theme", "events", "one of "+strings.Join(citymap.Themes, ", "))
	fs.IntVar(&opt.Repeat, "repeat", 0, "frames to time with every cache cleared")
	atText := fs.String("at", "", "replay: the map as the city stood at this past moment (RFC 3339)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *path == "" || *outFile == "" {
		return misuse("--mirror and --out are required")
	}
	var at time.Time
	var err error
	if *atText != "" {
		if at, err = time.Parse(time.RFC3339, *atText); err != nil {
			return misuse("--at: %v", err)
		}
	}
	if opt.Region != "" && opt.BBox != "" {
		return misuse("give --region or --bbox, not both")
	}
	if opt.Width, opt.Height, err = citymap.ParseSize(*size); err != nil {
		return misuse("%v", err)
	}
	if opt.Repeat == 0 {
		// A frame of the whole city allocates some 40 MB from an empty heap,
		// most of it live until the PNG is written: collecting each time the
		// heap doubled cost this one-shot command a sixth of its CPU time and
		// freed next to nothing. So it collects only past 1 GiB (or a lower
		// GOMEMLIMIT). Timed frames (--repeat) run with the collector as in
		// the console.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(min(debug.SetMemoryLimit(-1), 1<<30))
	}
	m, err := mirror.OpenExisting(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	opt.AsOf = caseNow() // the console's and kapok cases' clock
	var svc data.MapService = m
	if !at.IsZero() {
		tl, err := m.Timeline(context.Background(), at, at)
		if err != nil {
			return err
		}
		if tl.Broken != nil {
			fmt.Fprintf(os.Stderr, "kapok render: %s\n", describe(tl.Broken))
		}
		svc, opt.AsOf = citymap.Replay(m, tl.At(at)), at
	}
	frames, err := citymap.Render(context.Background(), svc, *outFile, opt)
	if err != nil {
		return err
	}
	if len(frames) > 0 {
		fmt.Fprintln(out, citymap.FrameSummary(frames))
	}
	return nil
}

func ordersCmd(args []string, out io.Writer) error {
	sub, err := subcommand("orders", args, []string{"issue", "list", "move"}, out)
	if err != nil {
		return err
	}
	switch sub {
	case "issue":
		return ordersIssue(args[1:], out)
	case "move":
		return ordersMove(args[1:], out)
	}
	fs := flags("orders list", "orders list --mirror FILE", out)
	path := mirrorFlag(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	list, err := m.Orders(context.Background())
	if err != nil {
		return err
	}
	for _, o := range list {
		fmt.Fprintf(out, "#%d\t%s\t%s\t%s\t%s\t%s → %s\t%d targets\t%s\n", o.Number, o.UID, o.State, o.Type, o.Priority,
			o.Start.Format(time.RFC3339), o.End.Format(time.RFC3339), len(o.Targets), o.Task)
	}
	return nil
}

func ordersIssue(args []string, out io.Writer) error {
	fs := flags("orders issue", "orders issue --mirror FILE --targets CODE[,CODE…] --task TEXT --start RFC3339 --end RFC3339 [--type T] [--priority P] [--event CODE] [--user LOGIN]", out)
	path := mirrorFlag(fs)
	targets := fs.String("targets", "", "comma-separated grid, center (C…) or unit (U…) codes")
	var req data.OrderRequest
	var typ, prio string
	fs.StringVar(&req.Task, "task", "", "what to do")
	fs.StringVar(&typ, "type", "dispatch", "dispatch, patrol, inspection or briefing")
	fs.StringVar(&prio, "priority", "normal", "low, normal, high or urgent")
	fs.StringVar(&req.EventCode, "event", "", "the code of the event (case) the order answers, if any")
	start := fs.String("start", "", "start of the time window, RFC 3339")
	end := fs.String("end", "", "end of the time window, RFC 3339")
	userVar(fs, &req.Actor, "issuing it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	req.Type, req.Priority = data.OrderType(typ), data.Priority(prio)
	for _, t := range []struct {
		flag string
		into *time.Time
	}{{*start, &req.Start}, {*end, &req.End}} {
		if t.flag == "" {
			continue // the order's check names what is missing
		}
		var err error
		if *t.into, err = time.Parse(time.RFC3339, t.flag); err != nil {
			return misuse("%q is not an RFC 3339 time (e.g. 2026-11-25T20:00:00+08:00)", t.flag)
		}
	}
	if *targets != "" {
		req.Targets = strings.Split(*targets, ",")
	}
	m, err := openAs(*path, req.Actor)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	o, err := m.IssueOrder(context.Background(), req, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d\t%s\n", o.Number, o.UID)
	return nil
}

func ordersMove(args []string, out io.Writer) error {
	fs := flags("orders move", "orders move --mirror FILE --order NUMBER|KEY --to STATE [--user LOGIN]", out)
	path := mirrorFlag(fs)
	ref := fs.String("order", "", "the order: its number, its key or a prefix of the key (8 characters or more)")
	id := fs.String("id", "", "the same as --order")
	to := fs.String("to", "", "state to move it to: acknowledged, in_progress, done, cancelled, overdue")
	user := userFlag(fs, "moving it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		ref = id
	}
	if *ref == "" || *to == "" || fs.NArg() > 0 {
		return misuse("--order and --to are required")
	}
	m, err := openAs(*path, *user)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	o, err := m.MoveOrder(context.Background(), *ref, data.OrderState(*to), *user, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "#%d %s %s\n", o.Number, o.UID, o.State)
	return nil
}

func journalCmd(args []string, out io.Writer) error {
	sub, err := subcommand("journal", args, []string{"verify", "list"}, out)
	if err != nil {
		return err
	}
	if sub == "verify" {
		return journalVerify(args[1:], out)
	}
	fs := flags("journal list", "journal list --mirror FILE [--since RFC3339] [--actor LOGIN] [--kind KIND] [--format table|json]", out)
	path := mirrorFlag(fs)
	since := fs.String("since", "", "list entries from this time on, RFC 3339")
	var f data.JournalFilter
	fs.StringVar(&f.Actor, "actor", "", "list only this user's entries")
	fs.StringVar(&f.Kind, "kind", "", "list only entries of this kind (order.issue, order.move, import, demo.build, audit)")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *since != "" {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			return misuse("--since %q is not an RFC 3339 time", *since)
		}
		f.Since = t
	}
	if *format != "table" && *format != "json" {
		return misuse("--format is table or json")
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	if *format == "table" {
		fmt.Fprintln(tw, "#\tat (UTC)\tactor\tkind\tsubject\tpayload")
	}
	err = m.JournalEntries(ctx, f, func(e data.JournalEntry) error {
		if *format == "json" {
			return enc.Encode(struct {
				Seq      int64           `json:"seq"`
				ID       string          `json:"id"`
				Console  string          `json:"console"`
				Actor    string          `json:"actor"`
				At       string          `json:"at"`
				Kind     string          `json:"kind"`
				Subject  string          `json:"subject"`
				Payload  json.RawMessage `json:"payload"`
				PrevHash string          `json:"prev_hash"`
				Hash     string          `json:"hash"`
			}{e.Seq, e.ID, e.Console, e.Actor, e.At.UTC().Format(time.RFC3339Nano), e.Kind, e.Subject, json.RawMessage(e.Payload), e.PrevHash, e.Hash})
		}
		_, err := fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.At.UTC().Format("2006-01-02 15:04:05"), e.Actor, e.Kind, e.Subject, e.Payload)
		return err
	})
	if err != nil {
		return err
	}
	if *format == "table" {
		return tw.Flush()
	}
	return nil
}

func journalVerify(args []string, out io.Writer) error {
	fs := flags("journal verify", "journal verify --mirror FILE", out)
	path := mirrorFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	c, err := m.VerifyJournal(context.Background())
	if err != nil {
		return err
	}
	if !c.OK() {
		return c.Fault // names the first entry that does not hold
	}
	fmt.Fprintf(out, "the journal of %s holds: %d %s, head %s\n", *path, c.Entries, plural(c.Entries, "entry", "entries"), c.Head)
	return nil
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// runCmd opens the console: kapok-console, beside this binary or on PATH,
// takes over this process with the same arguments.
func runCmd(args []string, out io.Writer) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fmt.Fprint(out, "usage: kapok [run] [--mirror FILE] [--user LOGIN] [--select CODE] [--quit-after DURATION] [--live] [--upstream DSN]\n")
			return nil
		}
	}
	bin, err := consoleBinary()
	if err != nil {
		return err
	}
	return syscall.Exec(bin, append([]string{bin}, args...), consoleEnv(os.Environ()))
}

// consoleEnv is the console's environment. Under a C locale with an
// encoding ("C.UTF-8"), Fyne reads "C" as a language tag and logs an error
// at start; LANGUAGE=en (which GNU gettext and Fyne's locale reader
// consult first unless the locale is plain "C") says the same thing, English,
// in a form it reads.
func consoleEnv(env []string) []string {
	get := func(k string) string {
		for _, e := range env {
			if v, ok := strings.CutPrefix(e, k+"="); ok {
				return v
			}
		}
		return ""
	}
	if get("LANGUAGE") != "" {
		return env
	}
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = get(k); loc != "" {
			break
		}
	}
	if strings.HasPrefix(loc, "C.") || strings.HasPrefix(loc, "POSIX.") {
		env = append(env, "LANGUAGE=en")
	}
	return env
}

// consoleBinary finds kapok-console: next to this binary first (an install
// or bin/), then on PATH.
func consoleBinary() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "kapok-console")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath("kapok-console"); err == nil {
		return p, nil
	}
	return "", errors.New("the console, kapok-console, is neither beside kapok nor on PATH: build it with `make build`")
}
