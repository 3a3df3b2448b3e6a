package app

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kapok/app/chart"
	"kapok/data"
	"kapok/data/mirror"
)

// The Monitoring tab (监测, issue 11): the operations indicators of the
// region chosen in the tree, search or board — the city, a district or a
// street — alarms first, each with its value, its severity's colour and a
// sparkline of its last 24 hours; the one chosen drawn as a 24-hour (or
// 30-day) chart over its definition; below, the region's open alerts to
// acknowledge. Charts are drawn off the UI goroutine and handed over with
// fyne.Do; sparklines only for the rows the list shows, once per
// evaluation, kept between.

// MonitorTab is the Monitoring tab's widgets and what they show. Its state
// outlives the widgets, which are made again with the window (a change of
// language).
type MonitorTab struct {
	Tab        *container.TabItem
	Region     *widget.Label
	Category   *widget.Select
	List       *widget.List
	Chart      *canvas.Image
	ChartNote  *widget.Label
	Month      *widget.Check
	Definition *widget.Label
	LiveFeed   *widget.Check
	// The alerts (alerts.go).
	Alerts    *widget.List
	AckBtn    *widget.Button
	AlertMsg  *widget.Label
	Notice    *fyne.Container
	NoticeBtn *widget.Button

	region   string // the region shown (city, district or street code)
	synced   string // the console's chosen region last followed
	category string // "" all
	statuses []data.IndicatorStatus
	chosen   string // the indicator charted
	month    bool
	// gen counts the lists read; a sparkline drawn for an older one is
	// shown until its new one is drawn.
	gen     int
	sparks  map[sparkKey]sparkImage
	drawing map[sparkKey]bool
	// SparksDrawn counts the sparklines asked for (tests: only the rows
	// shown are drawn).
	SparksDrawn int
	chartGen    int
	// busy counts the pictures being drawn in the background.
	busy int

	alerts   []data.Alert
	alertSel string
	known    map[string]bool // the open alarms seen (nil until first read)
	noticed  []data.Alert    // new alarms the notice names

	live liveState
}

type sparkKey struct{ code, region string }

type sparkImage struct {
	img image.Image
	gen int
}

// Sizes of the pictures, in Fyne's units.
const (
	sparkW, sparkH = 90, 24
	chartW, chartH = 620, 250
)

// sparkWorkers is how many sparklines are drawn at once, off the UI
// goroutine.
var sparkWorkers = make(chan struct{}, 2)

func (c *Console) monitorPane() fyne.CanvasObject {
	s := &c.Mon
	if s.region == "" {
		s.region = c.monitorRegionOf(c.selRegion)
		s.synced = c.selRegion
	}
	if s.sparks == nil {
		s.sparks, s.drawing = map[sparkKey]sparkImage{}, map[sparkKey]bool{}
	}
	s.Region = widget.NewLabel("")
	s.Region.TextStyle.Bold = true
	cats := append([]string{T("All categories")}, translated(data.IndicatorCategories)...)
	s.Category = newSelect(cats, func(string) {
		switch i := s.Category.SelectedIndex(); {
		case i == 0:
			c.SetMonitorCategory("")
		case i > 0:
			c.SetMonitorCategory(data.IndicatorCategories[i-1])
		}
	})
	s.Category.SetSelectedIndex(max(0, slices.Index(data.IndicatorCategories, s.category)+1))
	s.List = widget.NewList(func() int { return len(s.statuses) }, c.indicatorRow, c.updateIndicatorRow)
	s.List.OnSelected = func(i widget.ListItemID) {
		if i < len(s.statuses) && s.statuses[i].Indicator.Code != s.chosen {
			c.ChooseIndicator(s.statuses[i].Indicator.Code)
		}
	}
	s.Chart = canvas.NewImageFromImage(nil)
	s.Chart.FillMode = canvas.ImageFillContain
	s.Chart.ScaleMode = canvas.ImageScaleFastest
	s.Chart.SetMinSize(fyne.NewSize(chartW/2, chartH*0.8))
	s.ChartNote = widget.NewLabel(T("Choose an indicator to see its chart."))
	s.Month = widget.NewCheck(T("30 days"), func(on bool) {
		if on != s.month {
			s.month = on
			c.drawChart()
		}
	})
	s.Month.Checked = s.month
	s.Definition = widget.NewLabel("")
	s.Definition.Wrapping = fyne.TextWrapWord
	s.LiveFeed = widget.NewCheck(T("Live demo feed"), func(on bool) { c.SetLiveFeed(on) })
	s.LiveFeed.Checked = s.live.feeding()
	if !s.live.feedable {
		s.LiveFeed.Hide()
	}
	c.buildAlerts()
	c.followChoices()
	top := container.NewBorder(nil, nil, nil, container.NewHBox(s.Category, s.LiveFeed), s.Region)
	chartPane := container.NewBorder(container.NewHBox(s.ChartNote, s.Month), nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.Chart, s.Definition)))
	alertsPane := container.NewBorder(container.NewHBox(widget.NewLabelWithStyle(T("Open alerts"), fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), s.AckBtn), s.AlertMsg, nil, nil, s.Alerts)
	lower := container.NewVSplit(chartPane, alertsPane)
	lower.Offset = 0.62
	body := container.NewVSplit(s.List, lower)
	body.Offset = 0.36
	c.loadMonitor()
	return container.NewBorder(top, nil, nil, nil, body)
}

