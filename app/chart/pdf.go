package chart

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// pdfCanvas is a vg.Canvas that writes a one-page PDF with fpdf, setting
// text in the bundled font as UTF-8. Written here because gonum/plot's
// vgpdf encodes every string in code page 1252 (Western European), so
// Chinese titles and units come out as question marks; fpdf's UTF-8 fonts
// embed a subset of the TrueType font with a ToUnicode map, so the text
// can be searched and copied. The drawing calls follow vgpdf's (BSD-3-Clause,
// © The Gonum Authors).
type pdfCanvas struct {
	doc   *fpdf.Fpdf
	w, h  vg.Length
	k     float64 // the document's units per point (1 for a chart's own PDF)
	stack []pdfContext
	font  []byte // the bundled TrueType font
	added map[string]bool
}

type pdfContext struct {
	width vg.Length
}

// pdfFamily is the font's name inside the PDF.
const pdfFamily = PDFFamily

// PDFFamily is the name under which a document given to OnPDF must have
// added the bundled font (fpdf's AddUTF8FontFromBytes).
const PDFFamily = "kapokcjk"

// pdfDate is the document's creation date: fixed, so that the same chart
// is the same file.
var pdfDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newPDFCanvas(w, h vg.Length, fontTTF []byte, title string) *pdfCanvas {
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: w.Points(), Ht: h.Points()}})
	doc.SetCreationDate(pdfDate)
	doc.SetModificationDate(pdfDate)
	doc.SetCatalogSort(true)
	doc.SetTitle(title, true)
	doc.SetCreator("Kapok", false)
	doc.SetMargins(0, 0, 0)
	doc.SetAutoPageBreak(false, 0)
	doc.AddPage()
	c := &pdfCanvas{doc: doc, w: w, h: h, k: 1, stack: make([]pdfContext, 1), font: fontTTF, added: map[string]bool{}}
	// vg's origin is the bottom left corner, fpdf's the top left.
	c.Push()
	c.Translate(vg.Point{X: 0, Y: h})
	c.Scale(1, -1)
	vg.Initialize(c)
	return c
}

func (c *pdfCanvas) unit(l vg.Length) float64 { return l.Points() * c.k }

// OnPDF draws on a region of the current page of a document someone else
// writes (a briefing's): the rectangle at (x, y), w×h in the document's
// units (unitsPerPoint of them to a point: 25.4/72 for millimetres), which
// must have the bundled font as PDFFamily. The text is set in the font, so
// it can be searched and copied, as in a chart's own PDF.
func OnPDF(doc *fpdf.Fpdf, x, y, w, h, unitsPerPoint float64, draw func(vg.CanvasSizer) error) error {
	c := &pdfCanvas{doc: doc, w: vg.Points(w / unitsPerPoint), h: vg.Points(h / unitsPerPoint), k: unitsPerPoint,
		stack: make([]pdfContext, 1), added: map[string]bool{pdfFamily: true}}
	// The chart's colours and line width are set on the document as it
	// draws; the caller's are put back after (the transforms and the
	// alpha are undone by the graphics state, not so fpdf's own record).
	dr, dg, db := doc.GetDrawColor()
	fr, fg, fb := doc.GetFillColor()
	tr, tg, tb := doc.GetTextColor()
	lw := doc.GetLineWidth()
	defer func() {
		doc.SetDrawColor(dr, dg, db)
		doc.SetFillColor(fr, fg, fb)
		doc.SetTextColor(tr, tg, tb)
		doc.SetLineWidth(lw)
	}()
	c.Push()
	doc.TransformTranslate(x, y+h)
	c.Scale(1, -1)
	vg.Initialize(c)
	err := draw(c)
	c.Pop()
	doc.SetAlpha(1, "Normal")
	doc.SetDashPattern(nil, 0)
	if err == nil {
		err = doc.Error()
	}
	return err
}

func (c *pdfCanvas) point(p vg.Point) (float64, float64) { return c.unit(p.X), c.unit(p.Y) }

func (c *pdfCanvas) context() *pdfContext { return &c.stack[len(c.stack)-1] }

// Size implements vg.Canvas.
func (c *pdfCanvas) Size() (vg.Length, vg.Length) { return c.w, c.h }

// SetLineWidth implements vg.Canvas.
func (c *pdfCanvas) SetLineWidth(w vg.Length) {
	c.context().width = w
	c.doc.SetLineWidth(c.unit(w))
}

// SetLineDash implements vg.Canvas.
func (c *pdfCanvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	ds := make([]float64, len(dashes))
	for i, d := range dashes {
		ds[i] = c.unit(d)
	}
	c.doc.SetDashPattern(ds, c.unit(offs))
}

