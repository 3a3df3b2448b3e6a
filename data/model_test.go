package data

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEventWorkflow(t *testing.T) {
	allowed := [][2]EventState{{EventCollected, EventFiled}, {EventCollected, EventCancelled}, {EventFiled, EventDispatched},
		{EventDispatched, EventHandling}, {EventDispatched, EventReturned}, {EventReturned, EventDispatched},
		{EventHandling, EventParked}, {EventParked, EventHandling}, {EventHandling, EventFedBack},
		{EventFedBack, EventClosed}, {EventClosed, EventEvaluated}}
	for _, a := range allowed {
		if !a[0].CanMoveTo(a[1]) {
			t.Errorf("%s → %s refused", a[0], a[1])
		}
	}
	refused := [][2]EventState{{EventCollected, EventDispatched}, {EventCancelled, EventFiled}, {EventEvaluated, EventHandling},
		{EventFiled, EventClosed}, {EventHandling, EventClosed}}
	for _, r := range refused {
		if r[0].CanMoveTo(r[1]) {
			t.Errorf("%s → %s allowed", r[0], r[1])
		}
	}
}

// The open set is derived from the states, once: every state is open or
// ended, and the ended ones are exactly cancelled, closed and evaluated.
func TestOpenEventStates(t *testing.T) {
	want := []EventState{EventCollected, EventFiled, EventDispatched, EventHandling, EventFedBack, EventReturned, EventParked}
	if !slices.Equal(OpenEventStates, want) {
		t.Fatalf("open states %v, want %v", OpenEventStates, want)
	}
	for _, s := range EventStates {
		ended := len(eventNext[s]) == 0 || s == EventClosed
		if s.Open() == ended {
			t.Errorf("%s: open %v but has moves %v", s, s.Open(), eventNext[s])
		}
	}
}

func TestOverdue(t *testing.T) {
	dispatched := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	dl := dispatched.Add(24 * time.Hour)
	e := Event{State: EventHandling, DispatchedAt: &dispatched, Deadline: &dl}
	if e.Overdue(dl.Add(-time.Minute)) || !e.Overdue(dl.Add(time.Minute)) {
		t.Fatal("open event overdue at the wrong time")
	}
	closed := dl.Add(-time.Hour)
	e.State, e.ClosedAt = EventClosed, &closed
	if e.Overdue(dl.Add(48 * time.Hour)) {
		t.Fatal("event closed in time reported overdue")
	}
	late := dl.Add(time.Hour)
	e.ClosedAt = &late
	if !e.Overdue(late) {
		t.Fatal("event closed late not reported overdue")
	}
}

func TestOrderStates(t *testing.T) {
	if !OrderIssued.CanMoveTo(OrderAcknowledged) || !OrderInProgress.CanMoveTo(OrderDone) ||
		OrderDone.CanMoveTo(OrderIssued) || OrderCancelled.CanMoveTo(OrderDone) {
		t.Fatal("order state machine wrong")
	}
	if want := []OrderState{OrderIssued, OrderAcknowledged, OrderInProgress, OrderOverdue}; !slices.Equal(RunningOrderStates, want) {
		t.Errorf("running states %v, want %v", RunningOrderStates, want)
	}
	if want := []OrderState{OrderIssued, OrderAcknowledged, OrderInProgress}; !slices.Equal(DueOrderStates, want) {
		t.Errorf("due states %v, want %v", DueOrderStates, want)
	}
}

func TestOrderRequestCheck(t *testing.T) {
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	good := OrderRequest{Task: " 巡逻 ", Start: start, End: start.Add(time.Hour), Targets: []string{"990101001001001"}}
	if err := good.Check(); err != nil || good.Type != OrderDispatch || good.Priority != PriorityNormal || good.Task != "巡逻" {
		t.Fatalf("good request: %v, %+v", err, good)
	}
	for _, c := range []struct {
		edit func(*OrderRequest)
		code Code
	}{
		{func(r *OrderRequest) { r.Type = "parade" }, CodeOrderTypeUnknown},
		{func(r *OrderRequest) { r.Priority = "soon" }, CodePriorityUnknown},
		{func(r *OrderRequest) { r.Task = "  " }, CodeTaskEmpty},
		{func(r *OrderRequest) { r.End = time.Time{} }, CodeWindowMissing},
		{func(r *OrderRequest) { r.End = r.Start }, CodeWindowReversed},
		{func(r *OrderRequest) { r.Targets = nil }, CodeTargetsEmpty},
	} {
		r := good
		c.edit(&r)
		var ref *Refusal
		if err := r.Check(); !errors.As(err, &ref) || ref.Code != c.code {
			t.Errorf("want %s, got %v", c.code, err)
		}
	}
}

