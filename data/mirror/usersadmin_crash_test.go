package mirror_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

const userAdminerEnv = "KAPOK_USER_ADMINER"

// TestHelperUserAdminer is not a test: run with KAPOK_USER_ADMINER=path, it
// adds users, sets their passwords and disables them as the admin until
// killed, as an admin at a console would.
func TestHelperUserAdminer(t *testing.T) {
	path := os.Getenv(userAdminerEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	writingNow()
	for i := 0; ; i++ {
		login := fmt.Sprintf("u%d_%d", os.Getpid(), i)
		if err := m.AddUser(ctx, data.User{Login: login, Name: "新用户", Role: data.RoleOperator, Jurisdiction: "990101"}, "first-password", "admin", now); err != nil {
			t.Fatal(err)
		}
		if err := m.SetPassword(ctx, login, "second-password", "admin", now); err != nil {
			t.Fatal(err)
		}
		if err := m.DisableUser(ctx, login, "admin", now); err != nil {
			t.Fatal(err)
		}
	}
}

// kill -9 while users are added, given passwords and disabled: each time
// the users table says what the journal says — every user added has its
// user.add entry and no other, every disabled one its user.disable.
func TestUserAdminSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	path := fixture.CityPath(t)
	rng := rand.New(rand.NewPCG(29, 31))
	var added int64
	// Eight rounds at least, and until users were added (a slow start, as
	// under -race, leaves the writer little time a round).
	for round := 0; round < 8 || added == 0 && round < 60; round++ {
		m := reopenAfterKill(t, rng, round, "TestHelperUserAdminer", userAdminerEnv, path)
		added = count(t, m, `SELECT count(*) FROM users WHERE login LIKE 'u%\_%' ESCAPE '\'`)
		if j := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'user.add'`); j != added {
			t.Fatalf("round %d: %d users added, %d user.add entries", round, added, j)
		}
		disabled := count(t, m, `SELECT count(*) FROM users WHERE disabled_at IS NOT NULL`)
		if j := count(t, m, `SELECT count(*) FROM journal WHERE kind = 'user.disable'`); j != disabled {
			t.Fatalf("round %d: %d users disabled, %d user.disable entries", round, disabled, j)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if added == 0 {
		t.Fatal("the writer added no user before the kills")
	}
	t.Logf("%d users added across the kills", added)
}
