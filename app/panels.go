package app

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"kapok/app/citymap"
	"kapok/data"
	kmaps "kapok/maps"
)

// ---- navigation tree: city → district → street → community → grid ----

func (c *Console) buildTree() {
	c.Tree = widget.NewTree(
		func(uid widget.TreeNodeID) []widget.TreeNodeID {
			if len(uid) == 12 {
				return c.gridsOf[uid]
			}
			return c.children[uid]
		},
		func(uid widget.TreeNodeID) bool { return len(uid) < data.GridCodeLength },
		func(bool) fyne.CanvasObject {
			name, badge := newTipLabel(), newTipLabel()
			badge.Importance = widget.DangerImportance
			return container.New(&badgeRowLayout{}, name, badge)
		},
		func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			name, badge := box.Objects[0].(*tipLabel), box.Objects[1].(*tipLabel)
			text, open, overdue := c.nodeText(uid)
			name.SetText(text)
			row := box.Layout.(*badgeRowLayout)
			switch {
			case overdue > 0:
				badge.Importance = widget.DangerImportance
				row.full = T("● {{.Open}} open · {{.Overdue}} overdue", map[string]any{"Open": open, "Overdue": overdue})
				row.short = fmt.Sprintf("● %d / %d", open, overdue)
			case open > 0:
				badge.Importance = widget.WarningImportance
				row.full = T("● {{.Open}} open", map[string]any{"Open": open})
				row.short = fmt.Sprintf("● %d", open)
			default:
				row.full, row.short = "", ""
			}
			badge.Text = row.full
			// Cut or shortened, either shows the whole row on hover.
			name.Whole = strings.TrimSpace(text + "  " + row.full)
			badge.Whole = name.Whole
			box.Refresh() // lay the texts out again: the layout picks the badge's form
		})
	c.Tree.OnSelected = func(uid widget.TreeNodeID) { c.Choose(uid) }
}

// badgeRowLayout lays a tree row's name and badge side by side, each as
// wide as its text when both fit. When they do not, the badge is written
// short (● open / overdue, its colour saying whether any is overdue); if
// still too wide, the name gives way first, down to two fifths of the row,
// then both are cut, each with an ellipsis. The row's
// figures are written whole in the details when the node is chosen.
type badgeRowLayout struct{ full, short string }

// textWidth is a label's width for a text uncut: the width of a label
// like it that does not truncate (the label's own measure, padding and
// all).
func textWidth(l *widget.Label, text string) float32 {
	if text == "" {
		return 0
	}
	// A truncating label given exactly its text's width still cuts it:
	// a pixel to spare.
	return float32(math.Ceil(float64(widget.NewLabelWithStyle(text, l.Alignment, l.TextStyle).MinSize().Width))) + 1
}

func (r *badgeRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	name, badge := &objs[0].(*tipLabel).Label, &objs[1].(*tipLabel).Label
	nw, bw := textWidth(name, name.Text), textWidth(badge, r.full)
	text := r.full
	if nw+bw > size.Width {
		text, bw = r.short, textWidth(badge, r.short)
	}
	if nw+bw > size.Width {
		nw = min(nw, max(size.Width-bw, size.Width*2/5))
		bw = size.Width - nw
	}
	if badge.Text != text {
		badge.SetText(text)
	}
	name.Move(fyne.NewPos(0, 0))
	name.Resize(fyne.NewSize(nw, size.Height))
	badge.Move(fyne.NewPos(nw, 0))
	badge.Resize(fyne.NewSize(max(bw, 0), size.Height))
}

func (*badgeRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(objs[0].MinSize().Width+objs[1].MinSize().Width, max(objs[0].MinSize().Height, objs[1].MinSize().Height))
}

// nodeText is a tree node's label and its open and overdue events.
func (c *Console) nodeText(code string) (string, int, int) {
	if len(code) == data.GridCodeLength {
		e := c.City.Events[code]
		return T("Grid {{.N}}", map[string]any{"N": strings.TrimLeft(code[12:], "0")}), e.Open, e.Overdue
	}
	i, ok := c.byCode[code]
	if !ok {
		return code, 0, 0
	}
	r := c.regions[i]
	return fmt.Sprintf("%s (%d)", r.Name, r.Grids), r.Open, r.Overdue
}

// Choose flies the map to a region or grid, selects its grids and shows
// its details: what choosing it in the tree, the search results or the
// status board does.
func (c *Console) Choose(code string) {
	b, err := c.M.RegionBound(bg, code)
	if err != nil {
		c.Status.SetText(c.text(err))
		return
	}
	c.Map.FlyTo(kmaps.Project(b).(orb.Bound))
	var sel []int
	for i, g := range c.City.Grids {
		if strings.HasPrefix(g.Code, code) {
			sel = append(sel, i)
		}
	}
	if len(sel) <= wholeRegionGrids {
		c.SelectGrids(sel, false)
	} else {
		// A district's thousands of grids would bury the map in highlight;
		// the selection stays, the detail panel names the region.
		c.selected = sel
		c.City.Map.SetHighlight(nil, color.NRGBA{}, color.NRGBA{}, 0)
		c.Map.Redraw()
		c.updateStatus()
	}
	c.selRegion = code
	remember(RegionPref, code)
	c.ShowDetail(code)
}

// wholeRegionGrids is the most grids a chosen region highlights one by one
// and lists one by one as order targets; a bigger one (a district, a big
// town) is highlighted by nothing and ordered through its centers.
var wholeRegionGrids = 400

// ---- search ----

