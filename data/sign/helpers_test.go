package sign

import (
	"crypto/ed25519"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// when is the instant the tests sign at: 2026-11-25 09:00 Beijing time.
var when = time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)

// fixedKey is a key from a fixed seed, for signature files that are the
// same on every run (the fuzz seeds).
func fixedKey(login string, seed byte) Key {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = seed + byte(i)
	}
	priv := ed25519.NewKeyFromSeed(s)
	return Key{Login: login, Private: priv, Public: priv.Public().(ed25519.PublicKey)}
}

// writeRandom writes n bytes of a fixed seed's randomness to a new file.
func writeRandom(t testing.TB, path string, n int, seed uint64) []byte {
	t.Helper()
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

// signedFile is a briefing-like file of n random bytes, signed by a key
// made for leader in a key directory of its own.
func signedFile(t testing.TB, n int) (pdf string, content []byte, k Key) {
	t.Helper()
	k, _, err := LoadOrCreate(filepath.Join(t.TempDir(), "keys"), "leader")
	if err != nil {
		t.Fatal(err)
	}
	pdf = filepath.Join(t.TempDir(), "briefing-2026-11-25.pdf")
	content = writeRandom(t, pdf, n, 7)
	if _, err := SignFile(pdf, k, when); err != nil {
		t.Fatal(err)
	}
	return pdf, content, k
}

// verdict verifies and fails the test on an error.
func verdict(t *testing.T, pdf, sig string, trusted ed25519.PublicKey) Verdict {
	t.Helper()
	v, err := Verify(pdf, sig, trusted)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}
