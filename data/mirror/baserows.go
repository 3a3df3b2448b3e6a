package mirror

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A base row is one row of a mirror table as the upstream keeps it (its
// base, `kapok upstream load`; written into a new mirror by `kapok sync
// --init`): a JSON array, a value per stored column, exact both ways:
//
//	null          NULL
//	"…"           text (valid UTF-8 without NUL)
//	123           an integer
//	{"r": "…"}    a real: Go's shortest form that reads back the same bits, or NaN, +Inf, -Inf
//	{"b": "…"}    a blob, base64 (a GeoPackage geometry byte for byte)
//	{"t": "…"}    text JSON cannot carry (NUL, invalid UTF-8), base64
//	{"u": "…"}    a column referring to users(id): the user's login, as ids are each mirror's own

// storedColumns are table's columns a row stores, in order: generated
// columns (pragma_table_xinfo's hidden 2 and 3) are not. Refused for a
// table the mirror does not have.
func storedColumns(ctx context.Context, q querier, table string) ([]string, error) {
	cols, err := queryColumn[string](ctx, q, `SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid`, table)
	if err == nil && len(cols) == 0 {
		err = fmt.Errorf("the mirror has no table %s", table)
	}
	return cols, err
}

// userColumns are table's columns with a foreign key to users.
func userColumns(ctx context.Context, q querier, table string) (map[string]bool, error) {
	cols, err := queryColumn[string](ctx, q, `SELECT "from" FROM pragma_foreign_key_list(?) WHERE "table" = 'users'`, table)
	out := map[string]bool{}
	for _, c := range cols {
		out[c] = true
	}
	return out, err
}

// withoutRowid tells a WITHOUT ROWID table, whose rows are read in key order.
func withoutRowid(ctx context.Context, q querier, table string) (bool, error) {
	var wr bool
	err := q.QueryRowContext(ctx, `SELECT wr FROM pragma_table_list WHERE name = ? AND schema = 'main'`, table).Scan(&wr)
	return wr, err
}

// quoteIdent quotes an SQLite identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// userLogins maps each user's id to the login.
func userLogins(ctx context.Context, q querier) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, login FROM users`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var login string
		if err := rows.Scan(&id, &login); err != nil {
			return nil, err
		}
		out[id] = login
	}
	return out, rows.Err()
}

// BaseReader reads a table's rows as base rows (Row), in rowid order (key
// order for a WITHOUT ROWID table).
type BaseReader struct {
	table   string
	columns []string
	user    []bool
	logins  map[int64]string
	rows    *sql.Rows
	vals    []any
	ptrs    []any
	buf     []byte
}

// ReadBase starts reading table's stored columns, every row. Close it.
func (m *Mirror) ReadBase(ctx context.Context, table string) (*BaseReader, error) {
	cols, err := storedColumns(ctx, m.DB, table)
	if err != nil {
		return nil, err
	}
	users, err := userColumns(ctx, m.DB, table)
	if err != nil {
		return nil, err
	}
	wr, err := withoutRowid(ctx, m.DB, table)
	if err != nil {
		return nil, err
	}
	r := &BaseReader{table: table, columns: cols, user: make([]bool, len(cols))}
	if len(users) > 0 {
		if r.logins, err = userLogins(ctx, m.DB); err != nil {
			return nil, err
		}
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		r.user[i] = users[c]
		// An expression, not the column: the driver turns the text of a
		// column declared DATETIME into a time, and the text must stay.
		sel[i] = `coalesce(` + quoteIdent(c) + `, NULL)`
	}
	order := ` ORDER BY rowid`
	if wr {
		order = ""
	}
	r.rows, err = m.DB.QueryContext(ctx, `SELECT `+strings.Join(sel, ", ")+` FROM `+quoteIdent(table)+order)
	if err != nil {
		return nil, err
	}
	r.vals = make([]any, len(cols))
	r.ptrs = make([]any, len(cols))
	for i := range r.vals {
		r.ptrs[i] = &r.vals[i]
	}
	return r, nil
}

// Columns are the stored columns, in the order of a row's values.
func (r *BaseReader) Columns() []string { return r.columns }

// Next moves to the next row; false at the end or on an error (Err).
func (r *BaseReader) Next() bool { return r.rows.Next() }

// Err is what stopped Next.
func (r *BaseReader) Err() error { return r.rows.Err() }

// Close ends the read.
func (r *BaseReader) Close() error { return r.rows.Close() }

// Row is the current row as a base row, valid until the next Row.
func (r *BaseReader) Row() ([]byte, error) {
	if err := r.rows.Scan(r.ptrs...); err != nil {
		return nil, err
	}
	b := append(r.buf[:0], '[')
	for i, v := range r.vals {
		if i > 0 {
			b = append(b, ',')
		}
		if r.user[i] && v != nil {
			id, ok := v.(int64)
			login, known := r.logins[id]
			if !ok || !known {
				return nil, fmt.Errorf("%s.%s: %v is no user's id", r.table, r.columns[i], v)
			}
			b = append(b, `{"u":`...)
			b = appendJSONString(b, login)
			b = append(b, '}')
			continue
		}
		var err error
		if b, err = appendBaseValue(b, v); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", r.table, r.columns[i], err)
		}
	}
	b = append(b, ']')
	r.buf = b
	return b, nil
}

// appendBaseValue appends one value as a base row holds it.
func appendBaseValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		b = append(b, `{"r":"`...)
		switch {
		case math.IsNaN(v):
			b = append(b, "NaN"...)
		case math.IsInf(v, 1):
			b = append(b, "+Inf"...)
		case math.IsInf(v, -1):
			b = append(b, "-Inf"...)
		default:
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
		return append(b, `"}`...), nil
	case string:
		if utf8.ValidString(v) && !strings.ContainsRune(v, 0) {
			return appendJSONString(b, v), nil
		}
		b = append(b, `{"t":"`...)
		b = base64.StdEncoding.AppendEncode(b, []byte(v))
		return append(b, `"}`...), nil
	case []byte:
		b = append(b, `{"b":"`...)
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, `"}`...), nil
	}
	return nil, fmt.Errorf("a value of type %T", v)
}

// appendJSONString appends s, valid UTF-8 without NUL, as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// decodeBaseRow reads a base row of n values; user columns (user[i]) are
// given as their logins, for the writer to turn into this mirror's ids.
func decodeBaseRow(row []byte, n int) ([]any, error) {
	d := json.NewDecoder(bytes.NewReader(row))
	d.UseNumber()
	var raw []any
	if err := d.Decode(&raw); err != nil {
		return nil, err
	}
	if len(raw) != n {
		return nil, fmt.Errorf("a row of %d values, want %d", len(raw), n)
	}
	for i, v := range raw {
		switch v := v.(type) {
		case nil, string:
		case json.Number:
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("value %d: %q is not an integer", i, v)
			}
			raw[i] = n
		case map[string]any:
			if len(v) != 1 {
				return nil, fmt.Errorf("value %d: %v", i, v)
			}
			var err error
			for k, s := range v {
				str, ok := s.(string)
				if !ok {
					return nil, fmt.Errorf("value %d: %v", i, v)
				}
				switch k {
				case "r":
					raw[i], err = strconv.ParseFloat(str, 64)
				case "b":
					raw[i], err = base64.StdEncoding.DecodeString(str)
				case "t":
					var t []byte
					t, err = base64.StdEncoding.DecodeString(str)
					raw[i] = string(t)
				case "u":
					raw[i] = userLogin(str)
				default:
					err = fmt.Errorf("marker %q", k)
				}
			}
			if err != nil {
				return nil, fmt.Errorf("value %d: %w", i, err)
			}
		default:
			return nil, fmt.Errorf("value %d: %v", i, v)
		}
	}
	return raw, nil
}

