package msg

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"kapok/data"
)

var field = regexp.MustCompile(`\{\{(?:if )?\.(\w+)\}\}`)

// Every refusal code has a text in both languages, and the texts use only
// the arguments the code carries.
func TestEveryRefusalHasTextInBothLanguages(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(data.RefusalArgs) < 20 {
		t.Fatalf("only %d refusal codes declared", len(data.RefusalArgs))
	}
	for code, args := range data.RefusalArgs {
		for _, l := range []Lang{Chinese, English} {
			key := RefusalKey(code)
			if !c.Has(l, key) {
				t.Errorf("%s has no %s text", code, l)
				continue
			}
			for _, m := range field.FindAllStringSubmatch(c.texts[l][key], -1) {
				if !slices.Contains(args, m[1]) {
					t.Errorf("%s text of %s uses {{.%s}}, not among its arguments %v", l, code, m[1], args)
				}
			}
		}
	}
	// And every domain word a refusal may carry is translated.
	for _, term := range data.Terms {
		if !c.Has(Chinese, term) || !c.Has(English, term) {
			t.Errorf("term %q is not in both translation files", term)
		}
	}
}

func TestRefusalText(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	r := data.Refuse(data.CodeTargetOutsideJurisdiction, "targets", data.Term("kind", data.TargetGrid),
		data.Value("target", "440111021200001"), data.Value("jurisdiction", "440106"))
	if got := c.Refusal(Chinese, r); got != "网格 440111021200001 不在您的管辖范围 440106 内" {
		t.Errorf("zh: %q", got)
	}
	if got := c.Refusal(English, r); got != "grid 440111021200001 is outside your jurisdiction 440106" {
		t.Errorf("en: %q", got)
	}
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	w := data.Refuse(data.CodeWindowReversed, "window", data.Time("start", start), data.Time("end", start.Add(-time.Hour)))
	if got := c.Refusal(Chinese, w); got != "结束时间 2026-11-25 19:00 不晚于开始时间 2026-11-25 20:00" {
		t.Errorf("zh window: %q", got)
	}
	mv := data.Refuse(data.CodeOrderMoveNotAllowed, "state", data.Value("order", 3), data.Term("from", data.OrderDone), data.Term("to", data.OrderInProgress))
	if got := c.Refusal(Chinese, mv); got != "指令 #3 不能从“已办结”转为“执行中”" {
		t.Errorf("zh move: %q", got)
	}
	// Wrapped refusals and input errors are found; other errors pass as they are.
	if got := c.Error(English, fmt.Errorf("orders: %w", data.Refuse(data.CodeTaskEmpty, "task"))); got != "the task is empty" {
		t.Errorf("wrapped: %q", got)
	}
	ie := &data.InputError{File: "g.csv", Record: "line 3", Reason: "malformed CSV row"}
	if got := c.Error(Chinese, ie); got != "g.csv：line 3：malformed CSV row" {
		t.Errorf("input error: %q", got)
	}
	if got := c.Error(Chinese, &data.InputError{File: "g.csv", Reason: "empty"}); got != "g.csv：empty" {
		t.Errorf("input error without record: %q", got)
	}
	if got := c.Error(Chinese, errors.New("disk full")); got != "disk full" {
		t.Errorf("plain error: %q", got)
	}
}

func TestLanguageFromEnvironment(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{"LANG": "zh_CN.UTF-8"}, Chinese},
		{map[string]string{"LANG": "C.UTF-8"}, English},
		{map[string]string{}, English},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, English},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, Chinese},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN"}, Chinese},
	} {
		for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
			t.Setenv(v, c.env[v])
		}
		if got := FromEnv(); got != c.want {
			t.Errorf("%v: %s, want %s", c.env, got, c.want)
		}
	}
}
