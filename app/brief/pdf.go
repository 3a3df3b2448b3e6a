package brief

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"

	"kapok/app/msg"
	"kapok/data"
)

// The page: A4 landscape in millimetres, with a header band and a footer
// line on every page.
const (
	pageW, pageH = 297.0, 210.0
	margin       = 12.0
	headerH      = 12.0 // from the top edge to where the content starts
	footerH      = 12.0 // from where the content ends to the bottom edge
	contentTop   = margin + headerH
	contentBot   = pageH - margin - footerH + 4
	contentW     = pageW - 2*margin
	family       = "kapokcjk" // the bundled font's name in the PDF
	pt           = 25.4 / 72  // a point in millimetres
)

// Colours of the briefing.
var (
	inkRGB    = [3]int{30, 30, 40}
	greyRGB   = [3]int{110, 110, 120}
	ruleRGB   = [3]int{200, 200, 205}
	bandRGB   = [3]int{242, 242, 245}
	accentRGB = [3]int{170, 30, 40} // red cotton
	redRGB    = [3]int{200, 30, 30}
	amberRGB  = [3]int{215, 140, 0}
)

// doc is the PDF being written and what every page repeats.
type doc struct {
	*fpdf.Fpdf
	lang     msg.Lang
	cat      *msg.Catalog
	header   string        // left of the header: the briefing's title
	asOf     string        // right of the header: the data's as-of line
	classify string        // left of the footer
	runes    map[rune]bool // every character set in text, to check the font has them
}

// CellFormat is fpdf's, noting the characters set.
func (d *doc) CellFormat(w, h float64, txt, border string, ln int, align string, fill bool, link int, linkStr string) {
	d.note(txt)
	d.Fpdf.CellFormat(w, h, txt, border, ln, align, fill, link, linkStr)
}

// MultiCell is fpdf's, noting the characters set, with the lines broken
// here: fpdf's own breaking takes a Chinese character where it breaks a
// line for a space and drops it ("…指标" came out "…标").
func (d *doc) MultiCell(w, h float64, txt, border, align string, fill bool) {
	d.note(txt)
	// A hair narrower than fpdf's measure, which rounds otherwise.
	d.Fpdf.MultiCell(w, h, strings.Join(d.wrap(txt, w-2*d.GetCellMargin()-0.05), "\n"), border, align, fill)
}

// wrap breaks text into lines no wider than w in the current font: at a
// space, or before or after a CJK character (between any two of them),
// else (a word longer than the line) where it must; the text's own line
// breaks are kept.
func (d *doc) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := []rune{}
		brk := -1 // where line may be cut: the runes before it stay
		for _, r := range para {
			if len(line) > 0 && d.GetStringWidth(string(append(line, r))) > w {
				cut := brk
				if cut <= 0 || unicode.IsSpace(r) || isCJK(r) {
					cut = len(line)
				}
				out = append(out, strings.TrimRight(string(line[:cut]), " "))
				line = []rune(strings.TrimLeft(string(line[cut:]), " "))
				brk = -1
			}
			switch {
			case unicode.IsSpace(r):
				brk = len(line) + 1
			case isCJK(r) && !strings.ContainsRune(noLineStart, r):
				brk = len(line) // before it
			case len(line) > 0 && isCJK(line[len(line)-1]):
				brk = len(line) // after the CJK character before it
			}
			if len(line) == 0 && r == ' ' {
				continue
			}
			line = append(line, r)
		}
		out = append(out, string(line))
	}
	return out
}

// noLineStart are the punctuation marks a line does not start with.
const noLineStart = "。，、；：？！）」』】》〉”’．，：；？！）"

// isCJK is a character a line may break before or after: ideographs, kana
// and hangul, CJK punctuation and full-width forms.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}

func (d *doc) note(s string) {
	if d.runes == nil {
		d.runes = map[rune]bool{}
	}
	for _, r := range s {
		d.runes[r] = true
	}
}

// newDoc starts a document in the bundled font with the header and footer
// every page carries; the page count is filled in when it is written.
func newDoc(font []byte, cat *msg.Catalog, lang msg.Lang, title, asOf, classify string, made time.Time) *doc {
	f := fpdf.New("L", "mm", "A4", "")
	d := &doc{Fpdf: f, lang: lang, cat: cat, header: title, asOf: asOf, classify: classify}
	f.SetCreationDate(made)
	f.SetModificationDate(made)
	f.SetCatalogSort(true) // the same briefing is the same bytes
	f.SetTitle(title, true)
	f.SetSubject(asOf, true)
	f.SetCreator("Kapok", false)
	f.SetProducer("Kapok (go-pdf/fpdf)", false)
	f.SetMargins(margin, contentTop, margin)
	f.SetAutoPageBreak(false, 0)
	f.AddUTF8FontFromBytes(family, "", font)
	f.AliasNbPages("{nb}")
	f.SetHeaderFuncMode(d.pageHeader, true)
	f.SetFooterFunc(d.pageFooter)
	return d
}

// T is a text of the briefing in its language.
func (d *doc) T(key string, args ...any) string {
	m := map[string]string{}
	for i := 0; i+1 < len(args); i += 2 {
		m[fmt.Sprint(args[i])] = fmt.Sprint(args[i+1])
	}
	return d.cat.Text(d.lang, key, m)
}

func (d *doc) color(c [3]int) {
	d.SetTextColor(c[0], c[1], c[2])
}