func TestKindOfTarget(t *testing.T) {
	for code, want := range map[string]TargetKind{"990101001001001": TargetGrid, "C440111": TargetCenter, "U9901010010010011": TargetUnit, "99010100100100": "", "X1": "", "C": ""} {
		if got, _ := KindOfTarget(code); got != want {
			t.Errorf("KindOfTarget(%s) = %q, want %q", code, got, want)
		}
	}
}

func TestUserCovers(t *testing.T) {
	city, tianhe := User{}, User{Jurisdiction: "440106"}
	if !city.Covers("440111021200001") || !tianhe.Covers("440106001001") || tianhe.Covers("440111021200001") || tianhe.Covers("4401") {
		t.Fatal("jurisdiction prefix wrong")
	}
}

// Every refusal code has its argument list declared, and refusals say their
// code and arguments in Error.
func TestRefusalsDeclareTheirArguments(t *testing.T) {
	r := Refuse(CodeTargetOutsideJurisdiction, "targets", Term("kind", TargetGrid), Value("target", "440111021200001"), Value("jurisdiction", "440106"))
	if r.Arg("target") != "440111021200001" || r.Error() != `target_outside_jurisdiction (kind="grid" target="440111021200001" jurisdiction="440106")` {
		t.Fatalf("refusal %q", r.Error())
	}
	for code, args := range RefusalArgs {
		if code == "" || slices.Contains(args, "") {
			t.Errorf("code %q has an empty name in %v", code, args)
		}
	}
}

func TestShortNameAndPinyin(t *testing.T) {
	for in, want := range map[string]string{"大源村委会": "大源村", "翠洲社区居民委员会": "翠洲社区", "六村民委员会": "六村", "沙面街道": "沙面街道", "南漖社区居委会会": "南漖社区"} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"大源村委会": "dayuancunweihui", "番禺区": "panyuqu", "花都区": "huaduqu", "长洲街道": "changzhoujiedao"} {
		if got := Pinyin(in); got != want {
			t.Errorf("Pinyin(%s) = %s, want %s", in, got, want)
		}
	}
	// The administrative suffix goes, unless it is all there is besides one
	// character (沙区 stays Shaqu: no one-syllable names).
	for in, want := range map[string]string{"广州市": "Guangzhou", "天河区": "Tianhe", "沙面街道": "Shamian", "太和镇": "Taihe", "番禺区": "Panyu",
		"大源村委会": "Dayuancunweihui", "沙区": "Shaqu"} {
		if got := RomanName(in); got != want {
			t.Errorf("RomanName(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestMattersCatalogue(t *testing.T) {
	ms, err := Matters()
	if err != nil || len(ms) != 109 {
		t.Fatalf("%d matters, %v", len(ms), err)
	}
	if ms[0].Code != "MD01" || ms[0].TimeLimit != 72*time.Hour || ms[0].NameEn != "Neighbour dispute" {
		t.Fatalf("first matter %+v", ms[0])
	}
}

// Every code constant declared in refusal.go is listed in RefusalArgs, so
// that the edges' tests see it (a code left out would show as its raw key).
func TestEveryCodeIsListed(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "refusal.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			for _, v := range vs.Values {
				lit := v.(*ast.BasicLit)
				code := Code(strings.Trim(lit.Value, `"`))
				if _, listed := RefusalArgs[code]; !listed {
					t.Errorf("code %s is not in RefusalArgs", code)
				}
				n++
			}
		}
	}
	if n != len(RefusalArgs) {
		t.Errorf("%d codes declared, %d listed", n, len(RefusalArgs))
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13812341234": "138****1234", "020-88093436": "020-****3436", "": "", "12345": "***45",
		"+86 138 1234 1234": "+86 1** **** 1234", "无": "无"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
	leader, analyst := User{Role: RoleLeader}, User{Role: RoleAnalyst}
	if leader.ShowPhone("13812341234") != "13812341234" || analyst.ShowPhone("13812341234") != "138****1234" {
		t.Error("ShowPhone does not follow the contact permission")
	}
}
