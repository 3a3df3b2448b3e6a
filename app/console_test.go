package app

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
	kmaps "kapok/maps"
)

// frames receives finished map frames; settle runs them on the test's
// goroutine, as the real driver runs them on the UI goroutine.
var frames = make(chan func(), 64)

func init() { deliverFrame = func(f func()) { frames <- f } }

// settle waits until the map's latest frame is on screen.
func settle(t testing.TB, c *Console) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for c.Map.Pending() {
		select {
		case f := <-frames:
			f()
		case <-deadline:
			t.Fatal("no map frame within 20 s")
		}
	}
	for {
		select {
		case f := <-frames:
			f()
		default:
			return
		}
	}
}

// testNow is the consoles' clock in tests: an hour after the fixture
// city's demo was cut.
var testNow = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

// newTestConsole opens the fixture city in a console in a test window, as
// the given user, in English.
func newTestConsole(t *testing.T, login string) *Console {
	t.Helper()
	a := test.NewTempApp(t)
	UseLanguage("en")
	a.Settings().SetTheme(NewTheme())
	m := fixture.City(t)
	user, err := m.User(bg, login)
	if err != nil {
		t.Fatal(err)
	}
	city, err := citymap.LoadAt(context.Background(), m, "events", testNow)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1400, 900))
	c, err := NewConsoleAt(w, m, city, user.Login, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1400, 900))
	settle(t, c)
	return c
}

