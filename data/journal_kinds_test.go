package data

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every Kind… constant of journal.go is in JournalKinds, once.
func TestJournalKindsWhole(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "journal.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if strings.HasPrefix(name.Name, "Kind") && i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(lit.Value)
						consts = append(consts, v)
					}
				}
			}
		}
		return true
	})
	if len(consts) < 30 {
		t.Fatalf("read %d kinds from journal.go", len(consts))
	}
	for _, k := range consts {
		if !slices.Contains(JournalKinds, k) {
			t.Errorf("kind %s is not in JournalKinds", k)
		}
	}
	if len(JournalKinds) != len(consts) {
		t.Errorf("JournalKinds holds %d, journal.go declares %d", len(JournalKinds), len(consts))
	}
}
