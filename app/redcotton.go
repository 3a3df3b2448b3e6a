package app

import (
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kapok/app/chart"
	"kapok/app/citymap"
	"kapok/data/mirror"
	"kapok/data/redcotton"
)

// The Red Cotton tab (红棉指数): a day's ranking of the districts by the
// Red Cotton "5+1" Index (docs/red-cotton-index.md) with a day chooser,
// each district's five dimensions as bars, the chosen district's 30-day
// trend, and the map's Red Cotton theme fed with the day's scores (the
// composite or one dimension). Choosing a district's row selects it on
// the map.

// RedCottonTab is the tab's widgets and state.
type RedCottonTab struct {
	Day    *widget.Select
	Dim    *widget.Select // what the map colours by: the composite or a dimension
	Table  *widget.Table
	Bars   *canvas.Image
	Trend  *canvas.Image
	Status *widget.Label

	days     []string // the days the index has, the latest first
	day      string
	dim      int // -1: the composite; else a redcotton.Dimension
	rows     []mirror.RedCottonRow
	streets  []mirror.RedCottonRow // the streets scored that day (the map's)
	district string                // the district chosen ("": none)
	trend    []mirror.RedCottonRow
}

// redCottonTrendDays is how many days the trend shows.
const redCottonTrendDays = 30

// Chart sizes in pixels.
const (
	redCottonChartWidth = 560
	redCottonBarsHeight = 230
	redCottonTrendH     = 250
)

// RedCotton is the console's Red Cotton tab.
func (c *Console) RedCotton() *RedCottonTab {
	if c.redCotton == nil {
		c.redCotton = &RedCottonTab{dim: -1}
	}
	return c.redCotton
}

// dimensionNames are the map's choices: the composite, then the five.
var dimensionNames = []string{"composite", "safety", "rule of law", "services", "harmony", "participation"}

// dimensionColors are the five dimensions' colours in the charts, the
// composite's last (the briefings colour them alike).
var dimensionColors = chart.DimensionColors

// redCottonPane builds the tab.
func (c *Console) redCottonPane() fyne.CanvasObject {
	t := c.RedCotton()
	t.Status = widget.NewLabel("")
	t.Status.Wrapping = fyne.TextWrapWord
	first, last, err := c.M.RedCottonDays(bg)
	t.days = nil
	if err != nil {
		t.Status.SetText(c.text(err))
	} else if last != "" {
		for d, _ := mirror.ParseDay(last); ; d = d.AddDate(0, 0, -1) {
			s := d.Format("2006-01-02")
			t.days = append(t.days, s)
			if s <= first {
				break
			}
		}
	}
	if !slices.Contains(t.days, t.day) && len(t.days) > 0 {
		t.day = t.days[0]
	}
	t.Day = newSelect(t.days, func(s string) { c.ChooseRedCottonDay(s) })
	dims := make([]string, len(dimensionNames))
	for i, n := range dimensionNames {
		dims[i] = T(n)
	}
	t.Dim = newSelect(dims, func(s string) { c.ChooseRedCottonDimension(slices.Index(dims, s) - 1) })
	t.Table = widget.NewTable(
		func() (int, int) { return len(t.rows), 8 },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(t.rows) {
				l := o.(*widget.Label)
				l.SetText(redCottonCell(t.rows[id.Row], id.Col))
				l.TextStyle.Bold = t.rows[id.Row].District == t.district
			}
		})
	t.Table.ShowHeaderRow = true
	t.Table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(T(redCottonColumns[id.Col]))
		}
	}
	for i, w := range []float32{44, 90, 76, 56, 56, 56, 56, 60} {
		// As wide as the header needs in the language shown.
		t.Table.SetColumnWidth(i, max(w, widget.NewLabel(T(redCottonColumns[i])).MinSize().Width))
	}
	t.Table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(t.rows) {
			c.ChooseRedCottonDistrict(t.rows[id.Row].District)
		}
	}
	t.Bars = canvas.NewImageFromImage(nil)
	t.Bars.FillMode = canvas.ImageFillContain
	t.Bars.SetMinSize(fyne.NewSize(redCottonChartWidth*0.8, redCottonBarsHeight*0.8))
	t.Trend = canvas.NewImageFromImage(nil)
	t.Trend.FillMode = canvas.ImageFillContain
	t.Trend.SetMinSize(fyne.NewSize(redCottonChartWidth*0.8, redCottonTrendH*0.8))
	show := widget.NewButton(T("Colour the map"), func() {
		c.ThemeSel.SetSelected(c.ThemeSel.Options[slices.Index(citymap.Themes, "redcotton")])
	})
	note := widget.NewLabel(T("The index ranks the districts against each other (0-100); the map colours a street by its rank among the streets where it has its own score that day, else by its district's."))
	note.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel(T("Day")), t.Day, widget.NewLabel(T("Map")), t.Dim, show),
		note)
	charts := container.NewVBox(t.Bars, t.Trend, t.Status)
	split := container.NewVSplit(t.Table, container.NewVScroll(charts))
	split.Offset = 0.3
	t.Day.SetSelected(t.day) // reads the day
	t.Dim.SetSelected(dims[t.dim+1])
	return container.NewBorder(top, nil, nil, nil, split)
}

