package brief

import (
	"fmt"
	"strings"

	"kapok/app/msg"
	"kapok/data"
)

// statusSection is the child regions' table: open, overdue, the on-time
// closing rate, units available and dispatched, centers unstaffed, and the
// region's own line last.
func (d *doc) statusSection(f *facts) {
	head := d.T("Status of the streets")
	switch f.Region.Level {
	case data.LevelCity:
		head = d.T("Status of the districts")
	case data.LevelStreet:
		head = d.T("Status of the communities")
	case data.LevelCommunity:
		head = d.T("Status of the grids")
	}
	d.section(head, 0)
	cols := scaleColumns([]column{{d.T("Region"), 60, "L"}, {d.T("Code"), 34, "L"}, {d.T("Open"), 22, "R"}, {d.T("Overdue"), 22, "R"},
		{d.T("On time"), 28, "R"}, {d.T("Available"), 26, "R"}, {d.T("Dispatched"), 26, "R"}, {d.T("Nobody on duty"), 30, "R"}})
	line := func(r data.BoardRow, name string) []string {
		onTime, unstaffed := percent(r.OnTimeRate()), count(r.Unstaffed)
		if f.Replay {
			onTime, unstaffed = "—", "—" // not kept for past moments
		}
		return []string{name, r.Code, count(r.Open), count(r.Overdue), onTime, count(r.UnitsAvailable),
			count(r.UnitsDispatched), unstaffed}
	}
	var rows [][]string
	for _, r := range f.Board {
		name := d.place(f, r.Code)
		if f.Region.Level == data.LevelCommunity {
			name = d.T("Grid {{.Seq}}", "Seq", strings.TrimPrefix(r.Code, f.Region.Code))
		}
		rows = append(rows, line(r, name))
	}
	rows = append(rows, line(f.Total, d.T("{{.Region}} in all", "Region", d.shortPlace(f.Region))))
	d.table(cols, rows, func(i, j int) [3]int {
		if j == 3 && i < len(rows) && rows[i][3] != "0" {
			return redRGB
		}
		return [3]int{}
	})
	if f.Replay {
		note := d.sentences(d.T("Open, overdue and units as they stood at {{.At}} (units in the grids they are in now).", "At", beijing(f.Now)),
			d.T(leftOnTime), d.T(leftDuty))
		if d.GetY()+16 > contentBot {
			d.AddPage() // the notes under the table, not over the footer
		}
		d.para(note, 8, greyRGB)
		return
	}
	d.para(d.T("On time: the share of the cases closed by their deadline. Nobody on duty: centers (the region's own and those below) without anyone on their duty roster now."), 8, greyRGB)
}

// casesSection lists the red and yellow cards, most urgent first.
func (d *doc) casesSection(f *facts) {
	d.section(d.T("Cases needing attention"), 40)
	if len(f.Cases) == 0 {
		d.para(d.T("Open cases: {{.N}}; none is overdue or past 75% of its limit.", "N", count(f.Counts.All)), 9.5, inkRGB)
		return
	}
	d.para(d.T("{{.N}} open cases · {{.Overdue}} overdue (red cards) · {{.Warning}} past 75% of their limit (yellow cards); the {{.Shown}} most urgent:",
		"N", count(f.Counts.All), "Overdue", count(f.Counts.Overdue), "Warning", count(f.Counts.Warning), "Shown", len(f.Cases)), 9.5, inkRGB)
	defer d.more(len(f.Cases), f.CardN)
	d.Ln(2)
	cols := scaleColumns([]column{{d.T("Card"), 16, "C"}, {d.T("Case"), 36, "L"}, {d.T("Matter"), 62, "L"}, {d.T("Region"), 48, "L"},
		{d.T("State"), 26, "L"}, {d.T("Deadline"), 32, "L"}, {d.T("Clock"), 30, "R"}})
	rows := make([][]string, len(f.Cases))
	for i, c := range f.Cases {
		card := d.T("yellow")
		if c.Clock.State == data.ClockOverdue {
			card = d.T("red")
		}
		matter := c.MatterZh
		if d.lang == msg.English {
			matter = c.MatterEn
		}
		rows[i] = []string{card, c.Code, matter, d.placeOf(f, c.GridCode), d.T(string(c.State)), beijing(c.Clock.Deadline), d.cat.Clock(d.lang, c.Clock)}
	}
	d.table(cols, rows, func(i, j int) [3]int {
		if j == 0 || j == 6 {
			if f.Cases[i].Clock.State == data.ClockOverdue {
				return redRGB
			}
			return amberRGB
		}
		return [3]int{}
	})
}

// placeOf names a grid by its street and community (in English, their
// pinyin: the Chinese is in the grid's code's regions, a look-up away).
func (d *doc) placeOf(f *facts, grid string) string {
	if len(grid) < 12 {
		return grid
	}
	if d.lang == msg.English {
		return englishName(f.Regions[grid[:9]]) + " · " + englishName(f.Regions[grid[:12]])
	}
	return data.ShortName(f.Regions[grid[:9]].Name) + " " + data.ShortName(f.Regions[grid[:12]].Name)
}

// shift is a shift as the briefing says it: its day and its name in the
// briefing's language (2026-11-26 晚班).
func (d *doc) shift(s data.Shift) string {
	return s.Day.In(data.BeijingTime).Format("2006-01-02") + " " + d.T(s.Name)
}

