package app

import (
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"kapok/app/msg"
	"kapok/data"
	kmaps "kapok/maps"
)

// ---- reporting a case: a click on the map, then the form ----

// StartReport asks for a click on the map where the case is; the report
// form opens there with its grid filled in.
func (c *Console) StartReport() {
	if c.refuseInReplay() {
		return
	}
	c.picking = true
	c.Status.SetText(T("Click the map where the case is (Esc cancels)"))
	c.Win.Canvas().Focus(c.Map) // for Esc
}

// CancelReport stops waiting for the click that reports a case.
func (c *Console) CancelReport() {
	if c.picking {
		c.picking = false
		c.updateStatus()
	}
}

// ReportDialog is the form a case is reported with.
type ReportDialog struct {
	Where       *widget.Label
	Matter      *widget.Entry // the picker's search
	Matters     *widget.List
	Chosen      *widget.Label
	Source      *widget.Select
	Description *widget.Entry
	Contact     *widget.Entry
	Error       *widget.Label
	Report      *widget.Button
	found       []data.MatterType
	matter      string
	dlg         dialog.Dialog
}

// Reporting is the report form on show, or nil.
func (c *Console) Reporting() *ReportDialog { return c.reportDialog }

// OpenReportDialog opens the report form for a case at a world point
// (Web Mercator), in the grid there.
func (c *Console) OpenReportDialog(p orb.Point) {
	if c.refuseInReplay() {
		return
	}
	grid := ""
	if i, ok := c.City.Map.FillIndex().At(p); ok {
		grid = c.City.Grids[i].Code
	}
	if grid == "" {
		c.Status.SetText(T("No grid there: click inside a grid to report a case"))
		return
	}
	at := kmaps.Unproject(p)
	d := &ReportDialog{}
	g := c.City.Grids[c.City.Pos[grid]]
	d.Where = widget.NewLabel(fmt.Sprintf("%s · %s · %.5f, %.5f", grid, c.regionName(g.CommunityCode), at[0], at[1]))
	d.Matter = widget.NewEntry()
	d.Matter.SetPlaceHolder(T("Search matters by name, pinyin or code"))
	d.found = c.matterSearch.Find("")
	d.Matters = widget.NewList(
		func() int { return len(d.found) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(d.found) {
				o.(*widget.Label).SetText(c.matterLine(d.found[i]))
			}
		})
	d.Chosen = widget.NewLabel(T("No matter chosen"))
	d.Matters.OnSelected = func(i widget.ListItemID) {
		if i < len(d.found) {
			d.matter = d.found[i].Code
			d.Chosen.SetText(c.matterLine(d.found[i]))
		}
	}
	d.Matter.OnChanged = func(q string) {
		d.found = c.matterSearch.Find(q)
		d.Matters.UnselectAll()
		d.Matters.Refresh()
		if len(d.found) == 1 {
			d.Matters.Select(0)
		}
	}
	d.Source = newSelect(translated(data.EventSources), nil)
	d.Source.SetSelectedIndex(slices.Index(data.EventSources, data.SourcePatrol))
	d.Description = widget.NewMultiLineEntry()
	d.Description.SetMinRowsVisible(3)
	d.Description.SetPlaceHolder(T("What was reported"))
	d.Contact = widget.NewEntry()
	d.Contact.SetPlaceHolder(T("optional"))
	d.Error = widget.NewLabel("")
	d.Error.Importance = widget.DangerImportance
	d.Error.Wrapping = fyne.TextWrapWord
	d.Error.Hide()
	cancel := widget.NewButton(T("Cancel"), func() { d.dlg.Hide() })
	d.Report = widget.NewButton(T("Report"), func() { c.report(d, at) })
	d.Report.Importance = widget.HighImportance
	picker := container.NewBorder(d.Matter, d.Chosen, nil, nil, d.Matters)
	form := widget.NewForm(
		widget.NewFormItem(T("Where"), d.Where),
		widget.NewFormItem(T("Source"), d.Source),
		widget.NewFormItem(T("What happened"), d.Description),
		widget.NewFormItem(T("Reporter's contact"), d.Contact),
	)
	content := container.NewBorder(form, container.NewVBox(d.Error, container.NewHBox(cancel, d.Report)), nil, nil,
		container.NewBorder(widget.NewLabelWithStyle(T("Matter"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, picker))
	d.dlg = dialog.NewCustomWithoutButtons(T("Report case"), c.sensed(content), c.Win)
	d.dlg.SetOnClosed(func() {
		if c.reportDialog == d {
			c.reportDialog = nil
		}
	})
	c.reportDialog = d
	d.dlg.Show()
	d.dlg.Resize(fyne.NewSize(680, 720))
	c.Win.Canvas().Focus(d.Matter)
}

// matterLine is a matter as the picker lists it.
func (c *Console) matterLine(m data.MatterType) string {
	limit := T("{{.N}} h", map[string]any{"N": m.Limit})
	if m.LimitUnit == data.LimitWorkingDays {
		limit = T("{{.N}} working days", map[string]any{"N": m.Limit})
	}
	return fmt.Sprintf("%s %s · %s · %s", m.Code, c.matterOf(m.NameZh, m.NameEn), m.Department, limit)
}

// report writes the reported case; a refusal shows in the form, which stays
// open with what was typed.
func (c *Console) report(d *ReportDialog, at orb.Point) {
	r := data.CaseReport{At: &at, Matter: d.matter, Description: d.Description.Text, Contact: d.Contact.Text,
		Source: data.EventSources[max(0, d.Source.SelectedIndex())], Actor: c.User}
	row, err := c.M.ReportCase(bg, r, c.Now())
	if err != nil {
		d.Error.SetText(c.text(err))
		d.Error.Show()
		return
	}
	d.dlg.Hide()
	c.caseSel = row.Code
	c.CasesChanged(row.Code)
	c.Status.SetText(T("Case {{.Code}} reported", map[string]any{"Code": row.Code}))
}

// ---- dispatching: the recommended units with their reasons ----

// DispatchDialog is the form a case is dispatched with.
type DispatchDialog struct {
	Case     data.CaseRow
	Recs     []data.Recommendation
	Checks   []*widget.Check // one per recommendation
	Other    *widget.Entry   // further unit codes
	Error    *widget.Label
	Dispatch *widget.Button
	dlg      dialog.Dialog
}

// Dispatching is the dispatch form on show, or nil.
func (c *Console) Dispatching() *DispatchDialog { return c.dispatchDialog }

// recommendCount is how many units the dispatch form proposes.
const recommendCount = 8

// OpenDispatchDialog proposes the units to dispatch a case to, best first,
// each with why; the first is ticked.
func (c *Console) OpenDispatchDialog(r data.CaseRow) {
	recs, err := c.M.Recommend(bg, r.Code, c.User, recommendCount, c.Now())
	if err != nil {
		c.showError(err)
		return
	}
	d := &DispatchDialog{Case: r, Recs: recs}
	cat, err := msg.Default()
	if err != nil {
		c.showError(err)
		return
	}
	lang := msg.English
	if T("lang") == "zh" {
		lang = msg.Chinese
	}
	list := container.NewVBox()
	for i, rec := range recs {
		ch := widget.NewCheck(fmt.Sprintf("%s %s", rec.Unit.Code, rec.Unit.Name), nil)
		ch.SetChecked(i == 0)
		// The reasons under their unit, indented to its name, in smaller
		// type but full colour: they are what the choice is made on.
		reasons := widget.NewLabel(cat.Reasons(lang, rec))
		reasons.SizeName = theme.SizeNameCaptionText
		indent := canvas.NewRectangle(color.Transparent)
		indent.SetMinSize(fyne.NewSize(theme.IconInlineSize()+theme.Padding(), 1))
		d.Checks = append(d.Checks, ch)
		list.Add(container.NewVBox(ch, container.NewBorder(nil, nil, indent, nil, reasons)))
	}
	if len(recs) == 0 {
		list.Add(widget.NewLabel(T("No unit available to recommend")))
	}
	d.Other = widget.NewEntry()
	d.Other.SetPlaceHolder(T("Other units: codes, comma-separated"))
	d.Error = widget.NewLabel("")
	d.Error.Importance = widget.DangerImportance
	d.Error.Wrapping = fyne.TextWrapWord
	d.Error.Hide()
	department := ""
	for _, m := range c.matters {
		if m.Code == r.MatterCode {
			department = m.Department
		}
	}
	head := widget.NewLabel(fmt.Sprintf("%s · %s %s · %s: %s", r.Code, r.MatterCode, c.matterOf(r.MatterZh, r.MatterEn),
		T("Department"), department))
	head.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton(T("Cancel"), func() { d.dlg.Hide() })
	d.Dispatch = widget.NewButton(T("Dispatch"), func() { c.dispatch(d) })
	d.Dispatch.Importance = widget.HighImportance
	content := container.NewBorder(container.NewVBox(head, widget.NewLabelWithStyle(T("Recommended units"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		container.NewVBox(d.Other, d.Error, container.NewHBox(cancel, d.Dispatch)), nil, nil, container.NewVScroll(list))
	d.dlg = dialog.NewCustomWithoutButtons(T("Dispatch case"), c.sensed(content), c.Win)
	d.dlg.SetOnClosed(func() {
		if c.dispatchDialog == d {
			c.dispatchDialog = nil
		}
	})
	c.dispatchDialog = d
	d.dlg.Show()
	d.dlg.Resize(fyne.NewSize(640, 640))
}

// dispatch writes the dispatch to the ticked and typed units.
func (c *Console) dispatch(d *DispatchDialog) {
	var units []string
	for i, ch := range d.Checks {
		if ch.Checked {
			units = append(units, d.Recs[i].Unit.Code)
		}
	}
	units = append(units, splitCodes(d.Other.Text)...)
	_, err := c.M.MoveCase(bg, data.CaseMove{Case: d.Case.Code, To: data.EventDispatched, Units: units, Actor: c.User, Version: d.Case.Version}, c.Now())
	if err != nil {
		var r *data.Refusal
		if errors.As(err, &r) && r.Code == data.CodeCaseChanged {
			c.CasesChanged(d.Case.Code)
		}
		d.Error.SetText(c.text(err))
		d.Error.Show()
		return
	}
	d.dlg.Hide()
	c.CasesChanged(d.Case.Code)
	c.Status.SetText(T("Case {{.Code}} dispatched to {{.Units}}", map[string]any{"Code": d.Case.Code, "Units": strings.Join(units, ", ")}))
}
