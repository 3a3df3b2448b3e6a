package chart

import (
	"fmt"
	"sort"

	"golang.org/x/image/font/sfnt"

	"kapok/data"
)

// checkGlyphs fails when the bundled font lacks a character a chart may
// write: every indicator's names and unit, the region names' digits and
// the axis words in both languages.
func checkGlyphs() error {
	b, err := loadFont()
	if err != nil {
		return err
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		return err
	}
	defs, err := data.Indicators()
	if err != nil {
		return err
	}
	texts := []string{"0123456789.:-·（）月日 "}
	for _, d := range defs {
		texts = append(texts, d.NameZh, d.NameEn, d.Unit, English.unit(d.Unit))
	}
	for _, ws := range words {
		for _, w := range ws {
			texts = append(texts, w)
		}
	}
	var buf sfnt.Buffer
	missing := map[rune]bool{}
	for _, s := range texts {
		for _, r := range s {
			if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
				missing[r] = true
			}
		}
	}
	if len(missing) > 0 {
		var rs []string
		for r := range missing {
			rs = append(rs, fmt.Sprintf("%c (%U)", r, r))
		}
		sort.Strings(rs)
		return fmt.Errorf("the font lacks %v", rs)
	}
	return nil
}
