package sign

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The signature file, version 1 (doc.go).
const (
	versionLine = "kapok-signature 1"
	timeLayout  = "2006-01-02T15:04:05Z" // UTC to the second: one text per instant
	maxSigFile  = 4096                   // a signature file is under 500 bytes plus the file name
)

// sigFields are the lines after the version line, in their order.
var sigFields = []string{"file", "size", "sha256", "signer", "key", "fingerprint", "signed", "signature"}

// signature is a signature file's content.
type signature struct {
	File        string // the base name of the file signed (a hint: not signed)
	Size        int64
	SHA256      [32]byte
	Signer      string
	Key         ed25519.PublicKey
	Fingerprint string // as written; Verify checks it is the key's
	Signed      time.Time
	Sig         []byte
}

// message is what the signature covers: the version tag first (the
// domain: nothing else the key signs starts so), then digest, size, signer
// and time, as they stand in the file.
func (s *signature) message() []byte {
	return fmt.Appendf(nil, "%s\nsha256: %x\nsize: %d\nsigner: %s\nsigned: %s\n",
		versionLine, s.SHA256, s.Size, s.Signer, s.Signed.UTC().Format(timeLayout))
}

// format is the signature file's text.
func (s *signature) format() []byte {
	return fmt.Appendf(nil, "%s\nfile: %s\nsize: %d\nsha256: %x\nsigner: %s\nkey: %s\nfingerprint: %s\nsigned: %s\nsignature: %s\n",
		versionLine, s.File, s.Size, s.SHA256, s.Signer, base64.StdEncoding.EncodeToString(s.Key), s.Fingerprint,
		s.Signed.UTC().Format(timeLayout), base64.StdEncoding.EncodeToString(s.Sig))
}

// parseSignature reads a signature file's text (name: the file, for
// errors). Every line is checked for its form, none for its truth: that is
// Verify's.
func parseSignature(name string, b []byte) (signature, error) {
	var s signature
	if len(b) > maxSigFile {
		return s, formatErr(name, 0, "more than %d bytes: not a signature file", maxSigFile)
	}
	lines, err := splitLines(name, b)
	if err != nil {
		return s, err
	}
	if len(lines) == 0 {
		return s, formatErr(name, 0, "empty: not a signature file")
	}
	if lines[0] != versionLine {
		if v, ok := strings.CutPrefix(lines[0], "kapok-signature "); ok {
			return s, formatErr(name, 1, "signature format %q; this Kapok reads %q", quoteShort(v), versionLine)
		}
		return s, formatErr(name, 1, "not a Kapok signature file (its first line is not %q)", versionLine)
	}
	for i, field := range sigFields {
		n := i + 2 // the line's number
		if n > len(lines) {
			return s, formatErr(name, n, "missing: the file ends before its %q line", field)
		}
		key, value, ok := strings.Cut(lines[n-1], ": ")
		if !ok || key != field {
			return s, formatErr(name, n, "want %q, found %q", field+": …", quoteShort(lines[n-1]))
		}
		if err := s.set(field, value); err != nil {
			return s, formatErr(name, n, "%s: %v", field, err)
		}
	}
	if len(lines) > len(sigFields)+1 {
		return s, formatErr(name, len(sigFields)+2, "a line after the signature: %q", quoteShort(lines[len(sigFields)+1]))
	}
	return s, nil
}

// set reads one line's value into s, in its one accepted form.
func (s *signature) set(field, v string) error {
	var err error
	switch field {
	case "file":
		err = checkFileName(v)
		s.File = v
	case "size":
		s.Size, err = strconv.ParseInt(v, 10, 64)
		if err != nil || s.Size < 0 || strconv.FormatInt(s.Size, 10) != v {
			return fmt.Errorf("%q is not a size in bytes", quoteShort(v))
		}
	case "sha256":
		var b []byte
		b, err = hex.DecodeString(v)
		if err != nil || len(b) != 32 || hex.EncodeToString(b) != v {
			return fmt.Errorf("%q is not 64 lowercase hex digits", quoteShort(v))
		}
		s.SHA256 = [32]byte(b)
	case "signer":
		err = checkLogin(v)
		s.Signer = v
	case "key":
		s.Key, err = decodeBase64(v, ed25519.PublicKeySize)
	case "fingerprint":
		b, derr := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(v, "SHA256:"))
		if derr != nil || len(b) != 32 || "SHA256:"+base64.RawStdEncoding.EncodeToString(b) != v {
			return fmt.Errorf("%q is not SHA256: and 43 base64 characters", quoteShort(v))
		}
		s.Fingerprint = v
	case "signed":
		s.Signed, err = time.Parse(timeLayout, v)
		if err != nil || s.Signed.Format(timeLayout) != v {
			return fmt.Errorf("%q is not a UTC time like 2026-11-25T01:00:00Z", quoteShort(v))
		}
	case "signature":
		s.Sig, err = decodeBase64(v, ed25519.SignatureSize)
	}
	return err
}

// checkFileName refuses what cannot be a file's base name on one line.
func checkFileName(name string) error {
	if name == "" || name == "." || name == ".." || len(name) > 255 || strings.ContainsAny(name, `/\`) ||
		strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return fmt.Errorf("%q is not a file's name (no folders, no control characters, at most 255 bytes)", quoteShort(name))
	}
	return nil
}

// quoteShort keeps what an error quotes from a file to a readable length.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
