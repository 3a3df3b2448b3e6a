package brief

import (
	"strings"
	"time"

	"kapok/app/msg"
	"kapok/data"
)

// regionName is a region as the briefing names it: its Chinese name, and
// in English its pinyin before it ("Tianhe (天河区)"), so the Chinese name
// is there to find in either language.
func (d *doc) regionName(r data.RegionSummary) string {
	if d.lang == msg.Chinese {
		return r.Name
	}
	return englishName(r) + " (" + r.Name + ")"
}

// place names a region in a table: its Chinese name, and in English its
// pinyin before it ("Wushan 五山街道").
func (d *doc) place(f *facts, code string) string {
	r, ok := f.Regions[code]
	if !ok || d.lang == msg.Chinese {
		return r.Name
	}
	return englishName(r) + " " + r.Name
}

// shortPlace is a region's name alone: Chinese, or in English its pinyin.
func (d *doc) shortPlace(r data.RegionSummary) string {
	if d.lang == msg.Chinese {
		return r.Name
	}
	return englishName(r)
}

// englishName is a region's proper name in pinyin, a community's with its
// kind in English ("大源村委会" → "Dayuan Village").
func englishName(r data.RegionSummary) string {
	if r.Level != data.LevelCommunity {
		return data.RomanName(r.Name)
	}
	short := data.ShortName(r.Name)
	for _, k := range []struct{ zh, en string }{{"村", " Village"}, {"社区", " Community"}} {
		if base := strings.TrimSuffix(short, k.zh); base != short && base != "" {
			return data.RomanName(base) + k.en
		}
	}
	return data.RomanName(short)
}

// title is the briefing's title: 天河区态势简报, "Tianhe (天河区) situation briefing".
func (d *doc) title(r data.RegionSummary) string {
	return d.T("{{.Region}} situation briefing", "Region", d.regionName(r))
}

// age is how long ago, in the clock's words.
func (d *doc) age(since time.Duration) string {
	if since < time.Minute {
		return d.T("just now")
	}
	return d.T("{{.D}} ago", "D", d.cat.Span(d.lang, since))
}

// cover writes the first page: what, where, as of when and how fresh, by
// whom, the classification, the signing key, the key figures and what
// follows.
func (d *doc) cover(f *facts, user, fingerprint string, made time.Time, sections []string) {
	d.AddPage()
	d.Bookmark(d.T("Cover"), 0, -1)
	d.SetY(contentTop + 8)
	d.SetFont(family, "", 26)
	d.color(accentRGB)
	d.MultiCell(contentW, 12, d.title(f.Region), "", "L", false)
	d.Ln(2)
	d.SetFont(family, "", 11)
	d.color(greyRGB)
	path := ""
	for i, r := range f.Path {
		if i > 0 {
			path += " / "
		}
		path += r.Name
	}
	d.MultiCell(contentW, 6, path+"  ("+f.Region.Code+")", "", "L", false)
	d.Ln(4)
	d.SetDrawColor(accentRGB[0], accentRGB[1], accentRGB[2])
	d.SetLineWidth(0.8)
	d.Line(margin, d.GetY(), margin+60, d.GetY())
	d.Ln(5)
	if f.Replay {
		d.replayBand(f)
	}

	fresh := d.T("no feed or sync recorded")
	if !f.Fresh.LastFeed.IsZero() {
		fresh = d.T("last feed {{.At}}, {{.Age}}", "At", beijing(f.Fresh.LastFeed), "Age", d.age(f.Now.Sub(f.Fresh.LastFeed)))
	}
	var rows [][2]string
	if f.Replay {
		rows = append(rows, [2]string{d.T("As of"), d.T("{{.At}} (Beijing time)", "At", beijing(f.Now))})
	}
	rows = append(rows, [][2]string{
		{d.T("Data as of"), d.T("{{.At}} (Beijing time)", "At", beijing(f.Fresh.Latest))},
		{d.T("Freshness"), fresh},
		{d.T("Prepared by"), user},
		{d.T("Prepared at"), d.T("{{.At}} (Beijing time)", "At", beijing(made))},
		{d.T("Classification"), d.classify},
		{d.T("Signing key"), fingerprint},
	}...)
	for _, r := range rows {
		d.SetFont(family, "", 10)
		d.color(greyRGB)
		d.CellFormat(38, 6.5, r[0], "", 0, "L", false, 0, "")
		d.color(inkRGB)
		d.SetFont(family, "", 10.5)
		d.CellFormat(contentW-38, 6.5, fit(d, r[1], contentW-40), "", 1, "L", false, 0, "")
	}
	d.Ln(5)
	d.keyFigures(f)
	d.Ln(4)
	d.SetFont(family, "", 10)
	d.color(greyRGB)
	d.CellFormat(contentW, 6, d.T("Contents"), "", 1, "L", false, 0, "")
	d.color(inkRGB)
	for i, s := range sections {
		d.CellFormat(contentW, 5.5, d.T("{{.N}}. {{.Section}}", "N", i+1, "Section", s), "", 1, "L", false, 0, "")
	}
}

