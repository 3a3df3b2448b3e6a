// Package readings reads indicator values for `kapok feed` — one value of
// an indicator in a region at an instant a record — from CSV or JSON Lines
// into []data.Reading, refusing the first bad record with a
// *data.InputError naming the file and the record.
//
// Records are numbered from 1 in the order they are read, counting data
// records only: a CSV file's header and blank lines, and JSON Lines' blank
// lines, are not records. So "record N" is the N-th value of the file, and
// the N-th reading of the slice returned — the number
// (*mirror.Mirror).Feed names when it refuses a value of the slice — and
// not a line number (a CSV field in quotes may span lines).
//
// CSV has a header row naming the columns indicator, region, time and value
// in any order (a byte-order mark before it is tolerated; another column is
// refused); JSON Lines has one object a line,
//
//	{"indicator":"transport-01H","region":"440106","time":"2026-11-26T08:00:00+08:00","value":12.5}
//
// with those four members and no other. Times are RFC 3339 with their
// offset; values are finite numbers (NaN and Inf, as text, are refused).
// Whether the indicator and the region exist, and the time is not in the
// future, is the mirror's to say.
package readings

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"kapok/data"
)

// Format is the form of a file of values.
type Format string

// Formats.
const (
	CSV   Format = "csv"
	JSONL Format = "jsonl"
)

// MaxLine is the longest line either reader takes: a longer one is
// refused rather than read into memory whole.
const MaxLine = 64 << 10

// Columns are the fields of a record: CSV's header and JSON's members.
var Columns = []string{"indicator", "region", "time", "value"}

// ParseFormat reads a --format flag: csv or jsonl (ndjson is the same).
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(s) {
	case "csv":
		return CSV, true
	case "jsonl", "ndjson":
		return JSONL, true
	}
	return "", false
}

// FormatOf is the format a file name's extension says: .csv, .jsonl or
// .ndjson (in any case).
func FormatOf(name string) (Format, bool) {
	ext := strings.TrimPrefix(filepath.Ext(name), ".")
	if ext == "" {
		return "", false
	}
	return ParseFormat(ext)
}

// Read reads values in format f from r; file names r in refusals.
func Read(file string, r io.Reader, f Format) ([]data.Reading, error) {
	switch f {
	case CSV:
		return ReadCSV(file, r)
	case JSONL:
		return ReadJSONL(file, r)
	}
	return nil, fmt.Errorf("readings: unknown format %q", f)
}

// errLineTooLong is a line past MaxLine.
var errLineTooLong = fmt.Errorf("a line is longer than %d bytes", MaxLine)

// refuse is the refusal of record n of file.
func refuse(file string, n int, format string, a ...any) error {
	return &data.InputError{File: file, Record: fmt.Sprintf("record %d", n), Reason: fmt.Sprintf(format, a...)}
}

// ReadCSV reads values from CSV with a header row (see the package
// comment).
func ReadCSV(file string, r io.Reader) ([]data.Reading, error) {
	cr := csv.NewReader(&lineLimit{r: skipBOM(r)})
	cr.FieldsPerRecord = -1 // checked here, to say which record is short
	cr.ReuseRecord = true
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, &data.InputError{File: file, Record: "header", Reason: "empty file: no header row (" + strings.Join(Columns, ",") + ")"}
	case err != nil:
		return nil, &data.InputError{File: file, Record: "header", Reason: csvReason(err)}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, &data.InputError{File: file, Record: "header", Reason: fmt.Sprintf("column %q appears twice", clip(h))}
		}
		if !known(h) {
			return nil, &data.InputError{File: file, Record: "header", Reason: fmt.Sprintf("column %q is not one of %s", clip(h), strings.Join(Columns, ", "))}
		}
		col[h] = i
	}
	for _, c := range Columns {
		if _, ok := col[c]; !ok {
			return nil, &data.InputError{File: file, Record: "header", Reason: fmt.Sprintf("no column %q", c)}
		}
	}
	width := len(header)
	var out []data.Reading
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, refuse(file, n, "%s", csvReason(err))
		}
		if len(rec) != width {
			return nil, refuse(file, n, "%d fields where the header has %d", len(rec), width)
		}
		field := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		v, err := number(field("value"))
		if err != nil {
			return nil, refuse(file, n, "%v", err)
		}
		rd, err := reading(field("indicator"), field("region"), field("time"), v)
		if err != nil {
			return nil, refuse(file, n, "%v", err)
		}
		out = append(out, rd)
	}
}

