package data

import (
	"fmt"
	"io"
	"regexp"
	"slices"
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

// The catalogue (assets/matters.csv) has one row per matter:
//
//	code,name_zh,name_en,category,department,limit,limit_unit,extensions,grace_hours,capabilities,handling_level
//
// Which matters count working days: those whose responsible office acts on
// office days and that put no life, health or property at immediate risk —
// disputes (mediation), registration records (unregistered rental rooms,
// migrant records), building and planning violations and abandoned
// vehicles (enforcement procedures with notices), waste sorting, cooking
// fumes and small polluting workshops (enforcement), livelihood services
// (assistance, disability support, social insurance, employment, schooling,
// veterans), follow-up of released prisoners, left-behind children and idle
// youths, public-place hygiene, market violations that are not urgent
// (unlicensed business, counterfeits, pricing, tutoring, rental-room
// business) and bus stops: 34 matters, 3, 5, 7 or 10 working days (the
// usual administrative limits, each the former limit in hours ÷ 24). The
// other 75 — hazards, incidents on the street, utility failures, police
// leads, epidemics, traffic and floods — count calendar hours, as their
// units are on duty round the clock.
//
// Extensions: none for a limit of 8 hours or less (escalate instead), two
// for long-running disputes (land, demolition, medical, collective
// economy) and building violations, one otherwise. Grace before
// escalation follows urgency: 2 h for limits up to 4 h, 4 h up to 12 h,
// 8 h up to 24 h, 12 h beyond, 24 h for working-day limits.

var matterColumns = []string{"code", "name_zh", "name_en", "category", "department", "limit", "limit_unit",
	"extensions", "grace_hours", "capabilities", "handling_level"}

var (
	matterCode     = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}$`)
	handlingLevels = []string{"grid", "community", "street", "district", "city"}
)

// Matters reads the embedded catalogue of grid matters (assets/matters.csv).
func Matters() ([]MatterType, error) {
	const file = "matters.csv"
	f, err := assets.FS.Open(file)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return ParseMatters(file, f)
}

// ParseMatters reads a catalogue of grid matters in the form of
// assets/matters.csv, refusing any bad value with an *InputError naming
// the line and the column.
func ParseMatters(file string, r io.Reader) ([]MatterType, error) {
	var out []MatterType
	err := readCatalogue(file, r, matterColumns, func(p catalogueRow) (string, error) {
		m, err := matterOf(p)
		out = append(out, m)
		return m.Code, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func matterOf(p catalogueRow) (MatterType, error) {
	m := MatterType{Code: p.get("code"), NameZh: p.get("name_zh"), NameEn: p.get("name_en"),
		Category: p.get("category"), Department: p.get("department"), HandlingLevel: p.get("handling_level")}
	if !matterCode.MatchString(m.Code) {
		return m, p.bad("code", fmt.Sprintf("%q is not two capitals and two digits", m.Code))
	}
	for _, c := range []string{"name_zh", "name_en", "category", "department"} {
		if p.get(c) == "" {
			return m, p.bad(c, "empty")
		}
	}
	if !slices.Contains(handlingLevels, m.HandlingLevel) {
		return m, p.bad("handling_level", fmt.Sprintf("%q is not one of %s", m.HandlingLevel, strings.Join(handlingLevels, ", ")))
	}
	var err error
	switch m.LimitUnit = LimitUnit(p.get("limit_unit")); m.LimitUnit {
	case LimitHours:
		// Up to a year: a bound that catches a typo, not a rule.
		if m.Limit, err = p.whole("limit", 1, 366*24); err != nil {
			return m, err
		}
		m.TimeLimit = time.Duration(m.Limit) * time.Hour
	case LimitWorkingDays:
		if m.Limit, err = p.whole("limit", 1, 250); err != nil {
			return m, err
		}
		m.TimeLimit = time.Duration(m.Limit) * 24 * time.Hour
	default:
		return m, p.bad("limit_unit", fmt.Sprintf("%q is not %s or %s", m.LimitUnit, LimitHours, LimitWorkingDays))
	}
	if m.Extensions, err = p.whole("extensions", 0, 2); err != nil {
		return m, err
	}
	grace, err := p.whole("grace_hours", 1, 24*7)
	if err != nil {
		return m, err
	}
	m.Grace = time.Duration(grace) * time.Hour
	if caps := p.get("capabilities"); caps != "" {
		for _, c := range strings.Split(caps, ";") {
			c = strings.TrimSpace(c)
			switch {
			case !slices.Contains(Capabilities, c):
				return m, p.bad("capabilities", fmt.Sprintf("%q is not a capability (%s)", c, strings.Join(Capabilities, ", ")))
			case slices.Contains(m.Capabilities, c):
				return m, p.bad("capabilities", fmt.Sprintf("%q is listed twice", c))
			}
			m.Capabilities = append(m.Capabilities, c)
		}
	}
	return m, nil
}
