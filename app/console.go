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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/mirror"
	kmaps "kapok/maps"
)

// Console is the main window's content: map, navigation, layers, details,
// status board and orders, over one mirror.
type Console struct {
	Win  fyne.Window
	M    *mirror.Mirror
	City *citymap.CityMap
	Over *citymap.Overlays
	User string // login of the person at the console
	// Now is the wall clock for orders (tests set it); AsOf is the mirror's
	// time for event status.
	Now  func() time.Time
	AsOf time.Time
	// Animate makes choosing a region fly the map there (off in tests that
	// check views step by step).
	Animate bool

	Map     *MapView
	Tree    *widget.Tree
	Search  *widget.Entry
	Results *widget.List
	Detail  *widget.RichText
	Board   *widget.Table
	BoardUp *widget.Button
	BoardIn *widget.Button
	BoardAt *widget.Label
	Orders  *widget.List
	Actions *fyne.Container
	// The Cases tab: the queue, its filters, the selected case's steps.
	CaseTable    *widget.Table
	CaseState    *widget.Select
	CaseCategory *widget.Select
	CaseSource   *widget.Select
	CaseRegion   *widget.Select
	CaseOverdue  *widget.Check
	CaseCount    *widget.Label
	CaseActions  *fyne.Container
	ReportBtn    *widget.Button
	RightTabs    *container.AppTabs
	Status       *widget.Label
	Legend       *fyne.Container
	ThemeSel     *widget.Select
	ToolSel      *widget.RadioGroup
	IssueBtn     *widget.Button
	Layers       map[string]*widget.Check
	// JournalBanner is the warning shown over everything while the
	// journal's chain is broken (hidden while it holds).
	JournalBanner *fyne.Container
	// Sched is the Schedules tab (patrol rosters) and the coverage
	// theme's shift slider under the map.
	Sched SchedulesTab
	// Mon is the Monitoring tab (indicators, charts, alerts), the notice
	// of new alarms and the live status (live.go).
	Mon MonitorTab
	// innovation is the Innovation tab (innovation.go).
	innovation InnovationTab
	// innovationTab is its item among the right-hand tabs.
	innovationTab *container.TabItem
	// The Red Cotton and Security tabs (redcotton.go, security.go), made
	// when first shown and kept across rebuilds of the window.
	redCotton   *RedCottonTab
	security    *SecurityTab
	securityTab *container.TabItem
	// Sync is the sync with the upstream: the button, the indicator in
	// the status bar, the automatic sync (sync.go).
	Sync SyncPanel

	regions        []data.RegionSummary
	byCode         map[string]int // region code → position in regions
	children       map[string][]string
	gridsOf        map[string][]string // community code → grid codes
	searcher       *Searcher
	hits           []SearchHit
	selected       []int  // grid positions, in the order chosen
	focus          string // the code the detail panel shows
	theme          string
	boardOf        string // parent code of the status board's rows
	boardRows      []data.BoardRow
	boardSort      string
	boardSel       int
	boardWidths    []float32 // the board's columns' widths (fitBoard)
	boardWidth     float32   // the width they were fitted to
	orders         []data.Order
	orderSel       int
	dialog         *OrderDialog
	journal        data.JournalCheck
	journalErr     error
	journalChecked bool
	// selRegion is the region whose grids are the selection, when it was
	// chosen as a whole (tree, search, board); "" after any other selection.
	selRegion string

	user           data.User
	matters        []data.MatterType
	matterSearch   *MatterSearch
	categories     []string // the matters' categories, sorted
	cases          []data.CaseRow
	caseFilter     data.CaseFilter
	caseSel        string   // the selected case's code
	caseRegions    []string // the region filter's codes
	settingFilters bool     // filters being set from caseFilter: no reload
	selecting      bool     // the queue's row being selected from code
	picking        bool     // the next click on the map reports a case there
	textDialog     *TextDialog
	reportDialog   *ReportDialog
	dispatchDialog *DispatchDialog
	briefing       *BriefingDialog
	journalView    *JournalViewer
	idle           idleState
	// replay is the past moment shown (replay.go; nil: now).
	replay        *replayState
	loadingReplay bool
	// layout is where the window's splits stand, kept across rebuilds
	// and, through the preferences, restarts (prefs.go).
	layout splitLayout
	splits consoleSplits
	// help is the Help menu's dialogs while open (help.go, about.go).
	help helpDialogs
}