func known(c string) bool {
	for _, k := range Columns {
		if c == k {
			return true
		}
	}
	return false
}

// csvReason is a CSV reader's error as a reason.
func csvReason(err error) string {
	if errors.Is(err, errLineTooLong) {
		return errLineTooLong.Error()
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("malformed CSV on line %d: %v", pe.Line, pe.Err)
	}
	return err.Error()
}

// number reads a value: a finite number.
func number(s string) (float64, error) {
	if s == "" {
		return 0, errors.New("no value")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("value %q is not a finite number", clip(s))
	}
	return v, nil
}

// reading checks and puts together one record's fields.
func reading(indicator, region, at string, v float64) (data.Reading, error) {
	for _, f := range []struct{ name, v string }{{"indicator", indicator}, {"region", region}, {"time", at}} {
		if f.v == "" {
			return data.Reading{}, fmt.Errorf("no %s", f.name)
		}
		if !utf8.ValidString(f.v) {
			return data.Reading{}, fmt.Errorf("invalid UTF-8 in the %s", f.name)
		}
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return data.Reading{}, fmt.Errorf("time %q is not an RFC 3339 time with its offset (e.g. 2026-11-26T08:00:00+08:00)", clip(at))
	}
	return data.Reading{Indicator: indicator, Region: region, At: t, Value: v}, nil
}

// clip shortens a value quoted in a reason.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// skipBOM is r without the UTF-8 byte-order mark it may begin with.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	return br
}

// lineLimit fails a read once a line passes MaxLine bytes (its newline
// not counted); the lines before it are read first.
type lineLimit struct {
	r   io.Reader
	run int   // bytes of the line under way read before
	err error // the line too long, for the next read
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	// i is where the line under way begins in p (0: maybe before p).
	for i := 0; i < n; {
		end, newline := n, false
		if j := bytes.IndexByte(p[i:n], '\n'); j >= 0 {
			end, newline = i+j, true
		}
		if l.run+end-i > MaxLine {
			if l.err = errLineTooLong; i == 0 {
				return 0, l.err
			}
			return i, nil
		}
		if !newline {
			l.run += end - i
			break
		}
		l.run, i = 0, end+1
	}
	return n, err
}

// ReadJSONL reads values from JSON Lines (see the package comment); blank
// lines are skipped.
func ReadJSONL(file string, r io.Reader) ([]data.Reading, error) {
	sc := bufio.NewScanner(skipBOM(r))
	sc.Buffer(make([]byte, 0, 4096), MaxLine+1) // the +1: a line of exactly MaxLine and its newline
	var out []data.Reading
	n := 0
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		n++
		rd, ok, err := plainRecord(line)
		if !ok {
			rd, err = jsonRecord(line)
		}
		if err != nil {
			return nil, refuse(file, n, "%v", err)
		}
		out = append(out, rd)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, refuse(file, n+1, "%v", errLineTooLong)
		}
		return nil, &data.InputError{File: file, Reason: err.Error()}
	}
	return out, nil
}