func (c *Console) buildSearch() {
	c.Search = widget.NewEntry()
	c.Search.SetPlaceHolder(T("Code, name or pinyin"))
	c.Results = widget.NewList(
		func() int { return len(c.hits) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			h := c.hits[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  %s · %s", h.Name, T(h.Level), h.Code))
		})
	c.Results.OnSelected = func(i widget.ListItemID) {
		if i < len(c.hits) {
			c.Choose(c.hits[i].Code)
			c.revealInTree(c.hits[i].Code)
		}
	}
	c.Search.OnChanged = func(q string) {
		c.hits = c.searcher.Find(q, 200)
		c.Results.UnselectAll()
		c.Results.Refresh()
	}
	c.Search.OnSubmitted = func(string) {
		if len(c.hits) > 0 {
			c.Results.Select(0)
		}
	}
}

// revealInTree opens the tree down to a code without choosing it again.
func (c *Console) revealInTree(code string) {
	for _, n := range []int{4, 6, 9, 12} {
		if len(code) > n {
			c.Tree.OpenBranch(code[:n])
		}
	}
	c.Tree.ScrollTo(code)
}

// ---- layers ----

func (c *Console) buildLayers() {
	c.Layers = map[string]*widget.Check{}
	for _, name := range citymap.MapLayers {
		c.Layers[name] = widget.NewCheck(T(layerTitle(name)), func(on bool) {
			c.City.Map.SetVisible(name, on)
			c.Map.Redraw()
		})
		c.Layers[name].Checked = c.City.Map.Visible(name)
	}
}

func (c *Console) layersBox() fyne.CanvasObject {
	box := container.NewVBox()
	for _, name := range citymap.MapLayers {
		box.Add(c.Layers[name])
	}
	box.Add(c.securityLayerChecks())
	box.Add(widget.NewSeparator())
	box.Add(widget.NewLabelWithStyle(T("Symbols"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, s := range mapSymbols() {
		img := kmaps.MarkerIcon(s.shape, s.radius, s.color)
		icon := canvas.NewImageFromImage(img)
		icon.FillMode = canvas.ImageFillContain
		icon.SetMinSize(fyne.NewSize(float32(img.Rect.Dx()), float32(img.Rect.Dy())))
		// A fixed cell, so the labels line up whatever the symbol's size.
		cell := canvas.NewRectangle(color.Transparent)
		cell.SetMinSize(fyne.NewSize(18, 18))
		box.Add(container.NewHBox(container.NewStack(cell, container.NewCenter(icon)), widget.NewLabel(T(s.label))))
	}
	return box
}

// mapSymbol is a line of the symbol legend: a marker as the map draws it.
type mapSymbol struct {
	shape  kmaps.Shape
	radius float64
	color  color.NRGBA
	label  string
}

// mapSymbols are the centers by level, units by status, events, checkpoints
// and cameras as the layers draw them; orders as a line swatch.
func mapSymbols() []mapSymbol {
	var out []mapSymbol
	for i := len(citymap.CenterStyles) - 1; i >= 0; i-- {
		cs := citymap.CenterStyles[i]
		out = append(out, mapSymbol{cs.Style.Shape, max(cs.Style.Radius, 5), cs.Color, cs.Level + " center"})
	}
	for _, st := range data.UnitStatuses {
		out = append(out, mapSymbol{kmaps.Disc, 4, citymap.UnitColor[st], "unit: " + string(st)})
	}
	return append(out,
		mapSymbol{kmaps.Diamond, 5, citymap.EventColor[string(data.ClockNone)], "case not yet dispatched"},
		mapSymbol{kmaps.Diamond, 5, citymap.EventColor[string(data.ClockRunning)], "case within its limit"},
		mapSymbol{kmaps.Diamond, 5, citymap.EventColor[string(data.ClockWarning)], "case past 75% of its limit"},
		mapSymbol{kmaps.Diamond, 5, citymap.EventColor[string(data.ClockOverdue)], "overdue case"},
		mapSymbol{kmaps.Square, 5, citymap.DispatchColor, "dispatched unit → case (line)"},
		mapSymbol{kmaps.Square, 4, citymap.CheckpointColor, "checkpoint"},
		mapSymbol{kmaps.Square, 3, citymap.CameraColor["online"], "camera"},
		mapSymbol{kmaps.Square, 5, citymap.OrderColor, "running order (outline)"},
		mapSymbol{kmaps.Square, 5, citymap.OverdueOrderColor, "overdue order (outline)"},
	)
}

func layerTitle(name string) string {
	return map[string]string{"districts": "Districts", "streets": "Streets and towns", "communities": "Communities and villages",
		"grids": "Grid boundaries", "centers": "Governance centers", "units": "Emergency units", "events": "Open cases", "dispatch": "Dispatch lines",
		"cameras": "Cameras", "checkpoints": "Checkpoints", "patrol_routes": "Patrol routes", "orders": "Running orders"}[name]
}

// ---- legend ----

func (c *Console) buildLegend() {
	c.Legend = container.NewHBox()
	c.buildLegendItems()
}

func (c *Console) buildLegendItems() {
	c.Legend.RemoveAll()
	for _, e := range citymap.Legend(c.theme) {
		swatch := canvas.NewRectangle(e.Color)
		swatch.StrokeColor = color.NRGBA{90, 90, 90, 255}
		swatch.StrokeWidth = 1
		swatch.SetMinSize(fyne.NewSize(18, 14))
		c.Legend.Add(container.NewCenter(swatch))
		c.Legend.Add(widget.NewLabel(T(e.Label)))
	}
	c.Legend.Refresh()
}
