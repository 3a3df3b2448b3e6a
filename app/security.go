package app

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/mirror"
)

// The Security tab (安全防控): the six dimensions security rests on —
// police incidents (警情), command (指挥), patrol (巡逻), video (视频),
// checkpoints (卡口) and the network (网络) — each with its count now under
// the region chosen (the city or a district), a toggle for its map layer
// and the layer's legend; the police incidents' window (the last 24 hours
// by default) and a theme of their density by grid; the districts' latest
// vehicles through checkpoints and online opinion alerts.

// SecurityTab is the tab's widgets and state.
type SecurityTab struct {
	Region  *widget.Select
	Window  *widget.Select
	Counts  map[string]*widget.Label // by layer (citymap.SecurityLayers)
	Checks  map[string]*widget.Check // the tab's layer toggles, by layer
	Network *widget.Label            // the districts' opinion alerts
	Traffic *widget.Label            // the districts' vehicles through checkpoints
	Status  *widget.Label

	region  string // "": the city
	window  time.Duration
	counts  mirror.SecurityCounts
	police  []mirror.PoliceIncident
	patrol  []mirror.PatrolUnit
	centers []mirror.CenterOnDuty
	opinion []mirror.DistrictValue
	traffic []mirror.DistrictValue
	over    *citymap.Security
	// toggles are every check of a layer (the tab's, the Layers panel's),
	// kept in step.
	toggles map[string][]*widget.Check
}

// Security is the console's Security tab.
func (c *Console) Security() *SecurityTab {
	if c.security == nil {
		c.security = &SecurityTab{window: 24 * time.Hour, over: citymap.AddSecurity(c.City)}
	}
	return c.security
}

// policeWindows are the police incidents' windows.
var policeWindows = []struct {
	label string
	d     time.Duration
}{{"last 24 hours", 24 * time.Hour}, {"last 3 days", 72 * time.Hour}, {"last 7 days", 7 * 24 * time.Hour}}

// securityTitles are the six dimensions' names, by layer.
var securityTitles = map[string]string{citymap.LayerPolice: "Police incidents 警情", citymap.LayerCommand: "Command 指挥",
	citymap.LayerPatrol: "Patrol 巡逻", "cameras": "Video 视频", "checkpoints": "Checkpoints 卡口", citymap.LayerOpinion: "Network 网络"}

