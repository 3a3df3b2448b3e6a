package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"kapok/assets"
)

// The translation files load into Fyne's catalogue without an error: its
// go-i18n reads some keys ("one", "other", "zero", … of plural forms) as a
// message's fields, and a file holding one as a key is dropped whole —
// every text of that language then shows in English — with only a log
// line at start to say so.
func TestTranslationsLoadIntoFyne(t *testing.T) {
	for _, l := range []string{"zh-CN", "en"} {
		b, err := assets.FS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := lang.AddTranslationsForLocale(b, fyne.Locale(l)); err != nil {
			t.Errorf("i18n/%s.json does not load into Fyne: %v", l, err)
		}
	}
	// The check can fail: a file with a reserved key is refused.
	if err := lang.AddTranslationsForLocale([]byte(`{"one": "a", "b": "c"}`), fyne.Locale("en")); err == nil {
		t.Error("a translation file keyed \"one\" loads: the check above proves nothing")
	}
}
