package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"kapok/app/msg"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/readings"
)

// The monitoring subcommands (issue 11): feed indicator values, list the
// indicators as they stand and show one, list and acknowledge alerts.
// Listing evaluates first, at the commands' clock (caseNow), so what is
// listed is as of now.

// stdin is what `kapok feed -` reads (tests give their own).
var stdin io.Reader = os.Stdin

func feedCmd(args []string, out io.Writer) error {
	fs := flags("feed", "feed --mirror FILE [--user LOGIN] [--format csv|jsonl] FILE|-\n\n"+
		"Feeds indicator values (CSV with the columns indicator,region,time,value, or JSON Lines of objects with those members;\n"+
		"- reads standard input) in one transaction, evaluates every indicator and says what alerts opened and cleared.\n"+
		"A bad record refuses the whole file, named by its number (from 1, the data records: no header, no blank lines)", out)
	path := mirrorFlag(fs)
	user := userFlag(fs, "feeding them")
	format := fs.String("format", "", "csv or jsonl (default: by the file's extension, .csv, .jsonl or .ndjson; required for -)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return misuse("give one file of values (or - for standard input)")
	}
	name := fs.Arg(0)
	f, ok := readings.FormatOf(name)
	if *format != "" {
		if f, ok = readings.ParseFormat(*format); !ok {
			return misuse("--format is csv or jsonl")
		}
	}
	if !ok {
		return misuse("cannot tell the format of %q by its extension: give --format csv or jsonl", name)
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		in, source := stdin, "stdin"
		if name != "-" {
			file, err := os.Open(name)
			if err != nil {
				return err
			}
			defer func() { _ = file.Close() }()
			in, source = file, name
		}
		rs, err := readings.Read(source, in, f)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			fmt.Fprintf(out, "no values in %s: nothing fed\n", source)
			return nil
		}
		res, err := m.Feed(ctx, source, rs, *user, caseNow())
		if err != nil {
			return err
		}
		e := res.Evaluation
		fmt.Fprintf(out, "%d %s fed; evaluated %d series: %d %s opened, %d cleared\n", res.Values, plural(int64(res.Values), "value", "values"),
			e.Series, e.Opened, plural(int64(e.Opened), "alert", "alerts"), e.Cleared)
		return nil
	})
}

// indicatorsCmd and alertsCmd run their subcommands.
var (
	indicatorsCmd = commandGroup("indicators", []string{"list", "show"}, indicatorsList, indicatorsShow)
	alertsCmd     = commandGroup("alerts", []string{"list", "ack"}, alertsList, alertsAck)
)

// commandGroup is a command of subcommands (`alerts list`): run[i] runs
// the one named names[i].
func commandGroup(group string, names []string, run ...command) command {
	return func(args []string, out io.Writer) error {
		sub, err := subcommand(group, args, names, out)
		if err != nil {
			return err
		}
		return run[slices.Index(names, sub)](args[1:], out)
	}
}

func indicatorsList(args []string, out io.Writer) error {
	fs := flags("indicators list", "indicators list --mirror FILE [--category C] [--state warn|alarm] [--region CODE] [--format table|json]\n\n"+
		"Evaluates every indicator now, then lists how they stand in one region: alarms first, then warnings, then by code", out)
	path := mirrorFlag(fs)
	var f data.IndicatorFilter
	fs.StringVar(&f.Category, "category", "", "only this category: "+strings.Join(data.IndicatorCategories, ", "))
	state := fs.String("state", "", "warn (warn and alarm) or alarm (alarm only); default: all")
	fs.StringVar(&f.Region, "region", "", "the city, a district or a street (default: the city)")
	format := fs.String("format", "table", "table or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	if f.Category != "" && !slices.Contains(data.IndicatorCategories, f.Category) {
		return misuse("--category is one of %s", strings.Join(data.IndicatorCategories, ", "))
	}
	if *state != "" {
		sev, ok := data.ParseSeverity(*state)
		if !ok || sev == data.Normal {
			return misuse("--state is warn or alarm")
		}
		f.AtLeast = sev
	}
	if err := checkTableOrJSON(*format); err != nil {
		return err
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		if err := evaluateNow(ctx, m, f.Region, true); err != nil {
			return err
		}
		list, err := m.IndicatorStatuses(ctx, f)
		if err != nil {
			return err
		}
		slices.SortStableFunc(list, func(a, b data.IndicatorStatus) int {
			if a.Severity != b.Severity {
				return int(b.Severity) - int(a.Severity)
			}
			return strings.Compare(a.Indicator.Code, b.Indicator.Code)
		})
		if *format == "json" {
			return writeJSONLines(out, len(list), func(i int) any { return statusJSON(list[i]) })
		}
		zh := msg.FromEnv() == msg.Chinese
		records := make([][]string, len(list))
		for i, st := range list {
			records[i] = []string{st.Indicator.Code, indicatorName(st.Indicator, zh), st.Region, withUnit(st.Value, st.Indicator.Unit),
				baselineText(st), st.Severity.String(), beijingMinute(st.At)}
		}
		return writeRecords(out, "table", []string{"code", "name", "region", "value", "baseline", "severity", "time (Beijing)"}, records)
	})
}

