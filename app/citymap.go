// Package app is Kapok's console. This file joins the mirror to the map
// engine: it loads the city's layers and colours the grids by a status theme.
package app

import (
	"fmt"
	"image/color"

	"github.com/paulmach/orb"

	"kapok/data"
	kmaps "kapok/maps"
)

// Themes colour the grids by status.
var Themes = []string{"plain", "events", "overdue", "units"}

// CityMap is the city ready to draw.
type CityMap struct {
	Map        *kmaps.Map
	Grids      []data.Grid
	Units      *kmaps.Index // ids are positions in UnitStatus
	UnitStatus []string
	Extent     orb.Bound // Web Mercator
	theme      func(i int) color.RGBA
}

// LoadCityMap loads the mirror's layers into a map coloured by theme.
func LoadCityMap(m *data.Mirror, theme string) (*CityMap, error) {
	grids, err := m.LoadGrids()
	if err != nil {
		return nil, err
	}
	cm := &CityMap{Map: kmaps.NewMap(160), Grids: grids}
	colorOf, err := themeColors(m, theme, grids)
	if err != nil {
		return nil, err
	}
	cm.theme = colorOf
	feats := make([]kmaps.Feature, len(grids))
	for i, g := range grids {
		feats[i] = kmaps.Feature{ID: i, Geom: kmaps.Project(g.Boundary.Clone())}
	}
	if len(feats) > 0 {
		cm.Extent = feats[0].Geom.Bound()
		for _, f := range feats[1:] {
			cm.Extent = cm.Extent.Union(f.Geom.Bound())
		}
	}
	cm.Map.SetFill(feats, colorOf)
	// Boundaries as linework: each edge once, at the coarsest level that has
	// it; drawn finest first so coarser lines lie on top.
	levels := []struct {
		level data.Level
		style kmaps.OutlineStyle
	}{
		{data.LevelDistrict, kmaps.OutlineStyle{Color: color.RGBA{40, 40, 48, 255}, Width: 1.8}},
		{data.LevelStreet, kmaps.OutlineStyle{Color: color.RGBA{80, 80, 80, 220}, Width: 0.9, MinZoom: 9}},
		{data.LevelCommunity, kmaps.OutlineStyle{Color: color.RGBA{110, 110, 110, 170}, Width: 0.7, MinZoom: 10.5}},
	}
	var coarser *kmaps.Linework
	var lines []*kmaps.Linework
	for _, o := range levels {
		shapes, err := m.LoadShapes(o.level)
		if err != nil {
			return nil, err
		}
		polys := make([]orb.Geometry, len(shapes))
		for i, s := range shapes {
			polys[i] = kmaps.Project(s.Boundary.Clone())
		}
		coarser = kmaps.NewLinework(polys, coarser)
		lines = append(lines, coarser)
	}
	gridPolys := make([]orb.Geometry, len(feats))
	for i, f := range feats {
		gridPolys[i] = f.Geom
	}
	// Grid edges shorter than 6 pixels are not stroked: at city zoom the
	// grids show as fills, not as a mesh of outlines.
	gridLines := kmaps.NewLinework(gridPolys, coarser)
	cm.Map.AddOutlines("grids", lineFeatures(gridLines), kmaps.OutlineStyle{Color: color.RGBA{255, 255, 255, 210}, Width: 0.6, MinZoom: 11.5, MinPixels: 6})
	for i := len(levels) - 1; i >= 0; i-- {
		cm.Map.AddOutlines(levels[i].level.String()+"s", lineFeatures(lines[i]), levels[i].style)
	}
	units, err := m.LoadUnits()
	if err != nil {
		return nil, err
	}
	ufs := make([]kmaps.Feature, len(units))
	cm.UnitStatus = make([]string, len(units))
	for i, u := range units {
		ufs[i] = kmaps.Feature{ID: i, Geom: kmaps.ProjectPoint(u.Location)}
		cm.UnitStatus[i] = u.Status
	}
	cm.Units = kmaps.NewIndex(ufs)
	cm.Map.AddPoints("units", ufs, func(i int) color.RGBA { return unitColor[units[i].Status] }, 3, 14)
	return cm, nil
}

var unitColor = map[string]color.RGBA{"available": {46, 139, 87, 255}, "dispatched": {30, 100, 200, 255},
	"busy": {230, 140, 20, 255}, "offline": {120, 120, 120, 255}}

var kindColor = map[string]color.RGBA{data.GridResidential: {238, 226, 200, 255}, data.GridVillage: {214, 232, 200, 255},
	data.GridCommercial: {247, 212, 180, 255}, data.GridIndustrial: {214, 208, 226, 255}, data.GridSpecial: {196, 222, 240, 255}}

// themeColors returns the grid colour function of a theme.
func themeColors(m *data.Mirror, theme string, grids []data.Grid) (func(int) color.RGBA, error) {
	switch theme {
	case "plain":
		return func(i int) color.RGBA { return kindColor[grids[i].Kind] }, nil
	case "events", "overdue":
		ev, err := m.EventsByGrid(m.AsOf())
		if err != nil {
			return nil, err
		}
		ramp := []color.RGBA{{232, 236, 226, 255}, {253, 224, 139, 255}, {249, 164, 74, 255}, {214, 60, 44, 255}}
		return func(i int) color.RGBA {
			e := ev[grids[i].Code]
			n := e.Open
			if theme == "overdue" {
				n = e.Overdue * 2 // one overdue case already stands out
				if n == 0 {
					return color.RGBA{230, 230, 230, 255}
				}
			}
			return ramp[min(n, 3)]
		}, nil
	case "units":
		units, err := m.LoadUnits()
		if err != nil {
			return nil, err
		}
		avail, total := map[string]int{}, map[string]int{}
		for _, u := range units {
			total[u.GridCode]++
			if u.Status == "available" {
				avail[u.GridCode]++
			}
		}
		return func(i int) color.RGBA {
			c := grids[i].Code
			switch {
			case total[c] == 0:
				return color.RGBA{221, 221, 221, 255}
			case avail[c] == total[c]:
				return color.RGBA{159, 214, 155, 255}
			case avail[c] > 0:
				return color.RGBA{244, 211, 94, 255}
			}
			return color.RGBA{217, 83, 79, 255}
		}, nil
	}
	return nil, fmt.Errorf("unknown theme %q (themes: plain, events, overdue, units)", theme)
}

func lineFeatures(lw *kmaps.Linework) []kmaps.Feature {
	fs := make([]kmaps.Feature, len(lw.Lines))
	for i, l := range lw.Lines {
		fs[i] = kmaps.Feature{ID: i, Geom: l}
	}
	return fs
}
