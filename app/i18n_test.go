package app

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kapok/assets"
	"kapok/data"
)

// messages are every literal the console passes to T, read from its source.
func messages(t *testing.T) []string {
	files, _ := filepath.Glob("*.go")
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "T" {
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
			return true
		})
	}
	if len(out) < 50 {
		t.Fatalf("found only %d messages", len(out))
	}
	return out
}

// TestEveryMessageIsTranslated checks that every message of the console,
// and every domain value it shows through T, has a zh-CN and an en entry
// with the same template fields, and that the font has their characters.
func TestEveryMessageIsTranslated(t *testing.T) {
	load := func(name string) map[string]string {
		b, err := assets.FS.ReadFile("i18n/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	zh, en := load("zh-CN.json"), load("en.json")
	keys := messages(t)
	// Values shown through T(variable).
	keys = append(keys, data.OrderTypes...)
	keys = append(keys, data.Priorities...)
	keys = append(keys, "issued", "acknowledged", "in_progress", "done", "overdue", "cancelled",
		"collected", "filed", "dispatched", "handling", "fed_back", "returned", "parked", "closed", "evaluated",
		"open", "Most urgent open events", "grid_patrol", "hotline_12345", "video", "police", "referral",
		"available", "busy", "offline", "normal", "alert", "emergency",
		"unit_staff", "volunteer", "grid_worker", "district", "street", "community", "grid", "unit", "event", "center",
		"city center", "district center", "street center", "community center",
		"type", "priority", "task", "time window", "targets", "user", "order", "state",
		"the task is empty", "no targets: choose grids, centers or units", "start and end are both required")
	keys = append(keys, data.GridResidential, data.GridVillage, data.GridCommercial, data.GridIndustrial, data.GridSpecial)
	for _, th := range Themes {
		for _, e := range Legend(th) {
			keys = append(keys, e.Label)
		}
	}
	for _, l := range MapLayers {
		keys = append(keys, layerTitle(l))
	}
	for _, s := range mapSymbols() {
		keys = append(keys, s.label)
	}
	for _, p := range reasonPatterns {
		keys = append(keys, p.msg)
	}
	field := regexp.MustCompile(`{{\.\w+}}`)
	var all strings.Builder
	for _, k := range keys {
		z, e := zh[k], en[k]
		if z == "" || e == "" {
			t.Errorf("%q: zh-CN %q, en %q", k, z, e)
			continue
		}
		if !slices.Equal(sorted(field.FindAllString(k, -1)), sorted(field.FindAllString(z, -1))) {
			t.Errorf("%q: zh-CN %q has other fields", k, z)
		}
		all.WriteString(z)
	}
	if zh["lang"] != "zh" || en["lang"] != "en" {
		t.Error(`"lang" must name each file's language`)
	}
	if missing := bundledFont(t).Missing(all.String()); len(missing) > 0 {
		t.Errorf("font lacks %q (run /usr/bin/python3 scripts/build_font.py)", string(missing))
	}
}

func sorted(xs []string) []string { slices.Sort(xs); return xs }
