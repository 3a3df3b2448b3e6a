package geoio

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addSeeds feeds every file of testdata/seeds with one of the extensions.
func addSeeds(f *testing.F, exts ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*"))
	for _, name := range files {
		for _, ext := range exts {
			if strings.HasSuffix(name, ext) {
				b, err := os.ReadFile(name)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
	}
}

func FuzzReadGeoJSON(f *testing.F) {
	addSeeds(f, ".geojson")
	f.Fuzz(func(t *testing.T, in []byte) {
		feats, err := ReadGeoJSON("fuzz.geojson", bytes.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.geojson: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, ft := range feats {
			if ft.Record == "" || ft.Geom == nil {
				t.Fatalf("feature without record or geometry: %+v", ft)
			}
			if err := CheckShape(ft.Geom); err != nil {
				t.Fatalf("accepted a geometry that fails its own check: %v", err)
			}
			for k, v := range ft.Props {
				if !utf8.ValidString(k) || !utf8.ValidString(v) {
					t.Fatal("invalid UTF-8 got through")
				}
			}
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	addSeeds(f, ".csv")
	f.Fuzz(func(t *testing.T, in []byte) {
		feats, err := ReadCSV("fuzz.csv", bytes.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, ft := range feats {
			if ft.Geom != nil {
				if err := CheckShape(ft.Geom); err != nil {
					t.Fatalf("accepted a geometry that fails its own check: %v", err)
				}
			}
			for _, v := range ft.Props {
				if !utf8.ValidString(v) {
					t.Fatal("invalid UTF-8 got through")
				}
			}
		}
	})
}
