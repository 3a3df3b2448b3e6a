package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"kapok/assets"
)

// consoleTheme is Fyne's theme with the bundled CJK font for every text
// style: Fyne's own font has no Chinese, and a system font may be missing.
type consoleTheme struct {
	fyne.Theme
	font fyne.Resource
}

// NewTheme returns the console's theme (light variant: maps and boards are
// read in bright command rooms).
func NewTheme() fyne.Theme {
	ttf, err := assets.FS.ReadFile("fonts/kapok-cjk.ttf")
	if err != nil {
		panic(err) // embedded at build time: missing means a broken build
	}
	return &consoleTheme{Theme: theme.DefaultTheme(), font: fyne.NewStaticResource("kapok-cjk.ttf", ttf)}
}

func (t *consoleTheme) Font(fyne.TextStyle) fyne.Resource { return t.font }

func (t *consoleTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