// NewConsole loads the status of the city and builds the window's content;
// status and clocks are taken at the wall clock.
func NewConsole(win fyne.Window, m *mirror.Mirror, city *citymap.CityMap, user string) (*Console, error) {
	return NewConsoleAt(win, m, city, user, time.Now)
}

// NewConsoleAt is NewConsole on a clock of the caller's (tests fix it).
func NewConsoleAt(win fyne.Window, m *mirror.Mirror, city *citymap.CityMap, user string, now func() time.Time) (*Console, error) {
	c := &Console{Win: win, M: m, City: city, User: user, Now: now, AsOf: now(),
		theme: "events", boardSort: "name", boardSel: -1, orderSel: -1}
	prefs := fyne.CurrentApp().Preferences()
	if lang := prefs.String(LanguagePref); lang != "" {
		UseLanguage(lang)
	}
	c.layout = savedLayout(prefs)
	var err error
	if c.user, err = m.User(bg, user); err != nil {
		return nil, err
	}
	if c.regions, err = m.RegionSummaries(bg, c.AsOf); err != nil {
		return nil, err
	}
	if c.matters, err = m.MatterTypes(bg); err != nil {
		return nil, err
	}
	c.matterSearch = NewMatterSearch(c.matters)
	for _, mt := range c.matters {
		if !slices.Contains(c.categories, mt.Category) {
			c.categories = append(c.categories, mt.Category)
		}
	}
	slices.Sort(c.categories)
	c.byCode = map[string]int{}
	c.children = map[string][]string{}
	for i, r := range c.regions {
		c.byCode[r.Code] = i
		c.children[r.Parent] = append(c.children[r.Parent], r.Code)
	}
	c.gridsOf = map[string][]string{}
	for _, g := range city.Grids {
		c.gridsOf[g.CommunityCode] = append(c.gridsOf[g.CommunityCode], g.Code)
	}
	c.Over = citymap.AddOverlays(city, m)
	c.Over.SetAsOf(c.AsOf)
	if err := city.SetTheme(c.theme); err != nil {
		return nil, err
	}
	if err := c.loadOrders(); err != nil {
		return nil, err
	}
	c.Build()
	c.restoreChoices()
	win.SetOnClosed(c.SaveWindowState)
	return c, nil
}

