package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// ShowDetail shows a region's center, a grid, a unit (U…), an event (E…)
// or a center (C…) in the detail panel; "" shows the selection.
func (c *Console) ShowDetail(code string) {
	c.focus = code
	c.refreshDetail()
}

// DetailText is the detail panel's text (markdown).
func (c *Console) DetailText() string {
	text, _ := c.detailMarkdown()
	return text
}

// detailLink is a link the detail panel shows at a place in its text (a
// byte offset of the markdown), which opens a dialog changing what the
// panel shows.
type detailLink struct {
	at   int
	text string
	tap  func()
}

// detailMarkdown is the detail panel's text and its links.
func (c *Console) detailMarkdown() (string, []detailLink) {
	var b strings.Builder
	var links []detailLink
	if err := c.writeDetail(&b, &links); err != nil {
		return T("Cannot show {{.Code}}: {{.Err}}", map[string]any{"Code": c.focus, "Err": c.text(err)}), nil
	}
	return b.String(), links
}

// refreshDetail shows the details again: the markdown, cut where a link
// goes (markdown's own links would open a browser).
func (c *Console) refreshDetail() {
	if c.Detail == nil {
		return
	}
	text, links := c.detailMarkdown()
	if len(links) == 0 {
		c.Detail.ParseMarkdown(text)
		return
	}
	var segs []widget.RichTextSegment
	last := 0
	for _, l := range links {
		segs = append(segs, widget.NewRichTextFromMarkdown(text[last:l.at]).Segments...)
		// An empty paragraph after it ends its line: a link is inline, and
		// would run into the text after it.
		segs = append(segs, &widget.HyperlinkSegment{Text: l.text, OnTapped: l.tap}, &widget.TextSegment{Style: widget.RichTextStyleParagraph})
		last = l.at
	}
	segs = append(segs, widget.NewRichTextFromMarkdown(text[last:]).Segments...)
	c.Detail.Segments = segs
	c.Detail.Refresh()
}

// DetailLinks are the links the detail panel shows, by their text.
func (c *Console) DetailLinks() map[string]func() {
	out := map[string]func(){}
	for _, s := range c.Detail.Segments {
		if h, ok := s.(*widget.HyperlinkSegment); ok {
			out[h.Text] = h.OnTapped
		}
	}
	return out
}

func (c *Console) writeDetail(b *strings.Builder, links *[]detailLink) error {
	line := func(label string, value any) { fmt.Fprintf(b, "- %s: %v\n", T(label), value) }
	code := c.focus
	if code != "" && c.Replaying() {
		// A grid's, center's, unit's or case's details are read as they are
		// now: in replay they would pass for then's.
		fmt.Fprintf(b, "## %s\n\n%s\n", code, T("Replay: details are not shown, as they would be the city's now, not then. Back to now to see them."))
		return nil
	}
	switch {
	case code == "":
		if len(c.selected) == 0 {
			b.WriteString(T("Nothing selected. Click a grid (shift-click adds), draw a rectangle or lasso, or choose a region."))
			return nil
		}
		open, overdue, pop := 0, 0, 0
		for _, p := range c.selected {
			g := c.City.Grids[p]
			e := c.City.Events[g.Code]
			open, overdue, pop = open+e.Open, overdue+e.Overdue, pop+g.Population
		}
		fmt.Fprintf(b, "## %s\n\n", T("{{.N}} grids selected", map[string]any{"N": len(c.selected)}))
		line("Population", pop)
		line("Open events", open)
		line("Overdue events", overdue)
	case strings.HasPrefix(code, "C") || len(code) < data.GridCodeLength && code[0] >= '0' && code[0] <= '9':
		if !strings.HasPrefix(code, "C") {
			code = "C" + code
		}
		d, err := c.M.CenterDetail(bg, code, c.AsOf)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "## %s\n\n", d.Name)
		line("Region", d.RegionName+" ("+d.RegionCode+")")
		line("Level", T(d.Level.String()+" center"))
		line("Duty phone", c.phone(d.DutyPhone))
		line("Staff on duty", d.StaffOnDuty)
		line("Center status", Term(d.Status))
		line("Grids", d.Grids)
		line("Units", fmt.Sprintf("%d (%s)", d.Units, T("{{.N}} available", map[string]any{"N": d.Available})))
		line("Open events", d.OpenEvents)
		line("Overdue events", d.Overdue)
		c.writeDuty(b, d, links)
		c.writeEvents(b, "Most urgent open events", d.Urgent)
	case strings.HasPrefix(code, "U"):
		d, err := c.M.UnitDetail(bg, code)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "## %s\n\n", d.Name)
		line("Code", d.Code)
		line("Unit status", Term(d.Status))
		line("Grid", d.GridCode)
		caps := make([]string, len(d.Capabilities))
		for i, cp := range d.Capabilities {
			caps[i] = T(cp)
		}
		line("Capabilities", strings.Join(caps, ", "))
		if err := c.writeLeave(b, code, links); err != nil {
			return err
		}
		fmt.Fprintf(b, "\n**%s** (%d)\n\n", T("Members"), len(d.Members))
		for _, p := range d.Members {
			fmt.Fprintf(b, "- %s · %s · %s%s\n", p.Name, T(p.Role), c.phone(p.Phone), onDuty(p.OnDuty))
		}
	case strings.HasPrefix(code, "E"):
		return c.writeCase(b, code)
	case len(code) == data.GridCodeLength:
		d, err := c.M.GridDetail(bg, code, c.AsOf)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "## %s\n\n", T("Grid {{.N}}", map[string]any{"N": strings.TrimLeft(code[12:], "0")})+" · "+d.CommunityName)
		line("Code", d.Code)
		line("Kind", T(d.Kind))
		line("Population", d.Population)
		line("Households", d.Households)
		line("Open events", len(d.Open))
		line("Overdue events", d.Overdue)
		fmt.Fprintf(b, "\n**%s**\n\n", T("Grid workers"))
		for _, p := range d.Workers {
			fmt.Fprintf(b, "- %s · %s%s\n", p.Name, c.phone(p.Phone), onDuty(p.OnDuty))
		}
		fmt.Fprintf(b, "\n**%s** (%d)\n\n", T("Emergency units"), len(d.Units))
		for _, u := range d.Units {
			fmt.Fprintf(b, "- %s · %s\n", u.Name, Term(u.Status))
		}
		c.writeEvents(b, "Open events", d.Open)
	default:
		return fmt.Errorf("%s", T("unknown code"))
	}
	return nil
}

