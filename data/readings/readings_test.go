package readings

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"kapok/data"
)

var cst = time.FixedZone("", 8*3600)

func want(code, region string, at time.Time, v float64) data.Reading {
	return data.Reading{Indicator: code, Region: region, At: at, Value: v}
}

// same is whether two lists of values are equal, each time the same
// instant at the same offset.
func same(a, b []data.Reading) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		_, oa := a[i].At.Zone()
		_, ob := b[i].At.Zone()
		if a[i].Indicator != b[i].Indicator || a[i].Region != b[i].Region || !a[i].At.Equal(b[i].At) || oa != ob ||
			a[i].Value != b[i].Value {
			return false
		}
	}
	return true
}

// refusedAs checks err is an *data.InputError naming the file, the record
// and saying what.
func refusedAs(t *testing.T, name string, err error, file, record, says string) {
	t.Helper()
	var in *data.InputError
	if !errors.As(err, &in) || in.File != file || in.Record != record || !strings.Contains(in.Reason, says) {
		t.Errorf("%s: %v; want %s: %s: …%s…", name, err, file, record, says)
	}
}

func TestReadCSV(t *testing.T) {
	at := time.Date(2026, 11, 26, 8, 0, 0, 0, cst)
	for _, c := range []struct {
		name, in string
		want     []data.Reading
	}{
		{"plain", "indicator,region,time,value\ntransport-01H,440106,2026-11-26T08:00:00+08:00,12.5\n",
			[]data.Reading{want("transport-01H", "440106", at, 12.5)}},
		{"columns in another order, a BOM, CRLF, spaces, capitals, quotes, blank lines and no final newline",
			"\ufeffValue, TIME ,region,indicator\r\n\r\n 3 ,\"2026-11-26T00:00:00Z\", 4401 ,transport-05H\r\n\n-1.5e2,2026-11-26T08:00:00.250+08:00,440106001,environment-01H",
			[]data.Reading{want("transport-05H", "4401", at.UTC(), 3), want("environment-01H", "440106001", at.Add(250*time.Millisecond), -150)}},
		{"header only", "indicator,region,time,value\n", nil},
	} {
		got, err := ReadCSV("v.csv", strings.NewReader(c.in))
		if err != nil || !same(got, c.want) {
			t.Errorf("%s: %+v %v, want %+v", c.name, got, err, c.want)
		}
	}
	// The time keeps its offset.
	got, _ := ReadCSV("v.csv", strings.NewReader("indicator,region,time,value\na-01H,4401,2026-11-26T08:00:00+08:00,1\n"))
	if _, off := got[0].At.Zone(); off != 8*3600 {
		t.Errorf("offset %d", off)
	}
}

