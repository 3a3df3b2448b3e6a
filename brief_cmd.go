package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"kapok/app/brief"
	"kapok/app/msg"
)

// briefWarnings is where kapok brief says what is wrong but did not stop
// it (a replay of a journal whose chain does not hold): stderr.
var briefWarnings io.Writer = os.Stderr

// briefCmd makes a signed briefing, or verifies one (`brief verify`), or
// makes and shows a user's signing key (`brief key`).
func briefCmd(args []string, out io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "verify":
			return briefVerify(args[1:], out)
		case "key":
			return briefKey(args[1:], out)
		}
	}
	fs := flags("brief", "brief --mirror FILE --out FILE.pdf [--region CODE] [--lang zh-CN|en] [--user LOGIN] [--classification TEXT] [--font FILE.ttf] [--map-only] [--at RFC3339]\n"+
		"       kapok brief verify --pdf FILE.pdf [--sig FILE.sig] [--pubkey KEY.pub]\n       kapok brief key --user LOGIN [--out FILE.pub]", out)
	path := mirrorFlag(fs)
	outFile := fs.String("out", "", "the briefing to write: FILE.pdf (with --map-only also FILE.png); its signature goes beside it as FILE.pdf.sig")
	region := fs.String("region", "", "the region's code (default: the whole city; a grid's code briefs its community)")
	lang := fs.String("lang", string(msg.FromEnv()), "the briefing's language: zh-CN or en (default: the locale's)")
	user := userFlag(fs, "preparing it: it is signed with their key, made once into their config directory")
	classify := fs.String("classification", "", "the classification line on every page (default: 内部资料 注意保管 / Internal — handle with care)")
	font := fs.String("font", "", "a TrueType font (.ttf) to set the text in (default: the bundled one, which covers GB 2312)")
	mapOnly := fs.Bool("map-only", false, "the map page alone (a .png out: the map image at 300 dpi, unsigned, without the page's outline, legend, scale bar and north arrow)")
	atText := fs.String("at", "", "replay: the briefing as the region stood at this past moment (RFC 3339), marked so on every page")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	if *outFile == "" {
		return misuse("--out FILE.pdf is required")
	}
	now := caseNow()
	var at time.Time
	if *atText != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, *atText); err != nil {
			return misuse("--at %q is not an RFC 3339 time (e.g. 2026-11-25T09:00:00+08:00)", *atText)
		}
		if at.After(now) {
			return misuse("--at %s is not a past moment: a replay is of the city as it stood", *atText)
		}
	}
	l := msg.FromLocale(*lang)
	if *lang != "zh-CN" && *lang != "en" && *lang != string(msg.FromEnv()) {
		return misuse("--lang is zh-CN or en")
	}
	m, err := openAs(*path, *user)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	res, err := brief.Make(context.Background(), m, *outFile, brief.Options{Region: *region, Lang: l, Now: now, User: *user,
		Classification: *classify, FontFile: *font, MapOnly: *mapOnly, At: at})
	if err != nil {
		return err
	}
	if res.Broken != nil {
		// Made all the same, and the cover says so.
		fmt.Fprintf(briefWarnings, "kapok brief: warning: %s\n", describe(res.Broken))
	}
	if res.Region != *region && *region != "" {
		fmt.Fprintf(out, "grid %s: the briefing is its community's, %s\n", *region, res.Region)
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(out, "warning: %d characters are not in the bundled font and show as empty boxes: %s (give --font FILE.ttf with them)\n",
			len(res.Missing), string(res.Missing))
	}
	if res.Sig == "" {
		fmt.Fprintf(out, "wrote %s (%d bytes)\n", res.PDF, res.Bytes)
		return nil
	}
	fmt.Fprintf(out, "wrote %s: %d pages, %d bytes, sha256 %s\nsigned %s with key %s\n", res.PDF, res.Pages, res.Bytes, res.SHA256, res.Sig, res.Fingerprint)
	return nil
}