func countRows(t testing.TB, m *mirror.Mirror, table string) int {
	t.Helper()
	var n int
	if err := m.DB.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestChoosingATreeNodeMovesTheMapToIt(t *testing.T) {
	c := newTestConsole(t, "leader")
	before := c.Map.View()
	if before.Width < 300 {
		t.Fatalf("map is %d px wide", before.Width)
	}
	const street = "990102001"
	c.Tree.OpenBranch("9901")
	c.Tree.OpenBranch("990102")
	c.Tree.Select(street)
	settle(t, c)
	v := c.Map.View()
	b, _ := c.M.RegionBound(bg, street)
	pb := kmaps.Project(b).(orb.Bound)
	if !pb.Contains(v.Center) || v.Zoom <= before.Zoom {
		t.Fatalf("after choosing %s the map is at %v zoom %.2f (was %.2f); the street is %v", street, v.Center, v.Zoom, before.Zoom, pb)
	}
	// The whole street is on screen, and its grids are selected.
	if vb := v.Bounds(); !vb.Contains(pb.Min) || !vb.Contains(pb.Max) {
		t.Fatalf("street %v not all in view %v", pb, vb)
	}
	sel := c.Selected()
	if len(sel) == 0 {
		t.Fatal("no grids selected")
	}
	for _, g := range sel {
		if !strings.HasPrefix(g, street) {
			t.Fatalf("grid %s selected for street %s", g, street)
		}
	}
	if !strings.Contains(c.DetailText(), "南镇") {
		t.Fatalf("detail panel does not name the street:\n%s", c.DetailText())
	}
	// A grid node flies closer still and shows the grid.
	grid := sel[0]
	c.Tree.Select(grid)
	settle(t, c)
	if c.Map.View().Zoom <= v.Zoom || !strings.Contains(c.DetailText(), grid) {
		t.Fatalf("grid node: zoom %.2f, detail:\n%s", c.Map.View().Zoom, c.DetailText())
	}
}

// issueDialog opens the order dialog on two selected grids.
func issueDialog(t *testing.T, c *Console) *OrderDialog {
	t.Helper()
	c.SelectGrids([]int{c.City.Pos["990102001201001"], c.City.Pos["990102001201002"]}, false)
	test.Tap(c.IssueBtn)
	d := c.Dialog()
	if d == nil {
		t.Fatal("Issue order opened no dialog")
	}
	return d
}

func TestIssuingAnOrderWritesOneOrderAndOneJournalEntry(t *testing.T) {
	c := newTestConsole(t, "leader")
	// One of the grids' units is out on a case.
	_, gridUnits, _ := c.M.Responsible(bg, []string{"990102001201001"})
	r, err := c.M.ReportCase(bg, data.CaseReport{Grid: "990102001201001", Matter: "MD01", Description: "纠纷", Actor: "leader"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = c.M.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventFiled, Actor: "leader", Version: r.Version}, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err = c.M.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventDispatched, Units: gridUnits[:1], Actor: "leader", Version: r.Version}, testNow); err != nil {
		t.Fatal(err)
	}
	c.CasesChanged(r.Code)
	d := issueDialog(t, c)
	targets := splitCodes(d.Targets.Text)
	// Pre-filled: the two grids, their community/street/district centers and
	// their units.
	for _, want := range []string{"990102001201001", "990102001201002", "C990102001201", "C990102001", "C990102"} {
		if !strings.Contains(d.Targets.Text, want) {
			t.Fatalf("targets lack %s:\n%s", want, d.Targets.Text)
		}
	}
	// Their units available now; the others are left out and named.
	_, units, _ := c.M.Responsible(bg, []string{"990102001201001", "990102001201002"})
	var status = map[string]data.UnitStatus{}
	ul, err := c.City.Units()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(find(c.Win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "Left out")
	}).(*widget.Label).Text, gridUnits[0]) {
		t.Fatal("the unit left out is not named")
	}
	for _, u := range ul.Units {
		status[u.Code] = u.Status
	}
	free := 0
	for _, u := range units {
		if status[u] == data.UnitAvailable {
			free++
			if !slices.Contains(targets, u) {
				t.Fatalf("available unit %s not pre-filled", u)
			}
		} else if slices.Contains(targets, u) {
			t.Fatalf("%s unit %s pre-filled", status[u], u)
		}
	}
	if free == 0 || free == len(units) || len(targets) != 5+free {
		t.Fatalf("%d targets pre-filled, want 5 + %d of %d units", len(targets), free, len(units))
	}
	d.Type.SetSelected("patrol")
	test.Type(d.Task, "夜间巡逻")
	orders, journal := countRows(t, c.M, "orders"), countRows(t, c.M, "journal")
	test.Tap(d.Issue)
	if c.Dialog() != nil {
		t.Fatalf("dialog still open: %s", d.Error.Text)
	}
	if n := countRows(t, c.M, "orders") - orders; n != 1 {
		t.Fatalf("%d orders written", n)
	}
	if n := countRows(t, c.M, "journal") - journal; n != 1 {
		t.Fatalf("%d journal entries written", n)
	}
	shown := c.OrdersShown()
	if len(shown) != 1 || shown[0].Task != "夜间巡逻" || shown[0].Type != "patrol" || len(shown[0].Targets) != len(targets) {
		t.Fatalf("Orders panel: %+v", shown)
	}
	// The order is on the map: drawn at its two grids (not selected, so no
	// selection overlay tints them), their edges are stroked in the order
	// colour.
	c.SelectGrids(nil, false)
	onEdges := func(col [3]uint8) float64 {
		t.Helper()
		var grids []orb.MultiPolygon
		var box orb.Bound
		for k, code := range []string{"990102001201001", "990102001201002"} {
			g := c.City.Map.FillIndex().Feature(c.City.Pos[code]).Geom.(orb.MultiPolygon)
			if grids = append(grids, g); k == 0 {
				box = g.Bound()
			}
			box = box.Union(g.Bound())
		}
		v := kmaps.NewViewport(480, 360).Fit(box, 40)
		img, err := c.City.Map.Render(bg, v)
		if err != nil {
			t.Fatal(err)
		}
		// Every two pixels along every edge: is there a pixel of the colour
		// within one pixel? (A marker or label drawn over it may hide a few.)
		hit, samples := 0, 0
		for _, g := range grids {
			for _, ring := range g[0] {
				for i := 0; i+1 < len(ring); i++ {
					x0, y0 := v.ToScreen(ring[i])
					x1, y1 := v.ToScreen(ring[i+1])
					n := int(math.Hypot(x1-x0, y1-y0)/2) + 1
					for k := 0; k < n; k++ {
						x, y := int(x0+(x1-x0)*float64(k)/float64(n)), int(y0+(y1-y0)*float64(k)/float64(n))
						samples++
					near:
						for dy := -1; dy <= 1; dy++ {
							for dx := -1; dx <= 1; dx++ {
								if p := img.RGBAAt(x+dx, y+dy); p.R == col[0] && p.G == col[1] && p.B == col[2] {
									hit++
									break near
								}
							}
						}
					}
				}
			}
		}
		return float64(hit) / float64(samples)
	}
	order := [3]uint8{citymap.OrderColor.R, citymap.OrderColor.G, citymap.OrderColor.B}
	overdue := [3]uint8{citymap.OverdueOrderColor.R, citymap.OverdueOrderColor.G, citymap.OverdueOrderColor.B}
	if f := onEdges(order); f < 0.9 {
		t.Fatalf("the order colour lies along %.0f%% of its grids' edges, want most of them", 100*f)
	}
	active, err := c.M.ActiveOrderGrids(bg)
	if err != nil || active["990102001201001"] != data.OrderIssued {
		t.Fatalf("active order grids: %v", active)
	}

	// Its state moves on from the panel; only allowed moves are offered.
	c.SelectOrder(shown[0].UID)
	buttons := c.Actions.Objects
	if buttons[0].(*widget.Button).Disabled() || !buttons[2].(*widget.Button).Disabled() {
		t.Fatal("issued order: Acknowledge should be enabled and Done disabled")
	}
	test.Tap(buttons[0].(*widget.Button)) // acknowledge
	test.Tap(buttons[1].(*widget.Button)) // start
	if got := c.OrdersShown()[0].State; got != "in_progress" {
		t.Fatalf("state %s after acknowledge and start", got)
	}
	// Past its window the sweep marks it overdue, and the panel shows it in red.
	c.Now = func() time.Time { return shown[0].End.Add(time.Minute) }
	if n, err := c.SweepOverdue(); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	if c.OrdersShown()[0].State != "overdue" {
		t.Fatal("not overdue after the sweep")
	}
	item := c.Orders.CreateItem()
	c.Orders.UpdateItem(0, item)
	if l := item.(*fyne.Container).Objects[0].(*widget.Label); l.Importance != widget.DangerImportance || !strings.Contains(l.Text, "overdue") {
		t.Fatalf("overdue order row: %q importance %v", l.Text, l.Importance)
	}
	// On the map too: its grids are outlined in red now, not in the order
	// colour; cancelled, they are outlined in neither.
	if f, g := onEdges(overdue), onEdges(order); f < 0.9 || g > 0 {
		t.Fatalf("overdue order: red along %.0f%% of the edges, the order colour along %.0f%%", 100*f, 100*g)
	}
	c.SelectOrder(shown[0].UID)
	c.MoveSelectedOrder(data.OrderCancelled)
	if got := c.OrdersShown()[0].State; got != data.OrderCancelled {
		t.Fatalf("state %s after cancelling", got)
	}
	if f, g := onEdges(order), onEdges(overdue); f > 0 || g > 0 {
		t.Fatalf("cancelled order still outlined: order colour along %.0f%% of the edges, red along %.0f%%", 100*f, 100*g)
	}

	// It survives a restart.
	path := c.M.Path
	if err := c.M.Close(); err != nil {
		t.Fatal(err)
	}
	m2, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = m2.Close() }()
	// The orders issued and moved at the console are journaled: the chain
	// holds.
	if check, err := m2.VerifyJournal(bg); err != nil || !check.OK() || check.Entries < 5 {
		t.Fatalf("journal after the console's orders: %+v, %v", check, err)
	}
	again, err := m2.Orders(bg)
	if err != nil || len(again) != 1 || again[0].Task != "夜间巡逻" {
		t.Fatalf("after reopening: %+v %v", again, err)
	}
}