// securityLayerChecks are the security layers' toggles for the Layers
// panel (the tab has its own, kept in step); they start the toggles'
// register afresh, as the window is built.
func (c *Console) securityLayerChecks() fyne.CanvasObject {
	t := c.Security()
	t.toggles = map[string][]*widget.Check{}
	box := container.NewVBox(widget.NewLabelWithStyle(T("Security"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, l := range []string{citymap.LayerPolice, citymap.LayerCommand, citymap.LayerPatrol, citymap.LayerOpinion} {
		box.Add(c.securityToggle(l, T(securityTitles[l])))
	}
	return box
}

// securityToggle is a check showing or hiding a layer, kept in step with
// the layer's other checks (the Layers panel's own for cameras and
// checkpoints).
func (c *Console) securityToggle(layer, label string) *widget.Check {
	t := c.Security()
	if t.toggles == nil {
		t.toggles = map[string][]*widget.Check{}
	}
	sync := func(on bool) {
		for _, o := range append(t.toggles[layer], c.Layers[layer]) {
			if o != nil && o.Checked != on {
				o.Checked = on
				o.Refresh()
			}
		}
	}
	check := widget.NewCheck(label, func(on bool) {
		c.City.Map.SetVisible(layer, on)
		sync(on)
		c.Map.Redraw()
	})
	check.Checked = c.City.Map.Visible(layer)
	if len(t.toggles[layer]) == 0 {
		if lc := c.Layers[layer]; lc != nil {
			prev := lc.OnChanged
			lc.OnChanged = func(on bool) {
				if prev != nil {
					prev(on)
				}
				sync(on)
			}
		}
	}
	t.toggles[layer] = append(t.toggles[layer], check)
	return check
}

// securityPane builds the tab.
func (c *Console) securityPane() fyne.CanvasObject {
	t := c.Security()
	t.Status = widget.NewLabel("")
	t.Status.Wrapping = fyne.TextWrapWord
	regions := []string{T("Whole city")}
	codes := []string{""}
	for _, code := range c.children[c.cityCode()] {
		regions, codes = append(regions, c.regionName(code)), append(codes, code)
	}
	t.Region = newSelect(regions, func(s string) {
		if i := slices.Index(regions, s); i >= 0 && codes[i] != t.region {
			t.region = codes[i]
			c.RefreshSecurity()
		}
	})
	windows := make([]string, len(policeWindows))
	for i, w := range policeWindows {
		windows[i] = T(w.label)
	}
	t.Window = newSelect(windows, func(s string) {
		if i := slices.Index(windows, s); i >= 0 && policeWindows[i].d != t.window {
			t.window = policeWindows[i].d
			c.RefreshSecurity()
		}
	})
	t.Counts = map[string]*widget.Label{}
	t.Checks = map[string]*widget.Check{}
	t.Network, t.Traffic = widget.NewLabel(""), widget.NewLabel("")
	box := container.NewVBox()
	for _, l := range citymap.SecurityLayers {
		t.Checks[l] = c.securityToggle(l, T(securityTitles[l]))
		t.Counts[l] = widget.NewLabel("")
		t.Counts[l].Wrapping = fyne.TextWrapWord
		box.Add(widget.NewSeparator())
		box.Add(t.Checks[l])
		box.Add(t.Counts[l])
		box.Add(securityLegend(l))
		switch l {
		case citymap.LayerPolice:
			density := widget.NewButton(T("Density by grid"), func() {
				c.ThemeSel.SetSelected(c.ThemeSel.Options[slices.Index(citymap.Themes, "police")])
			})
			box.Add(container.NewHBox(widget.NewLabel(T("Reported in the")), t.Window, density))
		case "checkpoints":
			box.Add(t.Traffic)
		case citymap.LayerOpinion:
			box.Add(t.Network)
		}
	}
	refresh := widget.NewButton(T("Refresh"), c.RefreshSecurity)
	top := container.NewHBox(widget.NewLabel(T("Region")), t.Region, refresh)
	for i, w := range policeWindows {
		if w.d == t.window {
			t.Window.SetSelected(windows[i])
		}
	}
	t.Region.SetSelected(regions[max(0, slices.Index(codes, t.region))])
	c.RefreshSecurity()
	return container.NewBorder(top, t.Status, nil, nil, container.NewVScroll(box))
}

// securityLegend is a layer's symbols in a row.
func securityLegend(layer string) fyne.CanvasObject {
	row := container.NewHBox()
	add := func(col color.NRGBA, label string) {
		swatch := canvas.NewCircle(col)
		swatch.Resize(fyne.NewSize(10, 10))
		cell := canvas.NewRectangle(color.Transparent)
		cell.SetMinSize(fyne.NewSize(12, 12))
		row.Add(container.NewStack(cell, container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), swatch))))
		row.Add(widget.NewLabel(label))
	}
	switch layer {
	case citymap.LayerPolice:
		for _, cat := range citymap.PoliceCategories {
			add(citymap.PoliceColor[cat], T(cat))
		}
		add(citymap.PoliceOther, T("other matters"))
	case citymap.LayerCommand:
		for _, d := range []string{citymap.DutyStaffed, citymap.DutyNobody, citymap.DutyNoShift} {
			add(citymap.DutyColor[d], T(dutyLabel[d]))
		}
	case citymap.LayerPatrol:
		add(citymap.PatrolColor, T("unit on patrol"))
	case "cameras":
		add(citymap.CameraColor["online"], T("online"))
		add(citymap.CameraColor["offline"], T("offline"))
	case "checkpoints":
		add(citymap.CheckpointColor, T("checkpoint"))
	case citymap.LayerOpinion:
		for _, s := range []data.Severity{data.Normal, data.Warn, data.Alarm} {
			add(citymap.OpinionColor[s], T(severityLabel[s]))
		}
	}
	return container.NewHScroll(row)
}

var dutyLabel = map[string]string{citymap.DutyStaffed: "someone on duty", citymap.DutyNobody: "nobody on duty",
	citymap.DutyNoShift: "no shift under way"}

var severityLabel = map[data.Severity]string{data.Normal: "normal", data.Warn: "warn", data.Alarm: "alarm"}

