package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kapok/data"
	"kapok/data/demo"
	"kapok/internal/fixture"
)

// The login form: the demo password said on the demo city and only there,
// a wrong password or an unknown login refused alike in words, the right
// one logging in and remembered for the next start.
func TestLoginForm(t *testing.T) {
	a := test.NewTempApp(t)
	UseLanguage("en")
	m := fixture.City(t)
	var got []data.User
	f := NewLoginForm(m, "", demo.Password, func() time.Time { return testNow }, func(u data.User) { got = append(got, u) })
	if !f.Demo.Visible() || !strings.Contains(f.Demo.Text, "every demo user's password is "+demo.Password) {
		t.Errorf("the demo city's form says %q (shown %v)", f.Demo.Text, f.Demo.Visible())
	}
	if f.Login.Text != "" {
		t.Errorf("a first start fills in %q", f.Login.Text)
	}
	submit := func(login, pw string) {
		t.Helper()
		f.Login.SetText(login)
		f.Password.SetText(pw)
		test.Tap(f.Submit)
		pump(t, 10*time.Second, func() bool { return !f.Submit.Disabled() })
	}
	for _, try := range [][2]string{{"leader", "wrong password"}, {"nobody", demo.Password}} {
		submit(try[0], try[1])
		if len(got) != 0 || !f.Error.Visible() || f.Error.Text != "login failed: the login or the password is wrong" || f.Password.Text != "" {
			t.Errorf("%s with %q: logged in %v, says %q", try[0], try[1], got, f.Error.Text)
		}
	}
	submit("operator", demo.Password)
	if len(got) != 1 || got[0].Login != "operator" || got[0].Role != data.RoleOperator || f.Error.Visible() {
		t.Fatalf("the right password: %v, says %q", got, f.Error.Text)
	}
	if last := a.Preferences().String(LastLoginPref); last != "operator" {
		t.Errorf("remembered %q", last)
	}
	// The next start fills in the login last used, and a mirror that is
	// not the demo city says no password.
	if _, err := m.DB.Exec(`DELETE FROM kapok_meta WHERE key = 'demo_seed'`); err != nil {
		t.Fatal(err)
	}
	f = NewLoginForm(m, "", demo.Password, time.Now, func(data.User) {})
	if f.Login.Text != "operator" || f.Demo.Visible() {
		t.Errorf("the next form fills in %q and shows the demo password: %v", f.Login.Text, f.Demo.Visible())
	}
	// --user wins over the login remembered.
	if f = NewLoginForm(m, "leader", "", time.Now, func(data.User) {}); f.Login.Text != "leader" {
		t.Errorf("--user leader fills in %q", f.Login.Text)
	}
}

// The idle lock: input keeps it off, a stretch without input locks the
// console under an opaque cover over its dialogs, the same user's password
// uncovers it as it was (a wrong one is refused); Settings changes the
// stretch.
func TestIdleLock(t *testing.T) {
	m := fixture.City(t)
	c := newConsoleOn(t, m, "leader", func() time.Time { return testNow })
	c.idle.limit.Store(int64(15 * time.Minute))
	sensor, _ := find(c.Win.Content(), func(o fyne.CanvasObject) bool { _, ok := o.(*activitySensor); return ok }).(*activitySensor)
	if sensor == nil {
		t.Fatal("no activity sensor under the window's content")
	}
	c.idle.last.Store(time.Now().Add(-16 * time.Minute).UnixNano())
	if !c.idleFor(time.Now()) {
		t.Fatal("16 minutes without input are not idle")
	}
	sensor.Cursor() // the pointer moved
	if c.idleFor(time.Now()) || c.idleFor(time.Now().Add(14*time.Minute)) || !c.idleFor(time.Now().Add(15*time.Minute)) {
		t.Fatal("a move of the pointer does not restart the stretch")
	}

	c.OpenOrderDialog()
	c.Lock()
	l := c.Locked()
	if l == nil || !l.pop.Visible() || l.pop.Size() != c.Win.Canvas().Size() {
		t.Fatalf("the lock does not cover the window: %+v", l)
	}
	if top := c.Win.Canvas().Overlays().Top(); top != l.pop {
		t.Fatal("the lock is not over the dialog")
	}
	unlock := func(pw string) {
		t.Helper()
		l.Password.SetText(pw)
		test.Tap(l.Unlock)
		pump(t, 10*time.Second, func() bool { return !l.Unlock.Disabled() })
	}
	unlock("wrong password")
	if c.Locked() == nil || !strings.Contains(l.Error.Text, "login failed") {
		t.Fatalf("a wrong password: locked %v, says %q", c.Locked() != nil, l.Error.Text)
	}
	unlock(demo.Password)
	if c.Locked() != nil || l.pop.Visible() || c.Dialog() == nil {
		t.Fatalf("the right password: locked %v, the order dialog kept %v", c.Locked() != nil, c.Dialog() != nil)
	}
	if c.idleFor(time.Now()) {
		t.Fatal("unlocking does not count as input")
	}

	// Settings: the stretch.
	s := c.settingsForm()
	if want := slices.Index(idleChoices, 15); s.idle.SelectedIndex() != want {
		t.Fatalf("Settings show %q", s.idle.Selected)
	}
	s.idle.SetSelectedIndex(slices.Index(idleChoices, 5))
	c.idle.started = true // (as Run starts it, without its goroutine)
	s.apply()
	if idleMinutes() != 5 || time.Duration(c.idle.limit.Load()) != 5*time.Minute {
		t.Fatalf("after choosing 5 minutes: %d, limit %v", idleMinutes(), time.Duration(c.idle.limit.Load()))
	}
}