func TestBadOrderInputShowsItsMessageAndWritesNothing(t *testing.T) {
	cases := []struct {
		name, login string
		edit        func(d *OrderDialog)
		want        string
	}{
		{"no targets", "leader", func(d *OrderDialog) { d.Targets.SetText("") }, "no targets"},
		{"empty task", "leader", func(d *OrderDialog) { d.Task.SetText("   ") }, "the task is empty"},
		{"end before start", "leader", func(d *OrderDialog) { d.End.SetText("2026-11-24 08:00") }, "is not after the start"},
		{"bad time", "leader", func(d *OrderDialog) { d.Start.SetText("tomorrow") }, "is not YYYY-MM-DD hh:mm"},
		{"unknown code", "leader", func(d *OrderDialog) { d.Targets.SetText(d.Targets.Text + "\n990102001201999") }, "990102001201999"},
		{"outside jurisdiction", "leader_990101", func(d *OrderDialog) {}, "jurisdiction"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestConsole(t, tc.login)
			d := issueDialog(t, c)
			d.Task.SetText("巡逻")
			d.Start.SetText("2026-11-25 10:00")
			d.End.SetText("2026-11-25 18:00")
			tc.edit(d)
			task := d.Task.Text
			orders, journal := countRows(t, c.M, "orders"), countRows(t, c.M, "journal")
			test.Tap(d.Issue)
			if c.Dialog() == nil {
				t.Fatal("the dialog closed on bad input")
			}
			if !d.Error.Visible() || !strings.Contains(d.Error.Text, tc.want) {
				t.Fatalf("message %q (visible %v), want it to say %q", d.Error.Text, d.Error.Visible(), tc.want)
			}
			if countRows(t, c.M, "orders") != orders || countRows(t, c.M, "journal") != journal || countRows(t, c.M, "order_targets") != 0 {
				t.Fatal("something was written")
			}
			if d.Task.Text != task {
				t.Fatal("the user's input was lost")
			}
		})
	}
}

