package main

import (
	"bytes"
	"image/png"
	"os"
	"regexp"
	"testing"
)

// FyneApp.toml (Fyne's tools) names the app as the console runs it, and
// the icon it points to is the one the window shows: a 256 px PNG.
func TestAppMetadata(t *testing.T) {
	toml, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"ID": appID, "Name": "Kapok", "Icon": "Icon.png"} {
		m := regexp.MustCompile(`(?m)^\s*` + key + `\s*=\s*"([^"]*)"`).FindSubmatch(toml)
		if m == nil || string(m[1]) != want {
			t.Errorf("FyneApp.toml %s = %q, want %q", key, m, want)
		}
	}
	file, err := os.ReadFile("Icon.png")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, icon) {
		t.Error("the embedded icon is not Icon.png")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(icon))
	if err != nil || cfg.Width != 256 || cfg.Height != 256 {
		t.Errorf("Icon.png: %v, %dx%d, want a 256x256 PNG", err, cfg.Width, cfg.Height)
	}
}
