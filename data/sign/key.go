package sign

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Key is a user's signing key.
type Key struct {
	Login   string
	Private ed25519.PrivateKey
	Public  ed25519.PublicKey
}

// DefaultDir is where the users' keys live: kapok/keys in the user's
// config directory (on Linux $XDG_CONFIG_HOME or ~/.config).
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory for the signing keys: %w", err)
	}
	return filepath.Join(dir, "kapok", "keys"), nil
}

// KeyFile is the file of login's key in dir.
func KeyFile(dir, login string) string { return filepath.Join(dir, login+".key") }

// LoadOrCreate reads login's key from dir, or makes it if there is none
// (created true). The key is made once and never replaced: a key file that
// cannot be used is refused with the reason, for the user to look at.
func LoadOrCreate(dir, login string) (Key, bool, error) {
	if err := checkLogin(login); err != nil {
		return Key{}, false, err
	}
	if err := privateDir(dir); err != nil {
		return Key{}, false, err
	}
	path := KeyFile(dir, login)
	k, err := readKey(path, login)
	if !notExist(err) {
		return k, false, err
	}
	pub, priv, err := ed25519.GenerateKey(nil) // nil: crypto/rand
	if err != nil {
		return Key{}, false, err
	}
	tmp, err := writeTemp(dir, login+".key", formatKeyLine(privateTag, priv.Seed(), login))
	if err != nil {
		return Key{}, false, fmt.Errorf("making the signing key of %s: %w", login, err)
	}
	defer func() { _ = os.Remove(tmp) }() // linked or not, the temporary name goes
	// A link, unlike a rename, fails if the name exists: of processes
	// making the key at once, the first one's stays and the others read it.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			k, err := readKey(path, login)
			return k, false, err
		}
		return Key{}, false, fmt.Errorf("making the signing key of %s: %w", login, err)
	}
	return Key{Login: login, Private: priv, Public: pub}, true, nil
}

// readKey reads a key file, refusing one others may read: a private key
// seen by others is no longer the user's alone.
func readKey(path, login string) (Key, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return Key{}, err
	}
	if !fi.Mode().IsRegular() {
		return Key{}, fmt.Errorf("signing key %s is not a regular file (%s)", path, fi.Mode().Type())
	}
	if perm := fi.Mode().Perm(); openToOthers(perm) {
		return Key{}, fmt.Errorf("signing key %s is open to others (mode %04o): it must be the user's alone; if nobody else has read it, chmod 600 %s", path, perm, path)
	}
	b, err := readSmall(path, maxKeyFile, "key file")
	if err != nil {
		return Key{}, err
	}
	seed, owner, err := parseKeyLine(path, b, privateTag, ed25519.SeedSize)
	if err != nil {
		return Key{}, err
	}
	if owner != login {
		return Key{}, fmt.Errorf("signing key %s is %s's, not %s's", path, owner, login)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	return Key{Login: login, Private: priv, Public: priv.Public().(ed25519.PublicKey)}, nil
}

// privateDir makes the key directory 0700, or checks that the one there is
// a directory others cannot enter. One open to others is refused, not
// tightened: it may be a directory of the user's that holds other things.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("key directory: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("key directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("key directory %s is not a directory", dir)
	}
	if perm := fi.Mode().Perm(); openToOthers(perm) {
		return fmt.Errorf("key directory %s is open to others (mode %04o): keys are personal; chmod 700 %s, or use a directory only you can enter", dir, perm, dir)
	}
	return nil
}

// openToOthers says whether a mode gives the group or the world any access.
// Windows keeps access in ACLs, not in these bits, which say nothing there.
func openToOthers(perm os.FileMode) bool {
	return runtime.GOOS != "windows" && perm&0o077 != 0
}

// checkLogin refuses a login that could not name a file safely (a path
// separator, "..", a space or a line break would break out of the key
// directory or the one-line formats).
func checkLogin(login string) error {
	ok := len(login) > 0 && len(login) <= 64 && login[0] != '.' && login[0] != '-'
	for i := 0; ok && i < len(login); i++ {
		c := login[i]
		ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
	}
	if !ok {
		return fmt.Errorf("login %q cannot own a key: at most 64 letters, digits, '_', '.' and '-', not starting with '.' or '-'", login)
	}
	return nil
}
