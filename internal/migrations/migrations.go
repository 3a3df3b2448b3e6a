// Package migrations lists a store's embedded, numbered schema steps
// (migrations/NNNN_name.sql): the SQLite mirror's and the PostgreSQL
// upstream's are kept the same way, and read the same way here. Standard
// library only, so that neither store brings the other's driver along.
package migrations

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// File is one numbered step: its number, file name and SQL.
type File struct {
	Version int
	Name    string
	SQL     string
}

// List reads migrations/*.sql of fsys in order, refusing a gap or a file
// out of sequence (0001, 0002, … with no number missing or repeated).
func List(fsys fs.FS) ([]File, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]File, 0, len(names))
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want number %04d", base, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Version: v, Name: base, SQL: string(body)})
	}
	return out, nil
}