// Build makes the widgets in the current language and sets the window's
// content; the map keeps its view and the selection stays.
func (c *Console) Build() {
	if c.replay != nil {
		c.replay.bar = &ReplayBar{} // made below
	}
	c.searcher = NewSearcher(c.regions, c.City.Grids)
	var view *kmaps.Viewport
	if c.Map != nil {
		v := c.Map.View()
		view = &v
	}
	c.keepLayout()
	c.Map = NewMapView(c.City.Map, c.City.Extent)
	c.Map.Animate = c.Animate
	if view != nil {
		c.Map.SetView(*view)
	}
	c.Map.OnTap = c.tapped
	c.Map.OnArea = c.selectArea
	c.Map.OnEscape = func() { // the map has the keys: Esc closes the help first
		if !c.closeHelp() {
			c.CancelReport()
		}
	}
	c.Map.Tooltip = c.tooltip
	c.Map.OnViewChanged = func(kmaps.Viewport) { c.updateStatus() }

	c.Status = widget.NewLabel("")
	c.Detail = widget.NewRichTextFromMarkdown("")
	c.Detail.Wrapping = fyne.TextWrapWord
	c.buildTree()
	c.buildSearch()
	c.buildLayers()
	c.buildBoard()
	c.buildOrders()
	c.buildCases()
	c.buildLegend()
	toolbar := c.buildToolbar()
	c.Win.SetMainMenu(c.mainMenu())
	c.listenForHelp()

	left := container.NewAppTabs(
		container.NewTabItem(T("Regions"), c.Tree),
		container.NewTabItem(T("Search"), container.NewBorder(c.Search, nil, nil, nil, c.Results)),
		container.NewTabItem(T("Layers"), container.NewVScroll(c.layersBox())),
	)
	boardPane := c.boardPane()
	ordersPane := container.NewBorder(nil, c.Actions, nil, nil, c.Orders)
	right := container.NewVSplit(
		container.NewBorder(widget.NewLabelWithStyle(T("Details"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil,
			container.NewVScroll(c.Detail)),
		c.rightTabs(boardPane, ordersPane),
	)
	right.Offset = c.layout.details
	// The legend scrolls sideways rather than widen the map's pane: a
	// theme of many entries (coverage, Red Cotton) pushed the right-hand
	// panel off a 1366-pixel screen.
	mapPane := container.NewBorder(nil, container.NewVBox(c.coverageBar(), c.replaySteps(), container.NewHScroll(c.Legend)), nil, nil, c.Map)
	// Panels sit on opaque backgrounds: the map's last frame slides under
	// them while a new one is drawn.
	opaque := func(o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameBackground)), o)
	}
	mapSplit := container.NewHSplit(mapPane, opaque(right))
	body := container.NewHSplit(opaque(left), mapSplit)
	body.Offset, mapSplit.Offset = c.layout.nav, c.layout.mapPane
	c.splits = consoleSplits{nav: body, mapPane: mapSplit, details: right}
	c.JournalBanner = container.NewStack()
	c.JournalBanner.Hide()
	c.Win.SetContent(c.sensed(container.NewBorder(container.NewVBox(c.JournalBanner, c.replayBanner(), c.alarmNotice(), opaque(toolbar), c.replayBar()),
		opaque(container.NewBorder(nil, nil, nil, c.syncBar(), c.Status)), nil, nil, body)))
	c.showJournalCheck()
	c.refreshDetail()
	c.showSelection()
	c.updateStatus()
	c.showReplayBar()
}

// rightTabs are the status board, the cases, the orders, the schedules
// and the monitoring; the tab shown stays when the window is built again (a change
// of language).
func (c *Console) rightTabs(board, orders fyne.CanvasObject) *container.AppTabs {
	shown := 0
	if c.RightTabs != nil {
		shown = c.RightTabs.SelectedIndex()
	}
	schedules := container.NewTabItem(T("Schedules"), c.schedulesPane())
	c.Mon.Tab = container.NewTabItem(T("Monitoring"), c.monitorPane())
	c.securityTab = container.NewTabItem(T("Security"), c.securityPane())
	c.innovationTab = container.NewTabItem(T("Innovation"), c.innovationPane())
	innovation := c.innovationTab
	c.RightTabs = container.NewAppTabs(
		container.NewTabItem(T("Status board"), board),
		container.NewTabItem(T("Cases"), c.casesPane()),
		container.NewTabItem(T("Orders"), orders),
		schedules,
		c.Mon.Tab,
		container.NewTabItem(T("Red Cotton"), c.redCottonPane()),
		c.securityTab,
		innovation,
	)
	c.RightTabs.SelectIndex(shown)
	c.RightTabs.OnSelected = func(t *container.TabItem) {
		// The week grid and the monitoring's charts take the details' room.
		c.rightTabChosen(t == schedules || t == c.Mon.Tab || t == innovation)
		switch t {
		case c.Mon.Tab:
			c.monitorFollow()
		case c.securityTab:
			c.RefreshSecurity() // as of now
		case innovation:
			c.RefreshInnovation() // as of now
		}
	}
	return c.RightTabs
}

