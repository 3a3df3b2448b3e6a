package sign

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A signed file verifies, with the key its signature names and with that
// key trusted; the signature file says what doc.go says it does.
func TestSignVerifyGood(t *testing.T) {
	pdf, content, k := signedFile(t, 100_000)
	sigPath := pdf + ".sig"
	sum := sha256.Sum256(content)
	b, err := os.ReadFile(sigPath)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseSignature(sigPath, b)
	if err != nil {
		t.Fatal(err)
	}
	wantText := "kapok-signature 1\nfile: briefing-2026-11-25.pdf\nsize: 100000\nsha256: " + hex.EncodeToString(sum[:]) +
		"\nsigner: leader\nkey: " + base64.StdEncoding.EncodeToString(k.Public) + "\nfingerprint: " + Fingerprint(k.Public) +
		"\nsigned: 2026-11-25T01:00:00Z\nsignature: " + base64.StdEncoding.EncodeToString(s.Sig) + "\n"
	if string(b) != wantText {
		t.Fatalf("signature file:\n%s\nwant:\n%s", b, wantText)
	}
	if !ed25519.Verify(k.Public, []byte("kapok-signature 1\nsha256: "+hex.EncodeToString(sum[:])+"\nsize: 100000\nsigner: leader\nsigned: 2026-11-25T01:00:00Z\n"), s.Sig) {
		t.Fatal("the signature is not over the message doc.go describes")
	}
	if runtime.GOOS != "windows" && mode(t, sigPath) != 0o600 {
		t.Fatalf("signature file mode %04o", mode(t, sigPath))
	}
	for _, trusted := range []ed25519.PublicKey{nil, k.Public} {
		v := verdict(t, pdf, "", trusted)
		want := Verdict{Good: true, Reason: ReasonOK, SHA256: hex.EncodeToString(sum[:]), Size: 100_000, SignedSHA256: hex.EncodeToString(sum[:]),
			SignedSize: 100_000, File: "briefing-2026-11-25.pdf", Signer: "leader", Fingerprint: Fingerprint(k.Public), Signed: when, Trusted: trusted != nil}
		if v != want {
			t.Errorf("trusted %v: %+v, want %+v", trusted != nil, v, want)
		}
	}
	// A time with a zone and below the second is signed as its UTC second.
	if _, err := SignFile(pdf, k, time.Date(2026, 11, 25, 9, 0, 0, 999_999_999, time.FixedZone("CST", 8*3600))); err != nil {
		t.Fatal(err)
	}
	if v := verdict(t, pdf, "", k.Public); !v.Good || !v.Signed.Equal(when) {
		t.Fatalf("signed again: %+v", v)
	}
}

