package app

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/mirror"
	kmaps "kapok/maps"
)

// RunOptions are `kapok run`'s flags.
type RunOptions struct {
	Mirror string // the mirror file; built from the demo city if missing
	// User is the login the login form is filled in with ("": the one
	// last used). With Password (automation, screenshots: $KAPOK_PASSWORD)
	// the console logs in as that user at once, through the same check.
	User, Password string
	// DemoPassword is the demo users' documented password, which the login
	// form says on the demo city only.
	DemoPassword string
	// BuildDemo writes the demo city to a path (the first run's mirror).
	BuildDemo func(path string) error
	// Select is a region or grid code to choose at start (as if from the tree).
	Select string
	// Quit, when set, closes the console this long after the first map
	// frame is on screen (for screenshots and launch timing).
	Quit time.Duration
	// Live forces the live demo feed on (it is on by default for the demo
	// city only; see live.go).
	Live bool
	// Upstream is the city platform's PostgreSQL to sync with (wins over
	// the one in Settings; see sync.go).
	Upstream string
}

// Run opens the console window and blocks until it is closed. The window
// shows progress while the demo city is built (first run) and the mirror
// loads (off the UI goroutine), then the login form; the console runs as
// the user who logged in, and locks after a stretch without input.
func Run(opt RunOptions) error {
	a := fyneapp.NewWithID("cn.kapok.console")
	UseLanguage(a.Preferences().String(LanguagePref))
	a.Settings().SetTheme(NewTheme())
	w := a.NewWindow("Kapok — " + T("Grid governance command console"))
	w.Resize(WindowSize(a.Preferences()))
	stage := widget.NewLabel(T("Opening the mirror…"))
	bar := widget.NewProgressBarInfinite()
	w.SetContent(container.NewCenter(container.NewVBox(widget.NewLabel("Kapok"), stage, bar)))
	var result error
	var console *Console // set on the UI goroutine, read there after the window closes
	started := time.Now()
	go func() {
		l, err := load(opt, func(s string) { fyne.Do(func() { stage.SetText(s) }) })
		if err != nil {
			fyne.Do(func() {
				result = err
				bar.Stop()
				text := errorText(err)
				stage.SetText(text)
				dialog.ShowError(errors.New(text), w)
			})
			return
		}
		fyne.Do(func() {
			bar.Stop()
			f := NewLoginForm(l.m, opt.User, opt.DemoPassword, time.Now, func(u data.User) {
				console = startConsole(a, w, l, u, opt, started)
			})
			w.SetContent(f.Content)
			f.Focus(w)
			if opt.User != "" && opt.Password != "" {
				f.Password.SetText(opt.Password)
				f.submit()
			}
		})
	}()
	// Quitting (the menu's Quit, --quit-after) closes no window: the
	// window's state is saved here too, before the preferences are written.
	a.Lifecycle().SetOnStopped(func() {
		if console != nil {
			console.SaveWindowState()
		}
	})
	w.ShowAndRun()
	if console != nil {
		console.StopSync()
		console.StopLive()
	}
	return result
}

// startConsole builds the console for the user who logged in and starts
// what runs beside it: the journal's check, the minute's sweep, the live
// status and the idle lock.
func startConsole(a fyne.App, w fyne.Window, l *loaded, u data.User, opt RunOptions, started time.Time) *Console {
	c, err := NewConsole(w, l.m, l.city, u.Login)
	if err != nil {
		dialog.ShowError(errors.New(errorText(err)), w)
		return nil
	}
	c.Animate, c.Map.Animate = true, true
	if opt.Select != "" {
		c.Choose(opt.Select)
		c.revealInTree(opt.Select)
	}
	first := true
	c.Map.OnFrame = func(kmaps.Viewport) {
		if first {
			first = false
			fmt.Printf("kapok: first map frame %.0f ms after start\n", float64(time.Since(started).Microseconds())/1000)
			if opt.Quit > 0 {
				time.AfterFunc(opt.Quit, func() { fyne.Do(a.Quit) })
			}
			// Everything lazy (units, fine boundaries, labels) is built now,
			// in the background, so the first zoom into a street is fast.
			go c.City.Map.Prepare()
		}
	}
	c.VerifyJournalInBackground()
	go c.sweepEveryMinute()
	if err := c.ConfigureLive(opt.Live); err != nil {
		fyne.LogError("watching the mirror", err)
	}
	c.StartIdleLock()
	c.ConfigureSync(opt.Upstream)
	return c
}