// screenPos is where a world point is in the map widget.
func screenPos(c *Console, p orb.Point) fyne.Position {
	v := c.Map.View()
	x, y := v.ToScreen(p)
	return fyne.NewPos(float32(x/v.Scale), float32(y/v.Scale))
}

func gridCentre(c *Console, code string) orb.Point {
	g := c.City.Map.FillIndex().Feature(c.City.Pos[code]).Geom
	// A point surely inside: the first grid point of a fine lattice that is.
	b := g.Bound()
	for i := 1; i < 20; i++ {
		for j := 1; j < 20; j++ {
			p := orb.Point{b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/20, b.Min[1] + (b.Max[1]-b.Min[1])*float64(j)/20}
			if id, ok := c.City.Map.FillIndex().At(p); ok && c.City.Grids[id].Code == code {
				return p
			}
		}
	}
	return b.Center()
}

func TestMapMouseAndKeys(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.Choose("990102001201")
	settle(t, c)
	a, b := "990102001201001", "990102001201002"
	pa, pb := screenPos(c, gridCentre(c, a)), screenPos(c, gridCentre(c, b))

	// Hover shows code, community and status.
	c.Map.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pa}})
	if tip := c.Map.TooltipText(); !strings.Contains(tip, a) || !strings.Contains(tip, c.regionName("990102001201")) || !strings.Contains(tip, "open") {
		t.Fatalf("tooltip %q", tip)
	}
	c.Map.MouseOut()
	if c.Map.TooltipText() != "" {
		t.Fatal("tooltip stays after the pointer left")
	}

	// Click selects one grid; shift-click adds another; shift-click again removes it.
	c.Map.Tapped(&fyne.PointEvent{Position: pa})
	if got := c.Selected(); len(got) != 1 || got[0] != a {
		t.Fatalf("click selected %v", got)
	}
	c.Map.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierShift})
	c.Map.Tapped(&fyne.PointEvent{Position: pb})
	if got := c.Selected(); len(got) != 2 || got[1] != b {
		t.Fatalf("shift-click selected %v", got)
	}
	c.Map.Tapped(&fyne.PointEvent{Position: pb})
	if got := c.Selected(); len(got) != 1 {
		t.Fatalf("second shift-click left %v", got)
	}
	c.Map.MouseDown(&desktop.MouseEvent{})

	// The rectangle tool selects the grids whose centre is inside it.
	c.ToolSel.SetSelected("Rectangle")
	if c.Map.Tool != ToolRect {
		t.Fatal("tool not switched")
	}
	size := c.Map.Size()
	c.Map.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(size.Width-1, size.Height-1)},
		Dragged: fyne.NewDelta(size.Width-2, size.Height-2)})
	c.Map.DragEnd()
	inView := c.City.Map.FillIndex().InRect(c.Map.View().Bounds())
	if got := c.Selected(); len(got) == 0 || len(got) != len(inView) {
		t.Fatalf("rectangle over the whole map selected %d grids, %d in view", len(got), len(inView))
	}
	// The lasso: a triangle around grid a's centre selects it.
	c.ToolSel.SetSelected("Lasso")
	gb := c.City.Map.FillIndex().Feature(c.City.Pos[a]).Geom.Bound()
	lo, hi := screenPos(c, gb.Min), screenPos(c, gb.Max) // lo is bottom-left on screen
	square := []fyne.Position{lo.AddXY(-2, 2), fyne.NewPos(hi.X+2, lo.Y+2), hi.AddXY(2, -2), fyne.NewPos(lo.X-2, hi.Y-2)}
	for i := 1; i < len(square); i++ {
		c.Map.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: square[i]}, Dragged: fyne.NewDelta(square[i].X-square[i-1].X, square[i].Y-square[i-1].Y)})
	}
	c.Map.DragEnd()
	if got := c.Selected(); !slices.Contains(got, a) || len(got) > 6 {
		t.Fatalf("lasso around %s selected %v", a, got)
	}
	c.ToolSel.SetSelected("Pan")

	// Drag pans by exactly the drag.
	v0 := c.Map.View()
	c.Map.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(100, 40)})
	c.Map.DragEnd()
	v1 := c.Map.View()
	if dx := (v0.Center[0] - v1.Center[0]) / v0.Resolution(); dx < 99.9*float64(v0.Scale) || dx > 100.1*float64(v0.Scale) {
		t.Fatalf("drag by 100 px moved the map %.1f px", dx)
	}
	// The wheel zooms about the cursor: the point under it stays.
	at := fyne.NewPos(200, 150)
	before := c.Map.WorldAt(at)
	c.Map.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: at}, Scrolled: fyne.NewDelta(0, 20)})
	if c.Map.View().Zoom <= v1.Zoom || planar.Distance(c.Map.WorldAt(at), before) > c.Map.View().Resolution() {
		t.Fatalf("wheel zoom: %.2f → %.2f, point moved %.2f m", v1.Zoom, c.Map.View().Zoom, planar.Distance(c.Map.WorldAt(at), before))
	}
	// Double-click zooms in one level; + and - zoom; arrows pan.
	z := c.Map.View().Zoom
	c.Map.DoubleTapped(&fyne.PointEvent{Position: at})
	if d := c.Map.View().Zoom - z; d < 0.99 || d > 1.01 {
		t.Fatalf("double-click zoomed %.2f", d)
	}
	c.Map.TypedRune('-')
	c.Map.TypedRune('-')
	if d := c.Map.View().Zoom - z; d > -0.99 || d < -1.01 {
		t.Fatalf("after double-click and two '-': %.2f", d)
	}
	c.Map.TypedRune('+')
	// A key press as the window delivers it: the key, then its character;
	// one level.
	z = c.Map.View().Zoom
	for _, k := range []struct {
		name fyne.KeyName
		r    rune
	}{{fyne.KeyEqual, '='}, {fyne.KeyMinus, '-'}, {fyne.KeyMinus, '-'}} {
		c.Map.TypedKey(&fyne.KeyEvent{Name: k.name})
		c.Map.TypedRune(k.r)
	}
	if d := c.Map.View().Zoom - z; d > -0.99 || d < -1.01 {
		t.Fatalf("'=', '-', '-' pressed zoomed %.2f, want -1", d)
	}
	c.Map.TypedRune('+')
	center := c.Map.View().Center
	c.Map.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if c.Map.View().Center[0] <= center[0] {
		t.Fatal("right arrow did not move the view east")
	}
	c.Map.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if c.Map.View().Center[1] <= center[1] {
		t.Fatal("up arrow did not move the view north")
	}
	settle(t, c)
}

