package brief

import (
	"bytes"
	"context"
	"image"
	"math"

	"codeberg.org/go-pdf/fpdf"
	"github.com/paulmach/orb"

	"kapok/app/citymap"
	"kapok/data"
	"kapok/data/mirror"
	kmaps "kapok/maps"
)

// The map page: the map on the left at print resolution, its legend,
// scale and north on the right.
const (
	mapTheme  = "events"
	mapTop    = contentTop + 11
	mapW      = 212.0
	mapH      = contentBot - mapTop - 2
	legendX   = margin + mapW + 6
	legendW   = contentW - mapW - 6
	mmPerInch = 25.4
)

// mapPixels is the map's size in logical pixels (1/96 inch).
func mapPixels() (int, int) {
	return int(math.Round(mapW / mmPerInch * 96)), int(math.Round(mapH / mmPerInch * 96))
}

// printedMap is the map image of a briefing and where it stands.
type printedMap struct {
	img      *image.RGBA
	view     kmaps.Viewport
	boundary orb.MultiPolygon // the region's, lon/lat
}

// drawMap renders the region's map at print resolution.
func drawMap(ctx context.Context, m *mirror.Mirror, f *facts) (*printedMap, error) {
	w, h := mapPixels()
	var svc data.MapService = m
	if f.Replay {
		svc = citymap.Replay(m, f.State)
	}
	img, v, err := citymap.PrintMap(ctx, svc, mapTheme, f.Region.Code, w, h, 12, f.Now)
	if err != nil {
		return nil, err
	}
	b, err := m.RegionBoundary(ctx, f.Region.Code)
	if err != nil {
		return nil, err
	}
	return &printedMap{img: img, view: v, boundary: b}, nil
}

// pageMM is a Web Mercator point's place on the page, in millimetres.
func (p *printedMap) pageMM(pt orb.Point) (float64, float64) {
	x, y := p.view.ToScreen(pt)
	k := mmPerInch / citymap.PrintDPI
	return margin + x*k, mapTop + y*k
}

// mapPage writes the map page.
func (d *doc) mapPage(f *facts, pm *printedMap) error {
	d.section(d.T("Map: open cases by grid"), 0)
	var buf bytes.Buffer
	if err := kmaps.EncodePNG(&buf, pm.img); err != nil {
		return err
	}
	opt := fpdf.ImageOptions{ImageType: "png"}
	d.RegisterImageOptionsReader("map", opt, &buf)
	d.ImageOptions("map", margin, mapTop, mapW, mapH, false, opt, 0, "")

	d.ClipRect(margin, mapTop, mapW, mapH, false)
	d.dimOutside(pm)
	d.outline(pm)
	d.ClipEnd()
	d.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
	d.SetLineWidth(0.3)
	d.Rect(margin, mapTop, mapW, mapH, "D")
	d.northArrow(margin+mapW-12, mapTop+6)
	d.scaleBar(pm, margin+6, mapTop+mapH-8)
	d.legend(f)
	return nil
}

// ring adds a closed ring of lon/lat points to the current path.
func (d *doc) ring(pm *printedMap, r orb.Ring) {
	for i, p := range r {
		x, y := pm.pageMM(kmaps.ProjectPoint(p))
		if i == 0 {
			d.MoveTo(x, y)
		} else {
			d.LineTo(x, y)
		}
	}
	d.ClosePath()
}

// dimOutside veils what lies outside the region (its neighbours, drawn
// for context) in translucent white: the map box with the region's rings
// as holes, filled by the even-odd rule.
func (d *doc) dimOutside(pm *printedMap) {
	d.SetAlpha(0.55, "Normal")
	d.SetFillColor(255, 255, 255)
	d.MoveTo(margin, mapTop)
	d.LineTo(margin+mapW, mapTop)
	d.LineTo(margin+mapW, mapTop+mapH)
	d.LineTo(margin, mapTop+mapH)
	d.ClosePath()
	for _, poly := range pm.boundary {
		for _, r := range poly {
			d.ring(pm, r)
		}
	}
	d.DrawPath("F*")
	d.SetAlpha(1, "Normal")
}

// outline strokes the region's boundary.
func (d *doc) outline(pm *printedMap) {
	d.SetDrawColor(accentRGB[0], accentRGB[1], accentRGB[2])
	d.SetLineWidth(0.7)
	d.SetLineJoinStyle("round")
	for _, poly := range pm.boundary {
		for _, r := range poly {
			d.ring(pm, r)
		}
	}
	d.DrawPath("D")
	d.SetLineJoinStyle("miter") // fpdf's default, for what follows
}

