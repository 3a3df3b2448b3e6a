package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readCatalogue reads a CSV catalogue with a header row naming at least
// columns, calling row for each record; row returns the record's key, and
// a key on two lines is refused. Every refusal is an *InputError naming the
// file, the line and the column.
func readCatalogue(file string, r io.Reader, columns []string, row func(catalogueRow) (string, error)) error {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return &InputError{File: file, Reason: "empty file: no header row"}
	}
	if err != nil {
		return &InputError{File: file, Reason: err.Error()}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, want := range columns {
		if _, ok := col[want]; !ok {
			return &InputError{File: file, Record: "line 1", Reason: fmt.Sprintf("no column %q", want)}
		}
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &InputError{File: file, Reason: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		p := catalogueRow{rec: rec, col: col, file: file, line: line}
		key, err := row(p)
		if err != nil {
			return err
		}
		if first, dup := seen[key]; dup {
			return p.bad(columns[0], fmt.Sprintf("%s is on line %d already", key, first))
		}
		seen[key] = line
	}
}

// catalogueRow is one record of a catalogue being read, with what an error
// needs to name it.
type catalogueRow struct {
	rec  []string
	col  map[string]int
	file string
	line int
}

func (p catalogueRow) get(c string) string { return strings.TrimSpace(p.rec[p.col[c]]) }

func (p catalogueRow) bad(c, reason string) error {
	return &InputError{File: p.file, Record: fmt.Sprintf("line %d, column %s", p.line, c), Reason: reason}
}

// whole reads a whole number of column c within [lo, hi].
func (p catalogueRow) whole(c string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(p.get(c))
	if err != nil || n < lo || n > hi {
		return 0, p.bad(c, fmt.Sprintf("%q is not a whole number from %d to %d", p.get(c), lo, hi))
	}
	return n, nil
}

// number reads a finite number of column c.
func (p catalogueRow) number(c string) (float64, error) {
	x, err := strconv.ParseFloat(p.get(c), 64)
	if err != nil || x != x || x > 1e300 || x < -1e300 {
		return 0, p.bad(c, fmt.Sprintf("%q is not a number", p.get(c)))
	}
	return x, nil
}