func TestSearchLayersThemesBoardAndLanguage(t *testing.T) {
	c := newTestConsole(t, "leader")
	// Search by Chinese name, pinyin and code.
	for q, want := range map[string]string{"三村": "990101001201", "sancun": "990101001201", "990102001201002": "990102001201002", "南镇": "990102001"} {
		test.Type(c.Search, q)
		if len(c.hits) == 0 || c.hits[0].Code != want {
			t.Fatalf("search %q found %v, want %s first", q, c.hits, want)
		}
		c.Search.SetText("")
	}
	c.Search.SetText("nanzhen")
	c.Results.Select(0)
	settle(t, c)
	if b, _ := c.M.RegionBound(bg, "990102001"); !kmaps.Project(b).(orb.Bound).Contains(c.Map.View().Center) {
		t.Fatal("choosing a search result did not fly to it")
	}

	// Layers: every layer has a check box that shows and hides it.
	for _, name := range citymap.MapLayers {
		chk := c.Layers[name]
		if chk == nil || chk.Checked != c.City.Map.Visible(name) {
			t.Fatalf("layer %s: check box %v", name, chk)
		}
		test.Tap(chk)
		if c.City.Map.Visible(name) != chk.Checked {
			t.Fatalf("layer %s: tapping did not toggle it", name)
		}
	}

	// citymap.Themes change the colours and the legend.
	c.ThemeSel.SetSelected("Unit availability")
	if c.theme != "units" || len(c.Legend.Objects) != 2*len(citymap.Legend("units")) {
		t.Fatalf("theme %s, legend %d objects", c.theme, len(c.Legend.Objects))
	}

	// Status board: districts, sortable, a row flies there, drill down and up.
	rows := c.BoardRows()
	if len(rows) != 2 {
		t.Fatalf("%d district rows", len(rows))
	}
	header := find(c.Board, func(o fyne.CanvasObject) bool { b, ok := o.(*tipButton); return ok && b.Text == "Open" })
	if header == nil {
		t.Fatal("no Open column header")
	}
	test.Tap(header.(*tipButton))
	if r := c.BoardRows(); c.boardSort != "open" || r[0].Open < r[1].Open {
		t.Fatal("tapping the Open header did not sort by open events")
	}
	c.Board.Select(widget.TableCellID{Row: 0, Col: 0})
	settle(t, c)
	first := c.BoardRows()[0].Code
	if b, _ := c.M.RegionBound(bg, first); !kmaps.Project(b).(orb.Bound).Contains(c.Map.View().Center) {
		t.Fatal("a board row did not fly to its district")
	}
	test.Tap(c.BoardIn)
	if r := c.BoardRows(); len(r) == 0 || len(r[0].Code) != 9 || !strings.HasPrefix(r[0].Code, first) {
		t.Fatalf("drilled into %s: %v", first, r)
	}
	test.Tap(c.BoardUp)
	if r := c.BoardRows(); len(r[0].Code) != 6 {
		t.Fatal("Up did not go back to the districts")
	}

	// Language: the settings switch rebuilds the window in Chinese and back.
	c.SetLanguage("zh-CN")
	if c.IssueBtn.Text != "下达指令" || !strings.Contains(c.Win.Title(), "网格") {
		t.Fatalf("in zh-CN: button %q, title %q", c.IssueBtn.Text, c.Win.Title())
	}
	c.SetLanguage("en")
	if c.IssueBtn.Text != "Issue order" {
		t.Fatalf("back in English: %q", c.IssueBtn.Text)
	}
	// The rebuilt map keeps its place through a window resize.
	center := c.Map.View().Center
	c.Win.Resize(fyne.NewSize(1000, 700))
	if v := c.Map.View(); v.Center != center || v.Zoom > 19 {
		t.Fatalf("after a resize the map moved from %v to %v zoom %.1f", center, v.Center, v.Zoom)
	}
	settle(t, c)
}

