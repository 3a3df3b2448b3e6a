package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"

	"kapok/data/sign"
)

// The integrity half of `kapok brief` (brief_cmd.go dispatches here):
// `brief verify` judges a briefing against its signature file, `brief key`
// makes a user's signing key and hands out its public half (data/sign).

func briefVerify(args []string, out io.Writer) error {
	fs := flags("brief verify", "brief verify --pdf FILE [--sig FILE.sig] [--pubkey KEY.pub]\n\n"+
		"Says whether FILE is, to the byte, the file its signature file signed (status 0: good, 1: bad).\n"+
		"With --pubkey, also that the signing key is that one; without, the key named in the signature\n"+
		"file is used: compare its fingerprint with the one the author gave you", out)
	pdf := fs.String("pdf", "", "the briefing (required)")
	sigPath := fs.String("sig", "", "its signature file (default: FILE.sig beside it)")
	pubPath := fs.String("pubkey", "", "the signer's public key file, from `kapok brief key --out` (default: trust none)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *pdf == "" {
		return misuse("--pdf FILE is required")
	}
	var trusted ed25519.PublicKey
	if *pubPath != "" {
		var err error
		if trusted, err = sign.ReadPublicKey(*pubPath); err != nil {
			return fmt.Errorf("the trusted key: %w", err)
		}
	}
	v, err := sign.Verify(*pdf, *sigPath, trusted)
	if err != nil {
		return err
	}
	if !v.Good {
		return errors.New(badVerdict(*pdf, *sigPath, *pubPath, trusted, v))
	}
	fmt.Fprintf(out, "good: %s signed by %s (key %s) at %s Beijing; sha256 %s\n",
		*pdf, v.Signer, v.Fingerprint, v.Signed.In(beijing).Format("2006-01-02 15:04"), v.SHA256)
	if v.Trusted {
		fmt.Fprintf(out, "the key is the trusted one in %s\n", *pubPath)
	} else {
		fmt.Fprintf(out, "the key was taken from the signature file itself: this shows the file is unchanged since that key signed it,\n"+
			"not whose key it is; compare %s with the fingerprint the author gave you, or pass --pubkey KEY.pub\n", v.Fingerprint)
	}
	return nil
}

// badVerdict says why a briefing does not verify, naming the values that
// differ.
func badVerdict(pdf, sigPath, pubPath string, trusted ed25519.PublicKey, v sign.Verdict) string {
	if sigPath == "" {
		sigPath = pdf + ".sig"
	}
	switch v.Reason {
	case sign.ReasonDigestMismatch:
		size := ""
		if v.Size != v.SignedSize {
			size = fmt.Sprintf(" (%d bytes; %d were signed)", v.Size, v.SignedSize)
		}
		return fmt.Sprintf("bad: %s: the file's SHA-256 %s differs from the signed %s%s: it was changed after %s signed it",
			pdf, v.SHA256, v.SignedSHA256, size, v.Signer)
	case sign.ReasonBadSignature:
		return fmt.Sprintf("bad: %s: the signature in %s does not verify with the key it names (%s): the signature file was edited or forged",
			pdf, sigPath, v.Fingerprint)
	case sign.ReasonUntrustedKey:
		return fmt.Sprintf("bad: %s: signed by key %s (calling itself %s), not the trusted key %s of %s",
			pdf, v.Fingerprint, v.Signer, sign.Fingerprint(trusted), pubPath)
	case sign.ReasonFingerprintMismatch:
		return fmt.Sprintf("bad: %s: the fingerprint line of %s is not its key's (%s): the signature file was edited", pdf, sigPath, v.Fingerprint)
	}
	return fmt.Sprintf("bad: %s: %s", pdf, v.Reason)
}

// parseFlagsOnly parses a command line of flags alone: an argument left
// over is a misuse.
func parseFlagsOnly(fs *flag.FlagSet, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misuse("unexpected %q", fs.Arg(0))
	}
	return nil
}

func briefKey(args []string, out io.Writer) error {
	fs := flags("brief key", "brief key --user LOGIN [--out FILE.pub]\n\n"+
		"Makes the user's signing key if there is none (kept private in the user's config directory) and prints\n"+
		"its fingerprint; with --out, writes its public key for the recipients of the user's briefings", out)
	user := fs.String("user", "", "login of the user whose key it is (required)")
	pubOut := fs.String("out", "", "write the public key to this file (recipients pass it to kapok brief verify --pubkey)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *user == "" {
		return misuse("--user LOGIN is required")
	}
	dir, err := sign.DefaultDir()
	if err != nil {
		return err
	}
	k, created, err := sign.LoadOrCreate(dir, *user)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(out, "made a signing key for %s: %s (private: keep it to yourself; it signs %s's briefings)\n", k.Login, sign.KeyFile(dir, k.Login), k.Login)
	}
	fmt.Fprintf(out, "%s's key: %s\n", k.Login, sign.Fingerprint(k.Public))
	if *pubOut != "" {
		if err := sign.WritePublicKey(*pubOut, k.Public, k.Login); err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote the public key to %s: recipients check a briefing with kapok brief verify --pdf FILE.pdf --pubkey %s\n", *pubOut, *pubOut)
	}
	return nil
}
