package citymap

import (
	"cmp"
	"image/color"
	"slices"
	"sync"

	"kapok/data/schedule"
)

// The Red Cotton theme (红棉指数): every grid in the colour of its
// district's rank on the day by the score the console chose (the composite
// or one of the five dimensions), in five classes from the best ranks to
// the worst. Ranks, not fixed bands of the score: the index is relative
// (min-max among the districts), and composites of eleven districts
// bunch between 40 and 60. Districts are ranked among the districts and
// streets (those scored that day, from their own inputs) among the
// streets: a grid shows its street's class where its street has a score,
// else its district's; communities and grids are not scored. The police theme: grids coloured by the
// police incidents in them (security.go).

// themeScores are what the Red Cotton and police themes colour by.
type themeScores struct {
	mu sync.Mutex
	// redCotton is each district's and street's score (0-100) by its
	// code; a region absent has no index that day.
	redCotton map[string]float64
	// police is the police incidents per grid code.
	police map[string]int
}

// SetRedCotton sets the scores the Red Cotton theme ranks the districts
// and the streets by, by district (6-digit) and street (9-digit) code
// (nil: none); each level is ranked on its own. The grids are recoloured by the next
// SetTheme("redcotton").
func (cm *CityMap) SetRedCotton(scores map[string]float64) {
	cm.scores.mu.Lock()
	defer cm.scores.mu.Unlock()
	cm.scores.redCotton = scores
}

// RedCottonRamp colours the rank classes, the best ranks first.
var RedCottonRamp = []color.NRGBA{{26, 150, 65, 255}, {166, 217, 106, 255}, {255, 255, 191, 255}, {253, 174, 97, 255}, {215, 25, 28, 255}}

// RedCottonUnscored colours a district without an index that day.
var RedCottonUnscored = color.NRGBA{214, 214, 210, 255}

// RedCottonClass is the class of rank (1 the best) among n districts: the
// ranks spread evenly over the five classes, the best in 0, the worst in
// 4 (two districts: 0 and 4; eleven: 2, 2, 3, 2, 2 districts).
func RedCottonClass(rank, n int) int {
	if n <= 1 {
		return 0
	}
	return min(4, max(0, int(float64(rank-1)*4/float64(n-1)+0.5)))
}

// RedCottonRanks ranks the districts by their scores, the highest 1 (ties
// to the lower code).
func RedCottonRanks(scores map[string]float64) map[string]int {
	codes := make([]string, 0, len(scores))
	for c := range scores {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	ranks := make(map[string]int, len(codes))
	for i, c := range codes {
		ranks[c] = i + 1
	}
	return ranks
}

// themeColorsOf is the grid colour function of any theme: the Red Cotton
// and police themes' from the scores, the others' by themeColors (cov: the
// coverage theme's cells).
func (cm *CityMap) themeColorsOf(theme string, cov map[string]schedule.Cell) (func(int) color.NRGBA, error) {
	if f := cm.scoreColors(theme); f != nil {
		return f, nil
	}
	return themeColors(theme, cm.Grids, cm.Events, cm.units, cov)
}

// scoreColors is the grid colour function of the Red Cotton and police
// themes, nil for another theme.
func (cm *CityMap) scoreColors(theme string) func(int) color.NRGBA {
	cm.scores.mu.Lock()
	defer cm.scores.mu.Unlock()
	grids := cm.Grids
	switch theme {
	case "redcotton":
		districts, streets := map[string]float64{}, map[string]float64{}
		for c, v := range cm.scores.redCotton {
			switch len(c) {
			case 6:
				districts[c] = v
			case 9:
				streets[c] = v
			}
		}
		dRanks, sRanks := RedCottonRanks(districts), RedCottonRanks(streets)
		return func(i int) color.NRGBA {
			code := grids[i].Code
			if len(code) >= 9 {
				if r, ok := sRanks[code[:9]]; ok {
					return RedCottonRamp[RedCottonClass(r, len(streets))]
				}
			}
			if len(code) < 6 {
				return RedCottonUnscored
			}
			if r, ok := dRanks[code[:6]]; ok {
				return RedCottonRamp[RedCottonClass(r, len(districts))]
			}
			return RedCottonUnscored
		}
	case "police":
		counts := cm.scores.police
		return func(i int) color.NRGBA { return PoliceRamp[min(counts[grids[i].Code], len(PoliceRamp)-1)] }
	}
	return nil
}

// redCottonLegend explains the Red Cotton theme's colours.
func redCottonLegend() []LegendEntry {
	return []LegendEntry{{RedCottonRamp[0], "best ranked districts"}, {RedCottonRamp[1], "above the middle"}, {RedCottonRamp[2], "middle"},
		{RedCottonRamp[3], "below the middle"}, {RedCottonRamp[4], "worst ranked"}, {RedCottonUnscored, "no index (a street without a score shows its district's rank)"}}
}