// evaluateNow checks a --region (empty: none; with measured, only the
// city, a district or a street, where indicators are measured), then
// evaluates every indicator at the commands' clock.
func evaluateNow(ctx context.Context, m *mirror.Mirror, region string, measured bool) error {
	if region != "" {
		if l, ok := data.LevelOfCode(region); measured && (ok && l > data.LevelStreet || data.IsGridCode(region)) {
			return misuse("--region %s: indicators are measured for the city, its districts and streets", region)
		}
		if _, err := m.RegionBound(ctx, region); err != nil { // refuses a code that is not a region's, or no region's
			return err
		}
	}
	_, err := m.EvaluateIndicators(ctx, caseNow())
	return err
}

// checkTableOrJSON checks a --format of table or json.
func checkTableOrJSON(format string) error {
	if format != "table" && format != "json" {
		return misuse("--format is table or json")
	}
	return nil
}

func indicatorsShow(args []string, out io.Writer) error {
	fs := flags("indicators show", "indicators show --mirror FILE --indicator CODE [--region CODE]\n\n"+
		"Shows an indicator's definition and, evaluated now, how it stands in the region", out)
	path := mirrorFlag(fs)
	code := fs.String("indicator", "", "the indicator's code (e.g. environment-01H; kapok indicators list shows them)")
	region := fs.String("region", "", "the city, a district or a street (default: the city)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *code == "" || fs.NArg() > 0 {
		return misuse("--indicator is required")
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		defs, err := m.IndicatorDefs(ctx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(defs, func(d data.Indicator) bool { return d.Code == *code })
		if i < 0 {
			return misuse("no indicator %q: kapok indicators list shows the codes", *code)
		}
		d := defs[i]
		if err := evaluateNow(ctx, m, *region, true); err != nil {
			return err
		}
		status, err := m.IndicatorStatuses(ctx, data.IndicatorFilter{Indicator: d.Code, Region: *region})
		if err != nil {
			return err
		}
		alerts, err := m.Alerts(ctx, data.AlertFilter{Indicator: d.Code, Region: *region, OpenOnly: true})
		if err != nil {
			return err
		}
		return printIndicator(out, d, *region, status, alerts)
	})
}

// printIndicator is an indicator's definition, then how it stands in the
// region (the city when region is empty) and its open alert.
func printIndicator(out io.Writer, d data.Indicator, region string, status []data.IndicatorStatus, alerts []data.Alert) error {
	better := "higher is better"
	if d.Direction == data.LowerBetter {
		better = "lower is better"
	}
	fmt.Fprintf(out, "indicator   %s %s / %s\ncategory    %s\nunit        %s\ndirection   %s (%s)\n", d.Code, d.NameZh, d.NameEn, d.Category, d.Unit, d.Direction, better)
	if d.Threshold == data.ThresholdBaseline {
		fmt.Fprintf(out, "thresholds  baseline: warn at %s×, alarm at %s× the region's mean at the same hour over the 7 days before (%d of them at least)\n",
			figure(d.Warn), figure(d.Alarm), mirror.MinBaselineDays)
		fmt.Fprintf(out, "hysteresis  %s (of the ratio)\n", figure(d.Hysteresis))
	} else {
		fmt.Fprintf(out, "thresholds  absolute: warn at %s, alarm at %s\nhysteresis  %s\n", withUnit(d.Warn, d.Unit), withUnit(d.Alarm, d.Unit), withUnit(d.Hysteresis, d.Unit))
	}
	rollup := "the sum of its districts'"
	if d.Rollup == data.RollupMean {
		rollup = "the mean of its districts'"
	}
	fmt.Fprintf(out, "rollup      %s (the city's value, unless fed: %s)\nrefresh     %s\nsource      %s\n", d.Rollup, rollup, shortDuration(d.Refresh), d.Source)
	if len(status) == 0 {
		where := region
		if where == "" {
			where = "the city"
		}
		fmt.Fprintf(out, "status      no value in %s yet\n", where)
		return nil
	}
	st := status[0]
	fmt.Fprintf(out, "region      %s\nvalue       %s at %s (Beijing)\n", st.Region, withUnit(st.Value, d.Unit), beijingMinute(st.At))
	if d.Threshold == data.ThresholdBaseline {
		fmt.Fprintf(out, "baseline    %s\n", baselineText(st))
	}
	fmt.Fprintf(out, "severity    %s\n", st.Severity)
	for _, a := range alerts {
		if a.Region != st.Region {
			continue // the region's streets: Alerts picks by prefix
		}
		acked := "not acknowledged"
		if !a.AckedAt.IsZero() {
			acked = fmt.Sprintf("acknowledged by %s at %s", a.AckedBy, beijingMinute(a.AckedAt))
		}
		fmt.Fprintf(out, "alert       %s %s since %s (at %s), %s\n", a.UID, a.Severity, beijingMinute(a.OpenedAt), withUnit(a.OpenedValue, d.Unit), acked)
	}
	return nil
}