// plainRecord reads the common line quickly: valid JSON, one object of
// the four members, each once, the strings valid UTF-8 without escapes
// (the decoder replaces invalid bytes) and the value a number; ok is false for any other line, which jsonRecord reads (and
// refuses) the slow way. A line it reads gives what jsonRecord gives (the
// fuzzer checks): the same fields to the same checks. Decoding tokens
// took five times as long as reading CSV.
func plainRecord(line []byte) (r data.Reading, ok bool, err error) {
	if !json.Valid(line) {
		return r, false, nil
	}
	var fields [4]string // indicator, region, time, value
	var seen [4]bool
	i := 0
	space := func() {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n') {
			i++
		}
	}
	// str reads a string without escapes at i (past its quote).
	str := func() (string, bool) {
		if i >= len(line) || line[i] != '"' {
			return "", false
		}
		end := bytes.IndexByte(line[i+1:], '"')
		if end < 0 || bytes.IndexByte(line[i+1:i+1+end], '\\') >= 0 || !utf8.Valid(line[i+1:i+1+end]) {
			return "", false
		}
		s := string(line[i+1 : i+1+end])
		i += end + 2
		return s, true
	}
	space()
	if i >= len(line) || line[i] != '{' {
		return r, false, nil
	}
	i++
	for {
		space()
		key, ok := str()
		k := slices.Index(Columns, key)
		if !ok || k < 0 || seen[k] {
			return r, false, nil
		}
		seen[k] = true
		space()
		i++ // the colon: the line is valid JSON
		space()
		if k == 3 { // a number runs to the next comma, brace or space
			end := i
			for end < len(line) && !strings.ContainsRune(",} \t\r\n", rune(line[end])) {
				end++
			}
			if fields[k] = string(line[i:end]); end == i || !strings.ContainsRune("-0123456789", rune(line[i])) {
				return r, false, nil
			}
			i = end
		} else if fields[k], ok = str(); !ok {
			return r, false, nil
		}
		space()
		if i < len(line) && line[i] == '}' {
			break
		}
		i++ // the comma
	}
	if seen != [4]bool{true, true, true, true} {
		return r, false, nil
	}
	v, err := number(fields[3])
	if err != nil {
		return r, true, err
	}
	r, err = reading(fields[0], fields[1], fields[2], v)
	return r, true, err
}

// jsonRecord reads one line's object: the four members, each once, and
// nothing after it.
func jsonRecord(line []byte) (data.Reading, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	malformed := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, err)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return errors.New("malformed JSON: the object is cut short")
		}
		return fmt.Errorf("malformed JSON: %v", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return data.Reading{}, malformed(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return data.Reading{}, errors.New("not a JSON object")
	}
	fields := map[string]string{}
	var value json.Number
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return data.Reading{}, malformed(err)
		}
		key, _ := tok.(string) // keys are strings, or Token fails
		if !known(key) {
			return data.Reading{}, fmt.Errorf("unknown member %q (the members are %s)", clip(key), strings.Join(Columns, ", "))
		}
		if _, dup := fields[key]; dup {
			return data.Reading{}, fmt.Errorf("member %q appears twice", key)
		}
		if tok, err = dec.Token(); err != nil {
			return data.Reading{}, malformed(err)
		}
		switch v := tok.(type) {
		case json.Number:
			if key != "value" {
				return data.Reading{}, fmt.Errorf("%s is not a string", key)
			}
			fields[key], value = v.String(), v
		case string:
			if key == "value" {
				return data.Reading{}, fmt.Errorf("value %q is not a number (give it without quotes)", clip(v))
			}
			fields[key] = v
		case json.Delim: // an object or an array
			return data.Reading{}, fmt.Errorf("%s is an %s, not a %s", key, map[json.Delim]string{'{': "object", '[': "array"}[v], kind(key))
		default: // true, false, null
			return data.Reading{}, fmt.Errorf("%s is %v, not a %s", key, jsonLiteral(v), kind(key))
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return data.Reading{}, malformed(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return data.Reading{}, malformed(err)
		}
		return data.Reading{}, errors.New("more after the object: one object a line")
	}
	if _, ok := fields["value"]; !ok {
		return data.Reading{}, errors.New("no value")
	}
	v, err := number(value.String())
	if err != nil {
		return data.Reading{}, err
	}
	return reading(fields["indicator"], fields["region"], fields["time"], v)
}

func kind(key string) string {
	if key == "value" {
		return "number"
	}
	return "string"
}

func jsonLiteral(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(v)
}
