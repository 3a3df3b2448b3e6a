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

	"kapok/app/citymap"
	"kapok/assets"
	"kapok/data"
	kmaps "kapok/maps"
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
	keys = append(keys, strs(data.OrderTypes)...)
	keys = append(keys, strs(data.Priorities)...)
	keys = append(keys, strs(data.OrderStates)...)
	keys = append(keys, strs(data.EventStates)...)
	keys = append(keys, strs(data.UnitStatuses)...)
	keys = append(keys, string(data.DutyLeader), string(data.DutyOfficer))
	keys = append(keys, data.Terms...)
	keys = append(keys, "open", "Most urgent open events", "grid_patrol", "hotline_12345", "video", "police", "referral",
		"normal", "alert", "emergency", "unit_staff", "volunteer", "grid_worker",
		"city center", "district center", "street center", "community center")
	for _, label := range fieldLabel {
		keys = append(keys, label)
	}
	for _, k := range data.JournalKinds { // the journal view's kinds
		keys = append(keys, "kind."+k)
	}
	keys = append(keys, data.GridResidential, data.GridVillage, data.GridCommercial, data.GridIndustrial, data.GridSpecial)
	for _, th := range citymap.Themes {
		for _, e := range citymap.Legend(th) {
			keys = append(keys, e.Label)
		}
	}
	for _, l := range citymap.MapLayers {
		keys = append(keys, layerTitle(l))
	}
	for _, s := range mapSymbols() {
		keys = append(keys, s.label)
	}
	// The Cases tab's buttons, columns, filters and timeline.
	for _, s := range caseSteps {
		keys = append(keys, s.label)
	}
	for _, col := range caseColumns {
		keys = append(keys, col.title)
	}
	keys = append(keys, strs(data.EventSources)...)
	keys = append(keys, data.HandlingLevels...)
	matters, err := data.Matters()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matters {
		keys = append(keys, m.Category)
	}
	for _, a := range []data.CaseAction{data.ActReport, data.ActFile, data.ActCancel, data.ActDispatch, data.ActStart, data.ActResume,
		data.ActFeedBack, data.ActVerifyFail, data.ActClose, data.ActEvaluate, data.ActReturn, data.ActPark, data.ActExtend, data.ActEscalate} {
		keys = append(keys, "step."+string(a))
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
	// Refusals are translated by package msg (tested there); their Chinese
	// must be in the font too.
	for k, z := range zh {
		if strings.HasPrefix(k, "refusal.") {
			all.WriteString(z)
		}
	}
	// go-i18n, under Fyne's lang, refuses a whole file that has one of its
	// reserved words as a key: every text would fall back to English.
	for _, f := range []map[string]string{zh, en} {
		for k := range f {
			switch strings.ToLower(k) {
			case "id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other":
				t.Errorf("%q is reserved by go-i18n: use another key", k)
			}
		}
	}
	if zh["lang"] != "zh" || en["lang"] != "en" {
		t.Error(`"lang" must name each file's language`)
	}
	if missing := bundledFont(t).Missing(all.String()); len(missing) > 0 {
		t.Errorf("font lacks %q (run /usr/bin/python3 scripts/build_font.py)", string(missing))
	}
}

func sorted(xs []string) []string { slices.Sort(xs); return xs }

func strs[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// bundledFont is the embedded font, to ask which characters it lacks.
func bundledFont(t *testing.T) *kmaps.Labeler {
	t.Helper()
	lb, err := citymap.Font()
	if err != nil {
		t.Fatal(err)
	}
	return lb
}