func TestClickingMarkersShowsTheirDetails(t *testing.T) {
	c := newTestConsole(t, "leader")
	ul, err := c.City.Units()
	if err != nil || len(ul.Units) == 0 {
		t.Fatalf("units: %v", err)
	}
	u := ul.Units[0]
	at := kmaps.ProjectPoint(u.Location)
	v := c.Map.View()
	v.Center, v.Zoom = at, 16
	c.Map.SetView(v)
	settle(t, c)
	c.Map.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: screenPos(c, at)}})
	if tip := c.Map.TooltipText(); !strings.Contains(tip, u.Name) || !strings.Contains(tip, u.Code) {
		t.Fatalf("tooltip over unit %s: %q", u.Code, tip)
	}
	c.Map.Tapped(&fyne.PointEvent{Position: screenPos(c, at)})
	if d := c.DetailText(); !strings.Contains(d, u.Name) || !strings.Contains(d, "Members") {
		t.Fatalf("clicking unit %s showed:\n%s", u.Code, d)
	}
	// An open event: its matter, state history and deadline.
	evs, err := c.M.LoadOverlay(bg, "events", c.AsOf)
	if err != nil || len(evs) == 0 {
		t.Fatalf("events: %v", err)
	}
	ev := kmaps.ProjectPoint(evs[0].Geom.(orb.Point))
	c.City.Map.SetVisible("units", false) // a unit may stand on the event
	v.Center = ev
	c.Map.SetView(v)
	settle(t, c)
	c.Map.Tapped(&fyne.PointEvent{Position: screenPos(c, ev)})
	if d := c.DetailText(); !strings.Contains(d, evs[0].Code) || !strings.Contains(d, "Timeline") || !strings.Contains(d, "Matter type") {
		t.Fatalf("clicking event %s showed:\n%s", evs[0].Code, d)
	}
	// A center: its level and duty contact.
	c.ShowDetail("C990102")
	if d := c.DetailText(); !strings.Contains(d, "district center") || !strings.Contains(d, "Duty phone") {
		t.Fatalf("center detail:\n%s", d)
	}
}

