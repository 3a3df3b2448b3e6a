// Command kapok-console is Kapok's console window. `kapok run` (and `kapok`
// alone) hands over to it; this file only wires flags to package app.
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"kapok/app"
	"kapok/data/demo"
	"kapok/data/mirror"
	"kapok/internal/buildinfo"
)

// icon is the red-cotton flower (assets/package/kapok.svg at 256 px): the
// window's icon, and the app's in Fyne's About and notifications.
//
//go:embed Icon.png
var icon []byte

// appID is the console's Fyne app ID (as app.Run opens it), the desktop
// entry's and the AppStream metainfo's (assets/package).
const appID = "cn.kapok.console"

func main() {
	fs := flag.NewFlagSet("kapok run", flag.ExitOnError)
	def, err := mirror.DefaultPath()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kapok:", err)
		os.Exit(1)
	}
	// The password comes from the environment only, as for the command
	// line: never from a flag, which other users can read in ps.
	opt := app.RunOptions{BuildDemo: buildDemo, Password: os.Getenv("KAPOK_PASSWORD"), DemoPassword: demo.Password}
	fs.StringVar(&opt.Mirror, "mirror", def, "mirror file (built from the demo city if it does not exist)")
	fs.StringVar(&opt.User, "user", os.Getenv("KAPOK_USER"),
		"login filled in on the login form (default $KAPOK_USER, else the last used); with $KAPOK_PASSWORD set, logs in at once")
	fs.DurationVar(&opt.Quit, "quit-after", 0, "close this long after the first map frame (screenshots, timing)")
	fs.StringVar(&opt.Select, "select", "", "region or grid code to choose at start")
	fs.BoolVar(&opt.Live, "live", false, "run the live demo feed (on by default for the demo city)")
	fs.StringVar(&opt.Upstream, "upstream", "",
		"the city platform's PostgreSQL to sync with (postgres://host:port/db; wins over the one in Settings)")
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "run" {
		args = args[1:]
	}
	if err := fs.Parse(args); err != nil {
		os.Exit(2)
	}
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: appID, Name: "Kapok", Version: buildinfo.Read().Version, Release: true,
		Icon: fyne.NewStaticResource("kapok.png", icon),
	})
	if err := app.Run(opt); err != nil {
		fmt.Fprintln(os.Stderr, "kapok:", err)
		os.Exit(1)
	}
}

// buildDemo writes the demo Guangzhou to path, as of now: the first run's
// mirror, whose cases' clocks are live from the first minute.
func buildDemo(path string) error {
	start := time.Now()
	src, err := demo.Guangzhou()
	if err != nil {
		return err
	}
	opt := demo.DefaultOptions()
	opt.AsOf = start.Truncate(time.Second)
	if _, err := demo.Build(context.Background(), path, src, opt); err != nil {
		return err
	}
	fmt.Printf("built the demo city as of %s in %.1f s\n", opt.AsOf.Format(time.RFC3339), time.Since(start).Seconds())
	return nil
}
