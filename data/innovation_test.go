package data

import (
	"testing"
	"time"
)

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

func TestMilestoneOverdueAt(t *testing.T) {
	due := time.Date(2026, 10, 30, 10, 0, 0, 0, time.UTC)
	at := due.Add(24 * time.Hour)
	for _, c := range []struct {
		done    time.Time
		stage   Stage
		at      time.Time
		overdue bool
	}{
		{time.Time{}, StagePiloting, at, true},                   // not done, past due
		{time.Time{}, StagePiloting, due, false},                 // due that instant: not yet
		{time.Time{}, StagePiloting, due.Add(-time.Hour), false}, // before it is due
		{due.Add(time.Hour), StagePiloting, at, false},           // done late, by then
		{at.Add(time.Hour), StagePiloting, at, true},             // done only after then: overdue then
		{time.Time{}, StageStopped, at, false},                   // a stopped project's
	} {
		m := Milestone{Due: due, Done: c.done}
		if got := m.OverdueAt(c.stage, c.at); got != c.overdue {
			t.Errorf("done %v, %s, at %v: overdue %v, want %v", c.done, c.stage, c.at, got, c.overdue)
		}
	}
}
