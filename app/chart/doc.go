// Package chart draws an indicator's values (issue 11): a sparkline for a
// list (the last 24 hours, no axes, the line and its last value in the
// colour of the severity), a 24-hour and a 30-day line chart (the value's
// unit up the y axis, Beijing time along the x axis, the warn and alarm
// thresholds as shaded bands, the indicator's name as the title, in
// Chinese or English).
//
// It is headless — gonum.org/v1/plot with its vg back ends, never Fyne —
// so the console, the command line (kapok chart) and the PDF briefings draw
// the same charts. Functions take plain data: the points, the
// data.Indicator, a size and a language; no SQL. Output is an image.Image
// or PNG, SVG or PDF. Text is set in the bundled CJK font
// (assets/fonts/kapok-cjk.ttf), registered with gonum/plot's font cache;
// PDF goes through a small canvas of this package over fpdf's UTF-8 fonts,
// because gonum/plot's own PDF canvas encodes text in code page 1252 and
// cannot write Chinese (see pdf.go).
//
// Bands. An absolute indicator's thresholds are values: the warn band lies
// between the warn and the alarm threshold, the alarm band beyond the alarm
// threshold to the edge of the plot (up for lower-better indicators, down
// for higher-better ones). A baseline indicator's thresholds are ratios to
// the baseline (the mean of the same hour on the seven days before), so its
// bands follow the baseline: warn between Warn×baseline and Alarm×baseline,
// alarm beyond Alarm×baseline, stepping hour by hour as the evaluation
// judges a value by its hour's baseline, with the baseline itself drawn as
// a dashed line; where there is no baseline (fewer than three of the seven
// days have a value) there is no band. The y axis takes in the values and
// both thresholds (or, for a baseline indicator, the bands' edges where
// the baseline exists), so that how far a value is from a threshold can be
// read off the chart.
//
// The 30-day chart draws the hourly series — the values averaged per hour
// (the minute values of an hour make one point), which is what the
// thresholds judge — as a thin line, and each Beijing day's mean of those
// hours as a thicker line through the middle of the hours it covers, for the
// trend.
//
// Words. Titles come from the indicator's NameZh or NameEn and the region's
// name (or pinyin); the few axis words and English unit names are a small
// fixed table here (words.go), not the console's translation files.
package chart
