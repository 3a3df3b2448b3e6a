package demo_test

import (
	"context"
	"slices"
	"testing"

	"kapok/data"
	"kapok/data/demo"
	"kapok/internal/fixture"
)

// The demo's people: every role but the system's, each logging in with the
// one demo password; the system cannot.
func TestDemoUsersLogIn(t *testing.T) {
	ctx := context.Background()
	m, _ := buildTestCity(t)
	as, err := m.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]data.Role{"system": data.RoleSystem, "admin": data.RoleAdmin, "leader": data.RoleLeader, "commander": data.RoleCommander,
		"operator": data.RoleOperator, "analyst_9901": data.RoleAnalyst, "leader_990101": data.RoleLeader, "operator_990101": data.RoleDistrictOperator,
		"leader_990102": data.RoleLeader, "operator_990102": data.RoleDistrictOperator, "operator_990102001": data.RoleStreetOperator,
		"worker_990102001201": data.RoleWorker, "worker_990102001202": data.RoleWorker}
	var roles []data.Role
	for _, a := range as {
		if want[a.Login] != a.Role {
			t.Errorf("%s: %s, want %q", a.Login, a.Role, want[a.Login])
		}
		roles = append(roles, a.Role)
		if a.Login == data.SystemLogin {
			continue
		}
		if u, err := m.Authenticate(ctx, a.Login, demo.Password, fixture.AsOf); err != nil || u.Login != a.Login {
			t.Errorf("%s: %v", a.Login, err)
		}
		if l := a.Role.JurisdictionLevel(); l != nil && !slices.Contains(l, len(a.Jurisdiction)) {
			t.Errorf("%s (%s): jurisdiction %q", a.Login, a.Role, a.Jurisdiction)
		}
	}
	if len(as) != len(want) {
		t.Errorf("%d users, want %d", len(as), len(want))
	}
	for _, r := range data.Roles {
		if !slices.Contains(roles, r) {
			t.Errorf("no demo user is a %s", r)
		}
	}
	if _, err := m.Authenticate(ctx, data.SystemLogin, demo.Password, fixture.AsOf); err == nil {
		t.Fatal("the system logged in")
	}
}
