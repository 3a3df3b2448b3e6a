package journal

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/gowebpki/jcs"
)

// Fields are an entry's fields (At in the store's one time text form,
// Payload canonical JSON). Stores keep the entry as its canonical form
// (Canonical), which is what the hash covers.
type Fields struct {
	ID, Console, Actor, At, Kind, Subject, Payload string
}

// Canonical is the entry's canonical form, as stores keep it.
func Canonical(f Fields) string { return string(AppendCanonical(nil, f)) }

// Parse reads a stored canonical entry back into its fields.
func Parse(entry string) (Fields, error) {
	var v struct {
		ID, Console, Actor, At, Kind, Subject string
		Payload                               json.RawMessage
	}
	if err := json.Unmarshal([]byte(entry), &v); err != nil {
		return Fields{}, fmt.Errorf("journal entry: %w", err)
	}
	return Fields{ID: v.ID, Console: v.Console, Actor: v.Actor, At: v.At, Kind: v.Kind, Subject: v.Subject, Payload: string(v.Payload)}, nil
}

// Payload is v as canonical JSON (RFC 8785), the form entries store.
func Payload(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	c, err := jcs.Transform(b)
	if err != nil {
		return "", fmt.Errorf("canonical JSON: %w", err)
	}
	return string(c), nil
}

// AppendCanonical appends the entry's canonical form to dst.
//
// Written by hand rather than through jcs.Transform, which parses: the keys
// are fixed and already in JCS order, every value but the payload is a
// string, and the payload is canonical already. A test and a fuzzer check
// that this equals jcs.Transform of the same object.
func AppendCanonical(dst []byte, f Fields) []byte {
	dst = append(dst, `{"actor":`...)
	dst = appendString(dst, f.Actor)
	dst = append(dst, `,"at":`...)
	dst = appendString(dst, f.At)
	dst = append(dst, `,"console":`...)
	dst = appendString(dst, f.Console)
	dst = append(dst, `,"id":`...)
	dst = appendString(dst, f.ID)
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, f.Kind)
	dst = append(dst, `,"payload":`...)
	dst = append(dst, f.Payload...)
	dst = append(dst, `,"subject":`...)
	dst = appendString(dst, f.Subject)
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JCS string: the two-character escapes for
// \b \t \n \f \r " \, \u00xx for other control characters, every other
// byte as it is.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Hasher computes entry hashes, reusing its buffer.
type Hasher struct{ buf []byte }

// Hash is the hex hash of an entry given the previous entry's hex hash (""
// for the first entry).
func (h *Hasher) Hash(prev string, f Fields) (string, error) {
	p, err := parseDigest(prev)
	if err != nil {
		return "", fmt.Errorf("previous %w", err)
	}
	h.buf = append(h.buf[:0], p.sum[:]...)
	h.buf = AppendCanonical(h.buf, f)
	return digest{sum: sha256.Sum256(h.buf), set: true}.hex(), nil
}

// sum hashes 32 bytes of the previous hash (zeros before the first entry)
// and a stored canonical entry.
func (h *Hasher) sum(prev digest, entry string) digest {
	h.buf = append(append(h.buf[:0], prev.sum[:]...), entry...)
	return digest{sum: sha256.Sum256(h.buf), set: true}
}
