package sign

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A public key written is read back the same; the file is one line.
func TestPublicKeyFile(t *testing.T) {
	k := fixedKey("leader", 9)
	path := filepath.Join(t.TempDir(), "leader.pub")
	if err := WritePublicKey(path, k.Public, "leader"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(b), "kapok-ed25519-public ") || !strings.HasSuffix(string(b), " leader\n") || strings.Count(string(b), "\n") != 1 {
		t.Fatalf("public key file %q %v", b, err)
	}
	got, err := ReadPublicKey(path)
	if err != nil || !got.Equal(k.Public) {
		t.Fatalf("read back: %v", err)
	}
	if runtime.GOOS != "windows" && mode(t, path) != 0o600 {
		t.Errorf("public key file mode %04o", mode(t, path))
	}
	for _, c := range []struct {
		name string
		pub  []byte
		who  string
		says string
	}{
		{"short key", k.Public[:16], "leader", "16 bytes, not 32"},
		{"bad login", k.Public, "a b", "cannot own a key"},
	} {
		if err := WritePublicKey(path, c.pub, c.who); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// Reading a public key file refuses anything but one, naming the file and
// the line; a private key given by mistake is named as such.
func TestReadPublicKeyRefuses(t *testing.T) {
	k := fixedKey("leader", 9)
	good := string(formatKeyLine(publicTag, k.Public, "leader"))
	sig := fixedSignature()
	for _, c := range []struct {
		name, content string
		line          int
		says          string
	}{
		{"empty", "", 0, "empty"},
		{"a private key", string(formatKeyLine(privateTag, k.Private.Seed(), "leader")), 1, "this is a private key"},
		{"a signature file", string(sig.format()), 1, "not a Kapok key file"},
		{"an ssh key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoo user@host\n", 1, "not a Kapok key file"},
		{"no login", strings.TrimSuffix(good, " leader\n"), 1, "separated by single spaces"},
		{"two spaces", strings.Replace(good, " ", "  ", 1), 1, "separated by single spaces"},
		{"a comment more", strings.TrimSuffix(good, "\n") + " extra\n", 1, "separated by single spaces"},
		{"two lines", good + good, 2, "one line"},
		{"a blank line after", good + "\n", 2, "one line"},
		{"not base64", strings.Replace(good, "public ", "public !", 1), 1, "not base64"},
		{"unpadded", strings.Replace(good, "= ", " ", 1), 1, "not base64"},
		{"a private seed's length", string(formatKeyLine(publicTag, k.Public[:31], "leader")), 1, "31 bytes, not 32"},
		{"bad login", strings.Replace(good, " leader", " ../leader", 1), 1, "cannot own a key"},
		{"not UTF-8", "\xff\xfe", 1, "not UTF-8"},
		{"large", strings.Repeat("A", 2000), 0, "more than 1024 bytes"},
	} {
		path := filepath.Join(t.TempDir(), "k.pub")
		if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := ReadPublicKey(path)
		var fe *FormatError
		if !errors.As(err, &fe) || fe.File != path || fe.Line != c.line || !strings.Contains(fe.Problem, c.says) {
			t.Errorf("%s: %v, want line %d and %q", c.name, err, c.line, c.says)
		}
	}
	crlf := filepath.Join(t.TempDir(), "crlf.pub")
	if err := os.WriteFile(crlf, []byte(strings.TrimSuffix(good, "\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadPublicKey(crlf); err != nil || !got.Equal(k.Public) {
		t.Errorf("CRLF: %v", err)
	}
	if _, err := ReadPublicKey(filepath.Join(t.TempDir(), "none.pub")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
