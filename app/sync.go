package app

import (
	"context"
	"errors"
	"image/color"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/jackc/pgx/v5"

	"kapok/data/mirror"
	"kapok/data/syncer"
)

// Sync with the city platform's upstream (issue 14), the console's side:
// where the upstream is (--upstream, else Settings), the Sync button and
// menu item, the automatic sync every few minutes, and the indicator in
// the status bar (online or offline, last sync, entries waiting to push,
// conflicts). A sync runs on a goroutine (data/syncer does the work) and
// hands its outcome to the UI goroutine; one at a time: the button is
// disabled and a tick is skipped while one runs (and syncer refuses a
// second one on the same file, from kapok sync, with sync_busy). The
// indicator is read again after every write the watcher sees (live.go:
// the console's own, a sync's, another process's), and the map, board and
// lists refresh through the same watcher after a sync applied other
// consoles' changes. The conflicts dialog is syncconflicts.go.

// Preferences: the upstream's connection string, and the minutes between
// automatic syncs.
const (
	UpstreamPref    = "sync_upstream"
	SyncMinutesPref = "sync_minutes"
)

// syncChoices are the automatic sync's intervals Settings offers, in minutes.
var syncChoices = []int{1, 2, 5, 10, 15, 30, 60}

const defaultSyncMinutes = 5

// syncUnit is the unit of the automatic sync's interval (tests shorten it).
var syncUnit = time.Minute

// conflictLimit is how many of the newest conflicts are read and shown.
const conflictLimit = 200

// SyncPanel is the console's sync controls and what they show; the fields
// are the UI goroutine's.
type SyncPanel struct {
	Btn       *widget.Button
	Dot       *canvas.Circle
	Info      *widget.Label  // online or offline, last sync, waiting, the last outcome
	Conflicts *widget.Button // the count of conflicts; opens the dialog
	menuItem  *fyne.MenuItem

	flag     string // --upstream: wins over the preference
	running  bool
	state    mirror.SyncState
	stateErr error
	outcome  string // the last sync's outcome as text ("" before the first)
	// Syncs counts the syncs that ended (tests).
	Syncs int

	ctx      context.Context // cancelled when the console stops
	cancel   context.CancelFunc
	inFlight sync.WaitGroup
	autoStop context.CancelFunc
	queued   atomic.Bool // a tick's sync is on its way to the UI goroutine
	dialog   *ConflictsDialog
}

// Upstream is the upstream's connection string the console syncs with:
// --upstream, else the one in Settings ("" for none).
func (c *Console) Upstream() string {
	if c.Sync.flag != "" {
		return c.Sync.flag
	}
	return strings.TrimSpace(fyne.CurrentApp().Preferences().String(UpstreamPref))
}

func syncMinutes() int {
	n := fyne.CurrentApp().Preferences().IntWithFallback(SyncMinutesPref, defaultSyncMinutes)
	if !slices.Contains(syncChoices, n) {
		return defaultSyncMinutes
	}
	return n
}

// ConfigureSync takes the upstream given at start (--upstream, "" for the
// one in Settings), shows where sync stands and, with an upstream, syncs
// at once and then every few minutes.
func (c *Console) ConfigureSync(flagUpstream string) {
	c.Sync.flag = strings.TrimSpace(flagUpstream)
	c.refreshSyncState()
	c.StartAutoSync()
	c.SyncNow()
}

// StartAutoSync (re)starts the automatic sync at the interval set in
// Settings; without an upstream it stops it.
func (c *Console) StartAutoSync() {
	s := &c.Sync
	s.stopAuto()
	if c.Upstream() == "" {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.autoStop = cancel
	every := time.Duration(syncMinutes()) * syncUnit
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			// A tick while the last one waits for the UI goroutine (or a
			// sync runs: SyncNow skips it) does nothing.
			if s.queued.CompareAndSwap(false, true) {
				deliverUI(func() {
					s.queued.Store(false)
					if ctx.Err() == nil {
						c.SyncNow()
					}
				})
			}
		}
	}()
}

// StopSync stops the automatic sync, cancels a sync in flight (the next
// one resumes it) and waits for it.
func (c *Console) StopSync() {
	s := &c.Sync
	s.stopAuto()
	if s.cancel != nil {
		s.cancel()
		s.ctx, s.cancel = nil, nil
	}
	s.inFlight.Wait()
}

func (s *SyncPanel) stopAuto() {
	if s.autoStop != nil {
		s.autoStop()
		s.autoStop = nil
	}
}

// Syncing is whether a sync runs.
func (c *Console) Syncing() bool { return c.Sync.running }