// loaded is what start-up reads off the UI goroutine: the mirror and the
// city map.
type loaded struct {
	m    *mirror.Mirror
	city *citymap.CityMap
}

func load(opt RunOptions, stage func(string)) (*loaded, error) {
	if _, err := os.Stat(opt.Mirror); os.IsNotExist(err) {
		if opt.BuildDemo == nil {
			return nil, fmt.Errorf("%s does not exist", opt.Mirror)
		}
		stage(T("First run: building the demo city into {{.Path}} (about 10 s)…", map[string]any{"Path": opt.Mirror}))
		if err := mirror.PrepareDir(opt.Mirror); err != nil {
			return nil, err
		}
		if err := opt.BuildDemo(opt.Mirror); err != nil {
			return nil, err
		}
	}
	stage(T("Loading the city map…"))
	m, err := mirror.Open(opt.Mirror)
	if err != nil {
		return nil, err
	}
	city, err := citymap.LoadAt(bg, m, "events", time.Now())
	if err != nil {
		_ = m.Close()
		return nil, err
	}
	return &loaded{m: m, city: city}, nil
}

// sweepEveryMinute moves the console's clock on every minute (see Tick).
func (c *Console) sweepEveryMinute() {
	for range time.Tick(time.Minute) {
		fyne.Do(func() {
			if err := c.Tick(); err != nil {
				fyne.LogError("the minute's sweep", err)
			}
		})
	}
}

// openSettings lets the user pick the language (the window is rebuilt in
// it), the minutes without input after which the console locks and, on a
// mirror that can have one, switch the live demo feed.
func (c *Console) openSettings() {
	c.settingsForm().show()
}

// settings is the Settings dialog's form, apart from showing it (tested
// without a window).
type settings struct {
	c    *Console
	lang *widget.Select
	idle *widget.Select // minutes without input before the console locks (idleChoices)
	feed *widget.Check  // nil when the mirror has no live feed
	form *widget.Form
	// The upstream and the automatic sync's interval (sync.go).
	upstream *widget.Entry
	every    *widget.Select
}

func (c *Console) settingsForm() *settings {
	prefs := fyne.CurrentApp().Preferences()
	names := []string{T("System language"), "中文（简体）", "English"}
	s := &settings{c: c, lang: newSelect(names, nil)}
	// An unknown saved value shows as the system language.
	s.lang.SetSelectedIndex(max(0, slices.Index(Languages, prefs.String(LanguagePref))))
	var minutes []string
	for _, n := range idleChoices {
		minutes = append(minutes, T("after {{.N}} minutes without input", map[string]any{"N": n}))
	}
	s.idle = newSelect(minutes, nil)
	s.idle.SetSelectedIndex(slices.Index(idleChoices, idleMinutes()))
	s.form = widget.NewForm(widget.NewFormItem(T("Language"), s.lang), widget.NewFormItem(T("Lock"), s.idle))
	if c.Mon.live.feedable {
		s.feed = widget.NewCheck(T("Live demo feed"), nil)
		s.feed.SetChecked(c.LiveFeeding())
		s.form.Append("", s.feed)
	}
	s.addSync()
	return s
}

// apply does what the dialog's Apply does.
func (s *settings) apply() {
	if i := s.idle.SelectedIndex(); i >= 0 && idleChoices[i] != idleMinutes() {
		fyne.CurrentApp().Preferences().SetInt(IdleLockPref, idleChoices[i])
		if s.c.idle.started {
			s.c.StartIdleLock() // at the new stretch, counted from now
		}
	}
	if s.feed != nil && s.feed.Checked != s.c.LiveFeeding() {
		s.c.SetLiveFeed(s.feed.Checked)
	}
	s.applySync()
	if i := s.lang.SelectedIndex(); i >= 0 && Languages[i] != fyne.CurrentApp().Preferences().String(LanguagePref) {
		s.c.SetLanguage(Languages[i])
	}
}

func (s *settings) show() {
	dialog.ShowCustomConfirm(T("Settings"), T("Apply"), T("Cancel"), s.form, func(ok bool) {
		if ok {
			s.apply()
		}
	}, s.c.Win)
}

// SetLanguage switches the console's language, remembers it, and rebuilds
// the window's content in it.
func (c *Console) SetLanguage(code string) {
	fyne.CurrentApp().Preferences().SetString(LanguagePref, code)
	UseLanguage(code)
	c.Win.SetTitle("Kapok — " + T("Grid governance command console"))
	c.Build()
}