// Every refusal names the file and the record: the N-th data record,
// counted from 1 past the header, blank lines not counted, a quoted field
// over two lines one record.
func TestReadCSVRefusals(t *testing.T) {
	const head = "indicator,region,time,value\n"
	const good = "transport-01H,440106,2026-11-26T08:00:00+08:00,1\n"
	long := strings.Repeat("x", MaxLine)
	for _, c := range []struct {
		name, in, record, says string
	}{
		{"empty", "", "header", "empty file: no header row"},
		{"no value column", "indicator,region,time\n", "header", `no column "value"`},
		{"no indicator column", "region,time,value\n", "header", `no column "indicator"`},
		{"an unknown column", "indicator,region,time,value,unit\n", "header", `column "unit" is not one of indicator, region, time, value`},
		{"a column twice", "indicator,region,time,value,Region\n", "header", `column "region" appears twice`},
		{"malformed header", "indicator,\"region,time,value\n", "header", "malformed CSV on line 1"},
		{"header too long", "indicator,region,time,value," + long + "\n", "header", "longer than 65536 bytes"},
		{"a field short", head + good + "transport-01H,440106,1\n", "record 2", "3 fields where the header has 4"},
		{"a field more", head + "transport-01H,440106,2026-11-26T08:00:00+08:00,1,2\n", "record 1", "5 fields where the header has 4"},
		{"no indicator", head + ",440106,2026-11-26T08:00:00+08:00,1\n", "record 1", "no indicator"},
		{"no region", head + "transport-01H, ,2026-11-26T08:00:00+08:00,1\n", "record 1", "no region"},
		{"no time", head + "transport-01H,440106,,1\n", "record 1", "no time"},
		{"no value", head + "transport-01H,440106,2026-11-26T08:00:00+08:00,\n", "record 1", "no value"},
		{"not a time", head + "transport-01H,440106,2026-11-26 08:00,1\n", "record 1", `time "2026-11-26 08:00" is not an RFC 3339 time`},
		{"a time without its offset", head + "transport-01H,440106,2026-11-26T08:00:00,1\n", "record 1", "not an RFC 3339 time"},
		{"a time out of range", head + "transport-01H,440106,2026-11-31T08:00:00+08:00,1\n", "record 1", "not an RFC 3339 time"},
		{"not a number", head + "transport-01H,440106,2026-11-26T08:00:00+08:00,twelve\n", "record 1", `value "twelve" is not a finite number`},
		{"NaN", head + good + good + "transport-01H,440106,2026-11-26T08:00:00+08:00,NaN\n", "record 3", `value "NaN" is not a finite number`},
		{"Inf", head + "transport-01H,440106,2026-11-26T08:00:00+08:00,Inf\n", "record 1", `value "Inf" is not a finite number`},
		{"-infinity", head + "transport-01H,440106,2026-11-26T08:00:00+08:00,-infinity\n", "record 1", "not a finite number"},
		{"beyond float64", head + "transport-01H,440106,2026-11-26T08:00:00+08:00,1e400\n", "record 1", `value "1e400" is not a finite number`},
		{"a comma for a point", head + "transport-01H,440106,2026-11-26T08:00:00+08:00,\"12,5\"\n", "record 1", `value "12,5" is not a finite number`},
		{"invalid UTF-8", head + "transport-01H,44\xff06,2026-11-26T08:00:00+08:00,1\n", "record 1", "invalid UTF-8 in the region"},
		{"a bare quote", head + good + "transport-01H,44\"0106,2026-11-26T08:00:00+08:00,1\n", "record 2", "malformed CSV on line 3"},
		{"a quote not closed", head + good + "\"transport-01H,440106,2026-11-26T08:00:00+08:00,1\n", "record 2", "malformed CSV"},
		{"a line too long", head + good + "transport-01H," + long + ",2026-11-26T08:00:00+08:00,1\n", "record 2", "a line is longer than 65536 bytes"},
		{"counted past blank lines and a field over two lines", head + "\n" + good + "\n\n\"transport-01H\n\",440106,2026-11-26T08:00:00+08:00,1\n" +
			good + "transport-01H,440106,2026-11-26T08:00:00+08:00,x\n", "record 4", `value "x"`},
		{"a long value clipped", head + "transport-01H,440106,2026-11-26T08:00:00+08:00," + strings.Repeat("9", 60) + "x\n", "record 1", `"9999999999999999999999999999999999999999…" is not`},
	} {
		got, err := ReadCSV("v.csv", strings.NewReader(c.in))
		if got != nil {
			t.Errorf("%s: returned %d values with the refusal", c.name, len(got))
		}
		refusedAs(t, c.name, err, "v.csv", c.record, c.says)
	}
	// A line of MaxLine bytes is taken.
	edge := head + "transport-01H,440106,2026-11-26T08:00:00+08:00," + strings.Repeat("0", MaxLine-len(good)+2) + "\n"
	if got, err := ReadCSV("v.csv", strings.NewReader(edge)); err != nil || len(got) != 1 {
		t.Errorf("a line of MaxLine bytes: %v", err)
	}
}

func TestReadJSONL(t *testing.T) {
	at := time.Date(2026, 11, 26, 8, 0, 0, 0, cst)
	in := "\ufeff{\"indicator\":\"transport-01H\",\"region\":\"440106\",\"time\":\"2026-11-26T08:00:00+08:00\",\"value\":12.5}\r\n" +
		"\n   \n" +
		` { "value" : -3e1 , "time":"2026-11-26T00:00:00Z", "region":"4401", "indicator":"environment-01H" } ` + "\n" +
		`{"indicator":"transport-05H","region":"440106001","time":"2026-11-26T08:00:00+08:00","value":0}`
	got, err := ReadJSONL("v.jsonl", strings.NewReader(in))
	wantList := []data.Reading{want("transport-01H", "440106", at, 12.5), want("environment-01H", "4401", at.UTC(), -30), want("transport-05H", "440106001", at, 0)}
	if err != nil || !same(got, wantList) {
		t.Fatalf("%+v %v", got, err)
	}
	if got, err := ReadJSONL("v.jsonl", strings.NewReader("\n\n")); err != nil || len(got) != 0 {
		t.Fatalf("blank lines only: %+v %v", got, err)
	}
}

