package app

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/jackc/pgx/v5"

	"kapok/data"
	"kapok/data/demo"
	"kapok/data/mirror"
	"kapok/data/syncer"
	"kapok/data/upstream"
	"kapok/internal/fixture"
	"kapok/internal/pgtest"
)

// newUpstream is a new upstream on the tests' PostgreSQL, its schema made
// and m's reference data loaded: its DSN.
func newUpstream(t *testing.T, m *mirror.Mirror) string {
	t.Helper()
	dsn := pgtest.Start(t)
	conn := connect(t, dsn)
	if _, _, err := upstream.Init(bg, conn); err != nil {
		t.Fatal(err)
	}
	if _, err := upstream.Load(bg, conn, func(ctx context.Context, tb upstream.Table) ([][]any, error) {
		return m.ReferenceRows(ctx, tb.Name, tb.Columns)
	}); err != nil {
		t.Fatal(err)
	}
	return dsn
}

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(bg, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// syncConsole is a console on m as login, its syncs stopped when the test
// ends.
func syncConsole(t *testing.T, m *mirror.Mirror, login string) *Console {
	t.Helper()
	c := newConsoleOn(t, m, login, func() time.Time { return testNow })
	t.Cleanup(c.StopSync)
	return c
}

// waitSyncs runs what is handed to the UI goroutine until n syncs ended.
func waitSyncs(t *testing.T, c *Console, n int) {
	t.Helper()
	pump(t, 30*time.Second, func() bool { return c.Sync.Syncs >= n })
}

// The Sync button: off without an upstream, which the indicator says; a
// sync at start, online, the last sync's time (Beijing) and what it did; a
// local change shows waiting at once (through the watcher); the button
// (disabled while its sync runs) pushes it; the automatic sync runs at the
// interval, never two at once (syncer would refuse the second: sync_busy).
func TestSyncButtonSyncsAndStatusUpdates(t *testing.T) {
	m := fixture.City(t)
	dsn := newUpstream(t, m)
	c := syncConsole(t, m, "commander")
	if !c.Sync.Btn.Disabled() || !c.Sync.menuItem.Disabled || c.SyncStatus() != "not connected to an upstream" {
		t.Fatalf("no upstream: button disabled %v, menu item disabled %v, status %q", c.Sync.Btn.Disabled(), c.Sync.menuItem.Disabled, c.SyncStatus())
	}
	if err := c.StartLive(); err != nil {
		t.Fatal(err)
	}
	c.ConfigureSync(dsn)
	if !c.Syncing() || !c.Sync.Btn.Disabled() {
		t.Fatal("the sync at start does not disable the button")
	}
	waitSyncs(t, c, 1)
	status := c.SyncStatus()
	if !c.Online() || !strings.HasPrefix(status, "Online · last sync 2026-11-25 10:00 · 0 waiting to push · synced: ") ||
		c.Sync.Btn.Disabled() || c.Sync.Dot.FillColor != syncOnline {
		t.Fatalf("after the first sync: online %v, %q, button disabled %v", c.Online(), status, c.Sync.Btn.Disabled())
	}
	if c.Sync.Info.Text != status {
		t.Errorf("the status bar says %q", c.Sync.Info.Text)
	}
	if _, err := m.IssueOrder(bg, data.OrderRequest{Task: "巡查", Start: testNow, End: testNow.Add(4 * time.Hour),
		Targets: []string{"990101001001001"}, Actor: "commander"}, testNow); err != nil {
		t.Fatal(err)
	}
	pump(t, 5*time.Second, func() bool { return strings.Contains(c.Sync.Info.Text, "· 1 waiting to push") })
	test.Tap(c.Sync.Btn)
	if !c.Sync.Btn.Disabled() || !strings.Contains(c.Sync.Info.Text, "syncing…") {
		t.Fatalf("while syncing: button disabled %v, %q", c.Sync.Btn.Disabled(), c.Sync.Info.Text)
	}
	test.Tap(c.Sync.Btn) // disabled: nothing
	waitSyncs(t, c, 2)
	if want := "Online · last sync 2026-11-25 10:00 · 0 waiting to push · synced: 1 pushed, 1 pulled, 0 rejected"; c.Sync.Info.Text != want {
		t.Fatalf("after the button: %q, want %q", c.Sync.Info.Text, want)
	}
	// The automatic sync, every "minute" of 20 ms: one at a time, each
	// ending well (a second at once would be refused as busy).
	defer func(u time.Duration) { syncUnit = u }(syncUnit)
	syncUnit = 20 * time.Millisecond
	s := c.settingsForm()
	s.every.SetSelectedIndex(0)
	s.apply()
	for n := 3; n <= 8; n++ {
		waitSyncs(t, c, n)
		if !strings.Contains(c.Sync.outcome, "synced: 0 pushed, 0 pulled") {
			t.Fatalf("automatic sync %d: %q", n, c.Sync.outcome)
		}
	}
	if got := fyneMinutes(t); got != 1 {
		t.Errorf("the interval saved: %d minutes", got)
	}
}

func fyneMinutes(t *testing.T) int { t.Helper(); return syncMinutes() }

// An upstream that cannot be reached (a closed port) set in Settings: the
// sync says so in words and the status says offline, the console works
// on; the next tick tries again. --upstream wins over Settings.
func TestSyncOfflineWithUnreachableUpstream(t *testing.T) {
	m := fixture.City(t)
	c := syncConsole(t, m, "commander")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/kapok?sslmode=disable", port)
	s := c.settingsForm()
	if s.upstream.Disabled() || s.upstream.Text != "" {
		t.Fatalf("the upstream's field: %q, disabled %v", s.upstream.Text, s.upstream.Disabled())
	}
	s.upstream.SetText(dsn)
	s.apply()
	if c.Upstream() != dsn {
		t.Fatalf("upstream %q", c.Upstream())
	}
	waitSyncs(t, c, 1)
	st, err := m.SyncState(bg)
	if err != nil || st.LastError == "" || c.Online() {
		t.Fatalf("offline not recorded: %+v %v", st, err)
	}
	if want := "Offline · 1 waiting to push · cannot reach the upstream: connect: connection refused"; c.Sync.Info.Text != want || c.Sync.Dot.FillColor != syncOffline || c.Sync.Btn.Disabled() {
		t.Fatalf("offline status %q (want %q), button disabled %v", c.Sync.Info.Text, want, c.Sync.Btn.Disabled())
	}
	// The console works on: a change is kept, waiting.
	if _, err := m.IssueOrder(bg, data.OrderRequest{Task: "巡查", Start: testNow, End: testNow.Add(time.Hour),
		Targets: []string{"990101001001001"}, Actor: "commander"}, testNow); err != nil {
		t.Fatal(err)
	}
	test.Tap(c.Sync.Btn)
	waitSyncs(t, c, 2)
	if !strings.HasPrefix(c.Sync.Info.Text, "Offline · 2 waiting to push · cannot reach") {
		t.Fatalf("offline after a change: %q", c.Sync.Info.Text)
	}
	// --upstream wins, and shows in Settings, not editable.
	c.StopSync()
	c.Sync.flag = "postgres://elsewhere/kapok"
	if s = c.settingsForm(); c.Upstream() != "postgres://elsewhere/kapok" || !s.upstream.Disabled() || s.upstream.Text != c.Sync.flag {
		t.Fatalf("--upstream: %q; the field %q disabled %v", c.Upstream(), s.upstream.Text, s.upstream.Disabled())
	}
	// Chinese: the indicator's words.
	UseLanguage("zh-CN")
	defer UseLanguage("en")
	c.Sync.flag = ""
	c.Sync.outcome = ""
	c.showSync()
	if !strings.HasPrefix(c.Sync.Info.Text, "离线 · 待上传 2 条") {
		t.Errorf("in Chinese: %q", c.Sync.Info.Text)
	}
}

// Two consoles change one order offline: A cancels it, B (commander, then
// leader) acknowledges and starts it; A syncs first, so B's two moves are
// rejected. B's console, logged in as commander, opens the conflicts
// dialog by itself: the commander's move can be marked resolved, the
// leader's is greyed saying whose it is; B's orders list shows A's cancel
// through the watcher. The dialog does not open again at the next sync.
func TestSyncConflictShownToItsAuthor(t *testing.T) {
	a, b := fixture.City(t), fixture.City(t)
	dsn := newUpstream(t, a)
	conn := connect(t, dsn)
	run := func(m *mirror.Mirror) {
		t.Helper()
		if _, err := syncer.Run(bg, m, conn, time.Now); err != nil {
			t.Fatal(err)
		}
	}
	o, err := a.IssueOrder(bg, data.OrderRequest{Task: "巡查", Start: testNow, End: testNow.Add(4 * time.Hour),
		Targets: []string{"990101001001001"}, Actor: "commander"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	run(a)
	run(b)
	if _, err := a.MoveOrder(bg, o.UID, data.OrderCancelled, "commander", testNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MoveOrder(bg, o.UID, data.OrderAcknowledged, "commander", testNow.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MoveOrder(bg, o.UID, data.OrderInProgress, "leader", testNow.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	run(a)

	// B's console, logged in through the login form.
	test.NewTempApp(t)
	UseLanguage("en")
	var user data.User
	f := NewLoginForm(b, "commander", demo.Password, func() time.Time { return testNow }, func(u data.User) { user = u })
	f.Password.SetText(demo.Password)
	test.Tap(f.Submit)
	pump(t, 10*time.Second, func() bool { return user.Login != "" })
	c := syncConsole(t, b, user.Login)
	if err := c.StartLive(); err != nil {
		t.Fatal(err)
	}
	pump(t, 5*time.Second, func() bool { return c.Mon.live.Refreshes > 0 })
	if len(c.orders) != 1 || c.orders[0].State != data.OrderInProgress {
		t.Fatalf("before the sync b shows %+v", c.orders)
	}
	refreshes := c.Mon.live.Refreshes
	c.ConfigureSync(dsn)
	waitSyncs(t, c, 1)
	if !strings.HasSuffix(c.Sync.Info.Text, "pulled, 2 rejected") {
		t.Fatalf("status %q", c.Sync.Info.Text)
	}
	d := c.Conflicts()
	if d == nil {
		t.Fatal("the conflicts dialog did not open")
	}
	if !c.Sync.Conflicts.Visible() || c.Sync.Conflicts.Text != "2 conflicts" {
		t.Errorf("the count: %q shown %v", c.Sync.Conflicts.Text, c.Sync.Conflicts.Visible())
	}
	// The watcher saw the sync's writes: the order is cancelled on screen.
	pump(t, 5*time.Second, func() bool { return c.Mon.live.Refreshes > refreshes })
	if len(c.orders) != 1 || c.orders[0].State != data.OrderCancelled {
		t.Fatalf("after the sync b shows %+v", c.orders)
	}
	if len(d.Rows) != 2 {
		t.Fatalf("%d rows", len(d.Rows))
	}
	leaders, mine := d.Rows[0], d.Rows[1] // newest first
	if mine.Conflict.Actor != "commander" || leaders.Conflict.Actor != "leader" {
		t.Fatalf("rows by %s, %s", leaders.Conflict.Actor, mine.Conflict.Actor)
	}
	if mine.Title.Text != kindName(data.KindOrderMove)+" · "+o.UID || mine.About.Text != "by commander at 2026-11-25 10:02" ||
		mine.Reason.Text == "" || mine.Reason.Text == "no reason recorded" || strings.Contains(mine.Reason.Text, "refusal.") ||
		mine.Resolve.Disabled() || mine.Note.Visible() {
		t.Fatalf("commander's row: %q / %q / %q, resolve disabled %v", mine.Title.Text, mine.About.Text, mine.Reason.Text, mine.Resolve.Disabled())
	}
	t.Logf("reason: %s", mine.Reason.Text)
	if !leaders.Resolve.Disabled() || !leaders.Note.Visible() || !strings.Contains(leaders.Note.Text, "is leader's: only its author marks it resolved") {
		t.Fatalf("leader's row: disabled %v, note %q", leaders.Resolve.Disabled(), leaders.Note.Text)
	}
	test.Tap(mine.Resolve)
	if d.Msg.Visible() || len(d.Rows) != 1 || d.Rows[0].Conflict.Actor != "leader" {
		t.Fatalf("after resolving: message %q, %d rows", d.Msg.Text, len(d.Rows))
	}
	if c.Sync.Conflicts.Text != "1 conflict" || !strings.Contains(c.Sync.Info.Text, "1 waiting to push") {
		t.Errorf("after resolving: %q, %q", c.Sync.Conflicts.Text, c.Sync.Info.Text)
	}
	// The store refuses the leader's for commander, in words.
	d.resolve(leaders.Conflict.EntryID)
	if !d.Msg.Visible() || !strings.Contains(d.Msg.Text, "only its author marks it resolved") {
		t.Errorf("resolving another's: %q", d.Msg.Text)
	}
	// Closed, it does not open again at the next sync: nothing new.
	d.dlg.Hide()
	if c.Conflicts() != nil {
		t.Fatal("the dialog is still tracked after closing")
	}
	test.Tap(c.Sync.Btn)
	waitSyncs(t, c, 2)
	if c.Conflicts() != nil {
		t.Fatal("the dialog opened again without a new conflict")
	}
	if !strings.HasSuffix(c.Sync.Info.Text, "0 rejected") || strings.HasPrefix(c.Sync.Info.Text, "synced: 0 pushed") {
		t.Errorf("the resolution's push: %q", c.Sync.Info.Text)
	}
	test.Tap(c.Sync.Conflicts)
	if c.Conflicts() == nil || len(c.Conflicts().Rows) != 1 {
		t.Fatal("the count does not open the dialog")
	}
}