// indicatorRow is a list row: severity dot, name, value, sparkline.
func (c *Console) indicatorRow() fyne.CanvasObject {
	dot := canvas.NewCircle(color.Transparent)
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	value := widget.NewLabel("")
	spark := canvas.NewImageFromImage(nil)
	spark.FillMode = canvas.ImageFillContain
	spark.SetMinSize(fyne.NewSize(sparkW, sparkH))
	return container.NewBorder(nil, nil, container.NewCenter(container.NewGridWrap(fyne.NewSize(12, 12), dot)),
		container.NewHBox(value, spark), name)
}

func (c *Console) updateIndicatorRow(i widget.ListItemID, o fyne.CanvasObject) {
	s := &c.Mon
	if i >= len(s.statuses) {
		return
	}
	st := s.statuses[i]
	row := o.(*fyne.Container)
	name := row.Objects[0].(*widget.Label)
	dot := row.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
	right := row.Objects[2].(*fyne.Container)
	value, spark := right.Objects[0].(*widget.Label), right.Objects[1].(*canvas.Image)
	name.SetText(c.indicatorName(st.Indicator))
	value.SetText(c.valueText(st.Value, st.Indicator.Unit))
	value.Importance = severityImportance(st.Severity)
	value.Refresh()
	dot.FillColor = chart.SeverityColor[st.Severity]
	dot.Refresh()
	key := sparkKey{st.Indicator.Code, st.Region}
	got, ok := s.sparks[key]
	if ok {
		spark.Image = got.img
	} else {
		spark.Image = nil
	}
	spark.Refresh()
	if !ok || got.gen != s.gen {
		c.requestSparkline(st)
	}
}

// requestSparkline draws a row's sparkline in the background and shows it
// when done; a row already being drawn is not asked again.
func (c *Console) requestSparkline(st data.IndicatorStatus) {
	s := &c.Mon
	key := sparkKey{st.Indicator.Code, st.Region}
	if s.drawing[key] {
		return
	}
	s.drawing[key] = true
	s.SparksDrawn++
	s.busy++
	m, end, gen, scale := c.M, c.Now(), s.gen, c.canvasScale()
	go func() {
		sparkWorkers <- struct{}{}
		img, err := drawSparkline(m, st, end, scale)
		<-sparkWorkers
		deliverUI(func() {
			s.busy--
			delete(s.drawing, key)
			if err != nil {
				fyne.LogError("drawing a sparkline", err)
				return
			}
			s.sparks[key] = sparkImage{img, gen}
			if i := slices.IndexFunc(s.statuses, func(x data.IndicatorStatus) bool {
				return x.Indicator.Code == key.code && x.Region == key.region
			}); i >= 0 && s.List != nil {
				s.List.RefreshItem(i)
			}
		})
	}()
}

