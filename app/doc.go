// Package app is Kapok's console: the Fyne window with the map widget, the
// region tree, search, layers, details, status board and orders, in
// Chinese and English. It is the only code that imports Fyne; what the
// command line shares with it lives in app/citymap (the map without a
// window) and app/msg (refusals as text). app/cmd/kapok-console is its
// binary.
package app