// RefreshSecurity reads the six dimensions again at the console's clock
// and gives the map its markers.
func (c *Console) RefreshSecurity() {
	t := c.Security()
	if t.Status == nil {
		return
	}
	now := c.Now()
	since := now.Add(-t.window)
	err := func() (err error) {
		if t.counts, err = c.M.SecuritySummary(bg, t.region, since, now); err != nil {
			return err
		}
		if t.police, err = c.M.PoliceIncidents(bg, t.region, since, now); err != nil {
			return err
		}
		if t.patrol, err = c.M.UnitsOnPatrol(bg, t.region, now); err != nil {
			return err
		}
		if t.centers, err = c.M.CentersOnDuty(bg, t.region, now); err != nil {
			return err
		}
		if t.opinion, err = c.M.DistrictValues(bg, mirror.OpinionAlertsIndicator, now); err != nil {
			return err
		}
		t.traffic, err = c.M.DistrictValues(bg, mirror.CheckpointTrafficIndicator, now)
		return err
	}()
	if err != nil {
		t.Status.SetText(c.text(err))
		return
	}
	t.Status.SetText(T("As of {{.At}}", map[string]any{"At": now.In(beijing).Format("2006-01-02 15:04")}))
	inRegion := func(district string) bool {
		return t.region == "" || strings.HasPrefix(t.region, district) || strings.HasPrefix(district, t.region)
	}
	t.opinion = slices.DeleteFunc(t.opinion, func(v mirror.DistrictValue) bool { return !inRegion(v.District) })
	t.traffic = slices.DeleteFunc(t.traffic, func(v mirror.DistrictValue) bool { return !inRegion(v.District) })
	c.showSecurityCounts()
	c.giveSecurityMarkers()
}

// showSecurityCounts writes the counts.
func (c *Console) showSecurityCounts() {
	t := c.Security()
	s := t.counts
	window := ""
	for _, w := range policeWindows {
		if w.d == t.window {
			window = T(w.label)
		}
	}
	t.Counts[citymap.LayerPolice].SetText(T("{{.N}} open, reported in the {{.Window}}", map[string]any{"N": s.Police, "Window": window}))
	t.Counts[citymap.LayerCommand].SetText(T("{{.Staffed}} of {{.N}} centers with someone on duty · {{.Gaps}} with nobody on duty",
		map[string]any{"Staffed": s.Staffed, "N": s.Centers, "Gaps": s.Unstaffed}))
	t.Counts[citymap.LayerPatrol].SetText(T("{{.N}} units on patrol now", map[string]any{"N": s.Patrol}))
	t.Counts["cameras"].SetText(T("{{.On}} cameras online · {{.Off}} offline", map[string]any{"On": s.CamerasOnline, "Off": s.CamerasOffline}))
	t.Counts["checkpoints"].SetText(T("{{.On}} checkpoints online · {{.Off}} offline", map[string]any{"On": s.CheckpointsOnline, "Off": s.CheckpointsOffline}))
	t.Counts[citymap.LayerOpinion].SetText(T("{{.N}} open opinion alerts · {{.D}} districts at warn or alarm",
		map[string]any{"N": s.OpinionAlerts, "D": s.OpinionDistricts}))
	t.Traffic.SetText(districtLines(t.traffic, T("Vehicles through checkpoints (latest hour):"), "万辆"))
	t.Network.SetText(districtLines(t.opinion, T("Online opinion alerts (latest hour):"), "条"))
}

// districtLines lists the districts' values under a heading, a line each:
// name, value and unit, and the severity when not normal.
func districtLines(vs []mirror.DistrictValue, heading, unit string) string {
	var b strings.Builder
	b.WriteString(heading)
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %s  %s %s", v.Name, trimFloat(v.Value), T(unit))
		if v.Severity > data.Normal {
			b.WriteString("  · " + T(severityLabel[v.Severity]))
		}
	}
	if len(vs) == 0 {
		b.WriteString("\n  " + T("no value"))
	}
	return b.String()
}

// trimFloat writes a value with up to two decimals.
func trimFloat(v float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

// giveSecurityMarkers sets the security layers' markers from what was read.
func (c *Console) giveSecurityMarkers() {
	t := c.Security()
	police := make([]citymap.PoliceMark, len(t.police))
	for i, p := range t.police {
		police[i] = citymap.PoliceMark{At: p.At, Grid: p.Grid, Category: p.Category}
	}
	t.over.SetPolice(police)
	centers := make([]citymap.CenterMark, len(t.centers))
	districtAt := map[string]orb.Point{}
	for i, ce := range t.centers {
		centers[i] = citymap.CenterMark{At: ce.At, Level: ce.Level.String(), Duty: string(ce.Duty)}
		if ce.Level == data.LevelDistrict {
			districtAt[ce.Region] = ce.At
		}
	}
	t.over.SetCommand(centers)
	patrol := make([]orb.Point, len(t.patrol))
	for i, p := range t.patrol {
		patrol[i] = p.At
	}
	t.over.SetPatrol(patrol)
	var opinion []citymap.OpinionMark
	for _, v := range t.opinion {
		if at, ok := districtAt[v.District]; ok {
			opinion = append(opinion, citymap.OpinionMark{At: at, Severity: v.Severity})
		}
	}
	t.over.SetOpinion(opinion)
	if c.theme == "police" {
		if err := c.City.SetTheme("police"); err != nil {
			t.Status.SetText(c.text(err))
		}
	}
	c.Map.Redraw()
}
