package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"kapok/data/sign"
)

// briefSigned is a briefing signed by leader's key, kept in a config
// directory of the test's own, and leader's public key file.
func briefSigned(t *testing.T) (pdf, pub string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	pdf, pub = filepath.Join(dir, "briefing.pdf"), filepath.Join(dir, "leader.pub")
	if err := os.WriteFile(pdf, []byte("%PDF-1.7\n…a briefing…\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "brief", "key", "--user", "leader", "--out", pub); code != 0 {
		t.Fatalf("brief key: %d %s", code, errOut)
	}
	keyDir, err := sign.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	k, _, err := sign.LoadOrCreate(keyDir, "leader")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sign.SignFile(pdf, k, time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return pdf, pub
}

// `kapok brief key` makes the key once, says so, prints its fingerprint and
// writes the public key recipients verify with.
func TestBriefKeyCommand(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	pub := filepath.Join(t.TempDir(), "leader.pub")
	code, out, errOut := cli(t, "brief", "key", "--user", "leader", "--out", pub)
	keyFile := filepath.Join(config, "kapok", "keys", "leader.key")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "made a signing key for leader: "+keyFile) {
		t.Fatalf("first: %d %q %q", code, out, errOut)
	}
	pubKey, err := sign.ReadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	fp := sign.Fingerprint(pubKey)
	if !strings.Contains(out, "\nleader's key: "+fp+"\n") || !strings.Contains(out, "wrote the public key to "+pub) {
		t.Fatalf("first: %q", out)
	}
	code, out, _ = cli(t, "brief", "key", "--user", "leader")
	if code != 0 || out != "leader's key: "+fp+"\n" {
		t.Fatalf("second: %d %q", code, out)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(keyFile, 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, errOut := cli(t, "brief", "key", "--user", "leader"); code != 1 || !strings.Contains(errOut, keyFile+" is open to others (mode 0644)") {
			t.Fatalf("a key readable by all: %d %q", code, errOut)
		}
	}
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"brief", "key"}, 2, "--user LOGIN is required"},
		{[]string{"brief", "key", "--user", "leader", "extra"}, 2, `unexpected "extra"`},
		{[]string{"brief", "key", "--colour", "red"}, 2, "flag provided but not defined"},
		{[]string{"brief", "key", "--user", "../leader"}, 1, "cannot own a key"},
	} {
		if code, _, errOut := cli(t, c.args...); code != c.code || !strings.Contains(errOut, c.says) {
			t.Errorf("%v: %d %q, want %d and %q", c.args, code, errOut, c.code, c.says)
		}
	}
	if code, out, _ := cli(t, "brief", "key", "-h"); code != 0 || !strings.Contains(out, "usage: kapok brief key --user LOGIN") {
		t.Errorf("-h: %d %q", code, out)
	}
}

// `kapok brief verify`: good with status 0 (and, without --pubkey, a note
// that the key was not checked), bad with status 1 and why, misuse 2.
func TestBriefVerifyCommand(t *testing.T) {
	pdf, pub := briefSigned(t)
	pubKey, err := sign.ReadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	fp := sign.Fingerprint(pubKey)
	good := "good: " + pdf + " signed by leader (key " + fp + ") at 2026-11-25 09:00 Beijing; sha256 "
	code, out, errOut := cli(t, "brief", "verify", "--pdf", pdf)
	if code != 0 || errOut != "" || !strings.HasPrefix(out, good) || !strings.Contains(out, "the key was taken from the signature file itself") {
		t.Fatalf("good, no key: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, "brief", "verify", "--pdf", pdf, "--pubkey", pub)
	if code != 0 || !strings.HasPrefix(out, good) || !strings.HasSuffix(out, "the key is the trusted one in "+pub+"\n") {
		t.Fatalf("good, trusted: %d %q", code, out)
	}

	// Another user's key trusted.
	otherPub := filepath.Join(t.TempDir(), "operator.pub")
	if code, _, errOut := cli(t, "brief", "key", "--user", "operator", "--out", otherPub); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut = cli(t, "brief", "verify", "--pdf", pdf, "--pubkey", otherPub)
	if code != 1 || out != "" || !strings.Contains(errOut, "bad: "+pdf+": signed by key "+fp+" (calling itself leader), not the trusted key ") {
		t.Errorf("another key trusted: %d %q %q", code, out, errOut)
	}

	// The signature file edited: the signer changed.
	sigText, err := os.ReadFile(pdf + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(t.TempDir(), "edited.sig")
	if err := os.WriteFile(edited, []byte(strings.Replace(string(sigText), "signer: leader", "signer: admin", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "brief", "verify", "--pdf", pdf, "--sig", edited); code != 1 || !strings.Contains(errOut, "bad: "+pdf+": the signature in "+edited+" does not verify") {
		t.Errorf("signer edited: %d %q", code, errOut)
	}

	// One byte of the briefing changed.
	content, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	content[3] ^= 1
	if err := os.WriteFile(pdf, content, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli(t, "brief", "verify", "--pdf", pdf, "--pubkey", pub)
	if code != 1 || out != "" || !strings.Contains(errOut, "kapok brief: bad: "+pdf+": the file's SHA-256 ") || !strings.Contains(errOut, "differs from the signed ") {
		t.Errorf("a byte changed: %d %q %q", code, out, errOut)
	}
	if err := os.WriteFile(pdf, append(content, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "brief", "verify", "--pdf", pdf); code != 1 || !strings.Contains(errOut, fmt.Sprintf("(%d bytes; %d were signed)", len(content)+1, len(content))) {
		t.Errorf("a byte more: %d %q", code, errOut)
	}

	missing := filepath.Join(t.TempDir(), "unsigned.pdf")
	if err := os.WriteFile(missing, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"brief", "verify", "--pdf", missing}, 1, "no signature file " + missing + ".sig for " + missing},
		{[]string{"brief", "verify", "--pdf", pdf, "--pubkey", filepath.Join(t.TempDir(), "none.pub")}, 1, "the trusted key: open "},
		{[]string{"brief", "verify", "--pdf", pdf, "--pubkey", pdf + ".sig"}, 1, "not a Kapok key file"},
		{[]string{"brief", "verify", "--pdf", pdf, "--sig", pub}, 1, pub + " line 1: not a Kapok signature file"},
		{[]string{"brief", "verify"}, 2, "--pdf FILE is required"},
		{[]string{"brief", "verify", "--pdf", pdf, "more"}, 2, `unexpected "more"`},
		{[]string{"brief", "verify", "--file", pdf}, 2, "flag provided but not defined: -file"},
	} {
		if code, _, errOut := cli(t, c.args...); code != c.code || !strings.Contains(errOut, c.says) {
			t.Errorf("%v: %d %q, want %d and %q", c.args[2:], code, errOut, c.code, c.says)
		}
	}
	if code, out, _ := cli(t, "brief", "verify", "--help"); code != 0 || !strings.Contains(out, "usage: kapok brief verify --pdf FILE") {
		t.Errorf("--help: %d %q", code, out)
	}
}
