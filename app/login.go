package app

import (
	"image/color"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/mirror"
)

// Logging in and the idle lock (issue 13). The console opens on a login
// form: the login last used (remembered in the preferences) and a
// password, checked by the store (mirror.Authenticate, which counts
// failures, locks a login after repeated ones and journals each attempt).
// On the demo city, and only there, the form says the documented demo
// password. After a stretch without input (15 minutes unless changed in
// Settings) the console locks: an opaque screen over everything, dialogs
// included, that asks for the same user's password again; what was open
// stays as it was behind it.

// LastLoginPref is the preference that remembers the login last used.
const LastLoginPref = "last_login"

// IdleLockPref is the preference of the minutes without input after which
// the console locks.
const IdleLockPref = "idle_lock_minutes"

// idleChoices are the idle lock's choices in Settings, in minutes; there
// is no "never": an unattended console of a command post must not stay
// open.
var idleChoices = []int{5, 10, 15, 30, 60}

// defaultIdleMinutes is the idle lock's stretch until changed.
const defaultIdleMinutes = 15

// idleMinutes is the idle lock's stretch as set (a value not offered reads
// as the default).
func idleMinutes() int {
	n := fyne.CurrentApp().Preferences().IntWithFallback(IdleLockPref, defaultIdleMinutes)
	for _, k := range idleChoices {
		if k == n {
			return n
		}
	}
	return defaultIdleMinutes
}

// ---- the login form ----

// LoginForm is the form the console opens on.
type LoginForm struct {
	Login, Password *widget.Entry
	Submit          *widget.Button
	Error           *widget.Label
	Demo            *widget.Label // the demo password, on the demo city only (else hidden)
	Content         fyne.CanvasObject

	m    *mirror.Mirror
	now  func() time.Time
	done func(data.User)
}

// NewLoginForm makes the login form over a mirror: the login last used
// filled in, and, when the mirror is the demo city (kapok_meta demo_seed)
// and a demo password is given, that password said under the form. done
// runs on the UI goroutine with the user once the password is right.
func NewLoginForm(m *mirror.Mirror, login, demoPassword string, now func() time.Time, done func(data.User)) *LoginForm {
	f := &LoginForm{m: m, now: now, done: done}
	if login == "" {
		login = fyne.CurrentApp().Preferences().String(LastLoginPref)
	}
	f.Login = widget.NewEntry()
	f.Login.SetText(login)
	f.Login.SetPlaceHolder(T("Login"))
	f.Password = widget.NewPasswordEntry()
	f.Password.SetPlaceHolder(T("Password"))
	f.Submit = widget.NewButtonWithIcon(T("Log in"), theme.LoginIcon(), f.submit)
	f.Submit.Importance = widget.HighImportance
	f.Login.OnSubmitted = func(string) { f.submit() }
	f.Password.OnSubmitted = func(string) { f.submit() }
	f.Error = widget.NewLabel("")
	f.Error.Importance = widget.DangerImportance
	f.Error.Wrapping = fyne.TextWrapWord
	f.Error.Hide()
	f.Demo = widget.NewLabel("")
	f.Demo.Wrapping = fyne.TextWrapWord
	f.Demo.Hide()
	if seed, err := m.Meta(bg, "demo_seed"); err == nil && seed != "" && demoPassword != "" {
		f.Demo.SetText(T("This is the demo city: every demo user's password is {{.Password}} (for example leader, operator, admin, commander).",
			map[string]any{"Password": demoPassword}))
		f.Demo.Show()
	}
	title := widget.NewLabelWithStyle("Kapok — "+T("Grid governance command console"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	form := widget.NewForm(widget.NewFormItem(T("Login"), f.Login), widget.NewFormItem(T("Password"), f.Password))
	card := container.NewVBox(title, widget.NewSeparator(), form, container.NewHBox(layout.NewSpacer(), f.Submit), f.Error, f.Demo)
	f.Content = container.NewCenter(container.NewGridWrap(fyne.NewSize(460, card.MinSize().Height+80), card))
	return f
}

// Focus puts the cursor where the person types first: the password when
// the login is known.
func (f *LoginForm) Focus(w fyne.Window) {
	if f.Login.Text == "" {
		w.Canvas().Focus(f.Login)
	} else {
		w.Canvas().Focus(f.Password)
	}
}

// submit checks the password off the UI goroutine (hashing it takes some
// 25 ms and 19 MiB) and logs in, or says why not (login_failed alike for
// an unknown login and a wrong password; user_locked with its end).
func (f *LoginForm) submit() {
	login := strings.TrimSpace(f.Login.Text)
	if login == "" {
		return
	}
	authenticate(f.m, login, f.now(), f.Password, f.Submit, f.Error, func(u data.User) {
		fyne.CurrentApp().Preferences().SetString(LastLoginPref, u.Login)
		f.done(u)
	})
}

// authenticate checks a login's password off the UI goroutine, its button
// disabled meanwhile; a refusal empties the password and is said under
// it, else ok runs with the user (on the UI goroutine).
func authenticate(m *mirror.Mirror, login string, now time.Time, pw *widget.Entry, btn *widget.Button, refusal *widget.Label, ok func(data.User)) {
	if btn.Disabled() {
		return
	}
	btn.Disable()
	secret := pw.Text
	go func() {
		u, err := m.Authenticate(bg, login, secret, now)
		deliverUI(func() {
			btn.Enable()
			if err != nil {
				pw.SetText("")
				refusal.SetText(errorText(err))
				refusal.Show()
				return
			}
			refusal.Hide()
			ok(u)
		})
	}()
}

// ---- input activity ----

// activitySensor notes the pointer moving over what it lies under. The
// driver asks every object under the pointer for its cursor on each move,
// parents and earlier siblings first (Fyne has no hook for input as such),
// so a sensor put first in a stack under a window's or a dialog's content
// hears every move over it and leaves the cursor to the objects above it.
type activitySensor struct {
	widget.BaseWidget
	touch func()
}

func newActivitySensor(touch func()) *activitySensor {
	s := &activitySensor{touch: touch}
	s.ExtendBaseWidget(s)
	return s
}

func (s *activitySensor) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// Cursor notes the move and asks for the default cursor, which the
// objects above it replace with their own.
func (s *activitySensor) Cursor() desktop.Cursor {
	s.touch()
	return desktop.DefaultCursor
}

// idleState is the console's idle lock: the last input (set from the
// driver's events, read by the timer's goroutine), the stretch after which
// it locks, and the lock screen while it shows.
type idleState struct {
	last    atomic.Int64 // unix nanoseconds of the last input
	limit   atomic.Int64 // the stretch, in nanoseconds (0: no lock, as in tests)
	started bool
	lock    *LockScreen
}

// touch records input now.
func (c *Console) touch() { c.idle.last.Store(time.Now().UnixNano()) }

// sensed is a window's or a dialog's content with a sensor of the
// pointer's moves under it.
func (c *Console) sensed(content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(newActivitySensor(c.touch), content)
}

// StartIdleLock locks the console after the stretch set in Settings
// without input: moves of the pointer over the window and its dialogs,
// keys not taken by a text field. A goroutine looks every few seconds.
func (c *Console) StartIdleLock() {
	c.idle.limit.Store(int64(time.Duration(idleMinutes()) * time.Minute))
	c.touch()
	if c.idle.started {
		return
	}
	c.idle.started = true
	if dc, ok := c.Win.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { c.touch() })
	}
	go func() {
		for range time.Tick(5 * time.Second) {
			if c.idleFor(time.Now()) {
				deliverUI(func() {
					if c.idleFor(time.Now()) { // no input since the look
						c.Lock()
					}
				})
			}
		}
	}()
}