// SyncNow starts one sync on a goroutine, unless there is no upstream or
// one runs already; its outcome shows in the status bar.
func (c *Console) SyncNow() {
	s := &c.Sync
	dsn := c.Upstream()
	if dsn == "" || s.running {
		return
	}
	if s.ctx == nil {
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
	s.running = true
	s.outcome = T("Syncing…")
	c.showSync()
	ctx, m, now := s.ctx, c.M, c.Now
	s.inFlight.Add(1)
	go func() {
		defer s.inFlight.Done()
		out := syncOnce(ctx, m, dsn, now)
		deliverUI(func() { c.syncEnded(out) })
	}()
}

// syncRun is what one sync did, read off the UI goroutine.
type syncRun struct {
	res      syncer.Result
	err      error
	offline  bool // the upstream could not be reached
	before   []mirror.SyncOutcome
	after    []mirror.SyncOutcome
	state    mirror.SyncState
	stateErr error
}

// syncOnce connects to the upstream and syncs m once. When the upstream
// cannot be reached the mirror records it (offline), as syncer records
// every sync's end.
func syncOnce(ctx context.Context, m *mirror.Mirror, dsn string, now func() time.Time) syncRun {
	var r syncRun
	var err error
	if r.before, err = m.SyncConflicts(ctx, conflictLimit); err != nil {
		r.err = err
	} else if conn, err := connectUpstream(ctx, dsn); err != nil {
		r.err, r.offline = err, true
		if merr := m.MarkSynced(context.WithoutCancel(ctx), now(), err); merr != nil {
			fyne.LogError("recording the sync's end", merr)
		}
	} else {
		r.res, r.err = syncer.Run(ctx, m, conn, now)
		_ = conn.Close(context.WithoutCancel(ctx)) // nothing is left to send
	}
	rest := context.WithoutCancel(ctx)
	if r.after, err = m.SyncConflicts(rest, conflictLimit); err != nil && r.err == nil {
		r.err = err
	}
	r.state, r.stateErr = m.SyncState(rest)
	return r
}

// connectUpstream opens a connection to the upstream, giving up after 10 s.
func connectUpstream(ctx context.Context, dsn string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	return pgx.ConnectConfig(ctx, cfg)
}

// syncEnded shows a sync's outcome, and the conflicts it brought the
// person at the console (each once: a conflict is new only to the sync
// that brought it).
func (c *Console) syncEnded(r syncRun) {
	s := &c.Sync
	s.running = false
	s.Syncs++
	s.state, s.stateErr = r.state, r.stateErr
	switch {
	case r.offline:
		s.outcome = T("cannot reach the upstream: {{.Error}}", map[string]any{"Error": netCause(r.err)})
	case r.err != nil:
		s.outcome = T("sync failed: {{.Error}}", map[string]any{"Error": c.text(r.err)})
	default:
		s.outcome = T("synced: {{.Pushed}} pushed, {{.Pulled}} pulled, {{.Rejected}} rejected", map[string]any{
			"Pushed": r.res.Pushed, "Pulled": r.res.Pulled, "Rejected": r.res.Applied.Rejected})
	}
	c.showSync()
	if newConflictsOf(c.User, r.before, r.after) {
		c.OpenConflicts()
	} else if s.dialog != nil {
		s.dialog.reload()
	}
}

// newConflictsOf is whether after holds a conflict of login's that before
// did not.
func newConflictsOf(login string, before, after []mirror.SyncOutcome) bool {
	for _, o := range after {
		if o.Actor == login && !slices.ContainsFunc(before, func(b mirror.SyncOutcome) bool { return b.EntryID == o.EntryID }) {
			return true
		}
	}
	return false
}

// netCause is what the network said when the upstream could not be
// reached ("connect: connection refused", not the driver's whole sentence
// around it with the address), else the whole error.
func netCause(err error) string {
	if op := (*net.OpError)(nil); errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// refreshSyncState reads where sync stands again (after a write the
// watcher saw, a conflict resolved) and shows it.
func (c *Console) refreshSyncState() {
	c.Sync.state, c.Sync.stateErr = c.M.SyncState(bg)
	c.showSync()
}

// SyncStatus is the indicator's text.
func (c *Console) SyncStatus() string {
	s := &c.Sync
	if c.Upstream() == "" {
		return T("not connected to an upstream")
	}
	if s.stateErr != nil {
		return c.text(s.stateErr)
	}
	st := s.state
	parts := []string{T("Online")}
	switch {
	case st.LastError != "":
		parts[0] = T("Offline")
	case st.LastSync.IsZero():
		parts[0] = T("not synced yet")
	}
	if !st.LastSync.IsZero() {
		parts = append(parts, T("last sync {{.At}}", map[string]any{"At": st.LastSync.In(beijing).Format("2006-01-02 15:04")}))
	}
	parts = append(parts, T("{{.N}} waiting to push", map[string]any{"N": st.Waiting()}))
	if s.outcome != "" {
		parts = append(parts, s.outcome)
	}
	return strings.Join(parts, " · ")
}

// Online is whether the last sync ended well.
func (c *Console) Online() bool {
	return c.Upstream() != "" && c.Sync.stateErr == nil && c.Sync.state.LastError == "" && !c.Sync.state.LastSync.IsZero()
}

var (
	syncOnline  = color.NRGBA{0x2e, 0xa0, 0x43, 0xff}
	syncOffline = color.NRGBA{0xd0, 0x3a, 0x2f, 0xff}
	syncNone    = color.NRGBA{0x9e, 0x9e, 0x9e, 0xff}
)

// showSync brings the controls and the indicator up to date.
func (c *Console) showSync() {
	s := &c.Sync
	if s.Info == nil {
		return
	}
	configured := c.Upstream() != ""
	if configured && !s.running {
		s.Btn.Enable()
	} else {
		s.Btn.Disable()
	}
	if s.menuItem != nil && s.menuItem.Disabled != s.Btn.Disabled() {
		s.menuItem.Disabled = s.Btn.Disabled()
		if menu := c.Win.MainMenu(); menu != nil {
			menu.Refresh()
		}
	}
	s.Info.SetText(c.SyncStatus())
	s.Dot.FillColor = syncNone
	switch {
	case c.Online():
		s.Dot.FillColor = syncOnline
	case configured && s.state.LastError != "":
		s.Dot.FillColor = syncOffline
	}
	s.Dot.Refresh()
	if n := s.state.Conflicts; configured && n > 0 {
		text := T("{{.N}} conflicts", map[string]any{"N": n})
		if n == 1 {
			text = T("1 conflict")
		}
		s.Conflicts.SetText(text)
		s.Conflicts.Show()
	} else {
		s.Conflicts.Hide()
	}
}

// syncButton is the toolbar's Sync button.
func (c *Console) syncButton() *widget.Button {
	c.Sync.Btn = widget.NewButtonWithIcon(T("Sync"), theme.ViewRefreshIcon(), c.SyncNow)
	return c.Sync.Btn
}

// syncMenuItem is File ▸ Sync with the upstream.
func (c *Console) syncMenuItem() *fyne.MenuItem {
	c.Sync.menuItem = fyne.NewMenuItem(T("Sync with the upstream"), c.SyncNow)
	c.Sync.menuItem.Disabled = c.Sync.Btn == nil || c.Sync.Btn.Disabled()
	return c.Sync.menuItem
}

// syncBar is the indicator at the status bar's end: a dot (green online,
// red offline, grey otherwise), the text, the conflicts' count.
func (c *Console) syncBar() fyne.CanvasObject {
	s := &c.Sync
	s.Dot = canvas.NewCircle(syncNone)
	s.Info = widget.NewLabel("")
	s.Conflicts = widget.NewButtonWithIcon("", theme.WarningIcon(), c.OpenConflicts)
	s.Conflicts.Importance = widget.WarningImportance
	s.Conflicts.Hide()
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), s.Dot))
	bar := container.NewHBox(widget.NewSeparator(), dot, s.Info, s.Conflicts)
	c.showSync()
	return bar
}

