package data

import (
	"strconv"

	"github.com/paulmach/orb"
)

// Level is a region's place in the city → district → street → community chain.
type Level int

// The four levels of regions and governance centers.
const (
	LevelCity Level = iota
	LevelDistrict
	LevelStreet
	LevelCommunity
)

// Levels lists the levels top down.
var Levels = []Level{LevelCity, LevelDistrict, LevelStreet, LevelCommunity}

var levelNames = [...]string{"city", "district", "street", "community"}

// String names the level; LevelCommunity+1, a recommendation's tier for a
// unit in the case's own grid, is "grid".
func (l Level) String() string {
	switch {
	case int(l) >= 0 && int(l) < len(levelNames):
		return levelNames[l]
	case l == LevelCommunity+1:
		return "grid"
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// ParseLevel reads a level's name ("city", "district", "street", "community").
func ParseLevel(s string) (Level, bool) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), true
		}
	}
	return 0, false
}

// CodeLength is the length of an official division code at this level.
func (l Level) CodeLength() int { return [...]int{4, 6, 9, 12}[l] }

// GridCodeLength is the length of a grid code: community code + 3-digit sequence.
const GridCodeLength = 15

// LevelOfCode is the level of a region code by its length; ok is false for a
// code of no region's length (a grid code among them).
func LevelOfCode(code string) (Level, bool) {
	for _, l := range Levels {
		if len(code) == l.CodeLength() {
			return l, true
		}
	}
	return 0, false
}

// IsGridCode reports whether s has the form of a grid code: 15 digits.
func IsGridCode(s string) bool { return len(s) == GridCodeLength && AllDigits(s) }

// AllDigits reports whether s is one or more ASCII digits.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Region is a city, district, street/town or community/village.
type Region struct {
	Code, Name, Pinyin string
	Level              Level
	ParentCode         string
	Kind               string // street|town, community|village; empty above
	Boundary           orb.MultiPolygon
	AreaKm2            float64
	DemoPoint          bool
}

// Grid kinds.
const (
	GridResidential = "residential"
	GridVillage     = "village"
	GridCommercial  = "commercial"
	GridIndustrial  = "industrial"
	GridSpecial     = "special" // schools, hospitals and the like
)

// Grid is one comprehensive grid, owned by exactly one community.
type Grid struct {
	FID           int64
	Code          string
	CommunityCode string
	Kind          string
	Boundary      orb.MultiPolygon
	AreaM2        float64
	Population    int
	Households    int
}

// Center is a comprehensive governance center, one per region. Its code is
// "C" and the region's code.
type Center struct {
	Code, Name, RegionCode string
	Level                  Level
	Location               orb.Point
	DutyPhone              string
	StaffOnDuty            int
	Status                 string
}

// CenterCode is the code of the governance center of a region.
func CenterCode(region string) string { return "C" + region }
