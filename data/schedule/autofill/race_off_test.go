//go:build !race

package autofill

const raceEnabled = false
