package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/syncer"
)

// kapok sync: one sync of a mirror with the upstream (data/syncer), where
// it stands, and the console's changes it rejected.

func syncCmd(args []string, out io.Writer) error {
	if len(args) > 0 && (args[0] == "status" || args[0] == "conflicts") {
		return syncReadCmd(args[0], args[1:], out)
	}
	if len(args) > 0 && args[0] == "resolve" {
		return syncResolveCmd(args[1:], out)
	}
	fs := flags("sync", "sync --mirror FILE --upstream DSN [--init]\n\n"+
		"Syncs the mirror with the upstream once: checks that this console's journal still leads to the head the upstream\n"+
		"holds for it, pushes the entries the upstream lacks, pulls every console's changes in arrival order and applies\n"+
		"them (a change no longer valid after an earlier arrival is rejected: `kapok sync conflicts`), takes this console's\n"+
		"changes not yet confirmed again on top, and pulls the reference rows changed since the last sync. Cut anywhere,\n"+
		"the next sync resumes: nothing is lost or applied twice. With --init, makes FILE (which must not exist) a new\n"+
		"mirror from the upstream first: the catalogues, every reference row and user, then the sync; a cut --init leaves\n"+
		"no file. Also: kapok sync status|conflicts|resolve --mirror FILE.", out)
	path := fs.String("mirror", "", "mirror file (required; must exist, or must not with --init)")
	dsn := fs.String("upstream", "", "the upstream database: postgres://USER@HOST:PORT/DB or \"host=… dbname=…\" (required)")
	initNew := fs.Bool("init", false, "make a new mirror at --mirror from the upstream, then sync it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dsn == "" || fs.NArg() > 0 {
		return misuse("--upstream is required")
	}
	if *initNew {
		return syncInitCmd(*path, *dsn, out)
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	conn, err := connectUpstream(ctx, *dsn)
	if err != nil {
		// Offline: said in the mirror too, for the console's indicator.
		_ = m.MarkSynced(ctx, time.Now(), err)
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	res, err := syncer.Run(ctx, m, conn, time.Now)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "synced in %s: pushed %d, pulled %d (applied %d, confirmed %d, rejected %d, not shared %d), "+
		"taken again on top %d (kept out %d), reference rows added %d, updated %d\n",
		res.Took.Round(time.Millisecond), res.Pushed, res.Pulled, res.Applied.Applied, res.Applied.Confirmed, res.Applied.Rejected,
		res.Applied.Skipped, res.Reapplied, res.KeptOut, res.RefAdded, res.RefUpdated)
	return err
}

// syncInitCmd makes a new mirror from the upstream and syncs it once,
// printing the rows it holds per table and the time taken.
func syncInitCmd(path, dsn string, out io.Writer) error {
	if path == "" {
		return misuse("--mirror FILE is required")
	}
	if err := syncer.CheckNew(path); err != nil { // before connecting: a wrong path is said as such
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	conn, err := connectUpstream(ctx, dsn)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	res, err := syncer.Init(ctx, path, conn, time.Now)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, t := range res.Rows {
		fmt.Fprintf(&b, "%-12s %7d\n", t.Table, t.Rows)
	}
	for _, t := range res.Base {
		fmt.Fprintf(&b, "%-24s %8d\n", t.Table, t.Rows)
	}
	s := res.Sync
	fmt.Fprintf(&b, "%-12s %7d\n%-12s %7d\nreference version %d; first sync: pushed %d, pulled %d (applied %d, rejected %d, not shared %d)\n"+
		"made %s in %.2f s\n", "matters", res.Matters, "indicators", res.Indicators, res.Version, s.Pushed, s.Pulled, s.Applied.Applied,
		s.Applied.Rejected, s.Applied.Skipped, path, res.Took.Seconds())
	_, err = io.WriteString(out, b.String())
	return err
}

func syncReadCmd(sub string, args []string, out io.Writer) error {
	fs := flags("sync "+sub, "sync "+sub+" --mirror FILE", out)
	path := mirrorFlag(fs)
	limit := fs.Int("limit", 50, "conflicts: at most this many, newest first")
	if err := parse(fs, args); err != nil {
		return err
	}
	m, err := openMirrorFlag(*path)
	if err != nil {
		return err
	}
	defer closeMirror(m)
	ctx := context.Background()
	if sub == "status" {
		st, err := m.SyncState(ctx)
		if err != nil {
			return err
		}
		last := "never"
		if !st.LastSync.IsZero() {
			last = st.LastSync.In(data.BeijingTime).Format(time.RFC3339)
		}
		state := "online"
		if st.LastError != "" {
			state = "the last attempt failed: " + st.LastError
		}
		_, err = fmt.Fprintf(out, "console %s\nlast good sync: %s\nstate: %s\nwaiting to push: %d of %d entries\nconflicts to resolve: %d\n"+
			"last arrival applied: %d, reference version: %d\n", st.Console, last, state, max(st.Waiting(), 0), st.Head, st.Conflicts, st.Arrival, st.RefVersion)
		if err == nil && st.Waiting() < 0 {
			_, err = fmt.Fprintf(out, "the upstream holds %d of this console's entries, the journal only %d: it was cut or replaced; "+
				"make a new mirror with kapok sync --init and keep this one to see what it holds\n", st.Pushed, st.Head)
		}
		if err == nil && st.Phase != "" {
			_, err = fmt.Fprintf(out, "a sync was cut with this console's changes taken back (%s): the next sync puts them on top again\n", st.Phase)
		}
		return err
	}
	cs, err := m.SyncConflicts(ctx, *limit)
	if err != nil {
		return err
	}
	cat, err := msg.Default()
	if err != nil {
		return err
	}
	lang := msg.FromEnv()
	for _, c := range cs {
		if _, err := fmt.Fprintf(out, "%s  %s  %-14s %-38s %-20s %s\n", c.At.In(data.BeijingTime).Format(time.RFC3339), c.EntryID, c.Kind, c.Subject, c.Actor,
			cat.Error(lang, c.Refusal)); err != nil {
			return err
		}
	}
	if len(cs) == 0 {
		_, err = io.WriteString(out, "no conflicts\n")
	}
	return err
}

func syncResolveCmd(args []string, out io.Writer) error {
	fs := flags("sync resolve", "sync resolve --mirror FILE --id ENTRY [--user LOGIN]\n\n"+
		"Marks a change of yours that sync rejected (kapok sync conflicts lists them) as resolved.", out)
	path := mirrorFlag(fs)
	id := fs.String("id", "", "the rejected entry's id, as kapok sync conflicts prints it")
	user := userFlag(fs, "who made the change")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" || fs.NArg() > 0 {
		return misuse("--id is required")
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		err := m.ResolveConflict(ctx, *id, *user, time.Now())
		if err == nil {
			_, err = fmt.Fprintf(out, "%s resolved\n", *id)
		}
		return err
	})
}
