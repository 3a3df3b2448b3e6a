package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/app/chart"
	"kapok/data"
)

// The Monitoring tab's alerts: the open alerts of the region shown, newest
// first, each acknowledged through the store as the console's user; and
// the notice over the window when a new alarm opens anywhere in the user's
// jurisdiction — a red bar, never a modal dialog, that shows the alarm
// when tapped and goes when dismissed.

// alertsShown is the most alerts the list holds.
const alertsShown = 300

func (c *Console) buildAlerts() {
	s := &c.Mon
	s.Alerts = widget.NewList(func() int { return len(s.alerts) },
		func() fyne.CanvasObject { return widget.NewLabel("\n") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.alerts) {
				l := o.(*widget.Label)
				l.Importance = severityImportance(s.alerts[i].Severity)
				l.SetText(c.alertLine(s.alerts[i]))
			}
		})
	s.Alerts.OnSelected = func(i widget.ListItemID) {
		if i < len(s.alerts) && s.alerts[i].UID != s.alertSel {
			s.alertSel = s.alerts[i].UID
			c.sayAlert("", false)
		}
		c.updateAckBtn()
	}
	s.AckBtn = widget.NewButtonWithIcon(T("Acknowledge"), theme.ConfirmIcon(), c.AckSelectedAlert)
	s.AckBtn.Importance = widget.HighImportance
	c.showIf(s.AckBtn, data.ActAlertAck)
	s.AlertMsg = widget.NewLabel("")
	s.AlertMsg.Wrapping = fyne.TextWrapWord
	s.AlertMsg.Hide()
}

// alertLine is an alert's two lines: severity, indicator, region, value;
// when it opened and who acknowledged it how soon.
func (c *Console) alertLine(a data.Alert) string {
	first := fmt.Sprintf("● %s · %s · %s · %s", T(a.Severity.String()), c.indicatorName(a.Indicator), c.regionName(a.Region),
		c.valueText(a.OpenedValue, a.Indicator.Unit))
	second := T("opened {{.At}}", map[string]any{"At": a.OpenedAt.In(beijing).Format("01-02 15:04")}) + " · "
	if a.AckedAt.IsZero() {
		second += T("not acknowledged")
	} else {
		second += T("acknowledged by {{.User}} after {{.Wait}}", map[string]any{"User": a.AckedBy, "Wait": waitText(a.TimeToAck())})
	}
	return first + "\n" + second
}

// waitText is a time to acknowledge: "45 s", "3 min 20 s", "2 h 5 min".
func waitText(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return T("{{.H}} h {{.M}} min", map[string]any{"H": h, "M": m})
	case m > 0:
		return T("{{.M}} min {{.S}} s", map[string]any{"M": m, "S": s})
	}
	return T("{{.N}} s", map[string]any{"N": s})
}

// loadAlerts reads the open alerts of the region shown and looks for new
// alarms.
func (c *Console) loadAlerts() {
	s := &c.Mon
	if s.Alerts == nil {
		return
	}
	var as []data.Alert
	var err error
	if c.Replaying() {
		// Open then (their acknowledgement as it is now).
		as, err = c.M.Alerts(bg, data.AlertFilter{OpenAt: c.clock(), Region: s.region, Limit: alertsShown})
	} else {
		as, err = c.M.Alerts(bg, data.AlertFilter{OpenOnly: true, Region: s.region, Limit: alertsShown})
	}
	if err != nil {
		c.sayAlert(c.text(err), true)
		as = nil
	}
	s.alerts = as
	s.Alerts.UnselectAll()
	if i := slices.IndexFunc(as, func(a data.Alert) bool { return a.UID == s.alertSel }); i >= 0 {
		s.Alerts.Select(i)
	} else {
		s.alertSel = ""
	}
	s.Alerts.Refresh()
	c.updateAckBtn()
	c.checkNewAlarms()
}

// AlertsShown is the alerts list as shown.
func (c *Console) AlertsShown() []data.Alert { return c.Mon.alerts }

// SelectAlert chooses an alert of the list.
func (c *Console) SelectAlert(uid string) {
	if i := slices.IndexFunc(c.Mon.alerts, func(a data.Alert) bool { return a.UID == uid }); i >= 0 {
		c.Mon.Alerts.Select(i)
	}
}

func (c *Console) selectedAlert() (data.Alert, bool) {
	s := &c.Mon
	i := slices.IndexFunc(s.alerts, func(a data.Alert) bool { return a.UID == s.alertSel })
	if i < 0 {
		return data.Alert{}, false
	}
	return s.alerts[i], true
}

func (c *Console) updateAckBtn() {
	if a, ok := c.selectedAlert(); ok && a.AckedAt.IsZero() {
		c.Mon.AckBtn.Enable()
	} else {
		c.Mon.AckBtn.Disable()
	}
}

