package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/app/brief"
	"kapok/app/msg"
	"kapok/data"
)

// The Briefing… dialog (toolbar and File menu): an offline, signed PDF
// briefing of the region chosen (or the whole city), made by package brief
// off the UI goroutine with a progress bar and Cancel. A failure is said at
// the dialog's foot, which keeps what was typed; the maker leaves no file.

// BriefingDialog is the briefing dialog on show.
type BriefingDialog struct {
	Region         string // the region briefed: a code, "" for the whole city
	RegionLabel    *widget.Label
	Lang           *widget.Select // 中文 / English
	Folder         *widget.Entry
	Browse         *widget.Button
	Name           *widget.Entry // the file's name in Folder
	Classification *widget.Entry // "": the standard line
	Make, Cancel   *widget.Button
	Progress       *widget.ProgressBar
	Status         *widget.Label // at the foot: making, cancelled
	Error          *widget.Label // at the foot: why the briefing was not made

	// Made is what was written, once a run succeeded, with the result
	// dialog's buttons.
	Made                 *brief.Result
	OpenFolder, OpenFile *widget.Button

	name     string             // the region's name
	proposed string             // the file name last proposed, replaced on a change of language unless typed over
	cancel   context.CancelFunc // the run under way, or nil
	err      error              // the last run's failure, as the maker returned it
	dlg      dialog.Dialog
}

// briefingLangs are the language choices, in the order shown.
var briefingLangs = []msg.Lang{msg.Chinese, msg.English}

// Briefing is the briefing dialog on show, or nil.
func (c *Console) Briefing() *BriefingDialog { return c.briefing }

// briefingButton is the toolbar's Briefing… button.
func (c *Console) briefingButton() fyne.CanvasObject {
	b := widget.NewButtonWithIcon(T("Briefing…"), theme.DocumentIcon(), c.OpenBriefingDialog)
	c.showIf(b, data.ActBrief)
	return b
}

// briefingRegion is the region a briefing covers: the one chosen as a
// whole (tree, search, board; a grid stands for its community), else the
// whole city (""), with its name.
func (c *Console) briefingRegion() (code, name string) {
	code = c.selRegion
	if len(code) == data.GridCodeLength {
		code = code[:data.GridCodeLength-3]
	}
	if i, ok := c.byCode[code]; ok && c.regions[i].Parent != "" {
		return code, c.regions[i].Name
	}
	if roots := c.children[""]; len(roots) == 1 {
		return "", c.regionName(roots[0])
	}
	return "", T("the whole city")
}

