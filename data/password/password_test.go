package password

import (
	"errors"
	"strings"
	"testing"
	"time"

	"kapok/data"
)

// A hash verifies its password and no other, and is a PHC string with the
// current parameters and a fresh salt each time.
func TestHashVerify(t *testing.T) {
	h, err := Hash("kapok-demo-2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q: not argon2id with the current parameters", h)
	}
	p, err := parse(h)
	if err != nil || len(p.salt) != saltLen || len(p.key) != keyLen {
		t.Fatalf("parse %q: %+v %v", h, p, err)
	}
	for pw, want := range map[string]bool{"kapok-demo-2026": true, "kapok-demo-2027": false, "": false, "Kapok-demo-2026": false,
		"kapok-demo-2026 ": false} {
		if ok, err := Verify(pw, h); ok != want || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	h2, err := Hash("kapok-demo-2026")
	if err != nil || h2 == h || h2[:len(h2)-keyB64] == h[:len(h)-keyB64] {
		t.Fatalf("two hashes of one password share their salt: %q %q", h, h2)
	}
}

// keyB64 is the length of a 32-byte key in unpadded base64.
const keyB64 = 43

// Hashes made with other parameters (as an older or newer Kapok may store)
// verify with their own parameters, and the encoding is the reference
// implementation's: this string was made by its command line,
// `echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e`.
func TestVerifyOtherParameters(t *testing.T) {
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	ok, err := Verify("password", ref)
	if err != nil || !ok {
		t.Fatalf("reference vector: %v %v", ok, err)
	}
	if ok, _ := Verify("passwore", ref); ok {
		t.Fatal("reference vector verified a wrong password")
	}
}

// Malformed and out-of-bounds PHC strings are errors (ErrMalformed), never
// a false "wrong password" and never run.
func TestVerifyRefusesMalformed(t *testing.T) {
	good := "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	if _, err := parse(good); err != nil {
		t.Fatalf("good: %v", err)
	}
	for _, bad := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",   // argon2i
		"$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  // version 1.0
		"$argon2id$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",       // no version
		"$argon2id$v=19$t=2,m=19456,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  // order
		"$argon2id$v=19$m=019456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // leading zero
		"$argon2id$v=19$m=+19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // sign
		"$argon2id$v=19$m=4294967296,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=2097152,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // 2 GiB
		"$argon2id$v=19$m=19456,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=19456,t=1000000,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=19456,t=2,p=0$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=7,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",                     // salt 4 bytes
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA==$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",   // padded
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdB$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",     // non-canonical bits
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1a",                                    // hash 9 bytes
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc$",    // extra field
		"$argon2id$v=19$m=19456,t=2,p=1,k=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // extra parameter
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPP-",     // URL alphabet
		" $argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
	} {
		start := time.Now()
		ok, err := Verify("password", bad)
		if ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: %v, %v; want ErrMalformed", bad, ok, err)
		}
		if d := time.Since(start); d > 5*time.Millisecond {
			t.Errorf("%q: refused after %v: it was hashed", bad, d)
		}
	}
}

// The decoy takes about as long as a real verification, so an unknown
// login is refused no faster than a wrong password.
func TestDecoyTakesAsLong(t *testing.T) {
	h, err := Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	best := func(f func()) time.Duration {
		b := time.Hour
		for range 5 {
			s := time.Now()
			f()
			b = min(b, time.Since(s))
		}
		return b
	}
	real := best(func() { _, _ = Verify("wrong horse", h) })
	decoy := best(func() { Decoy("wrong horse") })
	if decoy < real*2/3 || decoy > real*3/2 {
		t.Fatalf("decoy %v, a verification %v", decoy, real)
	}
}

// The policy: length in characters, not the login.
func TestCheck(t *testing.T) {
	for _, c := range []struct {
		pw, login string
		code      data.Code
	}{
		{"kapok-demo-2026", "leader", ""},
		{"五山街道网格员", "worker", data.CodePasswordTooShort}, // 7 characters, 21 bytes
		{"五山街道网格员甲", "worker", ""},
		{"short", "leader", data.CodePasswordTooShort},
		{"", "leader", data.CodePasswordTooShort},
		{"operator_440106", "operator_440106", data.CodePasswordIsLogin},
		{"Operator_440106", "operator_440106", data.CodePasswordIsLogin},
		{strings.Repeat("x", MaxLength), "leader", ""},
		{strings.Repeat("x", MaxLength+1), "leader", data.CodePasswordTooLong},
		{"abcdefgh\xff", "leader", data.CodePasswordInvalid},
	} {
		err := Check(c.pw, c.login)
		var r *data.Refusal
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%q: refused %v", c.pw, err)
		case c.code != "" && (!errors.As(err, &r) || r.Code != c.code):
			t.Errorf("%q: %v, want %s", c.pw, err, c.code)
		}
	}
}

// FuzzParse: whatever the string, parse reads it or refuses it without
// panicking, and what it reads is the one spelling of what it read: the
// string made again from the parsed hash is the string given.
func FuzzParse(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parse(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("%q: error %v does not wrap ErrMalformed", s, err)
			}
			return
		}
		if got := p.String(); got != s {
			t.Fatalf("parsed %q, spelled again %q", s, got)
		}
		if p.memory > maxMemory || p.time > maxTime || p.threads > maxThreads || p.threads == 0 {
			t.Fatalf("%q: parameters out of bounds accepted: %+v", s, p)
		}
	})
}

// BenchmarkHash: what one login's verification costs (a hash and a
// verification cost the same).
func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("kapok-demo-2026"); err != nil {
			b.Fatal(err)
		}
	}
}