func (c *Console) buildToolbar() fyne.CanvasObject {
	c.IssueBtn = widget.NewButtonWithIcon(T("Issue order"), theme.MailSendIcon(), c.OpenOrderDialog)
	c.IssueBtn.Importance = widget.HighImportance
	c.showIf(c.IssueBtn, data.ActOrderIssue)
	tools := []string{T("Pan"), T("Rectangle"), T("Lasso")}
	c.ToolSel = widget.NewRadioGroup(tools, func(s string) {
		c.Map.Tool = Tool(max(0, slices.Index(tools, s)))
	})
	c.ToolSel.Horizontal = true
	c.ToolSel.Required = true
	c.ToolSel.SetSelected(tools[c.Map.Tool])
	themes := []string{T("Grid kinds"), T("Open events"), T("Overdue events"), T("Unit availability"), T("Coverage"), T("Red Cotton Index"),
		T("Police incidents"), T("Innovation rollout")}
	c.ThemeSel = newSelect(themes, func(s string) {
		if i := slices.Index(themes, s); i >= 0 {
			c.SetTheme(citymap.Themes[i])
		}
	})
	c.ThemeSel.SetSelected(themes[slices.Index(citymap.Themes, c.theme)])
	center := func() fyne.Position { return fyne.NewPos(c.Map.Size().Width/2, c.Map.Size().Height/2) }
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { c.Map.ZoomAt(center(), 1) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { c.Map.ZoomAt(center(), -1) })
	fit := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), func() { c.Map.FlyTo(c.City.Extent) })
	settings := widget.NewButtonWithIcon(T("Settings"), theme.SettingsIcon(), c.openSettings)
	return container.NewHBox(c.IssueBtn, widget.NewSeparator(), widget.NewLabel(T("Tool")), c.ToolSel,
		widget.NewSeparator(), widget.NewLabel(T("Status")), c.ThemeSel, zoomIn, zoomOut, fit, widget.NewSeparator(), settings, c.briefingButton(), c.syncButton(), c.replayButton())
}

// SetTheme colours the grids by a status theme and shows its legend.
func (c *Console) SetTheme(name string) {
	if name == c.theme {
		return
	}
	if name == "coverage" {
		c.loadCoverage()
	}
	if err := c.City.SetTheme(name); err != nil {
		c.Status.SetText(c.text(err))
		return
	}
	c.theme = name
	remember(MapThemePref, name)
	c.buildLegendItems()
	c.showCoverageBar()
	c.Map.Redraw()
}

// ---- selection ----

// Selected is the codes of the selected grids.
func (c *Console) Selected() []string {
	out := make([]string, len(c.selected))
	for i, p := range c.selected {
		out[i] = c.City.Grids[p].Code
	}
	return out
}

// SelectGrids replaces (or, with add, extends) the selection.
func (c *Console) SelectGrids(positions []int, add bool) {
	c.selRegion = ""
	if !add {
		c.selected = nil
	}
	// A rectangle over the whole city adds 20,000 grids: a set, not a scan.
	in := make(map[int]bool, len(c.selected)+len(positions))
	for _, p := range c.selected {
		in[p] = true
	}
	for _, p := range positions {
		if !in[p] {
			in[p] = true
			c.selected = append(c.selected, p)
		}
	}
	c.showSelection()
	c.updateStatus()
}

// showSelection highlights the selected grids on the map.
func (c *Console) showSelection() {
	ix := c.City.Map.FillIndex()
	feats := make([]kmaps.Feature, 0, len(c.selected))
	for _, p := range c.selected {
		feats = append(feats, ix.Feature(p))
	}
	c.City.Map.SetHighlight(feats, color.NRGBA{0, 160, 255, 60}, color.NRGBA{0, 80, 220, 255}, 1.4)
	c.Map.Redraw()
}