// briefingFileName is a briefing's default name: the region, the word for
// briefing and the Beijing time, in the briefing's language (the region
// romanised in English).
func briefingFileName(region string, l msg.Lang, now time.Time) string {
	if l == msg.English {
		if r := data.RomanName(region); r != "" {
			region = r
		}
	}
	region = strings.NewReplacer("/", "-", `\`, "-").Replace(region)
	at := now.In(beijing).Format("20060102-1504")
	stem := region + "-briefing-" + at
	if cat, err := msg.Default(); err == nil {
		stem = cat.Text(l, "briefing.file_name", map[string]string{"Region": region, "At": at})
	}
	return stem + ".pdf"
}

// OpenBriefingDialog opens the briefing dialog over the region chosen, in
// the console's language, into the documents folder.
func (c *Console) OpenBriefingDialog() {
	d := &BriefingDialog{}
	d.Region, d.name = c.briefingRegion()
	label := d.name + " (" + d.Region + ")"
	if d.Region == "" {
		label = T("{{.Name}} (the whole city)", map[string]any{"Name": d.name})
	}
	d.RegionLabel = widget.NewLabel(label)
	d.Folder = widget.NewEntry()
	d.Folder.SetText(documentsDir())
	d.Name = widget.NewEntry()
	d.Lang = newSelect([]string{"中文", "English"}, func(string) {
		l := d.lang()
		if d.Name.Text == d.proposed {
			d.proposed = briefingFileName(d.name, l, c.Now())
			d.Name.SetText(d.proposed)
		}
	})
	lang := msg.FromEnv()
	d.proposed = briefingFileName(d.name, lang, c.Now())
	d.Name.SetText(d.proposed)
	if lang == msg.English {
		d.Lang.SetSelectedIndex(1)
	} else {
		d.Lang.SetSelectedIndex(0)
	}
	d.Browse = widget.NewButtonWithIcon(T("Browse…"), theme.FolderOpenIcon(), func() {
		f := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				d.Folder.SetText(filepath.Clean(u.Path()))
			}
		}, c.Win)
		// Fyne's own "Open Folder" would read 在办 (open events) in ours.
		f.SetTitleText(T("Folder for the briefing"))
		f.SetConfirmText(T("Choose this folder"))
		if l := listable(d.Folder.Text); l != nil {
			f.SetLocation(l)
		}
		f.Show()
		f.Resize(fyne.NewSize(820, 560))
	})
	d.Classification = widget.NewEntry()
	d.Classification.SetPlaceHolder(T("Empty: the standard classification line"))
	d.Progress = widget.NewProgressBar()
	d.Progress.Hide()
	d.Status, d.Error = widget.NewLabel(""), widget.NewLabel("")
	d.Error.Importance = widget.DangerImportance
	d.Error.Wrapping = fyne.TextWrapWord
	d.Status.Hide()
	d.Error.Hide()
	d.Cancel = widget.NewButton(T("Cancel"), func() {
		if d.cancel != nil {
			d.cancel() // the run ends and says so
			return
		}
		d.dlg.Hide()
	})
	d.Make = widget.NewButtonWithIcon(T("Make briefing"), theme.DocumentCreateIcon(), func() { c.makeBriefing(d) })
	d.Make.Importance = widget.HighImportance

	form := widget.NewForm(
		widget.NewFormItem(T("Region"), d.RegionLabel),
		widget.NewFormItem(T("Language"), d.Lang),
		widget.NewFormItem(T("Folder"), container.NewBorder(nil, nil, nil, d.Browse, d.Folder)),
		widget.NewFormItem(T("File name"), d.Name),
		widget.NewFormItem(T("Classification"), d.Classification),
	)
	hint := widget.NewLabel(T("The briefing is signed with your key; its signature (.sig) is written beside it."))
	hint.Wrapping = fyne.TextWrapWord
	foot := container.NewVBox(d.Progress, d.Status, d.Error, container.NewHBox(layout.NewSpacer(), d.Cancel, d.Make))
	d.dlg = dialog.NewCustomWithoutButtons(T("Briefing"), c.sensed(container.NewBorder(nil, foot, nil, nil, container.NewVBox(form, hint))), c.Win)
	showTracked(d.dlg, &c.briefing, d, fyne.NewSize(640, 380))
}

// showTracked shows a dialog and keeps it in *slot while it is on show,
// where refreshes and tests find it.
func showTracked[D comparable](dlg dialog.Dialog, slot *D, d D, size fyne.Size) {
	dlg.SetOnClosed(func() {
		if *slot == d {
			var none D
			*slot = none
		}
	})
	*slot = d
	dlg.Show()
	dlg.Resize(size)
}

// lang is the briefing's language as chosen.
func (d *BriefingDialog) lang() msg.Lang {
	return briefingLangs[max(0, d.Lang.SelectedIndex())]
}

// Out is the file the briefing is to be written to (.pdf added when the
// name has no extension of its own).
func (d *BriefingDialog) Out() string {
	name := strings.TrimSpace(d.Name.Text)
	if filepath.Ext(name) == "" {
		name += ".pdf"
	}
	return filepath.Join(strings.TrimSpace(d.Folder.Text), name)
}

// tell sets the dialog's foot: how the run goes and why it failed ("" for
// neither), each line shown only when it says something.
func (d *BriefingDialog) tell(status, failure string) {
	for l, text := range map[*widget.Label]string{d.Status: status, d.Error: failure} {
		l.SetText(text)
		if text == "" {
			l.Hide()
		} else {
			l.Show()
		}
	}
	d.relayout()
}

// relayout lays the dialog out again after a line at its foot was shown or
// hidden: the pop-up grows to its content only when refreshed itself.
func (d *BriefingDialog) relayout() {
	if d.dlg != nil {
		d.dlg.Refresh()
	}
}

// makeBriefing checks the folder and the file name and, once an existing
// file may be replaced, runs the maker.
func (c *Console) makeBriefing(d *BriefingDialog) {
	if strings.TrimSpace(d.Name.Text) == "" {
		d.tell("", T("Give the briefing a file name."))
		return
	}
	if st, err := os.Stat(strings.TrimSpace(d.Folder.Text)); err != nil || !st.IsDir() {
		d.tell("", T("There is no folder {{.Path}}.", map[string]any{"Path": d.Folder.Text}))
		return
	}
	out := d.Out()
	if _, err := os.Stat(out); err == nil {
		dialog.ShowConfirm(T("Replace the file?"), T("{{.Path}} exists. Replace it?", map[string]any{"Path": out}), func(ok bool) {
			if ok {
				c.runBriefing(d, out)
			}
		}, c.Win)
		return
	}
	c.runBriefing(d, out)
}

// running disables what cannot change while the maker runs; Cancel stays,
// to cancel it.
func (d *BriefingDialog) running(on bool) {
	for _, w := range []fyne.Disableable{d.Lang, d.Folder, d.Browse, d.Name, d.Classification, d.Make} {
		if on {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if on {
		d.Progress.SetValue(0)
		d.Progress.Show()
	} else {
		d.Progress.Hide()
	}
	d.relayout()
}

// runBriefing makes the briefing off the UI goroutine, its progress and
// end handed back through fyne.Do.
func (c *Console) runBriefing(d *BriefingDialog, out string) {
	ctx, cancel := context.WithCancel(bg)
	d.cancel, d.err = cancel, nil
	d.running(true)
	d.tell(T("Making the briefing…"), "")
	opt := brief.Options{Region: d.Region, Lang: d.lang(), Now: c.Now(), User: c.User,
		Classification: strings.TrimSpace(d.Classification.Text),
		Progress: func(done, total int) {
			if total > 0 {
				fyne.Do(func() { d.Progress.SetValue(float64(done) / float64(total)) })
			}
		}}
	background(func() {
		res, err := brief.Make(ctx, c.M, out, opt)
		cancelled := ctx.Err() != nil
		cancel()
		fyne.Do(func() {
			d.cancel = nil
			d.running(false)
			switch {
			case err != nil && cancelled:
				d.err = err
				d.tell(T("Cancelled: no briefing was written."), "")
			case err != nil:
				d.err = err
				d.tell("", c.text(err))
			default:
				d.Made = &res
				d.dlg.Hide()
				c.showBriefingMade(d)
			}
		})
	})
}

// showBriefingMade says what was written, with buttons to open the folder
// and the briefing.
func (c *Console) showBriefingMade(d *BriefingDialog) {
	res := d.Made
	value := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Selectable = true // the hash and fingerprint are checked by copying
		return l
	}
	form := widget.NewForm(
		widget.NewFormItem(T("Briefing file"), value(res.PDF)),
		widget.NewFormItem(T("Signature"), value(res.Sig)),
		widget.NewFormItem(T("Pages"), value(fmt.Sprint(res.Pages))),
		widget.NewFormItem(T("Size"), value(sizeText(res.Bytes))),
		widget.NewFormItem("SHA-256", value(res.SHA256)),
		widget.NewFormItem(T("Key fingerprint"), value(res.Fingerprint)),
	)
	if len(res.Missing) > 0 {
		// Characters people typed that the bundled font lacks show as boxes.
		form.Append(T("Not in the font"), value(missingText(res.Missing)))
	}
	open := func(path string) {
		if err := fyne.CurrentApp().OpenURL(fileURL(path)); err != nil {
			dialog.ShowError(errors.New(T("{{.Path}} could not be opened: {{.Err}}", map[string]any{"Path": path, "Err": c.text(err)})), c.Win)
		}
	}
	d.OpenFolder = widget.NewButtonWithIcon(T("Open folder"), theme.FolderOpenIcon(), func() { open(filepath.Dir(res.PDF)) })
	d.OpenFile = widget.NewButtonWithIcon(T("Open briefing"), theme.DocumentIcon(), func() { open(res.PDF) })
	var done dialog.Dialog
	closeBtn := widget.NewButton(T("Close"), func() { done.Hide() })
	done = dialog.NewCustomWithoutButtons(T("Briefing made"), container.NewBorder(nil,
		container.NewHBox(d.OpenFolder, d.OpenFile, layout.NewSpacer(), closeBtn), nil, nil, form), c.Win)
	done.Show()
}

// fileURL is a local path as a file:// URL (absolute, as a desktop's opener
// wants it).
func fileURL(path string) *url.URL {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
}

// sizeText is a file's size for people: KB or MB, and the bytes.
func sizeText(n int64) string {
	bytes := T("{{.N}} bytes", map[string]any{"N": n})
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB (%s)", float64(n)/(1<<20), bytes)
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB (%s)", float64(n)/(1<<10), bytes)
	}
	return bytes
}

// missingText lists characters the font lacks, the first of them.
func missingText(rs []rune) string {
	if len(rs) > 12 {
		return string(rs[:12]) + "…"
	}
	return string(rs)
}
