package mirror_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// The security matrix: every action the store takes on someone's behalf,
// tried as every role, on a target inside the user's jurisdiction and on
// one outside it, is allowed exactly when the matrix (data.Permissions)
// permits the role the action and the target lies in the jurisdiction (the
// system's is the whole city) — and a refused attempt writes nothing.

// The fixture city: district 990101 holds the users' jurisdictions, 990102
// is outside them all.
var accessPlaces = map[bool]struct{ district, street, community, grid string }{
	true:  {"990101", "990101001", "990101001001", "990101001001001"},
	false: {"990102", "990102001", "990102001201", "990102001201001"},
}

// accessUsers are a user per role, named by it, each with a jurisdiction
// in district 990101 at the level the role needs (the system's is the
// city).
func accessUsers(t *testing.T, m *mirror.Mirror) map[data.Role]string {
	t.Helper()
	jur := map[data.Role]string{data.RoleAdmin: "990101", data.RoleLeader: "990101", data.RoleCommander: "990101", data.RoleOperator: "990101",
		data.RoleDistrictOperator: "990101", data.RoleStreetOperator: "990101001", data.RoleWorker: "990101001001", data.RoleAnalyst: "990101"}
	users := map[data.Role]string{data.RoleSystem: data.SystemLogin}
	for r, j := range jur {
		login := "as_" + string(r)
		if _, err := m.DB.ExecContext(ctx, `INSERT INTO users (login, name, role, jurisdiction_code) VALUES (?, ?, ?, ?)`, login, login, r, j); err != nil {
			t.Fatal(err)
		}
		users[r] = login
	}
	return users
}

// accessRefusal tells whether err is the store refusing the actor: the
// role not permitting the action, or the target outside the jurisdiction
// (a feed's and an import's say so in their input error).
func accessRefusal(err error) bool {
	var r *data.Refusal
	if errors.As(err, &r) {
		return r.Code == data.CodeActionNotPermitted || r.Code == data.CodeConflictNotYours || r.Code == data.CodeJudgeOwnRegion || strings.HasSuffix(string(r.Code), "_outside_jurisdiction")
	}
	var in *data.InputError
	return errors.As(err, &in) && strings.Contains(in.Reason, "jurisdiction")
}

