package brief

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kapok/data/mirror"
	"kapok/data/sign"
	"kapok/internal/fixture"
)

// The briefing's write path under crashes and concurrency: the output is
// a whole PDF or absent, never a torn one, whenever the process dies; two
// makes of one file end with a briefing and its own signature.

const writerEnv = "KAPOK_BRIEF_WRITER"

// TestHelperBriefWriter is not a test: run with KAPOK_BRIEF_WRITER=mirror
// and KAPOK_BRIEF_OUT=file.pdf it makes street briefings to that file
// forever, as a console asked again and again would.
func TestHelperBriefWriter(t *testing.T) {
	path := os.Getenv(writerEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	m, err := mirror.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if _, err := Make(context.Background(), m, os.Getenv("KAPOK_BRIEF_OUT"), Options{Region: "440106001", Now: fixture.AsOf.Add(time.Duration(i) * time.Minute),
			User: "leader", KeyDir: os.Getenv("KAPOK_BRIEF_KEYS")}); err != nil {
			t.Fatal(err)
		}
	}
}

// wholePDF tells whether b is a PDF written to its end.
func wholePDF(b []byte) bool {
	return bytes.HasPrefix(b, []byte("%PDF-")) && bytes.HasSuffix(bytes.TrimRight(b, "\r\n"), []byte("%%EOF"))
}

// TestBriefKilled kills a process making briefings at random moments:
// after each kill the file is absent or a whole PDF that pdftotext reads,
// and once a make runs to its end again the briefing verifies.
func TestBriefKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	m := fixture.WritableGuangzhou(t)
	keys := keyDir(t)
	// The key exists before the writers start, as after a user's first briefing.
	if _, _, err := sign.LoadOrCreate(keys, "leader"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "street.pdf")
	whole, absent := 0, 0
	const kills = 6
	for i := range kills {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestHelperBriefWriter$")
		cmd.Env = append(os.Environ(), writerEnv+"="+m.Path, "KAPOK_BRIEF_OUT="+out, "KAPOK_BRIEF_KEYS="+keys)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The first kills fall before a briefing is written, at each step;
		// the later ones once one is there (the process has made it or
		// an earlier one had), over a briefing being replaced.
		if i >= kills/2 {
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if _, err := os.Stat(out); err == nil {
					break
				}
			}
		}
		time.Sleep(time.Duration(400+500*i) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		b, err := os.ReadFile(out)
		switch {
		case os.IsNotExist(err):
			absent++
		case err != nil:
			t.Fatal(err)
		case !wholePDF(b):
			t.Fatalf("kill %d: %s is torn (%d bytes)", i, out, len(b))
		default:
			whole++
			if text := pdfText(t, out); !strings.Contains(text, "五山街道") {
				t.Fatalf("kill %d: the briefing reads %q", i, text[:min(200, len(text))])
			}
		}
	}
	t.Logf("after %d kills: %d whole briefings, %d absent", kills, whole, absent)
	if whole == 0 {
		t.Errorf("no make finished before a kill: the kills fell too early to test an overwrite")
	}
	// A make run to its end, after the kills, leaves a briefing that
	// verifies; temporary files of the dead makes are there until old.
	res, err := Make(context.Background(), m, out, Options{Region: "440106001", Now: fixture.AsOf, User: "leader", KeyDir: keys})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := sign.Verify(res.PDF, res.Sig, nil); err != nil || !v.Good {
		t.Fatalf("after the kills: %+v %v", v, err)
	}
}

// TestStalePartialsRemoved: the temporary files a killed make left are
// removed by the next make of the same file once they are old, and a
// recent one (another make under way) is left be.
func TestStalePartialsRemoved(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "b.pdf")
	old, recent := filepath.Join(dir, ".b.pdf.partial-0123456789ab"), filepath.Join(dir, ".b.pdf.partial-ba9876543210")
	other := filepath.Join(dir, ".c.pdf.partial-0123456789ab")
	for _, p := range []string{old, recent, other} {
		if err := os.WriteFile(p, []byte("%PDF-1.3 torn"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-time.Hour)
	for _, p := range []string{old, other} {
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Make(context.Background(), m, out, Options{Region: "440106001", MapOnly: true, Now: fixture.AsOf, KeyDir: keyDir(t)}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{old: false, recent: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: there %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

// TestConcurrentMakes: four makes of one file at once, at different
// instants (so different PDFs), end with one of them and its signature.
func TestConcurrentMakes(t *testing.T) {
	m := fixture.WritableGuangzhou(t)
	keys := keyDir(t)
	out := filepath.Join(t.TempDir(), "b.pdf")
	var wg sync.WaitGroup
	sums := make([]string, 4)
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := Make(context.Background(), m, out, Options{Region: "440106001", MapOnly: true,
				Now: fixture.AsOf.Add(time.Duration(i) * time.Minute), User: "leader", KeyDir: keys})
			sums[i], errs[i] = res.SHA256, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("make %d: %v", i, err)
		}
	}
	v, err := sign.Verify(out, "", nil)
	if err != nil || !v.Good {
		t.Fatalf("after four makes: %+v %v", v, err)
	}
	found := false
	for _, s := range sums {
		found = found || s == v.SHA256
	}
	if !found {
		t.Errorf("the briefing left (%s) is none of the four made %v", v.SHA256, sums)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*partial*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
