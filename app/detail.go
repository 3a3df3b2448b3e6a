package app

import (
	"fmt"
	"strings"

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
	var b strings.Builder
	if err := c.writeDetail(&b); err != nil {
		return T("Cannot show {{.Code}}: {{.Err}}", map[string]any{"Code": c.focus, "Err": c.text(err)})
	}
	return b.String()
}

func (c *Console) refreshDetail() {
	if c.Detail != nil {
		c.Detail.ParseMarkdown(c.DetailText())
	}
}

func (c *Console) writeDetail(b *strings.Builder) error {
	line := func(label string, value any) { fmt.Fprintf(b, "- %s: %v\n", T(label), value) }
	code := c.focus
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
		line("Duty phone", d.DutyPhone)
		line("Staff on duty", d.StaffOnDuty)
		line("Center status", Term(d.Status))
		line("Grids", d.Grids)
		line("Units", fmt.Sprintf("%d (%s)", d.Units, T("{{.N}} available", map[string]any{"N": d.Available})))
		line("Open events", d.OpenEvents)
		line("Overdue events", d.Overdue)
		c.writeDuty(b, d)
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
		fmt.Fprintf(b, "\n**%s** (%d)\n\n", T("Members"), len(d.Members))
		for _, p := range d.Members {
			fmt.Fprintf(b, "- %s · %s · %s%s\n", p.Name, T(p.Role), p.Phone, onDuty(p.OnDuty))
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
			fmt.Fprintf(b, "- %s · %s%s\n", p.Name, p.Phone, onDuty(p.OnDuty))
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
// end of the next day, and flags a center with nobody on duty now.
func (c *Console) writeDuty(b *strings.Builder, d *data.CenterDetail) {
	fmt.Fprintf(b, "**%s**\n\n", T("Duty roster"))
	if d.Unstaffed {
		fmt.Fprintf(b, "- ⚠ %s\n", T("Nobody on duty now"))
	}
	for _, p := range d.Duty {
		s, e := p.Start.In(beijing), p.End.In(beijing)
		fmt.Fprintf(b, "- %s %s–%s · %s · %s %s\n", s.Format("01-02"), s.Format("15:04"), e.Format("15:04"), Term(p.Role), p.Person, p.Phone)
	}
	if len(d.Duty) == 0 && !d.Unstaffed {
		fmt.Fprintf(b, "- %s\n", T("none"))
	}
	b.WriteString("\n")
}
