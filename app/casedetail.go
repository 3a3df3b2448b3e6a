package app

import (
	"fmt"
	"strings"

	"kapok/data"
)

// writeCase writes a case's details: what, where, its clock, who holds it,
// and the timeline of its steps with the clock at each.
func (c *Console) writeCase(b *strings.Builder, code string) error {
	d, err := c.M.Case(bg, code, c.AsOf)
	if err != nil {
		return err
	}
	line := func(label string, value any) { fmt.Fprintf(b, "- %s: %v\n", T(label), value) }
	fmt.Fprintf(b, "## %s %s\n\n", T("Case"), d.Code)
	limit := T("{{.N}} h", map[string]any{"N": d.Matter.Limit})
	if d.Matter.LimitUnit == data.LimitWorkingDays {
		limit = T("{{.N}} working days", map[string]any{"N": d.Matter.Limit})
	}
	line("Matter type", d.MatterCode+" "+c.matterOf(d.MatterZh, d.MatterEn))
	line("Handling time limit", limit+" · "+T("extensions {{.Used}} of {{.Allowed}}", map[string]any{"Used": d.Extensions, "Allowed": d.Matter.Extensions}))
	line("State", Term(d.State))
	clock := "**" + clockText(d.Clock) + "**"
	if d.Deadline != nil {
		clock += " · " + T("deadline {{.At}}", map[string]any{"At": d.Deadline.In(beijing).Format("2006-01-02 15:04")})
	}
	line("Clock", clock)
	line("Priority", Term(d.Priority))
	where := d.GridCode
	if len(d.GridCode) == data.GridCodeLength {
		where = c.regionName(d.GridCode[:12]) + " · " + T("Grid {{.N}}", map[string]any{"N": strings.TrimLeft(d.GridCode[12:], "0")})
	}
	line("Where", where)
	line("Handled at", T(d.Level))
	if d.Department != "" {
		line("Department", d.Department)
	}
	line("Source", Term(d.Source))
	if d.Contact != "" {
		line("Reporter's contact", c.phone(d.Contact))
	}
	if len(d.Units) > 0 {
		line("Units on it", strings.Join(d.Units, ", "))
	}
	if d.Description != "" {
		line("Event description", d.Description)
	}
	if d.Result != "" {
		line("Result of the handling", d.Result)
	}
	fmt.Fprintf(b, "\n**%s**\n\n", T("Timeline"))
	for _, s := range d.Steps {
		who := s.Actor
		if who == "" {
			who = T("platform")
		}
		what := stepName(s.Action) + " → " + Term(s.State)
		if string(s.Action) == string(s.State) { // a platform's step: its state says it
			what = Term(s.State)
		}
		fmt.Fprintf(b, "1. %s · %s · %s · %s", s.At.In(beijing).Format("01-02 15:04"), who, what, clockText(s.Clock))
		if s.Note != "" {
			fmt.Fprintf(b, " · %s", s.Note)
		}
		b.WriteString("\n")
	}
	return nil
}

// stepName names a step of a case's history: an action of the console
// ("step.dispatch"), or the state a platform's step reached.
func stepName(a data.CaseAction) string {
	key := "step." + string(a)
	if t := T(key); t != key {
		return t
	}
	return Term(a)
}
