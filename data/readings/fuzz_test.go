package readings

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"kapok/data"
)

// The seeds are the files of testdata/fuzz/FuzzReadCSV and
// testdata/fuzz/FuzzReadJSONL, which `go test` runs too.

// checkRead checks what a reader did with any input: a refusal is an
// *data.InputError naming the file and the header, a record from 1 to one
// past the values read, or nothing; values read are whole (a code, a
// region, a time, a finite number) and read again the same once written
// out by write.
func checkRead(t *testing.T, in []byte, file string, read func(string, []byte) ([]data.Reading, error), write func([]data.Reading) []byte) {
	got, err := read(file, in)
	if err != nil {
		var ie *data.InputError
		if !errors.As(err, &ie) || ie.File != file || got != nil {
			t.Fatalf("refusal %T %v with %d values", err, err, len(got))
		}
		if n, ok := strings.CutPrefix(ie.Record, "record "); ok {
			if k, err := strconv.Atoi(n); err != nil || k < 1 {
				t.Fatalf("refusal of %q", ie.Record)
			}
		} else if ie.Record != "header" && ie.Record != "" {
			t.Fatalf("refusal of %q", ie.Record)
		}
		return
	}
	for _, r := range got {
		if r.Indicator == "" || r.Region == "" || !utf8.ValidString(r.Indicator) || !utf8.ValidString(r.Region) ||
			math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			t.Fatalf("accepted %+v", r)
		}
	}
	if len(in) > MaxLine/8 {
		return // written out, a line might pass MaxLine
	}
	again, err := read(file, write(got))
	if err != nil || !same(got, again) {
		t.Fatalf("read %+v, written and read again %+v %v", got, again, err)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		checkRead(t, in, "fuzz.csv", func(file string, b []byte) ([]data.Reading, error) { return ReadCSV(file, bytes.NewReader(b)) },
			func(rs []data.Reading) []byte {
				var b bytes.Buffer
				w := csv.NewWriter(&b)
				_ = w.Write(Columns)
				for _, r := range rs {
					_ = w.Write([]string{r.Indicator, r.Region, r.At.Format(time.RFC3339Nano), strconv.FormatFloat(r.Value, 'g', -1, 64)})
				}
				w.Flush()
				return b.Bytes()
			})
	})
}

func FuzzReadJSONL(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		// A line the quick reader takes reads the same the slow way.
		for _, line := range bytes.Split(in, []byte("\n")) {
			quick, ok, qerr := plainRecord(line)
			if !ok {
				continue
			}
			slow, serr := jsonRecord(line)
			if fmt.Sprint(qerr) != fmt.Sprint(serr) || (qerr == nil && !same([]data.Reading{quick}, []data.Reading{slow})) {
				t.Fatalf("%q: quickly %+v %v, slowly %+v %v", line, quick, qerr, slow, serr)
			}
		}
		checkRead(t, in, "fuzz.jsonl", func(file string, b []byte) ([]data.Reading, error) { return ReadJSONL(file, bytes.NewReader(b)) },
			func(rs []data.Reading) []byte {
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				for _, r := range rs {
					_ = enc.Encode(map[string]any{"indicator": r.Indicator, "region": r.Region, "time": r.At.Format(time.RFC3339Nano), "value": r.Value})
				}
				return b.Bytes()
			})
	})
}