func drawSparkline(m *mirror.Mirror, st data.IndicatorStatus, end time.Time, scale float32) (image.Image, error) {
	start := end.Add(-chart.Sparkline.Span())
	ms, err := m.IndicatorSeries(bg, st.Indicator.Code, st.Region, start.Truncate(time.Hour), end)
	if err != nil {
		return nil, err
	}
	sev := st.Severity
	return chart.Image(ms.IndicatorSeries, chart.Spec{Kind: chart.Sparkline, Width: sparkW, Height: sparkH,
		Scale: float64(scale), End: end, Severity: &sev})
}

func (c *Console) canvasScale() float32 {
	if cv := c.Win.Canvas(); cv != nil && cv.Scale() > 0 {
		return cv.Scale()
	}
	return 1
}

// ---- region and category ----

// monitorRegionOf is the region indicators are shown for when code is
// chosen: the city, a district or a street as it is, a community's or a
// grid's street; "" (nothing chosen) the city.
func (c *Console) monitorRegionOf(code string) string {
	switch l, ok := data.LevelOfCode(code); {
	case code == "":
		return c.cityCode()
	case ok && l <= data.LevelStreet:
		return code
	case len(code) > 9:
		return code[:9]
	}
	return c.cityCode()
}

// monitorFollow shows the region chosen in the tree, search or board since
// the tab last followed it.
func (c *Console) monitorFollow() {
	s := &c.Mon
	if c.selRegion == s.synced || c.selRegion == "" {
		return
	}
	s.synced = c.selRegion
	if r := c.monitorRegionOf(c.selRegion); r != s.region {
		c.ShowMonitorRegion(r)
	}
}

// followChoices makes the tab follow the tree, the search results and the
// status board as soon as one of them chooses a region (each goes through
// Choose, which sets selRegion); other choices are followed when the tab
// is opened.
func (c *Console) followChoices() {
	if f := c.Tree.OnSelected; f != nil {
		c.Tree.OnSelected = func(id widget.TreeNodeID) { f(id); c.monitorFollow() }
	}
	if f := c.Results.OnSelected; f != nil {
		c.Results.OnSelected = func(id widget.ListItemID) { f(id); c.monitorFollow() }
	}
	if f := c.Board.OnSelected; f != nil {
		c.Board.OnSelected = func(id widget.TableCellID) { f(id); c.monitorFollow() }
	}
}

// selectMonitorTab shows the Monitoring tab.
func (c *Console) selectMonitorTab() {
	if c.RightTabs != nil && c.Mon.Tab != nil {
		c.RightTabs.Select(c.Mon.Tab)
	}
}

// ShowMonitorRegion shows the indicators and alerts of a region (the city,
// a district or a street).
func (c *Console) ShowMonitorRegion(region string) {
	c.Mon.region = region
	c.loadMonitor()
}

// SetMonitorCategory narrows the list to one category ("" all).
func (c *Console) SetMonitorCategory(cat string) {
	if cat == c.Mon.category {
		return
	}
	c.Mon.category = cat
	if c.Mon.Category != nil {
		c.Mon.Category.SetSelectedIndex(slices.Index(data.IndicatorCategories, cat) + 1)
	}
	c.loadMonitor()
}

// MonitorShown is the list as shown.
func (c *Console) MonitorShown() []data.IndicatorStatus { return c.Mon.statuses }

// MonitorRegion is the region the tab shows.
func (c *Console) MonitorRegion() string { return c.Mon.region }

