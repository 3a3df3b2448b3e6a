package brief

import (
	"context"
	"strconv"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"kapok/app/chart"
	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/redcotton"
)

// readCharts reads the last 24 hours of the first indicators in warn or
// alarm, for their charts.
func (f *facts) readCharts(ctx context.Context, m *mirror.Mirror) error {
	for _, st := range f.Statuses[:min(len(f.Statuses), maxCharts)] {
		end := f.Now
		ms, err := m.IndicatorSeries(ctx, st.Indicator.Code, st.Region, end.Add(-chart.Day.Span()).Truncate(time.Hour), end)
		if err != nil {
			return err
		}
		f.Series = append(f.Series, ms.IndicatorSeries)
		f.Severities = append(f.Severities, st.Severity)
	}
	return nil
}

// chartLang is the charts' language.
func (d *doc) chartLang() chart.Lang {
	if d.lang == msg.Chinese {
		return chart.Chinese
	}
	return chart.English
}

// value is a value with its unit, the unit in English where it has a name.
func (d *doc) value(v float64, unit string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if len(s) > 8 {
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	if unit == "" {
		return s
	}
	if d.lang == msg.English && d.cat.Has(d.lang, "unit."+unit) {
		unit = d.T("unit." + unit)
	}
	return s + " " + unit
}

// indicatorsSection lists the indicators in warn or alarm and charts the
// first of them over the last 24 hours.
func (d *doc) indicatorsSection(f *facts) error {
	d.section(d.T("Indicators in warn or alarm"), 40)
	d.para(d.T("{{.N}} series measured in {{.Region}} and below · {{.Alarms}} in alarm · {{.Warns}} in warn (as evaluated at {{.At}})",
		"N", count(f.Measured), "Region", f.Regions[f.measuredIn()].Name, "Alarms", count(f.AlarmN), "Warns", count(f.StatusN-f.AlarmN), "At", beijing(f.Now)), 9.5, inkRGB)
	d.Ln(2)
	if f.StatusN == 0 {
		d.para(d.T("Every indicator measured in the region is normal."), 9, greyRGB)
		return nil
	}
	cols := scaleColumns([]column{{d.T("Level"), 18, "C"}, {d.T("Indicator"), 70, "L"}, {d.T("Region"), 40, "L"},
		{d.T("Value"), 34, "R"}, {d.T("Thresholds"), 50, "L"}, {d.T("At"), 30, "L"}})
	rows := make([][]string, len(f.Statuses))
	for i, st := range f.Statuses {
		in := st.Indicator
		name := in.NameZh
		if d.lang == msg.English {
			name = in.NameEn
		}
		num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		th := d.value(in.Warn, in.Unit) + " / " + d.value(in.Alarm, in.Unit)
		if in.Threshold == data.ThresholdBaseline {
			th = "×" + num(in.Warn) + " / ×" + num(in.Alarm) + " " + d.T("baseline")
			if st.Baseline > 0 {
				th += " " + d.value(st.Baseline, in.Unit)
			}
		}
		rows[i] = []string{d.T(st.Severity.String()), name, d.place(f, st.Region), d.value(st.Value, in.Unit), th, beijing(st.At)}
	}
	d.table(cols, rows, func(i, j int) [3]int {
		if j == 0 || j == 3 {
			if f.Statuses[i].Severity == data.Alarm {
				return redRGB
			}
			return amberRGB
		}
		return [3]int{}
	})
	if f.StatusN > len(f.Statuses) {
		d.para(d.T("… and {{.N}} more.", "N", count(f.StatusN-len(f.Statuses))), 8.5, greyRGB)
	}
	if len(f.Series) == 0 {
		return nil
	}
	// The charts two in a row, a row on the next page when it does not
	// fit below what came before.
	const h = 72.0
	d.subhead(d.T("The last 24 hours"), h)
	w := (contentW - 6) / 2
	y := d.GetY()
	for i, s := range f.Series {
		if i%2 == 0 && i > 0 {
			y += h + 5
		}
		if i%2 == 0 && y+h > contentBot {
			d.AddPage()
			y = d.GetY()
		}
		x := margin + float64(i%2)*(w+6)
		sev := f.Severities[i]
		spec := chart.Spec{Kind: chart.Day, Lang: d.chartLang(), End: f.Now, Severity: &sev, Width: pixels(w), Height: pixels(h)}
		if err := chart.OnPDF(d.Fpdf, x, y, w, h, pt, func(c vg.CanvasSizer) error {
			return chart.Draw(draw.New(c), s, spec)
		}); err != nil {
			return err
		}
	}
	d.SetY(y + h + 4)
	return nil
}

// dimensionNames and dimensionColors are the index's five dimensions as
// the console's Red Cotton tab names and colours them, the composite last.
var (
	dimensionNames  = []string{"safety", "rule of law", "services", "harmony", "participation", "composite"}
	dimensionColors = chart.DimensionColors
)

// redCottonSection ranks the districts on the index's latest day with the
// five dimensions as bars, the region's district's last 30 days, and its
// streets.
func (d *doc) redCottonSection(f *facts) error {
	rc := f.RedCotton
	d.section(d.T("Red Cotton Index"), 80)
	d.para(d.T("The districts ranked on {{.Day}} (0–100, relative to each other).", "Day", rc.Day), 9.5, inkRGB)
	d.Ln(1)
	cols := []column{{d.T("Rank"), 16, "R"}, {d.T("District"), 44, "L"}, {d.T("Composite"), 26, "R"}}
	for _, n := range dimensionNames[:redcotton.NumDimensions] {
		cols = append(cols, column{d.T(n), 24, "R"})
	}
	cols = scaleColumns(cols)
	rows := make([][]string, len(rc.Rows))
	score := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	highlight := -1
	for i, r := range rc.Rows {
		rows[i] = []string{strconv.Itoa(r.Rank), d.place(f, r.District), score(r.Composite)}
		for _, v := range r.Dimensions {
			rows[i] = append(rows[i], score(v))
		}
		if r.District == rc.District {
			highlight = i
		}
	}
	d.table(cols, rows, func(i, j int) [3]int {
		if i == highlight {
			return accentRGB
		}
		return [3]int{}
	})
	bars := chart.BarChart{Title: d.T("Five dimensions, {{.Day}}", "Day", rc.Day), YLabel: d.T("score"), YMax: 100, Highlight: highlight, Lang: d.chartLang()}
	for k := range redcotton.NumDimensions {
		bars.Series = append(bars.Series, chart.BarSeries{Name: d.T(dimensionNames[k]), Color: dimensionColors[k]})
	}
	for _, r := range rc.Rows {
		bars.Groups = append(bars.Groups, d.shortDistrict(r.Name))
		for k := range bars.Series {
			bars.Series[k].Values = append(bars.Series[k].Values, r.Dimensions[k])
		}
	}
	// Each chart across the page (the districts' names need the width),
	// below what came before when at least 70 mm are left, else on the
	// next page; as tall as the room left, at most 90 mm.
	place := func() (float64, float64) {
		if contentBot-d.GetY() < 70 {
			d.AddPage()
		}
		return d.GetY(), min(90, contentBot-d.GetY()-2)
	}
	y, h := place()
	bars.Width, bars.Height = pixels(contentW), pixels(h)
	if err := chart.OnPDF(d.Fpdf, margin, y, contentW, h, pt, func(c vg.CanvasSizer) error { return chart.DrawBars(draw.New(c), bars) }); err != nil {
		return err
	}
	d.SetY(y + h + 4)
	if len(rc.Trend) > 0 {
		y, h := place()
		if err := d.trendChart(rc, margin, y, contentW, h); err != nil {
			return err
		}
		d.SetY(y + h + 4)
	}
	if len(rc.Streets) > 0 {
		d.subhead(d.T("Streets of {{.District}} ranked on {{.Day}}: {{.N}} scored", "District", d.shortPlace(f.Regions[rc.District]), "Day", rc.Day, "N", rc.StreetN),
			6.2*float64(len(rc.Streets)+1)+4) // the table on one page
		cols := []column{{d.T("Rank"), 18, "R"}, {d.T("Street"), 70, "L"}, {d.T("Composite"), 30, "R"}}
		rows := make([][]string, len(rc.Streets))
		mark := -1
		for i, s := range rc.Streets {
			rows[i] = []string{strconv.Itoa(s.Rank), d.place(f, s.District), score(s.Composite)}
			if rc.Street != nil && s.District == rc.Street.District {
				mark = i
			}
		}
		d.table(cols, rows, func(i, j int) [3]int {
			if i == mark {
				return accentRGB
			}
			return [3]int{}
		})
		d.more(len(rc.Streets), rc.StreetN)
		if rc.Street != nil && mark < 0 {
			d.para(d.T("{{.Street}}: rank {{.Rank}}, composite {{.Score}}.", "Street", d.place(f, rc.Street.District), "Rank", rc.Street.Rank, "Score", score(rc.Street.Composite)), 9, inkRGB)
		}
	}
	return nil
}

// trendChart draws the district's composite and dimensions over the days.
func (d *doc) trendChart(rc *redCottonFacts, x, y, w, h float64) error {
	end, err := mirror.ParseDay(rc.Day)
	if err != nil {
		return err
	}
	end = end.Add(24 * time.Hour)
	name := rc.District
	for _, r := range rc.Rows {
		if r.District == rc.District {
			name = d.shortDistrict(r.Name)
		}
	}
	tc := chart.TrendChart{Title: d.T("Red Cotton Index, {{.District}}, {{.N}} days", "District", name, "N", len(rc.Trend)),
		YLabel: d.T("score"), YMin: 0, YMax: 100, Start: end.AddDate(0, 0, -len(rc.Trend)), End: end, Lang: d.chartLang()}
	lines := make([]chart.TrendLine, redcotton.NumDimensions+1)
	for k := range lines {
		lines[k] = chart.TrendLine{Name: d.T(dimensionNames[k]), Color: dimensionColors[k], Width: 0.9}
	}
	lines[redcotton.NumDimensions].Width = 2.4
	for _, r := range rc.Trend {
		day, err := mirror.ParseDay(r.Day)
		if err != nil {
			continue
		}
		noon := day.Add(12 * time.Hour)
		for k := range redcotton.NumDimensions {
			lines[k].Points = append(lines[k].Points, chart.Point{At: noon, Value: r.Dimensions[k]})
		}
		lines[redcotton.NumDimensions].Points = append(lines[redcotton.NumDimensions].Points, chart.Point{At: noon, Value: r.Composite})
	}
	tc.Lines = lines
	tc.Width, tc.Height = pixels(w), pixels(h)
	return chart.OnPDF(d.Fpdf, x, y, w, h, pt, func(c vg.CanvasSizer) error { return chart.DrawTrend(draw.New(c), tc) })
}

// shortDistrict is a district's name as the bars label it: Chinese, or
// its pinyin in English (as the console's Red Cotton tab).
func (d *doc) shortDistrict(name string) string {
	if d.lang == msg.English {
		return data.RomanName(name)
	}
	return name
}

// pixels is a length on the page in the charts' pixels (1/96 inch).
func pixels(mm float64) int { return int(mm / mmPerInch * 96) }
