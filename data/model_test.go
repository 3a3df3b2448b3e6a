package data

import (
	"testing"
	"time"
)

func TestEventWorkflow(t *testing.T) {
	allowed := [][2]string{{EventCollected, EventFiled}, {EventCollected, EventCancelled}, {EventFiled, EventDispatched},
		{EventDispatched, EventHandling}, {EventDispatched, EventReturned}, {EventReturned, EventDispatched},
		{EventHandling, EventParked}, {EventParked, EventHandling}, {EventHandling, EventFedBack},
		{EventFedBack, EventClosed}, {EventClosed, EventEvaluated}}
	for _, a := range allowed {
		if !CanMove(a[0], a[1]) {
			t.Errorf("%s → %s refused", a[0], a[1])
		}
	}
	refused := [][2]string{{EventCollected, EventDispatched}, {EventCancelled, EventFiled}, {EventEvaluated, EventHandling},
		{EventFiled, EventClosed}, {EventHandling, EventClosed}}
	for _, r := range refused {
		if CanMove(r[0], r[1]) {
			t.Errorf("%s → %s allowed", r[0], r[1])
		}
	}
}

func TestDeadlineAndOverdue(t *testing.T) {
	m := MatterType{TimeLimit: 24 * time.Hour}
	dispatched := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	dl := Deadline(dispatched, m)
	if !dl.Equal(dispatched.Add(24 * time.Hour)) {
		t.Fatalf("deadline %v", dl)
	}
	e := Event{State: EventHandling, DispatchedAt: &dispatched, Deadline: &dl}
	if e.Overdue(dl.Add(-time.Minute)) || !e.Overdue(dl.Add(time.Minute)) {
		t.Fatal("open event overdue at the wrong time")
	}
	closed := dl.Add(-time.Hour)
	e.State, e.ClosedAt = EventClosed, &closed
	if e.Overdue(dl.Add(48 * time.Hour)) {
		t.Fatal("event closed in time reported overdue")
	}
	late := dl.Add(time.Hour)
	e.ClosedAt = &late
	if !e.Overdue(late) {
		t.Fatal("event closed late not reported overdue")
	}
}

func TestOrderStates(t *testing.T) {
	if !CanMoveOrder("issued", "acknowledged") || !CanMoveOrder("in_progress", "done") || CanMoveOrder("done", "issued") || CanMoveOrder("cancelled", "done") {
		t.Fatal("order state machine wrong")
	}
}

func TestShortNameAndPinyin(t *testing.T) {
	for in, want := range map[string]string{"大源村委会": "大源村", "翠洲社区居民委员会": "翠洲社区", "六村民委员会": "六村", "沙面街道": "沙面街道"} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"大源村委会": "dayuancunweihui", "番禺区": "panyuqu", "花都区": "huaduqu", "长洲街道": "changzhoujiedao"} {
		if got := Pinyin(in); got != want {
			t.Errorf("Pinyin(%s) = %s, want %s", in, got, want)
		}
	}
}
