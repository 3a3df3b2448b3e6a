package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"kapok/app/msg"
	"kapok/data"
)

// The district's shift table and patrol rules from the Schedules tab: shown
// as stored; a table the store refuses (a shift ending before it starts),
// negative rules and a field that is no number are refused in the dialog,
// which stays open, and nothing is written; a good table is saved, the
// roster shown is checked again under the new rules (its cells require
// what they now say) and a roster planned afterwards has the new shifts.
func TestRulesDialog(t *testing.T) {
	c := newTestConsole(t, "leader_990101")
	s := planWeek49(t, c)
	test.Tap(s.RulesBtn)
	d := c.Ruling()
	if d == nil || d.District != "990101" || len(d.Rows) != 3 {
		t.Fatalf("rules dialog %+v", d)
	}
	var names []string
	for _, r := range d.Rows {
		names = append(names, r.Name.Text+" "+r.Start.Selected+"-"+r.End.Selected)
	}
	if want := []string{"day 8-16", "evening 16-24", "night 0-8"}; !slices.Equal(names, want) {
		t.Fatalf("shift table %v", names)
	}
	def := data.DefaultPatrolRules()
	if d.Rows[2].Required[data.GridCommercial].Text != "2" || d.MaxShifts.Text != "6" || d.MinRest.Text != "8" || !d.Lending.Checked ||
		d.Rows[0].Required[data.GridVillage].Text != "0" || def.Required[data.GridCommercial]["night"] != 2 {
		t.Fatal("the dialog does not show the district's rules")
	}

	journal := countRows(t, c.M, "journal")
	unchanged := func(what string) {
		t.Helper()
		if !d.Error.Visible() || c.Ruling() != d {
			t.Fatalf("%s: not refused in the dialog (%q)", what, d.Error.Text)
		}
		defs, rules, err := c.M.DistrictRules(bg, "990101")
		if err != nil || !slices.Equal(defs, data.DefaultShifts) || rules.MaxShifts != 6 || countRows(t, c.M, "journal") != journal {
			t.Fatalf("%s wrote something: %v %+v %v", what, defs, rules, err)
		}
	}
	d.Rows[0].End.SetSelected("4")
	test.Tap(d.Save)
	if !strings.Contains(d.Error.Text, "shift day: a shift needs a name, hours within 0–24") {
		t.Fatalf("day 8-4: %q", d.Error.Text)
	}
	unchanged("a shift ending before it starts")
	d.Rows[0].End.SetSelected("16")
	d.MaxShifts.SetText("-1")
	test.Tap(d.Save)
	if !strings.Contains(d.Error.Text, "the patrol rules are not valid: the most shifts a unit a week cannot be negative") {
		t.Fatalf("negative max shifts: %q", d.Error.Text)
	}
	unchanged("negative rules")
	d.MaxShifts.SetText("5")
	d.MinRest.SetText("ten")
	test.Tap(d.Save)
	if !strings.Contains(d.Error.Text, "Least rest between shifts (hours): ten is not a number") {
		t.Fatalf("rest not a number: %q", d.Error.Text)
	}
	unchanged("a rest that is no number")

	// The evening taken off, a late shift added in the hours left free.
	test.Tap(d.Rows[1].Remove)
	test.Tap(d.AddShift)
	late := d.Rows[len(d.Rows)-1]
	if len(d.Rows) != 3 || late.Start.Selected != "16" || late.End.Selected != "24" {
		t.Fatalf("added shift %s-%s", late.Start.Selected, late.End.Selected)
	}
	late.Name.SetText("late")
	if late.header.Text != "late" {
		t.Fatalf("the required patrols' column is headed %q", late.header.Text)
	}
	late.Required[data.GridResidential].SetText("2")
	d.Rows[0].Required[data.GridResidential].SetText("3")
	d.MinRest.SetText("10")
	d.Lending.SetChecked(false)
	test.Tap(d.Save)
	if c.Ruling() != nil {
		t.Fatalf("the dialog stayed: %q", d.Error.Text)
	}
	defs, rules, err := c.M.DistrictRules(bg, "990101")
	if err != nil {
		t.Fatal(err)
	}
	if want := []data.ShiftDef{{Name: "day", Start: 8, End: 16}, {Name: "night", Start: 0, End: 8}, {Name: "late", Start: 16, End: 24}}; !slices.Equal(defs, want) {
		t.Fatalf("stored shifts %v", defs)
	}
	res := rules.Required[data.GridResidential]
	if rules.MaxShifts != 5 || rules.MinRest != 10*time.Hour || rules.AllowLending || res["day"] != 3 || res["late"] != 2 || res["evening"] != 1 {
		t.Fatalf("stored rules %+v", rules)
	}
	if _, ok := rules.Required[data.GridVillage]["late"]; ok {
		t.Fatal("an empty entry was stored as a rule")
	}
	if !strings.Contains(s.Message.Text, "saved") || s.plan.Rules.MaxShifts != 5 {
		t.Fatalf("after saving: %q, the roster checked with %+v", s.Message.Text, s.plan.Rules)
	}
	// The roster shown (day, evening, night) requires the new day patrols.
	day := slices.IndexFunc(s.cov.Shifts, func(sh data.Shift) bool { return sh.Name == "day" })
	checked := 0
	for g, gr := range s.plan.Grids {
		if gr.Kind == data.GridResidential && !gr.HighRisk {
			if n := s.cov.At(g, day).Required; n != 3 {
				t.Fatalf("residential grid %s requires %d by day", gr.Code, n)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no residential grid in the roster")
	}

	// Saving what is shown changes nothing and writes nothing.
	journal = countRows(t, c.M, "journal")
	test.Tap(s.RulesBtn)
	test.Tap(c.Ruling().Save)
	if c.Ruling() != nil || countRows(t, c.M, "journal") != journal || s.Message.Text != "Nothing changed." {
		t.Fatalf("saving unchanged rules: %q", s.Message.Text)
	}

	// A roster planned now has the new table.
	s.Week.SetSelectedIndex(slices.Index(s.weeks, data.Week{Year: 2026, Num: 50}))
	test.Tap(s.PlanBtn)
	if !slices.Equal(s.roster.Shifts, defs) || len(s.cov.Shifts) != 21 {
		t.Fatalf("new roster's shifts %v", s.roster.Shifts)
	}
}

// The refusals of rules set wrong read whole in either language: the rule
// at fault, the grid kind and shift of a required count translated (no
// English inside the Chinese), an empty shift table said so.
func TestRulesRefusalsTranslated(t *testing.T) {
	c := newTestConsole(t, "leader_990101")
	cat, err := msg.Default()
	if err != nil {
		t.Fatal(err)
	}
	set := func(defs []data.ShiftDef, change func(*data.PatrolRules)) error {
		var rules *data.PatrolRules
		if change != nil {
			r := data.DefaultPatrolRules()
			change(&r)
			rules = &r
		}
		return c.M.SetDistrictRules(bg, "990101", defs, rules, c.User, testNow)
	}
	for _, k := range []struct {
		err    error
		zh, en string
	}{
		{set(nil, func(r *data.PatrolRules) { r.MaxShifts = -1 }),
			"巡逻规则无效：每人每周最多班次不能为负数", "the patrol rules are not valid: the most shifts a unit a week cannot be negative"},
		{set(nil, func(r *data.PatrolRules) { r.HighRiskExtra = -1 }),
			"巡逻规则无效：高风险网格加巡次数不能为负数", "the patrol rules are not valid: the extra patrols of a high-risk grid cannot be negative"},
		{set(nil, func(r *data.PatrolRules) { r.Required[data.GridCommercial]["evening"] = -1 }),
			"巡逻规则无效：应巡次数（商业 · 晚班）不能为负数", "the patrol rules are not valid: the required patrols (commercial, evening) cannot be negative"},
		{set([]data.ShiftDef{}, nil),
			"班次表至少须有一个班次，每个班次须有名称，时间在 0–24 点之间，至少一小时，且不与其他班次重叠",
			"the shift table needs at least one shift, each with a name, hours within 0–24, at least an hour, and no overlap with another"},
	} {
		if k.err == nil {
			t.Fatalf("accepted: want %q", k.en)
		}
		if zh := cat.Error(msg.Chinese, k.err); zh != k.zh {
			t.Errorf("zh %q, want %q", zh, k.zh)
		}
		if en := cat.Error(msg.English, k.err); en != k.en {
			t.Errorf("en %q, want %q", en, k.en)
		}
	}
}