// userLogin is a user column's value as a base row gives it.
type userLogin string

// BaseWriter writes base rows into one table of a new mirror, in a
// transaction of its own (with the undo log off: WithoutUndo).
type BaseWriter struct {
	table   string
	columns []string
	ids     map[string]int64
	batch   *Batcher
	rows    int64
}

// NewBaseWriter writes rows of columns (a base's, which this mirror's table
// must have) into table. Close it to write the last of them.
func NewBaseWriter(ctx context.Context, tx *sql.Tx, table string, columns []string) (*BaseWriter, error) {
	have, err := storedColumns(ctx, tx, table)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, c := range have {
		known[c] = true
	}
	quoted := make([]string, len(columns))
	for i, c := range columns {
		if !known[c] {
			return nil, fmt.Errorf("%s: this mirror has no column %s (the upstream's base is of a newer Kapok?)", table, c)
		}
		quoted[i] = quoteIdent(c)
	}
	w := &BaseWriter{table: table, columns: columns, batch: NewBatcher(tx, quoteIdent(table), quoted...)}
	users, err := userColumns(ctx, tx, table)
	if err != nil {
		return nil, err
	}
	if len(users) > 0 {
		logins, err := userLogins(ctx, tx)
		if err != nil {
			return nil, err
		}
		w.ids = make(map[string]int64, len(logins))
		for id, l := range logins {
			w.ids[l] = id
		}
	}
	return w, nil
}

// Add writes one base row.
func (w *BaseWriter) Add(row []byte) error {
	vals, err := decodeBaseRow(row, len(w.columns))
	if err != nil {
		return fmt.Errorf("%s, row %d: %w", w.table, w.rows+1, err)
	}
	for i, v := range vals {
		if l, ok := v.(userLogin); ok {
			id, known := w.ids[string(l)]
			if !known {
				return fmt.Errorf("%s.%s: no user %s in this mirror", w.table, w.columns[i], l)
			}
			vals[i] = id
		}
	}
	w.rows++
	return w.batch.Add(vals...)
}

// Rows is how many rows were added.
func (w *BaseWriter) Rows() int64 { return w.rows }

// Close writes what is left.
func (w *BaseWriter) Close() error {
	err := w.batch.Flush()
	if err != nil {
		return fmt.Errorf("writing %s: %w", w.table, err)
	}
	return nil
}

// SharedEntries counts the journal's entries of shared kinds (SharedKind):
// changes this mirror made that a sync pushes for every console to replay.
// A base published from a mirror holding any would carry them twice to a
// mirror made from it (in its base, then replayed), and the replay fails.
func (m *Mirror) SharedEntries(ctx context.Context) (int64, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT kind, actor, count(*) FROM journal GROUP BY kind, actor`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var kind, actor string
		var c int64
		if err := rows.Scan(&kind, &actor, &c); err != nil {
			return 0, err
		}
		if SharedKind(kind, actor) {
			n += c
		}
	}
	return n, rows.Err()
}