// idleFor reports whether the console has had no input for its stretch at
// now (never while the stretch is unset).
func (c *Console) idleFor(now time.Time) bool {
	limit := time.Duration(c.idle.limit.Load())
	return limit > 0 && now.Sub(time.Unix(0, c.idle.last.Load())) >= limit
}

// ---- the lock screen ----

// LockScreen is the locked console: an opaque cover over the window and
// its dialogs asking for the user's password.
type LockScreen struct {
	Password *widget.Entry
	Unlock   *widget.Button
	Error    *widget.Label
	pop      *widget.PopUp
}

// Locked is the lock screen while the console is locked, or nil.
func (c *Console) Locked() *LockScreen { return c.idle.lock }

// Lock covers the console until its user's password is given again.
func (c *Console) Lock() {
	if c.idle.lock != nil {
		return
	}
	l := &LockScreen{}
	l.Password = widget.NewPasswordEntry()
	l.Password.SetPlaceHolder(T("Password"))
	l.Unlock = widget.NewButtonWithIcon(T("Unlock"), theme.LoginIcon(), func() { c.unlock(l) })
	l.Unlock.Importance = widget.HighImportance
	l.Password.OnSubmitted = func(string) { c.unlock(l) }
	l.Error = widget.NewLabel("")
	l.Error.Importance = widget.DangerImportance
	l.Error.Wrapping = fyne.TextWrapWord
	l.Error.Hide()
	who := widget.NewLabelWithStyle(T("Locked: {{.Name}} ({{.Login}})", map[string]any{"Name": c.user.Name, "Login": c.user.Login}),
		fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	why := widget.NewLabel(T("The console locked after {{.N}} minutes without input. Give your password to go on where you were.",
		map[string]any{"N": idleMinutes()}))
	why.Wrapping = fyne.TextWrapWord
	card := container.NewVBox(widget.NewIcon(theme.AccountIcon()), who, why,
		container.NewBorder(nil, nil, nil, l.Unlock, l.Password), l.Error)
	back := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	body := container.NewStack(back, container.NewCenter(container.NewGridWrap(fyne.NewSize(460, card.MinSize().Height+60), card)))
	l.pop = widget.NewModalPopUp(body, c.Win.Canvas())
	c.idle.lock = l
	l.pop.Show()
	l.pop.Resize(c.Win.Canvas().Size())
	c.Win.Canvas().Focus(l.Password)
}

// unlock checks the password as a login does (a wrong one counts towards
// the login's lock) and uncovers the console.
func (c *Console) unlock(l *LockScreen) {
	authenticate(c.M, c.User, c.Now(), l.Password, l.Unlock, l.Error, func(data.User) {
		l.pop.Hide()
		c.idle.lock = nil
		c.touch()
	})
}