// AckSelectedAlert acknowledges the alert chosen in the list as the
// console's user, at the console's clock; a refusal is shown under the
// list, translated.
func (c *Console) AckSelectedAlert() {
	a, ok := c.selectedAlert()
	if !ok {
		return
	}
	got, err := c.M.AckAlert(bg, a.UID, c.User, c.Now())
	if err != nil {
		c.sayAlert(c.text(err), true)
		c.loadAlerts()
		return
	}
	c.sayAlert(T("Acknowledged after {{.Wait}}.", map[string]any{"Wait": waitText(got.TimeToAck())}), false)
	c.loadAlerts()
}

// AlertMessage is the line under the alerts ("" when hidden).
func (c *Console) AlertMessage() string {
	if c.Mon.AlertMsg == nil || !c.Mon.AlertMsg.Visible() {
		return ""
	}
	return c.Mon.AlertMsg.Text
}

func (c *Console) sayAlert(text string, refusal bool) {
	l := c.Mon.AlertMsg
	if l == nil {
		return
	}
	if text == "" {
		l.Hide()
		return
	}
	l.Importance = widget.MediumImportance
	if refusal {
		l.Importance = widget.DangerImportance
	}
	l.SetText(text)
	l.Show()
}

// ---- the notice of new alarms ----

// alarmNotice is the bar over the window that names new alarms (hidden
// while there are none to tell).
func (c *Console) alarmNotice() fyne.CanvasObject {
	s := &c.Mon
	s.NoticeBtn = widget.NewButtonWithIcon("", theme.WarningIcon(), c.ShowNoticedAlarm)
	s.NoticeBtn.Importance = widget.DangerImportance
	s.NoticeBtn.Alignment = widget.ButtonAlignLeading
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), c.DismissNotice)
	dismiss.Importance = widget.DangerImportance
	s.Notice = container.NewStack(canvas.NewRectangle(chart.SeverityColor[data.Alarm]),
		container.NewBorder(nil, nil, nil, dismiss, s.NoticeBtn))
	c.showNotice()
	return s.Notice
}

// checkNewAlarms tells of the alarms opened in the user's jurisdiction
// since the last look; the first look only learns what is open.
func (c *Console) checkNewAlarms() {
	s := &c.Mon
	as, err := c.M.Alerts(bg, data.AlertFilter{OpenOnly: true, Severity: data.Alarm, Region: c.user.Jurisdiction})
	if err != nil {
		fyne.LogError("reading the open alarms", err)
		return
	}
	open := make(map[string]bool, len(as))
	var fresh []data.Alert
	for _, a := range as {
		open[a.UID] = true
		if s.known != nil && !s.known[a.UID] {
			fresh = append(fresh, a)
		}
	}
	first := s.known == nil
	s.known = open
	// The notice keeps what it named while those alarms stay open.
	s.noticed = slices.DeleteFunc(s.noticed, func(a data.Alert) bool { return !open[a.UID] })
	if !first {
		s.noticed = append(fresh, s.noticed...)
	}
	c.showNotice()
}

// NoticeText is what the alarm notice says ("" while it is hidden).
func (c *Console) NoticeText() string {
	if c.Mon.Notice == nil || !c.Mon.Notice.Visible() {
		return ""
	}
	return c.Mon.NoticeBtn.Text
}

func (c *Console) showNotice() {
	s := &c.Mon
	if s.Notice == nil {
		return
	}
	if len(s.noticed) == 0 {
		s.Notice.Hide()
		return
	}
	a := s.noticed[0]
	text := T("New alarm: {{.Indicator}} in {{.Region}} — {{.Value}} at {{.At}}", map[string]any{
		"Indicator": c.indicatorName(a.Indicator), "Region": c.regionName(a.Region),
		"Value": c.valueText(a.OpenedValue, a.Indicator.Unit), "At": a.OpenedAt.In(beijing).Format("15:04")})
	if n := len(s.noticed) - 1; n > 0 {
		text += " " + T("(and {{.N}} more)", map[string]any{"N": n})
	}
	s.NoticeBtn.SetText(strings.TrimSpace(text))
	s.Notice.Show()
}

// ShowNoticedAlarm shows the alarm the notice names: the Monitoring tab on
// its region, its indicator charted, the alert chosen; the notice then
// names the next, if any.
func (c *Console) ShowNoticedAlarm() {
	s := &c.Mon
	if len(s.noticed) == 0 {
		return
	}
	a := s.noticed[0]
	s.noticed = s.noticed[1:]
	c.selectMonitorTab()
	s.chosen = a.Indicator.Code
	c.ShowMonitorRegion(a.Region)
	c.SelectAlert(a.UID)
	c.showNotice()
}

// DismissNotice hides the notice until another alarm opens.
func (c *Console) DismissNotice() {
	c.Mon.noticed = nil
	c.showNotice()
}
