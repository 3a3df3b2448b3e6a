package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// addUser puts a user of a role into a test mirror (the demo makes
// admins, leaders and operators only).
func addUser(t *testing.T, m *mirror.Mirror, login, role, jurisdiction string) {
	t.Helper()
	if _, err := m.DB.Exec(`INSERT INTO users (login, name, role, jurisdiction_code) VALUES (?, ?, ?, ?)`,
		login, login, role, jurisdiction); err != nil {
		t.Fatal(err)
	}
}

// handlingCase is a case of the fixture city being handled (dispatched by
// the leader, started), which every step but filing and closing applies
// to.
func handlingCase(t *testing.T, m *mirror.Mirror, grid string) data.CaseRow {
	t.Helper()
	r, err := m.ReportCase(bg, data.CaseReport{Grid: grid, Matter: "MD01", Description: "噪音", Actor: "leader"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	step := func(to data.EventState, units ...string) {
		t.Helper()
		if r, err = m.MoveCase(bg, data.CaseMove{Case: r.Code, To: to, Units: units, Actor: "leader", Version: r.Version}, testNow); err != nil {
			t.Fatal(err)
		}
	}
	step(data.EventFiled)
	recs, err := m.Recommend(bg, r.Code, "leader", 1, testNow)
	if err != nil || len(recs) == 0 {
		t.Fatalf("recommend: %v", err)
	}
	step(data.EventDispatched, recs[0].Unit.Code)
	step(data.EventHandling)
	return r
}

// toolbarButton is the toolbar's (or any) button with this text, or nil.
func buttonLabelled(c *Console, text string) *widget.Button {
	b, _ := find(c.Win.Content(), func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && b.Text == text
	}).(*widget.Button)
	return b
}

// The console shows each role the controls of the actions its role
// permits and no others (data.Permissions), and the store refuses those
// actions to the same users when asked directly.
func TestConsoleShowsOnlyWhatTheRolePermits(t *testing.T) {
	const grid = "990101001001001"
	m := fixture.City(t)
	addUser(t, m, "analyst", string(data.RoleAnalyst), "9901")
	addUser(t, m, "worker", string(data.RoleWorker), grid[:12])
	r := handlingCase(t, m, grid)
	roster, err := m.PlanRoster(bg, "990101", data.WeekOf(testNow).String(), "leader", testNow)
	if err != nil {
		t.Fatal(err)
	}
	monday := data.WeekOf(testNow).Monday().Format("2006-01-02") + "/day"
	if _, err := m.AssignPatrol(bg, data.RosterChange{Roster: roster.ID, Unit: "U9901010010010011", Grid: grid,
		Shift: monday, Actor: "leader", Version: roster.Version}, testNow); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return testNow }

	type want struct {
		issue, orderMoves, report, ack, brief, plan, publish, dutyLink, leaveLink bool
		steps                                                                     []string
	}
	handle := []string{"Feed back…", "Return…", "Park…", "Escalate…"}
	for _, tc := range []struct {
		login string
		want  want
	}{
		{"leader", want{true, true, true, true, true, true, true, true, true, []string{"Feed back…", "Return…", "Park…", "Extend…", "Escalate…"}}},
		{"operator", want{true, true, true, true, true, true, false, true, true, handle}},
		{"analyst", want{brief: true}},
		{"worker", want{report: true, steps: []string{"Feed back…"}}},
		{"admin", want{}},
	} {
		t.Run(tc.login, func(t *testing.T) {
			c := newConsoleOn(t, m, tc.login, now)
			w := tc.want
			brief := buttonLabelled(c, "Briefing…")
			for _, k := range []struct {
				name      string
				o         fyne.CanvasObject
				shown     bool
				wantShown bool
			}{
				{"Issue order", c.IssueBtn, c.IssueBtn.Visible(), w.issue},
				{"order moves", c.Actions, c.Actions.Visible(), w.orderMoves},
				{"Report case", c.ReportBtn, c.ReportBtn.Visible(), w.report},
				{"Acknowledge", c.Mon.AckBtn, c.Mon.AckBtn.Visible(), w.ack},
				{"Briefing… (toolbar)", brief, brief != nil && brief.Visible(), w.brief},
				{"Plan roster", c.Sched.PlanBtn, c.Sched.PlanBtn.Visible(), w.plan},
				{"Auto-fill", c.Sched.FillBtn, c.Sched.FillBtn.Visible(), w.plan},
				{"Leave…", c.Sched.LeaveBtn, c.Sched.LeaveBtn.Visible(), w.plan},
				{"Rules…", c.Sched.RulesBtn, c.Sched.RulesBtn.Visible(), w.plan},
				{"Publish", c.Sched.PublishBtn, c.Sched.PublishBtn.Visible(), w.publish},
			} {
				if k.shown != k.wantShown {
					t.Errorf("%s shown %v, want %v", k.name, k.shown, k.wantShown)
				}
			}
			if got := slices.Contains(menuLabels(c.Win.MainMenu().Items[0]), "Briefing…"); got != w.brief {
				t.Errorf("File ▸ Briefing… in the menu: %v, want %v", got, w.brief)
			}
			c.SelectCase(r.Code)
			if got := c.CaseButtons(); !slices.Equal(got, w.steps) {
				t.Errorf("the case being handled offers %q, want %q", got, w.steps)
			}
			c.ShowDetail("C990101")
			if _, got := c.DetailLinks()["Edit duty roster…"]; got != w.dutyLink {
				t.Errorf("center details link to its duty roster: %v, want %v", got, w.dutyLink)
			}
			c.ShowDetail("U9901010010010011")
			if _, got := c.DetailLinks()["Leave…"]; got != w.leaveLink {
				t.Errorf("unit details link to its leave: %v, want %v", got, w.leaveLink)
			}
			// The week grid's cell shows who patrols it to everyone; only
			// those who may edit rosters can change it.
			c.ChooseSchedule("990101", data.WeekOf(testNow))
			c.OpenCell(c.Sched.rowOf[grid], c.Sched.colOf[monday])
			d := c.Assigning()
			if d == nil || !slices.Equal(d.Assigned, []string{"U9901010010010011"}) {
				t.Fatalf("the cell's dialog: %+v", d)
			}
			if edits := d.Assign != nil || len(d.TakeOff) > 0 || len(d.Leave) > 0; edits != w.plan {
				t.Errorf("the cell's dialog edits: %v, want %v", edits, w.plan)
			}
			d.close()
		})
	}

	// The store refuses each of those actions to a role without them,
	// whatever the console shows.
	refused := func(who string, err error) {
		t.Helper()
		if !isRefusal(err, data.CodeActionNotPermitted) {
			t.Errorf("%s: %v, want action_not_permitted", who, err)
		}
	}
	start := testNow.Add(time.Hour)
	order := func(actor string) error {
		_, err := m.IssueOrder(bg, data.OrderRequest{Type: data.OrderPatrol, Priority: data.PriorityNormal, Task: "巡查",
			Start: start, End: start.Add(time.Hour), Targets: []string{grid}, Actor: actor}, testNow)
		return err
	}
	o, err := m.IssueOrder(bg, data.OrderRequest{Type: data.OrderPatrol, Priority: data.PriorityNormal, Task: "巡查",
		Start: start, End: start.Add(time.Hour), Targets: []string{grid}, Actor: "leader"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.EvaluateIndicators(bg, testNow); err != nil {
		t.Fatal(err)
	}
	alerts, err := m.Alerts(bg, data.AlertFilter{OpenOnly: true})
	if err != nil || len(alerts) == 0 {
		t.Fatalf("open alerts: %d %v", len(alerts), err)
	}
	for _, login := range []string{"analyst", "worker", "admin"} {
		refused(login+" issues an order", order(login))
		_, err := m.MoveOrder(bg, o.UID, data.OrderAcknowledged, login, testNow)
		refused(login+" acknowledges an order", err)
		_, err = m.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventParked, Reason: "等待", Actor: login, Version: r.Version}, testNow)
		refused(login+" parks a case", err)
		_, err = m.PlanRoster(bg, "990102", data.WeekOf(testNow).String(), login, testNow)
		refused(login+" plans a roster", err)
		_, err = m.AssignDuty(bg, data.DutyRequest{Center: "C990101", Shift: monday,
			Person: "张三", Role: data.DutyOfficer, Actor: login}, testNow)
		refused(login+" puts someone on duty", err)
		_, err = m.AckAlert(bg, alerts[0].UID, login, testNow)
		refused(login+" acknowledges an alert", err)
	}
	for _, login := range []string{"analyst", "admin"} {
		_, err := m.ReportCase(bg, data.CaseReport{Grid: grid, Matter: "MD01", Description: "噪音", Actor: login}, testNow)
		refused(login+" reports a case", err)
		_, err = m.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventFedBack, Result: "已处理", Actor: login, Version: r.Version}, testNow)
		refused(login+" feeds a case back", err)
	}
	_, err = m.ExtendCase(bg, r.Code, "需要更多时间", "operator", r.Version, testNow)
	refused("operator extends a case", err)
	_, _, err = m.PublishRoster(bg, roster.ID, "operator", 0, testNow)
	refused("operator publishes a roster", err)
	// The grid worker's one step goes through.
	if _, err := m.MoveCase(bg, data.CaseMove{Case: r.Code, To: data.EventFedBack, Result: "已处理", Actor: "worker", Version: r.Version}, testNow); err != nil {
		t.Errorf("the grid worker feeds back: %v", err)
	}
}

