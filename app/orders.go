package app

import (
	"errors"
	"fmt"
	"image/color"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"kapok/data"
	kmaps "kapok/maps"
)

// orderMoves are the Orders panel's buttons: the state each moves to.
var orderMoves = []struct {
	label string
	to    data.OrderState
}{
	{"Acknowledge", data.OrderAcknowledged}, {"Start", data.OrderInProgress}, {"Done", data.OrderDone}, {"Cancel order", data.OrderCancelled},
}

func (c *Console) loadOrders() error {
	if c.replay != nil {
		c.replayOrders()
		return nil
	}
	orders, err := c.M.Orders(bg)
	if err != nil {
		return err
	}
	c.orders = orders
	return nil
}

func (c *Console) buildOrders() {
	c.Orders = widget.NewList(
		func() int { return len(c.orders) },
		func() fyne.CanvasObject {
			mark := canvas.NewRectangle(color.Transparent)
			mark.SetMinSize(fyne.NewSize(5, 10))
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, mark, nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(c.orders) {
				return
			}
			box := o.(*fyne.Container)
			l, mark := box.Objects[0].(*widget.Label), box.Objects[1].(*canvas.Rectangle)
			ord := c.orders[i]
			l.SetText(c.orderLine(ord))
			l.Importance = widget.MediumImportance
			mark.FillColor = color.Transparent
			if ord.State == "overdue" {
				// Overdue orders stand out: red text and a red bar.
				l.Importance = widget.DangerImportance
				mark.FillColor = color.NRGBA{220, 0, 0, 255}
			}
			l.Refresh()
			mark.Refresh()
		})
	c.Actions = container.NewHBox()
	for _, mv := range orderMoves {
		b := widget.NewButton(T(mv.label), func() { c.MoveSelectedOrder(mv.to) })
		b.Disable()
		c.Actions.Add(b)
	}
	c.showIf(c.Actions, data.ActOrderMove)
	c.Orders.OnSelected = func(i widget.ListItemID) {
		c.orderSel = i
		c.updateOrderActions()
	}
	c.Orders.OnUnselected = func(widget.ListItemID) {
		c.orderSel = -1
		c.updateOrderActions()
	}
}

func (c *Console) orderLine(o data.Order) string {
	// The task comes early: a narrow panel cuts the line's end.
	return fmt.Sprintf("#%d [%s] %s · %s · %s · %s–%s · %s", o.Number, Term(o.State), Term(o.Type), o.Task, Term(o.Priority),
		o.Start.In(beijing).Format("01-02 15:04"), o.End.In(beijing).Format("01-02 15:04"),
		T("{{.N}} targets", map[string]any{"N": len(o.Targets)}))
}