// northArrow draws an arrow pointing up (Web Mercator keeps north up) with
// its letter.
func (d *doc) northArrow(x, y float64) {
	d.SetFillColor(255, 255, 255)
	d.SetAlpha(0.85, "Normal")
	d.Circle(x, y+4, 6, "F")
	d.SetAlpha(1, "Normal")
	d.SetFillColor(inkRGB[0], inkRGB[1], inkRGB[2])
	d.Polygon([]fpdf.PointType{{X: x, Y: y - 1}, {X: x + 3, Y: y + 7}, {X: x, Y: y + 5.2}, {X: x - 3, Y: y + 7}}, "F")
	d.SetFont(family, "", 7.5)
	d.color(inkRGB)
	d.SetXY(x-4, y+6.8)
	d.CellFormat(8, 3, d.T("N"), "", 0, "CM", false, 0, "")
}

// scaleBar draws a bar of a round ground length, at most 45 mm long, with
// its length written above it (kmaps.ScaleBar, as the console's).
func (d *doc) scaleBar(pm *printedMap, x, y float64) {
	perMM := kmaps.GroundResolution(pm.view) * citymap.PrintDPI / mmPerInch
	_, w, label := kmaps.ScaleBar(perMM, 45)
	d.SetFillColor(255, 255, 255)
	d.SetAlpha(0.85, "Normal")
	d.Rect(x-2, y-5.5, w+4, 8, "F")
	d.SetAlpha(1, "Normal")
	d.SetFillColor(inkRGB[0], inkRGB[1], inkRGB[2])
	d.Rect(x, y, w/2, 1.2, "F")
	d.SetDrawColor(inkRGB[0], inkRGB[1], inkRGB[2])
	d.SetLineWidth(0.25)
	d.Rect(x, y, w, 1.2, "D")
	d.SetFont(family, "", 7.5)
	d.color(inkRGB)
	d.SetXY(x, y-4.5)
	d.CellFormat(w, 4, label, "", 0, "CM", false, 0, "")
	d.SetXY(x-2, y-4.5)
	d.CellFormat(4, 4, "0", "", 0, "CM", false, 0, "")
}

// legend explains the map's colours and lines, and counts what it shows.
func (d *doc) legend(f *facts) {
	x, y := legendX, mapTop
	d.SetXY(x, y)
	d.SetFont(family, "", 10.5)
	d.color(inkRGB)
	d.CellFormat(legendW, 6, d.T("Legend"), "", 1, "L", false, 0, "")
	y += 8
	d.SetFont(family, "", 8.5)
	for _, e := range citymap.Legend(mapTheme) {
		d.SetFillColor(int(e.Color.R), int(e.Color.G), int(e.Color.B))
		d.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
		d.SetLineWidth(0.2)
		d.Rect(x, y, 6, 4, "FD")
		d.SetXY(x+8, y)
		d.CellFormat(legendW-8, 4, fit(d, d.T(e.Label), legendW-8), "", 0, "LM", false, 0, "")
		y += 6
	}
	y += 2
	d.SetDrawColor(accentRGB[0], accentRGB[1], accentRGB[2])
	d.SetLineWidth(0.7)
	d.Line(x, y+2, x+6, y+2)
	d.SetXY(x+8, y)
	d.CellFormat(legendW-8, 4, fit(d, d.T("{{.Region}} boundary", "Region", d.shortPlace(f.Region)), legendW-8), "", 0, "LM", false, 0, "")
	y += 6
	d.SetDrawColor(60, 60, 60)
	d.SetLineWidth(0.3)
	d.Line(x, y+2, x+6, y+2)
	d.SetXY(x+8, y)
	d.CellFormat(legendW-8, 4, fit(d, d.T("district and street boundaries"), legendW-8), "", 0, "LM", false, 0, "")
	y += 6
	d.SetAlpha(0.55, "Normal")
	d.SetFillColor(255, 255, 255)
	d.Rect(x, y, 6, 4, "F")
	d.SetAlpha(1, "Normal")
	d.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
	d.SetLineWidth(0.2)
	d.Rect(x, y, 6, 4, "D")
	d.SetXY(x+8, y)
	d.CellFormat(legendW-8, 4, fit(d, d.T("outside the region (veiled)"), legendW-8), "", 0, "LM", false, 0, "")
	y += 12
	d.SetXY(x, y)
	d.SetFont(family, "", 8.5)
	d.color(greyRGB)
	lines := []string{
		d.T("Open cases: {{.N}}", "N", count(f.Region.Open)),
		d.T("Overdue: {{.N}}", "N", count(f.Region.Overdue)),
		d.T("Grids: {{.N}}", "N", count(f.Region.Grids)),
		d.T("Colours as of {{.At}}", "At", beijing(f.Now)),
		d.T("Drawn by Kapok's map engine at {{.DPI}} dpi", "DPI", citymap.PrintDPI),
	}
	for _, l := range lines {
		d.SetX(x)
		d.MultiCell(legendW, 4.5, l, "", "L", false)
	}
	d.color(inkRGB)
}
