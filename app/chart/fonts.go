package chart

import (
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"

	"kapok/assets"
)

// typeface is the name the bundled CJK font is registered under in
// gonum/plot's font cache.
const typeface font.Typeface = "KapokCJK"

// fontPath is the bundled font in assets.FS: a TrueType font, not a
// collection (gonum/plot reads one face).
const fontPath = "fonts/kapok-cjk.ttf"

var (
	fontOnce  sync.Once
	fontBytes []byte
	fontErr   error
)

// loadFont registers the bundled font with gonum/plot's font cache (once)
// and returns its bytes, which the PDF canvas embeds.
func loadFont() ([]byte, error) {
	fontOnce.Do(func() {
		b, err := assets.FS.ReadFile(fontPath)
		if err != nil {
			fontErr = err
			return
		}
		f, err := opentype.Parse(b)
		if err != nil {
			fontErr = err
			return
		}
		font.DefaultCache.Add(font.Collection{{Font: font.Font{Typeface: typeface}, Face: f}})
		fontBytes = b
	})
	return fontBytes, fontErr
}

// fontOf is the bundled font at a size.
func fontOf(size font.Length) font.Font {
	return font.Font{Typeface: typeface, Size: size}
}
