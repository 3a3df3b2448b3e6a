// Package citymap joins a store to the map engine without a window: it
// loads the city's grids, boundaries, units and overlay layers into a
// maps.Map, colours the grids by a status theme, and draws PNGs (`kapok
// render`, and briefings later). It does not import Fyne, so the command
// line links no GUI toolkit; the console (package app) builds on it.
package citymap