func alertsList(args []string, out io.Writer) error {
	fs := flags("alerts list", "alerts list --mirror FILE [--open] [--unacked] [--severity warn|alarm] [--region CODE] [--category C] [--indicator CODE] "+
		"[--limit N] [--format table|json]\n\n"+
		"Evaluates every indicator now, then lists the alerts, the latest opened first", out)
	path := mirrorFlag(fs)
	var f data.AlertFilter
	fs.BoolVar(&f.OpenOnly, "open", false, "only alerts not cleared")
	fs.BoolVar(&f.Unacked, "unacked", false, "only alerts not acknowledged")
	severity := fs.String("severity", "", "warn or alarm (default: both)")
	fs.StringVar(&f.Region, "region", "", "a region's code: its alerts and those of the regions in it")
	fs.StringVar(&f.Category, "category", "", "only indicators of this category")
	fs.StringVar(&f.Indicator, "indicator", "", "only this indicator")
	fs.IntVar(&f.Limit, "limit", 0, "at most this many (0: all)")
	format := fs.String("format", "table", "table or json (JSON: one object per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	if *severity != "" {
		sev, ok := data.ParseSeverity(*severity)
		if !ok || sev == data.Normal {
			return misuse("--severity is warn or alarm")
		}
		f.Severity = sev
	}
	if f.Limit < 0 {
		return misuse("--limit cannot be negative")
	}
	if err := checkTableOrJSON(*format); err != nil {
		return err
	}
	return onMirror(*path, func(ctx context.Context, m *mirror.Mirror) error {
		if err := evaluateNow(ctx, m, f.Region, false); err != nil {
			return err
		}
		list, err := m.Alerts(ctx, f)
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSONLines(out, len(list), func(i int) any { return alertJSON(list[i]) })
		}
		zh := msg.FromEnv() == msg.Chinese
		records := make([][]string, len(list))
		for i, a := range list {
			cleared, ackedBy, ackedAt, toAck := "open", "", "", ""
			if !a.Open() {
				cleared = beijingMinute(a.ClearedAt)
			}
			if !a.AckedAt.IsZero() {
				ackedBy, ackedAt, toAck = a.AckedBy, beijingMinute(a.AckedAt), span(a.TimeToAck())
			}
			records[i] = []string{a.UID, beijingMinute(a.OpenedAt), a.Severity.String(), a.Indicator.Code, indicatorName(a.Indicator, zh), a.Region,
				withUnit(a.OpenedValue, a.Indicator.Unit), cleared, ackedBy, ackedAt, toAck}
		}
		return writeRecords(out, "table", []string{"alert", "opened (Beijing)", "severity", "indicator", "name", "region", "value",
			"cleared", "acked by", "acked at", "to ack"}, records)
	})
}