// Phone numbers show whole to a role with the contact permission and
// masked (138****1234) to any other, wherever the console shows one: a
// center's duty phone and duty roster, a unit's members, a grid's workers,
// a case's reporter.
func TestPhonesMaskedWithoutTheContactPermission(t *testing.T) {
	const grid, unit, center = "990101001001001", "U9901010010010011", "C990101"
	m := fixture.City(t)
	addUser(t, m, "analyst", string(data.RoleAnalyst), "9901")
	duty, err := m.AssignDuty(bg, data.DutyRequest{Center: center, Shift: data.WeekOf(testNow).Days()[2].Format("2006-01-02") + "/day",
		Person: "张三", Phone: "13912345678", Role: data.DutyOfficer, Actor: "leader"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.ReportCase(bg, data.CaseReport{Grid: grid, Matter: "MD01", Description: "噪音", Contact: "王女士 13812341234", Actor: "leader"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	cd, err := m.CenterDetail(bg, center, testNow)
	if err != nil {
		t.Fatal(err)
	}
	ud, err := m.UnitDetail(bg, unit)
	if err != nil {
		t.Fatal(err)
	}
	gd, err := m.GridDetail(bg, grid, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if cd.DutyPhone == "" || len(ud.Members) == 0 || ud.Members[0].Phone == "" || len(gd.Workers) == 0 || gd.Workers[0].Phone == "" {
		t.Fatalf("the fixture lacks phones: %q %+v %+v", cd.DutyPhone, ud.Members, gd.Workers)
	}
	shown := map[string]string{center: cd.DutyPhone, unit: ud.Members[0].Phone, grid: gd.Workers[0].Phone, r.Code: "13812341234"}
	now := func() time.Time { return testNow }
	for _, login := range []string{"operator", "analyst"} {
		c := newConsoleOn(t, m, login, now)
		whole := login == "operator"
		for code, phone := range shown {
			c.ShowDetail(code)
			text := c.DetailText()
			masked := data.MaskPhone(phone)
			if strings.Contains(text, phone) != whole || strings.Contains(text, masked) == whole {
				t.Errorf("%s sees %s's phone %s (masked %s) in:\n%s", login, code, phone, masked, text)
			}
		}
		c.ShowDetail(center)
		if text := c.DetailText(); strings.Contains(text, duty.Phone) != whole {
			t.Errorf("%s sees the duty roster's phone %s whole: %v, want %v", login, duty.Phone, !whole, whole)
		}
		// The duty roster's dialog lists it as the details do.
		c.OpenDutyDialog(center)
		listed := find(c.DutyEditing().list, func(o fyne.CanvasObject) bool {
			l, ok := o.(*widget.Label)
			return ok && strings.Contains(l.Text, "张三")
		})
		if listed == nil || strings.Contains(listed.(*widget.Label).Text, duty.Phone) != whole {
			t.Errorf("%s's duty dialog lists %v", login, listed)
		}
	}
}
