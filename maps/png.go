package maps

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"io"
	"runtime"
	"slices"
)

// EncodePNG writes an opaque RGBA frame as a PNG (8-bit RGB, filter Up on
// every row, deflate at best speed). Written here because image/png tries
// all five filters on every row, which is two thirds of its time on a
// 1920×1080 map, and compresses on one core; flat map colours compress
// almost as well with Up alone.
//
// The rows are cut into bands, filtered and compressed on every core, each
// band a deflate stream of its own ended by a sync flush (as pigz does), so
// that the bands joined are one zlib stream; its Adler-32 is combined from
// the bands'.
func EncodePNG(w io.Writer, img *image.RGBA) error {
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString("\x89PNG\r\n\x1a\n"); err != nil {
		return err
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits, truecolour
	if err := writeChunk(bw, "IHDR", ihdr[:]); err != nil {
		return err
	}
	// Enough bands to keep every core busy to the end, not so many that
	// each starts its dictionary afresh too often.
	const bandRows = 64
	nb := (height + bandRows - 1) / bandRows
	type band struct {
		z     []byte // deflate, ended by a sync flush
		sum   uint32 // Adler-32 of the filtered rows
		n     int    // filtered bytes
		err   error
		ready chan struct{}
	}
	bands := make([]band, nb)
	for i := range bands {
		bands[i].ready = make(chan struct{})
	}
	next := make(chan int, nb)
	for i := range nb {
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), nb) {
		go func() {
			var raw []byte
			var zb bytes.Buffer
			fw, _ := flate.NewWriter(&zb, flate.BestSpeed) // level is valid
			for i := range next {
				y0 := i * bandRows
				rows := min(bandRows, height-y0)
				raw = filterUp(raw[:0], img, y0, rows)
				zb.Reset()
				fw.Reset(&zb)
				_, err := fw.Write(raw)
				if err == nil {
					err = fw.Flush()
				}
				bd := &bands[i]
				bd.z, bd.sum, bd.n, bd.err = bytes.Clone(zb.Bytes()), adler32.Checksum(raw), len(raw), err
				close(bd.ready)
			}
		}()
	}
	// Each band is an IDAT chunk of its own (a PNG may have any number);
	// the zlib header goes before the first, the end of the stream after
	// the last.
	sum := uint32(1) // Adler-32 of nothing
	var werr error
	for i := range bands {
		bd := &bands[i]
		<-bd.ready // keep waiting after an error, so no worker writes after we return
		if werr == nil {
			werr = bd.err
		}
		if werr == nil {
			if i == 0 {
				// Deflate, 32K window, fastest; FCHECK makes it a multiple of 31.
				bd.z = append([]byte{0x78, 0x01}, bd.z...)
			}
			werr = writeChunk(bw, "IDAT", bd.z)
			sum = adler32Combine(sum, bd.sum, bd.n)
		}
		bd.z = nil
	}
	if werr != nil {
		return werr
	}
	// An empty final stored block, then the checksum.
	var tail [9]byte
	copy(tail[:], []byte{1, 0, 0, 0xff, 0xff})
	binary.BigEndian.PutUint32(tail[5:], sum)
	if err := writeChunk(bw, "IDAT", tail[:]); err != nil {
		return err
	}
	if err := writeChunk(bw, "IEND", nil); err != nil {
		return err
	}
	return bw.Flush()
}

// filterUp appends rows y0…y0+n-1 of img as PNG scanlines with filter Up:
// each RGB byte minus the one above it (zero above the first row). Four
// pixels at a time: each RGBA word minus the one above, byte by byte
// without borrowing from the next byte, then the four RGB triples packed
// into three words (a third of the time of byte by byte).
func filterUp(dst []byte, img *image.RGBA, y0, n int) []byte {
	b := img.Bounds()
	width := b.Dx()
	dst = slices.Grow(dst, n*(1+3*width))
	zero := make([]byte, 4*width)
	const high = 0x80808080
	sub := func(c, u uint32) uint32 { return ((c | high) - (u &^ high)) ^ ((c ^ ^u) & high) }
	for y := y0; y < y0+n; y++ {
		dst = append(dst, 2)
		row := dst[len(dst) : len(dst)+3*width]
		dst = dst[:len(dst)+3*width]
		cur := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:4*width]
		up := zero
		if y > 0 {
			up = img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y-1):][:4*width]
		}
		x := 0
		for ; x+4 <= width; x += 4 {
			c, u, o := cur[4*x:4*x+16:4*x+16], up[4*x:4*x+16:4*x+16], row[3*x:3*x+12:3*x+12]
			d0 := sub(binary.LittleEndian.Uint32(c[0:]), binary.LittleEndian.Uint32(u[0:]))
			d1 := sub(binary.LittleEndian.Uint32(c[4:]), binary.LittleEndian.Uint32(u[4:]))
			d2 := sub(binary.LittleEndian.Uint32(c[8:]), binary.LittleEndian.Uint32(u[8:]))
			d3 := sub(binary.LittleEndian.Uint32(c[12:]), binary.LittleEndian.Uint32(u[12:]))
			binary.LittleEndian.PutUint32(o[0:], d0&0xffffff|d1<<24)
			binary.LittleEndian.PutUint32(o[4:], d1>>8&0xffff|d2<<16)
			binary.LittleEndian.PutUint32(o[8:], d2>>16&0xff|d3<<8)
		}
		for ; x < width; x++ {
			row[3*x], row[3*x+1], row[3*x+2] = cur[4*x]-up[4*x], cur[4*x+1]-up[4*x+1], cur[4*x+2]-up[4*x+2]
		}
	}
	return dst
}

// adler32Combine is the Adler-32 of A followed by B from the Adler-32s of
// A and B and the length of B (zlib's adler32_combine; hash/adler32 has
// none).
func adler32Combine(a, b uint32, lenB int) uint32 {
	const mod = 65521
	rem := uint32(lenB % mod)
	s1 := a & 0xffff
	s2 := rem * s1 % mod
	s1 += (b & 0xffff) + mod - 1
	s2 += (a >> 16) + (b >> 16) + mod - rem
	if s1 >= mod {
		s1 -= mod
	}
	if s1 >= mod {
		s1 -= mod
	}
	if s2 >= 2*mod {
		s2 -= 2 * mod
	}
	if s2 >= mod {
		s2 -= mod
	}
	return s1 | s2<<16
}

func writeChunk(w io.Writer, kind string, data []byte) error {
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(len(data)))
	copy(head[4:], kind)
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	crc.Write(data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	for _, p := range [][]byte{head[:], data, tail[:]} {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}
