package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
	"kapok/data/mirror"
)

// The Red Cotton tab shows the store's ranking of the latest day; choosing
// another day shows that day's, with new bars; choosing a district's row
// selects it on the map and draws its trend; the theme colours each
// district's grids by its rank's class, in rank order, by the composite or
// a dimension.
func TestRedCottonTab(t *testing.T) {
	c := newTestConsole(t, "leader")
	tab := c.RedCotton()
	first, last, err := c.M.RedCottonDays(bg)
	if err != nil || last == "" {
		t.Fatalf("the fixture has no index: %v", err)
	}
	if len(tab.Day.Options) < 2 || tab.Day.Options[0] != last || tab.Day.Options[len(tab.Day.Options)-1] != first || tab.Day.Selected != last {
		t.Fatalf("days %v, chosen %q; the index has %s to %s", tab.Day.Options, tab.Day.Selected, first, last)
	}
	want, err := c.M.RedCottonRanking(bg, last)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(tab.rows, want, func(a, b mirror.RedCottonRow) bool { return a == b }) || len(want) != 2 {
		t.Fatalf("the tab shows %+v, the store %+v", tab.rows, want)
	}
	for r, row := range want {
		for col, text := range map[int]string{0: "1", 1: shortDistrict(row.Name)} {
			if col == 0 {
				text = redCottonCell(row, 0)
			}
			if got := tableText(tab.Table, r, col); got != text {
				t.Errorf("row %d col %d: %q, want %q", r, col, got, text)
			}
		}
	}
	if tab.Bars.Image == nil || tab.Trend.Image == nil {
		t.Fatal("no bars or trend drawn")
	}

	// Another day.
	bars := tab.Bars.Image
	other := tab.Day.Options[1]
	tab.Day.SetSelected(other)
	want, _ = c.M.RedCottonRanking(bg, other)
	if !slices.EqualFunc(tab.rows, want, func(a, b mirror.RedCottonRow) bool { return a == b }) || tab.rows[0].Day != other {
		t.Fatalf("day %s: the tab shows %+v, the store %+v", other, tab.rows, want)
	}
	if tab.Bars.Image == bars {
		t.Error("the bars were not drawn again for the day")
	}

	// A district: selected on the map, its trend to the day read.
	second := tab.rows[1]
	trend := tab.Trend.Image
	tab.Table.Select(widget.TableCellID{Row: 1, Col: 1})
	if tab.district != second.District || c.selRegion != second.District || c.focus != second.District {
		t.Fatalf("chose %s: tab %q, map selection %q, details %q", second.District, tab.district, c.selRegion, c.focus)
	}
	wantTrend, _ := c.M.RedCottonTrendTo(bg, second.District, other, redCottonTrendDays)
	if len(tab.trend) == 0 || !slices.EqualFunc(tab.trend, wantTrend, func(a, b mirror.RedCottonRow) bool { return a == b }) {
		t.Errorf("trend %+v, the store %+v", tab.trend, wantTrend)
	}
	if tab.Trend.Image == trend {
		t.Error("the trend was not drawn again for the district")
	}

	// The theme: each district's grids in its rank's class, in rank
	// order (a better rank never a worse class); the selection's
	// highlight cleared first.
	c.SelectGrids(nil, false)
	c.SetTheme("redcotton")
	if c.theme != "redcotton" || len(c.Legend.Objects) != 2*len(citymap.Legend("redcotton")) {
		t.Fatalf("theme %q, legend of %d", c.theme, len(c.Legend.Objects))
	}
	check := func(score func(mirror.RedCottonRow) float64) {
		t.Helper()
		scores := map[string]float64{}
		for _, r := range tab.rows {
			scores[r.District] = score(r)
		}
		ranks := citymap.RedCottonRanks(scores)
		lastClass := -1
		byRank := slices.Clone(tab.rows)
		slices.SortFunc(byRank, func(a, b mirror.RedCottonRow) int { return ranks[a.District] - ranks[b.District] })
		for _, r := range byRank {
			k := citymap.RedCottonClass(ranks[r.District], len(tab.rows))
			if k < lastClass {
				t.Errorf("%s in class %d after class %d", r.District, k, lastClass)
			}
			lastClass = k
			grid := c.gridsOf[c.firstCommunity(r.District)][0]
			if share := gridShare(t, c, grid, citymap.RedCottonRamp[k]); share < 0.9 {
				t.Errorf("%s (rank %d, %.1f): grid %s %.0f%% in its class's colour", r.District, ranks[r.District], score(r), grid, share*100)
			}
		}
		if lastClass != 4 {
			t.Errorf("the last ranked in class %d", lastClass)
		}
	}
	check(func(r mirror.RedCottonRow) float64 { return r.Composite })
	if tab.rows[0].Composite < tab.rows[1].Composite {
		t.Error("the ranking is not by composite")
	}
	tab.Dim.SetSelected(tab.Dim.Options[1]) // safety
	if tab.dim != 0 {
		t.Fatalf("dimension %d", tab.dim)
	}
	check(func(r mirror.RedCottonRow) float64 { return r.Dimensions[0] })
}

// tableText is the text a table's cell shows.
func tableText(tb *widget.Table, row, col int) string {
	o := tb.CreateCell()
	tb.UpdateCell(widget.TableCellID{Row: row, Col: col}, o)
	return o.(*widget.Label).Text
}

// firstCommunity is the first community of a district in the tree.
func (c *Console) firstCommunity(district string) string {
	code := district
	for len(code) < 12 {
		kids := c.children[code]
		if len(kids) == 0 {
			return code
		}
		code = kids[0]
	}
	return code
}
