package brief

import (
	"strings"
	"testing"

	"kapok/app/msg"
	"kapok/assets"
	"kapok/internal/fixture"
)

// Lines are broken without losing a character (fpdf's own breaking
// dropped the Chinese character it broke a line at), each within the
// width, Chinese anywhere but before its closing punctuation, English at
// spaces.
func TestWrapKeepsEveryCharacter(t *testing.T) {
	font, err := assets.FS.ReadFile("fonts/kapok-cjk.ttf")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := msg.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := newDoc(font, cat, msg.Chinese, "t", "a", "c", fixture.AsOf)
	d.SetFont(family, "", 8)
	zh := strings.Repeat("在办、超期与力量为 2026-11-24 20:00 时的状况（力量按其现所在网格计）。指标：不保留过去时刻的数据。", 4)
	en := strings.Repeat("Indicators: not kept for past moments (an evaluation keeps only how each indicator stands now). ", 4)
	for _, text := range []string{zh, en} {
		lines := d.wrap(text, 60)
		if len(lines) < 3 {
			t.Fatalf("%d lines", len(lines))
		}
		squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if got := squeeze(strings.Join(lines, "")); got != squeeze(text) {
			t.Errorf("lost characters:\n%q\n%q", got, squeeze(text))
		}
		for _, l := range lines {
			if d.GetStringWidth(l) > 60 {
				t.Errorf("%q is wider than the line", l)
			}
			if r := []rune(l); len(r) > 0 && strings.ContainsRune(noLineStart, r[0]) {
				t.Errorf("%q starts with closing punctuation", l)
			}
		}
		if text == en {
			for _, l := range lines[:len(lines)-1] {
				if !strings.Contains(text, l+" ") {
					t.Errorf("%q does not end at a space", l)
				}
			}
		}
	}
}
