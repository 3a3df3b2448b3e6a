package citymap

import (
	"image/color"
	"sync"

	"kapok/data/schedule"
)

// The Red Cotton theme (红棉指数): every grid in the colour of its
// district's score on the day and dimension the console chose (the
// composite or one of the five), in five classes of 20 points. The index
// is per district: streets, communities and grids are not scored, each
// grid shows its district's class. The police theme: grids coloured by the
// police incidents in them (security.go).

// themeScores are what the Red Cotton and police themes colour by.
type themeScores struct {
	mu sync.Mutex
	// redCotton is each district's score (0-100) by district code; a
	// district absent has no index that day.
	redCotton map[string]float64
	// police is the police incidents per grid code.
	police map[string]int
}

// SetRedCotton sets the scores the Red Cotton theme shows, by district
// code (nil: none). The grids are recoloured by the next
// SetTheme("redcotton").
func (cm *CityMap) SetRedCotton(scores map[string]float64) {
	cm.scores.mu.Lock()
	defer cm.scores.mu.Unlock()
	cm.scores.redCotton = scores
}

// RedCottonRamp colours the score classes, the best first: 80-100, 60-80,
// 40-60, 20-40, 0-20.
var RedCottonRamp = []color.NRGBA{{26, 150, 65, 255}, {166, 217, 106, 255}, {255, 255, 191, 255}, {253, 174, 97, 255}, {215, 25, 28, 255}}

// RedCottonUnscored colours a district without an index that day.
var RedCottonUnscored = color.NRGBA{214, 214, 210, 255}

// RedCottonClass is a score's class: 0 for 80-100 (the best) to 4 for
// 0-20.
func RedCottonClass(score float64) int {
	return 4 - min(4, max(0, int(score/20)))
}

// RedCottonColor is a district's colour for its score (ok: it has one).
func RedCottonColor(score float64, ok bool) color.NRGBA {
	if !ok {
		return RedCottonUnscored
	}
	return RedCottonRamp[RedCottonClass(score)]
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
		scores := cm.scores.redCotton
		return func(i int) color.NRGBA {
			code := grids[i].Code
			if len(code) < 6 {
				return RedCottonUnscored
			}
			s, ok := scores[code[:6]]
			return RedCottonColor(s, ok)
		}
	case "police":
		counts := cm.scores.police
		return func(i int) color.NRGBA { return PoliceRamp[min(counts[grids[i].Code], len(PoliceRamp)-1)] }
	}
	return nil
}

// redCottonLegend explains the Red Cotton theme's colours.
func redCottonLegend() []LegendEntry {
	return []LegendEntry{{RedCottonRamp[0], "district score 80–100"}, {RedCottonRamp[1], "60–80"}, {RedCottonRamp[2], "40–60"},
		{RedCottonRamp[3], "20–40"}, {RedCottonRamp[4], "0–20"}, {RedCottonUnscored, "no index (streets are not scored)"}}
}