// One byte changed anywhere in the file — the first, the last, the middle
// and 200 more at random — and the verdict is bad; put back, good again.
func TestVerifyByteFlips(t *testing.T) {
	const n = 65_536
	pdf, content, k := signedFile(t, n)
	r := rand.New(rand.NewPCG(12, 25))
	positions := []int{0, n - 1, n / 2}
	for range 200 {
		positions = append(positions, r.IntN(n))
	}
	for _, pos := range positions {
		changed := bytes.Clone(content)
		changed[pos] ^= byte(1 + r.IntN(255)) // never 0: the byte does change
		if err := os.WriteFile(pdf, changed, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, trusted := range []ed25519.PublicKey{nil, k.Public} {
			if v := verdict(t, pdf, "", trusted); v.Good || v.Reason != ReasonDigestMismatch || v.SHA256 == v.SignedSHA256 || v.Size != n {
				t.Fatalf("byte %d changed: %+v", pos, v)
			}
		}
	}
	if err := os.WriteFile(pdf, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if v := verdict(t, pdf, "", k.Public); !v.Good {
		t.Fatalf("put back: %+v", v)
	}
}

// A byte more or less, or nothing at all, is bad.
func TestVerifyAppendTruncate(t *testing.T) {
	pdf, content, _ := signedFile(t, 4096)
	for name, changed := range map[string][]byte{
		"appended":      append(bytes.Clone(content), 0),
		"appended a %":  append(bytes.Clone(content), '%'),
		"truncated":     content[:len(content)-1],
		"first dropped": content[1:],
		"empty":         nil,
	} {
		if err := os.WriteFile(pdf, changed, 0o600); err != nil {
			t.Fatal(err)
		}
		if v := verdict(t, pdf, "", nil); v.Good || v.Reason != ReasonDigestMismatch || v.Size != int64(len(changed)) || v.SignedSize != 4096 {
			t.Errorf("%s: %+v", name, v)
		}
	}
}

// Each line of the signature file edited to another well-formed value is
// caught — but the file name, which is not signed.
func TestVerifySignatureEdits(t *testing.T) {
	pdf, _, k := signedFile(t, 10_000)
	other := fixedKey("leader", 40)
	orig, err := os.ReadFile(pdf + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseSignature("orig", orig)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		edit    func(s *signature)
		trusted ed25519.PublicKey
		want    string // the reason; ReasonOK: still good
	}{
		{"signer", func(s *signature) { s.Signer = "operator" }, nil, ReasonBadSignature},
		{"signed a second later", func(s *signature) { s.Signed = s.Signed.Add(time.Second) }, nil, ReasonBadSignature},
		{"signed a year earlier", func(s *signature) { s.Signed = s.Signed.AddDate(-1, 0, 0) }, nil, ReasonBadSignature},
		{"sha256", func(s *signature) { s.SHA256 = sha256.Sum256([]byte("another briefing")) }, nil, ReasonBadSignature},
		{"sha256, one digit", func(s *signature) { s.SHA256[31] ^= 1 }, nil, ReasonBadSignature},
		{"size", func(s *signature) { s.Size++ }, nil, ReasonBadSignature},
		{"size 0", func(s *signature) { s.Size = 0 }, nil, ReasonBadSignature},
		{"key", func(s *signature) { s.Key = other.Public }, nil, ReasonFingerprintMismatch},
		{"key and fingerprint", func(s *signature) { s.Key, s.Fingerprint = other.Public, Fingerprint(other.Public) }, nil, ReasonBadSignature},
		{"fingerprint", func(s *signature) { s.Fingerprint = Fingerprint(other.Public) }, nil, ReasonFingerprintMismatch},
		{"signature, one bit", func(s *signature) { s.Sig = bytes.Clone(s.Sig); s.Sig[10] ^= 0x80 }, nil, ReasonBadSignature},
		{"signature of another message", func(s *signature) { s.Sig = ed25519.Sign(k.Private, []byte("kapok-signature 1\n")) }, nil, ReasonBadSignature},
		{"signature with the trusted key", func(s *signature) { s.Sig = bytes.Clone(s.Sig); s.Sig[0] ^= 1 }, k.Public, ReasonBadSignature},
		// Signed again by another key, its lines consistent: only a trusted
		// key tells — which is why the verdict says whether it had one.
		{"re-signed by another key", func(s *signature) { resign(s, other) }, nil, ReasonOK},
		{"re-signed by another key, the real key trusted", func(s *signature) { resign(s, other) }, k.Public, ReasonUntrustedKey},
		{"file name", func(s *signature) { s.File = "renamed.pdf" }, k.Public, ReasonOK},
	} {
		edited := s
		c.edit(&edited)
		text := edited.format()
		if bytes.Equal(text, orig) {
			t.Fatalf("%s: nothing edited", c.name)
		}
		if err := os.WriteFile(pdf+".sig", text, 0o600); err != nil {
			t.Fatal(err)
		}
		v := verdict(t, pdf, "", c.trusted)
		if v.Reason != c.want || v.Good != (c.want == ReasonOK) {
			t.Errorf("%s: %+v, want %s", c.name, v, c.want)
		}
	}
}

// resign signs s again with k, as someone holding another key would.
func resign(s *signature, k Key) {
	s.Key, s.Fingerprint = k.Public, Fingerprint(k.Public)
	s.Sig = ed25519.Sign(k.Private, s.message())
}

// Any one byte of the signature file changed — but in the file name — is
// bad or refused, never good.
func TestVerifySignatureByteFlips(t *testing.T) {
	pdf, _, _ := signedFile(t, 1000)
	orig, err := os.ReadFile(pdf + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	nameStart := bytes.Index(orig, []byte("\nfile: ")) + len("\nfile: ")
	nameEnd := nameStart + bytes.IndexByte(orig[nameStart:], '\n')
	for pos := range orig {
		if pos >= nameStart && pos < nameEnd {
			continue
		}
		for _, x := range []byte{0x01, 0x20, 0x80} {
			changed := bytes.Clone(orig)
			changed[pos] ^= x
			if err := os.WriteFile(pdf+".sig", changed, 0o600); err != nil {
				t.Fatal(err)
			}
			if v, err := Verify(pdf, "", nil); err == nil && v.Good {
				t.Fatalf("byte %d (%q) ^ %#x of the signature file: good", pos, orig[pos], x)
			}
		}
	}
}

// A briefing renamed, with its signature or apart from it, still verifies.
func TestVerifyRenamed(t *testing.T) {
	pdf, _, k := signedFile(t, 2000)
	dir := t.TempDir()
	moved, movedSig := filepath.Join(dir, "简报.pdf"), filepath.Join(dir, "简报.pdf.sig")
	if err := os.Rename(pdf, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(pdf+".sig", movedSig); err != nil {
		t.Fatal(err)
	}
	if v := verdict(t, moved, "", k.Public); !v.Good || v.File != "briefing-2026-11-25.pdf" {
		t.Fatalf("renamed with its signature: %+v", v)
	}
	apart := filepath.Join(dir, "signature.txt")
	if err := os.Rename(movedSig, apart); err != nil {
		t.Fatal(err)
	}
	if v := verdict(t, moved, apart, k.Public); !v.Good {
		t.Fatalf("signature elsewhere: %+v", v)
	}
}

// What stops a judgement is an error, and says what.
func TestVerifyErrors(t *testing.T) {
	pdf, _, k := signedFile(t, 100)
	bad := filepath.Join(t.TempDir(), "bad.sig")
	if err := os.WriteFile(bad, []byte("kapok-signature 1\nfile: a.pdf\nsize: 012\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var fe *FormatError
	for _, c := range []struct {
		name, pdf, sig string
		trusted        ed25519.PublicKey
		says           string
		format         bool
	}{
		{"no signature", pdf, filepath.Join(t.TempDir(), "x.sig"), nil, "no signature file", false},
		{"no file", filepath.Join(t.TempDir(), "gone.pdf"), pdf + ".sig", nil, "no such file", false},
		{"a directory", t.TempDir(), pdf + ".sig", nil, "is not a regular file", false},
		{"malformed signature", pdf, bad, nil, bad + ` line 3: size: "012" is not a size in bytes`, true},
		{"a short trusted key", pdf, "", k.Public[:31], "a trusted key of 31 bytes", false},
	} {
		_, err := Verify(c.pdf, c.sig, c.trusted)
		if err == nil || !strings.Contains(err.Error(), c.says) || errors.As(err, &fe) != c.format {
			t.Errorf("%s: %v, want %q", c.name, err, c.says)
		}
	}
	if _, err := Verify(pdf, filepath.Join(t.TempDir(), "x.sig"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no signature: %v is not ErrNotExist", err)
	}
}

// SignFile refuses what it cannot sign soundly.
func TestSignFileRefuses(t *testing.T) {
	pdf, _, k := signedFile(t, 100)
	half := k
	half.Public = fixedKey("leader", 1).Public
	for _, c := range []struct {
		name, path string
		k          Key
		says       string
	}{
		{"a key pair that is not one", pdf, half, "not a whole Ed25519 key pair"},
		{"no key", pdf, Key{Login: "leader"}, "not a whole Ed25519 key pair"},
		{"a bad login", pdf, Key{Login: "../x", Private: k.Private, Public: k.Public}, "cannot own a key"},
		{"no file", pdf + ".missing", k, "no such file"},
		{"a directory", t.TempDir(), k, "is not a regular file"},
	} {
		if _, err := SignFile(c.path, c.k, when); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want %q", c.name, err, c.says)
		}
	}
	if runtime.GOOS != "windows" {
		odd := filepath.Join(t.TempDir(), "two\nlines.pdf")
		if err := os.WriteFile(odd, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := SignFile(odd, k, when); err == nil || !strings.Contains(err.Error(), "not a file's name") {
			t.Errorf("a name with a line break: %v", err)
		}
	}
}

// The formats' refusals name the file and the line.
func TestParseSignatureRefuses(t *testing.T) {
	good := fixedSignature()
	text := string(good.format())
	for _, c := range []struct {
		name, in string
		line     int
		says     string
	}{
		{"empty", "", 0, "empty"},
		{"too long", text + strings.Repeat("x", maxSigFile), 0, "more than 4096 bytes"},
		{"another format", "-----BEGIN PGP SIGNATURE-----\n", 1, "not a Kapok signature file"},
		{"version 2", strings.Replace(text, "kapok-signature 1", "kapok-signature 2", 1), 1, `signature format "2"`},
		{"ends early", text[:strings.Index(text, "signer:")], 5, `the file ends before its "signer" line`},
		{"lines swapped", strings.Replace(text, "size: 5000\nsha256", "sha256", 1) + "", 3, `want "size: …"`},
		{"a blank line", strings.Replace(text, "\nsigner", "\n\nsigner", 1), 5, `want "signer: …", found ""`},
		{"a line more", text + "comment: hi\n", 10, "a line after the signature"},
		{"no space", strings.Replace(text, "size: ", "size:", 1), 3, `want "size: …"`},
		{"size +5000", strings.Replace(text, "size: 5000", "size: +5000", 1), 3, "not a size"},
		{"size negative", strings.Replace(text, "size: 5000", "size: -1", 1), 3, "not a size"},
		{"size with a space", strings.Replace(text, "size: 5000", "size: 5000 ", 1), 3, "not a size"},
		{"uppercase hex", strings.Replace(text, hex.EncodeToString(good.SHA256[:]), strings.ToUpper(hex.EncodeToString(good.SHA256[:])), 1), 4, "not 64 lowercase hex"},
		{"hex short", strings.Replace(text, hex.EncodeToString(good.SHA256[:]), hex.EncodeToString(good.SHA256[:31]), 1), 4, "not 64 lowercase hex"},
		{"signer with a slash", strings.Replace(text, "signer: leader", "signer: a/b", 1), 5, "cannot own a key"},
		{"key short", strings.Replace(text, "key: ", "key: AAAA", 1), 6, "key: "},
		{"fingerprint without SHA256:", strings.Replace(text, "fingerprint: SHA256:", "fingerprint: ", 1), 7, "is not SHA256:"},
		{"time with an offset", strings.Replace(text, "2026-11-25T01:00:00Z", "2026-11-25T09:00:00+08:00", 1), 8, "not a UTC time"},
		{"time with fractions", strings.Replace(text, "2026-11-25T01:00:00Z", "2026-11-25T01:00:00.5Z", 1), 8, "not a UTC time"},
		{"signature unpadded", strings.Replace(text, "==\n", "\n", 1), 9, "not base64"},
		{"file in a folder", strings.Replace(text, "file: b.pdf", "file: ../b.pdf", 1), 2, "not a file's name"},
		{"not UTF-8", strings.Replace(text, "file: b.pdf", "file: b\xff.pdf", 1), 2, "not UTF-8"},
	} {
		_, err := parseSignature("in.sig", []byte(c.in))
		var fe *FormatError
		if !errors.As(err, &fe) || fe.File != "in.sig" || fe.Line != c.line || !strings.Contains(fe.Problem, c.says) {
			t.Errorf("%s: %v, want line %d and %q", c.name, err, c.line, c.says)
		}
	}
	if got, err := parseSignature("crlf.sig", []byte(strings.ReplaceAll(text, "\n", "\r\n"))); err != nil || string(got.format()) != text {
		t.Errorf("CRLF: %v", err)
	}
	if got, err := parseSignature("no-end.sig", []byte(strings.TrimSuffix(text, "\n"))); err != nil || string(got.format()) != text {
		t.Errorf("no final line end: %v", err)
	}
}

// fixedSignature is a well-formed signature, the same on every run.
func fixedSignature() signature {
	k := fixedKey("leader", 3)
	s := signature{File: "b.pdf", Size: 5000, SHA256: sha256.Sum256([]byte("b")), Signer: "leader", Key: k.Public,
		Fingerprint: Fingerprint(k.Public), Signed: when}
	s.Sig = ed25519.Sign(k.Private, s.message())
	return s
}

func TestFingerprint(t *testing.T) {
	pub := make(ed25519.PublicKey, ed25519.PublicKeySize)
	// sha256 of 32 zero bytes, 66687aad…, in unpadded base64.
	if got := Fingerprint(pub); got != "SHA256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU" {
		t.Fatalf("fingerprint %s", got)
	}
	if len(Fingerprint(fixedKey("a", 1).Public)) != len("SHA256:")+43 {
		t.Fatal("fingerprint length")
	}
}
