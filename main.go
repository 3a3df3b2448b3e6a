// Command kapok is the command-and-scheduling console for city grid
// governance. This file only wires subcommands and flags to the packages.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"kapok/app"
	"kapok/assets"
	"kapok/data"
)

const usage = `kapok: command-and-scheduling console for city grid governance

usage:
  kapok demo    --out FILE [--seed N] [--districts GEOJSON --streets CSV --villages CSV --city NAME]
  kapok stats   FILE
  kapok import  --mirror FILE --layer NAME INPUT.geojson|INPUT.csv
  kapok export  --mirror FILE --layer NAME --format geojson|gpkg|csv --out OUT
  kapok render  --mirror FILE --out PNG [--size WxH] [--region CODE | --bbox minlon,minlat,maxlon,maxlat]
                [--theme plain|events|overdue|units] [--repeat N]
  kapok orders  issue --mirror FILE --targets CODE[,CODE...] --task TEXT --start RFC3339 --end RFC3339
                [--type dispatch|patrol|inspection|briefing] [--priority low|normal|high|urgent] [--user LOGIN]
  kapok orders  list --mirror FILE
  kapok orders  move --mirror FILE --id N --to acknowledged|in_progress|done|cancelled|overdue [--user LOGIN]
  kapok [run]   [--mirror FILE] [--user LOGIN] [--select CODE] [--quit-after DURATION]
                opens the console (default mirror: the demo city in the user's data folder)
`

func main() {
	if len(os.Args) < 2 {
		os.Args = append(os.Args, "run") // no command: open the console
	}
	cmds := map[string]func([]string) error{"demo": demo, "stats": stats, "import": importCmd, "export": exportCmd, "run": run, "render": render, "orders": orders}
	cmd, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "kapok: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err := cmd(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "kapok:", err)
		os.Exit(1)
	}
}

func demo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	opt := data.DefaultDemoOptions()
	out := fs.String("out", "", "mirror file to write (required)")
	fs.Int64Var(&opt.Seed, "seed", opt.Seed, "random seed: the same seed builds the same city")
	districts := fs.String("districts", "", "district boundaries, GeoJSON (default: embedded Guangzhou)")
	streets := fs.String("streets", "", "streets and towns, CSV")
	villages := fs.String("villages", "", "communities and villages, CSV")
	city := fs.String("city", "广州市", "city name")
	fs.IntVar(&opt.Grids, "grids", opt.Grids, "number of grids to cut")
	fs.IntVar(&opt.Units, "units", opt.Units, "number of emergency units")
	fs.IntVar(&opt.Days, "days", opt.Days, "days of events and indicator values")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("demo: --out FILE is required")
	}
	open := func(name string) (io.ReadCloser, error) { return assets.FS.Open("guangzhou/" + name) }
	dn, sn, vn := "districts.geojson", "streets.csv", "villages.csv"
	if *districts != "" || *streets != "" || *villages != "" {
		if *districts == "" || *streets == "" || *villages == "" {
			return fmt.Errorf("demo: give all of --districts, --streets and --villages, or none")
		}
		open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
		dn, sn, vn = *districts, *streets, *villages
	}
	src, err := data.ReadCitySource(open, dn, sn, vn, *city)
	if err != nil {
		return err
	}
	rep, err := data.BuildDemo(*out, src, opt)
	if err != nil {
		return err
	}
	for _, s := range rep.Skipped {
		fmt.Fprintln(os.Stderr, "skipped:", s)
	}
	fmt.Printf("wrote %s in %.1f s: %d districts, %d streets, %d communities, %d grids, %d centers, %d units, %d responders, %d events\n",
		*out, rep.Elapsed.Seconds(), rep.Counts["districts"], rep.Counts["streets"], rep.Counts["communities"],
		rep.Counts["grids"], rep.Counts["centers"], rep.Counts["units"], rep.Counts["responders"], rep.Counts["events"])
	return nil
}

func stats(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("stats: give one mirror file")
	}
	return printStats(args[0])
}

func printStats(path string) error {
	m, err := openMirror(path)
	if err != nil {
		return err
	}
	defer m.Close()
	s, err := m.Stats()
	if err != nil {
		return err
	}
	s.Print(os.Stdout)
	return nil
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	def, err := data.DefaultMirrorPath()
	if err != nil {
		return err
	}
	mirror := fs.String("mirror", def, "mirror file (built from the demo city if it does not exist)")
	user := fs.String("user", "leader", "login of the console's user")
	quit := fs.Duration("quit-after", 0, "close this long after the first map frame (screenshots, timing)")
	sel := fs.String("select", "", "region or grid code to choose at start")
	fs.Parse(args)
	return app.Run(app.RunOptions{Mirror: *mirror, User: *user, Quit: *quit, Select: *sel, BuildDemo: func(path string) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		start := time.Now()
		if err := demo([]string{"--out", path}); err != nil {
			return err
		}
		fmt.Printf("built the demo city in %.1f s\n", time.Since(start).Seconds())
		return nil
	}})
}