// loadMonitor reads the region's indicators as the last evaluation left
// them, alarms first, and its alerts; the chart shown is drawn again.
func (c *Console) loadMonitor() {
	s := &c.Mon
	if s.Region == nil {
		return
	}
	f := data.IndicatorFilter{Region: s.region, Category: s.category}
	var st []data.IndicatorStatus
	var err error
	if c.Replaying() {
		st, err = c.M.IndicatorStatusesAt(bg, f, c.clock()) // as they stood then, read without writing
	} else {
		st, err = c.M.IndicatorStatuses(bg, f)
	}
	if err != nil {
		s.Region.SetText(c.text(err))
		st = nil
	}
	slices.SortStableFunc(st, func(a, b data.IndicatorStatus) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.Indicator.ID, b.Indicator.ID))
	})
	s.statuses = st
	s.gen++
	alarms, warns := 0, 0
	for _, x := range st {
		switch x.Severity {
		case data.Alarm:
			alarms++
		case data.Warn:
			warns++
		}
	}
	if err == nil {
		s.Region.SetText(T("{{.Region}} · {{.N}} indicators · {{.Alarms}} alarms, {{.Warns}} warnings",
			map[string]any{"Region": c.regionName(s.region), "N": len(st), "Alarms": alarms, "Warns": warns}))
		if len(st) == 0 {
			s.Region.SetText(T("{{.Region}}: no indicator values yet", map[string]any{"Region": c.regionName(s.region)}))
		}
	}
	s.List.UnselectAll()
	if i := slices.IndexFunc(st, func(x data.IndicatorStatus) bool { return x.Indicator.Code == s.chosen }); i >= 0 {
		s.List.Select(i)
	}
	s.List.Refresh()
	c.drawChart()
	c.loadAlerts()
}

// ChooseIndicator charts an indicator of the region shown.
func (c *Console) ChooseIndicator(code string) {
	c.Mon.chosen = code
	if i := slices.IndexFunc(c.Mon.statuses, func(x data.IndicatorStatus) bool { return x.Indicator.Code == code }); i >= 0 {
		c.Mon.List.Select(i)
	}
	c.drawChart()
}

// chosenStatus is the charted indicator's status in the region shown.
func (c *Console) chosenStatus() (data.IndicatorStatus, bool) {
	s := &c.Mon
	i := slices.IndexFunc(s.statuses, func(x data.IndicatorStatus) bool { return x.Indicator.Code == s.chosen })
	if i < 0 {
		return data.IndicatorStatus{}, false
	}
	return s.statuses[i], true
}

// drawChart draws the chosen indicator's 24-hour or 30-day chart in the
// background and shows its definition.
func (c *Console) drawChart() {
	s := &c.Mon
	if s.Chart == nil {
		return
	}
	st, ok := c.chosenStatus()
	if !ok {
		s.Chart.Image = nil
		s.Chart.Refresh()
		s.Definition.SetText("")
		s.ChartNote.SetText(T("Choose an indicator to see its chart."))
		return
	}
	s.Definition.SetText(c.definitionText(st))
	s.ChartNote.SetText(T("Drawing the chart…"))
	s.chartGen++
	s.busy++
	gen, m, end, scale, month := s.chartGen, c.M, c.clock(), c.canvasScale(), s.month // in replay, the chart ends then
	lang := chart.ParseLang(T("lang"))
	go func() {
		img, err := drawChart(m, st, end, scale, month, lang)
		deliverUI(func() {
			s.busy--
			if gen != s.chartGen {
				return // another chart was asked for since
			}
			if err != nil {
				s.ChartNote.SetText(c.text(err))
				s.Chart.Image = nil
			} else {
				s.ChartNote.SetText(c.chartNote(st, month))
				s.Chart.Image = img
			}
			s.Chart.Refresh()
		})
	}()
}

func drawChart(m *mirror.Mirror, st data.IndicatorStatus, end time.Time, scale float32, month bool, lang chart.Lang) (image.Image, error) {
	spec := chart.Spec{Kind: chart.Day, Width: chartW, Height: chartH, Scale: float64(scale), Lang: lang, End: end}
	if month {
		spec.Kind = chart.Month
	}
	ms, err := m.IndicatorSeries(bg, st.Indicator.Code, st.Region, end.Add(-spec.Kind.Span()).Truncate(time.Hour), end)
	if err != nil {
		return nil, err
	}
	sev := st.Severity
	spec.Severity = &sev
	return chart.Image(ms.IndicatorSeries, spec)
}

