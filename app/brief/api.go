package brief

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/image/font/sfnt"

	"kapok/app/msg"
	"kapok/assets"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/sign"
	kmaps "kapok/maps"
)

// Options say what briefing to make.
type Options struct {
	Region         string    // a region code; "" is the whole city
	Lang           msg.Lang  // the briefing's language ("": Chinese)
	Now            time.Time // when it is made: clocks, ages and "in force" are read at Now (zero: the wall clock)
	User           string    // the login preparing it (signs it with their key)
	KeyDir         string    // where the users' signing keys live ("": sign.DefaultDir)
	Classification string    // the classification line ("": the default, 内部资料 注意保管)
	FontFile       string    // a TrueType font to set the text in ("": the bundled one)
	MapOnly        bool      // the map page alone (a .png out: the page's map as a 300 dpi PNG, unsigned)
	// Progress, when set, is called as each part is made (done of total).
	Progress func(done, total int)
}

// Result is what was written.
type Result struct {
	PDF, Sig    string // the files written (Sig "" for a PNG)
	Pages       int
	Bytes       int64
	SHA256      string // hex
	Fingerprint string // the signing key's
}

// Make writes the briefing to out (through a temporary file renamed into
// place, so a failure leaves no partial file) and its signature beside it.
// A region no region has, a user the mirror does not know, a font that
// cannot be read and an output that cannot be written are refused before
// anything is written.
func Make(ctx context.Context, m *mirror.Mirror, out string, opt Options) (Result, error) {
	if opt.Lang == "" {
		opt.Lang = msg.Chinese
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.User == "" {
		opt.User = data.SystemLogin
	}
	png := strings.EqualFold(filepath.Ext(out), ".png")
	switch {
	case out == "":
		return Result{}, errors.New("brief: no output file given")
	case png && !opt.MapOnly:
		return Result{}, fmt.Errorf("%s: a briefing is a PDF (a PNG only with the map page alone)", out)
	case !png && !strings.EqualFold(filepath.Ext(out), ".pdf"):
		return Result{}, fmt.Errorf("%s: the output must be a .pdf file (or .png with the map page alone)", out)
	}
	if _, err := m.User(ctx, opt.User); err != nil {
		return Result{}, err
	}
	font, err := loadFont(opt.FontFile)
	if err != nil {
		return Result{}, err
	}
	cat, err := msg.Default()
	if err != nil {
		return Result{}, err
	}
	steps := 0
	total := 4
	if !opt.MapOnly {
		total = 7
	}
	step := func() {
		steps++
		if opt.Progress != nil {
			opt.Progress(min(steps, total), total)
		}
	}
	f, err := gather(ctx, m, opt.Region, opt.Now, opt.MapOnly)
	if err != nil {
		return Result{}, err
	}
	step()
	pm, err := drawMap(ctx, m, f)
	if err != nil {
		return Result{}, err
	}
	step()
	if png {
		tmp, n, err := writeTemp(out, func(w io.Writer) error { return kmaps.EncodePNG(w, pm.img) })
		if err != nil {
			return Result{}, err
		}
		if err := publish(tmp, out, nil); err != nil {
			return Result{}, err
		}
		step()
		return Result{PDF: out, Bytes: n}, nil
	}
	keyDir := opt.KeyDir
	if keyDir == "" {
		if keyDir, err = sign.DefaultDir(); err != nil {
			return Result{}, err
		}
	}
	key, _, err := sign.LoadOrCreate(keyDir, opt.User)
	if err != nil {
		return Result{}, err
	}
	fp := sign.Fingerprint(key.Public)
	d, err := compose(f, pm, font, cat, opt, fp, step)
	if err != nil {
		return Result{}, err
	}
	res := Result{PDF: out, Pages: d.PageNo(), Fingerprint: fp}
	h := sha256.New()
	tmp, n, err := writeTemp(out, func(w io.Writer) error {
		return d.Output(io.MultiWriter(w, h))
	})
	if err != nil {
		return Result{}, err
	}
	res.Bytes, res.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	step()
	if err := publish(tmp, out, func() (err error) {
		res.Sig, err = sign.SignFile(out, key, opt.Now)
		return err
	}); err != nil {
		return Result{}, err
	}
	step()
	return res, nil
}

// loadFont is the bundled font, or the TrueType file given, checked.
func loadFont(file string) ([]byte, error) {
	if file == "" {
		return assets.FS.ReadFile("fonts/kapok-cjk.ttf")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", file, err)
	}
	if _, err := sfnt.Parse(b); err != nil {
		return nil, fmt.Errorf("font %s: not a TrueType font (%v)", file, err)
	}
	return b, nil
}

// compose lays the briefing's pages out.
func compose(f *facts, pm *printedMap, font []byte, cat *msg.Catalog, opt Options, fingerprint string, step func()) (*doc, error) {
	probe := &doc{lang: opt.Lang, cat: cat}
	title := probe.title(f.Region)
	asOf := probe.T("Data as of {{.At}} (Beijing time)", "At", beijing(f.Fresh.Latest))
	classify := opt.Classification
	if classify == "" {
		classify = probe.T("Internal — handle with care")
	}
	d := newDoc(font, cat, opt.Lang, title, asOf, classify, opt.Now)
	if opt.MapOnly {
		if err := d.mapPage(f, pm); err != nil {
			return nil, err
		}
		step()
		return d, d.Error()
	}
	type part struct {
		title string
		write func() error
	}
	var parts []part
	add := func(title string, write func() error) { parts = append(parts, part{title, write}) }
	add(d.T("Map: open cases by grid"), func() error { return d.mapPage(f, pm) })
	add(d.T("Status of the region"), func() error { d.statusSection(f); return nil })
	if f.Counts.All > 0 {
		add(d.T("Cases needing attention"), func() error { d.casesSection(f); return nil })
	}
	add(d.T("Orders and rosters in force"), func() error { d.ordersSection(f); return nil })
	if f.Measured > 0 {
		add(d.T("Indicators in warn or alarm"), func() error { return d.indicatorsSection(f) })
	}
	if f.RedCotton != nil {
		add(d.T("Red Cotton Index"), func() error { return d.redCottonSection(f) })
	}
	titles := make([]string, len(parts))
	for i, p := range parts {
		titles[i] = p.title
	}
	d.cover(f, opt.User, fingerprint, titles)
	step()
	for i, p := range parts {
		if err := p.write(); err != nil {
			return nil, err
		}
		if i == 1 || i == len(parts)-1 {
			step()
		}
	}
	return d, d.Error()
}

// staleAfter is how old a temporary file of a make that died (killed,
// the power cut) must be before the next make of the same file removes it;
// a whole city's briefing takes seconds.
const staleAfter = 10 * time.Minute

// writeTemp writes a file's content to a temporary file beside it (mode
// 0600: briefings are personal data), synced; on a failure nothing is
// left. Temporary files of the same name left by a make that died long
// ago are removed first.
func writeTemp(path string, write func(io.Writer) error) (string, int64, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	prefix := "." + base + ".partial-"
	if old, err := filepath.Glob(filepath.Join(dir, globEscape(prefix)+"*")); err == nil {
		for _, o := range old {
			if st, err := os.Stat(o); err == nil && time.Since(st.ModTime()) > staleAfter {
				_ = os.Remove(o)
			}
		}
	}
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", 0, err
	}
	tmp := filepath.Join(dir, prefix+hex.EncodeToString(rnd[:]))
	file, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", 0, fmt.Errorf("%s: cannot write: %w", path, err)
	}
	cw := &countingWriter{w: bufio.NewWriterSize(file, 1<<20)}
	err = write(cw)
	if err == nil {
		err = cw.w.Flush()
	}
	if err == nil {
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", 0, fmt.Errorf("%s: %w", path, err)
	}
	return tmp, cw.n, nil
}

// globEscape quotes the pattern characters of a file name for Glob.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// publish renames the temporary file into place and then, when given,
// signs it, holding an exclusive lock on the folder (flock on its
// descriptor) throughout: two makes of the same file, in two consoles or
// processes, end with one briefing and the signature of that briefing,
// never one's PDF beside the other's signature. On a failure of the
// signature the briefing is removed: a briefing without its signature is
// not one.
func publish(tmp, path string, then func() error) error {
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	defer func() { _ = dir.Close() }()
	if err := syscall.Flock(int(dir.Fd()), syscall.LOCK_EX); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("%s: locking its folder: %w", path, err)
	}
	defer func() { _ = syscall.Flock(int(dir.Fd()), syscall.LOCK_UN) }()
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("%s: %w", path, err)
	}
	if then != nil {
		if err := then(); err != nil {
			_ = os.Remove(path)
			return err
		}
	}
	return nil
}

type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