func TestAccessMatrix(t *testing.T) {
	m := fixture.City(t)
	users := accessUsers(t, m)
	now := fixture.AsOf
	sys := data.SystemLogin
	seq := 0
	next := func() int { seq++; return seq }

	// Units to dispatch: the available ones of each place's district, each
	// dispatched once (a case in handling holds its unit).
	free := map[bool][]string{}
	for inside, p := range accessPlaces {
		rows, err := m.DB.QueryContext(ctx, `SELECT code FROM units WHERE grid_code LIKE ? || '%' AND status = 'available' ORDER BY code`, p.district)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				t.Fatal(err)
			}
			free[inside] = append(free[inside], u)
		}
		_ = rows.Close()
	}
	// Cases left holding a unit, parked (their units released) after the
	// attempt.
	var holding []string
	release := func() {
		for _, code := range holding {
			c, err := m.Case(ctx, code, now)
			if err != nil {
				t.Fatal(err)
			}
			if c.State == data.EventHandling {
				if _, err := m.MoveCase(ctx, data.CaseMove{Case: code, To: data.EventParked, Reason: "测试", Actor: sys}, now); err != nil {
					t.Fatal(err)
				}
			}
		}
		holding = nil
	}
	// A case in a place, taken by the system to a state before the step.
	caseIn := func(inside bool, to ...data.EventState) string {
		p := accessPlaces[inside]
		c, err := m.ReportCase(ctx, data.CaseReport{Grid: p.grid, Matter: "MD01", Description: "权限测试", Actor: sys}, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range to {
			mv := data.CaseMove{Case: c.Code, To: s, Actor: sys, Result: "已处理"}
			if s == data.EventDispatched {
				if len(free[inside]) == 0 {
					t.Fatal("no unit left to dispatch")
				}
				mv.Units, free[inside] = free[inside][:1], free[inside][1:]
				free[inside] = append(free[inside], mv.Units[0]) // free again once released
				holding = append(holding, c.Code)
			}
			if _, err := m.MoveCase(ctx, mv, now); err != nil {
				t.Fatalf("%s to %s: %v", c.Code, s, err)
			}
		}
		return c.Code
	}
	exported := exportGrids(t, m)
	if err := m.OpenRound(ctx, 2021, contestCriteria, sys, now); err != nil {
		t.Fatal(err)
	}

	actions := map[data.Action]func(login string, inside bool) error{
		data.ActOrderIssue: func(login string, inside bool) error {
			_, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: now, End: now.Add(time.Hour), Targets: []string{accessPlaces[inside].grid}, Actor: login}, now)
			return err
		},
		data.ActOrderMove: func(login string, inside bool) error {
			o, err := m.IssueOrder(ctx, data.OrderRequest{Task: "巡查", Start: now, End: now.Add(time.Hour), Targets: []string{accessPlaces[inside].grid}, Actor: sys}, now)
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.MoveOrder(ctx, o.UID, data.OrderAcknowledged, login, now)
			return err
		},
		data.ActCaseReport: func(login string, inside bool) error {
			_, err := m.ReportCase(ctx, data.CaseReport{Grid: accessPlaces[inside].grid, Matter: "MD01", Description: "上报", Actor: login}, now)
			return err
		},
		data.ActCaseHandle: func(login string, inside bool) error {
			_, err := m.MoveCase(ctx, data.CaseMove{Case: caseIn(inside), To: data.EventFiled, Actor: login}, now)
			return err
		},
		data.ActCaseFeedback: func(login string, inside bool) error {
			code := caseIn(inside, data.EventFiled, data.EventDispatched, data.EventHandling)
			_, err := m.MoveCase(ctx, data.CaseMove{Case: code, To: data.EventFedBack, Result: "已处理", Actor: login}, now)
			return err
		},
		data.ActCaseExtend: func(login string, inside bool) error {
			code := caseIn(inside, data.EventFiled, data.EventDispatched, data.EventHandling)
			_, err := m.ExtendCase(ctx, code, "需要更多时间", login, 0, now)
			return err
		},
		data.ActRosterEdit: func(login string, inside bool) error {
			// Each attempt its own week: a region has one roster a week.
			_, err := m.PlanRoster(ctx, accessPlaces[inside].street, data.WeekOf(now.AddDate(0, 0, 7*(2+next()))).String(), login, now)
			return err
		},
		data.ActRosterPublish: func(login string, inside bool) error {
			r, err := m.PlanRoster(ctx, accessPlaces[inside].street, data.WeekOf(now.AddDate(0, 0, 7*(2+next()))).String(), sys, now)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = m.PublishRoster(ctx, r.ID, login, r.Version, now)
			return err
		},
		data.ActDutyEdit: func(login string, inside bool) error {
			day := now.AddDate(0, 0, next()).In(data.BeijingTime).Format("2006-01-02")
			_, err := m.AssignDuty(ctx, data.DutyRequest{Center: "C" + accessPlaces[inside].street, Shift: day + "/day", Person: "值班员" + fmt.Sprint(seq), Actor: login}, now)
			return err
		},
		data.ActAlertAck: func(login string, inside bool) error {
			// Each value later than any before, so that it is the one judged.
			at := now.Add(time.Duration(next()) * time.Second)
			street := accessPlaces[inside].street
			if _, err := m.Feed(ctx, "t", []data.Reading{{Indicator: aqi, Region: street, At: at, Value: 170}}, sys, at); err != nil {
				t.Fatal(err)
			}
			open, err := m.Alerts(ctx, data.AlertFilter{OpenOnly: true, Unacked: true, Region: street})
			if err != nil || len(open) == 0 {
				t.Fatalf("no open alert in %s: %v", street, err)
			}
			_, err = m.AckAlert(ctx, open[0].UID, login, at)
			// Cleared for the next try, acknowledged or not.
			clear := at.Add(500 * time.Millisecond)
			if _, ferr := m.Feed(ctx, "t", []data.Reading{{Indicator: aqi, Region: street, At: clear, Value: 20}}, sys, clear); ferr != nil {
				t.Fatal(ferr)
			}
			return err
		},
		data.ActFeed: func(login string, inside bool) error {
			_, err := m.Feed(ctx, "values.csv", []data.Reading{{Indicator: aqi, Region: accessPlaces[inside].street,
				At: now.Add(-time.Duration(next()) * time.Second), Value: 40}}, login, now)
			return err
		},
		data.ActUserAdmin: func(login string, inside bool) error {
			return m.AddUser(ctx, data.User{Login: fmt.Sprintf("new_%d", next()), Name: "新用户", Role: data.RoleOperator,
				Jurisdiction: accessPlaces[inside].district}, "a-long-password", login, now)
		},
		data.ActSyncResolve: func(login string, inside bool) error {
			// A change of this console that sync rejected: the user's own
			// (inside) or another's.
			author := login
			if !inside {
				author = "someone_else"
			}
			id := fmt.Sprintf("entry-%d", next())
			if _, err := m.DB.Exec(`INSERT INTO sync_log (arrival, entry_id, console, console_seq, kind, subject, actor, at, entry, outcome,
				refusal, applied_at) VALUES (?, ?, (SELECT value FROM kapok_meta WHERE key = 'console_id'), 1, 'order.move', 'o', ?, ?, '{}',
				'rejected', '{"code":"order_move_not_allowed"}', ?)`, next(), id, author, now.Format(time.RFC3339), now.Format(time.RFC3339)); err != nil {
				t.Fatal(err)
			}
			return m.ResolveConflict(ctx, id, login, now)
		},
		data.ActProjectEdit: func(login string, inside bool) error {
			_, err := m.AddProject(ctx, data.ProjectRequest{Region: accessPlaces[inside].street, Unit: "街道", Title: "试点", Actor: login}, now)
			return err
		},
		data.ActContestJudge: func(login string, inside bool) error {
			// A judge may not score their own region's entry: the entry
			// "inside" the rule is one of the other district.
			p, err := m.AddProject(ctx, data.ProjectRequest{Region: accessPlaces[!inside].street, Unit: "街道", Title: "参评", Actor: sys}, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.EnterProject(ctx, 2021, p.Key, sys, now); err != nil {
				t.Fatal(err)
			}
			return m.ScoreEntry(ctx, data.Score{Round: 2021, Project: p.Key, Criterion: contestCriteria[0].Code, Value: 1, Judge: login}, now)
		},
		data.ActImport: func(login string, inside bool) error {
			_, err := m.ImportFile(ctx, "grids", "grid.geojson", strings.NewReader(exported[accessPlaces[inside].grid]), login)
			return err
		},
	}
	for _, a := range data.Actions {
		try, ok := actions[a]
		switch {
		case ok:
		case a == data.ActBrief:
			continue // checked where briefings are made (app/brief)
		case a == data.ActJournalView, a == data.ActContactView:
			continue // reads: the console's and the command line's to enforce (data.User.ShowPhone)
		default:
			t.Errorf("action %s is not tried", a)
			continue
		}
		for _, r := range data.Roles {
			for _, inside := range []bool{true, false} {
				want := r.Permits(a) && (inside || r == data.RoleSystem)
				before := journalLength(t, m)
				err := try(users[r], inside)
				switch {
				case want && err != nil:
					t.Errorf("%s as %s, target inside=%v: refused: %v", a, r, inside, err)
				case !want && !accessRefusal(err):
					t.Errorf("%s as %s, target inside=%v: %v, want an access refusal", a, r, inside, err)
				case !want && journalLength(t, m) != before+setupEntries(a):
					t.Errorf("%s as %s, target inside=%v: refused but wrote to the journal", a, r, inside)
				}
				release()
			}
		}
	}
}

// setupEntries are the journal entries an attempt's own setup writes (as
// the system) before the attempt.
func setupEntries(a data.Action) int64 {
	switch a {
	case data.ActOrderMove, data.ActCaseHandle, data.ActRosterPublish:
		return 1
	case data.ActContestJudge:
		return 2 // the project proposed and entered
	case data.ActAlertAck:
		return 2 // the alarm fed, and cleared after
	case data.ActCaseFeedback, data.ActCaseExtend:
		return 4
	}
	return 0
}

func journalLength(t *testing.T, m *mirror.Mirror) int64 {
	t.Helper()
	return count(t, m, `SELECT count(*) FROM journal`)
}

// exportGrids exports the grids layer and returns each grid as a GeoJSON
// FeatureCollection of its own, to import again unchanged.
func exportGrids(t *testing.T, m *mirror.Mirror) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "grids.geojson")
	if _, err := m.Export(ctx, "grids", "geojson", path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fc.Features {
		var p struct {
			Properties struct {
				Code string `json:"code"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(f, &p); err != nil {
			t.Fatal(err)
		}
		out[p.Properties.Code] = `{"type":"FeatureCollection","features":[` + string(f) + `]}`
	}
	return out
}
