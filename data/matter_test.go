package data

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// workingDayMatters is the split documented beside ParseMatters: the
// matters whose limits count working days.
var workingDayMatters = strings.Fields(`MD01 MD02 MD03 MD04 MD05 MD06 MD07 MD08 MD09 MD10
	ZA05 ZA06 CG02 CG03 CG12 HJ02 HJ07 HJ12
	MS01 MS03 MS08 MS09 MS10 MS12 TS03 TS06 TS07 WS05
	SC01 SC02 SC03 SC06 SC08 JT06`)

func TestCatalogueValues(t *testing.T) {
	ms, err := Matters()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 109 {
		t.Fatalf("%d matters, want 109", len(ms))
	}
	hours, days := 0, 0
	for _, m := range ms {
		if m.Limit <= 0 || m.Extensions < 0 || m.Extensions > 2 || m.Grace < 2*time.Hour || m.Grace > 24*time.Hour {
			t.Errorf("%s: limit %d, extensions %d, grace %v", m.Code, m.Limit, m.Extensions, m.Grace)
		}
		for _, c := range m.Capabilities {
			if !slices.Contains(Capabilities, c) {
				t.Errorf("%s: capability %q", m.Code, c)
			}
		}
		wantDays := slices.Contains(workingDayMatters, m.Code)
		switch {
		case wantDays && m.LimitUnit == LimitWorkingDays:
			days++
			if m.TimeLimit != time.Duration(m.Limit)*24*time.Hour || !slices.Contains([]int{3, 5, 7, 10}, m.Limit) || m.Grace != 24*time.Hour {
				t.Errorf("%s: %d working days, nominal %v, grace %v", m.Code, m.Limit, m.TimeLimit, m.Grace)
			}
		case !wantDays && m.LimitUnit == LimitHours:
			hours++
			if m.TimeLimit != time.Duration(m.Limit)*time.Hour || m.Grace != hourGrace(m.Limit) || (m.Limit <= 8) != (m.Extensions == 0) {
				t.Errorf("%s: %d h, nominal %v, grace %v, extensions %d", m.Code, m.Limit, m.TimeLimit, m.Grace, m.Extensions)
			}
		default:
			t.Errorf("%s counts %s, against the documented split", m.Code, m.LimitUnit)
		}
	}
	if hours != 75 || days != 34 {
		t.Errorf("%d matters in hours and %d in working days, want 75 and 34", hours, days)
	}
}

// hourGrace is the documented grace of a limit of h hours.
func hourGrace(h int) time.Duration {
	switch {
	case h <= 4:
		return 2 * time.Hour
	case h <= 12:
		return 4 * time.Hour
	case h <= 24:
		return 8 * time.Hour
	}
	return 12 * time.Hour
}

// The capabilities a matter asks for are the plausible ones: fires need
// fire fighting, disputes mediation, floods flood control …
func TestCatalogueCapabilities(t *testing.T) {
	ms, err := Matters()
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]MatterType{}
	for _, m := range ms {
		by[m.Code] = m
		if m.Category == "disputes" && !slices.Contains(m.Capabilities, "mediation") {
			t.Errorf("%s (a dispute) lacks mediation", m.Code)
		}
	}
	for code, c := range map[string]string{"XF08": "fire_fighting", "AQ04": "fire_fighting", "JT04": "flood_control",
		"FX01": "flood_control", "JT02": "traffic_control", "WS01": "epidemic_control", "AQ01": "hazmat",
		"MS05": "power_repair", "MS07": "search_rescue", "MS02": "first_aid", "FX05": "evacuation"} {
		if !slices.Contains(by[code].Capabilities, c) {
			t.Errorf("%s (%s) lacks %s: %v", code, by[code].NameEn, c, by[code].Capabilities)
		}
	}
	// Matters any unit can take ask for nothing.
	for _, code := range []string{"SC01", "CG01", "ZA05", "MS08"} {
		if len(by[code].Capabilities) != 0 {
			t.Errorf("%s asks for %v", code, by[code].Capabilities)
		}
	}
}

func TestParseMattersRefusals(t *testing.T) {
	const header = "code,name_zh,name_en,category,department,limit,limit_unit,extensions,grace_hours,capabilities,handling_level\n"
	const good = "MD01,邻里纠纷,Neighbour dispute,disputes,司法局,3,working_days,1,24,mediation,community\n"
	if ms, err := ParseMatters("m.csv", strings.NewReader(header+good)); err != nil || len(ms) != 1 ||
		ms[0].LimitUnit != LimitWorkingDays || ms[0].TimeLimit != 72*time.Hour || ms[0].Grace != 24*time.Hour ||
		!slices.Equal(ms[0].Capabilities, []string{"mediation"}) {
		t.Fatalf("%+v, %v", ms, err)
	}
	for _, c := range []struct{ name, in, record, reason string }{
		{"empty", "", "", "no header"},
		{"no column", strings.Replace(header, ",grace_hours", "", 1) + good, "line 1", `"grace_hours"`},
		{"bad unit", header + good + "MD02,a,b,c,d,3,weeks,1,24,,street\n", "line 3, column limit_unit", `"weeks"`},
		{"zero limit", header + "MD02,a,b,c,d,0,hours,1,24,,street\n", "line 2, column limit", "from 1"},
		{"negative limit", header + "MD02,a,b,c,d,-4,hours,1,24,,street\n", "line 2, column limit", "from 1"},
		{"text limit", header + "MD02,a,b,c,d,four,hours,1,24,,street\n", "line 2, column limit", `"four"`},
		{"three extensions", header + "MD02,a,b,c,d,4,hours,3,2,,street\n", "line 2, column extensions", "0 to 2"},
		{"no grace", header + "MD02,a,b,c,d,4,hours,0,0,,street\n", "line 2, column grace_hours", "from 1"},
		{"unknown capability", header + "MD02,a,b,c,d,4,hours,0,2,mediation;juggling,street\n", "line 2, column capabilities", `"juggling"`},
		{"capability twice", header + "MD02,a,b,c,d,4,hours,0,2,hazmat;hazmat,street\n", "line 2, column capabilities", "twice"},
		{"bad level", header + "MD02,a,b,c,d,4,hours,0,2,,province\n", "line 2, column handling_level", `"province"`},
		{"bad code", header + "md2,a,b,c,d,4,hours,0,2,,street\n", "line 2, column code", `"md2"`},
		{"empty name", header + "MD02,,b,c,d,4,hours,0,2,,street\n", "line 2, column name_zh", "empty"},
		{"duplicate", header + good + good, "line 3, column code", "line 2"},
	} {
		_, err := ParseMatters("m.csv", strings.NewReader(c.in))
		var ie *InputError
		if !errors.As(err, &ie) || ie.File != "m.csv" || ie.Record != c.record || !strings.Contains(ie.Reason, c.reason) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
