package mirror_test

import (
	"errors"
	"slices"
	"testing"

	"kapok/data"
	"kapok/internal/fixture"
)

// A district's rules set wrong are refused and write nothing: an empty
// shift table (no roster could be planned with it), a negative limit, a
// negative required count — the rule named as a term for the edges to
// translate, with the grid kind and shift of a count, the same one whatever
// the map's order.
func TestSetDistrictRulesRefusals(t *testing.T) {
	m := fixture.City(t)
	const district = "990101"
	shifts, rules, err := m.DistrictRules(ctx, district)
	if err != nil {
		t.Fatal(err)
	}
	journal := count(t, m, `SELECT count(*) FROM journal`)
	rows := count(t, m, `SELECT count(*) FROM district_schedule_rules`)

	err = m.SetDistrictRules(ctx, district, []data.ShiftDef{}, nil, "leader", rosterNow)
	refused(t, "an empty shift table", err, data.CodeShiftsInvalid)

	negative := func(change func(*data.PatrolRules)) error {
		r := data.DefaultPatrolRules()
		change(&r)
		return m.SetDistrictRules(ctx, district, nil, &r, "leader", rosterNow)
	}
	for _, bad := range []struct {
		what   string
		change func(*data.PatrolRules)
	}{
		{"max shifts", func(r *data.PatrolRules) { r.MaxShifts = -1 }},
		{"min rest", func(r *data.PatrolRules) { r.MinRest = -1 }},
		{"high-risk extra", func(r *data.PatrolRules) { r.HighRiskExtra = -2 }},
	} {
		var r *data.Refusal
		if err := negative(bad.change); !errors.As(err, &r) || r.Code != data.CodeRulesInvalid || len(r.Args) != 1 ||
			r.Args[0] != (data.Arg{Name: "what", Value: bad.what, Kind: data.ArgTerm}) {
			t.Fatalf("%s negative: %v", bad.what, err)
		}
		if !slices.Contains(data.Terms, bad.what) {
			t.Fatalf("%q is not among the terms", bad.what)
		}
	}
	for range 10 {
		var r *data.Refusal
		err := negative(func(r *data.PatrolRules) {
			r.Required[data.GridVillage] = map[string]int{"night": -1, "day": -1}
			r.Required[data.GridCommercial] = map[string]int{"evening": -1}
		})
		want := []data.Arg{{Name: "what", Value: "required patrols", Kind: data.ArgTerm},
			{Name: "kind", Value: data.GridCommercial, Kind: data.ArgTerm}, {Name: "shift", Value: "evening", Kind: data.ArgTerm}}
		if !errors.As(err, &r) || r.Code != data.CodeRulesInvalid || !slices.Equal(r.Args, want) {
			t.Fatalf("negative required patrols: %v", err)
		}
	}

	if n := count(t, m, `SELECT count(*) FROM journal`); n != journal {
		t.Fatalf("refused rules wrote %d journal entries", n-journal)
	}
	if n := count(t, m, `SELECT count(*) FROM district_schedule_rules`); n != rows {
		t.Fatal("refused rules wrote a row")
	}
	after, afterRules, err := m.DistrictRules(ctx, district)
	if err != nil || !slices.Equal(after, shifts) || afterRules.MaxShifts != rules.MaxShifts {
		t.Fatalf("the district's rules changed: %v %+v, %v", after, afterRules, err)
	}
}
