package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"kapok/app/citymap"
)

// decodePNG reads a PNG file.
func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err == nil {
		var img image.Image
		if img, err = png.Decode(bytes.NewReader(b)); err == nil {
			return img
		}
	}
	t.Fatal(err)
	return nil
}

// differingPixels counts the pixels where two images differ in colour (the export
// is opaque RGB), over r.
func differingPixels(a, b image.Image, r image.Rectangle, skip image.Rectangle) (differ int) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if image.Pt(x, y).In(skip) {
				continue
			}
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				differ++
			}
		}
	}
	return differ
}

// The export is the map as the widget shows it: its viewport's pixel size
// (the widget's size at the canvas scale), the same pixels as the engine's
// frame of that viewport with the scale bar on it, nothing else differing
// from the bare frame away from the bar; written 0600, a stale .partial's
// mode not kept.
func TestExportMapViewIsTheWidgetsView(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.Choose("990102001")
	settle(t, c)
	v := c.Map.View()
	scale := float64(c.Win.Canvas().Scale())
	size := c.Map.Size()
	wantW, wantH := int(math.Round(float64(size.Width)*scale)), int(math.Round(float64(size.Height)*scale))
	if v.PixelWidth() != wantW || v.PixelHeight() != wantH || wantW < 300 {
		t.Fatalf("view %dx%d px, widget %dx%d px", v.PixelWidth(), v.PixelHeight(), wantW, wantH)
	}
	path := filepath.Join(t.TempDir(), "map.png")
	if err := os.WriteFile(path+".partial", []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exportMapPNG(context.Background(), c.Map, path); err != nil {
		t.Fatal(err)
	}
	got := decodePNG(t, path)
	if b := got.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Fatalf("exported %v, the widget is %dx%d px", b, wantW, wantH)
	}
	bare, err := c.City.Map.Render(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	withBar := image.NewRGBA(bare.Bounds())
	copy(withBar.Pix, bare.Pix)
	citymap.DrawScaleBar(withBar, v)
	if n := differingPixels(got, withBar, got.Bounds(), image.Rectangle{}); n != 0 {
		t.Fatalf("%d pixels differ from the engine's frame with its scale bar", n)
	}
	// The bar lies in the bottom-left corner; the rest is the bare frame.
	bar := image.Rect(0, wantH-30, 200, wantH)
	if n := differingPixels(got, bare, got.Bounds(), bar); n != 0 {
		t.Fatalf("%d pixels away from the scale bar differ from the bare frame", n)
	}
	if n := differingPixels(got, bare, bar, image.Rectangle{}); n == 0 {
		t.Fatal("no scale bar on the export")
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export mode %v (%v)", st.Mode(), err)
	}
	if _, err := os.Stat(path + ".partial"); !os.IsNotExist(err) {
		t.Fatalf(".partial left: %v", err)
	}
}

// A failed export leaves nothing: not where the directory cannot be
// written, not when the file cannot be renamed into place (a folder is in
// the way), not when writing fails halfway; an existing file stays whole.
func TestExportMapViewFailureLeavesNoFile(t *testing.T) {
	c := newTestConsole(t, "leader")
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	if err := os.Mkdir(locked, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o700) })
	if f, err := os.Create(filepath.Join(locked, "probe")); err == nil {
		// root writes anywhere a mode forbids: /proc takes no file from anyone.
		_ = f.Close()
		locked = "/proc"
	}
	out := filepath.Join(locked, "kapok-map.png")
	if err := exportMapPNG(context.Background(), c.Map, out); err == nil {
		t.Fatal("exported into an unwritable folder")
	}
	for _, p := range []string{out, out + ".partial"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s left in an unwritable folder (%v)", p, err)
		}
	}

	inTheWay := filepath.Join(dir, "map.png")
	if err := os.Mkdir(inTheWay, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := exportMapPNG(context.Background(), c.Map, inTheWay); err == nil {
		t.Fatal("exported over a folder")
	}
	old := filepath.Join(dir, "old.png")
	if err := os.WriteFile(old, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("disk full")
	if err := writePrivate(old, func(w io.Writer) error {
		if _, err := w.Write([]byte("half")); err != nil {
			return err
		}
		return broken
	}); !errors.Is(err, broken) {
		t.Fatalf("write failure: %v", err)
	}
	if b, err := os.ReadFile(old); err != nil || string(b) != "old" {
		t.Fatalf("the old file is %q (%v)", b, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".partial") {
			t.Fatalf("%s left", e.Name())
		}
	}
}

// The save dialog's answer: Fyne hands over the file it created; the export
// replaces it (0600) and the status bar names it. Where the export fails
// the empty file Fyne made goes too and an error dialog names the path.
func TestExportChosen(t *testing.T) {
	c := newTestConsole(t, "leader")
	dir := t.TempDir()
	path := filepath.Join(dir, mapFileName(testNow))
	if filepath.Base(path) != "kapok-map-20261125-1000.png" {
		t.Fatalf("default name %s", filepath.Base(path))
	}
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	c.exportChosen(w, nil)
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 || st.Size() == 0 {
		t.Fatalf("exported %v (%v)", st, err)
	}
	if !strings.Contains(c.Status.Text, path) {
		t.Fatalf("status %q", c.Status.Text)
	}
	if img := decodePNG(t, path); img.Bounds().Dx() != c.Map.View().PixelWidth() {
		t.Fatalf("exported %v", img.Bounds())
	}

	// The map with no size cannot be drawn: the export fails after Fyne made
	// the file.
	failing := filepath.Join(dir, "empty.png")
	w, err = storage.Writer(storage.NewFileURI(failing))
	if err != nil {
		t.Fatal(err)
	}
	c.Map.view.Width = 0
	c.exportChosen(w, nil)
	if _, err := os.Stat(failing); !os.IsNotExist(err) {
		t.Fatalf("the placeholder stayed: %v", err)
	}
	if top := c.Win.Canvas().Overlays().Top(); top == nil || find(top, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "could not be written to "+failing)
	}) == nil {
		t.Fatal("no error dialog naming the path")
	}
}