// keyFigures is a row of boxes with the numbers a meeting asks first.
func (d *doc) keyFigures(f *facts) {
	type fig struct {
		label, value string
		alert        bool
	}
	figs := []fig{
		{d.T("Open cases"), count(f.Counts.All), false},
		{d.T("Overdue"), count(f.Counts.Overdue), f.Counts.Overdue > 0},
		{d.T("Yellow cards"), count(f.Counts.Warning), false},
		{d.T("Units available"), count(f.Total.UnitsAvailable), false},
		{d.T("Units dispatched"), count(f.Total.UnitsDispatched), false},
	}
	if f.Measured > 0 {
		figs = append(figs, fig{d.T("Indicators in alarm / warn"), count(f.AlarmN) + " / " + count(f.StatusN-f.AlarmN), f.AlarmN > 0})
	}
	if f.Centers > 0 {
		figs = append(figs, fig{d.T("Unstaffed centers"), count(f.DutyN), f.DutyN > 0})
	}
	w := contentW / float64(len(figs))
	y := d.GetY()
	for i, g := range figs {
		x := margin + float64(i)*w
		d.SetFillColor(bandRGB[0], bandRGB[1], bandRGB[2])
		d.Rect(x+1, y, w-2, 21, "F")
		d.SetXY(x+1, y+2)
		d.SetFont(family, "", 17)
		if g.alert {
			d.color(redRGB)
		}
		d.CellFormat(w-2, 9, g.value, "", 0, "CM", false, 0, "")
		d.color(greyRGB)
		d.SetFont(family, "", 8.5)
		d.SetXY(x+1, y+12.5)
		d.CellFormat(w-2, 5, fit(d, g.label, w-3), "", 0, "CM", false, 0, "")
		d.color(inkRGB)
	}
	d.SetY(y + 23)
}

// replayLine is what marks a replay at the top of every page: 回放, and
// the moment.
func (d *doc) replayLine(f *facts) string {
	return d.T("Replay (回放): the city as it stood at {{.At}} (Beijing time)", "At", beijing(f.Now))
}

// replayBand marks the cover of a replay: a band saying so, the journal's
// fault when its chain does not hold, and what the replay leaves out.
func (d *doc) replayBand(f *facts) {
	d.SetFillColor(amberRGB[0], amberRGB[1], amberRGB[2])
	d.SetTextColor(255, 255, 255)
	d.SetFont(family, "", 12)
	d.CellFormat(contentW, 8, "  "+fit(d, d.replayLine(f), contentW-4), "", 1, "LM", true, 0, "")
	d.Ln(0.5)
	d.SetFont(family, "", 8.5)
	d.color(greyRGB)
	said := []string{d.T("Made from the cases' steps, the units' holds and the journal as they stood then; not the city now."),
		d.T("Left out, not kept for past moments: on-time rates, centers on duty (each said where it would be).")}
	if f.Innovation != nil {
		said = append(said, d.T("Innovation projects: the contest's ranking is left out; what cannot be told as it stood then is said in the section."))
	}
	d.MultiCell(contentW, 4.2, d.sentences(said...), "", "L", false)
	if f.Broken != nil {
		d.Ln(1)
		d.SetFont(family, "", 10)
		d.color(redRGB)
		d.MultiCell(contentW, 5, d.T("Warning: the journal's chain does not hold, so the orders' history may be wrong: {{.Refusal}}",
			"Refusal", d.cat.Refusal(d.lang, f.Broken)), "", "L", false)
	}
	d.color(inkRGB)
	d.Ln(3)
}

// sentences joins sentences into a paragraph: with a space in English,
// none in Chinese (whose full stops need none; and fpdf's wrapping drops
// the character after a space it breaks a CJK line at).
func (d *doc) sentences(s ...string) string {
	if d.lang == msg.Chinese {
		return strings.Join(s, "")
	}
	return strings.Join(s, " ")
}
