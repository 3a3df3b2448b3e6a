package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"kapok/data"
	"kapok/internal/fixture"
)

// The alerts list shows the store's open alerts of the region, newest
// first; Acknowledge acknowledges in the store as the console's user and
// journals it, the row then naming who and how soon; a second try and an
// alert outside the user's jurisdiction are refused in words, writing
// nothing.
func TestAlertAcknowledgedFromThePanel(t *testing.T) {
	c := evaluatedConsole(t, "leader")
	want, err := c.M.Alerts(bg, data.AlertFilter{OpenOnly: true, Region: "9901"})
	if err != nil {
		t.Fatal(err)
	}
	shown := c.AlertsShown()
	if len(want) == 0 || len(shown) != len(want) {
		t.Fatalf("the list shows %d alerts, the store %d open", len(shown), len(want))
	}
	for i := range want {
		if shown[i].UID != want[i].UID {
			t.Fatalf("row %d: %s, want %s", i, shown[i].UID, want[i].UID)
		}
		if i > 0 && shown[i].OpenedAt.After(shown[i-1].OpenedAt) {
			t.Fatal("not newest first")
		}
	}
	a := shown[0]
	if !c.Mon.AckBtn.Disabled() {
		t.Fatal("Acknowledge enabled with no alert chosen")
	}
	c.SelectAlert(a.UID)
	journal := fixture.Count(t, c.M, `SELECT count(*) FROM journal WHERE kind = ?`, data.KindAlertAck)
	test.Tap(c.Mon.AckBtn)
	got, err := c.M.Alerts(bg, data.AlertFilter{Indicator: a.Indicator.Code, Region: a.Region})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(got, func(x data.Alert) bool { return x.UID == a.UID })
	if got[i].AckedBy != "leader" || !got[i].AckedAt.Equal(testNow) {
		t.Fatalf("the store has %q at %v", got[i].AckedBy, got[i].AckedAt)
	}
	if n := fixture.Count(t, c.M, `SELECT count(*) FROM journal WHERE kind = ?`, data.KindAlertAck); n != journal+1 {
		t.Fatalf("%d acknowledgements journaled, want %d", n, journal+1)
	}
	line := c.alertLine(c.AlertsShown()[0])
	if !strings.Contains(line, "acknowledged by leader after "+waitText(testNow.Sub(a.OpenedAt))) || !strings.Contains(c.AlertMessage(), "Acknowledged after") {
		t.Fatalf("row %q, message %q", line, c.AlertMessage())
	}
	if !c.Mon.AckBtn.Disabled() {
		t.Fatal("Acknowledge still enabled on an acknowledged alert")
	}
	// Tried again (as a list not yet refreshed would): the store refuses,
	// the panel says why.
	c.AckSelectedAlert()
	if msg := c.AlertMessage(); msg != "alert "+a.UID+" is acknowledged already" {
		t.Fatalf("second acknowledgement: %q", msg)
	}
	if n := fixture.Count(t, c.M, `SELECT count(*) FROM journal WHERE kind = ?`, data.KindAlertAck); n != journal+1 {
		t.Fatal("a refused acknowledgement was journaled")
	}
}

func TestAlertOutsideJurisdictionRefused(t *testing.T) {
	c := evaluatedConsole(t, "leader_990101")
	c.ShowMonitorRegion("990102")
	shown := c.AlertsShown()
	if len(shown) == 0 {
		t.Fatal("no alert in 990102")
	}
	journal := fixture.Count(t, c.M, `SELECT count(*) FROM journal`)
	c.SelectAlert(shown[0].UID)
	test.Tap(c.Mon.AckBtn)
	if msg := c.AlertMessage(); msg != "alert "+shown[0].UID+" is outside your jurisdiction 990101" {
		t.Fatalf("refusal %q", msg)
	}
	if fixture.Count(t, c.M, `SELECT count(*) FROM journal`) != journal ||
		fixture.Count(t, c.M, `SELECT count(*) FROM alerts WHERE acked_at IS NOT NULL`) != 0 {
		t.Fatal("a refused acknowledgement wrote")
	}
}
