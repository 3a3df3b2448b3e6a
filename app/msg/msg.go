package msg

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"text/template"
	"time"

	"kapok/assets"
	"kapok/data"
)

// Lang is a language Kapok speaks.
type Lang string

// The languages.
const (
	Chinese Lang = "zh-CN"
	English Lang = "en"
)

// FromEnv is the language of the locale in the environment, as POSIX
// ranks its variables: LC_ALL, LC_MESSAGES, LANG (LANGUAGE first when it is
// set, as GNU gettext does). Chinese for any zh locale, else English.
func FromEnv() Lang {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			return FromLocale(s)
		}
	}
	return English
}

// FromLocale is the language of a locale name ("zh_CN.UTF-8", "zh-CN",
// "en_US", "C").
func FromLocale(loc string) Lang {
	if strings.HasPrefix(strings.ToLower(loc), "zh") {
		return Chinese
	}
	return English
}

// Catalog holds the translations.
type Catalog struct {
	texts map[Lang]map[string]string
}

var (
	loadOnce sync.Once
	catalog  *Catalog
	loadErr  error
)

// Default is the catalog of the embedded translation files.
func Default() (*Catalog, error) {
	loadOnce.Do(func() { catalog, loadErr = Load() })
	return catalog, loadErr
}

// Load reads the embedded translation files.
func Load() (*Catalog, error) {
	c := &Catalog{texts: map[Lang]map[string]string{}}
	for _, l := range []Lang{Chinese, English} {
		b, err := assets.FS.ReadFile("i18n/" + string(l) + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n/%s.json: %w", l, err)
		}
		c.texts[l] = m
	}
	return c, nil
}

// Has reports whether the language has a text for key.
func (c *Catalog) Has(l Lang, key string) bool { _, ok := c.texts[l][key]; return ok }

// Text is the message for key in the language, its {{.name}} fields filled
// from args; a key without a text shows as itself.
func (c *Catalog) Text(l Lang, key string, args map[string]string) string {
	s, ok := c.texts[l][key]
	if !ok {
		s = key
	}
	if !strings.Contains(s, "{{") {
		return s
	}
	t, err := template.New(key).Option("missingkey=zero").Parse(s)
	if err != nil {
		return s
	}
	var b strings.Builder
	if err := t.Execute(&b, args); err != nil {
		return s
	}
	return b.String()
}

// beijing is the time zone the console and the briefings show times in.
var beijing = data.BeijingTime

// Refusal is a refusal as text: its code's message with the arguments
// filled in, domain words translated, instants in Beijing time.
func (c *Catalog) Refusal(l Lang, r *data.Refusal) string {
	args := make(map[string]string, len(r.Args))
	for _, a := range r.Args {
		v := a.Value
		switch a.Kind {
		case data.ArgTerm:
			v = c.Text(l, v, nil)
		case data.ArgTime:
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				v = t.In(beijing).Format("2006-01-02 15:04")
			}
		}
		args[a.Name] = v
	}
	return c.Text(l, RefusalKey(r.Code), args)
}

// RefusalKey is the translation key of a refusal code.
func RefusalKey(code data.Code) string { return "refusal." + string(code) }

// Error is an error as text for people: a refusal in the language, an input
// error as its refusal, anything else as it is (it is not the user's doing).
func (c *Catalog) Error(l Lang, err error) string {
	var r *data.Refusal
	if errors.As(err, &r) {
		return c.Refusal(l, r)
	}
	var ie *data.InputError
	if errors.As(err, &ie) {
		return c.Refusal(l, ie.Refusal())
	}
	return err.Error()
}

// Span is a duration as a case's clock shows it: days and hours, or hours
// and minutes under a day.
func (c *Catalog) Span(l Lang, d time.Duration) string {
	d = d.Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	switch {
	case days > 0:
		return c.Text(l, "{{.D}}d {{.H}}h", map[string]string{"D": fmt.Sprint(days), "H": fmt.Sprint(h)})
	case h > 0:
		return c.Text(l, "{{.H}}h {{.M}}m", map[string]string{"H": fmt.Sprint(h), "M": fmt.Sprint(m)})
	}
	return c.Text(l, "{{.M}}m", map[string]string{"M": fmt.Sprint(m)})
}

// Clock is a case's clock as the queue shows it: not dispatched, closed in
// time or late, overdue by how long, or how long is left.
func (c *Catalog) Clock(l Lang, k data.Clock) string {
	switch k.State {
	case data.ClockNone:
		return c.Text(l, "not dispatched", nil)
	case data.ClockMet:
		return c.Text(l, "closed in time", nil)
	case data.ClockMissed:
		return c.Text(l, "closed late", nil)
	case data.ClockOverdue:
		return c.Text(l, "overdue {{.D}}", map[string]string{"D": c.Span(l, -k.Remaining)})
	}
	return c.Text(l, "{{.D}} left", map[string]string{"D": c.Span(l, k.Remaining)})
}
