package mirror

import (
	"database/sql"
	"strings"
)

// Batcher inserts rows many at a time: one multi-row INSERT per batch costs a
// fraction of one statement per row, which matters for the demo's millions of
// indicator values.
type Batcher struct {
	tx     *sql.Tx
	prefix string // "INSERT INTO t (a, b) VALUES "
	cols   int
	size   int
	args   []any
	full   *sql.Stmt
	rows   int64
	err    error // the first failure; later calls return it
}

// NewBatcher prepares batches of rows for table inside tx.
func NewBatcher(tx *sql.Tx, table string, cols ...string) *Batcher {
	size := max(1, 900/len(cols))
	return &Batcher{tx: tx, prefix: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		cols: len(cols), size: size, args: make([]any, 0, size*len(cols))}
}

func (b *Batcher) sql(rows int) string {
	one := "(" + strings.Repeat("?, ", b.cols-1) + "?)"
	return b.prefix + strings.Repeat(one+", ", rows-1) + one
}

// Add queues one row, writing a batch when full.
func (b *Batcher) Add(vals ...any) error {
	if b.err != nil {
		return b.err
	}
	b.args = append(b.args, vals...)
	if len(b.args) < b.size*b.cols {
		return nil
	}
	if b.full == nil {
		if b.full, b.err = b.tx.Prepare(b.sql(b.size)); b.err != nil {
			return b.err
		}
	}
	_, b.err = b.full.Exec(b.args...)
	b.rows += int64(b.size)
	b.args = b.args[:0]
	return b.err
}

// Flush writes what is queued and releases the statement.
func (b *Batcher) Flush() error {
	if b.full != nil {
		defer func() { _ = b.full.Close() }()
	}
	n := len(b.args) / b.cols
	if n == 0 || b.err != nil {
		return b.err
	}
	_, err := b.tx.Exec(b.sql(n), b.args...)
	b.rows += int64(n)
	b.args = b.args[:0]
	return err
}
