package sign

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The seeds are the files of testdata/fuzz/FuzzParseSignature and
// testdata/fuzz/FuzzParseKeyLine, which `go test` runs too.

// checkFormatError checks a refusal: a *FormatError naming the file, a
// line from 0 (the whole file) to one past the input's lines.
func checkFormatError(t *testing.T, err error, name string, in []byte) {
	var fe *FormatError
	if !errors.As(err, &fe) || fe.File != name || fe.Line < 0 || fe.Line > bytes.Count(in, []byte("\n"))+2 || fe.Problem == "" {
		t.Fatalf("refusal %T %v", err, err)
	}
}

// Any input is refused with a FormatError, or read into a signature that
// writes out as the input (in its one form: LF ends) and reads back equal.
func FuzzParseSignature(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := parseSignature("fuzz.sig", in)
		if err != nil {
			checkFormatError(t, err, "fuzz.sig", in)
			return
		}
		out := s.format()
		if canonical := strings.ReplaceAll(string(in), "\r\n", "\n"); !strings.HasSuffix(canonical, "\n") && canonical+"\n" == string(out) {
			// the last line's end is optional
		} else if canonical != string(out) {
			t.Fatalf("read %q, written %q", in, out)
		}
		again, err := parseSignature("again.sig", out)
		if err != nil || !reflect.DeepEqual(s, again) {
			t.Fatalf("written %q, read back %+v %v", out, again, err)
		}
	})
}

// Any input is refused with a FormatError, or read as a key of either kind
// that writes out as the input and reads back equal.
func FuzzParseKeyLine(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, kind := range []struct {
			tag  string
			size int
		}{{publicTag, 32}, {privateTag, 32}} {
			key, login, err := parseKeyLine("fuzz.key", in, kind.tag, kind.size)
			if err != nil {
				checkFormatError(t, err, "fuzz.key", in)
				continue
			}
			out := formatKeyLine(kind.tag, key, login)
			if strings.TrimSuffix(strings.TrimSuffix(string(in), "\n"), "\r") != strings.TrimSuffix(string(out), "\n") {
				t.Fatalf("read %q, written %q", in, out)
			}
			k2, l2, err := parseKeyLine("again.key", out, kind.tag, kind.size)
			if err != nil || !bytes.Equal(k2, key) || l2 != login {
				t.Fatalf("written %q, read back %v %q %v", out, k2, l2, err)
			}
		}
	})
}
