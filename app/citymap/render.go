package citymap

import (
	"context"
	"fmt"
	"image"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/outfile"
	kmaps "kapok/maps"
)

// RenderOptions are `kapok render`'s flags.
type RenderOptions struct {
	Width, Height int
	Region        string // a region or grid code to fit
	BBox          string // minlon,minlat,maxlon,maxlat
	Theme         string
	Repeat        int       // frames to time, every cache cleared before each
	AsOf          time.Time // the instant the status is drawn at (zero: now)
}

// ParseSize reads "WxH".
func ParseSize(s string) (int, int, error) {
	w, h, ok := strings.Cut(s, "x")
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || wi <= 0 || hi <= 0 || wi > 20000 || hi > 20000 {
		return 0, 0, fmt.Errorf("size %q: want WIDTHxHEIGHT, e.g. 1920x1080", s)
	}
	return wi, hi, nil
}

func parseBBox(s string) (orb.Bound, error) {
	parts := strings.Split(s, ",")
	var v [4]float64
	if len(parts) != 4 {
		return orb.Bound{}, fmt.Errorf("bbox %q: want minlon,minlat,maxlon,maxlat", s)
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return orb.Bound{}, fmt.Errorf("bbox %q: %q is not a number", s, p)
		}
		v[i] = x
	}
	if v[0] >= v[2] || v[1] >= v[3] || v[0] < -180 || v[2] > 180 || v[1] < -85 || v[3] > 85 {
		return orb.Bound{}, fmt.Errorf("bbox %q: min must be below max, within longitude/latitude range", s)
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// Render draws the mirror to a PNG file and, with Repeat, then times
// frames drawn from the geometry already in memory with every cache
// cleared. It loads only what a frame draws, into a map without a tile
// cache.
func Render(ctx context.Context, m data.MapService, out string, opt RenderOptions) (frameMS []float64, err error) {
	if err := outfile.Check(out); err != nil { // before the work
		return nil, err
	}
	var bbox orb.Bound
	if opt.BBox != "" {
		if bbox, err = parseBBox(opt.BBox); err != nil {
			return nil, err
		}
	}
	asOf := opt.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	cm, err := load(ctx, m, opt.Theme, false, asOf)
	if err != nil {
		return nil, err
	}
	target := cm.Extent
	switch {
	case opt.Region != "":
		b, err := m.RegionBound(ctx, opt.Region)
		if err != nil {
			return nil, err
		}
		target = kmaps.Project(b).(orb.Bound)
	case opt.BBox != "":
		target = kmaps.Project(bbox).(orb.Bound)
	}
	v := kmaps.NewViewport(opt.Width, opt.Height).Fit(target, 12)
	img, err := cm.Map.Render(ctx, v)
	if err != nil {
		return nil, err
	}
	DrawScaleBar(img, v)
	if err := writePNG(out, img); err != nil {
		return nil, err
	}
	for i := 0; i < opt.Repeat; i++ {
		cm.Map.ClearCache()
		start := time.Now()
		if _, err := cm.Map.Render(ctx, v); err != nil {
			return nil, err
		}
		frameMS = append(frameMS, float64(time.Since(start).Microseconds())/1000)
	}
	return frameMS, nil
}

func writePNG(path string, img image.Image) error {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := kmaps.EncodePNG(f, img.(*image.RGBA)); err != nil {
		_ = f.Close()
		_ = os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// FrameSummary is the median, min and max of frame times.
func FrameSummary(ms []float64) string {
	if len(ms) == 0 {
		return ""
	}
	s := append([]float64(nil), ms...)
	sort.Float64s(s)
	return fmt.Sprintf("frame_ms median=%.1f min=%.1f max=%.1f", s[len(s)/2], s[0], s[len(s)-1])
}