func TestReadJSONLRefusals(t *testing.T) {
	const good = `{"indicator":"transport-01H","region":"440106","time":"2026-11-26T08:00:00+08:00","value":1}` + "\n"
	line := func(members string) string { return "{" + members + "}\n" }
	const ir = `"indicator":"transport-01H","region":"440106",`
	const irt = ir + `"time":"2026-11-26T08:00:00+08:00",`
	for _, c := range []struct {
		name, in, record, says string
	}{
		{"malformed", good + `{"indicator":"transport-01H",` + "\n", "record 2", "malformed JSON"},
		{"malformed inside", `{"indicator" "transport-01H"}` + "\n", "record 1", "malformed JSON at byte"},
		{"cut short", `{"indicator":"transport-01H"` + "\n", "record 1", "malformed JSON"},
		{"a key not a string", `{indicator:"transport-01H"}` + "\n", "record 1", "malformed JSON"},
		{"an array", "[1,2]\n", "record 1", "not a JSON object"},
		{"a number", "12.5\n", "record 1", "not a JSON object"},
		{"an unknown member", line(irt + `"value":1,"unit":"km/h"`), "record 1", `unknown member "unit"`},
		{"a member twice", line(irt + `"value":1,"value":2`), "record 1", `member "value" appears twice`},
		{"the value a string", line(irt + `"value":"12.5"`), "record 1", `value "12.5" is not a number`},
		{"the value NaN", line(irt + `"value":"NaN"`), "record 1", `value "NaN" is not a number`},
		{"the value NaN bare", line(irt + `"value":NaN`), "record 1", "malformed JSON"},
		{"the value Infinity bare", line(irt + `"value":Infinity`), "record 1", "malformed JSON"},
		{"the value beyond float64", line(irt + `"value":1e400`), "record 1", `value "1e400" is not a finite number`},
		{"the value null", line(irt + `"value":null`), "record 1", "value is null, not a number"},
		{"the value true", line(irt + `"value":true`), "record 1", "value is true, not a number"},
		{"the value an array", line(irt + `"value":[1]`), "record 1", "value is an array, not a number"},
		{"the indicator a number", line(`"indicator":5,"region":"440106","time":"2026-11-26T08:00:00+08:00","value":1`), "record 1", "indicator is not a string"},
		{"the region an object", line(`"indicator":"transport-01H","region":{"code":"440106"},"time":"2026-11-26T08:00:00+08:00","value":1`), "record 1", "region is an object, not a string"},
		{"no value", line(irt[:len(irt)-1]), "record 1", "no value"},
		{"no time", line(ir + `"value":1`), "record 1", "no time"},
		{"no indicator", line(`"region":"440106","time":"2026-11-26T08:00:00+08:00","value":1`), "record 1", "no indicator"},
		{"an empty region", line(`"indicator":"transport-01H","region":"","time":"2026-11-26T08:00:00+08:00","value":1`), "record 1", "no region"},
		{"not a time", line(ir + `"time":"yesterday","value":1`), "record 1", `time "yesterday" is not an RFC 3339 time`},
		{"a time as a number", line(ir + `"time":1764115200,"value":1`), "record 1", "time is not a string"},
		{"two objects on a line", strings.TrimSuffix(good, "\n") + good, "record 1", "more after the object"},
		{"something after the object", strings.TrimSuffix(good, "\n") + " x\n", "record 1", "malformed JSON"},
		{"counted past blank lines", good + "\n\n" + good + "\n" + line(irt+`"value":"x"`), "record 3", `value "x"`},
		{"a line too long", good + `{"indicator":"` + strings.Repeat("x", MaxLine) + "\"}\n" + good, "record 2", "a line is longer than 65536 bytes"},
	} {
		got, err := ReadJSONL("v.jsonl", strings.NewReader(c.in))
		if got != nil {
			t.Errorf("%s: returned %d values with the refusal", c.name, len(got))
		}
		refusedAs(t, c.name, err, "v.jsonl", c.record, c.says)
	}
	// A line of MaxLine bytes is taken.
	pad := strings.Repeat(" ", MaxLine-len(good)+1)
	if got, err := ReadJSONL("v.jsonl", strings.NewReader(pad+good)); err != nil || len(got) != 1 {
		t.Errorf("a line of MaxLine bytes: %v", err)
	}
}

