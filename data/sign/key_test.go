package sign

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A key is made once, 0600 in a 0700 directory, and read back the same.
func TestLoadOrCreateOnce(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir, err := DefaultDir()
	if err != nil || !strings.HasSuffix(dir, filepath.Join("kapok", "keys")) {
		t.Fatalf("DefaultDir %q %v", dir, err)
	}
	k, created, err := LoadOrCreate(dir, "leader")
	if err != nil || !created || k.Login != "leader" || len(k.Private) != 64 || !k.Public.Equal(k.Private.Public()) {
		t.Fatalf("first: %v %v %+v", created, err, k.Public)
	}
	again, created, err := LoadOrCreate(dir, "leader")
	if err != nil || created || !again.Public.Equal(k.Public) || !again.Private.Equal(k.Private) {
		t.Fatalf("second: created %v, %v, same %v", created, err, again.Public.Equal(k.Public))
	}
	other, created, err := LoadOrCreate(dir, "leader_990101")
	if err != nil || !created || other.Public.Equal(k.Public) {
		t.Fatalf("another user: %v %v", created, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("the key directory holds %v (%v): temporary files left?", entries, err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("key directory mode %04o", m)
	}
	if m := mode(t, filepath.Dir(dir)); m != 0o700 {
		t.Errorf("kapok config directory mode %04o", m)
	}
	if m := mode(t, KeyFile(dir, "leader")); m != 0o600 {
		t.Errorf("key file mode %04o", m)
	}
}

// A key file that cannot be the user's alone, or cannot be read as one,
// is refused naming the file, and left as it was.
func TestLoadOrCreateRefuses(t *testing.T) {
	good := string(formatKeyLine(privateTag, fixedKey("leader", 5).Private.Seed(), "leader"))
	for _, c := range []struct {
		name, content string
		perm          os.FileMode
		says          string
	}{
		{"readable by all", good, 0o644, "is open to others (mode 0644)"},
		{"readable by the group", good, 0o640, "is open to others (mode 0640)"},
		{"empty", "", 0o600, "empty: not a key file"},
		{"a public key", string(formatKeyLine(publicTag, fixedKey("leader", 5).Public, "leader")), 0o600, "this is a public key"},
		{"another user's", strings.Replace(good, " leader\n", " operator\n", 1), 0o600, "is operator's, not leader's"},
		{"a short seed", privateTag + " AAAA leader\n", 0o600, "the key: 3 bytes, not 32"},
		{"two lines", good + good, 0o600, "line 2: a key file is one line"},
		{"garbage", "\x00\x01\x02", 0o600, "not a Kapok key file"},
	} {
		if runtime.GOOS == "windows" && c.perm != 0o600 {
			continue
		}
		dir := filepath.Join(t.TempDir(), "keys")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		path := KeyFile(dir, "leader")
		if err := os.WriteFile(path, []byte(c.content), c.perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, c.perm); err != nil { // whatever the umask
			t.Fatal(err)
		}
		_, _, err := LoadOrCreate(dir, "leader")
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want %q naming %s", c.name, err, c.says, path)
		}
		if b, _ := os.ReadFile(path); string(b) != c.content {
			t.Errorf("%s: the key file was changed", c.name)
		}
	}
}

func TestLoadOrCreateRefusesDirsAndLogins(t *testing.T) {
	if runtime.GOOS != "windows" {
		open := t.TempDir() // 0755 under the usual umask; made so whatever it is
		if err := os.Chmod(open, 0o755); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadOrCreate(open, "leader"); err == nil || !strings.Contains(err.Error(), "is open to others (mode 0755)") {
			t.Errorf("a directory open to others: %v", err)
		}
		dir := filepath.Join(t.TempDir(), "keys")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "elsewhere"), KeyFile(dir, "leader")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadOrCreate(dir, "leader"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("a link: %v", err)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreate(file, "leader"); err == nil {
		t.Error("a file for a directory")
	}
	for _, login := range []string{"", "../leader", "a/b", `a\b`, ".hidden", "-rf", "two words", "line\nbreak", "名字", strings.Repeat("a", 65)} {
		if _, _, err := LoadOrCreate(t.TempDir(), login); err == nil || !strings.Contains(err.Error(), "cannot own a key") {
			t.Errorf("login %q: %v", login, err)
		}
	}
	for _, login := range []string{"leader", "leader_990101", "a", "x.y-z", strings.Repeat("a", 64)} {
		if err := checkLogin(login); err != nil {
			t.Errorf("login %q: %v", login, err)
		}
	}
}

// Goroutines making one user's key at once end with one key, made once.
func TestLoadOrCreateConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	const n = 8
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		keys    [n]Key
		created [n]bool
		errs    [n]error
	)
	for i := range n {
		wg.Go(func() {
			<-start
			keys[i], created[i], errs[i] = LoadOrCreate(dir, "leader")
		})
	}
	close(start)
	wg.Wait()
	made := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if created[i] {
			made++
		}
		if !keys[i].Public.Equal(keys[0].Public) {
			t.Fatalf("goroutine %d has another key", i)
		}
	}
	onDisk, created2, err := LoadOrCreate(dir, "leader")
	if made != 1 || err != nil || created2 || !onDisk.Public.Equal(keys[0].Public) {
		t.Fatalf("made %d times; on disk the same: %v (%v)", made, onDisk.Public.Equal(keys[0].Public), err)
	}
}

// Processes making one user's key at once (this test binary run again,
// see TestMain) end with one key, made once.
func TestLoadOrCreateProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := filepath.Join(t.TempDir(), "keys")
	at := time.Now().Add(500 * time.Millisecond) // all start together, once running
	const n = 4
	cmds := make([]*exec.Cmd, n)
	outs := make([]*bytes.Buffer, n)
	for i := range cmds {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^$")
		cmds[i].Env = append(os.Environ(), childDirEnv+"="+dir, childAtEnv+"="+strconv.FormatInt(at.UnixNano(), 10))
		outs[i] = new(bytes.Buffer)
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	made, fingerprints := 0, map[string]bool{}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v: %s", i, err, outs[i])
		}
		var fp string
		var created bool
		if _, err := fmt.Sscanf(outs[i].String(), "%s %t", &fp, &created); err != nil {
			t.Fatalf("process %d said %q", i, outs[i])
		}
		fingerprints[fp] = true
		if created {
			made++
		}
	}
	k, _, err := LoadOrCreate(dir, "leader")
	if err != nil || made != 1 || len(fingerprints) != 1 || !fingerprints[Fingerprint(k.Public)] {
		t.Fatalf("made %d times, fingerprints %v, on disk %s (%v)", made, fingerprints, Fingerprint(k.Public), err)
	}
}

// The environment that makes this test binary a process of
// TestLoadOrCreateProcesses: the key directory and when to start.
const (
	childDirEnv = "KAPOK_SIGN_TEST_KEYDIR"
	childAtEnv  = "KAPOK_SIGN_TEST_AT"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		at, _ := strconv.ParseInt(os.Getenv(childAtEnv), 10, 64)
		time.Sleep(time.Until(time.Unix(0, at)))
		k, created, err := LoadOrCreate(dir, "leader")
		w := bufio.NewWriter(os.Stdout)
		if err != nil {
			fmt.Fprintln(w, err)
			_ = w.Flush()
			os.Exit(1)
		}
		fmt.Fprintln(w, Fingerprint(k.Public), created)
		_ = w.Flush()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