// writeEvents lists events under a heading, overdue ones marked.
func (c *Console) writeEvents(b *strings.Builder, heading string, events []data.EventBrief) {
	if len(events) == 0 {
		return
	}
	fmt.Fprintf(b, "\n**%s**\n\n", T(heading))
	for _, e := range events {
		mark := ""
		if e.Overdue {
			mark = " **" + T("overdue") + "**"
		}
		fmt.Fprintf(b, "- %s %s · %s%s\n", e.Code, c.matterName(e), Term(e.State), mark)
	}
}

func (c *Console) matterName(e data.EventBrief) string {
	// "lang" translates to the language's code: the catalogue has both names.
	if T("lang") == "zh" {
		return e.MatterZh
	}
	return e.MatterEn
}

func onDuty(on bool) string {
	if on {
		return " · " + T("on duty")
	}
	return ""
}

// writeDuty writes a center's duty roster from the shift under way to the
// end of the next day, and flags a center with nobody on duty now; the
// link editing it goes under the heading, above a list that may be long.
func (c *Console) writeDuty(b *strings.Builder, d *data.CenterDetail, links *[]detailLink) {
	// A blank line first: right after the list above, markdown would run
	// the heading into its last item.
	fmt.Fprintf(b, "\n**%s**\n\n", T("Duty roster"))
	if c.may(data.ActDutyEdit) {
		*links = append(*links, detailLink{b.Len(), T("Edit duty roster…"), func() { c.OpenDutyDialog(d.Code) }})
	}
	if d.Unstaffed {
		fmt.Fprintf(b, "- ⚠ %s\n", T("Nobody on duty now"))
	}
	for _, p := range d.Duty {
		s, e := p.Start.In(beijing), p.End.In(beijing)
		fmt.Fprintf(b, "- %s %s–%s · %s · %s %s\n", s.Format("01-02"), s.Format("15:04"), e.Format("15:04"), Term(p.Role), p.Person, c.phone(p.Phone))
	}
	if len(d.Duty) == 0 && !d.Unstaffed {
		fmt.Fprintf(b, "- %s\n", T("none"))
	}
	b.WriteString("\n")
}

// writeLeave lists a unit's leave under way or to come in the weeks the
// Schedules tab offers, under a link to the leave dialog.
func (c *Console) writeLeave(b *strings.Builder, unit string, links *[]detailLink) error {
	now := c.Now()
	_, to := c.leaveWindow()
	ls, err := c.M.Leaves(bg, unit, now, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "\n**%s**\n\n", T("Leave"))
	if c.may(data.ActRosterEdit) {
		*links = append(*links, detailLink{b.Len(), T("Leave…"), func() { c.OpenLeaveDialog(unit, nil) }})
	}
	for _, l := range ls {
		mark := ""
		if l.Start.Before(now) {
			mark = " · **" + T("under way") + "**"
		}
		reason := ""
		if l.Reason != "" {
			reason = " · " + l.Reason
		}
		fmt.Fprintf(b, "- %s%s%s\n", leaveSpan(l), reason, mark)
	}
	if len(ls) == 0 {
		fmt.Fprintf(b, "- %s\n", T("none"))
	}
	b.WriteString("\n")
	return nil
}
