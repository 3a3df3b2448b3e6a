package app

import (
	"context"
	"errors"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"kapok/app/msg"
	"kapok/assets"
)

// Languages the console is translated into, as offered in the settings
// ("" follows the system locale).
var Languages = []string{"", "zh-CN", "en"}

// LanguagePref is the preference key of the chosen language.
const LanguagePref = "language"

// The locale variables as the console was started, to go back to the
// system's language.
var startLocale = map[string]string{"LC_ALL": os.Getenv("LC_ALL"), "LANGUAGE": os.Getenv("LANGUAGE")}

// UseLanguage loads the translations and picks the language: code ("zh-CN",
// "en") or, for "", the system locale.
//
// Fyne's lang package reads the locale from the environment each time
// translations are added and has no call to pick a language, so a chosen
// language is set in LC_ALL and LANGUAGE (which outrank LANG, also when LANG
// is C) and the translations are added again to make it look.
func UseLanguage(code string) {
	setenv := func(k, v string) {
		var err error
		if v == "" {
			err = os.Unsetenv(k)
		} else {
			err = os.Setenv(k, v)
		}
		if err != nil {
			fyne.LogError("setting the language", err)
		}
	}
	for k, v := range startLocale {
		setenv(k, v)
	}
	if code != "" {
		posix := strings.ReplaceAll(code, "-", "_")
		if !strings.Contains(posix, "_") {
			posix += "_US"
		}
		setenv("LC_ALL", posix+".UTF-8")
		setenv("LANGUAGE", posix)
	}
	if err := lang.AddTranslationsFS(assets.FS, "i18n"); err != nil {
		fyne.LogError("loading translations", err)
	}
	// Fyne's own strings (dialog buttons) are filed under zh-Hans, and the
	// locale matcher picks that tag for zh-CN: file ours there too.
	if zh, err := assets.FS.ReadFile("i18n/zh-CN.json"); err == nil {
		if err := lang.AddTranslationsForLocale(zh, "zh-Hans"); err != nil {
			fyne.LogError("loading translations", err)
		}
	}
}

// T translates a message of the console.
func T(msg string, data ...any) string { return lang.L(msg, data...) }

// newSelect is widget.NewSelect with its placeholder in the console's
// language: Fyne's is a constant, "(Select one)", never translated.
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = T("(Select one)")
	return s
}

// bg is the context of the console's calls to the store: each is a short
// answer to a person's action, made on the UI goroutine, and nothing cancels
// it.
var bg = context.Background()

// Term translates a domain word (a state, a type, a priority).
func Term[S ~string](v S) string { return T(string(v)) }

// text is an error as the person at the console reads it: a refusal in the
// console's language (the catalog of package msg, which the command line
// shares), anything else as it is.
func (c *Console) text(err error) string { return errorText(err) }

// errorText is an error in the console's language (refusals through the
// catalog of package msg), anything else as it is.
func errorText(err error) string {
	cat, lerr := msg.Default()
	if lerr != nil {
		return err.Error()
	}
	return cat.Error(msg.FromEnv(), err)
}

// showError shows an error in a dialog, in the console's language.
func (c *Console) showError(err error) {
	dialog.ShowError(errors.New(c.text(err)), c.Win)
}
