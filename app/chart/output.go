package chart

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Format is an output format.
type Format string

// Formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
	PDF Format = "pdf"
)

// FormatOf is the format a file name's extension asks for.
func FormatOf(name string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))); f {
	case PNG, SVG, PDF:
		return f, nil
	}
	return "", fmt.Errorf("chart: %q is not a .png, .svg or .pdf file", name)
}

// Image draws the chart as an image of Width×Height pixels times Scale.
func Image(s Series, spec Spec) (*image.RGBA, error) {
	c, err := imageCanvas(s, spec)
	if err != nil {
		return nil, err
	}
	img, ok := c.Image().(*image.RGBA)
	if !ok {
		return nil, fmt.Errorf("chart: the canvas drew a %T", c.Image())
	}
	return img, nil
}

func imageCanvas(s Series, spec Spec) (*vgimg.Canvas, error) {
	f, err := build(s, spec)
	if err != nil {
		return nil, err
	}
	w, h, err := spec.size()
	if err != nil {
		return nil, err
	}
	scale := spec.Scale
	if scale <= 0 {
		scale = 1
	}
	var bg color.Color = color.White
	if spec.Kind == Sparkline {
		bg = color.Transparent
	}
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(PixelsPerInch*scale+0.5)), vgimg.UseBackgroundColor(bg))
	f.draw(draw.New(c))
	return c, nil
}

// Write draws the chart in the format to w: PNG at Scale; SVG with the
// font embedded, so that the Chinese shows wherever it is opened; PDF with
// the text set in the font (searchable), for briefings.
func Write(w io.Writer, f Format, s Series, spec Spec) error {
	var out io.WriterTo
	switch f {
	case PNG:
		c, err := imageCanvas(s, spec)
		if err != nil {
			return err
		}
		out = vgimg.PngCanvas{Canvas: c}
	case SVG, PDF:
		fig, err := build(s, spec)
		if err != nil {
			return err
		}
		wd, ht, err := spec.size()
		if err != nil {
			return err
		}
		var c vg.CanvasWriterTo
		if f == SVG {
			c = vgsvg.NewWith(vgsvg.UseWH(wd, ht), vgsvg.EmbedFonts(true))
		} else {
			ttf, err := loadFont()
			if err != nil {
				return err
			}
			c = newPDFCanvas(wd, ht, ttf, spec.Lang.title(&s))
		}
		fig.draw(draw.New(c))
		out = c
	default:
		return fmt.Errorf("chart: unknown format %q", f)
	}
	_, err := out.WriteTo(w)
	return err
}