func TestChoosingFliesAndAMoveByHandStopsTheFlight(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.Animate, c.Map.Animate = true, true
	var zooms []float64
	c.Map.OnViewChanged = func(v kmaps.Viewport) { zooms = append(zooms, v.Zoom) }
	start := c.Map.View()
	c.Choose("990102001201")
	settle(t, c)
	b, _ := c.M.RegionBound(bg, "990102001201")
	want := start.Fit(kmaps.Project(b).(orb.Bound), 40)
	if got := c.Map.View(); math.Abs(got.Zoom-want.Zoom) > 1e-9 || planar.Distance(got.Center, want.Center) > 1e-6 {
		t.Fatalf("flight ended at %v, want %v", got, want)
	}
	if len(zooms) != flightSteps {
		t.Fatalf("%d steps, want %d", len(zooms), flightSteps)
	}
	for i := 1; i < len(zooms); i++ {
		if zooms[i] < zooms[i-1] {
			t.Fatalf("zoom went back during the flight: %v", zooms)
		}
	}
	// A drag during a flight ends it where the hand left the map.
	c.Choose("990101")
	c.Map.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(30, 0)})
	dragged := c.Map.View()
	settle(t, c)
	if got := c.Map.View(); got.Center != dragged.Center || got.Zoom != dragged.Zoom {
		t.Fatalf("the flight went on after a drag: %v, dragged to %v", got, dragged)
	}
}

// find walks a canvas object tree for the first object that matches.
func find(o fyne.CanvasObject, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	if match(o) {
		return o
	}
	var kids []fyne.CanvasObject
	switch t := o.(type) {
	case *fyne.Container:
		kids = t.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(t).Objects()
	}
	for _, k := range kids {
		if f := find(k, match); f != nil {
			return f
		}
	}
	return nil
}

