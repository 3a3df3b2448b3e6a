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
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"kapok/app/msg"
	"kapok/assets"
	"kapok/data"
	"kapok/data/mirror"
	"kapok/data/outfile"
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
	MapOnly        bool      // the map page alone (a .png out: the map image at 300 dpi, unsigned, without the page's overlays)
	// At, when set, makes a replay: the briefing as the region stood at
	// that past moment (data/timeline), marked so on every page; what the
	// mirror does not keep as it stood then is left out and said. Now
	// stays when it is made (and signed).
	At time.Time
	// Progress, when set, is called as each part is made (done of total).
	Progress func(done, total int)
}

// Result is what was written.
type Result struct {
	PDF, Sig    string // the files written (Sig "" for a PNG)
	Pages       int
	Bytes       int64
	Region      string // the region briefed (a grid's community for a grid)
	SHA256      string // hex
	Fingerprint string // the signing key's
	// Missing are characters of the briefing the bundled font lacks (text
	// people typed): they show as empty boxes.
	Missing []rune
	// Broken, in a replay, is what is wrong with the journal the replay
	// read (nil when its chain holds): the briefing is made and says so on
	// its cover.
	Broken *data.Refusal
}

// Make writes the briefing to out (through a temporary file renamed into
// place, so a failure leaves no partial file) and its signature beside it.
// A region no region has, a user the mirror does not know, a font that
// cannot be read or lacks characters the briefing uses, and an output that
// cannot be written are refused before anything is written; a grid's code
// briefs its community (as the console's tree does).
func Make(ctx context.Context, m *mirror.Mirror, out string, opt Options) (Result, error) {
	if opt.Lang == "" {
		opt.Lang = msg.Chinese
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if !opt.At.IsZero() && opt.At.After(opt.Now) {
		return Result{}, fmt.Errorf("brief: a replay is of a past moment: %s is after %s", opt.At.Format(time.RFC3339), opt.Now.Format(time.RFC3339))
	}
	if opt.User == "" {
		opt.User = data.SystemLogin
	}
	if data.IsGridCode(opt.Region) {
		opt.Region = opt.Region[:data.LevelCommunity.CodeLength()]
	}
	png := strings.EqualFold(filepath.Ext(out), ".png")
	if err := checkOutput(out, png, opt.MapOnly); err != nil {
		return Result{}, err
	}
	u, err := m.User(ctx, opt.User)
	switch {
	case err != nil:
		return Result{}, err
	case u.Disabled:
		return Result{}, data.Refuse(data.CodeUserDisabled, "user", data.Value("user", u.Login))
	case !u.Role.Permits(data.ActBrief):
		return Result{}, data.Refuse(data.CodeActionNotPermitted, "user", data.Value("user", u.Login), data.Term("role", u.Role), data.Term("action", data.ActBrief))
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
	f, err := gather(ctx, m, opt.Region, opt.Now, opt.At, opt.MapOnly)
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
		tmp, n, _, err := writeTemp(out, func(w io.Writer) error { return kmaps.EncodePNG(w, pm.img) })
		if err != nil {
			return Result{}, err
		}
		if err := publish(out, tmp, ""); err != nil {
			return Result{}, err
		}
		step()
		return Result{PDF: out, Region: f.Region.Code, Bytes: n, Broken: f.Broken}, nil
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
	missing, err := missingGlyphs(font, d.runes)
	if err != nil {
		return Result{}, err
	}
	if len(missing) > 0 && opt.FontFile != "" {
		return Result{}, data.Refuse(data.CodeFontLacks, "font", data.Value("path", opt.FontFile), data.Value("count", len(missing)),
			data.Value("characters", runeList(missing)))
	}
	res := Result{PDF: out, Region: f.Region.Code, Pages: d.PageNo(), Fingerprint: fp, Missing: missing, Broken: f.Broken}
	tmp, n, digest, err := writeTemp(out, func(w io.Writer) error { return d.Output(w) })
	if err != nil {
		return Result{}, err
	}
	res.Bytes, res.SHA256 = n, hex.EncodeToString(digest[:])
	step()
	// The signature is made, and written beside, before either file is
	// put in place: a signature that cannot be made leaves the briefing
	// there before (if any) as it was.
	sig, err := sign.Sign(filepath.Base(out), digest, n, key, opt.Now)
	if err != nil {
		_ = os.Remove(tmp)
		return Result{}, fmt.Errorf("signing %s: %w", out, err)
	}
	sigTmp, _, _, err := writeTemp(out+".sig", func(w io.Writer) error { _, err := w.Write(sig); return err })
	if err != nil {
		_ = os.Remove(tmp)
		return Result{}, err
	}
	if err := publish(out, tmp, sigTmp); err != nil {
		return Result{}, err
	}
	res.Sig = out + ".sig"
	step()
	return res, nil
}

// checkOutput refuses an output Kapok cannot write before any work: not a
// .pdf (or a .png of the map alone), a folder that does not exist or is
// not one, a folder where the file would go.
func checkOutput(out string, png, mapOnly bool) error {
	switch {
	case out == "":
		return errors.New("brief: no output file given")
	case png && !mapOnly, !png && !strings.EqualFold(filepath.Ext(out), ".pdf"):
		return data.Refuse(data.CodeOutputKind, "out", data.Value("path", out))
	}
	dir := filepath.Dir(out)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return data.Refuse(data.CodeOutputFolderAbsent, "out", data.Value("path", out), data.Value("folder", dir))
	}
	return outfile.Check(out)
}

// loadFont is the bundled font, or the TrueType file given, checked: fpdf
// embeds TrueType outlines only (an OpenType font with CFF outlines, .otf,
// is refused here rather than by fpdf half-way).
func loadFont(file string) ([]byte, error) {
	if file == "" {
		return assets.FS.ReadFile("fonts/kapok-cjk.ttf")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, data.Refuse(data.CodeFontUnreadable, "font", data.Value("path", file), data.Value("reason", pathReason(err)))
	}
	if len(b) < 4 || string(b[:4]) != "\x00\x01\x00\x00" && string(b[:4]) != "true" {
		return nil, data.Refuse(data.CodeFontNotTrueType, "font", data.Value("path", file))
	}
	if _, err := sfnt.Parse(b); err != nil {
		return nil, data.Refuse(data.CodeFontNotTrueType, "font", data.Value("path", file))
	}
	return b, nil
}

// missingGlyphs are the runes the font has no glyph for, in order.
func missingGlyphs(font []byte, runes map[rune]bool) ([]rune, error) {
	f, err := sfnt.Parse(font)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	var out []rune
	for r := range runes {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			continue
		}
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out, nil
}

// pathReason is why the system refused a file, without the path the
// refusal names already ("permission denied").
func pathReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// runeList is the first runes of a list, quoted, for a message.
func runeList(rs []rune) string {
	var b strings.Builder
	for i, r := range rs {
		if i == 12 {
			b.WriteString(" …")
			break
		}
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(strconv.QuoteRune(r))
	}
	return b.String()
}

// compose lays the briefing's pages out.
func compose(f *facts, pm *printedMap, font []byte, cat *msg.Catalog, opt Options, fingerprint string, step func()) (*doc, error) {
	probe := &doc{lang: opt.Lang, cat: cat}
	title := probe.title(f.Region)
	asOf := probe.T("Data as of {{.At}} (Beijing time)", "At", beijing(f.Fresh.Latest))
	if f.Replay {
		asOf = probe.replayLine(f)
	}
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
	if f.Innovation != nil {
		add(d.T("Innovation projects"), func() error { d.innovationSection(f); return nil })
	}
	titles := make([]string, len(parts))
	for i, p := range parts {
		titles[i] = p.title
	}
	d.cover(f, opt.User, fingerprint, opt.Now, titles)
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
// 0600: briefings are personal data), synced, and returns its name, size
// and SHA-256; on a failure nothing is left. Temporary files of the same
// name left by a make that died long ago are removed first.
func writeTemp(path string, write func(io.Writer) error) (string, int64, [32]byte, error) {
	var digest [32]byte
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
		return "", 0, digest, err
	}
	tmp := filepath.Join(dir, prefix+hex.EncodeToString(rnd[:]))
	file, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", 0, digest, data.Refuse(data.CodeOutputNotWritable, "out", data.Value("path", path), data.Value("reason", pathReason(err)))
	}
	h := sha256.New()
	cw := &countingWriter{w: bufio.NewWriterSize(io.MultiWriter(file, h), 1<<20)}
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
		return "", 0, digest, fmt.Errorf("%s: %w", path, err)
	}
	copy(digest[:], h.Sum(nil))
	return tmp, cw.n, digest, nil
}