func importCmd(args []string) error {
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	mirror := fs.String("mirror", "", "mirror file (required)")
	layer := fs.String("layer", "", "layer to import into (required)")
	fs.Parse(args)
	if *mirror == "" || *layer == "" || fs.NArg() != 1 {
		return fmt.Errorf("import: usage: kapok import --mirror FILE --layer NAME INPUT")
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	m, err := data.Open(*mirror)
	if err != nil {
		return err
	}
	defer m.Close()
	res, err := m.ImportFile(*layer, fs.Arg(0), in, data.SystemUser)
	if err != nil {
		return err
	}
	fmt.Printf("imported %s into %s: %d added, %d updated\n", fs.Arg(0), *layer, res.Added, res.Updated)
	return nil
}

func exportCmd(args []string) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	mirror := fs.String("mirror", "", "mirror file (required)")
	layer := fs.String("layer", "", "layer to export (required)")
	format := fs.String("format", "geojson", "geojson, gpkg or csv")
	out := fs.String("out", "", "output file (required)")
	fs.Parse(args)
	if *mirror == "" || *layer == "" || *out == "" {
		return fmt.Errorf("export: usage: kapok export --mirror FILE --layer NAME --format geojson|gpkg|csv --out OUT")
	}
	m, err := openMirror(*mirror)
	if err != nil {
		return err
	}
	defer m.Close()
	n, err := m.Export(*layer, *format, *out)
	if err != nil {
		return err
	}
	fmt.Printf("exported %d features of %s to %s\n", n, *layer, *out)
	return nil
}

func render(args []string) error {
	fs := flag.NewFlagSet("render", flag.ExitOnError)
	mirror := fs.String("mirror", "", "mirror file (required)")
	out := fs.String("out", "", "PNG to write (required)")
	size := fs.String("size", "1920x1080", "image size WxH")
	var opt app.RenderOptions
	fs.StringVar(&opt.Region, "region", "", "region or grid code to show")
	fs.StringVar(&opt.BBox, "bbox", "", "minlon,minlat,maxlon,maxlat to show")
	fs.StringVar(&opt.Theme, "theme", "events", "plain, events, overdue or units")
	fs.IntVar(&opt.Repeat, "repeat", 0, "frames to time with every cache cleared")
	fs.Parse(args)
	if *mirror == "" || *out == "" {
		return fmt.Errorf("render: --mirror and --out are required")
	}
	if opt.Region != "" && opt.BBox != "" {
		return fmt.Errorf("render: give --region or --bbox, not both")
	}
	var err error
	if opt.Width, opt.Height, err = app.ParseSize(*size); err != nil {
		return err
	}
	m, err := openMirror(*mirror)
	if err != nil {
		return err
	}
	defer m.Close()
	frames, err := app.Render(m, *out, opt)
	if err != nil {
		return err
	}
	if len(frames) > 0 {
		fmt.Println(app.FrameSummary(frames))
	}
	return nil
}

func orders(args []string) error {
	if len(args) == 0 || (args[0] != "issue" && args[0] != "list" && args[0] != "move") {
		return fmt.Errorf("orders: give issue, list or move")
	}
	fs := flag.NewFlagSet("orders "+args[0], flag.ExitOnError)
	mirror := fs.String("mirror", "", "mirror file (required)")
	targets := fs.String("targets", "", "comma-separated grid, center (C…) or unit (U…) codes")
	var req data.OrderRequest
	fs.StringVar(&req.Task, "task", "", "what to do")
	fs.StringVar(&req.Type, "type", "dispatch", "dispatch, patrol, inspection or briefing")
	fs.StringVar(&req.Priority, "priority", "normal", "low, normal, high or urgent")
	fs.StringVar(&req.EventCode, "event", "", "linked event code")
	start := fs.String("start", "", "start of the time window, RFC 3339")
	end := fs.String("end", "", "end of the time window, RFC 3339")
	user := fs.String("user", "system", "login of the user issuing or moving the order")
	id := fs.Int64("id", 0, "order to move")
	to := fs.String("to", "", "state to move it to: acknowledged, in_progress, done, cancelled, overdue")
	fs.Parse(args[1:])
	m, err := openMirror(*mirror)
	if err != nil {
		return fmt.Errorf("orders: %w", err)
	}
	defer m.Close()
	if args[0] == "move" {
		uid, err := m.UserID(*user)
		if err != nil {
			return err
		}
		return m.MoveOrder(*id, *to, uid, time.Now())
	}
	if args[0] == "list" {
		list, err := m.Orders()
		if err != nil {
			return err
		}
		for _, o := range list {
			fmt.Println(o)
		}
		return nil
	}
	for _, t := range []struct {
		flag string
		into *time.Time
	}{{*start, &req.Start}, {*end, &req.End}} {
		if t.flag == "" {
			continue // IssueOrder says which is missing
		}
		if *t.into, err = time.Parse(time.RFC3339, t.flag); err != nil {
			return fmt.Errorf("orders: %q is not an RFC 3339 time (e.g. 2026-11-25T20:00:00+08:00)", t.flag)
		}
	}
	if *targets != "" {
		req.Targets = strings.Split(*targets, ",")
	}
	if req.IssuedBy, err = m.UserID(*user); err != nil {
		return err
	}
	newID, err := m.IssueOrder(req, time.Now())
	if err != nil {
		return err
	}
	fmt.Println(newID)
	return nil
}

// openMirror opens an existing mirror (Open would create a new one).
func openMirror(path string) (*data.Mirror, error) {
	if path == "" {
		return nil, fmt.Errorf("--mirror FILE is required")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return data.Open(path)
}