// addSync adds the upstream and the automatic sync's interval to
// the Settings form; --upstream shows, not editable.
func (s *settings) addSync() {
	prefs := fyne.CurrentApp().Preferences()
	s.upstream = widget.NewEntry()
	s.upstream.SetPlaceHolder("postgres://host:5432/kapok")
	s.upstream.SetText(prefs.String(UpstreamPref))
	hint := T("PostgreSQL connection string; empty: no sync")
	if s.c.Sync.flag != "" {
		s.upstream.SetText(s.c.Sync.flag)
		s.upstream.Disable()
		hint = T("given by --upstream at start")
	}
	var every []string
	for _, n := range syncChoices {
		every = append(every, T("every {{.N}} minutes", map[string]any{"N": n}))
	}
	s.every = newSelect(every, nil)
	s.every.SetSelectedIndex(slices.Index(syncChoices, syncMinutes()))
	s.form.AppendItem(&widget.FormItem{Text: T("Upstream"), Widget: s.upstream, HintText: hint})
	s.form.Append(T("Automatic sync"), s.every)
}

// applySync saves the upstream and the interval; a change restarts the
// automatic sync, and a new upstream is synced with at once.
func (s *settings) applySync() {
	prefs := fyne.CurrentApp().Preferences()
	c := s.c
	restart, now := false, false
	if dsn := strings.TrimSpace(s.upstream.Text); c.Sync.flag == "" && dsn != prefs.String(UpstreamPref) {
		prefs.SetString(UpstreamPref, dsn)
		c.Sync.outcome = ""
		restart, now = true, dsn != ""
	}
	if i := s.every.SelectedIndex(); i >= 0 && syncChoices[i] != syncMinutes() {
		prefs.SetInt(SyncMinutesPref, syncChoices[i])
		restart = true
	}
	if restart {
		c.StartAutoSync()
		c.refreshSyncState()
	}
	if now {
		c.SyncNow()
	}
}