func (c *Console) tapped(p orb.Point, add bool) {
	if c.picking {
		c.picking = false
		c.updateStatus()
		c.OpenReportDialog(p)
		return
	}
	kind, code, _ := c.hit(p)
	switch kind {
	case "event":
		c.selectCase(code, false)
		c.RightTabs.SelectIndex(1)
		return
	case "":
		if !add {
			c.SelectGrids(nil, false)
		}
	case "grid":
		pos := c.City.Pos[code]
		if add && slices.Contains(c.selected, pos) {
			c.selected = slices.DeleteFunc(c.selected, func(x int) bool { return x == pos })
			c.showSelection()
			c.updateStatus()
		} else {
			c.SelectGrids([]int{pos}, add)
		}
	}
	if code != "" {
		c.ShowDetail(code)
	}
}

func (c *Console) selectArea(area orb.Ring, add bool) {
	ix := c.City.Map.FillIndex()
	c.SelectGrids(ix.InLasso(area), add)
	c.ShowDetail("")
}

// hit is what lies under a world point: a marker (unit, event, center)
// within a few pixels, else the grid; about is a line on it for the tooltip.
func (c *Console) hit(p orb.Point) (kind, code, about string) {
	v := c.Map.View()
	tol := kmaps.MetresPerPixelTolerance(v, 6)
	if c.City.Map.Visible("units") && v.Zoom >= 14 {
		if ul, err := c.City.Units(); err == nil {
			if ids := ul.Index.Hit(p, tol); len(ids) > 0 {
				u := ul.Units[ids[0]]
				return "unit", u.Code, u.Name + " · " + Term(u.Status)
			}
		}
	}
	for _, layer := range []struct {
		name    string
		minZoom float64
	}{{"events", 12}, {"centers", 0}} {
		if !c.City.Map.Visible(layer.name) || v.Zoom < layer.minZoom {
			continue
		}
		for _, ix := range c.City.Map.Markers(layer.name) {
			if ids := ix.Hit(p, tol); len(ids) > 0 {
				if f, ok := c.Over.Feature(layer.name, ids[0]); ok {
					if layer.name == "centers" && !centerShown(f.Class, v.Zoom) {
						continue
					}
					return strings.TrimSuffix(layer.name, "s"), f.Code, T(f.Class)
				}
			}
		}
	}
	if i, ok := c.City.Map.FillIndex().At(p); ok {
		return "grid", c.City.Grids[i].Code, ""
	}
	return "", "", ""
}

func centerShown(level string, zoom float64) bool {
	for _, cs := range citymap.CenterStyles {
		if cs.Level == level {
			return zoom >= cs.MinZoom
		}
	}
	return false
}

// tooltip is the code, name and status of what is under the pointer.
func (c *Console) tooltip(p orb.Point) string {
	kind, code, about := c.hit(p)
	switch kind {
	case "grid":
		g := c.City.Grids[c.City.Pos[code]]
		e := c.City.Events[code]
		return fmt.Sprintf("%s\n%s · %s\n%s", code, c.regionName(g.CommunityCode), T(g.Kind),
			T("{{.Open}} open, {{.Overdue}} overdue", map[string]any{"Open": e.Open, "Overdue": e.Overdue}))
	case "":
		return ""
	}
	return T(kind) + " " + code + "\n" + about
}

func (c *Console) regionName(code string) string {
	if i, ok := c.byCode[code]; ok {
		return c.regions[i].Name
	}
	return code
}

// ---- status bar ----

func (c *Console) updateStatus() {
	if c.Status == nil {
		return
	}
	v := c.Map.View()
	line := T("{{.N}} grids selected · zoom {{.Zoom}} · status as of {{.AsOf}}", map[string]any{
		"N": len(c.selected), "Zoom": fmt.Sprintf("%.1f", v.Zoom), "AsOf": c.AsOf.In(beijing).Format("2006-01-02 15:04")})
	if c.journalChecked && c.journalErr == nil && c.journal.OK() {
		line += " · " + T("journal verified at start ({{.N}} entries)", map[string]any{"N": c.journal.Entries})
	}
	c.Status.SetText(line)
}

var beijing = data.BeijingTime