func TestFormats(t *testing.T) {
	for name, want := range map[string]Format{"a.csv": CSV, "dir.x/A.CSV": CSV, "v.jsonl": JSONL, "v.ndjson": JSONL, "v.json": "", "csv": "", "-": ""} {
		if got, ok := FormatOf(name); got != want || ok != (want != "") {
			t.Errorf("FormatOf(%q) = %q %v", name, got, ok)
		}
	}
	for s, want := range map[string]Format{"csv": CSV, "jsonl": JSONL, "ndjson": JSONL, "JSONL": JSONL, "json": "", "": ""} {
		if got, ok := ParseFormat(s); got != want || ok != (want != "") {
			t.Errorf("ParseFormat(%q) = %q %v", s, got, ok)
		}
	}
	in := map[Format]string{
		CSV:   "indicator,region,time,value\ntransport-01H,440106,2026-11-26T08:00:00+08:00,2\n",
		JSONL: `{"indicator":"transport-01H","region":"440106","time":"2026-11-26T08:00:00+08:00","value":2}`,
	}
	for f, s := range in {
		got, err := Read("v", strings.NewReader(s), f)
		if err != nil || len(got) != 1 || got[0].Value != 2 || math.IsNaN(got[0].Value) {
			t.Errorf("Read %s: %+v %v", f, got, err)
		}
	}
	if _, err := Read("v", strings.NewReader(""), "xml"); err == nil {
		t.Error("an unknown format read")
	}
}

// The line too long is refused past the lines before it, however much
// the reader asks for at once.
func TestLineLimit(t *testing.T) {
	l := &lineLimit{r: strings.NewReader("a\nbc\n" + strings.Repeat("x", MaxLine+1) + "\nd\n")}
	p := make([]byte, 4*MaxLine)
	if n, err := l.Read(p); n != 5 || err != nil || string(p[:n]) != "a\nbc\n" {
		t.Fatalf("first read: %d %v", n, err)
	}
	if n, err := l.Read(p); n != 0 || !errors.Is(err, errLineTooLong) {
		t.Fatalf("second read: %d %v", n, err)
	}
	// A line of MaxLine bytes read in small pieces passes.
	l = &lineLimit{r: strings.NewReader(strings.Repeat("y", MaxLine) + "\n" + strings.Repeat("y", MaxLine))}
	total := 0
	for {
		n, err := l.Read(p[:1000])
		total += n
		if err != nil {
			if err != io.EOF || total != 2*MaxLine+1 {
				t.Fatalf("read %d of %d: %v", total, 2*MaxLine+1, err)
			}
			break
		}
	}
}

// The quick reader takes the common lines and leaves the rest to the slow
// one; what it takes reads the same either way.
func TestPlainRecord(t *testing.T) {
	const irt = `"indicator":"transport-01H","region":"440106","time":"2026-11-26T08:00:00+08:00"`
	for line, quick := range map[string]bool{
		`{` + irt + `,"value":12.5}`:         true,
		` { "value" : -3e1 ,` + irt + ` } `:  true,
		`{` + irt + `,"value":NaN}`:          false, // malformed
		`{` + irt + `,"value":1e400}`:        true,  // refused by both
		`{` + irt + `,"value":"12.5"}`:       false,
		`{` + irt + `,"value":null}`:         false,
		`{` + irt + `,"value":1,"value":2}`:  false,
		`{` + irt + `,"value":1,"unit":"x"}`: false,
		`{` + irt + `}`:                      false,
		`{"indicator":"transport-01H","region":"44\u00301\n06","time":"2026-11-26T08:00:00+08:00","value":1}`: false,
		`{` + irt[:len(irt)-7] + `x","value":1}`: true, // a bad time, refused by both
		`{` + irt + `,"value":1}{}`:              false,
		`[1]`:                                    false,
	} {
		r, ok, err := plainRecord([]byte(line))
		if ok != quick {
			t.Errorf("%s: quick %v", line, ok)
		}
		if !ok {
			continue
		}
		slow, serr := jsonRecord([]byte(line))
		if fmt.Sprint(err) != fmt.Sprint(serr) || err == nil && !same([]data.Reading{r}, []data.Reading{slow}) {
			t.Errorf("%s: quickly %+v %v, slowly %+v %v", line, r, err, slow, serr)
		}
	}
}
