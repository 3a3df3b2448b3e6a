package mirror_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"kapok/data/mirror"
	"kapok/internal/fixture"
)

// Debian's python3 has GDAL's bindings; another python3 may come first on
// PATH, so the validator is run with Debian's by its full path.
const (
	debianPython  = "/usr/bin/python3"
	gpkgValidator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
)

func requireGDAL(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("GDAL (ogrinfo) not installed; `make test` installs gdal-bin")
	}
}

// GDAL must read every layer of the mirror with the count and extent Kapok
// wrote, and its GeoPackage validator must pass.
func TestGDALReadsTheMirror(t *testing.T) {
	requireGDAL(t)
	m := fixture.City(t)
	counts, err := m.LayerCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, layer := range mirror.FeatureLayers {
		out, err := exec.Command("ogrinfo", "-ro", "-so", m.Path, layer).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", layer, err, out)
		}
		got := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out)
		if got == nil || string(got[1]) != strconv.FormatInt(counts[layer], 10) {
			t.Errorf("%s: ogrinfo counts %q, Kapok %d", layer, got, counts[layer])
		}
		ext := regexp.MustCompile(`Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)`).FindSubmatch(out)
		if ext == nil {
			t.Fatalf("%s: no extent in\n%s", layer, out)
		}
		var minx, miny, maxx, maxy float64
		if err := m.DB.QueryRow(`SELECT min(minx), min(miny), max(maxx), max(maxy) FROM rtree_`+layer+`_geom`).Scan(&minx, &miny, &maxx, &maxy); err != nil {
			t.Fatal(err)
		}
		for i, want := range []float64{minx, miny, maxx, maxy} {
			g, err := strconv.ParseFloat(string(ext[i+1]), 64)
			if err != nil {
				t.Fatal(err)
			}
			if d := g - want; d > 1e-5 || d < -1e-5 {
				t.Errorf("%s: extent %s, want %v %v %v %v", layer, ext[0], minx, miny, maxx, maxy)
				break
			}
		}
	}
	validate(t, m.Path)
}

func TestGDALReadsExportedGeoPackage(t *testing.T) {
	requireGDAL(t)
	m := fixture.City(t)
	out := filepath.Join(t.TempDir(), "grids #1?.gpkg")
	n, err := m.Export(ctx, "grids", "gpkg", out)
	if err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("ogrinfo", "-ro", "-so", out, "grids").CombinedOutput()
	if err != nil || !strings.Contains(string(info), "Feature Count: "+strconv.Itoa(n)) {
		t.Fatalf("ogrinfo: %v\n%s", err, info)
	}
	validate(t, out)
}

func validate(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(gpkgValidator); err != nil {
		t.Log("validate_gpkg.py not installed (python3-gdal): validator skipped")
		return
	}
	out, err := exec.Command(debianPython, gpkgValidator, path).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("validate_gpkg.py %s: %v\n%s", path, err, out)
	}
}