// more says how many rows a list left out, when it left some.
func (d *doc) more(shown, all int) {
	if all > shown {
		d.para(d.T("… and {{.N}} more.", "N", count(all-shown)), 8.5, greyRGB)
	}
}

// ordersSection lists the orders in force, the week's rosters, the
// coverage of the shift under way with its gaps, and the centers with
// nobody on duty.
func (d *doc) ordersSection(f *facts) {
	d.section(d.T("Orders and rosters in force"), 40)
	d.subhead(d.T("Orders in force: {{.N}}", "N", count(f.OrderN)), 12)
	if f.OrderN == 0 {
		d.para(d.T("No order is in force in the region."), 9, greyRGB)
	} else {
		cols := scaleColumns([]column{{d.T("Order"), 16, "L"}, {d.T("Type"), 22, "L"}, {d.T("Task"), 90, "L"}, {d.T("Priority"), 20, "L"},
			{d.T("State"), 26, "L"}, {d.T("Until"), 32, "L"}, {d.T("Targets"), 18, "R"}})
		rows := make([][]string, len(f.Orders))
		for i, o := range f.Orders {
			rows[i] = []string{fmt.Sprintf("#%d", o.Number), d.T(string(o.Type)), o.Task, d.T(string(o.Priority)), d.T(string(o.State)),
				beijing(o.End), count(len(o.Targets))}
		}
		d.table(cols, rows, func(i, j int) [3]int {
			if j == 4 && f.Orders[i].State == data.OrderOverdue {
				return redRGB
			}
			return [3]int{}
		})
	}
	d.subhead(d.T("Patrol rosters published for the week {{.Week}}: {{.N}}", "Week", data.WeekOf(f.Now).String(), "N", len(f.Rosters)), 12)
	if f.Drafts > 0 {
		d.para(d.T("{{.N}} more planned, not yet published (not in force).", "N", f.Drafts), 9, greyRGB)
	}
	if len(f.Rosters) == 0 {
		d.para(d.T("No patrol roster is published for the region this week."), 9, greyRGB)
	} else {
		cols := scaleColumns([]column{{d.T("Region"), 60, "L"}, {d.T("State"), 30, "L"}, {d.T("Version"), 20, "R"}, {d.T("Roster"), 80, "L"}})
		if f.Replay {
			// Its version then is not kept: when it was published is.
			cols = scaleColumns([]column{{d.T("Region"), 60, "L"}, {d.T("State"), 30, "L"}, {d.T("Published"), 36, "L"}, {d.T("Roster"), 80, "L"}})
		}
		rows := make([][]string, len(f.Rosters))
		for i, r := range f.Rosters {
			v := count(int(r.Version))
			if f.Replay {
				v = beijing(f.Published[r.ID])
			}
			rows[i] = []string{d.place(f, r.Region), d.T(string(r.State)), v, r.ID}
		}
		d.table(cols, rows, nil)
	}
	if f.Replay {
		d.subhead(d.T("Centers on duty"), 12)
		d.para(d.T(leftDuty), 9, greyRGB)
	}
	if c := f.Cover; c != nil {
		head := d.T("Patrol coverage now: {{.Shift}}", "Shift", d.shift(c.Shift))
		if f.Replay {
			head = d.T("Patrol coverage then: {{.Shift}}", "Shift", d.shift(c.Shift))
		}
		d.subhead(head, 20)
		s := c.Summary
		d.para(d.T("{{.Required}} patrols required, {{.Planned}} planned; {{.Gaps}} gaps ({{.Uncovered}} uncovered, {{.Under}} under-covered)",
			"Required", count(s.Required), "Planned", count(s.Planned), "Gaps", count(s.Gaps), "Uncovered", count(s.Uncovered), "Under", count(s.Under)), 9.5, inkRGB)
		if len(c.Gaps) > 0 {
			d.Ln(1)
			cols := scaleColumns([]column{{d.T("Grid"), 44, "L"}, {d.T("Region"), 80, "L"}, {d.T("Missing patrols"), 30, "R"}})
			rows := make([][]string, len(c.Gaps))
			for i, g := range c.Gaps {
				rows[i] = []string{g.Grid, d.placeOf(f, g.Grid), count(g.Missing)}
			}
			d.table(cols, rows, nil)
			d.more(len(c.Gaps), c.GapN)
		}
	}
	if f.Centers > 0 {
		d.subhead(d.T("{{.Staffed}} of {{.N}} centers with someone on duty · {{.Gaps}} with nobody on duty",
			"Staffed", count(f.Centers-f.DutyN), "N", count(f.Centers), "Gaps", count(f.DutyN)), 12)
		if len(f.DutyGaps) > 0 {
			cols := scaleColumns([]column{{d.T("Center"), 40, "L"}, {d.T("Center name"), 80, "L"}, {d.T("Shift"), 40, "L"}})
			rows := make([][]string, len(f.DutyGaps))
			for i, g := range f.DutyGaps {
				rows[i] = []string{g.Code, g.Name, d.shift(g.Shift)}
			}
			d.table(cols, rows, nil)
			d.more(len(f.DutyGaps), f.DutyN)
		}
	}
}
