package sign

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The one-line key files (doc.go): a tag, the key bytes in base64, the login.
const (
	publicTag  = "kapok-ed25519-public"
	privateTag = "kapok-ed25519-private"
	maxKeyFile = 1024 // a key file is under 200 bytes
)

// Fingerprint is how people tell keys apart: "SHA256:" and the unpadded
// standard base64 of SHA-256 over the 32 key bytes (as ssh-keygen prints
// its fingerprints, though ssh hashes another encoding of the key).
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// WritePublicKey writes the public key file recipients pass to verify
// (through a temporary file renamed into place, 0600). login labels it for
// people; it is not what is trusted.
func WritePublicKey(path string, pub ed25519.PublicKey, login string) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("writing %s: a public key of %d bytes, not %d", path, len(pub), ed25519.PublicKeySize)
	}
	if err := checkLogin(login); err != nil {
		return err
	}
	return replaceFile(path, formatKeyLine(publicTag, pub, login))
}

// ReadPublicKey reads a public key file WritePublicKey wrote.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := readSmall(path, maxKeyFile, "public key file")
	if err != nil {
		return nil, err
	}
	key, _, err := parseKeyLine(path, b, publicTag, ed25519.PublicKeySize)
	return ed25519.PublicKey(key), err
}

func formatKeyLine(tag string, key []byte, login string) []byte {
	return []byte(tag + " " + base64.StdEncoding.EncodeToString(key) + " " + login + "\n")
}

// parseKeyLine reads a key file of one kind (tag): one line of three
// fields separated by single spaces, the key of size bytes, a valid login.
// The other kind of key file is named as such, since handing over the
// private file for the public one is the likely mistake.
func parseKeyLine(name string, b []byte, tag string, size int) ([]byte, string, error) {
	lines, err := splitLines(name, b)
	if err != nil {
		return nil, "", err
	}
	if len(lines) == 0 {
		return nil, "", formatErr(name, 0, "empty: not a key file")
	}
	fields := strings.Split(lines[0], " ")
	switch {
	case fields[0] == privateTag && tag == publicTag:
		return nil, "", formatErr(name, 1, "this is a private key, which must not leave its owner: give the public key (kapok brief key --user LOGIN --out FILE.pub writes it)")
	case fields[0] == publicTag && tag == privateTag:
		return nil, "", formatErr(name, 1, "this is a public key, not a private one")
	case fields[0] != tag:
		return nil, "", formatErr(name, 1, "does not start with %q: not a Kapok key file", tag)
	case len(fields) != 3:
		return nil, "", formatErr(name, 1, "want %q, the key in base64 and a login, separated by single spaces", tag)
	case len(lines) > 1:
		return nil, "", formatErr(name, 2, "a key file is one line")
	}
	key, err := decodeBase64(fields[1], size)
	if err != nil {
		return nil, "", formatErr(name, 1, "the key: %v", err)
	}
	if err := checkLogin(fields[2]); err != nil {
		return nil, "", formatErr(name, 1, "%v", err)
	}
	return key, fields[2], nil
}

// decodeBase64 decodes padded standard base64 of exactly size bytes, in
// its one canonical form (the decoder alone skips line breaks and takes
// nonzero padding bits, so two texts could stand for one key).
func decodeBase64(s string, size int) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || base64.StdEncoding.EncodeToString(b) != s {
		return nil, errors.New("not base64 (standard alphabet, padded)")
	}
	if len(b) != size {
		return nil, fmt.Errorf("%d bytes, not %d", len(b), size)
	}
	return b, nil
}

// splitLines cuts a small text file into lines: LF or CRLF ends, the last
// line's end optional, every line valid UTF-8 (named if not).
func splitLines(name string, b []byte) ([]string, error) {
	if len(b) == 0 {
		return nil, nil
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if !utf8.ValidString(l) {
			return nil, formatErr(name, i+1, "not UTF-8 text")
		}
		lines[i] = l
	}
	return lines, nil
}
