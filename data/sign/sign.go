package sign

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// The reasons of a verdict: ReasonOK for a good one, the first check
// failed for a bad one, in the order Verify checks.
const (
	ReasonOK = "ok"
	// The fingerprint line is not the fingerprint of the key line: the
	// signature file was edited (a person would compare the wrong one).
	ReasonFingerprintMismatch = "fingerprint_mismatch"
	// A trusted key was given and the signature names another.
	ReasonUntrustedKey = "untrusted_key"
	// The signature does not verify over the signed lines with the key
	// named: the signature file was edited or forged.
	ReasonBadSignature = "bad_signature"
	// The signature holds, but the file's digest or size is not the one
	// signed: the file changed after it was signed.
	ReasonDigestMismatch = "digest_mismatch"
)

// Verdict is what Verify found.
type Verdict struct {
	Good   bool
	Reason string // ReasonOK, ReasonDigestMismatch, …
	// The file as it is now.
	SHA256 string // hex
	Size   int64
	// What the signature file says.
	SignedSHA256 string // hex
	SignedSize   int64
	File         string // the name the file was signed under (not signed: a hint)
	Signer       string
	Fingerprint  string // of the key the signature file names (computed, not its fingerprint line)
	Signed       time.Time
	// Trusted: the key the signature names is the trusted key given to
	// Verify. False when none was given: the key was then taken from the
	// signature file itself, which shows the file unchanged since that key
	// signed it, not whose key it is.
	Trusted bool
}

// SignFile signs the file at path with k at now and writes the signature
// beside it as path+".sig" (through a temporary file renamed into place,
// 0600), replacing an earlier one.
func SignFile(path string, k Key, now time.Time) (sigPath string, err error) {
	digest, size, err := hashFile(path)
	if err != nil {
		return "", fmt.Errorf("signing: %w", err)
	}
	b, err := Sign(filepath.Base(path), digest, size, k, now)
	if err != nil {
		return "", fmt.Errorf("signing %s: %w", path, err)
	}
	sigPath = path + ".sig"
	if err := replaceFile(sigPath, b); err != nil {
		return "", fmt.Errorf("writing the signature: %w", err)
	}
	return sigPath, nil
}

// Sign is the signature file, as SignFile writes it, of content whose
// SHA-256 and size the caller has (it hashed the content as it wrote it), to
// be kept as name+".sig" beside it: so that a file and its signature can
// both be made before either is put in place. Nothing is written.
func Sign(name string, digest [32]byte, size int64, k Key, now time.Time) ([]byte, error) {
	if err := checkLogin(k.Login); err != nil {
		return nil, err
	}
	if len(k.Private) != ed25519.PrivateKeySize || !k.Private.Public().(ed25519.PublicKey).Equal(k.Public) {
		return nil, fmt.Errorf("the key of %s is not a whole Ed25519 key pair", k.Login)
	}
	s := signature{File: name, Signer: k.Login, Key: k.Public, Fingerprint: Fingerprint(k.Public),
		Signed: now.UTC().Truncate(time.Second), SHA256: digest, Size: size}
	if err := checkFileName(s.File); err != nil {
		return nil, err
	}
	s.Sig = ed25519.Sign(k.Private, s.message())
	return s.format(), nil
}

// Verify judges the file at path against its signature file (sigPath; ""
// is path+".sig"). With a trusted key the signature must be by that key;
// with trusted nil the key the signature file names is used and the
// verdict is not Trusted. The error is for what stops a judgement: a file
// missing or unreadable, a signature file malformed; a bad verdict is not
// an error.
func Verify(path string, sigPath string, trusted ed25519.PublicKey) (Verdict, error) {
	if sigPath == "" {
		sigPath = path + ".sig"
	}
	if trusted != nil && len(trusted) != ed25519.PublicKeySize {
		return Verdict{}, fmt.Errorf("a trusted key of %d bytes, not %d", len(trusted), ed25519.PublicKeySize)
	}
	b, err := readSmall(sigPath, maxSigFile, "signature file")
	if notExist(err) {
		return Verdict{}, fmt.Errorf("no signature file %s for %s (a signed file has its signature beside it, as FILE.sig): %w", sigPath, path, err)
	}
	if err != nil {
		return Verdict{}, err
	}
	s, err := parseSignature(sigPath, b)
	if err != nil {
		return Verdict{}, err
	}
	digest, size, err := hashFile(path)
	if err != nil {
		return Verdict{}, err
	}
	v := Verdict{SHA256: hex.EncodeToString(digest[:]), Size: size, SignedSHA256: hex.EncodeToString(s.SHA256[:]), SignedSize: s.Size,
		File: s.File, Signer: s.Signer, Fingerprint: Fingerprint(s.Key), Signed: s.Signed, Trusted: trusted != nil && trusted.Equal(s.Key)}
	switch {
	case v.Fingerprint != s.Fingerprint:
		v.Reason = ReasonFingerprintMismatch
	case trusted != nil && !trusted.Equal(s.Key):
		v.Reason = ReasonUntrustedKey
	case !ed25519.Verify(s.Key, s.message(), s.Sig):
		v.Reason = ReasonBadSignature
	case digest != s.SHA256 || size != s.Size:
		v.Reason = ReasonDigestMismatch
	default:
		v.Good, v.Reason = true, ReasonOK
	}
	return v, nil
}

// hashFile is the SHA-256 and size of a regular file's content.
func hashFile(path string) (digest [32]byte, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return digest, 0, err
	}
	defer func() { _ = f.Close() }() // read only: closing says nothing the read did not
	if fi, err := f.Stat(); err != nil {
		return digest, 0, err
	} else if !fi.Mode().IsRegular() {
		return digest, 0, fmt.Errorf("%s is not a regular file", path)
	}
	h := sha256.New()
	if size, err = io.Copy(h, f); err != nil {
		return digest, 0, fmt.Errorf("reading %s: %w", path, err)
	}
	copy(digest[:], h.Sum(nil))
	return digest, size, nil
}
