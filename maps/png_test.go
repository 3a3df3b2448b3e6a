package maps

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"testing"
)

// What EncodePNG writes decodes, with the standard decoder, to the same
// pixels.
func TestEncodePNGRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, 300, 700)) // several IDAT chunks
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(rng.IntN(256)), uint8(i/1000), 7, 255
	}
	var buf bytes.Buffer
	if err := EncodePNG(&buf, img); err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 700; y++ {
		for x := 0; x < 300; x++ {
			r, g, b, _ := back.At(x, y).RGBA()
			want := img.RGBAAt(x, y)
			if (color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}) != want {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, back.At(x, y), want)
			}
		}
	}
}

// The bands compressed on separate cores join into one valid zlib stream:
// read to its end, its Adler-32 checks, and it decodes to the same pixels,
// for heights that do and do not fill the last band.
func TestEncodePNGStreamChecksums(t *testing.T) {
	for _, h := range []int{1, 63, 64, 65, 200} {
		img := image.NewRGBA(image.Rect(0, 0, 37, h))
		for i := range img.Pix {
			img.Pix[i] = uint8(i * 7 / 3)
		}
		var buf bytes.Buffer
		if err := EncodePNG(&buf, img); err != nil {
			t.Fatal(err)
		}
		var idat []byte
		data := buf.Bytes()[8:]
		for len(data) >= 12 {
			n := binary.BigEndian.Uint32(data)
			if string(data[4:8]) == "IDAT" {
				idat = append(idat, data[8:8+n]...)
			}
			data = data[12+n:]
		}
		z, err := zlib.NewReader(bytes.NewReader(idat))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(z) // fails on a wrong checksum
		if err != nil {
			t.Fatalf("height %d: %v", h, err)
		}
		if len(raw) != h*(1+3*37) {
			t.Fatalf("height %d: %d filtered bytes", h, len(raw))
		}
		back, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		for y := 0; y < h; y++ {
			for x := 0; x < 37; x++ { // not a multiple of four pixels
				r, g, b, _ := back.At(x, y).RGBA()
				if w := img.RGBAAt(x, y); uint8(r>>8) != w.R || uint8(g>>8) != w.G || uint8(b>>8) != w.B {
					t.Fatalf("height %d: pixel (%d,%d) = %v, want %v", h, x, y, back.At(x, y), w)
				}
			}
		}
	}
}

func TestAdler32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		a, b := make([]byte, rng.IntN(200000)), make([]byte, rng.IntN(200000))
		for i := range a {
			a[i] = byte(rng.Uint32())
		}
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if got, want := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)), adler32.Checksum(append(a, b...)); got != want {
			t.Fatalf("combined %08x, want %08x", got, want)
		}
	}
}