// globEscape quotes the pattern characters of a file name for Glob.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// publish renames the temporary files into place, the briefing's and (when
// given) its signature's, holding an exclusive lock on the folder (flock
// on its descriptor): two makes of the same file, in two consoles or
// processes, end with one briefing and the signature of that briefing,
// never one's PDF beside the other's signature. Only a crash between the
// two renames (microseconds) leaves a briefing beside the signature before
// it, which verify then calls bad.
func publish(path, tmp, sigTmp string) error {
	drop := func() {
		_ = os.Remove(tmp)
		if sigTmp != "" {
			_ = os.Remove(sigTmp)
		}
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		drop()
		return err
	}
	defer func() { _ = dir.Close() }()
	if err := syscall.Flock(int(dir.Fd()), syscall.LOCK_EX); err != nil {
		drop()
		return fmt.Errorf("%s: locking its folder: %w", path, err)
	}
	defer func() { _ = syscall.Flock(int(dir.Fd()), syscall.LOCK_UN) }()
	if err := os.Rename(tmp, path); err != nil {
		drop()
		return fmt.Errorf("%s: %w", path, err)
	}
	if sigTmp != "" {
		if err := os.Rename(sigTmp, path+".sig"); err != nil {
			_ = os.Remove(sigTmp)
			return fmt.Errorf("%s.sig: %w", path, err)
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
