//go:build race

package autofill

// raceEnabled shortens the heavier tests under the race detector, which
// runs them ten times slower.
const raceEnabled = true
