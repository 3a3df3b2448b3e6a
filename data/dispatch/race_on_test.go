//go:build race

package dispatch

// raceEnabled: the race detector slows the naive sort some tenfold, so
// TestMatchesNaiveSort compares fewer cases under it.
const raceEnabled = true
