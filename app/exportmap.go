package app

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"kapok/app/citymap"
	"kapok/data/outfile"
	kmaps "kapok/maps"
)

// File ▸ Export map view as PNG: the map exactly as the widget shows it
// (its viewport at the device scale, drawn by the same engine, the scale
// bar on it), written where the user picks.

// exportMapPNG draws the map view mv shows now and writes it to path as a
// PNG readable by its owner alone, through a temporary file renamed into
// place: a failure leaves nothing behind.
func exportMapPNG(ctx context.Context, mv *MapView, path string) error {
	v := mv.View()
	if v.Width <= 0 || v.Height <= 0 {
		return errors.New("the map has no size yet")
	}
	img, err := mv.engine.Render(ctx, v)
	if err != nil {
		return err
	}
	citymap.DrawScaleBar(img, v)
	return writePrivate(path, func(w io.Writer) error { return kmaps.EncodePNG(w, img) })
}

// writePrivate writes a file with mode 0600 (exports and briefings are
// personal data) through path+".partial", renamed over path once complete
// and synced, so path is either the old file or the whole new one.
func writePrivate(path string, write func(io.Writer) error) (err error) {
	if err := outfile.Check(path); err != nil {
		return err
	}
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// A .partial left by a crash keeps the mode it was created with.
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// mapFileName is an export's default name, by the Beijing time it is made.
func mapFileName(now time.Time) string {
	return "kapok-map-" + now.In(beijing).Format("20060102-1504") + ".png"
}

// documentsDir is where exports and briefings go by default: the desktop's
// documents folder (localised — ~/文档 on a Chinese desktop — so read from
// XDG's user-dirs.dirs), else ~/Documents, else the home folder.
func documentsDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	isDir := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && st.IsDir()
	}
	if cfg, err := os.UserConfigDir(); err == nil {
		if b, err := os.ReadFile(filepath.Join(cfg, "user-dirs.dirs")); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "XDG_DOCUMENTS_DIR="); ok {
					v = strings.Replace(strings.Trim(v, `"`), "$HOME", home, 1)
					if isDir(v) {
						return v
					}
				}
			}
		}
	}
	if d := filepath.Join(home, "Documents"); isDir(d) {
		return d
	}
	return home
}

// listable is a folder as a file dialog's starting place (nil when it
// cannot be listed: the dialog then starts where it likes).
func listable(dir string) fyne.ListableURI {
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		return nil
	}
	return l
}

// ExportMapView asks where to save the map view (a save dialog in the
// documents folder, named by the time) and writes it there.
func (c *Console) ExportMapView() {
	d := dialog.NewFileSave(c.exportChosen, c.Win)
	// Fyne titles its dialogs from its own words ("Save" "File"), which our
	// translations of the same English words (立案, a case filed) would take.
	d.SetTitleText(T("Export map view as PNG"))
	d.SetConfirmText(T("Save"))
	d.SetFileName(mapFileName(c.Now()))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png"}))
	if l := listable(documentsDir()); l != nil {
		d.SetLocation(l)
	}
	d.Show()
	d.Resize(fyne.NewSize(900, 620))
}

// exportChosen is the save dialog's answer: the export is drawn and written
// off the UI goroutine, and its end said in the status bar or a dialog.
func (c *Console) exportChosen(w fyne.URIWriteCloser, err error) {
	if w == nil && err == nil {
		return // cancelled
	}
	path := ""
	if w != nil {
		path = w.URI().Path()
		// Fyne's save dialog creates (or truncates) the file it hands
		// over; ours is written beside it and renamed over it.
		_ = w.Close()
	}
	if err != nil {
		c.exportFailed(path, err)
		return
	}
	background(func() {
		err := exportMapPNG(bg, c.Map, path)
		fyne.Do(func() {
			if err != nil {
				// The empty file the dialog made is no export.
				if st, serr := os.Stat(path); serr == nil && st.Mode().IsRegular() && st.Size() == 0 {
					_ = os.Remove(path)
				}
				c.exportFailed(path, err)
				return
			}
			c.Status.SetText(T("Map view saved to {{.Path}}", map[string]any{"Path": path}))
		})
	})
}

// exportFailed says which file could not be written, and why.
func (c *Console) exportFailed(path string, err error) {
	dialog.ShowError(errors.New(T("The map view could not be written to {{.Path}}: {{.Err}}",
		map[string]any{"Path": path, "Err": c.text(err)})), c.Win)
}
