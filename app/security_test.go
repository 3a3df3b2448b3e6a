package app

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"kapok/app/citymap"
	"kapok/data"
)

// The Security tab counts what the store counts under the region chosen
// and its window, shows a unit sent on patrol once read again, and each
// toggle shows and hides its layer, in step with the Layers panel.
func TestSecurityTab(t *testing.T) {
	c := newTestConsole(t, "leader")
	tab := c.Security()
	now := c.Now()
	want, err := c.M.SecuritySummary(bg, "", now.Add(-24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if tab.counts != want {
		t.Fatalf("the tab counts %+v, the store %+v", tab.counts, want)
	}
	for layer, n := range map[string]int{citymap.LayerPolice: want.Police, citymap.LayerPatrol: want.Patrol, "cameras": want.CamerasOnline,
		"checkpoints": want.CheckpointsOnline, citymap.LayerOpinion: want.OpinionAlerts} {
		if !strings.Contains(tab.Counts[layer].Text, strconv.Itoa(n)) {
			t.Errorf("%s: %q lacks %d", layer, tab.Counts[layer].Text, n)
		}
	}
	if !strings.Contains(tab.Counts[citymap.LayerCommand].Text, strconv.Itoa(want.Staffed)+" of "+strconv.Itoa(want.Centers)) {
		t.Errorf("command: %q; %+v", tab.Counts[citymap.LayerCommand].Text, want)
	}
	if len(tab.police) != want.Police || markers(c, citymap.LayerPolice) != want.Police || markers(c, citymap.LayerCommand) != want.Centers {
		t.Errorf("markers: police %d, command %d; %+v", markers(c, citymap.LayerPolice), markers(c, citymap.LayerCommand), want)
	}
	if !strings.Contains(tab.Traffic.Text, "甲区") || !strings.Contains(tab.Network.Text, "乙区") {
		t.Errorf("district values: %q / %q", tab.Traffic.Text, tab.Network.Text)
	}

	// A wider window, a district.
	tab.Window.SetSelected(tab.Window.Options[2])
	tab.Region.SetSelected(tab.Region.Options[2])
	want, _ = c.M.SecuritySummary(bg, "990102", now.Add(-7*24*time.Hour), now)
	if tab.region != "990102" || tab.window != 7*24*time.Hour || tab.counts != want {
		t.Fatalf("990102 over 7 days: %q %v %+v, the store %+v", tab.region, tab.window, tab.counts, want)
	}
	tab.Region.SetSelected(tab.Region.Options[0])

	// A unit on patrol.
	if _, err := c.M.IssueOrder(bg, data.OrderRequest{Type: data.OrderPatrol, Task: "巡逻", Priority: data.PriorityNormal,
		Start: now.Add(-time.Hour), End: now.Add(time.Hour), Targets: []string{"U9901010010010011"}, Actor: "leader"}, now); err != nil {
		t.Fatal(err)
	}
	// While the tab is shown, a change the console learns of (the watcher,
	// the minute) reads the counts again; shown another tab, it does not.
	c.RightTabs.Select(c.securityTab)
	c.LiveChanged()
	if tab.counts.Patrol != 1 || markers(c, citymap.LayerPatrol) != 1 || !strings.Contains(tab.Counts[citymap.LayerPatrol].Text, "1 units") {
		t.Errorf("on patrol: %d, %d markers, %q", tab.counts.Patrol, markers(c, citymap.LayerPatrol), tab.Counts[citymap.LayerPatrol].Text)
	}
	c.RightTabs.SelectIndex(0)
	var other string
	if err := c.M.DB.QueryRow(`SELECT code FROM units WHERE code != 'U9901010010010011' ORDER BY code LIMIT 1`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if _, err := c.M.IssueOrder(bg, data.OrderRequest{Type: data.OrderPatrol, Task: "巡逻", Priority: data.PriorityNormal,
		Start: now.Add(-time.Hour), End: now.Add(time.Hour), Targets: []string{other}, Actor: "leader"}, now); err != nil {
		t.Fatal(err)
	}
	c.LiveChanged()
	if tab.counts.Patrol != 1 {
		t.Errorf("read again while another tab is shown: %d on patrol", tab.counts.Patrol)
	}
	c.RightTabs.Select(c.securityTab)
	if tab.counts.Patrol != 2 {
		t.Errorf("the tab chosen again: %d on patrol, want 2", tab.counts.Patrol)
	}

	// Toggles.
	for _, layer := range citymap.SecurityLayers {
		before := c.City.Map.Visible(layer)
		tab.Checks[layer].SetChecked(!before)
		if c.City.Map.Visible(layer) == before {
			t.Errorf("%s: toggling left it shown %v", layer, before)
		}
		for _, o := range append(tab.toggles[layer], c.Layers[layer]) {
			if o != nil && o.Checked != !before {
				t.Errorf("%s: a check of the layer stayed %v", layer, o.Checked)
			}
		}
		tab.Checks[layer].SetChecked(before)
		if c.City.Map.Visible(layer) != before {
			t.Errorf("%s: toggled back, shown %v", layer, !before)
		}
	}
	// The Layers panel's own camera check moves the tab's.
	c.Layers["cameras"].SetChecked(true)
	if !tab.Checks["cameras"].Checked || !c.City.Map.Visible("cameras") {
		t.Error("the Layers panel's camera check left the tab's")
	}

	// The police theme: a grid with incidents darker than one without.
	c.SetTheme("police")
	if c.theme != "police" || len(c.Legend.Objects) != 2*len(citymap.Legend("police")) {
		t.Fatalf("theme %q", c.theme)
	}
}

// markers counts a layer's markers.
func markers(c *Console, layer string) int {
	n := 0
	for _, ix := range c.City.Map.Markers(layer) {
		n += ix.Len()
	}
	return n
}

// Every name the two tabs show through T(variable) is translated.
func TestSecurityAndRedCottonWordsTranslated(t *testing.T) {
	var keys []string
	keys = append(keys, dimensionNames...)
	keys = append(keys, redCottonColumns...)
	for _, w := range policeWindows {
		keys = append(keys, w.label)
	}
	for _, s := range securityTitles {
		keys = append(keys, s)
	}
	for _, s := range dutyLabel {
		keys = append(keys, s)
	}
	for _, s := range severityLabel {
		keys = append(keys, s)
	}
	keys = append(keys, citymap.PoliceCategories...)
	keys = append(keys, "万辆", "条")
	for _, lang := range []string{"en", "zh-CN"} {
		UseLanguage(lang)
		for _, k := range keys {
			if T(k) == k && lang == "zh-CN" && k != "万辆" && k != "条" {
				t.Errorf("%s: %q not translated", lang, k)
			}
		}
	}
	UseLanguage("en")
}
