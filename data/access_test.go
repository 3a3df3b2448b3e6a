package data

import (
	"os"
	"strings"
	"testing"
)

// matrixTable is the permission matrix as the Markdown table docs/ACCESS.md
// shows: a row per action, a column per role, ✓ where the role permits it.
func matrixTable() string {
	var b strings.Builder
	b.WriteString("| action |")
	for _, r := range Roles {
		b.WriteString(" " + string(r) + " |")
	}
	b.WriteString("\n|---|")
	for range Roles {
		b.WriteString(":-:|")
	}
	b.WriteString("\n")
	for _, a := range Actions {
		b.WriteString("| `" + string(a) + "` |")
		for _, r := range Roles {
			mark := " "
			if r.Permits(a) {
				mark = "✓"
			}
			b.WriteString(" " + mark + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// The matrix written in docs/ACCESS.md is the one in code.
func TestAccessDocIsTheMatrix(t *testing.T) {
	doc, err := os.ReadFile("../docs/ACCESS.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := matrixTable(); !strings.Contains(string(doc), want) {
		t.Fatalf("docs/ACCESS.md does not hold the matrix of data.Permissions; it should read:\n\n%s", want)
	}
}

// Every role is in the matrix and permits only listed actions; the admin
// takes no operational action; the analyst writes nothing.
func TestMatrixShape(t *testing.T) {
	known := map[Action]bool{}
	for _, a := range Actions {
		known[a] = true
	}
	for _, r := range Roles {
		acts, ok := Permissions[r]
		if !ok {
			t.Errorf("role %s has no row", r)
		}
		for _, a := range acts {
			if !known[a] {
				t.Errorf("role %s permits unknown action %s", r, a)
			}
		}
	}
	for _, a := range []Action{ActOrderIssue, ActOrderMove, ActCaseHandle, ActRosterEdit, ActAlertAck, ActFeed} {
		if RoleAdmin.Permits(a) || RoleAnalyst.Permits(a) {
			t.Errorf("admin or analyst permitted %s", a)
		}
	}
}