// SetColor implements vg.Canvas.
func (c *pdfCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	// Straight (not premultiplied) components, as PDF takes them.
	n := color.NRGBAModel.Convert(clr).(color.NRGBA)
	r, g, b := int(n.R), int(n.G), int(n.B)
	c.doc.SetFillColor(r, g, b)
	c.doc.SetDrawColor(r, g, b)
	c.doc.SetTextColor(r, g, b)
	c.doc.SetAlpha(float64(n.A)/255, "Normal")
}

// Rotate implements vg.Canvas.
func (c *pdfCanvas) Rotate(r float64) { c.doc.TransformRotate(-r*180/math.Pi, 0, 0) }

// Translate implements vg.Canvas.
func (c *pdfCanvas) Translate(pt vg.Point) {
	x, y := c.point(pt)
	c.doc.TransformTranslate(x, y)
}

// Scale implements vg.Canvas.
func (c *pdfCanvas) Scale(x, y float64) { c.doc.TransformScale(x*100, y*100, 0, 0) }

// Push implements vg.Canvas.
func (c *pdfCanvas) Push() {
	c.stack = append(c.stack, *c.context())
	c.doc.TransformBegin()
}

// Pop implements vg.Canvas.
func (c *pdfCanvas) Pop() {
	c.doc.TransformEnd()
	c.stack = c.stack[:len(c.stack)-1]
}

// Stroke implements vg.Canvas.
func (c *pdfCanvas) Stroke(p vg.Path) {
	if c.context().width > 0 {
		c.path(p, "D")
	}
}

// Fill implements vg.Canvas.
func (c *pdfCanvas) Fill(p vg.Path) { c.path(p, "F") }

// FillString implements vg.Canvas: the text in the bundled font (every
// face of the chart is that font), its baseline's left end at pt.
func (c *pdfCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if f.Font.Size == 0 {
		return
	}
	if !c.added[pdfFamily] {
		c.doc.AddUTF8FontFromBytes(pdfFamily, "", c.font)
		c.added[pdfFamily] = true
	}
	c.doc.SetFont(pdfFamily, "", f.Font.Size.Points()) // a font's size is in points in any document
	c.Push()
	defer c.Pop()
	c.Translate(pt)
	// Upright again: fpdf's text runs down the page.
	c.Scale(1, -1)
	c.doc.Text(0, 0, str)
}

// DrawImage implements vg.Canvas.
func (c *pdfCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	opts := fpdf.ImageOptions{ImageType: "png", ReadDpi: true}
	name := fmt.Sprintf("image_%p", img)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		c.doc.SetError(err)
		return
	}
	c.doc.RegisterImageOptionsReader(name, opts, &buf)
	x, y := c.point(rect.Min)
	wd, ht := c.point(rect.Size())
	c.doc.ImageOptions(name, x, y, wd, ht, false, opts, 0, "")
}

func (c *pdfCanvas) path(path vg.Path, style string) {
	var x, y float64
	for _, comp := range path {
		switch comp.Type {
		case vg.MoveComp:
			x, y = c.point(comp.Pos)
			c.doc.MoveTo(x, y)
		case vg.LineComp:
			c.doc.LineTo(c.point(comp.Pos))
		case vg.ArcComp:
			c.arc(comp, style)
		case vg.CurveComp:
			px, py := c.point(comp.Pos)
			switch len(comp.Control) {
			case 1:
				cx, cy := c.point(comp.Control[0])
				c.doc.CurveTo(cx, cy, px, py)
			case 2:
				cx, cy := c.point(comp.Control[0])
				dx, dy := c.point(comp.Control[1])
				c.doc.CurveBezierCubicTo(cx, cy, dx, dy, px, py)
			}
		case vg.CloseComp:
			c.doc.LineTo(x, y)
			c.doc.ClosePath()
		}
	}
	c.doc.DrawPath(style)
}

func (c *pdfCanvas) arc(comp vg.PathComp, style string) {
	x0 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start))
	y0 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start))
	c.doc.LineTo(c.point(vg.Point{X: x0, Y: y0}))
	r := c.unit(comp.Radius)
	const deg = 180 / math.Pi
	beg := comp.Start * deg
	x, y := c.point(comp.Pos)
	c.doc.Arc(x, y, r, r, 0, beg, beg+comp.Angle*deg, style)
	x1 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start+comp.Angle))
	y1 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start+comp.Angle))
	c.doc.MoveTo(c.point(vg.Point{X: x1, Y: y1}))
}

// WriteTo writes the PDF; the canvas cannot be drawn on after.
func (c *pdfCanvas) WriteTo(w io.Writer) (int64, error) {
	c.Pop()
	c.doc.Close()
	cw := &countWriter{w: w}
	b := bufio.NewWriter(cw)
	if err := c.doc.Output(b); err != nil {
		return cw.n, err
	}
	err := b.Flush()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
