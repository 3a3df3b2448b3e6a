package data

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kapok/assets"
)

// LimitUnit says how a matter's time limit counts.
type LimitUnit string

// Limit units: calendar hours, or working days (weekends and official
// public holidays skipped, official make-up working days counted).
const (
	LimitHours       LimitUnit = "hours"
	LimitWorkingDays LimitUnit = "working_days"
)

// MatterType is one entry of the grid-matter catalogue.
type MatterType struct {
	Code, NameZh, NameEn, Category, Department string
	// TimeLimit is the limit as a duration: the hours, or for a limit in
	// working days that many days of 24 hours (a nominal length, for
	// display and the demo; deadlines count working days, package
	// data/calendar).
	TimeLimit time.Duration
	Limit     int       // the limit in its unit
	LimitUnit LimitUnit // hours unless the catalogue says working days
	// Extensions is how many extensions (each one more limit) may be
	// approved; Grace how long a case may stay overdue before it is
	// escalated one level.
	Extensions int
	Grace      time.Duration
	// Capabilities are what a unit needs to handle the matter (of
	// Capabilities); none for matters any unit can take.
	Capabilities  []string
	HandlingLevel string
}

// Capabilities is the vocabulary of what emergency units can do.
var Capabilities = []string{"first_aid", "fire_fighting", "flood_control", "evacuation", "traffic_control",
	"mediation", "search_rescue", "hazmat", "power_repair", "epidemic_control"}

// Deadline is when an event dispatched at t must be fed back, given its
// matter, counting its limit in calendar hours (data/calendar counts
// working days).
func Deadline(dispatched time.Time, m MatterType) time.Time { return dispatched.Add(m.TimeLimit) }

// Matters reads the embedded catalogue of grid matters (assets/matters.csv).
func Matters() ([]MatterType, error) {
	const file = "matters.csv"
	f, err := assets.FS.Open(file)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, &InputError{File: file, Reason: err.Error()}
	}
	if len(rows) == 0 {
		return nil, &InputError{File: file, Reason: "empty file: no header row"}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, want := range []string{"code", "name_zh", "name_en", "category", "department", "time_limit_hours", "handling_level"} {
		if _, ok := col[want]; !ok {
			return nil, &InputError{File: file, Record: "line 1", Reason: fmt.Sprintf("no column %q", want)}
		}
	}
	out := make([]MatterType, 0, len(rows)-1)
	for i, r := range rows[1:] {
		get := func(c string) string { return strings.TrimSpace(r[col[c]]) }
		h, err := strconv.Atoi(get("time_limit_hours"))
		if err != nil || h <= 0 {
			return nil, &InputError{File: file, Record: fmt.Sprintf("line %d", i+2), Reason: "time_limit_hours is not a positive whole number"}
		}
		out = append(out, MatterType{Code: get("code"), NameZh: get("name_zh"), NameEn: get("name_en"),
			Category: get("category"), Department: get("department"),
			TimeLimit: time.Duration(h) * time.Hour, Limit: h, LimitUnit: LimitHours, HandlingLevel: get("handling_level")})
	}
	return out, nil
}