func (d *doc) pageHeader() {
	d.SetFont(family, "", 8.5)
	d.color(greyRGB)
	d.SetXY(margin, margin)
	d.CellFormat(contentW/2, 5, fit(d, d.header, contentW/2), "", 0, "L", false, 0, "")
	d.SetXY(margin+contentW/2, margin)
	d.CellFormat(contentW/2, 5, fit(d, d.asOf, contentW/2), "", 0, "R", false, 0, "")
	d.SetDrawColor(accentRGB[0], accentRGB[1], accentRGB[2])
	d.SetLineWidth(0.5)
	d.Line(margin, margin+6.5, pageW-margin, margin+6.5)
	d.SetXY(margin, contentTop)
	d.color(inkRGB)
}

func (d *doc) pageFooter() {
	y := pageH - margin - 5
	d.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
	d.SetLineWidth(0.2)
	d.Line(margin, y-1.5, pageW-margin, y-1.5)
	d.SetFont(family, "", 8.5)
	d.color(greyRGB)
	d.SetXY(margin, y)
	d.CellFormat(contentW*0.6, 5, fit(d, d.classify, contentW*0.6), "", 0, "L", false, 0, "")
	d.SetXY(margin+contentW*0.6, y)
	d.CellFormat(contentW*0.4, 5, d.T("Page {{.N}} of {{.Total}}", "N", d.PageNo(), "Total", "{nb}"), "", 0, "R", false, 0, "")
	d.color(inkRGB)
}

// fit cuts s to the width w in the current font, ending it with "…".
func fit(d *doc, s string, w float64) string {
	if d.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// section starts a section: below the one before when at least need
// millimetres are left on its page (0: always on a page of its own), else
// on a new page; its title, and a bookmark in the document's outline.
func (d *doc) section(title string, need float64) {
	if need == 0 || d.PageNo() == 0 || d.GetY()+12+need > contentBot {
		d.AddPage()
	} else {
		d.SetY(d.GetY() + 6)
	}
	d.Bookmark(title, 0, -1)
	d.SetFont(family, "", 15)
	d.color(accentRGB)
	d.CellFormat(contentW, 9, title, "", 1, "L", false, 0, "")
	d.color(inkRGB)
	d.Ln(1)
}

// subhead is a heading inside a section; it starts a new page when less
// than need millimetres are left below it.
func (d *doc) subhead(title string, need float64) {
	if d.GetY()+8+need > contentBot {
		d.AddPage()
	}
	d.SetFont(family, "", 11.5)
	d.color(inkRGB)
	d.CellFormat(contentW, 7, title, "", 1, "L", false, 0, "")
}

// para writes wrapped text at a size.
func (d *doc) para(text string, size float64, c [3]int) {
	d.SetFont(family, "", size)
	d.color(c)
	d.MultiCell(contentW, size*pt*1.5, text, "", "L", false)
	d.color(inkRGB)
}

// column is one column of a table: its heading, width (mm) and alignment.
type column struct {
	Head  string
	Width float64
	Align string // "L", "R", "C"
}

// cellColor marks a cell's text in a colour (the zero value: ink).
type cellColor func(row, col int) [3]int

// table writes rows under a heading row, zebra-striped, the heading
// repeated on each page the table runs onto; a cell too long for its
// column is cut with "…".
func (d *doc) table(cols []column, rows [][]string, colorOf cellColor) {
	const rowH, size = 6.2, 8.8
	head := func() {
		d.SetFont(family, "", size)
		d.SetFillColor(accentRGB[0], accentRGB[1], accentRGB[2])
		d.SetTextColor(255, 255, 255)
		x := margin
		for _, c := range cols {
			d.SetXY(x, d.GetY())
			d.CellFormat(c.Width, rowH, fit(d, c.Head, c.Width-1.5), "", 0, align(c.Align), true, 0, "")
			x += c.Width
		}
		d.Ln(rowH)
		d.color(inkRGB)
	}
	head()
	for i, row := range rows {
		if d.GetY()+rowH > contentBot {
			d.AddPage()
			head()
		}
		d.SetFont(family, "", size)
		fill := i%2 == 1
		d.SetFillColor(bandRGB[0], bandRGB[1], bandRGB[2])
		x := margin
		y := d.GetY()
		for j, c := range cols {
			text := ""
			if j < len(row) {
				text = row[j]
			}
			if colorOf != nil {
				if rgb := colorOf(i, j); rgb != ([3]int{}) {
					d.color(rgb)
				}
			}
			d.SetXY(x, y)
			d.CellFormat(c.Width, rowH, fit(d, text, c.Width-1.5), "", 0, align(c.Align), fill, 0, "")
			d.color(inkRGB)
			x += c.Width
		}
		d.Ln(rowH)
	}
	d.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
	d.SetLineWidth(0.2)
	d.Line(margin, d.GetY(), margin+widthOf(cols), d.GetY())
	d.Ln(3)
}

func align(a string) string {
	if a == "" {
		return "L"
	}
	return a + "M"
}

func widthOf(cols []column) float64 {
	w := 0.0
	for _, c := range cols {
		w += c.Width
	}
	return w
}

// scaleColumns stretches the widths to fill the content width.
func scaleColumns(cols []column) []column {
	k := contentW / widthOf(cols)
	for i := range cols {
		cols[i].Width *= k
	}
	return cols
}

// beijing is an instant as the briefing shows it: Beijing time to the minute.
func beijing(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(data.BeijingTime).Format("2006-01-02 15:04")
}

// count is an integer with thousands separated.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// percent is a share as "87.5 %", or "—" for none (negative).
func percent(x float64) string {
	if x < 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}
