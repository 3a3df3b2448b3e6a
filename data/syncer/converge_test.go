package syncer_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"kapok/data"
	"kapok/data/mirror"
	"kapok/internal/fixture"
)

const unit2 = "U9901010010010021" // in otherGrid

// must fails the test on an error of a console's own change (made offline,
// on the console's own state, where it is valid).
func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// outcomes is a console's record of every arrival and what applying it did.
func outcomes(t *testing.T, m *mirror.Mirror) string {
	t.Helper()
	rows, err := m.DB.Query(`SELECT arrival, entry_id, kind, outcome, ifnull(json_extract(refusal, '$.code'), '') FROM sync_log ORDER BY arrival`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var arrival int64
		var id, kind, outcome, code string
		if err := rows.Scan(&arrival, &id, &kind, &outcome, &code); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, arrival, id, kind, outcome, code)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Three consoles work offline on the same orders, cases and rosters
// (some of their changes collide), then sync in different orders: all end
// in the same state, and every arrival had the same outcome on each.
func TestThreeConsolesConverge(t *testing.T) {
	for _, order := range [][]int{{0, 1, 2}, {2, 0, 1}, {1, 2, 0, 2}} {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			cs := []*mirror.Mirror{fixture.City(t), fixture.City(t), fixture.City(t)}
			a, b, c := cs[0], cs[1], cs[2]
			conn := upstreamOf(t, a)
			at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
			// Common ground: an order and a case every console has.
			o1 := issue(t, a, "共同指令", at(0))
			k1 := must[data.CaseRow](t, "report k1")(a.ReportCase(ctx, data.CaseReport{Grid: grid, Matter: "MD01", Description: "共同案件", Actor: "leader_990101"}, at(1)))
			for _, m := range cs {
				syncOnce(t, m, conn)
			}
			// Offline, each on its own.
			must[data.Order](t, "a acks o1")(a.MoveOrder(ctx, o1.UID, data.OrderAcknowledged, "commander", at(10)))
			must[data.CaseRow](t, "a files k1")(a.MoveCase(ctx, data.CaseMove{Case: k1.Code, To: data.EventFiled, Actor: "leader_990101"}, at(11)))
			r := must[data.Roster](t, "a plans")(a.PlanRoster(ctx, "990101", "2026-W49", "leader_990101", at(12)))
			must[data.Roster](t, "a assigns")(a.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: unit, Grid: grid, Shift: "2026-12-01/day", Actor: "leader_990101"}, at(13)))
			must[data.Roster](t, "a assigns 2")(a.AssignPatrol(ctx, data.RosterChange{Roster: r.ID, Unit: unit2, Grid: otherGrid, Shift: "2026-12-01/day", Actor: "leader_990101"}, at(14)))

			must[data.Order](t, "b cancels o1")(b.MoveOrder(ctx, o1.UID, data.OrderCancelled, "commander", at(20)))
			must[data.CaseRow](t, "b cancels k1")(b.MoveCase(ctx, data.CaseMove{Case: k1.Code, To: data.EventCancelled, Reason: "重复", Actor: "leader_990101"}, at(21)))
			o2 := issue(t, b, "B 的指令", at(22))
			must[data.Order](t, "b acks o2")(b.MoveOrder(ctx, o2.UID, data.OrderAcknowledged, "commander", at(23)))
			must[data.Duty](t, "b duty")(b.AssignDuty(ctx, data.DutyRequest{Center: "C990101001001", Shift: "2026-11-25/day", Person: "王伟", Phone: "13800000000", Actor: "leader_990101"}, at(24)))

			must[data.Order](t, "c acks o1")(c.MoveOrder(ctx, o1.UID, data.OrderAcknowledged, "commander", at(30)))
			must[data.Order](t, "c starts o1")(c.MoveOrder(ctx, o1.UID, data.OrderInProgress, "commander", at(31)))
			must[data.CaseRow](t, "c files k1")(c.MoveCase(ctx, data.CaseMove{Case: k1.Code, To: data.EventFiled, Actor: "leader_990101"}, at(32)))
			must[data.CaseRow](t, "c dispatches k1")(c.MoveCase(ctx, data.CaseMove{Case: k1.Code, To: data.EventDispatched, Units: []string{unit2}, Actor: "leader_990101"}, at(33)))
			k2 := must[data.CaseRow](t, "c reports k2")(c.ReportCase(ctx, data.CaseReport{Grid: otherGrid, Matter: "MD01", Description: "C 上报", Actor: "leader_990101"}, at(34)))
			must[string](t, "c leave")(c.MarkLeave(ctx, unit, at(35), at(35).Add(8*time.Hour), "病假", "leader_990101", at(35)))

			for _, i := range order {
				syncOnce(t, cs[i], conn)
			}
			for _, m := range cs { // everyone pulls what arrived after their turn
				syncOnce(t, m, conn)
			}
			sameState(t, "a and b", a, b)
			sameState(t, "a and c", a, c)
			if oa, ob, oc := outcomes(t, a), outcomes(t, b), outcomes(t, c); oa != ob || oa != oc {
				t.Fatalf("outcomes differ:\na:\n%s\nb:\n%s\nc:\n%s", oa, ob, oc)
			}
			// What each console made is everywhere (or rejected, with a reason).
			if _, err := a.Case(ctx, k2.Code, at(60)); err != nil {
				t.Errorf("a lacks c's case: %v", err)
			}
			for _, m := range cs {
				if st := must[mirror.SyncState](t, "state")(m.SyncState(ctx)); st.Waiting() != 0 || st.Phase != "" {
					t.Errorf("after the last round: %+v", st)
				}
			}
			t.Logf("rejected: %d", fixture.Count(t, a, `SELECT count(*) FROM sync_log WHERE outcome = 'rejected'`))
		})
	}
}

// An order keeps its number at the console that issued it: another
// console's order arriving before it takes the next number there.
func TestOwnOrdersKeepTheirNumbers(t *testing.T) {
	a, b := fixture.City(t), fixture.City(t)
	conn := upstreamOf(t, a)
	syncOnce(t, a, conn)
	syncOnce(t, b, conn)
	oa := issue(t, a, "A 的指令", t0.Add(time.Minute))
	ob := issue(t, b, "B 的指令", t0.Add(2*time.Minute))
	if oa.Number != 1 || ob.Number != 1 {
		t.Fatalf("numbers %d, %d", oa.Number, ob.Number)
	}
	syncOnce(t, b, conn) // b's order arrives first
	syncOnce(t, a, conn) // a takes b's back, applies it, takes its own again
	syncOnce(t, b, conn)
	number := func(m *mirror.Mirror, uid string) int64 {
		return fixture.Count(t, m, `SELECT number FROM orders WHERE uid = ?`, uid)
	}
	if number(a, oa.UID) != 1 || number(b, ob.UID) != 1 {
		t.Fatalf("own orders renumbered: a's #%d on a, b's #%d on b", number(a, oa.UID), number(b, ob.UID))
	}
	if number(a, ob.UID) != 2 || number(b, oa.UID) != 2 {
		t.Fatalf("the other's order: #%d on a, #%d on b", number(a, ob.UID), number(b, oa.UID))
	}
}