// ChartShown is the chart on screen (nil while none is).
func (c *Console) ChartShown() image.Image { return c.Mon.Chart.Image }

func (c *Console) chartNote(st data.IndicatorStatus, month bool) string {
	span := T("last 24 hours")
	if month {
		span = T("last 30 days")
	}
	return c.indicatorName(st.Indicator) + " · " + c.regionName(st.Region) + " · " + span
}

// ---- words ----

func (c *Console) indicatorName(d data.Indicator) string { return c.matterOf(d.NameZh, d.NameEn) }

// valueText is a value with its unit, in the console's language.
func (c *Console) valueText(v float64, unit string) string {
	text := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if u := unitText(unit); u != "" {
		text += " " + u
	}
	return text
}

// unitText is a unit of the catalogue in the console's language: the
// Chinese ones are translated ("unit.万人次"), symbols (%, km/h) stand.
func unitText(u string) string {
	if !strings.ContainsFunc(u, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return u
	}
	return T("unit." + u)
}

func severityImportance(s data.Severity) widget.Importance {
	switch s {
	case data.Alarm:
		return widget.DangerImportance
	case data.Warn:
		return widget.WarningImportance
	}
	return widget.SuccessImportance
}

// definitionText is the indicator's definition and how it stands.
func (c *Console) definitionText(st data.IndicatorStatus) string {
	d := st.Indicator
	op := "≤"
	if d.Direction == data.LowerBetter {
		op = "≥"
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	var warn, alarm string
	if d.Threshold == data.ThresholdBaseline {
		warn, alarm = op+" "+num(d.Warn)+" × "+T("baseline"), op+" "+num(d.Alarm)+" × "+T("baseline")
	} else {
		warn, alarm = op+" "+c.valueText(d.Warn, d.Unit), op+" "+c.valueText(d.Alarm, d.Unit)
	}
	var b strings.Builder
	b.WriteString(T("{{.Code}} · {{.Category}} · {{.Direction}}", map[string]any{"Code": d.Code,
		"Category": Term(d.Category), "Direction": Term(d.Direction)}))
	b.WriteString("\n" + T("Warn {{.Warn}}, alarm {{.Alarm}} (hysteresis {{.H}}); thresholds {{.Mode}}",
		map[string]any{"Warn": warn, "Alarm": alarm, "H": num(d.Hysteresis), "Mode": Term(d.Threshold)}))
	b.WriteString("\n" + T("Source: {{.Source}} · a value every {{.Every}} · regions roll up by {{.Rollup}}",
		map[string]any{"Source": d.Source, "Every": shortDuration(d.Refresh), "Rollup": Term(d.Rollup)}))
	now := T("Now {{.Value}} ({{.Severity}}) at {{.At}}", map[string]any{"Value": c.valueText(st.Value, d.Unit),
		"Severity": T(st.Severity.String()), "At": st.At.In(beijing).Format("01-02 15:04")})
	if d.Threshold == data.ThresholdBaseline && st.Baseline > 0 {
		now += " · " + T("baseline {{.B}}, ratio {{.R}}", map[string]any{"B": c.valueText(st.Baseline, d.Unit),
			"R": fmt.Sprintf("%.2f", st.Value/st.Baseline)})
	}
	b.WriteString("\n" + now)
	return b.String()
}

// shortDuration is "1 min", "2 h", "1 d", "45 s".
func shortDuration(d time.Duration) string {
	n := func(v time.Duration) map[string]any { return map[string]any{"N": int64(v)} }
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return T("{{.N}} d", n(d/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		return T("{{.N}} h", n(d/time.Hour))
	case d >= time.Minute && d%time.Minute == 0:
		return T("{{.N}} min", n(d/time.Minute))
	}
	return T("{{.N}} s", n(d.Round(time.Second)/time.Second))
}
