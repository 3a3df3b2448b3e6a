// Package password hashes and verifies login passwords with argon2id
// (RFC 9106), kept as PHC strings,
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// (salt and hash in unpadded standard base64), so that each hash carries
// the parameters it was made with and they can be raised later without
// invalidating the hashes already stored. It also holds the minimum
// password policy (Check). No store, no SQL: the mirror keeps the string.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"kapok/data"
)

// The parameters new hashes are made with: OWASP's Password Storage Cheat
// Sheet's first argon2id configuration (19 MiB, 2 passes, 1 lane), its
// minimum. Kapok's command line verifies a password at every write command
// and the console at each login, on office desktops, so a verification must
// stay well under a tenth of a second and must not take a large share of
// memory; online guessing is bounded by the lock after repeated failures
// (data/mirror), and offline guessing of a stolen mirror costs what OWASP
// rates as equivalent to its stronger settings. One lane because the
// lanes only help an attacker with as many cores as the defender lacks.
const (
	Memory  = 19 * 1024 // KiB
	Time    = 2
	Threads = 1
	saltLen = 16 // bytes: RFC 9106's recommendation
	keyLen  = 32
)

// The bounds a stored PHC string's parameters must lie in. A mirror is a
// file that can come from elsewhere: a hash asking for terabytes of memory
// or millions of passes must be refused, not run.
const (
	maxMemory  = 1 << 20 // KiB (1 GiB)
	maxTime    = 64
	maxThreads = 16
	minSalt    = 8 // RFC 9106's minimum
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// The policy's limits, in characters (runes). The upper limit keeps a
// pasted file from being hashed; 256 is far above any passphrase.
const (
	MinLength = 8
	MaxLength = 256
)

// ErrMalformed is a PHC string Verify cannot read, or whose parameters lie
// outside the bounds above. It is a fault of the stored hash, not a wrong
// password.
var ErrMalformed = errors.New("password hash is not an argon2id PHC string Kapok reads")

// Hash makes the PHC string of a password with a fresh random salt.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := phc{memory: Memory, time: Time, threads: Threads, salt: salt}
	p.key = argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, keyLen)
	return p.String(), nil
}

// Verify reports whether pw is the password the PHC string was made from,
// comparing in constant time. A malformed string is an error wrapping
// ErrMalformed.
func Verify(pw, s string) (bool, error) {
	p, err := parse(s)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// decoy is a well-formed PHC string with the current parameters that no
// password will match (its hash is all zeros).
var decoy = phc{memory: Memory, time: Time, threads: Threads, salt: make([]byte, saltLen), key: make([]byte, keyLen)}.String()

// Decoy spends the time and memory a Verify of a current hash takes, and
// reports nothing: a login that is unknown (or cannot log in) must take as
// long to refuse as a wrong password, or the time tells whether it exists.
func Decoy(pw string) {
	_, _ = Verify(pw, decoy)
}

// Check is the minimum password policy: at least MinLength and at most
// MaxLength characters, valid UTF-8, and not the login itself (in any
// case). It says why as a refusal.
func Check(pw, login string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return data.Refuse(data.CodePasswordInvalid, "password")
	case n < MinLength:
		return data.Refuse(data.CodePasswordTooShort, "password", data.Value("min", MinLength))
	case n > MaxLength:
		return data.Refuse(data.CodePasswordTooLong, "password", data.Value("max", MaxLength))
	case strings.EqualFold(pw, login):
		return data.Refuse(data.CodePasswordIsLogin, "password")
	}
	return nil
}

// phc is a parsed argon2id PHC string.
type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// b64 is the PHC string format's base64: standard alphabet, no padding,
// and strict, so that one hash has one spelling.
var b64 = base64.RawStdEncoding.Strict()

func (p phc) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// parse reads a PHC string strictly: the fields in their one order, the
// version 19 (0x13), decimal parameters without signs or leading zeros,
// each within bounds, salt and hash of sensible lengths.
func parse(s string) (phc, error) {
	var p phc
	bad := func(why string) (phc, error) { return phc{}, fmt.Errorf("%w: %s", ErrMalformed, why) }
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" {
		return bad("not $argon2id$v=…$m=…,t=…,p=…$salt$hash")
	}
	if f[1] != "argon2id" {
		return bad("algorithm is not argon2id")
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("version is not 19")
	}
	params := strings.Split(f[3], ",")
	if len(params) != 3 {
		return bad("parameters are not m=…,t=…,p=…")
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(params[i], name+"=")
		if !ok || v == "" || len(v) > 1 && v[0] == '0' || strings.Trim(v, "0123456789") != "" {
			return bad("parameter " + name + " is not a decimal number")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameter " + name + " is too large")
		}
		vals[i] = n
	}
	switch m, t, th := vals[0], vals[1], vals[2]; {
	case th < 1 || th > maxThreads:
		return bad("lanes out of bounds")
	case m < 8*th || m > maxMemory: // argon2 needs 8 KiB a lane
		return bad("memory out of bounds")
	case t < 1 || t > maxTime:
		return bad("passes out of bounds")
	}
	p.memory, p.time, p.threads = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])
	// The decoder skips \r and \n even when strict: a hash with a newline
	// inside would read as the one without.
	if strings.ContainsAny(f[4]+f[5], "\r\n") {
		return bad("salt or hash is not base64")
	}
	var err error
	if p.salt, err = b64.DecodeString(f[4]); err != nil || len(p.salt) < minSalt || len(p.salt) > maxSalt {
		return bad("salt is not 8 to 64 bytes of unpadded base64")
	}
	if p.key, err = b64.DecodeString(f[5]); err != nil || len(p.key) < minKey || len(p.key) > maxKey {
		return bad("hash is not 16 to 64 bytes of unpadded base64")
	}
	return p, nil
}