func TestSettingsSwitchTheLanguageAndRememberIt(t *testing.T) {
	c := newTestConsole(t, "leader")
	test.Tap(find(c.Win.Content(), func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && b.Text == "Settings"
	}).(*widget.Button))
	overlay := c.Win.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("Settings opened nothing")
	}
	sel := find(overlay, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Select); return ok }).(*widget.Select)
	if len(sel.Options) != len(Languages) {
		t.Fatalf("language options %v", sel.Options)
	}
	sel.SetSelectedIndex(slices.Index(Languages, "zh-CN"))
	test.Tap(find(overlay, func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && b.Text == "Apply"
	}).(*widget.Button))
	if c.IssueBtn.Text != "下达指令" || fyne.CurrentApp().Preferences().String(LanguagePref) != "zh-CN" {
		t.Fatalf("after choosing Chinese: %q, preference %q", c.IssueBtn.Text, fyne.CurrentApp().Preferences().String(LanguagePref))
	}
	c.SetLanguage("en")
	settle(t, c)
}

func TestOrderingABigRegionGoesThroughItsCenters(t *testing.T) {
	c := newTestConsole(t, "leader")
	defer func(n int) { wholeRegionGrids = n }(wholeRegionGrids)
	wholeRegionGrids = 5 // the fixture's districts have about twenty grids
	c.Choose("990101")
	if len(c.Selected()) <= 5 {
		t.Fatalf("%d grids in the district", len(c.Selected()))
	}
	test.Tap(c.IssueBtn)
	d := c.Dialog()
	if got := splitCodes(d.Targets.Text); !slices.Equal(got, []string{"C990101"}) {
		t.Fatalf("targets %v", got)
	}
	d.Task.SetText("全区巡查")
	test.Tap(d.Issue)
	if c.Dialog() != nil {
		t.Fatalf("refused: %s", d.Error.Text)
	}
	// A hand-made selection of the same grids lists them one by one.
	c.SelectGrids(c.selected[:3], false)
	test.Tap(c.IssueBtn)
	if got := splitCodes(c.Dialog().Targets.Text); !slices.Contains(got, c.Selected()[0]) {
		t.Fatalf("targets %v", got)
	}
}

// The order dialog lists the free units of the selected grids as a
// recommendation would: nearest the selection's centre first.
func TestOrderPrefillsNearestUnitsFirst(t *testing.T) {
	c := newTestConsole(t, "leader")
	var sel []int
	for code, pos := range c.City.Pos {
		if strings.HasPrefix(code, "990101") {
			sel = append(sel, pos)
		}
	}
	c.SelectGrids(sel, false)
	test.Tap(c.IssueBtn)
	d := c.Dialog()
	if d == nil {
		t.Fatal("Issue order opened no dialog")
	}
	var units []string
	for _, code := range splitCodes(d.Targets.Text) {
		if strings.HasPrefix(code, "U") {
			units = append(units, code)
		}
	}
	if len(units) < 3 {
		t.Fatalf("%d units pre-filled: too few to test their order", len(units))
	}
	var b orb.Bound
	for i, p := range sel {
		gb := c.City.Map.FillIndex().Feature(p).Geom.Bound()
		if i == 0 {
			b = gb
		} else {
			b = b.Union(gb)
		}
	}
	ul, err := c.City.Units()
	if err != nil {
		t.Fatal(err)
	}
	dist := map[string]float64{}
	for _, u := range ul.Units {
		dist[u.Code] = planar.Distance(kmaps.Project(u.Location).(orb.Point), b.Center())
	}
	for i := 1; i < len(units); i++ {
		if dist[units[i-1]] > dist[units[i]] {
			t.Fatalf("pre-filled units not nearest first: %s (%.0f m) before %s (%.0f m)", units[i-1], dist[units[i-1]], units[i], dist[units[i]])
		}
	}
}
