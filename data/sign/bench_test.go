package sign

import (
	"path/filepath"
	"testing"
)

// Signing a 10 MB briefing: the SHA-256 of the file is nearly all of it.
func BenchmarkSignFile10MB(b *testing.B) {
	k := fixedKey("leader", 1)
	pdf := filepath.Join(b.TempDir(), "briefing.pdf")
	writeRandom(b, pdf, 10<<20, 1)
	b.SetBytes(10 << 20)
	for b.Loop() {
		if _, err := SignFile(pdf, k, when); err != nil {
			b.Fatal(err)
		}
	}
}
