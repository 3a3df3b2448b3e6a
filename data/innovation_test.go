package data

import "testing"

func TestJudgeConflict(t *testing.T) {
	for _, c := range []struct {
		role         Role
		jurisdiction string
		region       string
		conflict     bool
	}{
		{RoleLeader, "", "440106", false},                   // the whole city
		{RoleLeader, "4401", "440106", false},               // the city by its code
		{RoleAnalyst, "4401", "440106001001", false},        // a community's entry, a city judge
		{RoleLeader, "440106", "440106", true},              // the district's own entry
		{RoleLeader, "440106", "440106001", true},           // a street of the district
		{RoleLeader, "440106", "440106001001", true},        // a community of the district
		{RoleLeader, "440106", "440111", false},             // another district
		{RoleLeader, "440106", "440111001", false},          // a street of another district
		{RoleLeader, "440106001", "440106", true},           // a street's judge, their district's entry
		{RoleLeader, "440106001", "440106002", false},       // a neighbouring street
		{RoleLeader, "440106001", "440106001003", true},     // a community of the street
		{RoleLeader, "440106001002", "440106001003", false}, // a neighbouring community
		{RoleSystem, "440106", "440106", false},             // the system, not a person
	} {
		u := User{Login: "j", Role: c.role, Jurisdiction: c.jurisdiction}
		if got := JudgeConflict(u, c.region); got != c.conflict {
			t.Errorf("judge of %q (%s), entry of %s: conflict %v, want %v", c.jurisdiction, c.role, c.region, got, c.conflict)
		}
	}
}