// redCottonColumns are the ranking's columns.
var redCottonColumns = []string{"Rank", "District", "Composite", "safety", "rule of law", "services", "harmony", "participation"}

// redCottonCell is a cell of the ranking: scores to one decimal.
func redCottonCell(r mirror.RedCottonRow, col int) string {
	switch col {
	case 0:
		return fmt.Sprint(r.Rank)
	case 1:
		return shortDistrict(r.Name)
	case 2:
		return fmt.Sprintf("%.1f", r.Composite)
	}
	return fmt.Sprintf("%.1f", r.Dimensions[col-3])
}

// ChooseRedCottonDay shows a day's ranking (YYYY-MM-DD): the table, the
// bars, the trend to that day and the map's scores.
func (c *Console) ChooseRedCottonDay(day string) {
	t := c.RedCotton()
	t.day = day
	rows, err := c.M.RedCottonRanking(bg, day)
	if err != nil {
		t.Status.SetText(c.text(err))
		rows = nil
	}
	t.rows = rows
	if t.streets, err = c.M.RedCottonStreetRanking(bg, day); err != nil {
		t.Status.SetText(c.text(err))
		t.streets = nil
	}
	if t.district != "" && !slices.ContainsFunc(rows, func(r mirror.RedCottonRow) bool { return r.District == t.district }) && len(rows) > 0 {
		t.district = ""
	}
	t.Table.Refresh()
	c.drawRedCottonBars()
	c.readRedCottonTrend()
	c.applyRedCotton()
}

// ChooseRedCottonDimension colours the map by a dimension (-1: the
// composite).
func (c *Console) ChooseRedCottonDimension(dim int) {
	t := c.RedCotton()
	if dim < -1 || dim >= redcotton.NumDimensions {
		dim = -1
	}
	t.dim = dim
	c.applyRedCotton()
}

// ChooseRedCottonDistrict picks a district of the ranking: it is selected
// on the map (as choosing it in the tree does), shaded in the bars, and
// its trend drawn.
func (c *Console) ChooseRedCottonDistrict(code string) {
	t := c.RedCotton()
	t.district = code
	t.Table.Refresh()
	c.drawRedCottonBars()
	c.readRedCottonTrend()
	c.Choose(code)
}

// applyRedCotton gives the map the day's scores of the dimension chosen
// and, while the Red Cotton theme shows, recolours the grids.
func (c *Console) applyRedCotton() {
	t := c.RedCotton()
	scores := make(map[string]float64, len(t.rows)+len(t.streets))
	for _, r := range append(slices.Clip(t.rows), t.streets...) {
		if t.dim < 0 {
			scores[r.District] = r.Composite
		} else {
			scores[r.District] = r.Dimensions[t.dim]
		}
	}
	c.City.SetRedCotton(scores)
	if c.theme == "redcotton" {
		if err := c.City.SetTheme("redcotton"); err != nil {
			t.Status.SetText(c.text(err))
		}
		c.Map.Redraw()
	}
}

