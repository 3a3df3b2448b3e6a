package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The projects and contest subcommands: a project proposed, moved stage by
// stage, listed and shown; bad moves refused (status 1, the reason on
// stderr) with nothing written; a judge's scores, their own region's
// refused, and the round's ranking.
func TestProjectsAndContestCommands(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	defer func(now func() time.Time) { caseNow = now }(caseNow)
	caseNow = func() time.Time { return fixture.AsOf }
	path := fixture.CityPath(t)
	m := "--mirror"

	code, out, errOut := cli(t, "projects", "add", m, path, "--region", "990101001", "--title", "大源村模式", "--unit", "白云区",
		"--indicators", "environment-01H")
	key := strings.TrimSpace(out)
	if code != 0 || len(key) != 36 {
		t.Fatalf("add: status %d, %q, %q", code, out, errOut)
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"projects", "add", m, path, "--region", "990109", "--title", "x"}, 1, "990109"},
		{[]string{"projects", "add", m, path, "--region", "990101", "--title", " "}, 1, "a project needs a title"},
		{[]string{"projects", "add", m, path, "--region", "990101"}, 2, "--title"},
		{[]string{"projects", "move", m, path, "--project", key, "--to", "piloting"}, 1, "cannot go from proposed to piloting"},
		{[]string{"projects", "move", m, path, "--project", key, "--to", "stopped"}, 1, "needs a reason"},
		{[]string{"projects", "move", m, path, "--project", "0123456789", "--to", "incubating"}, 1, "no innovation project 0123456789"},
		{[]string{"projects", "move", m, path, "--project", key}, 2, "--to"},
	} {
		c, o, e := cli(t, bad.args...)
		if c != bad.code || !strings.Contains(e, bad.says) {
			t.Errorf("%v: status %d, %q, %q; want %d saying %q", bad.args, c, o, e, bad.code, bad.says)
		}
	}
	if code, out, errOut := cli(t, "projects", "move", m, path, "--project", key[:8], "--to", "incubating"); code != 0 || out != key+"\tincubating\n" {
		t.Fatalf("move: status %d, %q, %q", code, out, errOut)
	}
	code, out, _ = cli(t, "projects", "list", m, path, "--format", "json")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"stage":"incubating"`) || !strings.Contains(out, "大源村模式") {
		t.Fatalf("list: status %d, %q (the refused adds written?)", code, out)
	}
	if code, out, _ := cli(t, "projects", "list", m, path, "--stage", "proposed"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("list proposed: status %d, %q", code, out)
	}
	code, out, _ = cli(t, "projects", "show", m, path, "--project", key)
	if code != 0 || !strings.Contains(out, "stage       incubating") || !strings.Contains(out, "environment-01H") {
		t.Fatalf("show: status %d, %q", code, out)
	}

	// A round opened and the project entered (no command line for these yet).
	mm, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := mm.OpenRound(ctx, 2021, []data.Criterion{{Code: "innovation", NameZH: "创新性", NameEN: "innovation", Weight: 6, Max: 40},
		{Code: "effect", NameZH: "实效性", NameEN: "effect", Weight: 4, Max: 60}}, "leader", fixture.AsOf); err != nil {
		t.Fatal(err)
	}
	if err := mm.EnterProject(ctx, 2021, key, "leader", fixture.AsOf); err != nil {
		t.Fatal(err)
	}
	if err := mm.Close(); err != nil {
		t.Fatal(err)
	}
	score := []string{"contest", "score", m, path, "--round", "2021", "--project", key}
	asUser(t, "leader_990102")
	for _, s := range [][]string{{"innovation", "30"}, {"effect", "45"}} {
		if code, out, errOut := cli(t, append(score, "--criterion", s[0], "--value", s[1])...); code != 0 {
			t.Fatalf("score: status %d, %q, %q", code, out, errOut)
		}
	}
	for _, bad := range []struct {
		user string
		args []string
		code int
		says string
	}{
		{"leader_990102", []string{"--criterion", "innovation", "--value", "41"}, 1, "outside 0 to 40"},
		{"leader_990102", []string{"--criterion", "beauty", "--value", "1"}, 1, "has no criterion beauty"},
		{"leader_990102", []string{"--criterion", "innovation", "--value", "many"}, 2, "not a number"},
		{"leader_990101", []string{"--criterion", "innovation", "--value", "1"}, 1, "does not score their own region"},
		{"commander", []string{"--criterion", "innovation", "--value", "1"}, 1, "is not permitted judging the innovation contest"},
	} {
		asUser(t, bad.user)
		c, o, e := cli(t, append(score, bad.args...)...)
		if c != bad.code || !strings.Contains(e, bad.says) {
			t.Errorf("%s %v: status %d, %q, %q; want %d saying %q", bad.user, bad.args, c, o, e, bad.code, bad.says)
		}
	}
	code, out, errOut = cli(t, "contest", "rank", m, path, "--round", "2021", "--format", "json")
	// (30×6 + 45×4) / 10 = 36
	if code != 0 || !strings.Contains(out, `"project":"`+key+`"`) || !strings.Contains(out, `"score":"36.00"`) || !strings.Contains(out, `"city":"city"`) {
		t.Fatalf("rank: status %d, %q, %q", code, out, errOut)
	}
	if code, out, _ := cli(t, "contest", "rank", m, path, "--round", "2021", "--criteria"); code != 0 || !strings.Contains(out, "创新性") {
		t.Fatalf("criteria: status %d, %q", code, out)
	}
	if code, _, errOut := cli(t, "contest", "rank", m, path, "--round", "2030"); code != 1 || !strings.Contains(errOut, "no contest round 2030") {
		t.Fatalf("unknown round: status %d, %q", code, errOut)
	}
}
