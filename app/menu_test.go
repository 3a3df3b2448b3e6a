package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
)

// menuLabels are a menu's items' labels (separators as "").
func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		out = append(out, it.Label)
	}
	return out
}

// The window's menu bar: File with the map export, the briefing and the
// sync (disabled without an upstream), each doing something; made again
// in the language chosen.
func TestMainMenu(t *testing.T) {
	c := newTestConsole(t, "leader")
	menu := c.Win.MainMenu()
	if menu == nil || len(menu.Items) == 0 {
		t.Fatal("no main menu")
	}
	file := menu.Items[0]
	if file.Label != "File" || !slices.Equal(menuLabels(file), []string{"Export map view as PNG…", "Briefing…", "Sync with the upstream"}) {
		t.Fatalf("menu %q: %q", file.Label, menuLabels(file))
	}
	for _, it := range file.Items {
		if it.Action == nil {
			t.Fatalf("%q does nothing", it.Label)
		}
	}
	if !file.Items[2].Disabled {
		t.Error("File ▸ Sync with the upstream is enabled without an upstream")
	}
	file.Items[1].Action()
	if c.Briefing() == nil {
		t.Fatal("File ▸ Briefing… opened no briefing dialog")
	}

	t.Cleanup(func() { UseLanguage("en") })
	c.SetLanguage("zh-CN")
	file = c.Win.MainMenu().Items[0]
	if file.Label != "文件" || !slices.Equal(menuLabels(file), []string{"导出当前地图为 PNG…", "态势简报…", "与上级平台同步"}) {
		t.Fatalf("menu in Chinese %q: %q", file.Label, menuLabels(file))
	}
}