// chartLang is the charts' language: the console's.
func chartLang() chart.Lang {
	if T("lang") == "zh" {
		return chart.Chinese
	}
	return chart.English
}

// chartScale is the device's pixels per pixel of the window.
func (c *Console) chartScale() float64 {
	if s := c.Win.Canvas().Scale(); s > 0 {
		return float64(s)
	}
	return 1
}

// drawRedCottonBars draws the day's districts' five dimensions, in rank
// order, the district chosen shaded.
func (c *Console) drawRedCottonBars() {
	t := c.RedCotton()
	b := chart.BarChart{Title: T("Five dimensions, {{.Day}}", map[string]any{"Day": t.day}), YLabel: T("score"), YMax: 100,
		Highlight: -1, Width: redCottonChartWidth, Height: redCottonBarsHeight, Scale: c.chartScale(), Lang: chartLang()}
	for _, d := range redcotton.Dimensions {
		b.Series = append(b.Series, chart.BarSeries{Name: T(dimensionNames[d+1]), Color: dimensionColors[d]})
	}
	for i, r := range t.rows {
		b.Groups = append(b.Groups, shortDistrict(r.Name))
		for d := range b.Series {
			b.Series[d].Values = append(b.Series[d].Values, r.Dimensions[d])
		}
		if r.District == t.district {
			b.Highlight = i
		}
	}
	img, err := chart.Bars(b)
	if err != nil {
		t.Status.SetText(c.text(err))
		return
	}
	t.Bars.Image = img
	t.Bars.Refresh()
}

// shortDistrict is a district's name in the ranking and the charts: its
// Chinese name in Chinese, its pinyin in English.
func shortDistrict(name string) string {
	if chartLang() == chart.English {
		return citymap.RomanName(name)
	}
	return name
}

// readRedCottonTrend reads and draws the chosen district's trend to the
// day (the day's first district when none is chosen).
func (c *Console) readRedCottonTrend() {
	t := c.RedCotton()
	district := t.district
	if district == "" && len(t.rows) > 0 {
		district = t.rows[0].District
	}
	t.trend = nil
	if district != "" && t.day != "" {
		rows, err := c.M.RedCottonTrendTo(bg, district, t.day, redCottonTrendDays)
		if err != nil {
			t.Status.SetText(c.text(err))
		}
		t.trend = rows
	}
	name := district
	for _, r := range t.rows {
		if r.District == district {
			name = shortDistrict(r.Name)
		}
	}
	end, _ := mirror.ParseDay(t.day)
	end = end.Add(24 * time.Hour)
	tc := chart.TrendChart{Title: T("Red Cotton Index, {{.District}}, {{.N}} days", map[string]any{"District": name, "N": redCottonTrendDays}),
		YLabel: T("score"), YMin: 0, YMax: 100, Start: end.AddDate(0, 0, -redCottonTrendDays), End: end,
		Width: redCottonChartWidth, Height: redCottonTrendH, Scale: c.chartScale(), Lang: chartLang()}
	comp := chart.TrendLine{Name: T("composite"), Color: dimensionColors[redcotton.NumDimensions], Width: 2.4}
	lines := make([]chart.TrendLine, redcotton.NumDimensions)
	for d := range lines {
		lines[d] = chart.TrendLine{Name: T(dimensionNames[d+1]), Color: dimensionColors[d], Width: 0.9}
	}
	for _, r := range t.trend {
		day, err := mirror.ParseDay(r.Day)
		if err != nil {
			continue
		}
		noon := day.Add(12 * time.Hour)
		comp.Points = append(comp.Points, chart.Point{At: noon, Value: r.Composite})
		for d := range lines {
			lines[d].Points = append(lines[d].Points, chart.Point{At: noon, Value: r.Dimensions[d]})
		}
	}
	tc.Lines = append(lines, comp)
	img, err := chart.Trend(tc)
	if err != nil {
		t.Status.SetText(c.text(err))
		return
	}
	t.Trend.Image = img
	t.Trend.Refresh()
}