func alertsAck(args []string, out io.Writer) error {
	fs := flags("alerts ack", "alerts ack --mirror FILE --alert UID [--user LOGIN]", out)
	path := mirrorFlag(fs)
	uid := fs.String("alert", "", "the alert's key, or its first characters (8 or more) if no other alert begins with them")
	user := userFlag(fs, "acknowledging it (the alert's region must be in their jurisdiction)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *uid == "" || fs.NArg() > 0 {
		return misuse("--alert is required")
	}
	return onMirrorAs(*path, *user, func(ctx context.Context, m *mirror.Mirror) error {
		a, err := m.AckAlert(ctx, *uid, *user, caseNow())
		if err == nil {
			fmt.Fprintf(out, "%s acknowledged by %s, %s after it opened (%s %s in %s)\n", a.UID, a.AckedBy, span(a.TimeToAck()),
				a.Severity, a.Indicator.Code, a.Region)
		}
		return err
	})
}

// indicatorName is an indicator's name in the language of the locale.
func indicatorName(d data.Indicator, zh bool) string {
	if zh {
		return d.NameZh
	}
	return d.NameEn
}

// figure is a value as a table shows it: two decimals at most.
func figure(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// withUnit is a value with its unit ("12.5 km/h", "89%").
func withUnit(v float64, unit string) string {
	if unit == "%" {
		return figure(v) + "%"
	}
	return figure(v) + " " + unit
}

// baselineText is a status's baseline with the value's ratio to it, for a
// baseline indicator ("-" otherwise, and while there is none).
func baselineText(st data.IndicatorStatus) string {
	if st.Indicator.Threshold != data.ThresholdBaseline {
		return "-"
	}
	if st.Baseline <= 0 {
		return "none yet"
	}
	return fmt.Sprintf("%s (×%s)", withUnit(st.Baseline, st.Indicator.Unit), figure(st.Value/st.Baseline))
}

// shortDuration is a duration without its zero minutes and seconds
// ("1h", "1m", "1h30m").
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// beijingMinute is an instant as the tables show it, in Beijing time.
func beijingMinute(t time.Time) string { return t.In(data.BeijingTime).Format("2006-01-02 15:04") }

// writeJSONLines writes n objects, one a line.
func writeJSONLines(out io.Writer, n int, object func(i int) any) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for i := range n {
		if err := enc.Encode(object(i)); err != nil {
			return err
		}
	}
	return nil
}

// statusJSON is an indicator's status as `indicators list --format json`
// writes it.
func statusJSON(st data.IndicatorStatus) any {
	var baseline, ratio *float64
	if st.Indicator.Threshold == data.ThresholdBaseline && st.Baseline > 0 {
		r := st.Value / st.Baseline
		baseline, ratio = &st.Baseline, &r
	}
	return struct {
		Code     string   `json:"code"`
		NameZh   string   `json:"name_zh"`
		NameEn   string   `json:"name_en"`
		Category string   `json:"category"`
		Region   string   `json:"region"`
		Value    float64  `json:"value"`
		Unit     string   `json:"unit"`
		Baseline *float64 `json:"baseline"`
		Ratio    *float64 `json:"ratio"`
		Severity string   `json:"severity"`
		At       string   `json:"at"`
	}{st.Indicator.Code, st.Indicator.NameZh, st.Indicator.NameEn, st.Indicator.Category, st.Region, st.Value, st.Indicator.Unit,
		baseline, ratio, st.Severity.String(), beijingRFC3339(st.At)}
}

// alertJSON is an alert as `alerts list --format json` writes it.
func alertJSON(a data.Alert) any {
	var cleared, ackedAt *string
	var toAck *int64
	if !a.Open() {
		s := beijingRFC3339(a.ClearedAt)
		cleared = &s
	}
	if !a.AckedAt.IsZero() {
		s, secs := beijingRFC3339(a.AckedAt), int64(a.TimeToAck()/time.Second)
		ackedAt, toAck = &s, &secs
	}
	return struct {
		UID       string  `json:"alert"`
		Opened    string  `json:"opened"`
		Severity  string  `json:"severity"`
		Indicator string  `json:"indicator"`
		NameZh    string  `json:"name_zh"`
		NameEn    string  `json:"name_en"`
		Region    string  `json:"region"`
		Value     float64 `json:"value"`
		Unit      string  `json:"unit"`
		Cleared   *string `json:"cleared"`
		AckedBy   string  `json:"acked_by,omitempty"`
		AckedAt   *string `json:"acked_at"`
		ToAck     *int64  `json:"seconds_to_ack"`
	}{a.UID, beijingRFC3339(a.OpenedAt), a.Severity.String(), a.Indicator.Code, a.Indicator.NameZh, a.Indicator.NameEn, a.Region,
		a.OpenedValue, a.Indicator.Unit, cleared, a.AckedBy, ackedAt, toAck}
}
