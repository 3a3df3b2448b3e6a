package gpkg

import (
	"database/sql"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// Stored times sort as the instants they name: text order is time order,
// whatever the zone the time was given in.
func TestStoredTimesSortAsInstants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("X", -11*3600)}
	times := make([]time.Time, 2000)
	for i := range times {
		// From year 1000 to 9000, down to the millisecond, plus pairs a
		// millisecond apart and times that read the same wall clock in
		// different zones.
		ms := rng.Int64N(int64(8000*365*24*3600*1000)) - int64(969*365*24*3600*1000)
		times[i] = time.UnixMilli(ms).In(zones[i%len(zones)])
		if i%5 == 1 {
			times[i] = times[i-1].Add(time.Millisecond)
		}
	}
	text := make([]string, len(times))
	for i, tm := range times {
		text[i] = FormatTime(tm)
		if len(text[i]) != len(TimeLayout) {
			t.Fatalf("%v stored as %q: not the fixed width", tm, text[i])
		}
	}
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return text[idx[a]] < text[idx[b]] })
	for k := 1; k < len(idx); k++ {
		if times[idx[k]].Before(times[idx[k-1]]) {
			t.Fatalf("%q sorts after %q but is earlier", text[idx[k]], text[idx[k-1]])
		}
	}
	for i, s := range text {
		back, err := ParseTime(s)
		if err != nil || !back.Equal(times[i]) {
			t.Fatalf("%q read back as %v, %v", s, back, err)
		}
	}
}

// Time and NullTime go through SQLite as text in the one form, and read back
// what go-sqlite3 makes of a DATETIME column as well as of TEXT.
func TestTimeAsSQLValue(t *testing.T) {
	db, err := sql.Open(DriverName, URI(filepath.Join(t.TempDir(), "t.db"), nil))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if _, err := db.Exec(`CREATE TABLE t (a TEXT, b DATETIME, c DATETIME)`); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 16, 30, 0, 250e6, time.FixedZone("CST", 8*3600))
	if _, err := db.Exec(`INSERT INTO t VALUES (?, ?, ?)`, Time{at}, Time{at}, NullTimeOf(nil)); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := db.QueryRow(`SELECT CAST(b AS TEXT) FROM t`).Scan(&raw); err != nil || raw != "2026-11-25T08:30:00.250Z" {
		t.Fatalf("stored %q, %v", raw, err)
	}
	var a, b Time
	var c NullTime
	if err := db.QueryRow(`SELECT a, b, c FROM t`).Scan(&a, &b, &c); err != nil {
		t.Fatal(err)
	}
	if !a.Equal(at) || !b.Equal(at) || c.Valid || c.Ptr() != nil {
		t.Fatalf("read back %v, %v, %+v", a, b, c)
	}
	if err := db.QueryRow(`SELECT c FROM t`).Scan(&a); err == nil {
		t.Fatal("NULL read into a Time")
	}
	if err := db.QueryRow(`SELECT 'tomorrow'`).Scan(&c); err == nil {
		t.Fatal("text that is no time read as one")
	}
}
