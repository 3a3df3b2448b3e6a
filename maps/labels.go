package maps

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Label is text to show at a Web Mercator point. Lines are separated by
// "\n" (a Chinese name over its pinyin, say). Higher priority wins a place.
type Label struct {
	Text     string
	At       orb.Point
	Priority int
}

// LabelStyle is how and when a label layer is drawn.
type LabelStyle struct {
	Size             float64 // points at device scale 1
	Color, Halo      color.NRGBA
	MinZoom, MaxZoom float64 // shown for MinZoom ≤ zoom < MaxZoom (0 = no upper limit)
}

type labelLayer struct {
	once   sync.Once
	make   func() []Label
	labels []Label
	style  LabelStyle
}

func (l *labelLayer) ready() { l.once.Do(func() { l.labels = l.make() }) }

// Labeler renders text with one font; rendered labels are cached as
// sprites, so a frame only places and copies them.
type Labeler struct {
	font *opentype.Font
	mu   sync.Mutex
	// faces by size, sprites by size and text
	faces   map[float64]font.Face
	sprites map[spriteKey]*sprite
}

type spriteKey struct {
	size        float64
	text        string
	color, halo color.NRGBA
}

// sprite is a label ready to lay over the map: text over its halo,
// premultiplied, so placing it is one draw.
type sprite struct {
	img *image.RGBA
}

// NewLabeler parses a TrueType/OpenType font (a single font, not a collection).
func NewLabeler(ttf []byte) (*Labeler, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return &Labeler{font: f, faces: map[float64]font.Face{}, sprites: map[spriteKey]*sprite{}}, nil
}

// Missing returns the runes of s the font has no glyph for.
func (l *Labeler) Missing(s string) []rune {
	var buf sfnt.Buffer
	var out []rune
	for _, r := range s {
		if r == '\n' || r == ' ' {
			continue
		}
		if i, err := l.font.GlyphIndex(&buf, r); err != nil || i == 0 {
			out = append(out, r)
		}
	}
	return out
}

func (l *Labeler) sprite(size float64, text string, fg, halo color.NRGBA) *sprite {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := spriteKey{size, text, fg, halo}
	if s, ok := l.sprites[k]; ok {
		return s
	}
	face, ok := l.faces[size]
	if !ok {
		var err error
		face, err = opentype.NewFace(l.font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return nil
		}
		l.faces[size] = face
	}
	lines := strings.Split(text, "\n")
	m := face.Metrics()
	lineH := (m.Ascent + m.Descent).Ceil()
	const pad = 3 // room for the halo
	w := 0
	for _, ln := range lines {
		w = max(w, font.MeasureString(face, ln).Ceil())
	}
	mask := image.NewAlpha(image.Rect(0, 0, w+2*pad, lineH*len(lines)+2*pad))
	for i, ln := range lines {
		d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face}
		lw := font.MeasureString(face, ln).Ceil()
		d.Dot = fixed.P(pad+(w-lw)/2, pad+i*lineH+m.Ascent.Ceil())
		d.DrawString(ln)
	}
	img := image.NewRGBA(mask.Bounds())
	draw.DrawMask(img, img.Bounds(), image.NewUniform(halo), image.Point{}, dilate(mask, 2), image.Point{}, draw.Over)
	draw.DrawMask(img, img.Bounds(), image.NewUniform(fg), image.Point{}, mask, image.Point{}, draw.Over)
	s := &sprite{img: img}
	l.sprites[k] = s
	return s
}

// dilate grows a mask by r pixels (a square max filter, done as a
// horizontal then a vertical pass): the halo.
func dilate(src *image.Alpha, r int) *image.Alpha {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	tmp := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		row := src.Pix[y*src.Stride : y*src.Stride+w]
		for x := 0; x < w; x++ {
			var m uint8
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				m = max(m, row[k])
			}
			tmp[y*w+x] = m
		}
	}
	dst := image.NewAlpha(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var m uint8
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				m = max(m, tmp[k*w+x])
			}
			dst.Pix[y*dst.Stride+x] = m
		}
	}
	return dst
}

// drawLabels places the layers' labels visible at this zoom, highest
// priority first, skipping any that would overlap one already placed.
func drawLabels(dst *image.RGBA, v Viewport, l *Labeler, layers []*labelLayer) {
	if l == nil {
		return
	}
	type cand struct {
		lb    Label
		style LabelStyle
	}
	var cands []cand
	b := v.Bounds()
	for _, ly := range layers {
		if v.Zoom < ly.style.MinZoom || (ly.style.MaxZoom > 0 && v.Zoom >= ly.style.MaxZoom) {
			continue
		}
		ly.ready()
		for _, lb := range ly.labels {
			if b.Contains(lb.At) {
				cands = append(cands, cand{lb, ly.style})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].lb.Priority > cands[j].lb.Priority })
	var placed []image.Rectangle
	for _, c := range cands {
		s := l.sprite(c.style.Size*v.scale(), c.lb.Text, c.style.Color, c.style.Halo)
		if s == nil {
			continue
		}
		x, y := v.ToScreen(c.lb.At)
		sz := s.img.Bounds().Size()
		at := image.Pt(int(math.Round(x))-sz.X/2, int(math.Round(y))-sz.Y/2)
		r := image.Rectangle{Min: at, Max: at.Add(sz)}
		if !r.In(dst.Bounds()) {
			continue
		}
		free := true
		for _, p := range placed {
			if p.Overlaps(r) {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		placed = append(placed, r)
		draw.Draw(dst, r, s.img, image.Point{}, draw.Over)
	}
}
