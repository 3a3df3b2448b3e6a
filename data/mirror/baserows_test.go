package mirror_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"kapok/data/mirror"
)

// A base row names a user by login, not by id (each mirror's own): an
// order read from one mirror and written into another where its issuer has
// another id is issued by the same person there. Every value as it was,
// the row as the base keeps it.
func TestBaseRowsNameUsers(t *testing.T) {
	ctx := context.Background()
	open := func(name string, users ...any) *mirror.Mirror {
		m, err := mirror.Open(filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = m.Close() })
		for i := 0; i < len(users); i += 2 {
			if _, err := m.DB.Exec(`INSERT INTO users (id, login, name, role, jurisdiction_code) VALUES (?, ?, ?, 'commander', '9901')`,
				users[i], users[i+1], users[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		return m
	}
	a := open("a.gpkg", 10, "alice", 11, "bob")
	b := open("b.gpkg", 20, "bob", 21, "alice")
	err := a.Update(ctx, func(tx *sql.Tx) error {
		return mirror.WithoutUndo(ctx, tx, func() error {
			_, err := tx.Exec(`INSERT INTO orders (uid, number, order_type, task, priority, state, issued_by, issued_at, start_at, end_at, updated_at)
				VALUES ('o-1', 7, 'patrol', '巡查 "五山"', 'high', 'issued', 11, '2026-11-26T05:00:00.000Z', '2026-11-26T05:00:00.000Z',
				'2026-11-26T09:00:00.000Z', '2026-11-26T05:00:00.000Z')`)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.ReadBase(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	var rows [][]byte
	for r.Next() {
		row, err := r.Row()
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, append([]byte(nil), row...))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	want := `["o-1",7,"patrol","巡查 \"五山\"","high","issued",{"u":"bob"},"2026-11-26T05:00:00.000Z","2026-11-26T05:00:00.000Z",` +
		`"2026-11-26T09:00:00.000Z",null,"2026-11-26T05:00:00.000Z"]`
	if len(rows) != 1 || string(rows[0]) != want {
		t.Fatalf("base rows %s, want %s", rows, want)
	}
	err = b.Update(ctx, func(tx *sql.Tx) error {
		return mirror.WithoutUndo(ctx, tx, func() error {
			w, err := mirror.NewBaseWriter(ctx, tx, "orders", r.Columns())
			if err != nil {
				return err
			}
			if err := w.Add(rows[0]); err != nil {
				return err
			}
			return w.Close()
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var by, number int64
	var task string
	if err := b.DB.QueryRow(`SELECT issued_by, number, task FROM orders WHERE uid = 'o-1'`).Scan(&by, &number, &task); err != nil || by != 20 ||
		number != 7 || task != `巡查 "五山"` {
		t.Errorf("the order written: issued by %d, number %d, %q, %v", by, number, task, err)
	}
	// A user the mirror does not have is refused, not written as another.
	err = b.Update(ctx, func(tx *sql.Tx) error {
		w, err := mirror.NewBaseWriter(ctx, tx, "orders", r.Columns())
		if err != nil {
			return err
		}
		return w.Add([]byte(`["o-2",8,"patrol","x","high","issued",{"u":"carol"},"a","a","b",null,"a"]`))
	})
	if err == nil {
		t.Error("an order of a user the mirror lacks was written")
	}
}