func (c *Console) updateOrderActions() {
	for i, o := range c.Actions.Objects {
		b := o.(*widget.Button)
		if c.orderSel >= 0 && c.orderSel < len(c.orders) && c.orders[c.orderSel].State.CanMoveTo(orderMoves[i].to) {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// OrdersShown is the orders as the panel lists them.
func (c *Console) OrdersShown() []data.Order { return c.orders }

// SelectOrder selects an order in the panel by its key.
func (c *Console) SelectOrder(uid string) {
	for i, o := range c.orders {
		if o.UID == uid {
			c.Orders.Select(i)
		}
	}
}

// MoveSelectedOrder moves the selected order on to a state; a refusal is
// shown in the console's language.
func (c *Console) MoveSelectedOrder(to data.OrderState) {
	if c.refuseInReplay() {
		return
	}
	if c.orderSel < 0 || c.orderSel >= len(c.orders) {
		return
	}
	uid := c.orders[c.orderSel].UID
	if _, err := c.M.MoveOrder(bg, uid, to, c.User, c.Now()); err != nil {
		c.showError(err)
		return
	}
	c.ordersChanged()
	c.SelectOrder(uid)
}

// ordersChanged reloads the Orders panel and the map's orders layer.
func (c *Console) ordersChanged() {
	if err := c.loadOrders(); err != nil {
		c.showError(err)
		return
	}
	c.orderSel = -1
	c.Orders.UnselectAll()
	c.Orders.Refresh()
	c.updateOrderActions()
	c.City.Map.Reload("orders")
	c.Map.Redraw()
}

// SweepOverdue marks the orders whose window has ended as overdue and
// shows them; the console runs it every minute.
func (c *Console) SweepOverdue() (int, error) {
	n, err := c.M.MarkOverdue(bg, c.Now())
	if err == nil && n > 0 {
		c.ordersChanged()
	}
	return n, err
}

// ---- the order dialog ----

// OrderDialog is the form a leader issues an order with.
type OrderDialog struct {
	Type, Priority *widget.Select
	Task           *widget.Entry
	Start, End     *widget.Entry
	Targets        *widget.Entry
	Error          *widget.Label
	Issue          *widget.Button
	dlg            dialog.Dialog
}

// Dialog is the order dialog on show, or nil.
func (c *Console) Dialog() *OrderDialog { return c.dialog }

const timeLayout = "2006-01-02 15:04"

// OpenOrderDialog opens the order form with the selected grids and the
// centers and units responsible for them as targets. A big region chosen
// as a whole is ordered through its own center and those above it up to
// the district (as for grids): thousands of grids and units would bury the
// form.
func (c *Console) OpenOrderDialog() {
	if c.refuseInReplay() {
		return
	}
	grids := c.Selected()
	targets := append([]string(nil), grids...)
	if r := c.selRegion; r != "" && len(grids) > wholeRegionGrids {
		targets = []string{data.CenterCode(r)}
		for _, n := range []int{9, 6} {
			if len(r) > n {
				targets = append(targets, data.CenterCode(r[:n]))
			}
		}
		grids = nil
	}
	var busy []string
	if len(grids) > 0 {
		centers, units, err := c.M.Responsible(bg, grids)
		if err != nil {
			c.showError(err)
			return
		}
		// Only the units available now, as for a dispatch: a unit on a case
		// or another order is not free to take this one. Those left out are
		// named under the form. The free ones are listed as a
		// recommendation ranks them: all are in the selected grids, so by
		// distance from the selection's centre.
		unavailable, err := c.M.UnavailableUnits(bg)
		if err != nil {
			c.showError(err)
			return
		}
		var free []string
		for _, u := range units {
			if _, taken := unavailable[u]; taken {
				busy = append(busy, u)
			} else {
				free = append(free, u)
			}
		}
		c.nearestFirst(free)
		targets = append(append(targets, centers...), free...)
	}
	d := &OrderDialog{}
	types, prios := data.OrderTypes, data.Priorities
	d.Type = newSelect(translated(types), nil)
	d.Type.SetSelectedIndex(slices.Index(types, data.OrderPatrol))
	d.Priority = newSelect(translated(prios), nil)
	d.Priority.SetSelectedIndex(slices.Index(prios, data.PriorityNormal))
	d.Task = widget.NewMultiLineEntry()
	d.Task.SetPlaceHolder(T("What is to be done"))
	d.Task.SetMinRowsVisible(2)
	start := c.Now().In(beijing).Truncate(time.Minute)
	d.Start = widget.NewEntry()
	d.Start.SetText(start.Format(timeLayout))
	d.End = widget.NewEntry()
	d.End.SetText(start.Add(8 * time.Hour).Format(timeLayout))
	d.Targets = widget.NewMultiLineEntry()
	d.Targets.SetText(strings.Join(targets, "\n"))
	d.Targets.SetMinRowsVisible(6)
	d.Error = widget.NewLabel("")
	d.Error.Importance = widget.DangerImportance
	d.Error.Wrapping = fyne.TextWrapWord
	d.Error.Hide()
	form := widget.NewForm(
		widget.NewFormItem(T("Type"), d.Type),
		widget.NewFormItem(T("Priority"), d.Priority),
		widget.NewFormItem(T("Task"), d.Task),
		widget.NewFormItem(T("Start"), d.Start),
		widget.NewFormItem(T("End"), d.End),
		widget.NewFormItem(T("Targets"), d.Targets),
	)
	hintText := T("Times are Beijing time (YYYY-MM-DD hh:mm). Targets: grid, center (C…) or unit (U…) codes, one per line.")
	if len(busy) > 0 {
		hintText += "\n" + T("Left out, not available now: {{.Units}}", map[string]any{"Units": strings.Join(busy, ", ")})
	}
	hint := widget.NewLabel(hintText)
	hint.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton(T("Cancel"), func() { d.dlg.Hide() })
	d.Issue = widget.NewButton(T("Issue"), func() { c.issue(d) })
	d.Issue.Importance = widget.HighImportance
	content := container.NewBorder(nil, container.NewVBox(d.Error, container.NewHBox(cancel, d.Issue)), nil, nil,
		container.NewVBox(form, hint))
	d.dlg = dialog.NewCustomWithoutButtons(T("Issue order"), c.sensed(content), c.Win)
	d.dlg.SetOnClosed(func() {
		if c.dialog == d {
			c.dialog = nil
		}
	})
	c.dialog = d
	d.dlg.Show()
	d.dlg.Resize(fyne.NewSize(640, 600)) // after Show: before, the dialog keeps its minimum size
}

// issue validates the form and writes the order; a refusal is shown in the
// dialog, which stays open with everything the user typed.
func (c *Console) issue(d *OrderDialog) {
	fail := func(field, reason string) {
		d.Error.SetText(T(fieldLabel[field]) + ": " + reason)
		d.Error.Show()
	}
	req := data.OrderRequest{
		Type:     data.OrderTypes[max(0, d.Type.SelectedIndex())],
		Priority: data.Priorities[max(0, d.Priority.SelectedIndex())],
		Task:     d.Task.Text,
		Actor:    c.User,
		Targets:  splitCodes(d.Targets.Text),
	}
	var err error
	if req.Start, err = time.ParseInLocation(timeLayout, strings.TrimSpace(d.Start.Text), beijing); err != nil {
		fail("window", T("start {{.V}} is not YYYY-MM-DD hh:mm", map[string]any{"V": d.Start.Text}))
		return
	}
	if req.End, err = time.ParseInLocation(timeLayout, strings.TrimSpace(d.End.Text), beijing); err != nil {
		fail("window", T("end {{.V}} is not YYYY-MM-DD hh:mm", map[string]any{"V": d.End.Text}))
		return
	}
	o, err := c.M.IssueOrder(bg, req, c.Now())
	var r *data.Refusal
	if errors.As(err, &r) {
		fail(r.Field, c.text(r))
		return
	}
	if err != nil {
		fail("order", c.text(err))
		return
	}
	d.dlg.Hide()
	c.ordersChanged()
	c.SelectOrder(o.UID)
	c.Status.SetText(T("Order #{{.ID}} issued to {{.N}} targets", map[string]any{"ID": o.Number, "N": len(o.Targets)}))
}

// fieldLabel names the input a refusal points at, as the dialog labels it.
var fieldLabel = map[string]string{"type": "Type", "priority": "Priority", "task": "Task", "window": "time window",
	"targets": "targets", "event": "event", "user": "user", "order": "order", "state": "state", "": "order"}

func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '，' || r == ' ' || r == '\n' || r == '\t' || r == '\r'
	})
}

func translated[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = Term(x)
	}
	return out
}

// nearestFirst orders unit codes by distance from the centre of the
// selected grids (Web Mercator metres), ties by code; units the map has not
// loaded keep their place at the end.
func (c *Console) nearestFirst(units []string) {
	ul, err := c.City.Units()
	if err != nil || len(c.selected) == 0 {
		return
	}
	var b orb.Bound
	for i, p := range c.selected {
		gb := c.City.Map.FillIndex().Feature(p).Geom.Bound()
		if i == 0 {
			b = gb
		} else {
			b = b.Union(gb)
		}
	}
	centre := b.Center()
	dist := map[string]float64{}
	for _, u := range ul.Units {
		dist[u.Code] = planar.Distance(kmaps.Project(u.Location).(orb.Point), centre)
	}
	sort.SliceStable(units, func(i, j int) bool {
		di, oki := dist[units[i]]
		dj, okj := dist[units[j]]
		if oki != okj {
			return oki
		}
		if di != dj {
			return di < dj
		}
		return units[i] < units[j]
	})
}
